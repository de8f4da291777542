//! Oikos's plans as Stripe knows them, and Stripe's subscriptions as Oikos records them.
//!
//! Each plan and cycle is one Stripe plan whose id carries the amount
//! (`oikos-basic-monthly-1000usd`): made at start when missing, so starting twice or on
//! several instances changes nothing, and a new price in the plans file makes a new Stripe
//! plan while running subscriptions keep theirs.

use chrono::{DateTime, TimeZone, Utc};

use super::plans::{BillingCycle, Plan, PlanCatalog, FREE};
use super::stripe::{PlanSpec, Stripe, Subscription};
use crate::tenancy::TenantId;
use crate::Result;

/// The Stripe plan id of `plan` billed per `cycle`.
pub fn plan_id(plan: &Plan, cycle: BillingCycle, currency: &str) -> String {
    let price = plan.price(cycle).billed;
    format!(
        "oikos-{}-{}-{price}{}",
        plan.code.to_ascii_lowercase(),
        cycle.as_str(),
        currency.to_ascii_lowercase()
    )
}

/// The plan code and cycle a Stripe plan id names (any amount).
pub fn parse_plan_id(id: &str) -> Option<(String, BillingCycle)> {
    let mut parts = id.strip_prefix("oikos-")?.rsplitn(3, '-');
    let _amount = parts.next()?;
    let cycle = parts.next()?.parse().ok()?;
    let code = parts.next()?.to_ascii_uppercase();
    Some((code, cycle))
}

/// Makes every paid plan known to Stripe.
pub async fn ensure_plans(stripe: &Stripe, catalog: &PlanCatalog) -> Result<()> {
    let currency = catalog.currency();
    for plan in catalog.plans().iter().filter(|p| p.code != FREE) {
        let product = format!("oikos-{}", plan.code.to_ascii_lowercase());
        for (cycle, interval) in [
            (BillingCycle::Monthly, "month"),
            (BillingCycle::Annual, "year"),
        ] {
            let id = plan_id(plan, cycle, currency);
            let spec = PlanSpec {
                id: &id,
                product: &product,
                name: &plan.name,
                amount: plan.price(cycle).billed,
                currency,
                interval,
            };
            stripe.ensure_plan(&spec).await?;
        }
    }
    Ok(())
}

/// A subscription's state as Oikos records it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    pub plan: String,
    pub billing_cycle: BillingCycle,
    pub status: &'static str,
    pub stripe_subscription_id: Option<String>,
    pub current_period_end: Option<DateTime<Utc>>,
    pub cancel_at_period_end: bool,
}

impl Recorded {
    /// Back on FREE: no Stripe subscription (none yet, or it ended).
    pub fn free(status: &'static str) -> Recorded {
        Recorded {
            plan: FREE.to_owned(),
            billing_cycle: BillingCycle::Monthly,
            status,
            stripe_subscription_id: None,
            current_period_end: None,
            cancel_at_period_end: false,
        }
    }

    /// What Stripe's `subscription` means for the tenant. An ended subscription puts the
    /// tenant back on FREE, its status `canceled`.
    pub fn of(subscription: &Subscription) -> Recorded {
        let status = status_of(&subscription.status);
        let plan = subscription
            .item()
            .and_then(|item| parse_plan_id(&item.plan.id));
        match plan {
            Some((plan, billing_cycle)) if status != "canceled" => Recorded {
                plan,
                billing_cycle,
                status,
                stripe_subscription_id: Some(subscription.id.clone()),
                current_period_end: subscription
                    .current_period_end
                    .and_then(|at| Utc.timestamp_opt(at, 0).single()),
                cancel_at_period_end: subscription.cancel_at_period_end,
            },
            _ => Recorded::free("canceled"),
        }
    }
}

/// Stripe's subscription statuses onto Oikos's: `incomplete`, `incomplete_expired` and
/// `paused` (no payment went through) are `inactive`.
pub fn status_of(stripe: &str) -> &'static str {
    match stripe {
        "active" => "active",
        "trialing" => "trialing",
        "past_due" => "past_due",
        "unpaid" => "unpaid",
        "canceled" => "canceled",
        _ => "inactive",
    }
}

/// The tenant a Stripe object names in its metadata (Oikos writes it on every customer and
/// subscription it makes).
pub fn tenant_of(metadata: &std::collections::HashMap<String, String>) -> Option<TenantId> {
    metadata.get("tenant_id")?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plan_ids_name_plan_cycle_and_amount_and_read_back() {
        let catalog = PlanCatalog::bundled().unwrap();
        let basic = catalog.get("BASIC").unwrap();
        let id = plan_id(basic, BillingCycle::Annual, "usd");
        assert_eq!(id, format!("oikos-basic-annual-{}usd", basic.annual_price));
        assert_eq!(
            parse_plan_id(&id),
            Some(("BASIC".to_owned(), BillingCycle::Annual))
        );
        assert_eq!(parse_plan_id("price_123"), None);
        assert_eq!(parse_plan_id("oikos-x-weekly-1usd"), None);
    }

    #[test]
    fn stripe_statuses_map_onto_oikos_statuses() {
        let pairs = [
            ("active", "active"),
            ("trialing", "trialing"),
            ("past_due", "past_due"),
            ("unpaid", "unpaid"),
            ("canceled", "canceled"),
            ("incomplete", "inactive"),
            ("incomplete_expired", "inactive"),
            ("paused", "inactive"),
        ];
        for (stripe, oikos) in pairs {
            assert_eq!(status_of(stripe), oikos);
        }
    }
}
