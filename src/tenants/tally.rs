//! The counts a workspace's figures and onboarding checklist are made of, read in two
//! statements (every count and the plan in one, the members by role in the other): the
//! dashboard asks for both parts, and each statement is a round trip.

use std::collections::BTreeMap;

use crate::db::{query, TenantTx};
use crate::tenancy::Role;
use crate::Result;

/// Rows of a table with an `is_active` column, in all and active.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ActiveCount {
    pub total: i64,
    pub active: i64,
    pub inactive: i64,
}

impl ActiveCount {
    fn of(total: i64, active: i64) -> ActiveCount {
        ActiveCount {
            total,
            active,
            inactive: total - active,
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct UserCounts {
    pub total: i64,
    pub active: i64,
    /// Every tenant role, lower case, with its count (0 included).
    pub by_role: BTreeMap<String, i64>,
}

/// See the module's documentation.
#[derive(Clone, Debug)]
pub(crate) struct Tally {
    pub outlets: ActiveCount,
    /// Outlets with opening hours on at least one day.
    pub outlets_with_hours: i64,
    pub services: ActiveCount,
    pub users: UserCounts,
    pub has_logo: bool,
    /// The subscription's plan and status, if the tenant has one.
    pub plan: Option<(String, String)>,
}

#[derive(Default, sqlx::FromRow)]
struct Counts {
    outlets: i64,
    active_outlets: i64,
    outlets_with_hours: i64,
    services: i64,
    active_services: i64,
    logos: i64,
    plan: Option<String>,
    status: Option<String>,
}

/// The tally of the transaction's tenant.
pub(crate) async fn read(tx: &mut TenantTx) -> Result<Tally> {
    // Closed days are dropped, so an outlet without any hours stores `{}`.
    let sql = "SELECT o.outlets, o.active_outlets, o.outlets_with_hours,
                      s.services, s.active_services, b.logos, sub.plan, sub.status
                 FROM (SELECT count(*) AS outlets,
                              count(*) FILTER (WHERE is_active) AS active_outlets,
                              count(*) FILTER (WHERE hours <> '{}') AS outlets_with_hours
                         FROM outlets WHERE tenant_id = $1) o
                CROSS JOIN (SELECT count(*) AS services,
                                   count(*) FILTER (WHERE is_active) AS active_services
                              FROM services WHERE tenant_id = $1) s
                CROSS JOIN (SELECT count(*) AS logos FROM tenant_branding
                             WHERE tenant_id = $1 AND logo IS NOT NULL) b
                 LEFT JOIN subscriptions sub ON sub.tenant_id = $1";
    let tenant = tx.tenant_id();
    // Aggregates without GROUP BY always answer one row.
    let counts: Counts = query::optional!(tx, sql, tenant)?.unwrap_or_default();
    Ok(Tally {
        outlets: ActiveCount::of(counts.outlets, counts.active_outlets),
        outlets_with_hours: counts.outlets_with_hours,
        services: ActiveCount::of(counts.services, counts.active_services),
        users: user_counts(tx).await?,
        has_logo: counts.logos > 0,
        plan: counts.plan.zip(counts.status),
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
