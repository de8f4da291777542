//! `/api/v1/services`: the current tenant's service catalog (PRODUCT.md §10). Members read;
//! managers change it; another tenant's service id is 404. Lists page with `skip` and
//! `limit`, search with `q`, filter on `category` and `outlet_id`, and give the total number
//! matching in `X-Total-Count`.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use oikos::catalog::{self, Service, ServiceInput, ServiceQuery};
use oikos::tenancy::ServiceId;
use oikos_web::{ApiError, JsonBody, PathId, Scoped};
use serde::Deserialize;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Services to skip (0 or more).
    skip: Option<i64>,
    /// Services to answer.
    limit: Option<i64>,
    /// Part of the name.
    q: Option<String>,
    /// A category, exactly.
    category: Option<String>,
    /// Only services offered at this outlet.
    outlet_id: Option<String>,
}

pub async fn list(
    Scoped { ctx, scope }: Scoped,
    Query(params): Query<ListParams>,
) -> Result<Response, ApiError> {
    let query = ServiceQuery::parse(
        params.skip,
        params.limit,
        params.q,
        params.category,
        params.outlet_id.as_deref(),
    )?;
    let (page, total) = catalog::list(&ctx.db, &scope, &query).await?;
    Ok(([("x-total-count", total.to_string())], Json(page)).into_response())
}

pub async fn create(
    Scoped { ctx, scope }: Scoped,
    JsonBody(input): JsonBody<ServiceInput>,
) -> Result<(StatusCode, Json<Service>), ApiError> {
    let service = catalog::create(&ctx.db, &scope, &input).await?;
    Ok((StatusCode::CREATED, Json(service)))
}

pub async fn show(
    Scoped { ctx, scope }: Scoped,
    PathId(id): PathId<ServiceId>,
) -> Result<Json<Service>, ApiError> {
    Ok(Json(catalog::get(&ctx.db, &scope, id).await?))
}

pub async fn update(
    Scoped { ctx, scope }: Scoped,
    PathId(id): PathId<ServiceId>,
    JsonBody(input): JsonBody<ServiceInput>,
) -> Result<Json<Service>, ApiError> {
    Ok(Json(catalog::update(&ctx.db, &scope, id, &input).await?))
}

pub async fn delete(
    Scoped { ctx, scope }: Scoped,
    PathId(id): PathId<ServiceId>,
) -> Result<StatusCode, ApiError> {
    catalog::delete(&ctx.db, &scope, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
