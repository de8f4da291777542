//! A tenant's subscription: which plan, billed how, in what state. One row per tenant in a
//! tenant table, reached only through the tenant's transaction.

use chrono::{DateTime, Utc};

use super::plans::{BillingCycle, Limits, FREE};
use super::provider::Recorded;
use crate::db::{query, Access, Backend, Db, TenantTx};
use crate::tenancy::{SystemScope, TenantId};
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

/// The status of a deactivated tenant's subscription.
pub(crate) const SUSPENDED: &str = "suspended";

/// A deactivated tenant's subscription is suspended; reactivating the tenant resumes it
/// (as `active`, until Stripe's state is read again: [`super::account::resume`]).
pub(crate) async fn set_suspended(tx: &mut TenantTx, suspended: bool) -> Result<()> {
    let status = if suspended { SUSPENDED } else { "active" };
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

/// The tenant's ids at Stripe.
#[derive(Clone, Debug, Default, PartialEq, Eq, sqlx::FromRow)]
pub(crate) struct StripeIds {
    pub customer_id: Option<String>,
    pub stripe_subscription_id: Option<String>,
}

pub(crate) async fn stripe_ids(tx: &mut TenantTx) -> Result<StripeIds> {
    let sql = "SELECT customer_id, stripe_subscription_id FROM subscriptions WHERE tenant_id = $1";
    let tenant = tx.tenant_id();
    let ids: Option<StripeIds> = query::optional!(tx, sql, tenant)?;
    Ok(ids.unwrap_or_default())
}

/// Records the tenant's Stripe customer unless one is recorded already; the recorded one.
pub(crate) async fn set_customer(tx: &mut TenantTx, customer: &str) -> Result<String> {
    let sql =
        "UPDATE subscriptions SET customer_id = $2 WHERE tenant_id = $1 AND customer_id IS NULL";
    let tenant = tx.tenant_id();
    query::execute!(tx, sql, tenant, customer)?;
    stripe_ids(tx)
        .await?
        .customer_id
        .ok_or_else(|| anyhow::anyhow!("the tenant has no subscription row").into())
}

/// The subscription as `GET /api/v1/subscriptions/current` shows it.
pub(crate) async fn current(tx: &mut TenantTx) -> Result<Option<super::service::Current>> {
    let sql = "SELECT plan, status, billing_cycle, current_period_end, cancel_at_period_end
               FROM subscriptions WHERE tenant_id = $1";
    let tenant = tx.tenant_id();
    query::optional!(tx, sql, tenant)
}

/// Writes the state Stripe's subscription gives.
pub(crate) async fn apply(tx: &mut TenantTx, state: &Recorded, now: DateTime<Utc>) -> Result<()> {
    let sql = "UPDATE subscriptions SET plan = $2, billing_cycle = $3, status = $4,
                   stripe_subscription_id = $5, current_period_end = $6,
                   cancel_at_period_end = $7, updated_at = $8
               WHERE tenant_id = $1";
    let tenant = tx.tenant_id();
    query::execute!(
        tx,
        sql,
        tenant,
        &state.plan,
        state.billing_cycle,
        state.status,
        &state.stripe_subscription_id,
        state.current_period_end,
        state.cancel_at_period_end,
        now
    )?;
    Ok(())
}

/// What counts against the plan's limits.
pub(crate) struct Used {
    pub outlets: i64,
    /// Members and open invitations.
    pub staff: i64,
    pub storage_bytes: i64,
}

pub(crate) async fn used(tx: &mut TenantTx) -> Result<Used> {
    let tenant = tx.tenant_id();
    let outlets: i64 = query::scalar!(
        tx,
        "SELECT count(*) FROM outlets WHERE tenant_id = $1",
        tenant
    )?;
    let members: i64 = query::scalar!(
        tx,
        "SELECT count(*) FROM memberships WHERE tenant_id = $1",
        tenant
    )?;
    let invited = crate::members::invitations::pending_count(tx).await?;
    let storage_bytes = crate::tenants::branding::stored_bytes(tx).await?;
    Ok(Used {
        outlets,
        staff: members + invited,
        storage_bytes,
    })
}

/// Every tenant with a Stripe customer, read tenant by tenant (the reconciliation job acts
/// for nobody, so it sees one tenant's rows at a time).
pub(crate) async fn all_customers(db: &Db) -> Result<Vec<(TenantId, String)>> {
    let mut tx = db.begin(Access::Read).await?;
    let tenants: Vec<(TenantId,)> = query::all!(tx, "SELECT id FROM tenants")?;
    tx.rollback().await?;
    let mut customers = Vec::new();
    for (tenant,) in tenants {
        let mut tx = SystemScope::new()
            .tenant(tenant)
            .begin(db, Access::Read)
            .await?;
        let ids = stripe_ids(&mut tx).await?;
        tx.rollback().await?;
        customers.extend(ids.customer_id.map(|customer| (tenant, customer)));
    }
    Ok(customers)
}
