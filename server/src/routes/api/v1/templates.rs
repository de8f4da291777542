//! `GET /api/v1/staff/positions/templates` and `GET /api/v1/services/categories/templates`:
//! the current tenant's suggestions for staff and service forms, for any member.

use axum::extract::State;
use axum::{Extension, Json};
use oikos::tenants::settings::{self, TenantSettings};
use oikos::AppContext;
use oikos_app::context::RequestContext;
use serde::Serialize;

use crate::error::ApiError;

#[derive(Serialize)]
pub struct Templates {
    templates: Vec<String>,
}

async fn current(ctx: &AppContext, request: &RequestContext) -> Result<TenantSettings, ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
    Ok(settings::get(&ctx.db, &scope).await?)
}

pub async fn positions(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
) -> Result<Json<Templates>, ApiError> {
    let templates = current(&ctx, &request).await?.staff_position_templates;
    Ok(Json(Templates { templates }))
}

pub async fn categories(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
) -> Result<Json<Templates>, ApiError> {
    let templates = current(&ctx, &request).await?.service_category_templates;
    Ok(Json(Templates { templates }))
}
