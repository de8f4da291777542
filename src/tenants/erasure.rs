//! Deleting a workspace (PRODUCT.md §4): the owner types the workspace's address to confirm;
//! the data stays for a grace period of 30 days, during which the deletion can be cancelled;
//! then [`erase_due`], run by the server's housekeeping, erases the tenant and every row it
//! owns. Each tenant is erased in its own transaction, so a run that stops midway leaves each
//! tenant either whole or gone, and the next run finishes the rest.

use chrono::{DateTime, Duration, SubsecRound as _, Utc};

use crate::audit::{self, Action, Event};
use crate::db::{query, Access, Db};
use crate::tenancy::{Permission, TenantId, TenantScope};
use crate::tenants::{repository, Tenant};
use crate::webhooks::{self, EventType};
use crate::{Error, Result};

/// How long a deleted workspace can still be restored.
pub const GRACE: Duration = Duration::days(30);

/// Schedules the erasure of the scope's tenant, `GRACE` from now, when `confirmation` is the
/// workspace's address. Scheduling again keeps the first date. The tenant as it now is.
pub async fn schedule(db: &Db, scope: &TenantScope, confirmation: &str) -> Result<Tenant> {
    scope.require(Permission::DeleteTenant)?;
    let mut tx = scope.begin(db, Access::Write).await?;
    let tenant = repository::find_by_id(tx.platform(), scope.tenant_id())
        .await?
        .ok_or(Error::NotFound)?;
    if confirmation.trim() != tenant.slug.as_str() {
        let message = format!("Type {} to confirm.", tenant.slug);
        return Err(Error::invalid("confirm", message));
    }
    if tenant.erase_after.is_some() {
        return Ok(tenant);
    }
    // Whole seconds: the same value on both databases when read back.
    let erase_after = (Utc::now() + GRACE).trunc_subsecs(0);
    db.set_erase_after(tx.platform(), tenant.id, Some(erase_after))
        .await?;
    let event = Event::new(Action::TenantDeletionScheduled, scope.user_id(), None)
        .detail(serde_json::json!({ "erase_after": erase_after }));
    audit::tenant(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(Tenant {
        erase_after: Some(erase_after),
        ..tenant
    })
}

/// Cancels a scheduled deletion; the tenant as it now is.
pub async fn cancel(db: &Db, scope: &TenantScope) -> Result<Tenant> {
    scope.require(Permission::DeleteTenant)?;
    let mut tx = scope.begin(db, Access::Write).await?;
    let tenant = repository::find_by_id(tx.platform(), scope.tenant_id())
        .await?
        .ok_or(Error::NotFound)?;
    if tenant.erase_after.is_none() {
        return Ok(tenant);
    }
    db.set_erase_after(tx.platform(), tenant.id, None).await?;
    let event = Event::new(Action::TenantDeletionCancelled, scope.user_id(), None);
    audit::tenant(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(Tenant {
        erase_after: None,
        ..tenant
    })
}

/// Erases every tenant whose grace period ended by `now`; how many were erased. Safe to run
/// again at any time, also after a crash midway.
pub async fn erase_due(db: &Db, now: DateTime<Utc>) -> Result<u64> {
    let mut tx = db.begin(Access::Read).await?;
    let sql = "SELECT id, slug FROM tenants WHERE erase_after <= $1 ORDER BY erase_after";
    let due: Vec<(TenantId, String)> = query::all!(tx, sql, now)?;
    tx.rollback().await?;
    let mut erased = 0;
    for (tenant, slug) in due {
        let mut tx = db.begin(Access::Write).await?;
        if db.erase_tenant(&mut tx, tenant).await? {
            let data = serde_json::json!({ "id": tenant, "slug": slug });
            webhooks::emit(&mut tx, EventType::TenantDeleted, data).await?;
            let event = Event::new(Action::TenantErased, None, None)
                .about(slug)
                .detail(serde_json::json!({ "tenant_id": tenant }));
            audit::platform(&mut tx, &event).await?;
            erased += 1;
        }
        tx.commit().await?;
    }
    Ok(erased)
}

#[cfg(test)]
mod tests;
