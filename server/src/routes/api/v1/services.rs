//! `/api/v1/services`: the current tenant's service catalog (PRODUCT.md §10). Members read;
//! managers change it; another tenant's service id is 404. Lists page with `skip` and
//! `limit`, search with `q`, filter on `category` and `outlet_id`, and give the total number
//! matching in `X-Total-Count`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use oikos::catalog::{self, Service, ServiceInput, ServiceQuery};
use oikos::tenancy::ServiceId;
use oikos::AppContext;
use oikos_app::context::RequestContext;
use serde::Deserialize;

use crate::error::ApiError;
use crate::extract::JsonBody;

fn service_id(id: &str) -> Result<ServiceId, ApiError> {
    Ok(id.parse().map_err(|_| oikos::Error::NotFound)?)
}

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
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    Query(params): Query<ListParams>,
) -> Result<Response, ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
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
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    JsonBody(input): JsonBody<ServiceInput>,
) -> Result<(StatusCode, Json<Service>), ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
    let service = catalog::create(&ctx.db, &scope, &input).await?;
    Ok((StatusCode::CREATED, Json(service)))
}

pub async fn show(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    Path(id): Path<String>,
) -> Result<Json<Service>, ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
    Ok(Json(catalog::get(&ctx.db, &scope, service_id(&id)?).await?))
}

pub async fn update(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    Path(id): Path<String>,
    JsonBody(input): JsonBody<ServiceInput>,
) -> Result<Json<Service>, ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
    let id = service_id(&id)?;
    Ok(Json(catalog::update(&ctx.db, &scope, id, &input).await?))
}

pub async fn delete(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
    catalog::delete(&ctx.db, &scope, service_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}
