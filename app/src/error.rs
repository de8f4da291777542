//! `AppError`: what a server function returns when it fails, in the same shape as the REST
//! API's errors (code, message, field errors) so forms can show messages in place. With `ssr`,
//! a core error becomes one with the status `oikos_web::status_of` gives it.

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

/// Sets a failed server function's status, except for a plain form post (no JavaScript):
/// Leptos answers that with a redirect back to the form's page, the error in its URL, and a
/// 4xx status would stop the browser from following it.
#[cfg(feature = "ssr")]
fn set_status(status: http::StatusCode) {
    use leptos::prelude::use_context;
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        if !oikos_web::request::plain_form_post() {
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
        set_status(oikos_web::status_of(&err));
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
