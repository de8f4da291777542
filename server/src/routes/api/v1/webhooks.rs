//! `POST /api/v1/webhooks/stripe` on the main host: Stripe's events, checked against the raw
//! body's `Stripe-Signature` (400 when forged or stale) and applied once each; everything
//! verified is answered 200, also events Oikos ignores and repeats.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use oikos::AppContext;
use oikos_web::ApiError;

pub async fn stripe(
    State(ctx): State<AppContext>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<StatusCode, ApiError> {
    let signature = headers
        .get("stripe-signature")
        .and_then(|value| value.to_str().ok());
    oikos::billing::webhooks::receive(&ctx, signature, &body).await?;
    Ok(StatusCode::OK)
}
