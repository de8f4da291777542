//! `/api/v1/tenants/{tenant_id}`: a tenant's details and its profile update. Members reach
//! the tenant their request resolves to (PRODUCT.md §3), and only by its own id: another
//! tenant's id is 404. Super admins reach any tenant through the admin scope.

use axum::extract::{Path, State};
use axum::{Extension, Json};
use oikos::tenancy::{AdminScope, TenantId, TenantScope};
use oikos::tenants::service::{self, TenantPatch};
use oikos::tenants::Tenant;
use oikos::AppContext;
use oikos_app::context::RequestContext;
use serde::Serialize;

use crate::error::ApiError;
use crate::extract::JsonBody;

#[derive(Serialize)]
pub struct TenantBody {
    id: String,
    name: String,
    slug: String,
    business_type: Option<String>,
    email: String,
    phone: Option<String>,
    website: Option<String>,
    description: Option<String>,
    status: &'static str,
    is_active: bool,
    created_at: String,
    updated_at: String,
}

impl From<Tenant> for TenantBody {
    fn from(t: Tenant) -> Self {
        let p = t.profile;
        TenantBody {
            id: t.id.to_string(),
            name: p.name,
            slug: t.slug.to_string(),
            business_type: p.business_type,
            email: p.email.to_string(),
            phone: p.phone,
            website: p.website,
            description: p.description,
            status: t.status.as_str(),
            is_active: t.status == oikos::tenants::TenantStatus::Active,
            created_at: t.created_at.to_rfc3339(),
            updated_at: t.updated_at.to_rfc3339(),
        }
    }
}

/// The scope for the tenant in the path, as described above.
async fn scope_for(
    ctx: &AppContext,
    request: &RequestContext,
    tenant_id: &str,
) -> Result<TenantScope, ApiError> {
    let id: TenantId = tenant_id.parse().map_err(|_| oikos::Error::NotFound)?;
    let principal = &request.caller()?.auth.principal;
    if principal.is_super_admin() {
        return Ok(AdminScope::resolve(principal)?.tenant(id));
    }
    let scope = request.tenant_scope(&ctx.db).await?;
    if scope.tenant_id() != id {
        return Err(oikos::Error::NotFound.into());
    }
    Ok(scope)
}

/// `GET /api/v1/tenants/{tenant_id}`: any member.
pub async fn show(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    Path(tenant_id): Path<String>,
) -> Result<Json<TenantBody>, ApiError> {
    let scope = scope_for(&ctx, &request, &tenant_id).await?;
    Ok(Json(service::get(&ctx.db, &scope).await?.into()))
}

/// `PUT /api/v1/tenants/{tenant_id}`: a partial update by a TENANT_ADMIN or a super admin.
pub async fn update(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    Path(tenant_id): Path<String>,
    JsonBody(patch): JsonBody<TenantPatch>,
) -> Result<Json<TenantBody>, ApiError> {
    let scope = scope_for(&ctx, &request, &tenant_id).await?;
    Ok(Json(service::update(&ctx.db, &scope, &patch).await?.into()))
}
