//! Extractors whose rejections answer in the API's JSON error shape, like every other error.

use axum::extract::rejection::JsonRejection;
use axum::extract::FromRequest;

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
