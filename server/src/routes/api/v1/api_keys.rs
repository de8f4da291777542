//! `/api/v1/admin/api-keys`: super admins make partner keys (the key is in the answer once),
//! list them without it, and revoke them (PRODUCT.md §9).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use chrono::{DateTime, Utc};
use oikos::partners::api_keys::{self, ApiKey, NewKey};
use oikos::tenancy::ApiKeyId;
use oikos::AppContext;
use oikos_web::{Admin, ApiError, JsonBody, PathId};
use serde::{Deserialize, Serialize};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CreateBody {
    #[serde(default)]
    #[schema(required = true, max_length = 100)]
    name: String,
    /// From `tenant:create`, `tenant:read`, `tenant:update`, `tenant:delete`, `tenant:all`
    /// (without it, a key reaches only the tenants it created).
    #[serde(default)]
    #[schema(required = true)]
    scopes: Vec<String>,
    expires_at: Option<DateTime<Utc>>,
}

/// A new key: the listed fields and, this once, `key`.
#[derive(Serialize)]
pub struct CreatedBody {
    #[serde(flatten)]
    api_key: ApiKey,
    key: String,
}

pub async fn create(
    State(ctx): State<AppContext>,
    Admin(admin): Admin,
    JsonBody(body): JsonBody<CreateBody>,
) -> Result<(StatusCode, Json<CreatedBody>), ApiError> {
    let input = NewKey {
        name: body.name,
        scopes: body.scopes,
        expires_at: body.expires_at,
    };
    let created = api_keys::create(&ctx.db, &ctx.seals, &admin, &input).await?;
    let body = CreatedBody {
        api_key: created.key,
        key: created.secret,
    };
    Ok((StatusCode::CREATED, Json(body)))
}

pub async fn list(
    State(ctx): State<AppContext>,
    Admin(admin): Admin,
) -> Result<Json<Vec<ApiKey>>, ApiError> {
    Ok(Json(api_keys::list(&ctx.db, &admin).await?))
}

pub async fn revoke(
    State(ctx): State<AppContext>,
    Admin(admin): Admin,
    PathId(id): PathId<ApiKeyId>,
) -> Result<StatusCode, ApiError> {
    api_keys::revoke(&ctx.db, &admin, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
