use axum::http::{Method, StatusCode, Uri};

use crate::error::ApiError;

/// Unknown `/api/…` routes answer in the API's JSON error shape, never with an HTML page.
pub async fn not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("No API route matches {method} {}.", uri.path()),
    )
}
