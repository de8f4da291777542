//! Reading a password hash: the one path to credential columns.
//!
//! On PostgreSQL the application's role cannot SELECT `users.password_hash`. It calls
//! `oikos_password_hash(user, proof)`, a `SECURITY DEFINER` function of the owner that answers
//! only when `proof = sha256(key || "password:" || user id)`, with a key from an owner-only
//! table that the owner handed over at start. Injected SQL has no key, so it can read no hash.
//! The same key signs each transaction's tenant ([`signed_tenant`]).

use sha2::{Digest, Sha256};

use super::{query, Access, Backend, Db, Tx};
use crate::members::UserTenant;
use crate::tenancy::{TenantId, UserId};
use crate::users::PasswordHash;
use crate::Result;

impl Db {
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

    /// The workspaces `user` is an active member of, across tenants. A platform operation on
    /// tenant rows: on PostgreSQL the transaction names the one user (signed, like a
    /// tenant), which the policy on memberships lets read that user's rows and no others.
    pub(crate) async fn user_tenants(&self, user: UserId) -> Result<Vec<UserTenant>> {
        let mut tx = self.begin(Access::Read).await?;
        let tenants = self.user_tenants_in(&mut tx, user).await?;
        tx.rollback().await?;
        Ok(tenants)
    }

    /// [`Db::user_tenants`], inside a platform transaction of the caller's (entering a tenant
    /// afterwards stops naming the user).
    pub(crate) async fn user_tenants_in(
        &self,
        tx: &mut Tx,
        user: UserId,
    ) -> Result<Vec<UserTenant>> {
        if let (Backend::Postgres, Some(key)) = (self.backend(), self.credential_key()) {
            let signed = signed(key, "user", &user.to_string());
            let sql = "SELECT set_config('app.user_id', $1, true)";
            query::execute!(tx, sql, signed)?;
        }
        let sql = "SELECT t.id AS tenant, t.slug, t.name, m.role, t.status
                     FROM memberships m JOIN tenants t ON t.id = m.tenant_id
                    WHERE m.user_id = $1 AND m.is_active
                    ORDER BY t.name, t.id";
        query::all!(tx, sql, user)
    }

    /// Replaces a password hash within `tx`, or clears it (`None`: the account has no
    /// password until a reset sets one) (PostgreSQL: through `oikos_set_password_hash`, the
    /// only way the application's role can). `NotFound` for an unknown account.
    pub(crate) async fn set_password_hash(
        &self,
        tx: &mut Tx,
        user: UserId,
        hash: Option<&PasswordHash>,
    ) -> Result<()> {
        let changed: Option<bool> = match (self.backend(), self.credential_key()) {
            (Backend::Postgres, Some(key)) => {
                let proof = sign(key, "set-password", &user.to_string());
                let sql = "SELECT oikos_set_password_hash($1, $2, $3)";
                query::scalar!(tx, sql, user, proof, hash)?
            }
            _ => {
                let sql = "UPDATE users SET password_hash = $2 WHERE id = $1";
                Some(query::execute!(tx, sql, user, hash)? == 1)
            }
        };
        match changed {
            Some(true) => Ok(()),
            _ => Err(crate::Error::NotFound),
        }
    }
}

impl Db {
    /// Schedules (`Some`) or cancels (`None`) the erasure of `tenant` within `tx`
    /// (PostgreSQL: through `oikos_set_erase_after`, the only way the application's role
    /// can). `NotFound` for an unknown tenant.
    pub(crate) async fn set_erase_after(
        &self,
        tx: &mut Tx,
        tenant: TenantId,
        after: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Result<()> {
        let changed: Option<bool> = match (self.backend(), self.credential_key()) {
            (Backend::Postgres, Some(key)) => {
                let proof = sign(key, "erasure", &tenant.to_string());
                let sql = "SELECT oikos_set_erase_after($1, $2, $3)";
                query::scalar!(tx, sql, tenant, proof, after)?
            }
            _ => {
                let sql = "UPDATE tenants SET erase_after = $2 WHERE id = $1";
                Some(query::execute!(tx, sql, tenant, after)? == 1)
            }
        };
        match changed {
            Some(true) => Ok(()),
            _ => Err(crate::Error::NotFound),
        }
    }

    /// Deletes `tenant` and everything it owns within `tx`, if its grace period has passed
    /// (PostgreSQL: through `oikos_erase_tenant`). Whether it was erased now.
    pub(crate) async fn erase_tenant(&self, tx: &mut Tx, tenant: TenantId) -> Result<bool> {
        let now = chrono::Utc::now();
        match (self.backend(), self.credential_key()) {
            (Backend::Postgres, Some(key)) => {
                let proof = sign(key, "erasure", &tenant.to_string());
                query::scalar!(tx, "SELECT oikos_erase_tenant($1, $2)", tenant, proof)
            }
            _ => {
                let sql = "DELETE FROM tenants WHERE id = $1 AND erase_after <= $2";
                Ok(query::execute!(tx, sql, tenant, now)? == 1)
            }
        }
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
    signed(key, "tenant", &tenant.to_string())
}

#[cfg(test)]
pub(super) fn signed_user(key: &[u8], user: UserId) -> String {
    signed(key, "user", &user.to_string())
}

/// `<id>.<hex signature>`: the form the policy functions accept.
fn signed(key: &[u8], purpose: &str, id: &str) -> String {
    let signature = hex::encode(sign(key, purpose, id));
    format!("{id}.{signature}")
}

fn not_found_is_none(err: crate::Error) -> Result<Option<String>> {
    match err {
        crate::Error::NotFound => Ok(None),
        other => Err(other),
    }
}
