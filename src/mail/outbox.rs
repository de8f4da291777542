//! The outbox table: mail to deliver, claimed by workers on any number of instances.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Mail;
use crate::db::{query, queue, Db, Tx};
use crate::tenancy::AdminScope;
use crate::values::Email;
use crate::Result;

/// After this many failed attempts a message is marked failed and left for the operator.
pub(crate) const MAX_ATTEMPTS: i64 = 8;

/// Queues `mail` within `tx`: it is sent if and only if `tx` commits.
pub(crate) async fn enqueue(tx: &mut Tx, mail: &Mail) -> Result<()> {
    let now = Utc::now().timestamp();
    let sql = "INSERT INTO outbox (id, recipient, subject, body_text, body_html, status, attempts,
                                   next_attempt_at, created_at)
               VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $6)";
    query::execute!(
        tx,
        sql,
        Uuid::now_v7(),
        &mail.to,
        &mail.subject,
        &mail.text,
        &mail.html,
        now
    )?;
    Ok(())
}

#[derive(Debug, sqlx::FromRow)]
pub(crate) struct Claimed {
    pub id: Uuid,
    pub recipient: Email,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub attempts: i64,
}

impl Claimed {
    pub(crate) fn mail(&self) -> Mail {
        Mail {
            to: self.recipient.clone(),
            subject: self.subject.clone(),
            text: self.body_text.clone(),
            html: self.body_html.clone(),
        }
    }
}

/// Claims up to `limit` due messages for this worker (see [`queue::claim_due`]).
pub(crate) async fn claim(db: &Db, now: DateTime<Utc>, limit: i64) -> Result<Vec<Claimed>> {
    Ok(queue::claim_due!(
        db,
        "outbox",
        "id, recipient, subject, body_text, body_html, attempts",
        now,
        limit
    ))
}

pub(crate) async fn mark_sent(db: &Db, id: Uuid, now: DateTime<Utc>) -> Result<()> {
    let mut tx = db.begin(crate::db::Access::Write).await?;
    let sql = "UPDATE outbox SET status = 'sent', sent_at = $2, locked_until = NULL,
                                 last_error = NULL
                WHERE id = $1";
    query::execute!(tx, sql, id, now.timestamp())?;
    tx.commit().await
}

/// Schedules the next attempt with exponential backoff (30 s, 1 min, 2 min, … capped at an
/// hour), or gives up after [`MAX_ATTEMPTS`].
pub(crate) async fn mark_failed(
    db: &Db,
    message: &Claimed,
    error: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    let status = if message.attempts >= MAX_ATTEMPTS {
        "failed"
    } else {
        "pending"
    };
    let next = now.timestamp() + queue::backoff_secs(message.attempts, 3600);
    let mut tx = db.begin(crate::db::Access::Write).await?;
    let sql = "UPDATE outbox SET status = $2, next_attempt_at = $3, locked_until = NULL,
                                 last_error = $4
                WHERE id = $1";
    query::execute!(tx, sql, message.id, status, next, error)?;
    tx.commit().await
}

/// A message as the operator's outbox page lists it (never its body).
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct Queued {
    pub id: Uuid,
    pub recipient: String,
    pub subject: String,
    /// `pending` (attempts > 0: being retried) or `failed`.
    pub status: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    /// Unix seconds.
    pub created_at: i64,
    pub next_attempt_at: i64,
}

/// The messages not sent yet, failed first, then the oldest: what needs the operator.
pub async fn unsent(db: &Db, _by: &AdminScope, limit: i64) -> Result<Vec<Queued>> {
    let mut tx = db.begin(crate::db::Access::Read).await?;
    let sql = "SELECT id, recipient, subject, status, attempts, last_error, created_at,
                      next_attempt_at
                 FROM outbox WHERE status <> 'sent'
                ORDER BY status = 'failed' DESC, created_at, id LIMIT $1";
    let queued = query::all!(tx, sql, limit)?;
    tx.rollback().await?;
    Ok(queued)
}

/// Sends a failed message once more, now (the outbox page's "Retry" button).
pub async fn retry(db: &Db, _by: &AdminScope, id: Uuid) -> Result<()> {
    queue::retry_failed!(db, "outbox", id)
}

/// Counts by status, for the operator (and the tests).
pub async fn counts(db: &Db) -> Result<Vec<(String, i64)>> {
    let mut tx = db.begin(crate::db::Access::Read).await?;
    let sql = "SELECT status, count(*) FROM outbox GROUP BY status ORDER BY status";
    let counts = query::all!(tx, sql)?;
    tx.rollback().await?;
    Ok(counts)
}
