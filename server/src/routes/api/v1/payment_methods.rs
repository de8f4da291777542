//! `/api/v1/payment-methods`: the current tenant's cards (TENANT_ADMIN). A card is collected
//! by Stripe.js with the SetupIntent's secret, then attached by its id.

use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use oikos::billing::payments::{self, Card, CardSetup};
use oikos_web::{ApiError, JsonBody, Scoped};
use serde::Deserialize;

pub async fn setup_intent(Scoped { ctx, scope }: Scoped) -> Result<Json<CardSetup>, ApiError> {
    Ok(Json(payments::setup_card(&ctx, &scope).await?))
}

#[derive(Deserialize)]
pub struct NewCard {
    #[serde(default)]
    payment_method_id: String,
}

pub async fn add(
    Scoped { ctx, scope }: Scoped,
    JsonBody(body): JsonBody<NewCard>,
) -> Result<(StatusCode, Json<Card>), ApiError> {
    let card = payments::add_card(&ctx, &scope, &body.payment_method_id).await?;
    Ok((StatusCode::CREATED, Json(card)))
}

pub async fn list(Scoped { ctx, scope }: Scoped) -> Result<Json<Vec<Card>>, ApiError> {
    Ok(Json(payments::cards(&ctx, &scope).await?))
}

pub async fn make_default(
    Scoped { ctx, scope }: Scoped,
    Path(id): Path<String>,
) -> Result<Json<Card>, ApiError> {
    Ok(Json(payments::make_default(&ctx, &scope, &id).await?))
}

pub async fn delete(
    Scoped { ctx, scope }: Scoped,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    payments::delete_card(&ctx, &scope, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
