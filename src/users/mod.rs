//! User accounts. Platform-level: one account can belong to several tenants.

pub(crate) mod repository;

use std::fmt;

use chrono::{DateTime, Utc};

use crate::tenancy::UserId;
use crate::values::Email;

/// An account as the application's role may read it: never with its password hash, which
/// only `Db::password_hash` reads (through the credential function on PostgreSQL).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct User {
    pub id: UserId,
    pub email: Email,
    pub first_name: String,
    pub last_name: String,
    pub is_super_admin: bool,
    pub is_active: bool,
    pub email_verified_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When the account's sessions last ended (unix seconds): a session signed in at or
    /// before it is refused ([`User::session_time`]).
    pub sessions_valid_after: i64,
    /// When the account's access tokens last ended (unix seconds), likewise.
    pub tokens_valid_after: i64,
}

impl User {
    /// The sign-in time to record for a session starting at `now` ([`issued_after`]).
    pub fn session_time(&self, now: DateTime<Utc>) -> i64 {
        issued_after(self.sessions_valid_after, now)
    }
}

/// The time (unix seconds) to record for a session or token issued at `now`, given the
/// account's last ending `valid_after`: later than it even when both fall in the same
/// second, so that an ending refuses exactly what was issued before it.
pub fn issued_after(valid_after: i64, now: DateTime<Utc>) -> i64 {
    now.timestamp().max(valid_after + 1)
}

/// An argon2id PHC string. Its `Debug` is redacted so it cannot reach a log by accident.
#[derive(Clone, PartialEq, Eq, sqlx::Type)]
#[sqlx(transparent)]
pub struct PasswordHash(String);

impl PasswordHash {
    pub fn from_phc(phc: String) -> Self {
        Self(phc)
    }

    pub fn as_phc(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PasswordHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHash(<redacted>)")
    }
}

/// A new account's details.
#[derive(Clone, Debug)]
pub struct NewUser {
    pub email: Email,
    pub password_hash: Option<PasswordHash>,
    pub first_name: String,
    pub last_name: String,
    pub is_super_admin: bool,
    pub email_verified: bool,
}
