//! A tenant's account at Stripe: its customer, and the subscription state Oikos records from
//! Stripe's. Every write of that state goes through [`record`], whatever brought the news
//! (a change made here, a webhook, the reconciliation job), and is audited when the plan or
//! status moves.

use chrono::Utc;

use super::provider::Recorded;
use super::stripe::{Stripe, Subscription};
use super::subscriptions::{self, SUSPENDED};
use crate::audit::{self, Action, Event};
use crate::db::{Access, TenantTx};
use crate::tenancy::{SystemScope, TenantId, TenantScope, UserId};
use crate::{AppContext, Error, Result};

/// Stripe, when billing is on (`BillingDisabled` otherwise).
pub fn stripe(ctx: &AppContext) -> Result<&Stripe> {
    ctx.stripe.as_ref().ok_or(Error::BillingDisabled)
}

/// The tenant's Stripe customer, made on first need.
pub async fn customer(ctx: &AppContext, scope: &TenantScope) -> Result<String> {
    customer_of(ctx, scope.tenant_id()).await
}

/// A new workspace's Stripe customer, when billing is on. Registration does not wait on
/// Stripe: if it cannot be reached, the customer is made on the first visit to billing.
pub async fn open(ctx: &AppContext, tenant: TenantId) -> Option<String> {
    ctx.stripe.as_ref()?;
    match customer_of(ctx, tenant).await {
        Ok(customer) => Some(customer),
        Err(err) => {
            tracing::warn!(error = format!("{err:#}"), "making the Stripe customer");
            None
        }
    }
}

/// Two first needs at once may each make a customer; the first recorded wins and the other
/// stays unused at Stripe.
async fn customer_of(ctx: &AppContext, tenant: TenantId) -> Result<String> {
    let stripe = stripe(ctx)?;
    let scope = SystemScope::new().tenant(tenant);
    let mut tx = scope.begin(&ctx.db, Access::Read).await?;
    let known = subscriptions::stripe_ids(&mut tx).await?.customer_id;
    let found = crate::tenants::repository::find_by_id(tx.platform(), tenant).await?;
    tx.rollback().await?;
    if let Some(id) = known {
        return Ok(id);
    }
    let found = found.ok_or(Error::NotFound)?;
    let made = stripe
        .create_customer(
            &tenant.to_string(),
            &found.profile.name,
            found.profile.email.as_str(),
        )
        .await?;
    let mut tx = scope.begin(&ctx.db, Access::Write).await?;
    let id = subscriptions::set_customer(&mut tx, &made.id).await?;
    tx.commit().await?;
    Ok(id)
}

/// Records Stripe's `subscription` for `tenant`. `event` is the webhook event being applied,
/// recorded in the same transaction: when it was applied already, nothing happens.
pub(crate) async fn record(
    ctx: &AppContext,
    tenant: TenantId,
    subscription: &Subscription,
    event: Option<(&str, &str)>,
) -> Result<()> {
    let scope = SystemScope::new().tenant(tenant);
    let mut tx = scope.begin(&ctx.db, Access::Write).await?;
    if let Some((id, kind)) = event {
        if !super::webhooks::remember(tx.platform(), id, kind).await? {
            return tx.rollback().await;
        }
    }
    let ids = subscriptions::stripe_ids(&mut tx).await?;
    let ours = ids.customer_id.as_deref() == Some(subscription.customer.0.as_str());
    // An older subscription ending does not undo a newer one.
    let stale = subscription.status == "canceled"
        && ids
            .stripe_subscription_id
            .as_deref()
            .is_some_and(|id| id != subscription.id);
    if !ours {
        // Metadata naming a tenant whose customer this is not: left alone.
        tracing::warn!(
            subscription = subscription.id,
            "a subscription of another customer names this tenant"
        );
    } else if !stale {
        write(&mut tx, &Recorded::of(subscription), None).await?;
    }
    tx.commit().await
}

/// Writes the state, auditing a change of plan, cycle or status (`by` a super admin who
/// assigned it, or by nobody: Stripe's news).
pub(crate) async fn write(
    tx: &mut TenantTx,
    recorded: &Recorded,
    by: Option<UserId>,
) -> Result<()> {
    let before = subscriptions::summary(tx).await?;
    // A super admin's suspension holds until reactivation, whatever Stripe says meanwhile.
    let suspended = before.as_ref().is_some_and(|b| b.status == SUSPENDED);
    let held;
    let recorded = if suspended {
        held = Recorded {
            status: SUSPENDED,
            ..recorded.clone()
        };
        &held
    } else {
        recorded
    };
    subscriptions::apply(tx, recorded, Utc::now()).await?;
    let moved = before.as_ref().is_none_or(|b| {
        b.plan != recorded.plan
            || b.status != recorded.status
            || b.billing_cycle != recorded.billing_cycle
    });
    if moved {
        let event = Event::new(Action::SubscriptionChanged, by, None).detail(serde_json::json!({
            "plan": recorded.plan,
            "billing_cycle": recorded.billing_cycle,
            "status": recorded.status,
            "was": before,
        }));
        audit::tenant(tx, &event).await?;
    }
    Ok(())
}

/// Brings every tenant with a Stripe customer up to Stripe's state: what a lost webhook or
/// a crash between a Stripe call and its write left behind. A tenant that fails is logged
/// and left for the next run; the others go on.
pub async fn reconcile(ctx: &AppContext) -> Result<Reconciled> {
    let customers = subscriptions::all_customers(&ctx.db).await?;
    let mut done = Reconciled::default();
    for (tenant, customer) in &customers {
        match reconcile_one(ctx, *tenant, customer).await {
            Ok(()) => done.checked += 1,
            Err(err) => {
                tracing::warn!(%tenant, error = format!("{err:#}"), "reconciling with Stripe");
                done.failed += 1;
            }
        }
    }
    Ok(done)
}

/// How a reconciliation went: tenants brought up to date, and tenants that failed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Reconciled {
    pub checked: usize,
    pub failed: usize,
}

async fn reconcile_one(ctx: &AppContext, tenant: TenantId, customer: &str) -> Result<()> {
    let subscriptions = stripe(ctx)?.subscriptions_of(customer).await?;
    // The live one if any, else the newest (Stripe lists newest first).
    let current = subscriptions
        .iter()
        .find(|s| s.status != "canceled")
        .or(subscriptions.first());
    match current {
        Some(current) => record(ctx, tenant, current, None).await,
        None => Ok(()),
    }
}

/// A reactivated tenant takes Stripe's state again (suspension held it meanwhile). Best
/// effort: if Stripe cannot be reached, the hourly reconciliation catches up.
pub async fn resume(ctx: &AppContext, tenant: TenantId) {
    if ctx.stripe.is_none() {
        return;
    }
    let scope = SystemScope::new().tenant(tenant);
    let customer = async {
        let mut tx = scope.begin(&ctx.db, Access::Read).await?;
        let ids = subscriptions::stripe_ids(&mut tx).await?;
        tx.rollback().await?;
        Ok::<_, Error>(ids.customer_id)
    };
    let done = match customer.await {
        Ok(Some(customer)) => reconcile_one(ctx, tenant, &customer).await,
        Ok(None) => Ok(()),
        Err(err) => Err(err),
    };
    if let Err(err) = done {
        tracing::warn!(%tenant, error = format!("{err:#}"), "resuming the subscription");
    }
}
