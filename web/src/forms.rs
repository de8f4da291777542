//! Plain form posts. Every form in the UI posts to its server function; when one fails,
//! Leptos sends the browser back to the form's page with the error in the URL (`__err`).
//! This middleware keeps what was typed for that page (in the session, between the two
//! requests), so the fields show it again next to their errors: a failed submit loses
//! nothing. Passwords, tokens and secrets are never kept (see [`Typed::from_form`]).
//!
//! Anyone can write a link with an `__err` of their choosing ("Account locked: call …"),
//! so the page shows the URL's error word for word only when it is the one this server just
//! sent to this session; any other is reworded from its code and field names alone
//! ([`reworded`]).

use std::collections::BTreeMap;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use leptos::prelude::use_context;
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

/// The middleware: keeps a failed plain post's fields, and rewords a foreign `__err`.
pub async fn keep_typed(request: Request, next: Next) -> Response {
    let Some(session) = request.extensions().get::<Session>().cloned() else {
        return next.run(request).await;
    };
    if is_plain_form_post(&request) {
        return post(session, request, next).await;
    }
    if request.method() == Method::GET && failed_post_page(&request) {
        return page(session, request, next).await;
    }
    next.run(request).await
}

/// A browser's form post (not a script's call) to a server function.
fn is_plain_form_post(request: &Request) -> bool {
    let header_has = |name, value: &str| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.contains(value))
    };
    request.method() == Method::POST
        && request.uri().path().starts_with("/api/")
        && header_has(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        && header_has(header::ACCEPT, "text/html")
}

/// The page a failed plain post sent the browser back to.
fn failed_post_page(request: &Request) -> bool {
    request
        .uri()
        .query()
        .is_some_and(|query| query.contains("__err="))
}

async fn post(session: Session, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    // The body is already bounded by the body limit; over it, the limit's answer.
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    };
    let typed = Typed::from_form(parts.uri.path(), &bytes);
    let response = next
        .run(Request::from_parts(parts, Body::from(bytes)))
        .await;
    let sent_error = response
        .headers()
        .get(header::LOCATION)
        .and_then(|location| location.to_str().ok())
        .and_then(url_error);
    if let Some(error) = sent_error {
        if let Err(err) = session
            .insert(Typed::SESSION_KEY, typed.with_error(error))
            .await
        {
            tracing::warn!(error = %err, "could not keep a form's typed values");
        }
    }
    response
}

async fn page(session: Session, mut request: Request, next: Next) -> Response {
    let typed = match session.remove::<Typed>(Typed::SESSION_KEY).await {
        Ok(typed) => typed,
        Err(err) => {
            tracing::warn!(error = %err, "could not read a form's typed values");
            None
        }
    };
    reword_foreign_error(&mut request, typed.as_ref().and_then(Typed::error));
    if let Some(typed) = typed {
        request.extensions_mut().insert(typed);
    }
    next.run(request).await
}

/// The `__err` value of a URL or path with a query.
fn url_error(location: &str) -> Option<String> {
    let (_, query) = location.split_once('?')?;
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).ok()?;
    pairs
        .into_iter()
        .find_map(|(name, value)| (name == "__err").then_some(value))
}

/// Rewrites the request's `__err` unless it is `sent`, the one this server sent this
/// session: a foreign one keeps only its code and field names, in the server's words.
fn reword_foreign_error(request: &mut Request, sent: Option<&str>) {
    let Some(query) = request.uri().query() else {
        return;
    };
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
    if pairs
        .iter()
        .all(|(name, value)| name != "__err" || Some(value.as_str()) == sent)
    {
        return;
    }
    let pairs: Vec<(String, String)> = pairs
        .into_iter()
        .filter_map(|(name, value)| match name.as_str() {
            "__err" => reworded(&value).map(|value| (name, value)),
            _ => Some((name, value)),
        })
        .collect();
    let path = request.uri().path();
    let rewritten = match serde_urlencoded::to_string(&pairs) {
        Ok(query) if !query.is_empty() => format!("{path}?{query}"),
        _ => path.to_owned(),
    };
    if let Ok(uri) = rewritten.parse() {
        *request.uri_mut() = uri;
    }
}

/// An error as a URL carries it (`__err`, base64 of its JSON): `oikos-app`'s `AppError`.
#[derive(Serialize, Deserialize)]
struct UrlError {
    code: String,
    message: String,
    #[serde(default)]
    fields: BTreeMap<String, String>,
}

/// An error from a URL (`__err`) that this server did not just send, in the server's own
/// words: its code picks one of the messages below and each field it names gets a plain
/// hint, so a crafted link cannot put text of its choosing into the page. `None` when it
/// cannot be read.
pub fn reworded(encoded: &str) -> Option<String> {
    use base64::engine::general_purpose::URL_SAFE;
    use base64::Engine as _;
    let bytes = URL_SAFE.decode(encoded).ok()?;
    let (code, fields) = match serde_json::from_slice::<UrlError>(&bytes) {
        Ok(error) => (error.code, error.fields),
        Err(_) => ("bad_request".to_owned(), BTreeMap::new()),
    };
    let reworded = UrlError {
        message: message_for(&code).to_owned(),
        fields: fields
            .into_keys()
            .map(|field| (field, "Check this field.".to_owned()))
            .collect(),
        code,
    };
    Some(URL_SAFE.encode(serde_json::to_string(&reworded).ok()?))
}

/// What the server says for an error code when the original words cannot be trusted.
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

/// What a visitor typed into a form whose plain post failed. The server keeps it in the
/// session between the post and the page the browser is sent back to (which has `__err` in
/// its URL), so the fields show it again. Never passwords, tokens or secrets.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Typed {
    /// The server function the form posted to (`/api/save_service`).
    action: String,
    fields: Vec<(String, String)>,
    /// The `__err` the server itself put in the redirect: the only one shown word for word.
    #[serde(default)]
    error: Option<String>,
}

impl Typed {
    /// The session key it waits under.
    pub const SESSION_KEY: &'static str = "form.typed";

    /// The fields worth giving back of a form body (`application/x-www-form-urlencoded`)
    /// posted to `action`.
    pub fn from_form(action: &str, body: &[u8]) -> Self {
        let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(body).unwrap_or_default();
        Typed {
            action: action.to_owned(),
            fields: fields
                .into_iter()
                .filter(|(name, _)| {
                    let name = name.to_ascii_lowercase();
                    !["password", "token", "secret"]
                        .iter()
                        .any(|kept_out| name.contains(kept_out))
                })
                .collect(),
            error: None,
        }
    }

    /// The same, with the error the server sent back for it (the redirect's `__err`).
    pub fn with_error(self, error: String) -> Self {
        Typed {
            error: Some(error),
            ..self
        }
    }

    /// The `__err` this server sent, if it did.
    pub fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.as_str())
    }

    /// Whether the form posted to `action` sent the check box `name` with `value`; `None`
    /// when the failed post was another form's (a check box left unticked is not sent, so
    /// only its own form's body can say so).
    pub fn ticked(&self, action: &str, name: &str, value: &str) -> Option<bool> {
        (self.action == action).then(|| {
            self.fields
                .iter()
                .any(|(field, sent)| field == name && sent == value)
        })
    }
}

fn with_typed<T>(read: impl FnOnce(&Typed) -> Option<T>) -> Option<T> {
    use_context::<http::request::Parts>().and_then(|parts| read(parts.extensions.get::<Typed>()?))
}

/// What was typed into the field `name` before the failed post that led to this page.
pub fn typed(name: &str) -> Option<String> {
    with_typed(|typed| typed.get(name).map(str::to_owned))
}

/// See [`Typed::ticked`].
pub fn typed_ticked(action: &str, name: &str, value: &str) -> Option<bool> {
    with_typed(|typed| typed.ticked(action, name, value))
}
