//! Rate limits kept in the database, so they hold across every instance sharing it: a fixed
//! window per key (`"login:ip:203.0.113.9"`, `"login:account:…"`), counted atomically by one
//! upsert. Keys are stored as SHA-256 hashes.

use std::time::Duration;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::db::{query, Access, Db};
use crate::{Error, Result};

/// At most `hits` within each `window`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub hits: u32,
    pub window: Duration,
}

/// Counts one hit for `key`; past the limit, `RateLimited` says when the window ends.
pub async fn hit(db: &Db, key: &str, limit: Limit) -> Result<()> {
    hit_at(db, key, limit, Utc::now()).await
}

async fn hit_at(db: &Db, key: &str, limit: Limit, now: DateTime<Utc>) -> Result<()> {
    let window = i64::try_from(limit.window.as_secs().max(1)).unwrap_or(i64::MAX);
    let window_start = now.timestamp() - now.timestamp().rem_euclid(window);
    let mut tx = db.begin(Access::Write).await?;
    let sql = "INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1)
               ON CONFLICT (key) DO UPDATE SET
                   hits = CASE WHEN rate_limits.window_start = excluded.window_start
                               THEN rate_limits.hits + 1 ELSE 1 END,
                   window_start = excluded.window_start
               RETURNING hits";
    let hits: i64 = query::scalar!(tx, sql, hashed(key), window_start)?;
    tx.commit().await?;
    if hits > i64::from(limit.hits) {
        let left = (window_start + window - now.timestamp()).max(1);
        return Err(Error::RateLimited {
            retry_after: Duration::from_secs(left.unsigned_abs()),
        });
    }
    Ok(())
}

/// The hits counted for `key` in the current `window` (without counting one).
pub async fn count(db: &Db, key: &str, window: Duration) -> Result<u32> {
    let now = Utc::now().timestamp();
    let window = i64::try_from(window.as_secs().max(1)).unwrap_or(i64::MAX);
    let window_start = now - now.rem_euclid(window);
    let mut tx = db.begin(Access::Read).await?;
    let sql = "SELECT hits FROM rate_limits WHERE key = $1 AND window_start = $2";
    let hits: Option<(i64,)> = query::optional!(tx, sql, hashed(key), window_start)?;
    tx.rollback().await?;
    Ok(hits.map_or(0, |(hits,)| u32::try_from(hits).unwrap_or(u32::MAX)))
}

fn hashed(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::testing::TestDb;

    const FIVE_A_MINUTE: Limit = Limit {
        hits: 5,
        window: Duration::from_secs(60),
    };

    db_test! {
        async fn concurrent_hits_pass_the_limit_exactly(db: TestDb) {
            let now = DateTime::from_timestamp(1_800_000_030, 0).unwrap();
            let hits = (0..20).map(|_| {
                let db = db.db();
                tokio::spawn(async move { hit_at(&db, "login:ip:203.0.113.9", FIVE_A_MINUTE, now).await })
            });
            let mut passed = 0;
            for hit in hits {
                match hit.await.unwrap() {
                    Ok(()) => passed += 1,
                    Err(Error::RateLimited { retry_after }) => assert_eq!(retry_after, Duration::from_secs(30)),
                    Err(other) => panic!("{other:?}"),
                }
            }
            assert_eq!(passed, 5);
            // Another key has its own count; the next window starts afresh.
            hit_at(&db, "login:ip:198.51.100.7", FIVE_A_MINUTE, now).await.unwrap();
            let next_window = now + chrono::Duration::seconds(30);
            hit_at(&db, "login:ip:203.0.113.9", FIVE_A_MINUTE, next_window).await.unwrap();
        }
    }

    #[test]
    fn keys_are_stored_hashed() {
        let stored = hashed("login:account:ann@example.com");
        assert_eq!(stored.len(), 64);
        assert!(!stored.contains("ann"));
    }
}
