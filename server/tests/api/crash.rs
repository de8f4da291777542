//! `kill -9` of the real binary between a Stripe call and its database write: Stripe has
//! made the subscription, Oikos has not written it down. After a restart, the reconciliation
//! at start brings the workspace to Stripe's state, with no second subscription at Stripe.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use oikos::tenancy::{Role, TenantId, TenantScope};
use oikos::testing::{fixtures, TestDb, TestTenant};
use oikos::{AppContext, Config};
use reqwest::StatusCode;
use serde_json::{json, Value};
use tokio::process::{Child, Command};
use tokio::sync::oneshot;

use crate::helpers::test_vars;
use crate::peers::{free_port, Localstripe, STRIPE_KEY};

/// Stands between Oikos and Stripe, passing everything on; once Stripe has answered the
/// creation of a subscription, it says so on `made` and never passes the answer back.
#[derive(Clone)]
struct HoldingProxy {
    upstream: String,
    http: reqwest::Client,
    made: Arc<Mutex<Option<oneshot::Sender<()>>>>,
}

impl HoldingProxy {
    /// Listens on a free port: its address, and the signal that Stripe made the subscription.
    async fn start(upstream: String) -> (String, oneshot::Receiver<()>) {
        let (made, held) = oneshot::channel();
        let proxy = HoldingProxy {
            upstream,
            http: reqwest::Client::new(),
            made: Arc::new(Mutex::new(Some(made))),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let app = axum::Router::new().fallback(pass_on).with_state(proxy);
        tokio::spawn(async move { axum::serve(listener, app).await });
        (address, held)
    }
}

async fn pass_on(State(proxy): State<HoldingProxy>, request: Request) -> Response {
    let (parts, body) = request.into_parts();
    let body: Bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap();
    let target = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let mut forwarded = proxy
        .http
        .request(parts.method.clone(), format!("{}{target}", proxy.upstream))
        .body(body);
    for name in [http::header::AUTHORIZATION, http::header::CONTENT_TYPE] {
        if let Some(value) = parts.headers.get(&name) {
            forwarded = forwarded.header(name, value);
        }
    }
    let answer = forwarded.send().await.unwrap();
    let status = answer.status();
    let body = answer.bytes().await.unwrap();
    let creates = parts.method == http::Method::POST && parts.uri.path() == "/v1/subscriptions";
    let made = if creates {
        proxy.made.lock().unwrap().take()
    } else {
        None
    };
    if let Some(made) = made {
        made.send(()).ok();
        std::future::pending::<()>().await;
    }
    (status, body).into_response()
}

/// The real binary with `vars`, once it answers `/health`.
async fn start_server(vars: &HashMap<String, String>, data: &std::path::Path) -> Child {
    let server = Command::new(env!("CARGO_BIN_EXE_oikos"))
        .env_clear()
        .envs(vars)
        .env("RUST_LOG", "warn")
        .current_dir(data)
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let health = format!("{}/health", vars["OIKOS_BASE_URL"]);
    for _ in 0..200 {
        if reqwest::get(&health)
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return server;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the server did not start");
}

/// What the database says of the tenant's subscription, read beside the server.
async fn recorded(ctx: &AppContext, scope: &TenantScope) -> (String, String) {
    let current = oikos::billing::service::current(ctx, scope).await.unwrap();
    (current.plan, current.billing_cycle.as_str().to_owned())
}

async fn call(method: &str, url: String, token: &str, body: Option<Value>) -> (StatusCode, Value) {
    let method = method.parse().unwrap();
    let mut request = crate::helpers::client()
        .request(method, url)
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let answer = request.send().await.unwrap();
    let status = answer.status();
    (status, answer.json().await.unwrap_or(Value::Null))
}

oikos::on_both_backends! { TestDb::new,
    async fn a_kill_between_stripe_and_the_write_is_mended_at_restart(db: TestDb) {
        let stripe = Localstripe::start().await;
        let (proxy, held) = HoldingProxy::start(stripe.url()).await;
        let data = tempfile::tempdir().unwrap();
        let port = free_port();
        let mut vars = test_vars(&db, port, data.path());
        vars.insert("STRIPE_SECRET_KEY".into(), STRIPE_KEY.into());
        vars.insert("STRIPE_API_BASE".into(), proxy);

        // The test's own view of the same database and keys, to seed and to look.
        let config = Config::from_lookup(|name| vars.get(name).cloned()).unwrap();
        let ctx = AppContext::start(config).await.unwrap();
        let salon = TestTenant::new("salon").create(&ctx.db).await;
        let tenant: TenantId = salon.tenant.id;
        let token = fixtures::access_token_in(&ctx.tokens, &salon.admin, Some((tenant, Role::TenantAdmin)));
        let scope = TenantScope::resolve(&ctx.db, &fixtures::principal(&salon.admin), tenant).await.unwrap();

        let mut server = start_server(&vars, data.path()).await;
        let portal = |path: &str| format!("http://salon.localhost:{port}{path}");
        let card = stripe.card("4242424242424242").await;
        let (status, _) = call("POST", portal("/api/v1/payment-methods"), &token, Some(json!({"payment_method_id": card}))).await;
        assert_eq!(status, StatusCode::CREATED);

        // The upgrade reaches Stripe; its answer never comes back, and the server dies.
        let upgrade = {
            let (url, token) = (portal("/api/v1/subscriptions/upgrade"), token.clone());
            let body = json!({"plan": "BASIC", "billing_cycle": "annual"});
            tokio::spawn(async move { call("POST", url, &token, Some(body)).await })
        };
        tokio::time::timeout(Duration::from_secs(30), held).await.expect("Stripe was never asked").unwrap();
        let pid = server.id().unwrap().to_string();
        assert!(Command::new("kill").args(["-KILL", &pid]).status().await.unwrap().success());
        server.wait().await.unwrap();
        upgrade.abort();
        assert_eq!(recorded(&ctx, &scope).await, ("FREE".to_owned(), "monthly".to_owned()));
        let customers = stripe.call("GET", "/v1/customers", &[]).await;
        let customer = customers["data"][0]["id"].as_str().unwrap().to_owned();
        let live = || async {
            let list = stripe.call("GET", "/v1/subscriptions", &[("customer", &customer)]).await;
            list["data"].as_array().unwrap().iter().filter(|s| s["status"] != "canceled").count()
        };
        assert_eq!(live().await, 1);

        // Restarted (talking to Stripe directly now), it reconciles at start.
        vars.insert("STRIPE_API_BASE".into(), stripe.url());
        let _server = start_server(&vars, data.path()).await;
        let mut seen = recorded(&ctx, &scope).await;
        for _ in 0..100 {
            if seen.0 == "BASIC" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
            seen = recorded(&ctx, &scope).await;
        }
        assert_eq!(seen, ("BASIC".to_owned(), "annual".to_owned()));
        let (_, current) = call("GET", portal("/api/v1/subscriptions/current"), &token, None).await;
        assert_eq!((current["plan"].as_str(), current["status"].as_str()), (Some("BASIC"), Some("active")), "{current}");
        assert_eq!(live().await, 1, "no second subscription at Stripe");
    }
}
