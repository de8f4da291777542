//! What a handler takes from its request, each answering a refusal in the API's JSON error
//! shape like every other error: the caller's scope in the request's tenant ([`Scoped`], for
//! REST handlers and server functions alike), an id from the path ([`PathId`]), a super
//! admin ([`Admin`]), a partner's key ([`PartnerKey`]) and a JSON body ([`JsonBody`]).

use std::str::FromStr;

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRef, FromRequest, FromRequestParts, Path};
use axum::http::request::Parts;
use oikos::partners::api_keys::{self, Partner};
use oikos::tenancy::{AdminScope, TenantScope};
use oikos::AppContext;

use crate::request::{self, RequestContext};
use crate::status::ApiError;

/// The request's context, which the server's middleware put into every request.
fn context(parts: &Parts) -> Result<&RequestContext, oikos::Error> {
    parts
        .extensions
        .get::<RequestContext>()
        .ok_or_else(|| oikos::Error::Internal(anyhow::anyhow!("no request context")))
}

/// The core's context and the caller's scope in the tenant the request is for (its portal,
/// `X-Tenant-Slug` or the session's workspace): the check every tenant-scoped handler
/// passes first, resolved once per request however many handlers ask.
pub struct Scoped {
    pub ctx: AppContext,
    pub scope: TenantScope,
}

impl Scoped {
    /// The same, inside a server function.
    pub async fn current() -> Result<Scoped, oikos::Error> {
        let ctx = request::app_context()?;
        let scope = request::request_context()?.tenant_scope(&ctx.db).await?;
        Ok(Scoped { ctx, scope })
    }
}

impl<S> FromRequestParts<S> for Scoped
where
    AppContext: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = AppContext::from_ref(state);
        let scope = context(parts)?.tenant_scope(&ctx.db).await?;
        Ok(Scoped { ctx, scope })
    }
}

/// The one path parameter as an id (`/outlets/{id}`): text that is no such id names nothing,
/// so it is `404`, like an id of another tenant's.
pub struct PathId<T>(pub T);

impl<S, T> FromRequestParts<S> for PathId<T>
where
    S: Send + Sync,
    T: FromStr + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let Path(text) = Path::<String>::from_request_parts(parts, state)
            .await
            .map_err(|_| oikos::Error::NotFound)?;
        let id = text.parse().map_err(|_| oikos::Error::NotFound)?;
        Ok(PathId(id))
    }
}

/// A JSON request body: 400 when unreadable, 415 without `Content-Type: application/json`,
/// 422 when a field has the wrong type, 413 over the body limit.
#[derive(FromRequest)]
#[from_request(via(axum::Json), rejection(ApiError))]
pub struct JsonBody<T>(pub T);

impl From<JsonRejection> for ApiError {
    fn from(rejection: JsonRejection) -> Self {
        ApiError::new(rejection.status(), "invalid_body", rejection.body_text())
    }
}

/// The partner whose API key (`Authorization: Bearer oik_…`) the request carries: 401
/// without a valid one (a user's access token is not a key).
pub struct PartnerKey(pub Partner);

impl<S> FromRequestParts<S> for PartnerKey
where
    AppContext: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = AppContext::from_ref(state);
        let secret = request::bearer(&parts.headers).ok_or(oikos::Error::Unauthorized)?;
        Ok(PartnerKey(
            api_keys::authenticate(&ctx.db, &ctx.seals, secret).await?,
        ))
    }
}

/// A super admin's scope: 401 for a visitor, 404 for anyone else (the admin surface stays
/// hidden).
pub struct Admin(pub AdminScope);

impl<S: Send + Sync> FromRequestParts<S> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let request = parts
            .extensions
            .get::<RequestContext>()
            .ok_or(oikos::Error::Unauthorized)?;
        Ok(Admin(AdminScope::resolve(
            &request.caller()?.auth.principal,
        )?))
    }
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::{Request, StatusCode};
    use axum::routing::get;
    use axum::Router;
    use tower::ServiceExt as _;

    use super::PathId;
    use crate::status::ApiError;

    async fn answer(path: &str) -> (StatusCode, String) {
        let doubled =
            |PathId(n): PathId<u32>| async move { Ok::<_, ApiError>((n * 2).to_string()) };
        let app = Router::new().route("/things/{id}", get(doubled));
        let request = Request::get(path).body(Body::empty()).unwrap();
        let response = app.oneshot(request).await.unwrap();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1024)
            .await
            .unwrap();
        (status, String::from_utf8_lossy(&body).into_owned())
    }

    #[tokio::test]
    async fn a_path_id_is_parsed_or_not_found() {
        assert_eq!(
            answer("/things/21").await,
            (StatusCode::OK, "42".to_owned())
        );
        let (status, body) = answer("/things/twenty-one").await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert!(body.contains(r#""code":"not_found""#), "{body}");
    }
}
