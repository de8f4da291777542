//! `/api/v1/users`: the current tenant's members (PRODUCT.md §6). These act on the
//! membership only (role, position, outlets, active), never on the user's global account.
//! `DELETE` deactivates the membership (the Reserva guide's meaning); `?permanent=true`
//! removes it. Lists page with `skip` and `limit`, search with `q`, filter on `role`, and
//! give the total in `X-Total-Count`.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use oikos::members::service::{self, Member, MemberPatch, MemberQuery};
use oikos::tenancy::UserId;
use oikos::AppContext;
use oikos_app::context::RequestContext;
use serde::Deserialize;

use crate::error::ApiError;
use crate::extract::JsonBody;

fn user_id(id: &str) -> Result<UserId, ApiError> {
    Ok(id.parse().map_err(|_| oikos::Error::NotFound)?)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Members to skip (0 or more).
    skip: Option<i64>,
    /// Members to answer.
    limit: Option<i64>,
    /// Part of the name or email.
    q: Option<String>,
    /// `TENANT_ADMIN`, `OUTLET_MANAGER`, `STAFF` or `RECEPTIONIST`.
    role: Option<String>,
}

pub async fn list(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    Query(params): Query<ListParams>,
) -> Result<Response, ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
    let query = MemberQuery::parse(params.skip, params.limit, params.q, params.role.as_deref())?;
    let (page, total) = service::list(&ctx.db, &scope, &query).await?;
    Ok(([("x-total-count", total.to_string())], Json(page)).into_response())
}

pub async fn show(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    Path(id): Path<String>,
) -> Result<Json<Member>, ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
    Ok(Json(service::get(&ctx.db, &scope, user_id(&id)?).await?))
}

pub async fn update(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    Path(id): Path<String>,
    JsonBody(patch): JsonBody<MemberPatch>,
) -> Result<Json<Member>, ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
    let id = user_id(&id)?;
    Ok(Json(service::update(&ctx.db, &scope, id, &patch).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteParams {
    /// Remove the membership instead of deactivating it.
    #[serde(default)]
    permanent: bool,
}

pub async fn delete(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    Path(id): Path<String>,
    Query(params): Query<DeleteParams>,
) -> Result<StatusCode, ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
    let id = user_id(&id)?;
    if params.permanent {
        service::remove(&ctx.db, &scope, id).await?;
    } else {
        let off = MemberPatch {
            is_active: Some(false),
            ..MemberPatch::default()
        };
        service::update(&ctx.db, &scope, id, &off).await?;
    }
    Ok(StatusCode::NO_CONTENT)
}

pub async fn reset_password(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
    service::send_password_reset(&ctx, &scope, user_id(&id)?).await?;
    Ok(StatusCode::ACCEPTED)
}
