//! The outbox table: mail to deliver, claimed by workers on any number of instances.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::Mail;
use crate::db::{query, Backend, Db, Tx};
use crate::values::Email;
use crate::Result;

/// How long a claimed row stays with its worker before another may take it over (a worker
/// that died mid-delivery).
const CLAIM_SECS: i64 = 120;
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

/// Claims up to `limit` due messages for this worker. On PostgreSQL rows another worker is
/// claiming are skipped, not waited for; SQLite has one writer, so claims never overlap.
pub(crate) async fn claim(db: &Db, now: DateTime<Utc>, limit: i64) -> Result<Vec<Claimed>> {
    // Only the lock clause differs; both texts are fixed at compile time.
    macro_rules! claim_sql {
        ($lock:literal) => {
            concat!(
                "UPDATE outbox SET locked_until = $2, attempts = attempts + 1
                  WHERE id IN (SELECT id FROM outbox
                                WHERE status = 'pending' AND next_attempt_at <= $1
                                  AND (locked_until IS NULL OR locked_until <= $1)
                                ORDER BY next_attempt_at LIMIT $3 ",
                $lock,
                ")
                 RETURNING id, recipient, subject, body_text, body_html, attempts"
            )
        };
    }
    let sql = match db.backend() {
        Backend::Postgres => claim_sql!("FOR UPDATE SKIP LOCKED"),
        Backend::Sqlite => claim_sql!(""),
    };
    let now = now.timestamp();
    let mut tx = db.begin(crate::db::Access::Write).await?;
    let claimed = query::all!(tx, sql, now, now + CLAIM_SECS, limit)?;
    tx.commit().await?;
    Ok(claimed)
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
    let next = now.timestamp() + backoff_secs(message.attempts);
    let mut tx = db.begin(crate::db::Access::Write).await?;
    let sql = "UPDATE outbox SET status = $2, next_attempt_at = $3, locked_until = NULL,
                                 last_error = $4
                WHERE id = $1";
    query::execute!(tx, sql, message.id, status, next, error)?;
    tx.commit().await
}

fn backoff_secs(attempts: i64) -> i64 {
    let doublings = u32::try_from(attempts.clamp(1, 8) - 1).unwrap_or(0);
    (30_i64 << doublings).min(3600)
}

/// Counts by status, for the operator (and the tests).
pub async fn counts(db: &Db) -> Result<Vec<(String, i64)>> {
    let mut tx = db.begin(crate::db::Access::Read).await?;
    let sql = "SELECT status, count(*) FROM outbox GROUP BY status ORDER BY status";
    let counts = query::all!(tx, sql)?;
    tx.rollback().await?;
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_thirty_seconds_up_to_an_hour() {
        let waits: Vec<i64> = (1..=9).map(backoff_secs).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }
}
