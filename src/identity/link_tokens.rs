//! Tokens for links in mail (verify an address, reset a password; later invitations and
//! handoffs): 256 random bits, sent once and stored only as an HMAC under the link-token key
//! (derived from `SESSION_SECRET`), valid for a purpose and a time, and redeemed exactly once,
//! also under concurrent use, by one conditional `UPDATE … RETURNING`.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretSlice};
use sha2::Sha256;

use crate::db::{query, Access, Db, Tx};
use crate::identity::Seals;
use crate::keys::{Keys, Purpose as KeyPurpose};
use crate::tenancy::UserId;
use crate::{Error, Result};

/// What a link is for; each has its own lifetime, and a token is valid for one purpose only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
    /// Moving a signed-in user to a tenant's portal (see [`super::handoff`]).
    Handoff,
}

impl Purpose {
    pub fn as_str(self) -> &'static str {
        match self {
            Purpose::VerifyEmail => "verify_email",
            Purpose::ResetPassword => "reset_password",
            Purpose::Handoff => "handoff",
        }
    }

    /// PRODUCT.md §2: verification links last 24 hours, reset links one; a handoff is
    /// followed at once, so it lasts a minute.
    pub fn lifetime(self) -> chrono::Duration {
        match self {
            Purpose::VerifyEmail => chrono::Duration::hours(24),
            Purpose::ResetPassword => chrono::Duration::hours(1),
            Purpose::Handoff => chrono::Duration::seconds(60),
        }
    }
}

impl fmt::Display for Purpose {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Purpose {
    type Err = Error;

    fn from_str(s: &str) -> Result<Self> {
        [
            Purpose::VerifyEmail,
            Purpose::ResetPassword,
            Purpose::Handoff,
        ]
        .into_iter()
        .find(|purpose| purpose.as_str() == s)
        .ok_or(Error::NotFound)
    }
}

crate::db::query::text_type!(Purpose);

/// Issues and redeems link tokens; cheap to clone.
#[derive(Clone, Debug)]
pub struct LinkTokens {
    /// The current key first (it hashes new tokens), then the previous one during a rotation.
    keys: Vec<SecretSlice<u8>>,
    /// Seals each token's row to its purpose and account.
    seals: Seals,
}

impl LinkTokens {
    pub fn new(keys: &Keys) -> Self {
        LinkTokens {
            keys: keys.derive(KeyPurpose::LinkTokens),
            seals: Seals::new(keys),
        }
    }

    /// Whether the row of `token_hash` was written by the server for `purpose` and `user`
    /// (a row the database role wrote or changed alone is worth nothing).
    fn sealed(&self, token_hash: &str, purpose: Purpose, user: UserId, seal: Option<&str>) -> bool {
        let fields: [&str; 3] = [token_hash, purpose.as_str(), &user.to_string()];
        self.seals.verify(SEALED_TABLE, &fields, seal)
    }

    /// A new token for `user`, to put in a link; only its hash is kept.
    pub async fn issue(&self, db: &Db, purpose: Purpose, user: UserId) -> Result<String> {
        let mut tx = db.begin(Access::Write).await?;
        let token = self.issue_in(&mut tx, purpose, user).await?;
        tx.commit().await?;
        Ok(token)
    }

    /// Like [`LinkTokens::issue`], within the transaction that queues the mail carrying it.
    pub(crate) async fn issue_in(
        &self,
        tx: &mut Tx,
        purpose: Purpose,
        user: UserId,
    ) -> Result<String> {
        self.issue_at(tx, purpose, user, None, Utc::now()).await
    }

    /// A token valid only where `binding` is named again at redemption (a handoff names its
    /// tenant): the same token presented for another binding is unknown.
    pub async fn issue_bound(
        &self,
        db: &Db,
        purpose: Purpose,
        user: UserId,
        binding: &str,
    ) -> Result<String> {
        let mut tx = db.begin(Access::Write).await?;
        let token = self
            .issue_at(&mut tx, purpose, user, Some(binding), Utc::now())
            .await?;
        tx.commit().await?;
        Ok(token)
    }

    /// Redeems a token from [`LinkTokens::issue_bound`] for the same `binding`.
    pub async fn redeem_bound(
        &self,
        db: &Db,
        purpose: Purpose,
        token: &str,
        binding: &str,
    ) -> Result<UserId> {
        let mut tx = db.begin(Access::Write).await?;
        let user = self
            .redeem_at(&mut tx, purpose, token, Some(binding), Utc::now())
            .await?;
        tx.commit().await?;
        Ok(user)
    }

    /// The user a token from [`LinkTokens::issue_bound`] names, without using it up: what a
    /// page shows before the person decides to redeem it. `NotFound` like a redemption.
    pub async fn peek_bound(
        &self,
        db: &Db,
        purpose: Purpose,
        token: &str,
        binding: &str,
    ) -> Result<UserId> {
        let sql = "SELECT user_id, seal FROM link_tokens
                    WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3";
        let mut tx = db.begin(Access::Read).await?;
        for key in &self.keys {
            let hash = hash(key, purpose.as_str(), Some(binding), token);
            let found: Option<(UserId, Option<String>)> =
                query::optional!(tx, sql, &hash, purpose, Utc::now().timestamp())?;
            if let Some((user, seal)) = found {
                tx.rollback().await?;
                return match self.sealed(&hash, purpose, user, seal.as_deref()) {
                    true => Ok(user),
                    false => Err(Error::NotFound),
                };
            }
        }
        tx.rollback().await?;
        Err(Error::NotFound)
    }

    /// The user the token was issued to, once: a used, expired, unknown or tampered token, or
    /// one for another purpose, is `NotFound`.
    pub async fn redeem(&self, db: &Db, purpose: Purpose, token: &str) -> Result<UserId> {
        let mut tx = db.begin(Access::Write).await?;
        let user = self.redeem_in(&mut tx, purpose, token).await?;
        tx.commit().await?;
        Ok(user)
    }

    /// Like [`LinkTokens::redeem`], within the caller's transaction: the token counts as used
    /// only if what it was redeemed for commits too.
    pub(crate) async fn redeem_in(
        &self,
        tx: &mut Tx,
        purpose: Purpose,
        token: &str,
    ) -> Result<UserId> {
        self.redeem_at(tx, purpose, token, None, Utc::now()).await
    }

    /// The HMACs of `token` for `label` and `binding`, under the current key first and then
    /// the previous one: for tokens kept elsewhere (invitations), found by any of them.
    pub(crate) fn hashes(&self, label: &str, binding: &str, token: &str) -> Vec<String> {
        self.keys
            .iter()
            .map(|key| hash(key, label, Some(binding), token))
            .collect()
    }

    async fn issue_at(
        &self,
        tx: &mut Tx,
        purpose: Purpose,
        user: UserId,
        binding: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<String> {
        let token = super::random_token()?;
        let current = self
            .keys
            .first()
            .ok_or_else(|| anyhow::anyhow!("no link-token key"))?;
        let expires_at = (now + purpose.lifetime()).timestamp();
        let token_hash = hash(current, purpose.as_str(), binding, &token);
        let seal = self.seals.seal(
            SEALED_TABLE,
            &[&token_hash, purpose.as_str(), &user.to_string()],
        );
        let sql = "INSERT INTO link_tokens (token_hash, purpose, user_id, expires_at, seal)
                   VALUES ($1, $2, $3, $4, $5)";
        query::execute!(tx, sql, &token_hash, purpose, user, expires_at, &seal)?;
        Ok(token)
    }

    async fn redeem_at(
        &self,
        tx: &mut Tx,
        purpose: Purpose,
        token: &str,
        binding: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<UserId> {
        let sql = "UPDATE link_tokens SET used_at = $3
                    WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > $3
                   RETURNING user_id, seal";
        for key in &self.keys {
            let token_hash = hash(key, purpose.as_str(), binding, token);
            let redeemed: Option<(UserId, Option<String>)> =
                query::optional!(tx, sql, &token_hash, purpose, now.timestamp())?;
            if let Some((user, seal)) = redeemed {
                if !self.sealed(&token_hash, purpose, user, seal.as_deref()) {
                    break;
                }
                return Ok(user);
            }
        }
        Err(Error::NotFound)
    }
}

const SEALED_TABLE: &str = "link_tokens";

fn hash(key: &SecretSlice<u8>, label: &str, binding: Option<&str>, token: &str) -> String {
    // HMAC takes keys of any length, so new_from_slice cannot fail.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key.expose_secret()) else {
        return String::new();
    };
    mac.update(label.as_bytes());
    if let Some(binding) = binding {
        mac.update(b":");
        mac.update(binding.as_bytes());
    }
    mac.update(b":");
    mac.update(token.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

#[cfg(test)]
mod tests;
