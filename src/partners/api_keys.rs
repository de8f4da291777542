//! Partner API keys (PRODUCT.md §9): made by super admins with scopes and an optional
//! expiry, shown once, listed with their last use, revoked. A key is stored only as an HMAC
//! (of its SHA-256) under a key derived from `SESSION_SECRET`, and its row is sealed over its
//! hash, scopes and expiry (`identity::seals`): SQL injected into the application's
//! connection can neither insert a key of its own choosing nor widen one. A rotation of the
//! secret keeps keys working while `SESSION_SECRET_PREVIOUS` is set.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::audit::{self, Action, Event};
use crate::db::{query, Access, Db};
use crate::error::FieldCheck;
use crate::identity::Seals;
use crate::tenancy::{AdminScope, ApiKeyId};
use crate::{Error, Result};

/// What a key may do with the provisioning API.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyScope {
    TenantCreate,
    TenantRead,
    TenantUpdate,
    TenantDelete,
    /// Reach every tenant, not only those the key provisioned (it grants no action by
    /// itself: the key still needs `tenant:read`, `tenant:update` or `tenant:delete`).
    TenantAll,
}

impl KeyScope {
    pub const ALL: [KeyScope; 5] = [
        KeyScope::TenantCreate,
        KeyScope::TenantRead,
        KeyScope::TenantUpdate,
        KeyScope::TenantDelete,
        KeyScope::TenantAll,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            KeyScope::TenantCreate => "tenant:create",
            KeyScope::TenantRead => "tenant:read",
            KeyScope::TenantUpdate => "tenant:update",
            KeyScope::TenantDelete => "tenant:delete",
            KeyScope::TenantAll => "tenant:all",
        }
    }

    pub fn parse(text: &str) -> Option<KeyScope> {
        KeyScope::ALL
            .into_iter()
            .find(|scope| scope.as_str() == text)
    }
}

impl Serialize for KeyScope {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// A key as listed: never the key itself.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ApiKey {
    pub id: ApiKeyId,
    pub name: String,
    pub scopes: Vec<KeyScope>,
    /// The key's first characters (`oik_AbC1…`), to tell keys apart.
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: ApiKeyId,
    name: String,
    scopes: String,
    prefix: String,
    created_at: DateTime<Utc>,
    expires_at: Option<DateTime<Utc>>,
    last_used_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

impl From<Row> for ApiKey {
    fn from(row: Row) -> ApiKey {
        ApiKey {
            id: row.id,
            name: row.name,
            scopes: scopes_of(&row.scopes),
            prefix: row.prefix,
            created_at: row.created_at,
            expires_at: row.expires_at,
            last_used_at: row.last_used_at,
            revoked_at: row.revoked_at,
        }
    }
}

fn scopes_of(text: &str) -> Vec<KeyScope> {
    text.split(' ').filter_map(KeyScope::parse).collect()
}

/// What a super admin asks for.
#[derive(Clone, Debug, Default)]
pub struct NewKey {
    pub name: String,
    pub scopes: Vec<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A new key and, this once, the key itself.
#[derive(Clone, Debug)]
pub struct Created {
    pub key: ApiKey,
    pub secret: String,
}

/// Keys start with this, so that they are told from access tokens (and found by secret
/// scanners).
pub const KEY_PREFIX: &str = "oik_";

/// How many characters of a key the list shows.
const SHOWN: usize = 10;

/// `SELECT` of a key's listed columns, then `$rest`.
macro_rules! select_keys {
    ($rest:literal) => {
        concat!(
            "SELECT id, name, scopes, prefix, created_at, expires_at, last_used_at, revoked_at
             FROM api_keys ",
            $rest
        )
    };
}

/// What a key is stored as and its row sealed with.
const KEY_LABEL: &str = "api-key";
const SEALED_TABLE: &str = "api_keys";

/// The seal of a key's row: its id, stored hash, scopes and expiry.
fn sealed_fields(
    id: ApiKeyId,
    key_hash: &str,
    scopes: &str,
    expires_at: Option<DateTime<Utc>>,
) -> [String; 4] {
    [
        id.to_string(),
        key_hash.to_owned(),
        scopes.to_owned(),
        expires_at
            .map(|at| at.timestamp().to_string())
            .unwrap_or_default(),
    ]
}

pub async fn create(db: &Db, seals: &Seals, by: &AdminScope, input: &NewKey) -> Result<Created> {
    let mut check = FieldCheck::new();
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        check.fail("name", "Name the key (up to 100 characters).");
    }
    let scopes: Vec<KeyScope> = input
        .scopes
        .iter()
        .filter_map(|s| KeyScope::parse(s.trim()))
        .collect();
    if scopes.is_empty() || scopes.len() != input.scopes.len() {
        check.fail(
            "scopes",
            "Choose scopes from tenant:create, tenant:read, tenant:update, tenant:delete and \
             tenant:all.",
        );
    }
    let now = Utc::now();
    if input.expires_at.is_some_and(|at| at <= now) {
        check.fail("expires_at", "Choose an expiry in the future.");
    }
    check.finish()?;
    let secret = format!("{KEY_PREFIX}{}", crate::identity::random_token()?);
    let key = ApiKey {
        id: ApiKeyId::new(),
        name: name.to_owned(),
        scopes,
        prefix: secret.chars().take(SHOWN).collect(),
        created_at: now,
        expires_at: input.expires_at,
        last_used_at: None,
        revoked_at: None,
    };
    let scopes = key
        .scopes
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    let key_hash = seals.hash(KEY_LABEL, &digest(&secret));
    let fields = sealed_fields(key.id, &key_hash, &scopes, key.expires_at);
    let seal = seals.seal(SEALED_TABLE, &fields.each_ref().map(String::as_str));
    let mut tx = db.begin(Access::Write).await?;
    let sql = "INSERT INTO api_keys (id, name, scopes, key_hash, prefix, created_by, created_at,
                                     expires_at, seal)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    query::execute!(
        tx,
        sql,
        key.id,
        &key.name,
        &scopes,
        &key_hash,
        &key.prefix,
        by.user_id(),
        now,
        key.expires_at,
        &seal
    )?;
    let event = Event::new(Action::ApiKeyCreated, Some(by.user_id()), None)
        .about(key.id.to_string())
        .detail(serde_json::json!({"name": key.name, "scopes": key.scopes}));
    audit::platform(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(Created { key, secret })
}

/// Every key, newest first (revoked ones too, marked).
pub async fn list(db: &Db, _by: &AdminScope) -> Result<Vec<ApiKey>> {
    let mut tx = db.begin(Access::Read).await?;
    let sql = select_keys!("ORDER BY created_at DESC, id DESC");
    let rows: Vec<Row> = query::all!(tx, sql)?;
    tx.rollback().await?;
    Ok(rows.into_iter().map(ApiKey::from).collect())
}

/// Revokes a key at once (`NotFound` for an unknown one; revoking twice changes nothing).
pub async fn revoke(db: &Db, by: &AdminScope, id: ApiKeyId) -> Result<()> {
    let mut tx = db.begin(Access::Write).await?;
    let found: Option<(ApiKeyId,)> =
        query::optional!(tx, "SELECT id FROM api_keys WHERE id = $1", id)?;
    found.ok_or(Error::NotFound)?;
    // The seal goes with the revocation: no later change to the row brings the key back.
    let sql = "UPDATE api_keys SET revoked_at = $2, seal = NULL
                WHERE id = $1 AND revoked_at IS NULL";
    if query::execute!(tx, sql, id, Utc::now())? > 0 {
        let event =
            Event::new(Action::ApiKeyRevoked, Some(by.user_id()), None).about(id.to_string());
        audit::platform(&mut tx, &event).await?;
    }
    tx.commit().await
}

/// A partner, as its key proves: what it may do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Partner {
    pub key_id: ApiKeyId,
    scopes: Vec<KeyScope>,
}

impl Partner {
    /// `Forbidden` unless the key has `scope`.
    pub fn require(&self, scope: KeyScope) -> Result<()> {
        if self.scopes.contains(&scope) {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    /// Whether the key may act on a tenant that the key `provisioned_by` made (`None`: a
    /// tenant made another way, by a registration or a super admin): only on those it made
    /// itself, unless it has `tenant:all`. The provisioning API asks this of every route that
    /// names a tenant (`provisioning::reachable`).
    pub(crate) fn reaches(&self, provisioned_by: Option<ApiKeyId>) -> bool {
        self.scopes.contains(&KeyScope::TenantAll) || provisioned_by == Some(self.key_id)
    }
}

/// The partner `secret` belongs to: `Unauthorized` for an unknown, revoked or expired key.
/// The last use is written at most once a minute per key.
pub async fn authenticate(db: &Db, seals: &Seals, secret: &str) -> Result<Partner> {
    if !secret.starts_with(KEY_PREFIX) {
        return Err(Error::Unauthorized);
    }
    let now = Utc::now();
    let mut tx = db.begin(Access::Read).await?;
    let mut found = None;
    for key_hash in seals.hashes(KEY_LABEL, &digest(secret)) {
        let sql = "SELECT id, name, scopes, prefix, created_at, expires_at, last_used_at,
                          revoked_at, seal
                     FROM api_keys WHERE key_hash = $1";
        let row: Option<SealedRow> = query::optional!(tx, sql, &key_hash)?;
        if let Some(row) = row {
            found = row.verified(seals, &key_hash);
            break;
        }
    }
    tx.rollback().await?;
    let key = found
        .map(ApiKey::from)
        .filter(|key| key.revoked_at.is_none() && key.expires_at.is_none_or(|at| at > now))
        .ok_or(Error::Unauthorized)?;
    let stale = now - Duration::minutes(1);
    if key.last_used_at.is_none_or(|at| at < stale) {
        let mut tx = db.begin(Access::Write).await?;
        let sql = "UPDATE api_keys SET last_used_at = $2
                   WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < $3)";
        query::execute!(tx, sql, key.id, now, stale)?;
        tx.commit().await?;
    }
    Ok(Partner {
        key_id: key.id,
        scopes: key.scopes,
    })
}

/// A key's row with its seal, as authentication reads it.
#[derive(sqlx::FromRow)]
struct SealedRow {
    #[sqlx(flatten)]
    row: Row,
    seal: Option<String>,
}

impl SealedRow {
    /// The row, if the server wrote it for the key whose stored hash is `key_hash`.
    fn verified(self, seals: &Seals, key_hash: &str) -> Option<Row> {
        let row = &self.row;
        let fields = sealed_fields(row.id, key_hash, &row.scopes, row.expires_at);
        let fields = fields.each_ref().map(String::as_str);
        seals
            .verify(SEALED_TABLE, &fields, self.seal.as_deref())
            .then_some(self.row)
    }
}

fn digest(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_reaches_the_tenants_it_made_and_with_tenant_all_every_tenant() {
        let own = Partner {
            key_id: ApiKeyId::new(),
            scopes: vec![KeyScope::TenantRead],
        };
        let all = Partner {
            key_id: ApiKeyId::new(),
            scopes: vec![KeyScope::TenantRead, KeyScope::TenantAll],
        };
        assert!(own.reaches(Some(own.key_id)));
        assert!(!own.reaches(Some(all.key_id)), "another key's tenant");
        assert!(!own.reaches(None), "a tenant made another way");
        assert!(all.reaches(None) && all.reaches(Some(own.key_id)));
        assert_eq!(KeyScope::parse("tenant:all"), Some(KeyScope::TenantAll));
        assert_eq!(
            scopes_of("tenant:read tenant:all"),
            [KeyScope::TenantRead, KeyScope::TenantAll]
        );
    }
}
