//! Reading a password hash: the one path to credential columns.
//!
//! On PostgreSQL the application's role cannot SELECT `users.password_hash`. It calls
//! `oikos_password_hash(user, proof)`, a `SECURITY DEFINER` function of the owner that answers
//! only when `proof = sha256(key || "password:" || user id)`, with a key from an owner-only
//! table that the owner handed over at start. Injected SQL has no key, so it can read no hash.
//! The same key signs each transaction's tenant ([`signed_tenant`]).

use sha2::{Digest, Sha256};

use super::{query, Access, Backend, Db};
use crate::tenancy::{TenantId, UserId};
use crate::users::PasswordHash;
use crate::Result;

impl Db {
    // Sign-in (the identity work) is its caller; until then only the tests are.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) async fn password_hash(&self, user: UserId) -> Result<Option<PasswordHash>> {
        let mut tx = self.begin(Access::Read).await?;
        let hash: Option<String> = match (self.backend(), self.credential_key()) {
            (Backend::Postgres, Some(key)) => {
                let proof = sign(key, "password", &user.to_string());
                query::scalar!(tx, "SELECT oikos_password_hash($1, $2)", user, proof)?
            }
            _ => query::scalar!(tx, "SELECT password_hash FROM users WHERE id = $1", user)
                .or_else(not_found_is_none)?,
        };
        tx.rollback().await?;
        Ok(hash.map(PasswordHash::from_phc))
    }
}

/// `sha256(key || purpose || ":" || id)`: the purpose keeps a proof for one use from being
/// valid for another. Ids are UUIDs of fixed form, so length extension cannot forge one.
fn sign(key: &[u8], purpose: &str, id: &str) -> Vec<u8> {
    let mut hasher = Sha256::new();
    hasher.update(key);
    hasher.update(purpose.as_bytes());
    hasher.update(b":");
    hasher.update(id.as_bytes());
    hasher.finalize().to_vec()
}

/// The value of `app.tenant_id` that `oikos_current_tenant()` accepts: `<uuid>.<hex signature>`.
pub(super) fn signed_tenant(key: &[u8], tenant: TenantId) -> String {
    let id = tenant.to_string();
    let signature = hex::encode(sign(key, "tenant", &id));
    format!("{id}.{signature}")
}

#[cfg_attr(not(test), allow(dead_code))]
fn not_found_is_none(err: crate::Error) -> Result<Option<String>> {
    match err {
        crate::Error::NotFound => Ok(None),
        other => Err(other),
    }
}
