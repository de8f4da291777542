//! The request context, built once per request by the server's middleware and read here by
//! server functions (and by the REST handlers through the same type): which host the request
//! is for, its id, the client's address and browser, and the signed-in caller.

use std::net::IpAddr;

use leptos::prelude::use_context;
use oikos::identity::login::Authenticated;
use oikos::identity::Client;
use oikos::tenancy::{TenantHints, TenantScope};
use oikos::values::Slug;
use oikos::AppContext;

use crate::error::AppError;

/// Which site a request's `Host` names. Requests for any other host are refused before they
/// reach a handler.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Site {
    /// The main site (`OIKOS_BASE_URL`'s host).
    Main,
    /// A tenant's portal: `{slug}.{OIKOS_DOMAIN}`.
    Tenant(Slug),
}

#[derive(Clone, Debug)]
pub struct RequestContext {
    pub site: Site,
    pub request_id: String,
    /// The peer, or the client named by `X-Forwarded-For` when the peer is a trusted proxy.
    pub client_ip: IpAddr,
    pub user_agent: Option<String>,
    /// `X-Tenant-Slug` (or its alias `X-Tenant-ID`): a slug or a tenant id.
    pub tenant_header: Option<String>,
    /// The signed-in caller, if any (set by the server's authentication middleware).
    pub caller: Option<Caller>,
    /// On a portal page: the active tenant's name, branding and payment state, for the
    /// page's frame.
    pub portal: Option<oikos::tenants::branding::Portal>,
    /// Where this site's paths start: `/t/{slug}` for a portal in path mode, else `""`.
    pub mount: String,
    /// On a portal page: the caller's role in that tenant (set with the caller).
    pub portal_role: Option<oikos::tenancy::Role>,
}

/// How the caller proved who they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Via {
    /// The browser session cookie.
    Session,
    /// `Authorization: Bearer <access token>`.
    Bearer,
}

#[derive(Clone, Debug)]
pub struct Caller {
    pub auth: Authenticated,
    pub via: Via,
}

impl RequestContext {
    /// `path` on this request's site (prefixed with its mount).
    pub fn path(&self, path: &str) -> String {
        format!("{}{path}", self.mount)
    }

    /// The address and browser, for rate limits, the audit log and the sessions list.
    pub fn client(&self) -> Client {
        Client::new(self.client_ip, self.user_agent.as_deref())
    }

    /// The caller's scope in the tenant this request is for (PRODUCT.md §3): `Unauthorized`
    /// without a caller, `TenantRequired` without any hint, and the scope's own refusals.
    pub async fn tenant_scope(&self, db: &oikos::db::Db) -> Result<TenantScope, oikos::Error> {
        let caller = self.acting()?;
        let hints = TenantHints {
            portal: match &self.site {
                Site::Tenant(slug) => Some(slug.clone()),
                Site::Main => None,
            },
            header: self.tenant_header.clone(),
            active: caller.auth.tenant,
        };
        hints.resolve(db, &caller.auth.principal).await
    }

    /// The signed-in caller acting as themselves (their account, their workspaces, the
    /// platform), or `Unauthorized`. A super admin impersonating a member is `Forbidden`
    /// here: the impersonation reaches the member's tenant work ([`Self::acting`]), never
    /// the member's account.
    pub fn caller(&self) -> Result<&Caller, oikos::Error> {
        let caller = self.acting()?;
        if caller.auth.impersonation.is_some() {
            return Err(oikos::Error::Forbidden);
        }
        Ok(caller)
    }

    /// The signed-in caller, an impersonated member included, for work within a tenant (the
    /// scope checks the rest), or `Unauthorized`.
    pub fn acting(&self) -> Result<&Caller, oikos::Error> {
        self.caller.as_ref().ok_or(oikos::Error::Unauthorized)
    }
}

/// A session store failure, as an internal error.
pub fn session_error(err: impl std::fmt::Display) -> AppError {
    AppError::from(oikos::Error::Internal(anyhow::anyhow!("session: {err}")))
}

/// This request's browser session, inside a server function.
pub async fn session() -> Result<tower_sessions::Session, AppError> {
    leptos_axum::extract::<tower_sessions::Session>()
        .await
        .map_err(session_error)
}

/// Keeps a secret to show once (a new API key, a webhook's signing secret) in the session,
/// between the form post that made it and the page after it, which takes it out: it is
/// never in an address, a log or a cache, and a reload shows it no more.
pub async fn keep_to_show_once(what: &str, secret: String) -> Result<(), AppError> {
    session()
        .await?
        .insert(&format!("once.{what}"), secret)
        .await
        .map_err(session_error)
}

/// The secret kept by [`keep_to_show_once`], removed from the session.
pub async fn take_shown_once(what: &str) -> Result<Option<String>, AppError> {
    session()
        .await?
        .remove::<String>(&format!("once.{what}"))
        .await
        .map_err(session_error)
}

/// Rotates the session id and stores the sign-in: a session id known before sign-in
/// (fixation) is worth nothing after it.
pub async fn start_session(
    session: &tower_sessions::Session,
    auth: oikos::identity::sessions::SessionAuth,
    client: &Client,
) -> Result<(), AppError> {
    use oikos::identity::sessions::{client_value, AUTH_KEY, CLIENT_KEY};
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(AUTH_KEY, auth)
        .await
        .map_err(session_error)?;
    session
        .insert(CLIENT_KEY, client_value(client))
        .await
        .map_err(session_error)
}

fn internal() -> AppError {
    AppError::new("internal_error", "Something went wrong on our side.")
}

/// The core's context, inside a server function.
pub fn app_context() -> Result<AppContext, AppError> {
    use_context::<AppContext>().ok_or_else(internal)
}

/// This request's context, inside a server function.
pub fn request_context() -> Result<RequestContext, AppError> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<RequestContext>().cloned())
        .ok_or_else(internal)
}

/// Whether this server-function call is a plain form post (no JavaScript): the browser asked
/// for a page, so Leptos answers with a redirect rather than data.
pub fn plain_form_post() -> bool {
    use_context::<http::request::Parts>().is_some_and(|parts| {
        parts
            .headers
            .get(http::header::ACCEPT)
            .and_then(|accept| accept.to_str().ok())
            .is_some_and(|accept| accept.contains("text/html"))
    })
}

/// What a visitor typed into a form whose plain post failed. The server keeps it in the
/// session between the post and the page the browser is sent back to (which has `__err` in
/// its URL), so the fields show it again. Never passwords, tokens or secrets.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Typed {
    /// The server function the form posted to (`/api/save_service`).
    action: String,
    fields: Vec<(String, String)>,
    /// The `__err` the server itself put in the redirect: the only one shown word for word.
    #[serde(default)]
    error: Option<String>,
}

impl Typed {
    /// The session key it waits under.
    pub const SESSION_KEY: &'static str = "form.typed";

    /// The fields worth giving back of a form body (`application/x-www-form-urlencoded`)
    /// posted to `action`.
    pub fn from_form(action: &str, body: &[u8]) -> Self {
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
        Typed {
            action: action.to_owned(),
            fields: fields
                .into_iter()
                .filter(|(name, _)| {
                    let name = name.to_ascii_lowercase();
                    !["password", "token", "secret"]
                        .iter()
                        .any(|kept_out| name.contains(kept_out))
                })
                .collect(),
            error: None,
        }
    }

    /// The same, with the error the server sent back for it (the redirect's `__err`).
    pub fn with_error(self, error: String) -> Self {
        Typed {
            error: Some(error),
            ..self
        }
    }

    /// The `__err` this server sent, if it did.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.as_str())
    }

    /// Whether the form posted to `action` sent the check box `name` with `value`; `None`
    /// when the failed post was another form's (a check box left unticked is not sent, so
    /// only its own form's body can say so).
    pub fn ticked(&self, action: &str, name: &str, value: &str) -> Option<bool> {
        (self.action == action).then(|| {
            self.fields
                .iter()
                .any(|(field, sent)| field == name && sent == value)
        })
    }
}

fn with_typed<T>(read: impl FnOnce(&Typed) -> Option<T>) -> Option<T> {
    use_context::<http::request::Parts>().and_then(|parts| read(parts.extensions.get::<Typed>()?))
}

/// What was typed into the field `name` before the failed post that led to this page.
pub fn typed(name: &str) -> Option<String> {
    with_typed(|typed| typed.get(name).map(str::to_owned))
}

/// See [`Typed::ticked`].
pub fn typed_ticked(action: &str, name: &str, value: &str) -> Option<bool> {
    with_typed(|typed| typed.ticked(action, name, value))
}
