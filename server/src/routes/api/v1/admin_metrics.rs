//! `GET /api/v1/admin/metrics`: the platform's figures for super admins (PRODUCT.md §8).

use axum::extract::State;
use axum::Json;
use oikos::tenants::metrics::{self, Metrics};
use oikos::AppContext;
use oikos_web::{Admin, ApiError};

pub async fn show(
    State(ctx): State<AppContext>,
    Admin(admin): Admin,
) -> Result<Json<Metrics>, ApiError> {
    Ok(Json(metrics::platform(&ctx.db, &admin, &ctx.plans).await?))
}
