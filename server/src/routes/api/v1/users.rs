//! `/api/v1/users`: the current tenant's members (PRODUCT.md §6). These act on the
//! membership only (role, position, outlets, active), never on the user's global account.
//! `DELETE` deactivates the membership (the Reserva guide's meaning); `?permanent=true`
//! removes it. Lists page with `skip` and `limit`, search with `q`, filter on `role`, and
//! give the total in `X-Total-Count`.

use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use oikos::members::service::{self, Member, MemberPatch, MemberQuery};
use oikos::tenancy::UserId;
use oikos_web::{ApiError, JsonBody, PathId, Scoped};
use serde::Deserialize;

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
    Scoped { ctx, scope }: Scoped,
    Query(params): Query<ListParams>,
) -> Result<Response, ApiError> {
    let query = MemberQuery::parse(params.skip, params.limit, params.q, params.role.as_deref())?;
    let (page, total) = service::list(&ctx.db, &scope, &query).await?;
    Ok(([("x-total-count", total.to_string())], Json(page)).into_response())
}

pub async fn show(
    Scoped { ctx, scope }: Scoped,
    PathId(id): PathId<UserId>,
) -> Result<Json<Member>, ApiError> {
    Ok(Json(service::get(&ctx.db, &scope, id).await?))
}

pub async fn update(
    Scoped { ctx, scope }: Scoped,
    PathId(id): PathId<UserId>,
    JsonBody(patch): JsonBody<MemberPatch>,
) -> Result<Json<Member>, ApiError> {
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
    Scoped { ctx, scope }: Scoped,
    PathId(id): PathId<UserId>,
    Query(params): Query<DeleteParams>,
) -> Result<StatusCode, ApiError> {
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
    Scoped { ctx, scope }: Scoped,
    PathId(id): PathId<UserId>,
) -> Result<StatusCode, ApiError> {
    service::send_password_reset(&ctx, &scope, id).await?;
    Ok(StatusCode::ACCEPTED)
}
