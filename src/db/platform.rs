//! Figures across tenants for the platform's metrics. Tenant tables answer only the current
//! tenant's rows on PostgreSQL, so counts across them read `oikos_subscription_plans()`, an
//! owner function that gives each subscription's plan, cycle and status without its tenant
//! (migration 0017).

use super::{query, Access, Backend, Db};
use crate::tenants::metrics::SubscriptionCount;
use crate::Result;

impl Db {
    /// Subscriptions grouped by plan, billing cycle and status, with how many tenants each.
    pub(crate) async fn subscription_counts(&self) -> Result<Vec<SubscriptionCount>> {
        let sql = match self.backend() {
            Backend::Postgres => {
                "SELECT plan, billing_cycle, status, count(*) FROM oikos_subscription_plans() \
                 GROUP BY plan, billing_cycle, status"
            }
            Backend::Sqlite => {
                "SELECT plan, billing_cycle, status, count(*) FROM subscriptions \
                 GROUP BY plan, billing_cycle, status"
            }
        };
        let mut tx = self.begin(Access::Read).await?;
        let counts = query::all!(tx, sql)?;
        tx.rollback().await?;
        Ok(counts)
    }
}
