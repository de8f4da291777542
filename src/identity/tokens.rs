//! API tokens: a short-lived JWT access token and an opaque refresh token that rotates.
//!
//! - Access tokens are HS256 JWTs (the algorithm pinned on both sides) signed with a key
//!   derived from `SESSION_SECRET`, with `iss` (the main site's URL) and `aud` checked. The
//!   claims name the tenant and role for the client's convenience only: every request
//!   resolves the account afresh and its scope checks the membership.
//! - Refresh tokens are 256 random bits, stored as keyed hashes. Using one marks it used and
//!   issues the next of its family in the same transaction, by one conditional UPDATE, so
//!   two concurrent uses cannot both win; using a used one again revokes the whole family
//!   (the token was copied), and the account's other families stay.

use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, Mac};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use secrecy::{ExposeSecret, SecretSlice};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use uuid::Uuid;

use crate::db::{query, Access, Db, Tx};
use crate::identity::Seals;
use crate::keys::{Keys, Purpose};
use crate::tenancy::{OutletId, Role, TenantId, UserId};
use crate::users::repository::{self as users, Ending};
use crate::users::User;
use crate::{Error, Result};

pub const ACCESS_TOKEN_LIFETIME: Duration = Duration::minutes(30);
pub const REFRESH_TOKEN_LIFETIME: Duration = Duration::days(30);
const AUDIENCE: &str = "oikos-api";

/// The access token's claims (PRODUCT.md §2, plus `iss`, `aud`, `iat`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub sub: UserId,
    pub tenant_id: Option<TenantId>,
    pub role: Option<Role>,
    pub outlet_ids: Vec<OutletId>,
    pub is_super_admin: bool,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub exp: i64,
}

/// What an access token is issued for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Grant {
    pub user: UserId,
    pub is_super_admin: bool,
    pub tenant: Option<(TenantId, Role)>,
    /// The account's last ending of its tokens: a token is issued after it.
    pub tokens_valid_after: i64,
    /// The account's last ending of everything: a refresh token is made after it.
    pub sessions_valid_after: i64,
}

impl Grant {
    pub fn new(user: &User, tenant: Option<(TenantId, Role)>) -> Self {
        Grant {
            user: user.id,
            is_super_admin: user.is_super_admin,
            tenant,
            tokens_valid_after: user.tokens_valid_after,
            sessions_valid_after: user.sessions_valid_after,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenPair {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: i64,
}

#[derive(Clone, Debug)]
pub struct Tokens {
    /// Current key first; the previous secret's key verifies during a rotation.
    access_keys: Vec<SecretSlice<u8>>,
    refresh_keys: Vec<SecretSlice<u8>>,
    /// Seals each refresh token's row to its family, account and workspace.
    seals: Seals,
    issuer: String,
}

impl Tokens {
    pub fn new(keys: &Keys, issuer: &str) -> Self {
        Tokens {
            access_keys: keys.derive(Purpose::AccessTokens),
            refresh_keys: keys.derive(Purpose::RefreshTokens),
            seals: Seals::new(keys),
            issuer: issuer.to_owned(),
        }
    }

    pub fn access_token(&self, grant: &Grant, now: DateTime<Utc>) -> Result<String> {
        let iat = crate::users::issued_after(grant.tokens_valid_after, now);
        let claims = Claims {
            sub: grant.user,
            tenant_id: grant.tenant.map(|(tenant, _)| tenant),
            role: grant.tenant.map(|(_, role)| role),
            outlet_ids: Vec::new(),
            is_super_admin: grant.is_super_admin,
            iss: self.issuer.clone(),
            aud: AUDIENCE.to_owned(),
            iat,
            exp: iat + ACCESS_TOKEN_LIFETIME.num_seconds(),
        };
        let key = self.access_keys.first().ok_or_else(no_key)?;
        let token = jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(key.expose_secret()),
        )
        .map_err(|err| anyhow::anyhow!("signing an access token: {err}"))?;
        Ok(token)
    }

    /// The claims of a valid, unexpired access token of ours; `Unauthorized` otherwise.
    pub fn verify_access(&self, token: &str) -> Result<Claims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = 5;
        self.access_keys
            .iter()
            .find_map(|key| {
                let key = DecodingKey::from_secret(key.expose_secret());
                jsonwebtoken::decode::<Claims>(token, &key, &validation).ok()
            })
            .map(|data| data.claims)
            .ok_or(Error::Unauthorized)
    }

    /// A token pair opening a new refresh family (at sign-in).
    pub(crate) async fn issue(&self, tx: &mut Tx, grant: &Grant) -> Result<TokenPair> {
        let now = Utc::now();
        let refresh_token = self.new_refresh(tx, Uuid::now_v7(), grant, now).await?;
        Ok(TokenPair {
            access_token: self.access_token(grant, now)?,
            refresh_token,
            expires_in: ACCESS_TOKEN_LIFETIME.num_seconds(),
        })
    }

    async fn new_refresh(
        &self,
        tx: &mut Tx,
        family: Uuid,
        grant: &Grant,
        now: DateTime<Utc>,
    ) -> Result<String> {
        let token = super::random_token()?;
        let key = self.refresh_keys.first().ok_or_else(no_key)?;
        let token_hash = hash(key, &token);
        let tenant = grant.tenant.map(|(tenant, _)| tenant);
        // After the account's last ending even within its second (see `users::issued_after`).
        let created_at = crate::users::issued_after(grant.sessions_valid_after, now);
        let seal = self.seal(&token_hash, family, grant.user, tenant, created_at);
        let sql = "INSERT INTO refresh_tokens (token_hash, family_id, user_id, active_tenant,
                                               created_at, expires_at, seal)
                   VALUES ($1, $2, $3, $4, $5, $6, $7)";
        query::execute!(
            tx,
            sql,
            &token_hash,
            family,
            grant.user,
            tenant,
            created_at,
            (now + REFRESH_TOKEN_LIFETIME).timestamp(),
            &seal
        )?;
        Ok(token)
    }

    /// Marks `token` used and returns its family, account and tenant; the caller issues the
    /// next token of the family in the same transaction. A token used before revokes its
    /// family (committed at once) and answers `Unauthorized`, as do unknown, expired and
    /// revoked ones.
    pub(crate) async fn redeem(&self, db: &Db, token: &str) -> Result<(Tx, Redeemed)> {
        let now = Utc::now().timestamp();
        let mut tx = db.begin(Access::Write).await?;
        for key in &self.refresh_keys {
            let token_hash = hash(key, token);
            let sql = "UPDATE refresh_tokens SET used_at = $2
                        WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL
                          AND expires_at > $2
                       RETURNING family_id, user_id, active_tenant, created_at, seal";
            let redeemed: Option<Redeemed> = query::optional!(tx, sql, &token_hash, now)?;
            if let Some(redeemed) = redeemed {
                // A row the database role wrote or changed alone lets nobody in, nor one
                // made before its account's last ending (a revoked row brought back).
                if !self.sealed(&token_hash, &redeemed) || ended_since(&mut tx, &redeemed).await? {
                    return Err(Error::Unauthorized);
                }
                return Ok((tx, redeemed));
            }
            let sql = "SELECT family_id, user_id, active_tenant, created_at, seal
                         FROM refresh_tokens WHERE token_hash = $1 AND used_at IS NOT NULL";
            let reused: Option<Redeemed> = query::optional!(tx, sql, &token_hash)?;
            if let Some(reused) = reused {
                revoke_family(&mut tx, reused.family_id, now).await?;
                users::end_credentials(&mut tx, reused.user_id, Ending::Tokens).await?;
                let event = crate::audit::Event::new(
                    crate::audit::Action::RefreshTokenReused,
                    Some(reused.user_id),
                    None,
                );
                crate::audit::platform(&mut tx, &event).await?;
                tx.commit().await?;
                tracing::warn!(user = %reused.user_id, "a rotated refresh token was used again: family revoked");
                return Err(Error::Unauthorized);
            }
        }
        Err(Error::Unauthorized)
    }

    /// The next token of `family`, after [`Tokens::redeem`], within its transaction.
    pub(crate) async fn rotate(
        &self,
        tx: &mut Tx,
        family: Uuid,
        grant: &Grant,
    ) -> Result<TokenPair> {
        let now = Utc::now();
        let refresh_token = self.new_refresh(tx, family, grant, now).await?;
        Ok(TokenPair {
            access_token: self.access_token(grant, now)?,
            refresh_token,
            expires_in: ACCESS_TOKEN_LIFETIME.num_seconds(),
        })
    }

    /// Revokes the family of `token` (log out from one device). Unknown tokens: nothing.
    pub(crate) async fn revoke(&self, db: &Db, token: &str) -> Result<Option<UserId>> {
        let now = Utc::now().timestamp();
        let mut tx = db.begin(Access::Write).await?;
        let mut owner = None;
        for key in &self.refresh_keys {
            let sql = "SELECT family_id, user_id, active_tenant, created_at, seal
                         FROM refresh_tokens WHERE token_hash = $1";
            let found: Option<Redeemed> = query::optional!(tx, sql, hash(key, token))?;
            if let Some(found) = found {
                revoke_family(&mut tx, found.family_id, now).await?;
                users::end_credentials(&mut tx, found.user_id, Ending::Tokens).await?;
                owner = Some(found.user_id);
                break;
            }
        }
        tx.commit().await?;
        Ok(owner)
    }
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub(crate) struct Redeemed {
    pub family_id: Uuid,
    pub user_id: UserId,
    pub active_tenant: Option<TenantId>,
    /// When the token was made (sealed): one made before the account's last ending of
    /// everything is refused, even if its row was brought back.
    pub created_at: i64,
    seal: Option<String>,
}

impl Tokens {
    /// A refresh token's row sealed to its family, account and workspace.
    fn seal(
        &self,
        token_hash: &str,
        family: Uuid,
        user: UserId,
        tenant: Option<TenantId>,
        created_at: i64,
    ) -> String {
        let tenant = tenant.map(|t| t.to_string()).unwrap_or_default();
        let fields: [&str; 5] = [
            token_hash,
            &family.to_string(),
            &user.to_string(),
            &tenant,
            &created_at.to_string(),
        ];
        self.seals.seal(SEALED_TABLE, &fields)
    }

    fn sealed(&self, token_hash: &str, row: &Redeemed) -> bool {
        let tenant = row.active_tenant.map(|t| t.to_string()).unwrap_or_default();
        let fields: [&str; 5] = [
            token_hash,
            &row.family_id.to_string(),
            &row.user_id.to_string(),
            &tenant,
            &row.created_at.to_string(),
        ];
        self.seals
            .verify(SEALED_TABLE, &fields, row.seal.as_deref())
    }
}

const SEALED_TABLE: &str = "refresh_tokens";

/// Whether everything the account had ended after `row` was made (log out everywhere, a
/// reset, a deactivation).
async fn ended_since(tx: &mut Tx, row: &Redeemed) -> Result<bool> {
    let sql = "SELECT sessions_valid_after FROM credential_endings WHERE user_id = $1";
    let after: Option<(i64,)> = query::optional!(tx, sql, row.user_id)?;
    Ok(after.is_some_and(|(after,)| row.created_at <= after))
}

async fn revoke_family(tx: &mut Tx, family: Uuid, now: i64) -> Result<()> {
    let sql = "UPDATE refresh_tokens SET revoked_at = $2
                WHERE family_id = $1 AND revoked_at IS NULL";
    query::execute!(tx, sql, family, now)?;
    Ok(())
}

/// Revokes every refresh token of `user` (password reset, account disabled, log out
/// everywhere).
pub(crate) async fn revoke_all(tx: &mut Tx, user: UserId) -> Result<()> {
    let sql = "UPDATE refresh_tokens SET revoked_at = $2
                WHERE user_id = $1 AND revoked_at IS NULL";
    query::execute!(tx, sql, user, Utc::now().timestamp())?;
    Ok(())
}

fn hash(key: &SecretSlice<u8>, token: &str) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key.expose_secret()) else {
        return String::new();
    };
    mac.update(token.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

fn no_key() -> Error {
    anyhow::anyhow!("no token key").into()
}

#[cfg(test)]
mod tests;
