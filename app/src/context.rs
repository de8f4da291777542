//! The request context, built once per request by the server's middleware and read here by
//! server functions (and by the REST handlers through the same type): which host the request
//! is for, its id and the client's address. Later: the principal and the tenant.

use std::net::IpAddr;

use leptos::prelude::use_context;
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
