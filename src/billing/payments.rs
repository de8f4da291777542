//! The tenant's cards and invoices at Stripe (TENANT_ADMIN). Cards are added in the browser
//! through a SetupIntent (the card number never reaches Oikos) and then attached here; the
//! default one pays the subscription and cannot be deleted while a paid plan runs. Every id a
//! caller names is checked to belong to the tenant's own customer.

use chrono::{DateTime, TimeZone, Utc};
use serde::Serialize;

use super::account;
use super::stripe::{Invoice, PaymentMethod, Stripe};
use super::subscriptions;
use crate::db::Access;
use crate::tenancy::{Permission, TenantScope};
use crate::{AppContext, Error, Result};

/// `POST /api/v1/payment-methods/setup-intent`: what Stripe.js needs to collect a card.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CardSetup {
    pub setup_intent_id: String,
    pub client_secret: String,
}

/// A card as `GET /api/v1/payment-methods` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Card {
    pub id: String,
    pub brand: String,
    pub last4: String,
    pub exp_month: u32,
    pub exp_year: u32,
    pub is_default: bool,
}

/// An invoice as `GET /api/v1/invoices` lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InvoiceRow {
    pub id: String,
    pub number: Option<String>,
    pub status: String,
    pub amount_due: i64,
    pub currency: String,
    pub created: Option<DateTime<Utc>>,
    pub download_url: String,
}

/// Where an invoice's document is.
#[derive(Clone, Debug)]
pub enum InvoiceDocument {
    /// Stripe's PDF or hosted page.
    At(String),
    /// No document at Stripe: Oikos prints the invoice itself.
    Printed(Invoice),
}

/// Stripe and the tenant's customer, for a TENANT_ADMIN.
async fn billed<'a>(ctx: &'a AppContext, scope: &TenantScope) -> Result<(&'a Stripe, String)> {
    scope.require(Permission::ManageBilling)?;
    let stripe = account::stripe(ctx)?;
    Ok((stripe, account::customer(ctx, scope).await?))
}

pub async fn setup_card(ctx: &AppContext, scope: &TenantScope) -> Result<CardSetup> {
    let (stripe, customer) = billed(ctx, scope).await?;
    let intent = stripe.create_setup_intent(&customer).await?;
    Ok(CardSetup {
        setup_intent_id: intent.id,
        client_secret: intent.client_secret.unwrap_or_default(),
    })
}

/// Attaches a card Stripe.js made; the first card becomes the default.
pub async fn add_card(ctx: &AppContext, scope: &TenantScope, method: &str) -> Result<Card> {
    let (stripe, customer) = billed(ctx, scope).await?;
    let method = method.trim();
    if method.is_empty() {
        return Err(Error::invalid("payment_method_id", "Add a card first."));
    }
    let attached = attach(stripe, &customer, method).await?;
    let mut default = stripe
        .customer(&customer)
        .await?
        .invoice_settings
        .default_payment_method
        .map(|id| id.0);
    if default.is_none() {
        stripe
            .set_default_payment_method(&customer, &attached.id)
            .await?;
        default = Some(attached.id.clone());
    }
    card(&attached, default.as_deref())
}

pub async fn cards(ctx: &AppContext, scope: &TenantScope) -> Result<Vec<Card>> {
    let (stripe, customer) = billed(ctx, scope).await?;
    let default = default_card(stripe, &customer).await?;
    stripe
        .payment_methods(&customer)
        .await?
        .iter()
        .map(|method| card(method, default.as_deref()))
        .collect()
}

pub async fn make_default(ctx: &AppContext, scope: &TenantScope, method: &str) -> Result<Card> {
    let (stripe, customer) = billed(ctx, scope).await?;
    let method = own_card(stripe, &customer, method).await?;
    stripe
        .set_default_payment_method(&customer, &method.id)
        .await?;
    card(&method, Some(&method.id))
}

/// Detaches a card; never the default one while a paid subscription runs.
pub async fn delete_card(ctx: &AppContext, scope: &TenantScope, method: &str) -> Result<()> {
    let (stripe, customer) = billed(ctx, scope).await?;
    let method = own_card(stripe, &customer, method).await?;
    let is_default = default_card(stripe, &customer).await?.as_deref() == Some(method.id.as_str());
    if is_default && paying(ctx, scope).await? {
        return Err(Error::PaymentMethodInUse);
    }
    stripe.detach_payment_method(&method.id).await?;
    Ok(())
}

pub async fn invoices(ctx: &AppContext, scope: &TenantScope) -> Result<Vec<InvoiceRow>> {
    let (stripe, customer) = billed(ctx, scope).await?;
    let links = &ctx.links;
    Ok(stripe
        .invoices(&customer)
        .await?
        .into_iter()
        .filter_map(|invoice| {
            let id = invoice.id?;
            Some(InvoiceRow {
                download_url: links.main(&format!("/api/v1/invoices/{id}/download")),
                id,
                number: invoice.number,
                status: invoice.status.unwrap_or_else(|| "draft".to_owned()),
                amount_due: invoice.amount_due,
                currency: invoice.currency,
                created: invoice
                    .created
                    .and_then(|at| Utc.timestamp_opt(at, 0).single()),
            })
        })
        .collect())
}

/// The tenant's invoice `id`: Stripe's document when it has one, else the invoice to print.
pub async fn invoice_document(
    ctx: &AppContext,
    scope: &TenantScope,
    id: &str,
) -> Result<InvoiceDocument> {
    let (stripe, customer) = billed(ctx, scope).await?;
    let invoice = stripe.invoice(id).await?;
    if invoice.customer.as_ref().map(|c| c.0.as_str()) != Some(customer.as_str()) {
        return Err(Error::NotFound);
    }
    Ok(
        match invoice
            .invoice_pdf
            .clone()
            .or(invoice.hosted_invoice_url.clone())
        {
            Some(url) => InvoiceDocument::At(url),
            None => InvoiceDocument::Printed(invoice),
        },
    )
}

async fn default_card(stripe: &Stripe, customer: &str) -> Result<Option<String>> {
    let customer = stripe.customer(customer).await?;
    Ok(customer
        .invoice_settings
        .default_payment_method
        .map(|id| id.0))
}

/// The customer's card `id` (`NotFound` for anyone else's).
async fn own_card(stripe: &Stripe, customer: &str, id: &str) -> Result<PaymentMethod> {
    let method = stripe.payment_method(id.trim()).await?;
    match &method.customer {
        Some(owner) if owner.0 == customer => Ok(method),
        _ => Err(Error::NotFound),
    }
}

/// The card attached to the customer. Confirming a SetupIntent at Stripe attaches it already
/// (localstripe leaves that to this call); another customer's card is nobody's here.
async fn attach(stripe: &Stripe, customer: &str, id: &str) -> Result<PaymentMethod> {
    let method = stripe.payment_method(id).await?;
    match &method.customer {
        None => stripe.attach_payment_method(id, customer).await,
        Some(owner) if owner.0 == customer => Ok(method),
        Some(_) => Err(Error::NotFound),
    }
}

/// Whether a paid subscription is running.
async fn paying(ctx: &AppContext, scope: &TenantScope) -> Result<bool> {
    let mut tx = scope.begin(&ctx.db, Access::Read).await?;
    let ids = subscriptions::stripe_ids(&mut tx).await?;
    tx.rollback().await?;
    Ok(ids.stripe_subscription_id.is_some())
}

fn card(method: &PaymentMethod, default: Option<&str>) -> Result<Card> {
    let card = method
        .card
        .as_ref()
        .ok_or_else(|| Error::invalid("payment_method_id", "Only cards are accepted."))?;
    Ok(Card {
        id: method.id.clone(),
        brand: card.brand.clone(),
        last4: card.last4.clone(),
        exp_month: card.exp_month,
        exp_year: card.exp_year,
        is_default: default == Some(method.id.as_str()),
    })
}
