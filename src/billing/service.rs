//! What a TENANT_ADMIN does with the subscription (PRODUCT.md §7): read it, change plan or
//! billing cycle (upgrade, downgrade), cancel at period end and take that back, preview what a
//! change costs, and see usage against the plan's limits. Changes go to Stripe first and are
//! recorded from Stripe's answer; a crash in between is mended by the webhook or the
//! reconciliation job, which record the same state.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::account;
use super::plans::{BillingCycle, Limits, Plan, FREE};
use super::provider::{plan_id, Recorded};
use super::subscriptions;
use crate::db::Access;
use crate::error::FieldErrors;
use crate::tenancy::{AdminScope, Permission, TenantId, TenantScope};
use crate::{AppContext, Error, Result};

/// `GET /api/v1/subscriptions/current`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Current {
    pub plan: String,
    pub status: String,
    pub billing_cycle: BillingCycle,
    pub current_period_end: Option<DateTime<Utc>>,
    pub cancel_at_period_end: bool,
}

/// A change of plan or cycle asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    Upgrade,
    Downgrade,
}

/// Any member may read it (the portal warns everyone when payment fails).
pub async fn current(ctx: &AppContext, scope: &TenantScope) -> Result<Current> {
    scope.require(Permission::ViewTenant)?;
    let mut tx = scope.begin(&ctx.db, Access::Read).await?;
    let current = subscriptions::current(&mut tx).await?;
    tx.rollback().await?;
    current.ok_or(Error::NotFound)
}

/// Moves the subscription to `plan` billed per `cycle`. An upgrade goes to a dearer plan (or
/// the same plan on the other cycle), a downgrade to a cheaper one that the tenant's usage
/// fits (otherwise the fields say what to remove first). Down to FREE cancels the paid
/// subscription at the end of its period.
pub async fn change(
    ctx: &AppContext,
    scope: &TenantScope,
    plan: &str,
    cycle: &str,
    direction: Direction,
) -> Result<Current> {
    scope.require(Permission::ManageBilling)?;
    let stripe = account::stripe(ctx)?;
    let (target, cycle) = target(ctx, plan, cycle)?;
    let now = current(ctx, scope).await?;
    let from = ctx.plans.get(&now.plan).ok_or(Error::NotFound)?;
    check_direction(ctx, from, target, direction, (now.billing_cycle, cycle))?;
    if direction == Direction::Downgrade {
        fits(ctx, scope, target).await?;
    }
    let customer = account::customer(ctx, scope).await?;
    let live = live_subscription(ctx, scope).await?;
    let stripe_plan = plan_id(target, cycle, ctx.plans.currency());
    let changed = match (target.code == FREE, live) {
        (true, Some(live)) => stripe.set_cancel_at_period_end(&live, true).await?,
        (true, None) => return current(ctx, scope).await,
        (false, Some(live)) => {
            let live = stripe.subscription(&live).await?;
            stripe.change_plan(&live, &stripe_plan).await?
        }
        (false, None) => {
            let payer = stripe.customer(&customer).await?;
            if payer.invoice_settings.default_payment_method.is_none() {
                return Err(Error::PaymentMethodRequired);
            }
            let tenant = scope.tenant_id().to_string();
            stripe
                .create_subscription(&customer, &stripe_plan, &tenant)
                .await?
        }
    };
    account::record(ctx, scope.tenant_id(), &changed, None).await?;
    current(ctx, scope).await
}

/// What moving to `plan` per `cycle` would charge next, before the admin confirms.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preview {
    pub direction: Direction,
    /// What the next invoice comes to (credits for unused time included), in cents.
    pub amount_due: i64,
    /// (description, cents); credits are negative.
    pub lines: Vec<(String, i64)>,
}

pub async fn preview(
    ctx: &AppContext,
    scope: &TenantScope,
    plan: &str,
    cycle: &str,
) -> Result<Preview> {
    scope.require(Permission::ManageBilling)?;
    let stripe = account::stripe(ctx)?;
    let (target, cycle) = target(ctx, plan, cycle)?;
    let now = current(ctx, scope).await?;
    let from = ctx.plans.get(&now.plan).ok_or(Error::NotFound)?;
    let direction = direction_of(ctx, (from, now.billing_cycle), (target, cycle))
        .ok_or_else(|| Error::invalid("plan", "This is your current plan."))?;
    let live = live_subscription(ctx, scope).await?;
    let (amount_due, lines) = match (target.code == FREE, live) {
        (true, _) => (0, Vec::new()),
        (false, Some(live)) => {
            let live = stripe.subscription(&live).await?;
            let invoice = stripe
                .preview_change(&live, &plan_id(target, cycle, ctx.plans.currency()))
                .await?;
            let lines = invoice
                .lines
                .data
                .into_iter()
                .map(|line| {
                    (
                        line.description.unwrap_or_else(|| target.name.clone()),
                        line.amount,
                    )
                })
                .collect();
            (invoice.amount_due, lines)
        }
        (false, None) => {
            let billed = i64::try_from(target.price(cycle).billed).unwrap_or(i64::MAX);
            (
                billed,
                vec![(format!("{} ({})", target.name, cycle.as_str()), billed)],
            )
        }
    };
    Ok(Preview {
        direction,
        amount_due,
        lines,
    })
}

/// The plan and cycle a request names.
fn target<'a>(ctx: &'a AppContext, plan: &str, cycle: &str) -> Result<(&'a Plan, BillingCycle)> {
    let plan = ctx
        .plans
        .get(&plan.trim().to_ascii_uppercase())
        .ok_or_else(|| Error::invalid("plan", "Choose one of the plans."))?;
    Ok((plan, cycle.parse()?))
}

/// With billing off, a super admin assigns the plan (PRODUCT.md §7). A plan the workspace's
/// outlets or staff do not fit is refused, as a downgrade is; the change is audited as the
/// super admin's. With billing on, plans move only through Stripe (`BillingEnabled`).
pub async fn assign(
    ctx: &AppContext,
    by: &AdminScope,
    tenant: TenantId,
    plan: &str,
    cycle: &str,
) -> Result<Current> {
    if ctx.stripe.is_some() {
        return Err(Error::BillingEnabled);
    }
    let scope = by.tenant(tenant);
    let (target, cycle) = target(ctx, plan, cycle)?;
    current(ctx, &scope).await?;
    fits(ctx, &scope, target).await?;
    let assigned = Recorded {
        plan: target.code.clone(),
        billing_cycle: cycle,
        status: "active",
        stripe_subscription_id: None,
        current_period_end: None,
        cancel_at_period_end: false,
    };
    let mut tx = scope.begin(&ctx.db, Access::Write).await?;
    account::write(&mut tx, &assigned, Some(by.user_id())).await?;
    tx.commit().await?;
    current(ctx, &scope).await
}

/// A change whichever way it goes (the portal's page offers every other plan).
pub async fn switch(
    ctx: &AppContext,
    scope: &TenantScope,
    plan: &str,
    cycle: &str,
) -> Result<Current> {
    let (target, to_cycle) = target(ctx, plan, cycle)?;
    let now = current(ctx, scope).await?;
    let from = ctx.plans.get(&now.plan).ok_or(Error::NotFound)?;
    let direction = direction_of(ctx, (from, now.billing_cycle), (target, to_cycle))
        .ok_or_else(|| Error::invalid("plan", "This is your current plan."))?;
    change(ctx, scope, plan, cycle, direction).await
}

/// Cancels at the end of the period (`true`) or takes the cancellation back.
pub async fn set_cancel(ctx: &AppContext, scope: &TenantScope, cancel: bool) -> Result<Current> {
    scope.require(Permission::ManageBilling)?;
    let stripe = account::stripe(ctx)?;
    let live = live_subscription(ctx, scope)
        .await?
        .ok_or_else(|| Error::invalid("plan", "There is no paid subscription to cancel."))?;
    let changed = stripe.set_cancel_at_period_end(&live, cancel).await?;
    account::record(ctx, scope.tenant_id(), &changed, None).await?;
    current(ctx, scope).await
}

/// The Stripe subscription the tenant pays through, if any.
async fn live_subscription(ctx: &AppContext, scope: &TenantScope) -> Result<Option<String>> {
    let mut tx = scope.begin(&ctx.db, Access::Read).await?;
    let ids = subscriptions::stripe_ids(&mut tx).await?;
    tx.rollback().await?;
    Ok(ids.stripe_subscription_id)
}

/// Which way moving from `from` to `to` goes: plans rank in the file's order (cheapest
/// first); the same paid plan on the other cycle counts either way. `None`: no move at all.
pub fn direction_of(
    ctx: &AppContext,
    (from, from_cycle): (&Plan, BillingCycle),
    (to, to_cycle): (&Plan, BillingCycle),
) -> Option<Direction> {
    let rank = |plan: &Plan| ctx.plans.plans().iter().position(|p| p.code == plan.code);
    match rank(to).cmp(&rank(from)) {
        std::cmp::Ordering::Greater => Some(Direction::Upgrade),
        std::cmp::Ordering::Less => Some(Direction::Downgrade),
        std::cmp::Ordering::Equal if to_cycle != from_cycle && to.code != FREE => {
            Some(Direction::Upgrade)
        }
        std::cmp::Ordering::Equal => None,
    }
}

fn check_direction(
    ctx: &AppContext,
    from: &Plan,
    to: &Plan,
    direction: Direction,
    (from_cycle, to_cycle): (BillingCycle, BillingCycle),
) -> Result<()> {
    let switch = from.code == to.code && from_cycle != to_cycle;
    let found = direction_of(ctx, (from, from_cycle), (to, to_cycle));
    if found == Some(direction) || (switch && found.is_some()) {
        return Ok(());
    }
    let message = match direction {
        Direction::Upgrade => "Choose a plan above your current one.",
        Direction::Downgrade => "Choose a plan below your current one.",
    };
    Err(Error::invalid("plan", message))
}

/// `GET /api/v1/subscriptions/usage`: each limit with what is used of it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Usage {
    pub outlets: Gauge,
    pub staff: Gauge,
    pub appointments_per_month: Gauge,
    pub storage_gb: Gauge,
}

/// `limit: None` is unlimited.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Gauge {
    pub used: f64,
    pub limit: Option<u32>,
}

pub async fn usage(ctx: &AppContext, scope: &TenantScope) -> Result<Usage> {
    scope.require(Permission::ViewStats)?;
    let mut tx = scope.begin(&ctx.db, Access::Read).await?;
    let used = subscriptions::used(&mut tx).await?;
    let plan = subscriptions::summary(&mut tx).await?.map(|s| s.plan);
    tx.rollback().await?;
    let limits = plan
        .and_then(|code| ctx.plans.get(&code))
        .or_else(|| ctx.plans.get(FREE))
        .map(|plan| plan.limits)
        .unwrap_or_default();
    Ok(Usage {
        outlets: Gauge {
            used: used.outlets as f64,
            limit: limits.outlets,
        },
        staff: Gauge {
            used: used.staff as f64,
            limit: limits.staff,
        },
        // Oikos keeps no appointments itself: none are counted against the plan.
        appointments_per_month: Gauge {
            used: 0.0,
            limit: limits.appointments_per_month,
        },
        storage_gb: Gauge {
            used: (used.storage_bytes as f64 / 1e9 * 1000.0).round() / 1000.0,
            limit: limits.storage_gb,
        },
    })
}

/// Refuses a downgrade the tenant's usage does not fit, saying what to remove first.
async fn fits(ctx: &AppContext, scope: &TenantScope, target: &Plan) -> Result<()> {
    let usage = usage(ctx, scope).await?;
    let Limits { outlets, staff, .. } = target.limits;
    let mut fields = FieldErrors::new();
    let over = |used: f64, limit: Option<u32>| {
        limit.map(f64::from).filter(|l| used > *l).map(|l| used - l)
    };
    if let Some(extra) = over(usage.outlets.used, outlets) {
        fields.insert(
            "outlets".to_owned(),
            format!(
                "{} allows {} outlet(s): remove {extra} first.",
                target.name,
                outlets.unwrap_or_default()
            ),
        );
    }
    if let Some(extra) = over(usage.staff.used, staff) {
        fields.insert(
            "staff".to_owned(),
            format!(
                "{} allows {} staff (members and pending invitations): remove {extra} first.",
                target.name,
                staff.unwrap_or_default()
            ),
        );
    }
    if fields.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid { fields })
    }
}
