//! Stripe's events (`POST /api/v1/webhooks/stripe`): verified by signature, applied once per
//! event id, and never trusted for state. An event only says *which* subscription changed;
//! its current state is read back from Stripe, so events arriving late or out of order
//! still leave the tenant as Stripe has it now.

use chrono::Utc;
use serde::Deserialize;

use super::account;
use super::provider::tenant_of;
use crate::db::{query, Access, Tx};
use crate::signature;
use crate::{AppContext, Error, Result};

/// An event as Oikos reads it.
#[derive(Debug, Deserialize)]
struct StripeEvent {
    id: String,
    #[serde(rename = "type")]
    kind: String,
    data: EventData,
}

#[derive(Debug, Deserialize)]
struct EventData {
    object: EventObject,
}

/// The fields of the event's object that lead to a subscription.
#[derive(Debug, Deserialize)]
struct EventObject {
    id: Option<String>,
    /// An invoice's subscription.
    subscription: Option<String>,
}

impl StripeEvent {
    /// The subscription the event is about, if any.
    fn subscription(&self) -> Option<&str> {
        let object = &self.data.object;
        if self.kind.starts_with("customer.subscription.") {
            object.id.as_deref()
        } else if self.kind.starts_with("invoice.") {
            object.subscription.as_deref()
        } else {
            None
        }
    }
}

/// Verifies and applies one delivery. `BadSignature` for a forged or stale one; anything
/// verified is answered as received (also events Oikos ignores and repeats).
pub async fn receive(ctx: &AppContext, signature_header: Option<&str>, body: &[u8]) -> Result<()> {
    let stripe = account::stripe(ctx)?;
    let secret = ctx
        .config
        .stripe
        .as_ref()
        .and_then(|config| config.webhook_secret.as_ref())
        .ok_or(Error::BillingDisabled)?;
    let header = signature_header.ok_or(Error::BadSignature)?;
    signature::verify(header, body, secret, Utc::now().timestamp())
        .map_err(|_| Error::BadSignature)?;
    let event: StripeEvent = serde_json::from_slice(body)
        .map_err(|_| Error::invalid("body", "This is not a Stripe event."))?;
    let subscription = match event.subscription() {
        Some(id) => Some(stripe.subscription(id).await?),
        None => None,
    };
    match subscription
        .as_ref()
        .and_then(|s| tenant_of(&s.metadata).map(|tenant| (s, tenant)))
    {
        Some((subscription, tenant)) => {
            let applied = Some((event.id.as_str(), event.kind.as_str()));
            account::record(ctx, tenant, subscription, applied).await
        }
        None => {
            // Nothing of a tenant's changes: only remembered.
            let mut tx = ctx.db.begin(Access::Write).await?;
            remember(&mut tx, &event.id, &event.kind).await?;
            tx.commit().await
        }
    }
}

/// Records `id` as applied: `false` when it was already.
pub(crate) async fn remember(tx: &mut Tx, id: &str, kind: &str) -> Result<bool> {
    let sql = "INSERT INTO stripe_events (id, type, received_at) VALUES ($1, $2, $3)
               ON CONFLICT (id) DO NOTHING";
    Ok(query::execute!(tx, sql, id, kind, Utc::now())? == 1)
}
