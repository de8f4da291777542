//! What the server's middleware learns about a request, once, before any handler: which site
//! it is for, its id, the client's address and browser, and the signed-in caller. REST
//! handlers read it from the request's extensions (through [`crate::extract`]); server
//! functions through [`request_context`].

use std::net::IpAddr;
use std::sync::{Arc, OnceLock};

use http::HeaderMap;
use leptos::prelude::use_context;
use oikos::identity::login::Authenticated;
use oikos::identity::Client;
use oikos::tenancy::{TenantHints, TenantScope};
use oikos::values::Slug;
use oikos::AppContext;

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
    /// On a portal page: the tenant's row as the visit read it (a page need not read it
    /// again).
    pub tenant: Option<oikos::tenants::Tenant>,
    /// The caller's scope in this request's tenant, once resolved: every server function and
    /// handler of the request (a page runs several) shares the one resolution.
    pub scope: Arc<OnceLock<TenantScope>>,
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
    /// Resolved once per request.
    pub async fn tenant_scope(&self, db: &oikos::db::Db) -> Result<TenantScope, oikos::Error> {
        if let Some(scope) = self.scope.get() {
            return Ok(scope.clone());
        }
        let caller = self.acting()?;
        let hints = TenantHints {
            portal: match &self.site {
                Site::Tenant(slug) => Some(slug.clone()),
                Site::Main => None,
            },
            header: self.tenant_header.clone(),
            active: caller.auth.tenant,
        };
        let scope = hints.resolve(db, &caller.auth.principal).await?;
        // Another server function of this request may have resolved it meanwhile: the same.
        Ok(self.scope.get_or_init(|| scope).clone())
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

/// The token of `Authorization: Bearer <token>`, if the request carries one.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

fn missing(what: &str) -> oikos::Error {
    oikos::Error::Internal(anyhow::anyhow!(
        "no {what} in this server function's context"
    ))
}

/// The core's context, inside a server function.
pub fn app_context() -> Result<AppContext, oikos::Error> {
    use_context::<AppContext>().ok_or_else(|| missing("core context"))
}

/// This request's context, inside a server function.
pub fn request_context() -> Result<RequestContext, oikos::Error> {
    use_context::<http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<RequestContext>().cloned())
        .ok_or_else(|| missing("request context"))
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
