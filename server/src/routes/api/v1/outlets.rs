//! `/api/v1/outlets`: the current tenant's outlets (PRODUCT.md §5). Members read; a
//! TENANT_ADMIN manages; another tenant's outlet id is 404; the plan's limit is
//! `403 plan_limit_reached`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use oikos::outlets::{self, Outlet, OutletInput, OutletStats};
use oikos::tenancy::{OutletId, TenantScope};
use oikos::AppContext;
use oikos_app::context::RequestContext;

use crate::error::ApiError;
use crate::extract::JsonBody;

async fn scope(ctx: &AppContext, request: &RequestContext) -> Result<TenantScope, ApiError> {
    Ok(request.tenant_scope(&ctx.db).await?)
}

fn outlet_id(id: &str) -> Result<OutletId, ApiError> {
    Ok(id.parse().map_err(|_| oikos::Error::NotFound)?)
}

pub async fn list(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
) -> Result<Json<Vec<Outlet>>, ApiError> {
    let scope = scope(&ctx, &request).await?;
    Ok(Json(outlets::list(&ctx.db, &scope).await?))
}

pub async fn create(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    JsonBody(input): JsonBody<OutletInput>,
) -> Result<(StatusCode, Json<Outlet>), ApiError> {
    let scope = scope(&ctx, &request).await?;
    Ok((
        StatusCode::CREATED,
        Json(outlets::create(&ctx, &scope, &input).await?),
    ))
}

pub async fn stats(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
) -> Result<Json<OutletStats>, ApiError> {
    let scope = scope(&ctx, &request).await?;
    Ok(Json(outlets::stats(&ctx.db, &scope).await?))
}

pub async fn show(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    Path(id): Path<String>,
) -> Result<Json<Outlet>, ApiError> {
    let scope = scope(&ctx, &request).await?;
    Ok(Json(outlets::get(&ctx.db, &scope, outlet_id(&id)?).await?))
}

pub async fn update(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<OutletInput>,
) -> Result<Json<Outlet>, ApiError> {
    let scope = scope(&ctx, &request).await?;
    Ok(Json(
        outlets::update(&ctx.db, &scope, outlet_id(&id)?, &input).await?,
    ))
}

pub async fn delete(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let scope = scope(&ctx, &request).await?;
    outlets::delete(&ctx.db, &scope, outlet_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
