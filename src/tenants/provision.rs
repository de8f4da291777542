//! Creating a tenant together with its first admin, all or nothing.

use chrono::Utc;

use crate::db::{Access, Db};
use crate::members;
use crate::tenancy::{Role, TenantId, UserId};
use crate::tenants::{repository, Tenant, TenantStatus};
use crate::Result;

/// What a new tenant is made from. Values are already validated by the caller's input types.
#[derive(Clone, Debug)]
pub struct NewTenant {
    pub slug: String,
    pub name: String,
    pub business_type: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
}

/// Creates the tenant and makes `admin` its TENANT_ADMIN in one transaction.
pub async fn provision(db: &Db, new: NewTenant, admin: UserId) -> Result<Tenant> {
    let now = Utc::now();
    let tenant = Tenant {
        id: TenantId::new(),
        slug: new.slug,
        name: new.name,
        business_type: new.business_type,
        email: new.email,
        phone: new.phone,
        website: new.website,
        description: new.description,
        status: TenantStatus::Active,
        created_at: now,
        updated_at: now,
    };
    // The creator is not a member yet, so there is no TenantScope to begin from: the
    // transaction is opened for the new tenant directly.
    let mut tx = db.begin_tenant(tenant.id, Access::Write).await?;
    repository::insert(tx.platform(), &tenant).await?;
    members::repository::insert(&mut tx, admin, Role::TenantAdmin).await?;
    tx.commit().await?;
    Ok(tenant)
}
