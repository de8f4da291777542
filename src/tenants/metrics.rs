//! The platform's figures for super admins (`GET /api/v1/admin/metrics` and the dashboard):
//! tenants by plan and by status, sign-ups per day, and monthly recurring revenue.

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use serde::Serialize;

use crate::billing::plans::{BillingCycle, PlanCatalog};
use crate::db::{query, Access, Db};
use crate::tenancy::AdminScope;
use crate::tenants::TenantStatus;
use crate::Result;

/// How many days `signups_per_day` covers, today included.
pub const SIGNUP_DAYS: u64 = 90;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Metrics {
    /// Every plan of the catalogue (zero included), and any other plan a tenant is on.
    pub tenants_by_plan: BTreeMap<String, i64>,
    pub tenants_by_status: BTreeMap<String, i64>,
    /// The last [`SIGNUP_DAYS`] days, oldest first, days without sign-ups included.
    pub signups_per_day: Vec<DaySignups>,
    /// What active subscriptions bring in a month, in the currency's smallest unit (an annual
    /// price counts a twelfth).
    pub mrr_cents: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DaySignups {
    pub date: NaiveDate,
    pub count: i64,
}

/// One group of subscriptions: plan, cycle, status and how many tenants are in it.
pub(crate) type SubscriptionCount = (String, String, String, i64);

pub async fn platform(db: &Db, _by: &AdminScope, plans: &PlanCatalog) -> Result<Metrics> {
    let today = Utc::now().date_naive();
    let since = today - Days::new(SIGNUP_DAYS - 1);
    let mut tx = db.begin(Access::Read).await?;
    let statuses: Vec<(TenantStatus, i64)> =
        query::all!(tx, "SELECT status, count(*) FROM tenants GROUP BY status")?;
    let start = since.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let created: Vec<(DateTime<Utc>,)> = query::all!(
        tx,
        "SELECT created_at FROM tenants WHERE created_at >= $1",
        start
    )?;
    let tenants: i64 = query::scalar!(tx, "SELECT count(*) FROM tenants")?;
    tx.rollback().await?;
    let subscriptions = db.subscription_counts().await?;
    Ok(Metrics {
        tenants_by_plan: by_plan(plans, &subscriptions, tenants),
        tenants_by_status: by_status(statuses),
        signups_per_day: per_day(since, today, created.into_iter().map(|(at,)| at)),
        mrr_cents: monthly_revenue(plans, &subscriptions),
    })
}

fn by_status(counts: Vec<(TenantStatus, i64)>) -> BTreeMap<String, i64> {
    let mut all: BTreeMap<String, i64> = [TenantStatus::Active, TenantStatus::Inactive]
        .into_iter()
        .map(|status| (status.as_str().to_owned(), 0))
        .collect();
    for (status, count) in counts {
        all.insert(status.as_str().to_owned(), count);
    }
    all
}

/// Tenants per plan; a tenant without a subscription row is on the free plan.
fn by_plan(
    plans: &PlanCatalog,
    subscriptions: &[SubscriptionCount],
    tenants: i64,
) -> BTreeMap<String, i64> {
    let mut all: BTreeMap<String, i64> = plans
        .plans()
        .iter()
        .map(|plan| (plan.code.clone(), 0))
        .collect();
    for (plan, _, _, count) in subscriptions {
        *all.entry(plan.clone()).or_default() += count;
    }
    let counted: i64 = subscriptions.iter().map(|(_, _, _, count)| count).sum();
    *all.entry(crate::billing::plans::FREE.to_owned())
        .or_default() += (tenants - counted).max(0);
    all
}

fn per_day(
    since: NaiveDate,
    today: NaiveDate,
    created: impl Iterator<Item = DateTime<Utc>>,
) -> Vec<DaySignups> {
    let mut days: BTreeMap<NaiveDate, i64> = since
        .iter_days()
        .take_while(|day| *day <= today)
        .map(|day| (day, 0))
        .collect();
    for at in created {
        if let Some(count) = days.get_mut(&at.date_naive()) {
            *count += 1;
        }
    }
    days.into_iter()
        .map(|(date, count)| DaySignups { date, count })
        .collect()
}

fn monthly_revenue(plans: &PlanCatalog, subscriptions: &[SubscriptionCount]) -> u64 {
    subscriptions
        .iter()
        .filter(|(_, _, status, _)| status == "active")
        .filter_map(|(plan, cycle, _, count)| {
            let plan = plans.get(plan)?;
            let per_month = match cycle.parse::<BillingCycle>().ok()? {
                BillingCycle::Monthly => plan.monthly_price,
                BillingCycle::Annual => plan.annual_price / 12,
            };
            Some(per_month * u64::try_from(*count).unwrap_or(0))
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> PlanCatalog {
        PlanCatalog::bundled().unwrap()
    }

    #[test]
    fn revenue_counts_active_subscriptions_and_a_twelfth_of_annual_prices() {
        let plans = catalog();
        let basic = plans.get("BASIC").unwrap();
        let pro = plans.get("PRO").unwrap();
        let subscriptions = vec![
            (
                "BASIC".to_owned(),
                "monthly".to_owned(),
                "active".to_owned(),
                3,
            ),
            (
                "PRO".to_owned(),
                "annual".to_owned(),
                "active".to_owned(),
                2,
            ),
            (
                "PRO".to_owned(),
                "monthly".to_owned(),
                "past_due".to_owned(),
                5,
            ),
            (
                "FREE".to_owned(),
                "monthly".to_owned(),
                "active".to_owned(),
                7,
            ),
        ];
        assert_eq!(
            monthly_revenue(&plans, &subscriptions),
            3 * basic.monthly_price + 2 * (pro.annual_price / 12)
        );
    }

    #[test]
    fn every_day_is_listed_and_older_sign_ups_are_left_out() {
        let today = NaiveDate::from_ymd_opt(2026, 3, 31).unwrap();
        let since = today - Days::new(SIGNUP_DAYS - 1);
        let at = |d: NaiveDate| d.and_hms_opt(23, 59, 0).unwrap().and_utc();
        let days = per_day(
            since,
            today,
            [at(today), at(today), at(since), at(since - Days::new(1))].into_iter(),
        );
        assert_eq!(days.len() as u64, SIGNUP_DAYS);
        assert_eq!(
            days.first().unwrap(),
            &DaySignups {
                date: since,
                count: 1
            }
        );
        assert_eq!(
            days.last().unwrap(),
            &DaySignups {
                date: today,
                count: 2
            }
        );
        assert_eq!(days.iter().map(|d| d.count).sum::<i64>(), 3);
    }

    #[test]
    fn tenants_without_a_subscription_row_are_on_free() {
        let plans = catalog();
        let subscriptions = vec![(
            "PRO".to_owned(),
            "monthly".to_owned(),
            "active".to_owned(),
            2,
        )];
        let counts = by_plan(&plans, &subscriptions, 5);
        assert_eq!(counts["PRO"], 2);
        assert_eq!(counts["FREE"], 3);
        assert_eq!(counts["BASIC"], 0);
    }
}
