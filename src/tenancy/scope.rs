//! [`TenantScope`]: proof that a principal may act within one tenant.

use crate::db::{Access, Db, TenantTx};
use crate::members;
use crate::tenancy::{OutletId, Permission, Role, TenantId, UserId};
use crate::tenants::{self, TenantStatus};
use crate::{Error, Result};

/// Who is making a request, once authenticated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    pub user_id: UserId,
    pub is_super_admin: bool,
}

/// A member's right to act within one tenant. Fields are private and the only constructor is
/// [`TenantScope::resolve`], which checks the membership and the tenant's status: holding a
/// scope is the IDOR check every request passes.
#[derive(Clone, Debug)]
pub struct TenantScope {
    tenant_id: TenantId,
    user_id: UserId,
    role: Role,
    outlet_ids: Vec<OutletId>,
}

impl TenantScope {
    /// Resolves `principal`'s scope in `tenant`.
    ///
    /// Unknown tenant: `NotFound`. Not an active member: `TenantMismatch`. Inactive tenant:
    /// `TenantInactive` (checked after membership, so outsiders learn nothing about it).
    pub async fn resolve(db: &Db, principal: &Principal, tenant: TenantId) -> Result<Self> {
        let mut tx = db.begin_tenant(tenant, Access::Read).await?;
        let found = tenants::repository::find_by_id(tx.platform(), tenant)
            .await?
            .ok_or(Error::NotFound)?;
        let membership = members::repository::find(&mut tx, principal.user_id)
            .await?
            .filter(|m| m.is_active)
            .ok_or(Error::TenantMismatch)?;
        if found.status != TenantStatus::Active {
            return Err(Error::TenantInactive);
        }
        Ok(TenantScope {
            tenant_id: tenant,
            user_id: principal.user_id,
            role: membership.role,
            // Outlet assignments arrive with outlets; until then a member is tenant-wide.
            outlet_ids: Vec::new(),
        })
    }

    pub fn tenant_id(&self) -> TenantId {
        self.tenant_id
    }

    pub fn user_id(&self) -> UserId {
        self.user_id
    }

    pub fn role(&self) -> Role {
        self.role
    }

    pub fn outlet_ids(&self) -> &[OutletId] {
        &self.outlet_ids
    }

    /// The first line of every mutating service: `scope.require(Permission::…)?`.
    pub fn require(&self, permission: Permission) -> Result<()> {
        if permission.allowed_for(self.role) {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    /// A transaction on this tenant's data.
    pub async fn begin(&self, db: &Db, access: Access) -> Result<TenantTx> {
        db.begin_tenant(self.tenant_id, access).await
    }
}
