//! Plain form posts. Every form in the UI posts to its server function; when one fails,
//! Leptos sends the browser back to the form's page with the error in the URL (`__err`).
//! This middleware keeps what was typed for that page (in the session, between the two
//! requests), so the fields show it again next to their errors: a failed submit loses
//! nothing. Passwords, tokens and secrets are never kept (see [`Typed::from_form`]).

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
    let failed = response
        .headers()
        .get(header::LOCATION)
        .and_then(|location| location.to_str().ok())
        .is_some_and(|location| location.contains("__err="));
    if failed && !typed.is_empty() {
        if let Err(err) = session.insert(Typed::SESSION_KEY, typed).await {
            tracing::warn!(error = %err, "could not keep a form's typed values");
        }
    }
    response
}

async fn page(session: Session, mut request: Request, next: Next) -> Response {
    match session.remove::<Typed>(Typed::SESSION_KEY).await {
        Ok(Some(typed)) => {
            request.extensions_mut().insert(typed);
        }
        Ok(None) => {}
        Err(err) => tracing::warn!(error = %err, "could not read a form's typed values"),
    }
    next.run(request).await
}
