//! Webhook endpoints, managed by super admins: a URL, the events it wants, and a secret that
//! signs every delivery, shown once when the endpoint is made.

use chrono::{DateTime, SubsecRound as _, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::deliveries::{self, Attempt, Delivery};
use super::{events, target, EventType};
use crate::audit::{self, Action, Event};
use crate::db::{query, Access, Db};
use crate::error::FieldCheck;
use crate::tenancy::{AdminScope, WebhookId};
use crate::{Error, Result};

/// Secrets start with this, so that they are told from keys and tokens.
pub const SECRET_PREFIX: &str = "whsec_";

/// An endpoint as listed: never its secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Endpoint {
    pub id: WebhookId,
    pub url: String,
    pub events: Vec<EventType>,
    pub created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: WebhookId,
    url: String,
    events: String,
    created_at: DateTime<Utc>,
}

impl From<Row> for Endpoint {
    fn from(row: Row) -> Endpoint {
        Endpoint {
            id: row.id,
            url: row.url,
            events: row.events.split(' ').filter_map(EventType::parse).collect(),
            created_at: row.created_at,
        }
    }
}

/// What a super admin asks for.
#[derive(Clone, Debug, Default)]
pub struct NewEndpoint {
    pub url: String,
    pub events: Vec<String>,
}

/// A new endpoint and, this once, its secret.
#[derive(Clone, Debug)]
pub struct Created {
    pub endpoint: Endpoint,
    pub secret: String,
}

fn checked(input: &NewEndpoint, allow_private: bool) -> Result<(url::Url, Vec<EventType>)> {
    let mut check = FieldCheck::new();
    let url = check.field("url", target::check_url(&input.url, allow_private));
    // In the canonical order, each once.
    let events: Vec<EventType> = EventType::SUBSCRIBABLE
        .into_iter()
        .filter(|event| {
            input
                .events
                .iter()
                .any(|name| name.trim() == event.as_str())
        })
        .collect();
    let all_known = input
        .events
        .iter()
        .all(|name| EventType::parse(name.trim()).is_some());
    if events.is_empty() || !all_known {
        let names: Vec<&str> = EventType::SUBSCRIBABLE.iter().map(|e| e.as_str()).collect();
        check.fail(
            "events",
            &format!("Choose events from {}.", names.join(", ")),
        );
    }
    check.finish()?;
    match url {
        Some(url) => Ok((url, events)),
        None => Err(Error::invalid("url", "Enter the endpoint's URL.")),
    }
}

/// Registers an endpoint; its URL must be public unless `allow_private` (the operator's
/// `OIKOS_WEBHOOKS_ALLOW_PRIVATE`).
pub async fn create(
    db: &Db,
    by: &AdminScope,
    input: &NewEndpoint,
    allow_private: bool,
) -> Result<Created> {
    let (url, events) = checked(input, allow_private)?;
    let endpoint = Endpoint {
        id: WebhookId::new(),
        url: url.to_string(),
        events,
        // Microseconds: what PostgreSQL keeps, so the answer equals the listing.
        created_at: Utc::now().trunc_subsecs(6),
    };
    let secret = format!("{SECRET_PREFIX}{}", crate::identity::random_token()?);
    let names: Vec<&str> = endpoint.events.iter().map(|e| e.as_str()).collect();
    let mut tx = db.begin(Access::Write).await?;
    let sql = "INSERT INTO webhook_endpoints (id, url, events, secret, created_by, created_at)
               VALUES ($1, $2, $3, $4, $5, $6)";
    query::execute!(
        tx,
        sql,
        endpoint.id,
        &endpoint.url,
        names.join(" "),
        &secret,
        by.user_id(),
        endpoint.created_at
    )?;
    let event = Event::new(Action::WebhookCreated, Some(by.user_id()), None)
        .about(endpoint.id.to_string())
        .detail(serde_json::json!({"url": endpoint.url, "events": endpoint.events}));
    audit::platform(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(Created { endpoint, secret })
}

/// Every endpoint, newest first.
pub async fn list(db: &Db, _by: &AdminScope) -> Result<Vec<Endpoint>> {
    let mut tx = db.begin(Access::Read).await?;
    let sql = "SELECT id, url, events, created_at FROM webhook_endpoints
                ORDER BY created_at DESC, id DESC";
    let rows: Vec<Row> = query::all!(tx, sql)?;
    tx.rollback().await?;
    Ok(rows.into_iter().map(Endpoint::from).collect())
}

/// Removes an endpoint and its delivery log; nothing more is sent to it.
pub async fn delete(db: &Db, by: &AdminScope, id: WebhookId) -> Result<()> {
    let mut tx = db.begin(Access::Write).await?;
    let sql = "DELETE FROM webhook_endpoints WHERE id = $1";
    if query::execute!(tx, sql, id)? == 0 {
        return Err(Error::NotFound);
    }
    let event = Event::new(Action::WebhookDeleted, Some(by.user_id()), None).about(id.to_string());
    audit::platform(&mut tx, &event).await?;
    tx.commit().await
}

/// Queues a `webhook.test` event for this endpoint alone; the delivery's id.
pub async fn send_test(db: &Db, _by: &AdminScope, id: WebhookId) -> Result<Uuid> {
    let mut tx = db.begin(Access::Write).await?;
    let sql = "SELECT count(*) FROM webhook_endpoints WHERE id = $1";
    let found: i64 = query::scalar!(tx, sql, id)?;
    if found == 0 {
        return Err(Error::NotFound);
    }
    let data = serde_json::json!({ "message": "A test event from Oikos." });
    let (event_id, body) = events::body(EventType::Test, &data)?;
    let delivery = deliveries::insert(&mut tx, id, event_id, EventType::Test, &body).await?;
    tx.commit().await?;
    Ok(delivery)
}

/// Tries a failed delivery once more, now (the delivery log's "Retry" button).
pub async fn retry(db: &Db, _by: &AdminScope, delivery: Uuid) -> Result<()> {
    crate::db::queue::retry_failed!(db, "webhook_deliveries", delivery)
}

/// How many deliveries the log shows per endpoint.
pub const LOG_LENGTH: i64 = 50;

/// An endpoint's latest deliveries, newest first, each with its attempts.
pub async fn log(
    db: &Db,
    _by: &AdminScope,
    id: WebhookId,
) -> Result<Vec<(Delivery, Vec<Attempt>)>> {
    let mut tx = db.begin(Access::Read).await?;
    let sql = "SELECT count(*) FROM webhook_endpoints WHERE id = $1";
    let found: i64 = query::scalar!(tx, sql, id)?;
    if found == 0 {
        return Err(Error::NotFound);
    }
    let recent = deliveries::recent(&mut tx, id, LOG_LENGTH).await?;
    let mut attempts = deliveries::attempts_of_recent(&mut tx, id, LOG_LENGTH).await?;
    let log = recent
        .into_iter()
        .map(|delivery| {
            let mine = attempts.remove(&delivery.id).unwrap_or_default();
            (delivery, mine)
        })
        .collect();
    tx.rollback().await?;
    Ok(log)
}
