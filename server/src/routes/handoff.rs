//! `GET /auth/handoff?token=…&then=…` on a tenant's portal: redeems the handoff token that
//! the main site (or another portal) issued, starts this host's own session with the id
//! rotated, and shows `then`. A used, expired or foreign token leads to the portal's sign-in
//! page with a notice. The token is gone from the address bar at once, and the answer is
//! never cached nor sent on as a referrer. `GET /auth/impersonate` does the same for a super
//! admin's impersonation.
//!
//! Only a link followed from the site itself is redeemed by the `GET` (`Sec-Fetch-Site`
//! `same-origin` or `same-site`, or a `Referer` on this installation): one opened from a mail,
//! a chat or another site goes to `/auth/continue`, which names the account and the workspace
//! and redeems it only when "Continue" posts it back (`POST /auth/handoff`).

use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use oikos::identity::sessions::SessionAuth;
use oikos::identity::{handoff, impersonation};
use oikos::AppContext;
use oikos_web::request::{RequestContext, Site};
use oikos_web::session::start_session;
use oikos_web::ApiError;
use serde::Deserialize;
use tower_sessions::Session;

#[derive(Deserialize)]
pub struct Params {
    #[serde(default)]
    token: String,
    then: Option<String>,
}

pub async fn handoff(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    session: Session,
    headers: HeaderMap,
    Query(params): Query<Params>,
) -> Result<Response, ApiError> {
    let Site::Tenant(_) = &request.site else {
        return Ok(StatusCode::NOT_FOUND.into_response());
    };
    if !from_the_site(&ctx, &headers) {
        let query = serde_urlencoded::to_string([
            ("token", params.token.as_str()),
            ("then", params.then.as_deref().unwrap_or_default()),
        ])
        .unwrap_or_default();
        return Ok(private(Redirect::to(
            &request.path(&format!("/auth/continue?{query}")),
        )));
    }
    redeem(&ctx, &request, &session, params).await
}

/// `POST /auth/handoff` (token and `then` as form fields): the "Continue" of
/// `/auth/continue`. The cross-site check has already made sure it comes from this portal.
pub async fn handoff_confirmed(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    session: Session,
    Form(params): Form<Params>,
) -> Result<Response, ApiError> {
    redeem(&ctx, &request, &session, params).await
}

async fn redeem(
    ctx: &AppContext,
    request: &RequestContext,
    session: &Session,
    params: Params,
) -> Result<Response, ApiError> {
    let Site::Tenant(portal) = &request.site else {
        return Ok(StatusCode::NOT_FOUND.into_response());
    };
    let redeemed = handoff::redeem(ctx, portal, &params.token).await;
    let then = params.then.as_deref().and_then(oikos::links::local_path);
    open_session(request, session, redeemed, then.unwrap_or(handoff::LANDING)).await
}

/// Whether the browser followed the link from a page of this installation: it says so in
/// `Sec-Fetch-Site`, or in a `Referer` naming one of its pages (which a page elsewhere can
/// withhold but not forge). The `Referer` also covers installations whose main site and
/// portals are different sites to the browser (`127.0.0.1` and `*.localhost` in development).
fn from_the_site(ctx: &AppContext, headers: &HeaderMap) -> bool {
    let text = |name| headers.get(name).and_then(|v| v.to_str().ok());
    matches!(text("sec-fetch-site"), Some("same-origin" | "same-site"))
        || text(header::REFERER.as_str()).is_some_and(|referer| ctx.links.is_own_site(referer))
}

#[derive(Deserialize)]
pub struct ImpersonationParams {
    #[serde(default)]
    id: String,
    #[serde(default)]
    token: String,
}

/// `GET /auth/impersonate?id=…&token=…` on a tenant's portal: the same for the token a
/// super admin's impersonation issued (`oikos::identity::impersonation`).
pub async fn impersonate(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    session: Session,
    Query(params): Query<ImpersonationParams>,
) -> Result<Response, ApiError> {
    let Site::Tenant(portal) = &request.site else {
        return Ok(StatusCode::NOT_FOUND.into_response());
    };
    let redeemed = impersonation::redeem(&ctx, portal, &params.id, &params.token).await;
    open_session(&request, &session, redeemed, handoff::LANDING).await
}

/// Starts the portal's session from a redeemed token and shows `then`; a token that
/// redeemed nothing leads to the sign-in page with a notice.
async fn open_session(
    request: &RequestContext,
    session: &Session,
    redeemed: oikos::Result<SessionAuth>,
    then: &str,
) -> Result<Response, ApiError> {
    let target = match redeemed {
        Ok(auth) => {
            start_session(session, auth, &request.client()).await?;
            then.to_owned()
        }
        Err(oikos::Error::NotFound) => "/login?handoff=expired".to_owned(),
        Err(err) => return Err(err.into()),
    };
    Ok(private(Redirect::to(&request.path(&target))))
}

/// The answer, never cached nor sent on as a referrer (the token is in the address).
fn private(redirect: Redirect) -> Response {
    let mut response = redirect.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    response
}
