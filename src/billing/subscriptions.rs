//! A tenant's subscription: which plan, billed how, in what state. One row per tenant in a
//! tenant table, reached only through the tenant's transaction.

use chrono::Utc;

use super::plans::{BillingCycle, FREE};
use crate::db::{query, TenantTx};
use crate::Result;

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
