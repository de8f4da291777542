//! The deliveries table: one row per (endpoint, event), with the exact body to send, claimed
//! by workers on any number of instances (see [`crate::db::queue`]), and each attempt's
//! answer in `webhook_attempts`.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use uuid::Uuid;

use super::EventType;
use crate::db::{query, queue, Access, Db, Tx};
use crate::tenancy::WebhookId;
use crate::Result;

/// Deliveries are retried for this long after the event, then marked failed.
pub const RETRY_FOR: Duration = Duration::hours(24);
/// The longest wait between two attempts.
const MAX_BACKOFF_SECS: i64 = 4 * 3600;

pub(super) async fn insert(
    tx: &mut Tx,
    endpoint: WebhookId,
    event_id: Uuid,
    kind: EventType,
    body: &str,
) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let now = Utc::now();
    let sql = "INSERT INTO webhook_deliveries (id, endpoint_id, event_id, event_type, body, status,
                                               attempts, next_attempt_at, created_at)
               VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $7)";
    query::execute!(
        tx,
        sql,
        id,
        endpoint,
        event_id,
        kind.as_str(),
        body,
        now.timestamp(),
        now
    )?;
    Ok(id)
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub(super) struct Claimed {
    pub id: Uuid,
    pub endpoint_id: WebhookId,
    pub body: String,
    pub attempts: i64,
    pub created_at: DateTime<Utc>,
}

/// Claims up to `limit` deliveries due at `now`.
pub(super) async fn claim(db: &Db, now: DateTime<Utc>, limit: i64) -> Result<Vec<Claimed>> {
    Ok(queue::claim_due!(
        db,
        "webhook_deliveries",
        "id, endpoint_id, body, attempts, created_at",
        now,
        limit
    ))
}

/// Whether anything is due at `now` (a read, so idle polling takes no write lock).
pub(super) async fn any_due(db: &Db, now: DateTime<Utc>) -> Result<bool> {
    let mut tx = db.begin(Access::Read).await?;
    let sql = "SELECT count(*) FROM (SELECT 1 FROM webhook_deliveries
                                      WHERE status = 'pending' AND next_attempt_at <= $1
                                      LIMIT 1) AS due";
    let due: i64 = query::scalar!(tx, sql, now.timestamp())?;
    tx.rollback().await?;
    Ok(due > 0)
}

/// What one attempt got back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Outcome {
    /// The receiver's HTTP status, if it answered.
    pub status: Option<u16>,
    pub error: Option<String>,
    pub duration_ms: i64,
}

impl Outcome {
    fn delivered(&self) -> bool {
        self.status.is_some_and(|code| (200..300).contains(&code))
    }
}

/// Records an attempt at `now` and what follows from it: delivered; another attempt after a
/// backoff; or, past [`RETRY_FOR`], failed for good.
pub(super) async fn record(
    db: &Db,
    delivery: &Claimed,
    outcome: &Outcome,
    now: DateTime<Utc>,
) -> Result<()> {
    let next = now.timestamp() + queue::backoff_secs(delivery.attempts, MAX_BACKOFF_SECS);
    let status = if outcome.delivered() {
        "delivered"
    } else if next > (delivery.created_at + RETRY_FOR).timestamp() {
        "failed"
    } else {
        "pending"
    };
    let delivered_at = outcome.delivered().then_some(now);
    let status_code = outcome.status.map(i32::from);
    let mut tx = db.begin(Access::Write).await?;
    let sql = "INSERT INTO webhook_attempts (id, delivery_id, attempted_at, status_code, error,
                                             duration_ms)
               VALUES ($1, $2, $3, $4, $5, $6)";
    query::execute!(
        tx,
        sql,
        Uuid::now_v7(),
        delivery.id,
        now,
        status_code,
        &outcome.error,
        outcome.duration_ms
    )?;
    let sql = "UPDATE webhook_deliveries
                  SET status = $2, next_attempt_at = $3, locked_until = NULL, last_status = $4,
                      last_error = $5, delivered_at = $6
                WHERE id = $1";
    query::execute!(
        tx,
        sql,
        delivery.id,
        status,
        next,
        status_code,
        &outcome.error,
        delivered_at
    )?;
    tx.commit().await
}

/// A delivery as the log shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Delivery {
    pub id: Uuid,
    pub event_id: Uuid,
    pub event_type: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    pub attempts: i64,
    pub last_status: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
}

/// One try at a delivery.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Attempt {
    pub attempted_at: DateTime<Utc>,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i64,
}

/// An endpoint's latest deliveries, newest first.
pub(super) async fn recent(tx: &mut Tx, endpoint: WebhookId, limit: i64) -> Result<Vec<Delivery>> {
    let sql = "SELECT id, event_id, event_type, status, attempts, last_status, last_error,
                      created_at, delivered_at
                 FROM webhook_deliveries WHERE endpoint_id = $1
                ORDER BY created_at DESC, id DESC LIMIT $2";
    query::all!(tx, sql, endpoint, limit)
}

/// The attempts at each of an endpoint's latest `limit` deliveries, in order.
pub(super) async fn attempts_of_recent(
    tx: &mut Tx,
    endpoint: WebhookId,
    limit: i64,
) -> Result<HashMap<Uuid, Vec<Attempt>>> {
    let sql = "SELECT delivery_id, attempted_at, status_code, error, duration_ms
                 FROM webhook_attempts
                WHERE delivery_id IN (SELECT id FROM webhook_deliveries WHERE endpoint_id = $1
                                       ORDER BY created_at DESC, id DESC LIMIT $2)
                ORDER BY attempted_at, id";
    let rows: Vec<AttemptRow> = query::all!(tx, sql, endpoint, limit)?;
    let mut by_delivery: HashMap<Uuid, Vec<Attempt>> = HashMap::new();
    for row in rows {
        by_delivery
            .entry(row.delivery_id)
            .or_default()
            .push(row.attempt);
    }
    Ok(by_delivery)
}

#[derive(sqlx::FromRow)]
struct AttemptRow {
    delivery_id: Uuid,
    #[sqlx(flatten)]
    attempt: Attempt,
}
