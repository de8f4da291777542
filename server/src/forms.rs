//! Plain form posts. Every form in the UI posts to its server function; when one fails,
//! Leptos sends the browser back to the form's page with the error in the URL (`__err`).
//! This middleware keeps what was typed for that page (in the session, between the two
//! requests), so the fields show it again next to their errors: a failed submit loses
//! nothing. Passwords, tokens and secrets are never kept (see [`Typed::from_form`]).
//!
//! Anyone can write a link with an `__err` of their choosing ("Account locked: call …"),
//! so the page shows the URL's error word for word only when it is the one this server just
//! sent to this session; any other is reworded from its code and field names alone
//! ([`oikos_app::error::reworded`]).

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use oikos_app::context::Typed;
use tower_sessions::Session;

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
            "__err" => oikos_app::error::reworded(&value).map(|value| (name, value)),
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
