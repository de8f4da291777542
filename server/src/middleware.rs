//! The layers every response passes: request ids, structured request logs, security headers,
//! and the limits that keep one client from holding the server (timeouts, body size, panics).

use std::any::Any;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{MatchedPath, Request as AxumRequest};
use axum::http::{header, HeaderName, HeaderValue, Request, Response, StatusCode};
use axum::middleware::{map_request, Next};
use axum::response::IntoResponse;
use axum::Router;
use oikos_web::ApiError;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

/// The largest request body accepted (forms, JSON, a logo upload later): larger is 413.
pub const BODY_LIMIT: usize = 2 * 1024 * 1024;
/// A request taking longer is answered 408 and its work dropped.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Adds request ids and logging around `router`: the id comes from `X-Request-Id` when the
/// client (or a proxy) sends one, else a new UUID; it is logged with every line of the request
/// and returned in the response. Logs name the matched route template, never the raw path
/// (which can hold a token).
pub fn observe<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    let trace = TraceLayer::new_for_http()
        .make_span_with(|request: &Request<_>| {
            let request_id = request
                .headers()
                .get(&REQUEST_ID)
                .and_then(|id| id.to_str().ok())
                .unwrap_or_default();
            let route = request
                .extensions()
                .get::<MatchedPath>()
                .map_or("unmatched", MatchedPath::as_str);
            tracing::info_span!(
                "request",
                request_id,
                method = %request.method(),
                route,
            )
        })
        .on_response(DefaultOnResponse::new().level(Level::INFO));
    router.layer(
        ServiceBuilder::new()
            .layer(map_request(drop_unsafe_request_id))
            .layer(SetRequestIdLayer::new(REQUEST_ID, CountedRequestId::new()))
            .layer(trace)
            .layer(PropagateRequestIdLayer::new(REQUEST_ID)),
    )
}

/// New request ids, in UUID form: a random half drawn once per process and a counter, so
/// they are unique across processes without asking the system for randomness (a system
/// call) per request. They name requests in logs; they are not secrets.
#[derive(Clone)]
struct CountedRequestId {
    process: u64,
    count: Arc<AtomicU64>,
}

impl CountedRequestId {
    fn new() -> Self {
        CountedRequestId {
            process: uuid::Uuid::new_v4().as_u64_pair().0,
            count: Arc::new(AtomicU64::new(0)),
        }
    }
}

impl MakeRequestId for CountedRequestId {
    fn make_request_id<B>(&mut self, _: &Request<B>) -> Option<RequestId> {
        let count = self.count.fetch_add(1, Ordering::Relaxed);
        let mut bytes = [0; 16];
        bytes[..8].copy_from_slice(&self.process.to_be_bytes());
        bytes[8..].copy_from_slice(&count.to_be_bytes());
        let id = uuid::Builder::from_custom_bytes(bytes).into_uuid();
        let mut text = [0; uuid::fmt::Hyphenated::LENGTH];
        let text = id.hyphenated().encode_lower(&mut text);
        HeaderValue::from_str(text).ok().map(RequestId::new)
    }
}

/// A request id from outside reaches logs and the response only when it is short and plain;
/// otherwise a new one is made.
async fn drop_unsafe_request_id<B>(mut request: Request<B>) -> Request<B> {
    let safe = |id: &HeaderValue| {
        (1..=64).contains(&id.len())
            && id
                .as_bytes()
                .iter()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    if request
        .headers()
        .get(&REQUEST_ID)
        .is_some_and(|id| !safe(id))
    {
        request.headers_mut().remove(&REQUEST_ID);
    }
    request
}

/// Security headers for every response. Pages set their own Content-Security-Policy (with the
/// nonce of their inline hydration script); everything else gets the same policy without one.
pub fn secure<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    links: &oikos::links::Links,
    https: bool,
) -> Router<S> {
    let policy =
        oikos_web::security::content_security_policy(None, links.form_targets().as_deref(), None);
    let csp = HeaderValue::from_str(&policy).unwrap_or(HeaderValue::from_static(
        "default-src 'self'; frame-ancestors 'none'",
    ));
    let mut router = router.layer(
        ServiceBuilder::new()
            .layer(SetResponseHeaderLayer::if_not_present(
                header::CONTENT_SECURITY_POLICY,
                csp,
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::X_CONTENT_TYPE_OPTIONS,
                HeaderValue::from_static("nosniff"),
            ))
            // A stricter policy set by a handler (the handoff's `no-referrer`) stands.
            .layer(SetResponseHeaderLayer::if_not_present(
                header::REFERRER_POLICY,
                HeaderValue::from_static("strict-origin-when-cross-origin"),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                header::X_FRAME_OPTIONS,
                HeaderValue::from_static("DENY"),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                HeaderName::from_static("cross-origin-opener-policy"),
                HeaderValue::from_static("same-origin"),
            ))
            .layer(SetResponseHeaderLayer::overriding(
                HeaderName::from_static("permissions-policy"),
                HeaderValue::from_static("camera=(), microphone=(), geolocation=()"),
            )),
    );
    if https {
        router = router.layer(SetResponseHeaderLayer::overriding(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=63072000; includeSubDomains"),
        ));
    }
    router
}

/// Bounds every request: a body over [`BODY_LIMIT`] is 413, a request over
/// [`REQUEST_TIMEOUT`] is 408, and a panic in a handler answers the API's JSON 500 (with the
/// request id) instead of dropping the connection.
pub fn harden<S: Clone + Send + Sync + 'static>(router: Router<S>) -> Router<S> {
    // Outermost first, in one layer (see `routes::router`); the panic's explanation outside.
    router
        .layer(
            ServiceBuilder::new()
                .layer(CatchPanicLayer::custom(panicked))
                .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
                .layer(TimeoutLayer::with_status_code(
                    StatusCode::REQUEST_TIMEOUT,
                    REQUEST_TIMEOUT,
                )),
        )
        .layer(axum::middleware::from_fn(explain_panic))
}

/// Marks the response of a request whose handler panicked.
#[derive(Clone, Copy)]
struct Panicked;

fn panicked(_payload: Box<dyn Any + Send + 'static>) -> Response<Body> {
    let mut response = StatusCode::INTERNAL_SERVER_ERROR.into_response();
    response.extensions_mut().insert(Panicked);
    response
}

/// Turns a panic's bare 500 into the JSON error, logged with the request id, which it also
/// names in the message so a user can quote it to the operator.
async fn explain_panic(request: AxumRequest, next: Next) -> axum::response::Response {
    let request_id = request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|id| id.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let response = next.run(request).await;
    if response.extensions().get::<Panicked>().is_none() {
        return response;
    }
    tracing::error!(request_id, "a handler panicked");
    ApiError::new(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal_error",
        format!("Something went wrong on our side (request {request_id})."),
    )
    .into_response()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use axum::routing::{get, post};
    use tower::ServiceExt as _;

    use super::*;

    async fn boom() -> &'static str {
        panic!("handler bug")
    }

    fn app() -> Router {
        let router = Router::new().route("/boom", get(boom)).route(
            "/echo",
            post(|body: String| async move { body.len().to_string() }),
        );
        observe(harden(router))
    }

    #[tokio::test]
    async fn a_panicking_handler_answers_json_500_with_the_request_id() {
        let request = Request::get("/boom")
            .header("x-request-id", "req-42")
            .body(Body::empty())
            .unwrap();
        let response = app().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(response.headers()["x-request-id"], "req-42");
        let body = axum::body::to_bytes(response.into_body(), 4096)
            .await
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(json["error"]["code"], "internal_error");
        assert!(
            json["error"]["message"]
                .as_str()
                .unwrap()
                .contains("req-42"),
            "{json}"
        );
    }

    #[tokio::test]
    async fn bodies_over_the_limit_are_refused_with_413() {
        let small = Request::post("/echo").body(Body::from("hello")).unwrap();
        assert_eq!(app().oneshot(small).await.unwrap().status(), StatusCode::OK);
        let big = Request::post("/echo")
            .body(Body::from(vec![b'x'; BODY_LIMIT + 1]))
            .unwrap();
        assert_eq!(
            app().oneshot(big).await.unwrap().status(),
            StatusCode::PAYLOAD_TOO_LARGE
        );
    }
}
