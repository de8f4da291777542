//! `AppError`: what a server function returns when it fails, in the same shape as the REST
//! API's errors (code, message, field errors) so forms can show messages in place. With `ssr`
//! this module also holds the one mapping from core errors to HTTP statuses, used by server
//! functions here and by the server's REST error type.

use std::collections::BTreeMap;

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{message}")]
pub struct AppError {
    pub code: String,
    pub message: String,
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
}

impl AppError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        AppError {
            code: code.to_owned(),
            message: message.into(),
            fields: BTreeMap::new(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(err: ServerFnErrorErr) -> Self {
        // On the server: a request that cannot be read is the client's fault (400, or 413 past
        // the body limit), never a 500.
        #[cfg(feature = "ssr")]
        if let Some(error) = unreadable_request(&err) {
            return error;
        }
        // Transport failures (offline, server restarting) reach the user as a retryable error.
        AppError::new(
            "request_failed",
            format!("The request could not be completed: {err}"),
        )
    }
}

/// A server function's arguments that could not be read: 413 when the body was over the
/// limit, else 400, with the status set on the response.
#[cfg(feature = "ssr")]
fn unreadable_request(err: &ServerFnErrorErr) -> Option<AppError> {
    use http::StatusCode;
    let detail = match err {
        ServerFnErrorErr::Args(detail)
        | ServerFnErrorErr::MissingArg(detail)
        | ServerFnErrorErr::Deserialization(detail) => detail,
        _ => return None,
    };
    let (status, error) = if detail.contains("length limit exceeded") {
        let message = "The request is too large.";
        (
            StatusCode::PAYLOAD_TOO_LARGE,
            AppError::new("payload_too_large", message),
        )
    } else {
        let message = format!("The request could not be read: {detail}");
        (
            StatusCode::BAD_REQUEST,
            AppError::new("bad_request", message),
        )
    };
    set_status(status);
    Some(error)
}

/// An error from a URL (`__err`, base64 of its JSON) that this server did not just send, in
/// the server's own words: its code picks one of the messages below and each field it names
/// gets a plain hint, so a crafted link cannot put text of its choosing into the page. `None`
/// when it cannot be read.
#[cfg(feature = "ssr")]
pub fn reworded(encoded: &str) -> Option<String> {
    use base64::engine::general_purpose::URL_SAFE;
    use base64::Engine as _;
    let bytes = URL_SAFE.decode(encoded).ok()?;
    let error = AppError::de(bytes.into());
    let reworded = AppError {
        message: message_for(&error.code).to_owned(),
        fields: error
            .fields
            .into_keys()
            .map(|field| (field, "Check this field.".to_owned()))
            .collect(),
        code: error.code,
    };
    Some(URL_SAFE.encode(reworded.ser()))
}

/// What the server says for an error code when the original words cannot be trusted.
#[cfg(feature = "ssr")]
fn message_for(code: &str) -> &'static str {
    match code {
        "invalid_credentials" => "Incorrect email or password.",
        "email_not_verified" => "Please confirm your email address first: we sent you a link.",
        "invalid_token" => "This link is invalid, has expired or was already used.",
        "validation_error" => "Please correct the fields marked below.",
        "conflict" => "This is already taken.",
        "rate_limited" => "Too many requests: please wait a moment and try again.",
        "unauthorized" => "Please sign in.",
        "forbidden" | "tenant_mismatch" => "You do not have permission to do that.",
        "tenant_inactive" => "This workspace is inactive.",
        "not_found" => "Not found.",
        _ => "That did not work. Please try again.",
    }
}

/// The HTTP status of a core error: the one mapping, for server functions and REST alike.
#[cfg(feature = "ssr")]
pub fn status_of(err: &oikos::Error) -> http::StatusCode {
    use http::StatusCode;
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

/// Sets a failed server function's status, except for a plain form post (no JavaScript):
/// Leptos answers that with a redirect back to the form's page, the error in its URL, and a
/// 4xx status would stop the browser from following it.
#[cfg(feature = "ssr")]
fn set_status(status: http::StatusCode) {
    use leptos::prelude::use_context;
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if !crate::context::plain_form_post() {
            response.set_status(status);
        }
    }
}

/// A failed server function answers with the error's status (not 500) and its JSON.
#[cfg(feature = "ssr")]
impl From<oikos::Error> for AppError {
    fn from(err: oikos::Error) -> Self {
        if let oikos::Error::Internal(internal) = &err {
            tracing::error!(error = format!("{internal:#}"), "server function failed");
        }
        set_status(status_of(&err));
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            if let oikos::Error::RateLimited { retry_after } = &err {
                response.insert_header(
                    http::header::RETRY_AFTER,
                    retry_after.as_secs().max(1).into(),
                );
            }
        }
        AppError {
            code: err.code().to_owned(),
            message: err.public_message(),
            fields: err.fields(),
        }
    }
}
