//! What can be done with tenants. Each operation takes the scope that allows it and checks
//! the permission first; server functions and REST handlers call only these.

use chrono::Utc;

use crate::db::{Access, Db};
use crate::members;
use crate::tenancy::{AdminScope, Permission, Role, TenantId, TenantScope, UserId};
use crate::tenants::{repository, Tenant, TenantProfile, TenantStatus};
use crate::values::Slug;
use crate::{Error, Result};

/// The tenant the scope is in.
pub async fn get(db: &Db, scope: &TenantScope) -> Result<Tenant> {
    scope.require(Permission::ViewTenant)?;
    let mut tx = scope.begin(db, Access::Read).await?;
    repository::find_by_id(tx.platform(), scope.tenant_id())
        .await?
        .ok_or(Error::NotFound)
}

/// A super admin creates a tenant with `admin` as its TENANT_ADMIN.
pub async fn create(
    db: &Db,
    _by: &AdminScope,
    slug: Slug,
    profile: TenantProfile,
    admin: UserId,
) -> Result<Tenant> {
    provision(db, slug, profile, admin).await
}

/// Deactivates (or reactivates) a tenant: its members get `tenant_inactive`, the public 404.
pub async fn set_status(
    db: &Db,
    by: &AdminScope,
    tenant: TenantId,
    status: TenantStatus,
) -> Result<()> {
    let scope = by.tenant(tenant);
    let mut tx = scope.begin(db, Access::Write).await?;
    if !repository::set_status(tx.platform(), tenant, status).await? {
        return Err(Error::NotFound);
    }
    tx.commit().await
}

/// Creates the tenant and makes `admin` its TENANT_ADMIN in one transaction: all or nothing.
/// Shared by every flow that makes tenants (super admin, registration, provisioning).
pub(crate) async fn provision(
    db: &Db,
    slug: Slug,
    profile: TenantProfile,
    admin: UserId,
) -> Result<Tenant> {
    let now = Utc::now();
    let tenant = Tenant {
        id: TenantId::new(),
        slug,
        profile,
        status: TenantStatus::Active,
        created_at: now,
        updated_at: now,
    };
    let scope = TenantScope::for_new_tenant(tenant.id);
    let mut tx = scope.begin(db, Access::Write).await?;
    repository::insert(tx.platform(), &tenant).await?;
    members::repository::insert(&mut tx, admin, Role::TenantAdmin).await?;
    tx.commit().await?;
    Ok(tenant)
}

/// The public profile of an active tenant (PRODUCT.md §3); inactive ones are not found.
pub async fn public_profile(db: &Db, slug: &Slug) -> Result<Tenant> {
    let mut tx = db.begin(Access::Read).await?;
    repository::find_by_slug(&mut tx, slug)
        .await?
        .filter(|tenant| tenant.status == TenantStatus::Active)
        .ok_or(Error::NotFound)
}
