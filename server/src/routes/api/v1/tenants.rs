//! `/api/v1/tenants`: a tenant's details and its profile update, and the super admin's list,
//! create, deactivate and reactivate. Members reach the tenant their request resolves to
//! (PRODUCT.md §3), and only by its own id: another tenant's id is 404. Super admins reach any
//! tenant through the admin scope; to anyone else the admin routes are 404.

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use oikos::tenancy::{AdminScope, TenantId, TenantScope};
use oikos::tenants::registration::{self, Registration};
use oikos::tenants::service::{self, TenantPatch, TenantQuery};
use oikos::tenants::settings::TenantSettings;
use oikos::tenants::stats::{self, TenantStats};
use oikos::tenants::{branding, erasure, export};
use oikos::tenants::{Tenant, TenantStatus};
use oikos::AppContext;
use oikos_web::request::RequestContext;
use oikos_web::{Admin, ApiError, JsonBody, PathId};
use serde::{Deserialize, Serialize};

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
    /// Set once the owner deleted the workspace: when its data will be erased.
    erase_after: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    settings: Option<TenantSettings>,
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
            is_active: t.status == TenantStatus::Active,
            created_at: t.created_at.to_rfc3339(),
            updated_at: t.updated_at.to_rfc3339(),
            erase_after: t.erase_after.map(|at| at.to_rfc3339()),
            settings: None,
        }
    }
}

impl From<(Tenant, TenantSettings)> for TenantBody {
    fn from((tenant, settings): (Tenant, TenantSettings)) -> Self {
        TenantBody {
            settings: Some(settings),
            ..tenant.into()
        }
    }
}

/// The scope for the tenant in the path, as described above.
async fn scope_for(
    ctx: &AppContext,
    request: &RequestContext,
    id: TenantId,
) -> Result<TenantScope, ApiError> {
    let principal = &request.acting()?.auth.principal;
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
    PathId(tenant_id): PathId<TenantId>,
) -> Result<Json<TenantBody>, ApiError> {
    let scope = scope_for(&ctx, &request, tenant_id).await?;
    Ok(Json(service::details(&ctx.db, &scope).await?.into()))
}

/// `PUT /api/v1/tenants/{tenant_id}`: a partial update of the profile and `settings` by a
/// TENANT_ADMIN or a super admin.
pub async fn update(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    PathId(tenant_id): PathId<TenantId>,
    JsonBody(patch): JsonBody<TenantPatch>,
) -> Result<Json<TenantBody>, ApiError> {
    let scope = scope_for(&ctx, &request, tenant_id).await?;
    Ok(Json(service::update(&ctx.db, &scope, &patch).await?.into()))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Tenants to skip (0 or more).
    skip: Option<i64>,
    /// Tenants to answer, 1 to 500 (100 unless given).
    limit: Option<i64>,
    /// `active` or `inactive`.
    status: Option<String>,
    /// Part of the name, address or email.
    q: Option<String>,
    /// `newest` (the default), `oldest` or `name`.
    sort: Option<String>,
    /// A plan's code, such as `PRO`.
    plan: Option<String>,
}

/// `GET /api/v1/tenants?skip=&limit=&status=&q=&sort=&plan=`: super admins; newest first
/// unless `sort` is `oldest` or `name`, only those on `plan` if given, the total number
/// matching in `X-Total-Count`.
pub async fn list(
    State(ctx): State<AppContext>,
    Admin(admin): Admin,
    Query(params): Query<ListParams>,
) -> Result<Response, ApiError> {
    let query = TenantQuery::parse(
        params.skip,
        params.limit,
        params.status.as_deref(),
        params.q,
        params.sort.as_deref(),
    )?
    .on_plan(params.plan.as_deref());
    let (page, total) = service::list(&ctx.db, &admin, &query).await?;
    let body: Vec<TenantBody> = page.into_iter().map(|t| t.tenant.into()).collect();
    Ok(([("x-total-count", total.to_string())], Json(body)).into_response())
}

/// What `POST /api/v1/tenants` takes: the Reserva guide's admin-created tenant.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CreateBody {
    name: String,
    slug: Option<String>,
    email: String,
    phone: Option<String>,
    description: Option<String>,
    website: Option<String>,
    business_type: Option<String>,
    admin_email: String,
    admin_password: String,
    admin_first_name: String,
    admin_last_name: String,
}

/// `POST /api/v1/tenants`: a super admin creates a tenant with its admin, atomically (201).
pub async fn create(
    State(ctx): State<AppContext>,
    Admin(admin): Admin,
    Extension(request): Extension<RequestContext>,
    JsonBody(body): JsonBody<CreateBody>,
) -> Result<(StatusCode, Json<TenantBody>), ApiError> {
    let input = Registration {
        business_name: body.name,
        business_email: body.email,
        business_phone: body.phone,
        business_type: body.business_type,
        description: body.description,
        website: body.website,
        preferred_slug: body.slug,
        admin_first_name: body.admin_first_name,
        admin_last_name: body.admin_last_name,
        admin_email: body.admin_email,
        admin_password: body.admin_password,
        ..Registration::default()
    };
    let created = registration::create_by(&ctx, &admin, &input, &request.client()).await?;
    Ok((StatusCode::CREATED, Json(created.tenant.into())))
}

/// `DELETE /api/v1/tenants/{tenant_id}`: a super admin deactivates the tenant (204); its
/// members get `tenant_inactive`, the public 404, until it is reactivated.
pub async fn deactivate(
    State(ctx): State<AppContext>,
    Admin(admin): Admin,
    PathId(tenant_id): PathId<TenantId>,
) -> Result<StatusCode, ApiError> {
    set_status(&ctx, &admin, tenant_id, TenantStatus::Inactive).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/v1/tenants/{tenant_id}/reactivate`: a super admin; answers the tenant.
pub async fn reactivate(
    State(ctx): State<AppContext>,
    Admin(admin): Admin,
    PathId(tenant_id): PathId<TenantId>,
) -> Result<Json<TenantBody>, ApiError> {
    let scope = set_status(&ctx, &admin, tenant_id, TenantStatus::Active).await?;
    Ok(Json(service::details(&ctx.db, &scope).await?.into()))
}

async fn set_status(
    ctx: &AppContext,
    admin: &AdminScope,
    id: TenantId,
    status: TenantStatus,
) -> Result<TenantScope, ApiError> {
    service::set_status(&ctx.db, admin, id, status).await?;
    if status == TenantStatus::Active {
        oikos::billing::account::resume(ctx, id).await;
    }
    Ok(admin.tenant(id))
}

/// `GET /api/v1/tenants/{tenant_id}/stats`: the Reserva guide's statistics, for the tenant's
/// admins and super admins.
pub async fn stats(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    PathId(tenant_id): PathId<TenantId>,
) -> Result<Json<TenantStats>, ApiError> {
    let scope = scope_for(&ctx, &request, tenant_id).await?;
    Ok(Json(stats::get(&ctx.db, &scope).await?))
}

/// `GET /api/v1/tenants/{tenant_id}/export`: everything the tenant owns as one JSON file to
/// download.
pub async fn export(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    PathId(tenant_id): PathId<TenantId>,
) -> Result<Response, ApiError> {
    let scope = scope_for(&ctx, &request, tenant_id).await?;
    let document = export::export(&ctx.db, &scope).await?;
    let name = format!(
        "attachment; filename=\"oikos-{}-{}.json\"",
        document.tenant.slug,
        document.exported_at.format("%Y-%m-%d")
    );
    Ok(([(header::CONTENT_DISPOSITION, name)], Json(document)).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeletionBody {
    /// The workspace's address, typed to confirm.
    confirm: String,
}

/// `POST /api/v1/tenants/{tenant_id}/deletion` with `{confirm: "<slug>"}`: a TENANT_ADMIN
/// deletes the workspace; its data is erased after the grace period (202, the tenant with
/// `erase_after`).
pub async fn schedule_deletion(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    PathId(tenant_id): PathId<TenantId>,
    JsonBody(body): JsonBody<DeletionBody>,
) -> Result<(StatusCode, Json<TenantBody>), ApiError> {
    let scope = scope_for(&ctx, &request, tenant_id).await?;
    let tenant = erasure::schedule(&ctx.db, &scope, &body.confirm).await?;
    Ok((StatusCode::ACCEPTED, Json(tenant.into())))
}

/// `DELETE /api/v1/tenants/{tenant_id}/deletion`: the deletion is cancelled; the tenant.
pub async fn cancel_deletion(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    PathId(tenant_id): PathId<TenantId>,
) -> Result<Json<TenantBody>, ApiError> {
    let scope = scope_for(&ctx, &request, tenant_id).await?;
    Ok(Json(erasure::cancel(&ctx.db, &scope).await?.into()))
}

/// A tenant's branding as the API shows it.
#[derive(Serialize)]
pub struct BrandingBody {
    #[serde(flatten)]
    colors: branding::Colors,
    /// The logo's address on the tenant's portal, or null.
    logo_url: Option<String>,
}

impl From<branding::Branding> for BrandingBody {
    fn from(b: branding::Branding) -> Self {
        BrandingBody {
            colors: b.colors,
            logo_url: b.logo_version.map(|v| format!("/branding/logo?v={v}")),
        }
    }
}

/// `GET /api/v1/tenants/{tenant_id}/branding`: the colours and the logo's address.
pub async fn show_branding(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    PathId(tenant_id): PathId<TenantId>,
) -> Result<Json<BrandingBody>, ApiError> {
    let scope = scope_for(&ctx, &request, tenant_id).await?;
    Ok(Json(branding::get(&ctx.db, &scope).await?.into()))
}

/// `PUT /api/v1/tenants/{tenant_id}/branding`: changes colours (`#rrggbb`, each with readable
/// white text); absent ones stay.
pub async fn update_branding(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    PathId(tenant_id): PathId<TenantId>,
    JsonBody(patch): JsonBody<branding::ColorsPatch>,
) -> Result<Json<BrandingBody>, ApiError> {
    let scope = scope_for(&ctx, &request, tenant_id).await?;
    Ok(Json(
        branding::set_colors(&ctx.db, &scope, &patch).await?.into(),
    ))
}

/// `PUT /api/v1/tenants/{tenant_id}/logo` with the image as the body (PNG, JPEG or WebP, up
/// to 512 KB; the type is read from the bytes).
pub async fn upload_logo(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    PathId(tenant_id): PathId<TenantId>,
    body: axum::body::Bytes,
) -> Result<Json<BrandingBody>, ApiError> {
    let scope = scope_for(&ctx, &request, tenant_id).await?;
    if body.is_empty() {
        return Err(oikos::Error::invalid("logo", "Send the image as the body.").into());
    }
    Ok(Json(
        branding::set_logo(&ctx.db, &scope, body.to_vec())
            .await?
            .into(),
    ))
}

/// `DELETE /api/v1/tenants/{tenant_id}/logo`: the portal goes back to its initial.
pub async fn remove_logo(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    PathId(tenant_id): PathId<TenantId>,
) -> Result<Json<BrandingBody>, ApiError> {
    let scope = scope_for(&ctx, &request, tenant_id).await?;
    Ok(Json(
        branding::set_logo(&ctx.db, &scope, Vec::new())
            .await?
            .into(),
    ))
}
