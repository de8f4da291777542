//! Extractors whose rejections answer in the API's JSON error shape, like every other error.

use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRef, FromRequest, FromRequestParts};
use axum::http::request::Parts;
use oikos::partners::api_keys::{self, Partner};
use oikos::tenancy::AdminScope;
use oikos::AppContext;
use oikos_app::context::RequestContext;

use crate::error::ApiError;

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
        let secret = crate::auth::bearer(&parts.headers).ok_or(oikos::Error::Unauthorized)?;
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
