//! The request context, built once per request by the server's middleware and read here by
//! server functions (and by the REST handlers through the same type): which host the request
//! is for, its id, the client's address and browser, and the signed-in caller.

use std::net::IpAddr;

use leptos::prelude::use_context;
use oikos::identity::login::Authenticated;
use oikos::identity::Client;
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
    /// The signed-in caller, if any (set by the server's authentication middleware).
    pub caller: Option<Caller>,
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
    /// The address and browser, for rate limits, the audit log and the sessions list.
    pub fn client(&self) -> Client {
        Client::new(self.client_ip, self.user_agent.as_deref())
    }

    /// The signed-in caller, or `Unauthorized`.
    pub fn caller(&self) -> Result<&Caller, oikos::Error> {
        self.caller.as_ref().ok_or(oikos::Error::Unauthorized)
    }
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
