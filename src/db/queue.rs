//! What the durable queues (the mail outbox, webhook deliveries) share: claiming due rows so
//! that workers on any number of instances never take the same row at once, and the backoff
//! between attempts. A queue table has `id`, `status` (`pending` while there is work),
//! `attempts`, `next_attempt_at` and `locked_until` (unix seconds).

/// How long a claimed row stays with its worker before another may take it over (a worker
/// that died mid-delivery).
pub(crate) const CLAIM_SECS: i64 = 120;

/// Claims up to `$limit` rows of `$table` due at `$now` for this worker and returns their
/// `$returning` columns. On PostgreSQL rows another worker is claiming are skipped, not
/// waited for; SQLite has one writer, so claims never overlap.
macro_rules! claim_due {
    ($db:expr, $table:literal, $returning:literal, $now:expr, $limit:expr) => {{
        // Only the lock clause differs; both texts are fixed at compile time.
        macro_rules! claim_sql {
            ($lock:literal) => {
                concat!(
                    "UPDATE ",
                    $table,
                    " SET locked_until = $2, attempts = attempts + 1
                      WHERE id IN (SELECT id FROM ",
                    $table,
                    "
                                    WHERE status = 'pending' AND next_attempt_at <= $1
                                      AND (locked_until IS NULL OR locked_until <= $1)
                                    ORDER BY next_attempt_at LIMIT $3 ",
                    $lock,
                    ")
                     RETURNING ",
                    $returning
                )
            };
        }
        let sql = match $db.backend() {
            $crate::db::Backend::Postgres => claim_sql!("FOR UPDATE SKIP LOCKED"),
            $crate::db::Backend::Sqlite => claim_sql!(""),
        };
        let now: i64 = $now.timestamp();
        let mut tx = $db.begin($crate::db::Access::Write).await?;
        let claimed =
            $crate::db::query::all!(tx, sql, now, now + $crate::db::queue::CLAIM_SECS, $limit)?;
        tx.commit().await?;
        claimed
    }};
}
pub(crate) use claim_due;

/// Puts the failed row `$id` of `$table` back in line for one more attempt now (an
/// operator's "Retry"); `NotFound` unless it had failed. The worker's usual rules then
/// apply: delivered, or failed again.
macro_rules! retry_failed {
    ($db:expr, $table:literal, $id:expr) => {{
        let sql = concat!(
            "UPDATE ",
            $table,
            " SET status = 'pending', next_attempt_at = $2, locked_until = NULL
              WHERE id = $1 AND status = 'failed'"
        );
        let mut tx = $db.begin($crate::db::Access::Write).await?;
        let now = chrono::Utc::now().timestamp();
        if $crate::db::query::execute!(tx, sql, $id, now)? == 0 {
            return Err($crate::Error::NotFound);
        }
        tx.commit().await
    }};
}
pub(crate) use retry_failed;

/// Seconds to wait after the `attempts`th failure: 30 s, doubling each time, at most `cap`.
pub(crate) fn backoff_secs(attempts: i64, cap: i64) -> i64 {
    let doublings = u32::try_from(attempts.clamp(1, 20) - 1).unwrap_or(0);
    (30_i64 << doublings).min(cap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_thirty_seconds_up_to_the_cap() {
        let waits: Vec<i64> = (1..=9).map(|n| backoff_secs(n, 3600)).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
        assert_eq!(backoff_secs(40, 4 * 3600), 4 * 3600, "no overflow");
    }
}
