//! A tenant's account at Stripe: its customer, and the subscription state Oikos records from
//! Stripe's. Every write of that state goes through [`record`], whatever brought the news
//! (a change made here, a webhook, the reconciliation job), and is audited when the plan or
//! status moves.

use chrono::Utc;

use super::provider::Recorded;
use super::stripe::{Stripe, Subscription};
use super::subscriptions;
use crate::audit::{self, Action, Event};
use crate::db::{Access, TenantTx};
use crate::tenancy::{SystemScope, TenantId, TenantScope};
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
        write(&mut tx, &Recorded::of(subscription)).await?;
    }
    tx.commit().await
}

/// Writes the state, auditing a change of plan, cycle or status.
async fn write(tx: &mut TenantTx, recorded: &Recorded) -> Result<()> {
    let before = subscriptions::summary(tx).await?;
    subscriptions::apply(tx, recorded, Utc::now()).await?;
    let moved = before.as_ref().is_none_or(|b| {
        b.plan != recorded.plan
            || b.status != recorded.status
            || b.billing_cycle != recorded.billing_cycle
    });
    if moved {
        let event = Event::new(Action::SubscriptionChanged, None, None).detail(serde_json::json!({
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
/// a crash between a Stripe call and its write left behind. Returns how many tenants.
pub async fn reconcile(ctx: &AppContext) -> Result<usize> {
    let stripe = stripe(ctx)?;
    let customers = subscriptions::all_customers(&ctx.db).await?;
    for (tenant, customer) in &customers {
        let subscriptions = stripe.subscriptions_of(customer).await?;
        // The live one if any, else the newest (Stripe lists newest first).
        let current = subscriptions
            .iter()
            .find(|s| s.status != "canceled")
            .or(subscriptions.first());
        if let Some(current) = current {
            record(ctx, *tenant, current, None).await?;
        }
    }
    Ok(customers.len())
}
