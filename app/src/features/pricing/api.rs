//! The pricing server function and its wire types.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BillingCycle {
    Monthly,
    Annual,
}

impl BillingCycle {
    /// `?billing=annual` selects annual; anything else is monthly.
    pub fn from_query(value: Option<&str>) -> Self {
        match value {
            Some("annual") => BillingCycle::Annual,
            _ => BillingCycle::Monthly,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            BillingCycle::Monthly => "monthly",
            BillingCycle::Annual => "annual",
        }
    }

    /// `page` (a path of this site) showing this cycle.
    pub fn href(self, page: &str) -> String {
        crate::mount::href(&format!("{page}?billing={}", self.as_str()))
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pricing {
    pub plans: Vec<PlanCard>,
    /// The most any plan saves by paying annually, in whole percent.
    pub best_annual_saving: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanCard {
    pub code: String,
    pub name: String,
    pub tagline: String,
    pub monthly: PriceView,
    pub annual: PriceView,
    /// "3 outlets", "Unlimited staff", "White label", …
    pub features: Vec<String>,
    pub highlighted: bool,
}

/// "$8/month" and, for annual billing, "billed $96 annually".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriceView {
    pub per_month: String,
    pub billed: Option<String>,
}

/// The plans as configured; public, needs no session. Stable URL for caches and tests.
#[server(endpoint = "plans")]
pub async fn list_plans() -> Result<Pricing, AppError> {
    let ctx = crate::context::app_context()?;
    Ok(convert::pricing(&ctx.plans))
}

#[cfg(feature = "ssr")]
mod convert {
    use oikos::billing::plans::{Limits, Plan, PlanCatalog, Price};
    use oikos::billing::BillingCycle as Cycle;

    use super::{PlanCard, PriceView, Pricing};

    pub fn pricing(catalog: &PlanCatalog) -> Pricing {
        let currency = catalog.currency();
        let plans = catalog
            .plans()
            .iter()
            .map(|plan| card(plan, currency))
            .collect();
        let best_annual_saving = catalog
            .plans()
            .iter()
            .map(Plan::annual_saving_percent)
            .max()
            .unwrap_or(0);
        Pricing {
            plans,
            best_annual_saving,
        }
    }

    fn card(plan: &Plan, currency: &str) -> PlanCard {
        PlanCard {
            code: plan.code.clone(),
            name: plan.name.clone(),
            tagline: plan.tagline.clone(),
            monthly: price(&plan.price(Cycle::Monthly), currency),
            annual: price(&plan.price(Cycle::Annual), currency),
            features: features(&plan.limits, plan.white_label),
            highlighted: plan.highlighted,
        }
    }

    fn price(price: &Price, currency: &str) -> PriceView {
        PriceView {
            per_month: price.per_month_label(currency),
            billed: price.billed_label(currency),
        }
    }

    fn features(limits: &Limits, white_label: bool) -> Vec<String> {
        let mut features = vec![
            limit(limits.outlets, "outlet", "outlets"),
            limit(limits.staff, "staff member", "staff members"),
            limit(
                limits.appointments_per_month,
                "appointment a month",
                "appointments a month",
            ),
            match limits.storage_gb {
                Some(gb) => format!("{gb} GB storage"),
                None => "Unlimited storage".to_owned(),
            },
        ];
        if white_label {
            features.push("White label".to_owned());
        }
        features
    }

    fn limit(value: Option<u32>, one: &str, many: &str) -> String {
        match value {
            Some(1) => format!("1 {one}"),
            Some(n) => format!("{n} {many}"),
            None => format!("Unlimited {many}"),
        }
    }
}
