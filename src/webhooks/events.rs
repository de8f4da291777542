//! The events Oikos reports, and queuing them in the transaction of the change.

use chrono::{DateTime, SubsecRound as _, Utc};
use serde::Serialize;
use serde_json::{json, Value};
use uuid::Uuid;

use super::deliveries;
use crate::db::{query, Tx};
use crate::tenancy::WebhookId;
use crate::tenants::Tenant;
use crate::Result;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EventType {
    TenantCreated,
    TenantUpdated,
    TenantDeactivated,
    TenantReactivated,
    /// The tenant's data was erased, at the end of its deletion's grace period.
    TenantDeleted,
    /// Sent on request to one endpoint, to try it; never subscribed to.
    Test,
}

impl EventType {
    /// What an endpoint may subscribe to.
    pub const SUBSCRIBABLE: [EventType; 5] = [
        EventType::TenantCreated,
        EventType::TenantUpdated,
        EventType::TenantDeactivated,
        EventType::TenantReactivated,
        EventType::TenantDeleted,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::TenantCreated => "tenant.created",
            EventType::TenantUpdated => "tenant.updated",
            EventType::TenantDeactivated => "tenant.deactivated",
            EventType::TenantReactivated => "tenant.reactivated",
            EventType::TenantDeleted => "tenant.deleted",
            EventType::Test => "webhook.test",
        }
    }

    /// A subscribable type by name.
    pub fn parse(text: &str) -> Option<EventType> {
        EventType::SUBSCRIBABLE
            .into_iter()
            .find(|event| event.as_str() == text)
    }
}

impl Serialize for EventType {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// What a receiver gets: `{id, type, created_at, data}`. The id is the event's, the same for
/// every endpoint and every retry, so receivers can drop repeats.
#[derive(Serialize)]
struct Envelope<'a> {
    id: Uuid,
    #[serde(rename = "type")]
    kind: EventType,
    created_at: DateTime<Utc>,
    data: &'a Value,
}

/// The JSON body for a new event of `kind` about `data`, and the event's id.
pub(super) fn body(kind: EventType, data: &Value) -> Result<(Uuid, String)> {
    let envelope = Envelope {
        id: Uuid::now_v7(),
        kind,
        created_at: Utc::now().trunc_subsecs(0),
        data,
    };
    let text = serde_json::to_string(&envelope).map_err(anyhow::Error::from)?;
    Ok((envelope.id, text))
}

/// Queues `kind` for every endpoint subscribed to it, within `tx`: it is delivered if and
/// only if `tx` commits.
pub(crate) async fn emit(tx: &mut Tx, kind: EventType, data: Value) -> Result<()> {
    let endpoints: Vec<(WebhookId, String)> =
        query::all!(tx, "SELECT id, events FROM webhook_endpoints")?;
    let subscribed: Vec<WebhookId> = endpoints
        .into_iter()
        .filter(|(_, events)| events.split(' ').any(|event| event == kind.as_str()))
        .map(|(id, _)| id)
        .collect();
    if subscribed.is_empty() {
        return Ok(());
    }
    let (event_id, body) = body(kind, &data)?;
    for endpoint in subscribed {
        deliveries::insert(tx, endpoint, event_id, kind, &body).await?;
    }
    Ok(())
}

/// A tenant as events describe it.
pub(crate) fn tenant_data(tenant: &Tenant) -> Value {
    let profile = &tenant.profile;
    json!({
        "id": tenant.id,
        "slug": tenant.slug.as_str(),
        "name": profile.name,
        "email": profile.email.as_str(),
        "phone": profile.phone,
        "business_type": profile.business_type,
        "website": profile.website,
        "status": tenant.status.as_str(),
        "created_at": tenant.created_at,
        "updated_at": tenant.updated_at,
    })
}
