//! The REST API: `/api/v1/…`, and JSON 404s for every other `/api/…` path.

use oikos_web::ApiError;

pub mod openapi;
pub mod provisioning;
pub mod v1;

use axum::http::{Method, StatusCode, Uri};

/// Unknown `/api/…` routes answer in the API's JSON error shape, never with an HTML page.
pub async fn not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("No API route matches {method} {}.", uri.path()),
    )
}
