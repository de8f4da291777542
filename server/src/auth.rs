//! Who is calling: the browser session (tower-sessions over the core's database, in a
//! host-only cookie) or an API access token; and the cross-site request check that the
//! session cookie needs.
//!
//! Middleware order, outermost first: host rules → [`csrf`] → the session layer →
//! [`authenticate`] → handlers. None of them fails for an anonymous request: handlers that
//! need a caller ask for one (`RequestContext::caller()`).

use std::time::Duration as StdDuration;

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use oikos::identity::sessions::{self, DbSessionStore, AUTH_KEY};
use oikos::tenancy::PortalVisit;
use oikos::values::Slug;
use oikos::AppContext;
use oikos_web::request::{Caller, RequestContext, Via};
use oikos_web::ApiError;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, Session, SessionManagerLayer};

/// The session cookie's name: with the `__Host-` prefix over https, which browsers accept
/// only host-only, `Secure` and with `Path=/` (no sibling subdomain can set or shadow it).
pub fn cookie_name(https: bool) -> &'static str {
    if https {
        "__Host-oikos_session"
    } else {
        "oikos_session"
    }
}

pub fn session_layer(ctx: &AppContext) -> SessionManagerLayer<DbSessionStore> {
    let https = ctx.config.is_https();
    let idle = sessions::IDLE_TIMEOUT.num_seconds();
    SessionManagerLayer::new(DbSessionStore::new(ctx.db.clone(), ctx.seals.clone()))
        .with_name(cookie_name(https))
        .with_secure(https)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(time::Duration::seconds(idle)))
}

/// Paths that never need the caller: static files and the health check (no session read).
fn anonymous_path(path: &str) -> bool {
    path.starts_with("/pkg/") || path == "/health" || path == "/favicon.ico"
}

/// Puts the caller into the request context: from `Authorization: Bearer`, else from the
/// session. A bearer token that does not verify is a 401 at once (the client should
/// refresh); a session that ended (expired, account disabled) is cleared.
pub async fn authenticate(
    State(ctx): State<AppContext>,
    mut request: Request,
    next: Next,
) -> Response {
    if anonymous_path(request.uri().path()) {
        return next.run(request).await;
    }
    let portal = request
        .extensions()
        .get::<RequestContext>()
        .and_then(|context| crate::context::portal_page(&context.site, request.uri().path()))
        .cloned();
    // The session layer (outside this middleware) put it there.
    let session = request.extensions().get::<Session>().cloned();
    let (caller, visit) = match oikos_web::request::bearer(request.headers()) {
        // A partner's API key: the provisioning routes check it themselves.
        Some(token) if token.starts_with(oikos::partners::api_keys::KEY_PREFIX) => (None, None),
        Some(token) => match oikos::identity::login::authenticate_bearer(&ctx, token).await {
            Ok(auth) => (
                Some(Caller {
                    auth,
                    via: Via::Bearer,
                }),
                None,
            ),
            Err(err) => return ApiError::from(err).into_response(),
        },
        None => match session {
            Some(session) => match from_session(&ctx, &session, portal.as_ref()).await {
                Ok(opened) => opened,
                Err(err) => return ApiError::from(err).into_response(),
            },
            None => (None, None),
        },
    };
    if let Some(context) = request.extensions_mut().get_mut::<RequestContext>() {
        context.caller = caller;
        if let Some(slug) = &portal {
            let visit = match visit {
                Some(visit) => visit,
                None => {
                    let caller = context.caller.as_ref().map(|c| &c.auth.principal);
                    oikos::tenancy::visit(&ctx.db, slug, caller).await
                }
            };
            enter_portal(context, visit);
        }
    }
    next.run(request).await
}

/// On a portal's page: the portal's frame and the caller's scope there. The scope serves
/// every server function of the page; the role shows the header what it may use (the
/// server functions check again). An unknown or inactive portal has no frame (its pages
/// are 404), like one that cannot be read (logged).
fn enter_portal(context: &mut RequestContext, visit: oikos::Result<PortalVisit>) {
    let visit = match visit {
        Ok(visit) => visit,
        Err(oikos::Error::Internal(err)) => {
            tracing::error!(error = format!("{err:#}"), "reading a portal");
            return;
        }
        Err(_) => return,
    };
    context.portal = Some(visit.portal);
    context.tenant = Some(visit.tenant);
    if let Some(scope) = visit.scope {
        context.portal_role = Some(scope.role());
        let _ = context.scope.set(scope);
    }
}

/// The session's caller and, on the page of `portal`, the visit there, read together
/// (`oikos::identity::sessions::open`). A session whose sign-in no longer holds is ended.
async fn from_session(
    ctx: &AppContext,
    session: &Session,
    portal: Option<&Slug>,
) -> oikos::Result<(Option<Caller>, Option<oikos::Result<PortalVisit>>)> {
    let opened = sessions::open(&ctx.db, &ctx.seals, session.id(), portal).await?;
    let Some(stored) = opened.stored else {
        return Ok((None, opened.visit));
    };
    let Some(auth) = opened.auth else {
        session
            .flush()
            .await
            .map_err(|err| anyhow::anyhow!("ending a session: {err}"))?;
        return Ok((None, opened.visit));
    };
    if let Some(seen) = stored.seen(Utc::now()) {
        // Storing it pushes the idle expiry forward (at most once a minute).
        session
            .insert(AUTH_KEY, seen)
            .await
            .map_err(|err| anyhow::anyhow!("updating the session: {err}"))?;
    }
    let caller = Caller {
        auth,
        via: Via::Session,
    };
    Ok((Some(caller), opened.visit))
}

/// Refuses cross-site requests that could change state (every method but GET, HEAD and
/// OPTIONS, server functions included): tenants live on sibling subdomains, which count
/// as "same site", so SameSite cookies alone do not stop one tenant's page from posting
/// to another's. The request must come from this very origin: `Origin` equal to this
/// host's, or, when a browser sent no `Origin`, `Sec-Fetch-Site: same-origin`. Requests
/// with no cookie and no `Origin` (API clients with a bearer token) pass.
pub async fn csrf(State(https): State<bool>, request: Request, next: Next) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    if same_origin(request.headers(), https) {
        next.run(request).await
    } else {
        ApiError::new(
            StatusCode::FORBIDDEN,
            "cross_site_request",
            "This request did not come from this site's own pages.",
        )
        .into_response()
    }
}

fn same_origin(headers: &HeaderMap, https: bool) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    let host = text(header::HOST.as_str()).unwrap_or_default();
    let scheme = if https { "https" } else { "http" };
    match text(header::ORIGIN.as_str()) {
        // A page sent with `Referrer-Policy: no-referrer` (the invitation page) posts its
        // forms with `Origin: null`: only `Sec-Fetch-Site` can vouch for those (a sandboxed
        // frame elsewhere sends `null` too, but never `same-origin`).
        Some("null") => text("sec-fetch-site") == Some("same-origin"),
        Some(origin) => origin.eq_ignore_ascii_case(&format!("{scheme}://{host}")),
        None => {
            let has_cookie = headers.contains_key(header::COOKIE);
            !has_cookie || text("sec-fetch-site") == Some("same-origin")
        }
    }
}

/// How often expired sessions, tokens, rate-limit windows and old mail are deleted.
pub const SESSION_CLEANUP: StdDuration = StdDuration::from_secs(600);

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in pairs {
            headers.insert(*name, value.parse().unwrap());
        }
        headers
    }

    #[test]
    fn only_this_exact_origin_may_change_state() {
        let host = ("host", "salon.oikos.example");
        let ok = headers(&[
            host,
            ("origin", "https://salon.oikos.example"),
            ("cookie", "x=1"),
        ]);
        assert!(same_origin(&ok, true));
        for origin in [
            "https://spa.oikos.example",
            "http://salon.oikos.example",
            "https://oikos.example",
            "null",
        ] {
            let h = headers(&[host, ("origin", origin), ("cookie", "x=1")]);
            assert!(!same_origin(&h, true), "{origin}");
            let h = headers(&[host, ("origin", origin)]);
            assert!(!same_origin(&h, true), "{origin} without a cookie");
        }
        let no_origin = headers(&[host, ("cookie", "x=1")]);
        assert!(!same_origin(&no_origin, true));
        let fetch = headers(&[host, ("cookie", "x=1"), ("sec-fetch-site", "same-origin")]);
        assert!(same_origin(&fetch, true));
        let sibling = headers(&[host, ("cookie", "x=1"), ("sec-fetch-site", "same-site")]);
        assert!(!same_origin(&sibling, true));
        // An API client: no cookie, no Origin.
        assert!(same_origin(&headers(&[host]), true));
        // `Origin: null` from this site's own no-referrer page, as the browser vouches.
        let own = headers(&[host, ("origin", "null"), ("sec-fetch-site", "same-origin")]);
        assert!(same_origin(&own, true));
        let framed = headers(&[host, ("origin", "null"), ("sec-fetch-site", "cross-site")]);
        assert!(!same_origin(&framed, true));
    }
}
