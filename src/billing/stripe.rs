//! A thin typed client for the part of Stripe's API that Oikos uses: customers, plans,
//! subscriptions, payment methods, setup intents and invoices, over form-encoded requests.
//!
//! Not `async-stripe`: its response types require fields that the test peer (localstripe)
//! leaves out (a subscription's `automatic_tax` and `currency`, an invoice's line `discountable`),
//! so its client cannot read a single subscription there, and it brings a second HTTP stack.
//! These types name only what Oikos reads, with defaults for what either side may omit, so
//! the same code reads real Stripe and localstripe. Plans (not prices) are used throughout:
//! Stripe accepts a plan id wherever a price is expected, and localstripe has no Prices API.

use std::collections::HashMap;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use url::Url;

use crate::config::StripeConfig;
use crate::{Error, Result};

const TIMEOUT: Duration = Duration::from_secs(20);

/// Form fields, in Stripe's bracket notation (`items[0][plan]`).
pub type Form = Vec<(String, String)>;

/// Form fields from literal pairs.
pub fn form<const N: usize>(pairs: [(&str, &str); N]) -> Form {
    pairs
        .into_iter()
        .map(|(key, value)| (key.to_owned(), value.to_owned()))
        .collect()
}

#[derive(Clone, Debug)]
pub struct Stripe {
    http: reqwest::Client,
    base: Url,
    key: SecretString,
}

/// One of Stripe's lists (`{data, has_more}`).
#[derive(Clone, Debug, Deserialize)]
pub struct List<T> {
    pub data: Vec<T>,
    #[serde(default)]
    pub has_more: bool,
}

impl<T> Default for List<T> {
    fn default() -> Self {
        List {
            data: Vec::new(),
            has_more: false,
        }
    }
}

/// A field Stripe sends as an id or, expanded, as the object: Oikos keeps the id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Id(pub String);

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Either {
            Id(String),
            Object { id: String },
        }
        Ok(match Either::deserialize(deserializer)? {
            Either::Id(id) | Either::Object { id } => Id(id),
        })
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct Customer {
    pub id: String,
    #[serde(default)]
    pub invoice_settings: InvoiceSettings,
    #[serde(default)]
    pub deleted: bool,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub struct InvoiceSettings {
    pub default_payment_method: Option<Id>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Plan {
    pub id: String,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Subscription {
    pub id: String,
    pub customer: Id,
    pub status: String,
    pub current_period_end: Option<i64>,
    #[serde(default)]
    pub cancel_at_period_end: bool,
    #[serde(default)]
    pub items: List<SubscriptionItem>,
    #[serde(default)]
    pub metadata: HashMap<String, String>,
}

impl Subscription {
    /// The subscription's one item (Oikos subscribes to one plan at a time).
    pub fn item(&self) -> Option<&SubscriptionItem> {
        self.items.data.first()
    }
}

#[derive(Clone, Debug, Deserialize)]
pub struct SubscriptionItem {
    pub id: String,
    pub plan: Plan,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Invoice {
    /// `None` for a preview (the upcoming invoice).
    pub id: Option<String>,
    pub customer: Option<Id>,
    pub number: Option<String>,
    pub status: Option<String>,
    #[serde(default)]
    pub amount_due: i64,
    pub currency: String,
    pub created: Option<i64>,
    pub hosted_invoice_url: Option<String>,
    pub invoice_pdf: Option<String>,
    #[serde(default)]
    pub lines: List<InvoiceLine>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct InvoiceLine {
    pub amount: i64,
    pub description: Option<String>,
    #[serde(default)]
    pub proration: bool,
}

#[derive(Clone, Debug, Deserialize)]
pub struct PaymentMethod {
    pub id: String,
    pub customer: Option<Id>,
    pub card: Option<Card>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Card {
    pub brand: String,
    pub last4: String,
    pub exp_month: u32,
    pub exp_year: u32,
}

#[derive(Clone, Debug, Deserialize)]
pub struct SetupIntent {
    pub id: String,
    pub client_secret: Option<String>,
}

/// Stripe's error body.
#[derive(Debug, Deserialize)]
struct ErrorBody {
    error: ApiError,
}

#[derive(Debug, Deserialize)]
struct ApiError {
    message: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
}

/// Why a Stripe call failed, as far as Oikos distinguishes.
#[derive(Debug, thiserror::Error)]
pub enum StripeError {
    #[error("not found at Stripe")]
    NotFound,
    /// The card was refused: the message is Stripe's, for the customer.
    #[error("{0}")]
    Card(String),
    #[error("Stripe answered {status}: {message}")]
    Api { status: u16, message: String },
    #[error("reaching Stripe: {0}")]
    Transport(#[from] reqwest::Error),
}

impl From<StripeError> for Error {
    fn from(err: StripeError) -> Self {
        match err {
            StripeError::NotFound => Error::NotFound,
            StripeError::Card(message) => Error::PaymentFailed { message },
            other => Error::Internal(anyhow::Error::new(other)),
        }
    }
}

impl Stripe {
    pub fn new(config: &StripeConfig) -> Result<Self> {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .build()
            .map_err(anyhow::Error::from)?;
        Ok(Stripe {
            http,
            base: config.api_base.clone(),
            key: config.secret_key.clone(),
        })
    }

    /// Ids in paths come from callers (a card id, an invoice id): anything but Stripe's id
    /// characters could step to another resource (`../customers/…`), so it finds nothing.
    fn url(&self, path: &str) -> Result<Url> {
        let plain = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '/');
        if !path.chars().all(plain) {
            return Err(Error::NotFound);
        }
        Ok(self.base.join(path).map_err(anyhow::Error::from)?)
    }

    async fn send<T: DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
    ) -> std::result::Result<T, StripeError> {
        let response = request
            .basic_auth(self.key.expose_secret(), None::<&str>)
            .send()
            .await?;
        let status = response.status();
        if status.is_success() {
            return Ok(response.json().await?);
        }
        if status == reqwest::StatusCode::NOT_FOUND {
            return Err(StripeError::NotFound);
        }
        let text = response.text().await.unwrap_or_default();
        let error = serde_json::from_str::<ErrorBody>(&text)
            .ok()
            .map(|body| body.error);
        let message = error
            .as_ref()
            .and_then(|e| e.message.clone())
            .unwrap_or(text);
        if error.and_then(|e| e.kind).as_deref() == Some("card_error") {
            return Err(StripeError::Card(message));
        }
        Err(StripeError::Api {
            status: status.as_u16(),
            message,
        })
    }

    async fn get<T: DeserializeOwned>(&self, path: &str, query: &Form) -> Result<T> {
        let request = self.http.get(self.url(path)?).query(query);
        Ok(self.send(request).await?)
    }

    /// A POST; `idempotency_key` makes Stripe answer a repeat with the first result.
    async fn post<T: DeserializeOwned>(
        &self,
        path: &str,
        form: &Form,
        idempotency_key: Option<&str>,
    ) -> Result<T> {
        let mut request = self.http.post(self.url(path)?).form(form);
        if let Some(key) = idempotency_key {
            request = request.header("Idempotency-Key", key);
        }
        Ok(self.send(request).await?)
    }
}

/// The calls.
impl Stripe {
    /// The plan `id`, created (with its product) if Stripe does not know it yet. Plan ids
    /// carry their amount, so a price changed in the plans file makes a new plan and leaves
    /// existing subscriptions on theirs.
    pub async fn ensure_plan(&self, plan: &PlanSpec<'_>) -> Result<()> {
        match self
            .get::<Plan>(&format!("v1/plans/{}", plan.id), &Form::new())
            .await
        {
            Ok(_) => return Ok(()),
            Err(Error::NotFound) => {}
            Err(err) => return Err(err),
        }
        if let Err(err) = self
            .get::<serde_json::Value>(&format!("v1/products/{}", plan.product), &Form::new())
            .await
        {
            if !matches!(err, Error::NotFound) {
                return Err(err);
            }
            let product = form([("id", plan.product), ("name", plan.name)]);
            self.post::<serde_json::Value>("v1/products", &product, None)
                .await?;
        }
        let amount = plan.amount.to_string();
        let fields = form([
            ("id", plan.id),
            ("product", plan.product),
            ("amount", &amount),
            ("currency", plan.currency),
            ("interval", plan.interval),
            ("interval_count", "1"),
        ]);
        self.post::<Plan>("v1/plans", &fields, None).await?;
        Ok(())
    }

    pub async fn create_customer(&self, tenant: &str, name: &str, email: &str) -> Result<Customer> {
        let fields = form([
            ("name", name),
            ("email", email),
            ("metadata[tenant_id]", tenant),
        ]);
        let key = format!("customer-{tenant}");
        self.post("v1/customers", &fields, Some(&key)).await
    }

    pub async fn customer(&self, id: &str) -> Result<Customer> {
        self.get(&format!("v1/customers/{id}"), &Form::new()).await
    }

    pub async fn create_subscription(
        &self,
        customer: &str,
        plan: &str,
        tenant: &str,
    ) -> Result<Subscription> {
        let fields = form([
            ("customer", customer),
            ("items[0][plan]", plan),
            ("metadata[tenant_id]", tenant),
        ]);
        self.post("v1/subscriptions", &fields, None).await
    }

    pub async fn subscription(&self, id: &str) -> Result<Subscription> {
        self.get(&format!("v1/subscriptions/{id}"), &Form::new())
            .await
    }

    /// The customer's subscriptions, newest first (canceled ones included).
    pub async fn subscriptions_of(&self, customer: &str) -> Result<Vec<Subscription>> {
        let query = form([("customer", customer), ("status", "all")]);
        Ok(self
            .get::<List<Subscription>>("v1/subscriptions", &query)
            .await?
            .data)
    }

    /// Moves the subscription's item to `plan`; Stripe prorates by default.
    pub async fn change_plan(
        &self,
        subscription: &Subscription,
        plan: &str,
    ) -> Result<Subscription> {
        let item = subscription
            .item()
            .ok_or_else(|| anyhow::anyhow!("subscription {} has no item", subscription.id))?;
        let fields = form([("items[0][id]", item.id.as_str()), ("items[0][plan]", plan)]);
        self.post(
            &format!("v1/subscriptions/{}", subscription.id),
            &fields,
            None,
        )
        .await
    }

    pub async fn set_cancel_at_period_end(
        &self,
        subscription: &str,
        cancel: bool,
    ) -> Result<Subscription> {
        let fields = form([(
            "cancel_at_period_end",
            if cancel { "true" } else { "false" },
        )]);
        self.post(&format!("v1/subscriptions/{subscription}"), &fields, None)
            .await
    }

    /// What the next invoice would be with the subscription on `plan`: the proration preview.
    pub async fn preview_change(&self, subscription: &Subscription, plan: &str) -> Result<Invoice> {
        let item = subscription
            .item()
            .ok_or_else(|| anyhow::anyhow!("subscription {} has no item", subscription.id))?;
        let customer = subscription.customer.0.as_str();
        let query = form([
            ("customer", customer),
            ("subscription", subscription.id.as_str()),
            ("subscription_items[0][id]", item.id.as_str()),
            ("subscription_items[0][plan]", plan),
        ]);
        self.get("v1/invoices/upcoming", &query).await
    }

    pub async fn invoices(&self, customer: &str) -> Result<Vec<Invoice>> {
        let query = form([("customer", customer), ("limit", "100")]);
        Ok(self.get::<List<Invoice>>("v1/invoices", &query).await?.data)
    }

    pub async fn invoice(&self, id: &str) -> Result<Invoice> {
        self.get(&format!("v1/invoices/{id}"), &Form::new()).await
    }

    pub async fn create_setup_intent(&self, customer: &str) -> Result<SetupIntent> {
        let fields = form([
            ("customer", customer),
            ("payment_method_types[]", "card"),
            ("usage", "off_session"),
        ]);
        self.post("v1/setup_intents", &fields, None).await
    }

    pub async fn payment_method(&self, id: &str) -> Result<PaymentMethod> {
        self.get(&format!("v1/payment_methods/{id}"), &Form::new())
            .await
    }

    pub async fn attach_payment_method(&self, id: &str, customer: &str) -> Result<PaymentMethod> {
        let fields = form([("customer", customer)]);
        self.post(&format!("v1/payment_methods/{id}/attach"), &fields, None)
            .await
    }

    pub async fn detach_payment_method(&self, id: &str) -> Result<PaymentMethod> {
        self.post(
            &format!("v1/payment_methods/{id}/detach"),
            &Form::new(),
            None,
        )
        .await
    }

    pub async fn payment_methods(&self, customer: &str) -> Result<Vec<PaymentMethod>> {
        let query = form([("customer", customer), ("type", "card")]);
        Ok(self
            .get::<List<PaymentMethod>>("v1/payment_methods", &query)
            .await?
            .data)
    }

    pub async fn set_default_payment_method(
        &self,
        customer: &str,
        method: &str,
    ) -> Result<Customer> {
        let fields = form([("invoice_settings[default_payment_method]", method)]);
        self.post(&format!("v1/customers/{customer}"), &fields, None)
            .await
    }
}

/// A plan as Stripe should know it.
pub struct PlanSpec<'a> {
    pub id: &'a str,
    pub product: &'a str,
    pub name: &'a str,
    pub amount: u64,
    pub currency: &'a str,
    /// `month` or `year`.
    pub interval: &'a str,
}
