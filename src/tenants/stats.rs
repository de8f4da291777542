//! A tenant's statistics (`GET /api/v1/tenants/{id}/stats`) in the Reserva guide's shape,
//! counted in one read transaction. Oikos keeps no customers or appointments yet, so those
//! counts are the true zero; `services` is Oikos' own addition.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::billing::subscriptions;
use crate::db::{query, Access, Db, TenantTx};
use crate::tenancy::{Permission, Role, TenantId, TenantScope};
use crate::tenants::{repository, Tenant};
use crate::{Error, Result};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TenantStats {
    pub outlets: ActiveCount,
    pub users: UserCounts,
    pub services: ActiveCount,
    pub customers: CustomerCounts,
    pub appointments: AppointmentCounts,
    pub subscription: SubscriptionState,
    pub generated_at: DateTime<Utc>,
    pub tenant_info: TenantInfo,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ActiveCount {
    pub total: i64,
    pub active: i64,
    pub inactive: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct UserCounts {
    pub total: i64,
    pub active: i64,
    /// Every tenant role, lower case, with its count (0 included).
    pub by_role: BTreeMap<String, i64>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CustomerCounts {
    pub total: i64,
    pub active: i64,
    pub recent_signups: i64,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct AppointmentCounts {
    pub this_month: i64,
    pub this_month_by_status: BTreeMap<&'static str, i64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SubscriptionState {
    pub plan: Option<String>,
    pub status: Option<String>,
    pub trial_ends_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TenantInfo {
    pub id: TenantId,
    pub name: String,
    pub slug: String,
    pub created_at: DateTime<Utc>,
}

/// The statistics of the scope's tenant (TENANT_ADMIN, or a super admin for any tenant).
pub async fn get(db: &Db, scope: &TenantScope) -> Result<TenantStats> {
    scope.require(Permission::ViewStats)?;
    let mut tx = scope.begin(db, Access::Read).await?;
    let tenant = repository::find_by_id(tx.platform(), scope.tenant_id())
        .await?
        .ok_or(Error::NotFound)?;
    let stats = read(&mut tx, tenant).await?;
    tx.rollback().await?;
    Ok(stats)
}

/// The statistics of `tenant`, inside a read transaction of its scope (after the caller
/// checked [`Permission::ViewStats`]).
pub(crate) async fn read(tx: &mut TenantTx, tenant: Tenant) -> Result<TenantStats> {
    let outlets = active_count(tx, Counted::Outlets).await?;
    let services = active_count(tx, Counted::Services).await?;
    let users = user_counts(tx).await?;
    let subscription = subscriptions::summary(tx).await?;
    let statuses = ["confirmed", "pending", "completed", "cancelled", "no_show"];
    Ok(TenantStats {
        outlets,
        users,
        services,
        customers: CustomerCounts::default(),
        appointments: AppointmentCounts {
            this_month: 0,
            this_month_by_status: statuses.into_iter().map(|s| (s, 0)).collect(),
        },
        subscription: SubscriptionState {
            plan: subscription.as_ref().map(|s| s.plan.clone()),
            status: subscription.map(|s| s.status),
            trial_ends_at: None,
        },
        generated_at: Utc::now(),
        tenant_info: TenantInfo {
            id: tenant.id,
            name: tenant.profile.name,
            slug: tenant.slug.to_string(),
            created_at: tenant.created_at,
        },
    })
}

/// The tables with an `is_active` column whose rows the stats count.
#[derive(Clone, Copy)]
enum Counted {
    Outlets,
    Services,
}

/// Rows of a table with an `is_active` column, in all and active.
async fn active_count(tx: &mut TenantTx, counted: Counted) -> Result<ActiveCount> {
    macro_rules! count_sql {
        ($table:literal) => {
            concat!(
                "SELECT count(*), count(*) FILTER (WHERE is_active) FROM ",
                $table,
                " WHERE tenant_id = $1"
            )
        };
    }
    let sql = match counted {
        Counted::Outlets => count_sql!("outlets"),
        Counted::Services => count_sql!("services"),
    };
    let tenant = tx.tenant_id();
    let (total, active): (i64, i64) = query::optional!(tx, sql, tenant)?.unwrap_or((0, 0));
    Ok(ActiveCount {
        total,
        active,
        inactive: total - active,
    })
}

async fn user_counts(tx: &mut TenantTx) -> Result<UserCounts> {
    let sql = "SELECT role, count(*), count(*) FILTER (WHERE is_active)
                 FROM memberships WHERE tenant_id = $1 GROUP BY role";
    let tenant = tx.tenant_id();
    let rows: Vec<(Role, i64, i64)> = query::all!(tx, sql, tenant)?;
    let mut counts = UserCounts {
        by_role: Role::ALL
            .iter()
            .map(|role| (role.as_str().to_lowercase(), 0))
            .collect(),
        ..UserCounts::default()
    };
    for (role, total, active) in rows {
        counts.total += total;
        counts.active += active;
        counts.by_role.insert(role.as_str().to_lowercase(), total);
    }
    Ok(counts)
}
