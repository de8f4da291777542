use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

use oikos::db::Backend;
use oikos::testing::TestDb;
use oikos::{AppContext, Config};
use oikos_server::Application;
use secrecy::ExposeSecret;

/// Runs a test body against a fresh server on each backend.
#[macro_export]
macro_rules! app_test {
    ($($test:tt)*) => {
        oikos::on_both_backends!($crate::helpers::spawn_app, $($test)*);
    };
}

/// Like [`app_test!`], with portals under `/t/{slug}` (`OIKOS_TENANT_ROUTING=path`).
#[macro_export]
macro_rules! path_app_test {
    ($($test:tt)*) => {
        oikos::on_both_backends!($crate::helpers::spawn_path_app, $($test)*);
    };
}

/// Like [`app_test!`], with mail delivered to a real SMTP server ([`TestApp::mailbox`]).
#[macro_export]
macro_rules! mail_test {
    ($($test:tt)*) => {
        oikos::on_both_backends!($crate::helpers::spawn_app_with_mail, $($test)*);
    };
}

/// Like [`app_test!`], with billing on against localstripe ([`TestApp::stripe`]), which
/// delivers its events to the application's webhook.
#[macro_export]
macro_rules! billing_test {
    ($($test:tt)*) => {
        oikos::on_both_backends!($crate::helpers::spawn_app_with_stripe, $($test)*);
    };
}

/// A fixed, strong test secret (PostgreSQL requires one to be set).
pub const SESSION_SECRET: &str = "5e2b7c9a1d4f6e8a0c3b5d7f9e1a2c4b6d8f0e2a4c6b8d0f1e3a5c7b9d1f3e5a";

pub struct TestApp {
    pub address: SocketAddr,
    pub metrics_address: SocketAddr,
    pub client: reqwest::Client,
    pub ctx: AppContext,
    pub backend: Backend,
    /// The SMTP server the application delivers to ([`spawn_app_with_mail`]).
    pub mail: Option<crate::peers::SmtpSink>,
    /// The Stripe the application bills through ([`spawn_app_with_stripe`]).
    pub stripe: Option<crate::peers::Localstripe>,
    _db: TestDb,
    _data: tempfile::TempDir,
}

impl TestApp {
    /// A URL on the main site (`http://localhost:<port>…`).
    pub fn url(&self, path: &str) -> String {
        format!("http://localhost:{}{path}", self.address.port())
    }

    /// A URL on a tenant's portal: its subdomain (`http://<slug>.localhost:<port>…`), or in
    /// path mode its path on the main site (`http://localhost:<port>/t/<slug>…`).
    pub fn tenant_url(&self, slug: &str, path: &str) -> String {
        match self.ctx.config.tenant_routing {
            oikos::TenantRouting::Subdomain => {
                format!("{}{path}", self.tenant_origin(slug))
            }
            oikos::TenantRouting::Path => self.url(&format!("/t/{slug}{path}")),
        }
    }

    /// `path` as the portal's pages name it (with `/t/<slug>` in front in path mode).
    pub fn tenant_path(&self, slug: &str, path: &str) -> String {
        match self.ctx.config.tenant_routing {
            oikos::TenantRouting::Subdomain => path.to_owned(),
            oikos::TenantRouting::Path => format!("/t/{slug}{path}"),
        }
    }

    /// A tenant's portal's origin, as a browser sends it in `Origin`.
    pub fn tenant_origin(&self, slug: &str) -> String {
        match self.ctx.config.tenant_routing {
            oikos::TenantRouting::Subdomain => {
                format!("http://{slug}.localhost:{}", self.address.port())
            }
            oikos::TenantRouting::Path => self.origin(),
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .expect("request")
    }

    /// This site's origin, as a browser sends it in `Origin`.
    pub fn origin(&self) -> String {
        self.url("")
    }

    /// A JSON POST from this site's own pages (with its `Origin`, as a browser would send).
    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("origin", self.origin())
            .json(body)
            .send()
            .await
            .expect("request")
    }

    /// A bearer-token call on the portal of the tenant `slug`: the status and the JSON body
    /// (`Null` when there is none).
    pub async fn portal_call(
        &self,
        slug: &str,
        method: &str,
        path: &str,
        token: &str,
        body: Option<serde_json::Value>,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        self.call_url(method, &self.tenant_url(slug, path), token, body)
            .await
    }

    /// A bearer-token call on the main site (the tenant from the token's active workspace).
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<serde_json::Value>,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        self.call_url(method, &self.url(path), token, body).await
    }

    /// A bearer-token call to `url`: the status and the JSON body (`Null` when there is none).
    pub async fn call_url(
        &self,
        method: &str,
        url: &str,
        token: &str,
        body: Option<serde_json::Value>,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        let mut request = self
            .client
            .request(method.parse().expect("method"), url)
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request");
        let status = response.status();
        (status, response.json().await.unwrap_or_default())
    }

    /// The rows in `table` (past row-level security): what a request wrote or left behind.
    pub async fn count_rows(&self, table: &str) -> i64 {
        self._db.count_rows(table).await
    }

    /// The SMTP sink; panics for an application started without one.
    pub fn mailbox(&self) -> &crate::peers::SmtpSink {
        self.mail
            .as_ref()
            .expect("started with spawn_app_with_mail")
    }
}

/// An application that delivers mail to a real SMTP server (aiosmtpd) the test can read.
pub async fn spawn_app_with_mail(backend: Backend) -> TestApp {
    let sink = crate::peers::SmtpSink::start().await;
    let url = sink.url();
    let mut app = spawn_app_with(
        backend,
        &[("SMTP_URL", &url), ("MAIL_FROM", "Oikos <mail@oikos.test>")],
    )
    .await;
    app.mail = Some(sink);
    app
}

/// An application billing through localstripe, which delivers its events to the webhook.
pub async fn spawn_app_with_stripe(backend: Backend) -> TestApp {
    spawn_billing_app_with(backend, &[]).await
}

/// [`spawn_app_with_stripe`] with `overrides` on top.
pub async fn spawn_billing_app_with(backend: Backend, overrides: &[(&str, &str)]) -> TestApp {
    use crate::peers::{Localstripe, STRIPE_KEY, STRIPE_WEBHOOK_SECRET};
    let stripe = Localstripe::start().await;
    let base = stripe.url();
    let mut vars = vec![
        ("STRIPE_SECRET_KEY", STRIPE_KEY),
        ("STRIPE_API_BASE", base.as_str()),
        ("STRIPE_WEBHOOK_SECRET", STRIPE_WEBHOOK_SECRET),
    ];
    vars.extend_from_slice(overrides);
    let mut app = spawn_app_with(backend, &vars).await;
    stripe.deliver_to(&app.url("/api/v1/webhooks/stripe")).await;
    app.stripe = Some(stripe);
    app
}

impl TestApp {
    pub fn stripe(&self) -> &crate::peers::Localstripe {
        self.stripe
            .as_ref()
            .expect("started with spawn_app_with_stripe")
    }
}

pub async fn spawn_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, &[]).await
}

pub async fn spawn_path_app(backend: Backend) -> TestApp {
    spawn_app_with(backend, &[("OIKOS_TENANT_ROUTING", "path")]).await
}

/// The test configuration: the server on `port` over `db`, keeping its files in `data`.
pub fn test_vars(db: &TestDb, port: u16, data: &std::path::Path) -> HashMap<String, String> {
    let mut vars: HashMap<String, String> = HashMap::from([
        (
            "DATABASE_URL".into(),
            db.config().url.expose_secret().to_owned(),
        ),
        ("LEPTOS_SITE_ADDR".into(), format!("127.0.0.1:{port}")),
        ("OIKOS_METRICS_ADDR".into(), "127.0.0.1:0".into()),
        ("OIKOS_BASE_URL".into(), format!("http://localhost:{port}")),
        ("OIKOS_DOMAIN".into(), format!("localhost:{port}")),
        ("OIKOS_DATA_DIR".into(), data.display().to_string()),
        ("SESSION_SECRET".into(), SESSION_SECRET.into()),
    ]);
    if let Some(owner) = &db.config().migration_url {
        vars.insert(
            "DATABASE_MIGRATION_URL".into(),
            owner.expose_secret().to_owned(),
        );
    }
    vars
}

/// Starts the application with `overrides` on top of the test configuration: the main site
/// at `http://localhost:<port>`, tenants at `<slug>.localhost:<port>`, metrics on a port of
/// their own, a fresh database (PostgreSQL in production mode).
pub async fn spawn_app_with(backend: Backend, overrides: &[(&str, &str)]) -> TestApp {
    let db = TestDb::new(backend).await;
    let data = tempfile::tempdir().expect("data folder");
    let port = crate::peers::free_port();
    let mut vars = test_vars(&db, port, data.path());
    vars.extend(
        overrides
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string())),
    );
    let config = Config::from_lookup(|name| vars.get(name).cloned()).expect("config");
    let app = Application::build(config)
        .await
        .expect("build the application");
    let address = app.local_addr().expect("address");
    let metrics_address = app.metrics_addr().expect("metrics address");
    let ctx = app.context().clone();
    tokio::spawn(app.run_until_stopped(std::future::pending()));
    TestApp {
        address,
        metrics_address,
        client: client(),
        ctx,
        backend,
        mail: None,
        stripe: None,
        _db: db,
        _data: data,
    }
}

/// A client with a cookie store, no redirects, and `localhost` plus every `*.localhost`
/// resolving to this machine (as browsers do).
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .dns_resolver(Arc::new(Loopback))
        .build()
        .expect("client")
}

struct Loopback;

impl reqwest::dns::Resolve for Loopback {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let local = name.as_str() == "localhost" || name.as_str().ends_with(".localhost");
        Box::pin(async move {
            if !local {
                return Err(format!("tests only reach *.localhost, not {}", name.as_str()).into());
            }
            let addrs: reqwest::dns::Addrs =
                Box::new(std::iter::once(SocketAddr::from(([127, 0, 0, 1], 0))));
            Ok(addrs)
        })
    }
}

/// An access token acting as `user` (a seeded account, signed in without a password).
pub async fn access_token_for(app: &TestApp, user: &oikos::users::User) -> String {
    oikos::testing::fixtures::access_token(&app.ctx.tokens, user)
}

/// An access token acting as `user` in `tenant` (its active workspace), with `role`.
pub fn access_token_in(
    app: &TestApp,
    user: &oikos::users::User,
    tenant: oikos::tenancy::TenantId,
    role: oikos::tenancy::Role,
) -> String {
    oikos::testing::fixtures::access_token_in(&app.ctx.tokens, user, Some((tenant, role)))
}
