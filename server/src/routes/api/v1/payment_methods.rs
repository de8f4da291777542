//! `/api/v1/payment-methods`: the current tenant's cards (TENANT_ADMIN). A card is collected
//! by Stripe.js with the SetupIntent's secret, then attached by its id.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use oikos::billing::payments::{self, Card, CardSetup};
use oikos::AppContext;
use oikos_app::context::RequestContext;
use serde::Deserialize;

use crate::error::ApiError;
use crate::extract::JsonBody;

pub async fn setup_intent(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
) -> Result<Json<CardSetup>, ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
    Ok(Json(payments::setup_card(&ctx, &scope).await?))
}

#[derive(Deserialize)]
pub struct NewCard {
    #[serde(default)]
    payment_method_id: String,
}

pub async fn add(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    JsonBody(body): JsonBody<NewCard>,
) -> Result<(StatusCode, Json<Card>), ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
    let card = payments::add_card(&ctx, &scope, &body.payment_method_id).await?;
    Ok((StatusCode::CREATED, Json(card)))
}

pub async fn list(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
) -> Result<Json<Vec<Card>>, ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
    Ok(Json(payments::cards(&ctx, &scope).await?))
}

pub async fn make_default(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    Path(id): Path<String>,
) -> Result<Json<Card>, ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
    Ok(Json(payments::make_default(&ctx, &scope, &id).await?))
}

pub async fn delete(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
    payments::delete_card(&ctx, &scope, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
