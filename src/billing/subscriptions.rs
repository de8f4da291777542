//! A tenant's subscription: which plan, billed how, in what state. One row per tenant in a
//! tenant table, reached only through the tenant's transaction.

use chrono::Utc;

use super::plans::{BillingCycle, Limits, FREE};
use crate::db::{query, Backend, TenantTx};
use crate::{AppContext, Result};

/// Every new tenant starts on FREE, billed monthly (PRODUCT.md §1).
pub(crate) async fn start_free(tx: &mut TenantTx) -> Result<()> {
    let now = Utc::now();
    let sql = "INSERT INTO subscriptions
                   (tenant_id, plan, billing_cycle, status, created_at, updated_at)
               VALUES ($1, $2, $3, 'active', $4, $5)";
    let tenant = tx.tenant_id();
    query::execute!(tx, sql, tenant, FREE, BillingCycle::Monthly, now, now)?;
    Ok(())
}

/// A deactivated tenant's subscription is suspended; reactivating the tenant resumes it.
pub(crate) async fn set_suspended(tx: &mut TenantTx, suspended: bool) -> Result<()> {
    let status = if suspended { "suspended" } else { "active" };
    let sql = "UPDATE subscriptions SET status = $2, updated_at = $3 WHERE tenant_id = $1";
    let tenant = tx.tenant_id();
    query::execute!(tx, sql, tenant, status, Utc::now())?;
    Ok(())
}

/// The plan and state of a tenant's subscription.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, sqlx::FromRow)]
pub struct Summary {
    pub plan: String,
    pub billing_cycle: BillingCycle,
    pub status: String,
}

/// The tenant's subscription, if it has one.
pub(crate) async fn summary(tx: &mut TenantTx) -> Result<Option<Summary>> {
    let sql = "SELECT plan, billing_cycle, status FROM subscriptions WHERE tenant_id = $1";
    let tenant = tx.tenant_id();
    query::optional!(tx, sql, tenant)
}

/// The subscription's status (`active`, `suspended`, …), if the tenant has one.
#[cfg(test)]
pub(crate) async fn status(tx: &mut TenantTx) -> Result<Option<String>> {
    Ok(summary(tx).await?.map(|s| s.status))
}

/// The limits of the tenant's plan (FREE's without a subscription row), read with that row
/// locked on PostgreSQL, so that concurrent creates in one tenant that check a limit take
/// turns (SQLite's writes already do: `BEGIN IMMEDIATE`).
pub(crate) async fn locked_limits(ctx: &AppContext, tx: &mut TenantTx) -> Result<Option<Limits>> {
    macro_rules! plan_sql {
        ($lock:literal) => {
            concat!(
                "SELECT plan FROM subscriptions WHERE tenant_id = $1 ",
                $lock
            )
        };
    }
    let sql = match ctx.db.backend() {
        Backend::Postgres => plan_sql!("FOR UPDATE"),
        Backend::Sqlite => plan_sql!(""),
    };
    let tenant = tx.tenant_id();
    let plan: Option<(String,)> = query::optional!(tx, sql, tenant)?;
    let code = plan.map_or_else(|| FREE.to_owned(), |(code,)| code);
    let plan = ctx.plans.get(&code).or_else(|| ctx.plans.get(FREE));
    Ok(plan.map(|plan| plan.limits))
}
