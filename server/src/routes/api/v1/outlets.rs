//! `/api/v1/outlets`: the current tenant's outlets (PRODUCT.md §5). Members read; a
//! TENANT_ADMIN manages; another tenant's outlet id is 404; the plan's limit is
//! `403 plan_limit_reached`.

use axum::http::StatusCode;
use axum::Json;
use oikos::outlets::{self, Outlet, OutletInput, OutletStats};
use oikos::tenancy::OutletId;
use oikos_web::{ApiError, JsonBody, PathId, Scoped};

pub async fn list(Scoped { ctx, scope }: Scoped) -> Result<Json<Vec<Outlet>>, ApiError> {
    Ok(Json(outlets::list(&ctx.db, &scope).await?))
}

pub async fn create(
    Scoped { ctx, scope }: Scoped,
    JsonBody(input): JsonBody<OutletInput>,
) -> Result<(StatusCode, Json<Outlet>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(outlets::create(&ctx, &scope, &input).await?),
    ))
}

pub async fn stats(Scoped { ctx, scope }: Scoped) -> Result<Json<OutletStats>, ApiError> {
    Ok(Json(outlets::stats(&ctx.db, &scope).await?))
}

pub async fn show(
    Scoped { ctx, scope }: Scoped,
    PathId(id): PathId<OutletId>,
) -> Result<Json<Outlet>, ApiError> {
    Ok(Json(outlets::get(&ctx.db, &scope, id).await?))
}

pub async fn update(
    Scoped { ctx, scope }: Scoped,
    PathId(id): PathId<OutletId>,
    JsonBody(input): JsonBody<OutletInput>,
) -> Result<Json<Outlet>, ApiError> {
    Ok(Json(outlets::update(&ctx.db, &scope, id, &input).await?))
}

pub async fn delete(
    Scoped { ctx, scope }: Scoped,
    PathId(id): PathId<OutletId>,
) -> Result<StatusCode, ApiError> {
    outlets::delete(&ctx.db, &scope, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
