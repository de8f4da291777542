//! `GET /api/v1/staff/positions/templates` and `GET /api/v1/services/categories/templates`:
//! the current tenant's suggestions for staff and service forms, for any member.

use axum::Json;
use oikos::tenants::settings::{self, TenantSettings};
use oikos_web::{ApiError, Scoped};
use serde::Serialize;

#[derive(Serialize)]
pub struct Templates {
    templates: Vec<String>,
}

async fn current(Scoped { ctx, scope }: Scoped) -> Result<TenantSettings, ApiError> {
    Ok(settings::get(&ctx.db, &scope).await?)
}

pub async fn positions(scoped: Scoped) -> Result<Json<Templates>, ApiError> {
    let templates = current(scoped).await?.staff_position_templates;
    Ok(Json(Templates { templates }))
}

pub async fn categories(scoped: Scoped) -> Result<Json<Templates>, ApiError> {
    let templates = current(scoped).await?.service_category_templates;
    Ok(Json(Templates { templates }))
}
