//! The plan catalogue, read from a TOML file (`config/plans.toml` is bundled as the default).

use std::collections::HashSet;
use std::path::Path;

use anyhow::Context as _;
use serde::Deserialize;

use crate::{Error, Result};

const BUNDLED: &str = include_str!("../../config/plans.toml");

/// The plan every new tenant starts on.
pub const FREE: &str = "FREE";

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanCatalog {
    currency: String,
    plans: Vec<Plan>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub code: String,
    pub name: String,
    #[serde(default)]
    pub tagline: String,
    /// Smallest currency unit per month when billed monthly.
    pub monthly_price: u64,
    /// Smallest currency unit per year when billed annually.
    pub annual_price: u64,
    #[serde(flatten)]
    pub limits: Limits,
    #[serde(default)]
    pub white_label: bool,
    /// Shown as the recommended plan.
    #[serde(default)]
    pub highlighted: bool,
}

/// `None` is unlimited.
#[derive(Clone, Copy, Debug, Default, Deserialize, serde::Serialize, PartialEq, Eq)]
pub struct Limits {
    pub outlets: Option<u32>,
    pub staff: Option<u32>,
    pub appointments_per_month: Option<u32>,
    pub storage_gb: Option<u32>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum BillingCycle {
    Monthly,
    Annual,
}

impl BillingCycle {
    pub fn as_str(self) -> &'static str {
        match self {
            BillingCycle::Monthly => "monthly",
            BillingCycle::Annual => "annual",
        }
    }
}

impl std::str::FromStr for BillingCycle {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        match s {
            "monthly" => Ok(BillingCycle::Monthly),
            "annual" => Ok(BillingCycle::Annual),
            _ => Err(Error::invalid("billing_cycle", "Choose monthly or annual.")),
        }
    }
}

crate::db::query::text_type!(BillingCycle);

/// A plan's price in one billing cycle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Price {
    pub cycle: BillingCycle,
    /// What one month costs, in the smallest unit (annual prices divided by twelve).
    pub per_month: u64,
    /// What is charged each cycle.
    pub billed: u64,
}

impl PlanCatalog {
    /// The plans shipped with Oikos.
    pub fn bundled() -> Result<Self> {
        Self::parse(BUNDLED)
    }

    /// The bundled plans, or those in `path` when given.
    pub fn load(path: Option<&Path>) -> Result<Self> {
        match path {
            None => Self::bundled(),
            Some(path) => {
                let text = std::fs::read_to_string(path)
                    .with_context(|| format!("reading plans from {}", path.display()))?;
                Self::parse(&text)
                    .map_err(|err| anyhow::anyhow!("{}: {}", path.display(), describe(&err)).into())
            }
        }
    }

    pub fn parse(text: &str) -> Result<Self> {
        let catalog: PlanCatalog =
            toml::from_str(text).map_err(|err| Error::invalid("plans", err.message()))?;
        catalog.validate()?;
        Ok(catalog)
    }

    pub fn currency(&self) -> &str {
        &self.currency
    }

    pub fn plans(&self) -> &[Plan] {
        &self.plans
    }

    pub fn get(&self, code: &str) -> Option<&Plan> {
        self.plans.iter().find(|plan| plan.code == code)
    }

    fn validate(&self) -> Result<()> {
        let mut seen = HashSet::new();
        for plan in &self.plans {
            if !seen.insert(plan.code.as_str()) {
                return Err(Error::invalid(
                    "plans",
                    format!("plan {} appears twice", plan.code),
                ));
            }
            if plan.annual_price > plan.monthly_price * 12 {
                let message = format!("plan {} costs more billed annually than monthly", plan.code);
                return Err(Error::invalid("plans", message));
            }
        }
        match self.get(FREE) {
            Some(free) if free.monthly_price == 0 && free.annual_price == 0 => Ok(()),
            Some(_) => Err(Error::invalid("plans", "the FREE plan must cost nothing")),
            None => Err(Error::invalid("plans", "a FREE plan is required")),
        }
    }
}

impl Plan {
    pub fn price(&self, cycle: BillingCycle) -> Price {
        match cycle {
            BillingCycle::Monthly => Price {
                cycle,
                per_month: self.monthly_price,
                billed: self.monthly_price,
            },
            BillingCycle::Annual => Price {
                cycle,
                per_month: self.annual_price.div_ceil(12),
                billed: self.annual_price,
            },
        }
    }

    /// Whole percent saved per year by paying annually.
    pub fn annual_saving_percent(&self) -> u64 {
        let full_year = self.monthly_price * 12;
        match full_year {
            0 => 0,
            _ => (full_year - self.annual_price) * 100 / full_year,
        }
    }
}

impl Price {
    /// The price as a person reads it: "$10/month", "$8/month (billed $96 annually)", "Free".
    pub fn label(&self, currency: &str) -> String {
        match self.billed_label(currency) {
            Some(billed) => format!("{} ({billed})", self.per_month_label(currency)),
            None => self.per_month_label(currency),
        }
    }

    /// "$8/month", or "Free".
    pub fn per_month_label(&self, currency: &str) -> String {
        match self.billed {
            0 => "Free".to_owned(),
            _ => format!("{}/month", money(self.per_month, currency)),
        }
    }

    /// "billed $96 annually" for a paid annual price; nothing otherwise.
    pub fn billed_label(&self, currency: &str) -> Option<String> {
        (self.cycle == BillingCycle::Annual && self.billed > 0)
            .then(|| format!("billed {} annually", money(self.billed, currency)))
    }
}

/// "$8", "$7.50", "€12", "120 CHF": whole amounts without decimals.
pub fn money(amount: u64, currency: &str) -> String {
    let number = match amount % 100 {
        0 => (amount / 100).to_string(),
        cents => format!("{}.{cents:02}", amount / 100),
    };
    match currency.to_ascii_lowercase().as_str() {
        "usd" => format!("${number}"),
        "eur" => format!("€{number}"),
        "gbp" => format!("£{number}"),
        other => format!("{number} {}", other.to_ascii_uppercase()),
    }
}

fn describe(err: &Error) -> String {
    match err {
        Error::Invalid { fields } => fields.values().cloned().collect::<Vec<_>>().join("; "),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_plans_match_the_product_table() {
        let catalog = PlanCatalog::bundled().unwrap();
        let codes: Vec<_> = catalog.plans().iter().map(|p| p.code.as_str()).collect();
        assert_eq!(codes, ["FREE", "BASIC", "PRO", "ENTERPRISE"]);
        let free = catalog.get("FREE").unwrap();
        assert_eq!(
            free.limits,
            Limits {
                outlets: Some(1),
                staff: Some(5),
                appointments_per_month: Some(100),
                storage_gb: Some(1)
            }
        );
        let enterprise = catalog.get("ENTERPRISE").unwrap();
        assert_eq!(enterprise.limits, Limits::default());
        assert!(enterprise.white_label);
    }

    #[test]
    fn annual_prices_are_shown_per_month_with_the_yearly_charge() {
        let catalog = PlanCatalog::bundled().unwrap();
        let basic = catalog.get("BASIC").unwrap();
        assert_eq!(basic.price(BillingCycle::Monthly).label("usd"), "$10/month");
        assert_eq!(
            basic.price(BillingCycle::Annual).label("usd"),
            "$8/month (billed $96 annually)"
        );
        assert_eq!(basic.annual_saving_percent(), 20);
        let free = catalog.get("FREE").unwrap();
        assert_eq!(free.price(BillingCycle::Annual).label("usd"), "Free");
    }

    #[test]
    fn money_shows_cents_only_when_there_are_some() {
        assert_eq!(money(750, "usd"), "$7.50");
        assert_eq!(money(1200, "EUR"), "€12");
        assert_eq!(money(12000, "chf"), "120 CHF");
    }

    #[test]
    fn invalid_catalogues_are_refused_with_a_reason() {
        let no_free = "currency = \"usd\"\n[[plans]]\ncode = \"PRO\"\nname = \"Pro\"\nmonthly_price = 1\nannual_price = 12\n";
        assert!(matches!(
            PlanCatalog::parse(no_free),
            Err(Error::Invalid { .. })
        ));
        let dearer_annual = "currency = \"usd\"\n[[plans]]\ncode = \"FREE\"\nname = \"Free\"\nmonthly_price = 0\nannual_price = 0\n[[plans]]\ncode = \"PRO\"\nname = \"Pro\"\nmonthly_price = 100\nannual_price = 1300\n";
        let err = PlanCatalog::parse(dearer_annual).unwrap_err();
        assert!(describe(&err).contains("more billed annually"), "{err:?}");
        assert!(PlanCatalog::parse("currency = 1").is_err());
    }
}
