//! `Idempotency-Key` on the provisioning API's creates: the first request with a key claims
//! it and stores its answer; a retry with the same key, route and body gets that answer again
//! instead of making a second tenant. Keys are per API key (the caller) and last 24 hours; the
//! stored request hash covers the route as well as the body, so a key used on one route is
//! refused on another, even with the identical body, rather than replaying an answer that
//! route never gave.

use chrono::{Duration, Utc};
use sha2::{Digest, Sha256};

use crate::db::{query, Access, Db};
use crate::tenancy::ApiKeyId;
use crate::{Error, Result};

/// How long an answer is kept for retries.
pub const LIFETIME: Duration = Duration::hours(24);

/// The longest key accepted.
const MAX_KEY: usize = 255;

/// What a request with a key should do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// First time: do the work, then [`finish`] (or [`release`] if it failed midway).
    Fresh,
    /// Done before: answer this again (status, JSON body).
    Replay { status: u16, body: String },
}

/// Claims `key` for the request to `route` (its method and path template, such as
/// `POST /api/provisioning/tenants`) whose body is `body`. A key used with another route or
/// body is `IdempotencyKeyReused`; one whose first request is still running,
/// `IdempotencyKeyInUse`.
pub async fn claim(
    db: &Db,
    partner: ApiKeyId,
    route: &str,
    key: &str,
    body: &[u8],
) -> Result<Claim> {
    if key.is_empty() || key.len() > MAX_KEY {
        return Err(Error::invalid(
            "Idempotency-Key",
            "Use a key of 1 to 255 characters.",
        ));
    }
    let request = request_hash(route, body);
    let now = Utc::now();
    let mut tx = db.begin(Access::Write).await?;
    let expired = "DELETE FROM idempotent_requests
                   WHERE api_key_id = $1 AND key = $2 AND created_at < $3";
    query::execute!(tx, expired, partner, key, now - LIFETIME)?;
    let insert = "INSERT INTO idempotent_requests (api_key_id, key, request_hash, created_at)
                  VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";
    let claimed = query::execute!(tx, insert, partner, key, &request, now)? == 1;
    let sql = "SELECT request_hash, status, body FROM idempotent_requests
               WHERE api_key_id = $1 AND key = $2";
    let (hash, status, answer): (String, Option<i32>, Option<String>) =
        query::optional!(tx, sql, partner, key)?.ok_or(Error::NotFound)?;
    tx.commit().await?;
    if claimed {
        return Ok(Claim::Fresh);
    }
    if hash != request {
        return Err(Error::IdempotencyKeyReused);
    }
    match (status, answer) {
        (Some(status), Some(body)) => Ok(Claim::Replay {
            status: u16::try_from(status).unwrap_or(500),
            body,
        }),
        _ => Err(Error::IdempotencyKeyInUse),
    }
}

/// What a key is bound to: the route and the body. A route never holds a line break, so the
/// one after it keeps route and body apart (no other route and body hash the same text).
fn request_hash(route: &str, body: &[u8]) -> String {
    let digest = Sha256::new()
        .chain_update(route.as_bytes())
        .chain_update(b"\n")
        .chain_update(body)
        .finalize();
    hex::encode(digest)
}

/// Stores the answer for retries.
pub async fn finish(db: &Db, partner: ApiKeyId, key: &str, status: u16, body: &str) -> Result<()> {
    let mut tx = db.begin(Access::Write).await?;
    let sql = "UPDATE idempotent_requests SET status = $3, body = $4
               WHERE api_key_id = $1 AND key = $2";
    query::execute!(tx, sql, partner, key, i32::from(status), body)?;
    tx.commit().await
}

/// Frees the key after a failure that made nothing, so that a retry runs afresh.
pub async fn release(db: &Db, partner: ApiKeyId, key: &str) -> Result<()> {
    let mut tx = db.begin(Access::Write).await?;
    let sql = "DELETE FROM idempotent_requests WHERE api_key_id = $1 AND key = $2";
    query::execute!(tx, sql, partner, key)?;
    tx.commit().await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_hash_covers_the_route_and_the_body() {
        let body = br#"{"client_name":"Example Corp"}"#;
        let single = request_hash("POST /api/provisioning/tenants", body);
        assert_eq!(single, request_hash("POST /api/provisioning/tenants", body));
        assert_ne!(
            single,
            request_hash("POST /api/provisioning/tenants/bulk", body)
        );
        assert_ne!(
            single,
            request_hash("POST /api/provisioning/tenants", b"{}")
        );
        assert_ne!(single, hex::encode(Sha256::digest(body)), "the body alone");
    }
}
