//! `AppError`: what a server function returns when it fails, in the same shape as the REST
//! API's errors (code, message, field errors) so forms can show messages in place.

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
        // Transport failures (offline, server restarting) reach the user as a retryable error.
        AppError::new(
            "request_failed",
            format!("The request could not be completed: {err}"),
        )
    }
}

#[cfg(feature = "ssr")]
impl From<oikos::Error> for AppError {
    fn from(err: oikos::Error) -> Self {
        if let oikos::Error::Internal(internal) = &err {
            tracing::error!(error = format!("{internal:#}"), "server function failed");
        }
        AppError {
            code: err.code().to_owned(),
            message: err.public_message(),
            fields: err.fields(),
        }
    }
}
