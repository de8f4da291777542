//! A tenant's statistics (`GET /api/v1/tenants/{id}/stats`) in the Reserva guide's shape,
//! counted in one read transaction. Oikos keeps no customers or appointments yet, so those
//! counts are the true zero; `services` is Oikos' own addition.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::db::{Access, Db};
use crate::tenancy::{Permission, TenantId, TenantScope};
use crate::tenants::tally::{self, Tally};
pub use crate::tenants::tally::{ActiveCount, UserCounts};
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
    let tally = tally::read(&mut tx).await?;
    tx.rollback().await?;
    Ok(of(tenant, &tally))
}

/// The statistics of `tenant`, from its tally (after the caller checked
/// [`Permission::ViewStats`]).
pub(crate) fn of(tenant: Tenant, tally: &Tally) -> TenantStats {
    let statuses = ["confirmed", "pending", "completed", "cancelled", "no_show"];
    let (plan, status) = tally.plan.clone().unzip();
    TenantStats {
        outlets: tally.outlets,
        users: tally.users.clone(),
        services: tally.services,
        customers: CustomerCounts::default(),
        appointments: AppointmentCounts {
            this_month: 0,
            this_month_by_status: statuses.into_iter().map(|s| (s, 0)).collect(),
        },
        subscription: SubscriptionState {
            plan,
            status,
            trial_ends_at: None,
        },
        generated_at: Utc::now(),
        tenant_info: TenantInfo {
            id: tenant.id,
            name: tenant.profile.name,
            slug: tenant.slug.to_string(),
            created_at: tenant.created_at,
        },
    }
}
