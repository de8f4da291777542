//! Short-lived rows come to an end: expired sessions, refresh and link tokens, rate-limit
//! windows long closed, mail delivered more than a week ago, Stripe event ids a month old,
//! and partners' idempotent answers past a day. Run every few minutes by the server; on PostgreSQL these are the only platform
//! tables the application deletes from.

use chrono::Utc;

use crate::db::{query, Access, Db};
use crate::Result;

const DAY: i64 = 86_400;

/// Deletes what has expired; the number of rows deleted.
pub async fn prune_expired(db: &Db) -> Result<u64> {
    let now = Utc::now().timestamp();
    let expired = [
        ("DELETE FROM sessions WHERE expires_at <= $1", now),
        ("DELETE FROM refresh_tokens WHERE expires_at <= $1", now),
        ("DELETE FROM link_tokens WHERE expires_at <= $1", now),
        // The longest window is an hour: a day-old one is long closed.
        (
            "DELETE FROM rate_limits WHERE window_start <= $1",
            now - DAY,
        ),
        (
            "DELETE FROM outbox WHERE status = 'sent' AND sent_at <= $1",
            now - 7 * DAY,
        ),
    ];
    let mut tx = db.begin(Access::Write).await?;
    let mut deleted = 0;
    for (sql, before) in expired {
        deleted += query::execute!(tx, sql, before)?;
    }
    // Stripe retries an event for three days: a month-old id will not come back.
    let forgotten = Utc::now() - chrono::Duration::days(30);
    let sql = "DELETE FROM stripe_events WHERE received_at <= $1";
    deleted += query::execute!(tx, sql, forgotten)?;
    let answered = Utc::now() - crate::partners::idempotency::LIFETIME;
    let sql = "DELETE FROM idempotent_requests WHERE created_at < $1";
    deleted += query::execute!(tx, sql, answered)?;
    tx.commit().await?;
    Ok(deleted)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::testing::{fixtures, TestDb};

    db_test! {
        async fn only_what_has_expired_is_deleted(db: TestDb) {
            let ann = fixtures::user(&db, "ann@example.com").await;
            let now = Utc::now().timestamp();
            let mut tx = db.begin(Access::Write).await.unwrap();
            for (id, expires) in [("old", now - 1), ("live", now + 600)] {
                query::execute!(tx, "INSERT INTO sessions (id, user_id, data, expires_at, created_at, last_seen_at)
                                     VALUES ($1, $2, '{}', $3, $4, $4)", id, ann.id, expires, now).unwrap();
                query::execute!(tx, "INSERT INTO link_tokens (token_hash, purpose, user_id, expires_at)
                                     VALUES ($1, 'verify_email', $2, $3)", id, ann.id, expires).unwrap();
                query::execute!(tx, "INSERT INTO refresh_tokens (token_hash, family_id, user_id, created_at, expires_at)
                                     VALUES ($1, $2, $3, $4, $5)", id, uuid::Uuid::now_v7(), ann.id, now, expires).unwrap();
            }
            for (key, start) in [("old", now - 2 * DAY), ("live", now - 60)] {
                query::execute!(tx, "INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1)", key, start).unwrap();
            }
            for (status, sent) in [("sent", Some(now - 8 * DAY)), ("sent", Some(now - DAY)), ("pending", None)] {
                query::execute!(tx, "INSERT INTO outbox (id, recipient, subject, body_text, body_html, status, attempts,
                                                         next_attempt_at, created_at, sent_at)
                                     VALUES ($1, 'a@example.com', 's', 't', 'h', $2, 0, $3, $3, $4)",
                                uuid::Uuid::now_v7(), status, now, sent).unwrap();
            }
            tx.commit().await.unwrap();

            assert_eq!(prune_expired(&db).await.unwrap(), 5);
            let mut tx = db.begin(Access::Read).await.unwrap();
            for table in ["sessions", "link_tokens", "refresh_tokens", "rate_limits"] {
                let left: i64 = query::scalar!(tx, &format!("SELECT count(*) FROM {table}")).unwrap();
                assert_eq!(left, 1, "{table}");
            }
            let mail: i64 = query::scalar!(tx, "SELECT count(*) FROM outbox").unwrap();
            assert_eq!(mail, 2, "the recent and the pending mail stay");
        }
    }
}
