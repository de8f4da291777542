//! How every core error answers, in one place: its HTTP status ([`status_of`], for the REST
//! API and the server functions alike) and, for the REST API and the middleware, the JSON
//! error shape `{"error": {"code", "message", "fields"}}` ([`ApiError`]). Internal errors are
//! logged here, inside the request's span (so with its request id), and answered with a
//! generic message.

use std::collections::BTreeMap;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// The HTTP status of a core error: the one mapping, for server functions and REST alike.
pub fn status_of(err: &oikos::Error) -> StatusCode {
    use oikos::Error;
    match err {
        Error::NotFound => StatusCode::NOT_FOUND,
        Error::Forbidden | Error::TenantMismatch | Error::TenantInactive | Error::PlanLimit => {
            StatusCode::FORBIDDEN
        }
        Error::Unauthorized | Error::InvalidCredentials => StatusCode::UNAUTHORIZED,
        Error::EmailNotVerified => StatusCode::FORBIDDEN,
        Error::InvalidToken | Error::TenantRequired => StatusCode::BAD_REQUEST,
        Error::Conflict { .. } | Error::LastAdmin => StatusCode::CONFLICT,
        Error::InvitationForAnotherEmail => StatusCode::FORBIDDEN,
        Error::InvitationClosed { .. } => StatusCode::GONE,
        Error::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        Error::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        Error::BillingDisabled
        | Error::BillingEnabled
        | Error::PaymentMethodInUse
        | Error::IdempotencyKeyInUse => StatusCode::CONFLICT,
        Error::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
        Error::PaymentMethodRequired | Error::PaymentFailed { .. } => StatusCode::PAYMENT_REQUIRED,
        Error::BadSignature => StatusCode::BAD_REQUEST,
        Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// A REST answer for an error: its status and the JSON error shape.
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
pub struct ErrorDetail {
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
        let status = status_of(&err);
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
