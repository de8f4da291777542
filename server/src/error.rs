//! Core errors as REST answers: the status (from the one mapping, `oikos_app::error::status_of`)
//! plus the JSON error shape `{"error": {"code", "message", "fields"}}`. Internal errors are logged here, inside the
//! request's span (so with its request id), and answered with a generic message.

use std::collections::BTreeMap;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

pub struct ApiError {
    status: StatusCode,
    body: ErrorBody,
    retry_after: Option<u64>,
}

#[derive(Serialize)]
struct ErrorBody {
    error: ErrorDetail,
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ErrorDetail {
    /// Stable and machine-readable: `not_found`, `validation_failed`, …
    code: String,
    /// For people.
    message: String,
    /// Field name to what is wrong with it.
    fields: BTreeMap<String, String>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            body: ErrorBody {
                error: ErrorDetail {
                    code: code.to_owned(),
                    message: message.into(),
                    fields: BTreeMap::new(),
                },
            },
            retry_after: None,
        }
    }
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The JSON body this error answers with.
    pub fn body(&self) -> serde_json::Value {
        serde_json::to_value(&self.body).unwrap_or_default()
    }
}

impl From<oikos::Error> for ApiError {
    fn from(err: oikos::Error) -> Self {
        use oikos::Error;
        if let Error::Internal(internal) = &err {
            tracing::error!(error = format!("{internal:#}"), "request failed");
        }
        let status = oikos_app::error::status_of(&err);
        let retry_after = match &err {
            Error::RateLimited { retry_after } => Some(retry_after.as_secs().max(1)),
            _ => None,
        };
        let mut api_error = ApiError::new(status, err.code(), err.public_message());
        api_error.body.error.fields = err.fields();
        api_error.retry_after = retry_after;
        api_error
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (self.status, Json(self.body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}
