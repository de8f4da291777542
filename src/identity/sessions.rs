//! Browser sessions: the tower-sessions store over the core's database, and what a signed-in
//! session holds.
//!
//! The server's session layer keeps a random id in a host-only cookie and the data here, in
//! `sessions` (either backend). A session expires after 30 minutes without a request (the
//! store's expiry, pushed forward as the user is seen) and, whatever happens, 7 days after
//! sign-in ([`SessionAuth`] carries the time). Columns beside the data (account, address,
//! browser, times) let the account page list a user's sessions and end them all.

use std::collections::HashMap;
use std::net::IpAddr;

use async_trait::async_trait;
use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use tower_sessions_core::session::{Id, Record};
use tower_sessions_core::session_store::{self, SessionStore};

use super::login::{active_principal_in, Authenticated};
use super::{Client, Seals};
use crate::audit::{self, Action, Event};
use crate::db::{query, Access, Db, Tx};
use crate::members::UserTenant;
use crate::tenancy::visit::PortalVisit;
use crate::tenancy::{ImpersonationId, Principal, TenantId, UserId};
use crate::tenants::TenantStatus;
use crate::users::repository::{self as users, Ending};
use crate::users::User;
use crate::values::Slug;
use crate::{Error, Result};

pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
pub const ABSOLUTE_TIMEOUT: Duration = Duration::days(7);
/// How stale `last seen` may get before a request refreshes it (and the idle expiry): one
/// write a minute per active session rather than one per request.
pub const SEEN_EVERY: Duration = Duration::minutes(1);

/// The session key under which [`SessionAuth`] is kept.
pub const AUTH_KEY: &str = "auth";
/// The session key under which the [`Client`] seen at sign-in is kept.
pub const CLIENT_KEY: &str = "client";

/// A signed-in session's identity. Made only by a sign-in ([`super::login::SignIn::session`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionAuth {
    user: UserId,
    tenant: Option<TenantId>,
    signed_in_at: i64,
    seen_at: i64,
    /// A super admin's (`user`'s) impersonation this session acts in, if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    impersonation: Option<ImpersonationId>,
}

impl SessionAuth {
    /// A session of `user` signing in now (after the account's last ending).
    pub(crate) fn new(user: &User, tenant: Option<TenantId>) -> Self {
        let now = Utc::now();
        SessionAuth {
            user: user.id,
            tenant,
            signed_in_at: user.session_time(now),
            seen_at: now.timestamp(),
            impersonation: None,
        }
    }

    /// The portal session of a super admin's impersonation (see [`super::impersonation`]).
    pub(crate) fn impersonating(admin: &User, tenant: TenantId, id: ImpersonationId) -> Self {
        SessionAuth {
            impersonation: Some(id),
            ..SessionAuth::new(admin, Some(tenant))
        }
    }

    pub fn user(&self) -> UserId {
        self.user
    }

    pub fn tenant(&self) -> Option<TenantId> {
        self.tenant
    }

    /// The same session, seen now, if the last sighting is older than [`SEEN_EVERY`]: the
    /// caller stores it, which also pushes the idle expiry forward.
    pub fn seen(&self, now: DateTime<Utc>) -> Option<SessionAuth> {
        (now.timestamp() - self.seen_at >= SEEN_EVERY.num_seconds()).then(|| SessionAuth {
            seen_at: now.timestamp(),
            ..self.clone()
        })
    }

    fn expired(&self, now: DateTime<Utc>) -> bool {
        now.timestamp() - self.signed_in_at >= ABSOLUTE_TIMEOUT.num_seconds()
    }

    /// Whether the session began at or before the last ending of `user`'s sessions (log out
    /// everywhere, a reset, a deactivation, a removal): then nothing may revive it, not even
    /// a copy of its row written back.
    pub(crate) fn ended_for(&self, user: &User) -> bool {
        self.signed_in_at <= user.sessions_valid_after
    }
}

/// The caller a session names, if it is signed in, within its absolute lifetime, and its
/// account is still active. Requests check it through [`open`]; this is the check alone.
#[cfg(test)]
pub(crate) async fn authenticate(
    db: &Db,
    seals: &Seals,
    auth: &SessionAuth,
) -> Result<Option<Authenticated>> {
    let mut tx = db.begin(Access::Read).await?;
    let found = authenticate_in(&mut tx, seals, auth).await?;
    tx.rollback().await?;
    Ok(found)
}

async fn authenticate_in(
    tx: &mut Tx,
    seals: &Seals,
    auth: &SessionAuth,
) -> Result<Option<Authenticated>> {
    if auth.expired(Utc::now()) {
        return Ok(None);
    }
    if let Some(id) = auth.impersonation {
        return super::impersonation::authenticate(tx, seals, auth, id).await;
    }
    Ok(active_principal_in(tx, auth.user)
        .await?
        .filter(|(_, user)| !auth.ended_for(user))
        .map(|(principal, user)| Authenticated {
            principal,
            user,
            tenant: auth.tenant,
            impersonation: None,
        }))
}

/// What a request's session cookie opens, read by [`open`].
#[derive(Debug)]
pub struct Opened {
    /// The sign-in the session holds, if any.
    pub stored: Option<SessionAuth>,
    /// Who that sign-in authenticates: `None` once it expired or ended, or its account is
    /// gone or inactive.
    pub auth: Option<Authenticated>,
    /// On a portal's page, the portal's frame and the caller's scope there (`NotFound` for
    /// an unknown or inactive portal).
    pub visit: Option<Result<PortalVisit>>,
}

/// The session `id` names (a cookie's), the account it signed in and, on the page of
/// `portal`, the visit there, in one read transaction: a signed-in page's first reads cost
/// one `BEGIN` instead of three (the session store's own load, the account, the visit).
pub async fn open(db: &Db, seals: &Seals, id: Option<Id>, portal: Option<&Slug>) -> Result<Opened> {
    let mut opened = Opened {
        stored: None,
        auth: None,
        visit: None,
    };
    if id.is_none() && portal.is_none() {
        return Ok(opened);
    }
    let mut tx = db.begin(Access::Read).await?;
    if let Some(id) = id {
        opened.stored = find_in(&mut tx, seals, &id)
            .await?
            .and_then(|record| record.data.get(AUTH_KEY).cloned())
            .and_then(|auth| serde_json::from_value(auth).ok());
    }
    if let Some(stored) = &opened.stored {
        opened.auth = authenticate_in(&mut tx, seals, stored).await?;
    }
    match portal {
        Some(slug) => {
            let caller = opened.auth.as_ref().map(|auth| &auth.principal);
            opened.visit = Some(crate::tenancy::visit::visit_in(db, tx, slug, caller).await);
        }
        None => tx.rollback().await?,
    }
    Ok(opened)
}

/// The workspace `slug` names among `user`'s own: `TenantMismatch` when the user is no
/// active member of it, `TenantInactive` when it is deactivated.
pub(crate) async fn own_workspace(db: &Db, user: UserId, slug: &str) -> Result<UserTenant> {
    let slug = Slug::parse(&crate::values::fold(slug)).map_err(|_| Error::TenantMismatch)?;
    let tenant = db
        .user_tenants(user)
        .await?
        .into_iter()
        .find(|t| t.slug == slug)
        .ok_or(Error::TenantMismatch)?;
    if tenant.status != TenantStatus::Active {
        return Err(Error::TenantInactive);
    }
    Ok(tenant)
}

/// The same session, now acting in the workspace `slug` names, if its account is an
/// active member of that active workspace (the caller stores it and rotates the id).
pub async fn switch_tenant(
    db: &Db,
    auth: &SessionAuth,
    slug: &str,
) -> Result<(SessionAuth, UserTenant)> {
    let tenant = own_workspace(db, auth.user, slug).await?;
    let switched = SessionAuth {
        tenant: Some(tenant.tenant),
        ..auth.clone()
    };
    Ok((switched, tenant))
}

/// One of a user's sessions, as the account page lists them (never with its id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActiveSession {
    /// The session making this request.
    pub current: bool,
    pub created_at: i64,
    pub last_seen_at: i64,
    pub ip: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ListedSession {
    id: String,
    created_at: i64,
    last_seen_at: i64,
    ip: Option<String>,
    user_agent: Option<String>,
}

/// The caller's unexpired sessions, most recently seen first; `current` is the id of the
/// session asking, if it is one.
pub async fn list(
    db: &Db,
    seals: &Seals,
    principal: &Principal,
    current: Option<&str>,
) -> Result<Vec<ActiveSession>> {
    let current = current
        .map(|id| seals.hashes(ID_LABEL, id))
        .unwrap_or_default();
    let mut tx = db.begin(Access::Read).await?;
    let sql = "SELECT id, created_at, last_seen_at, ip, user_agent FROM sessions
                WHERE user_id = $1 AND expires_at > $2
                ORDER BY last_seen_at DESC, created_at DESC";
    let rows: Vec<ListedSession> =
        query::all!(tx, sql, principal.user_id(), Utc::now().timestamp())?;
    tx.rollback().await?;
    Ok(rows
        .into_iter()
        .map(|row| ActiveSession {
            current: current.contains(&row.id),
            created_at: row.created_at,
            last_seen_at: row.last_seen_at,
            ip: row.ip,
            user_agent: row.user_agent,
        })
        .collect())
}

/// "Log out everywhere": ends every session and refresh token of the caller.
pub async fn end_all(db: &Db, principal: &Principal, client: &Client) -> Result<()> {
    let mut tx = db.begin(Access::Write).await?;
    end_all_in(&mut tx, principal.user_id()).await?;
    let event = Event::new(
        Action::SessionsEnded,
        Some(principal.user_id()),
        Some(client.ip),
    );
    audit::platform(&mut tx, &event).await?;
    tx.commit().await
}

/// Ends every session, refresh token and access token of `user` within `tx` (password
/// reset, account disabled, membership removed, log out everywhere): the rows go, and the
/// account's "valid after" times refuse any copy that a request still in flight could
/// write back.
pub(crate) async fn end_all_in(tx: &mut Tx, user: UserId) -> Result<()> {
    query::execute!(tx, "DELETE FROM sessions WHERE user_id = $1", user)?;
    users::end_credentials(tx, user, Ending::Everything).await?;
    super::tokens::revoke_all(tx, user).await
}

/// Ends every session of `user` but `keep` (a session id), and every refresh and access
/// token (a password change: the session asking stays signed in).
pub(crate) async fn end_others_in(
    tx: &mut Tx,
    seals: &Seals,
    user: UserId,
    keep: Option<&str>,
) -> Result<()> {
    let hashes = keep
        .map(|id| seals.hashes(ID_LABEL, id))
        .unwrap_or_default();
    let kept = |i: usize| {
        hashes
            .get(i)
            .or(hashes.first())
            .cloned()
            .unwrap_or_default()
    };
    let sql = "DELETE FROM sessions WHERE user_id = $1 AND id <> $2 AND id <> $3";
    query::execute!(tx, sql, user, kept(0), kept(1))?;
    users::end_credentials(tx, user, Ending::Tokens).await?;
    super::tokens::revoke_all(tx, user).await
}

/// Records a sign-out from one browser.
pub async fn logged_out(db: &Db, principal: &Principal, client: &Client) -> Result<()> {
    let event = Event::new(
        Action::LoggedOut,
        Some(principal.user_id()),
        Some(client.ip),
    );
    audit::platform_now(db, &event).await
}

/// What a session id is stored as (its keyed hash) and the label of its row's seal.
const ID_LABEL: &str = "session";
const TABLE: &str = "sessions";

/// The tower-sessions store over the core's database. The cookie's id is stored only as a
/// keyed hash, and each row is sealed over that hash and its data (see [`Seals`]): a row
/// written by the database role alone, or one whose data it changed, loads as no session.
#[derive(Clone, Debug)]
pub struct DbSessionStore {
    db: Db,
    seals: Seals,
}

impl DbSessionStore {
    pub fn new(db: Db, seals: Seals) -> Self {
        DbSessionStore { db, seals }
    }

    /// Writes a new session; false when its id is taken.
    async fn insert(&self, record: &Record) -> Result<bool> {
        let id = self.seals.hash(ID_LABEL, &record.id.to_string());
        let mut tx = self.db.begin(Access::Write).await?;
        let sql = "INSERT INTO sessions (id, user_id, data, expires_at, created_at, last_seen_at,
                                         ip, user_agent, seal)
                   VALUES ($1, $2, $3, $4, $5, $5, $6, $7, $8) ON CONFLICT (id) DO NOTHING";
        let written = self.write(&mut tx, sql, &id, &Row::of(record)?).await?;
        tx.commit().await?;
        Ok(written == 1)
    }

    /// Updates a session that still exists, and only then: a session ended while one of its
    /// requests was in flight (log out everywhere, a reset) stays ended when that request
    /// saves what it changed.
    async fn update(&self, record: &Record) -> Result<()> {
        let row = Row::of(record)?;
        let mut tx = self.db.begin(Access::Write).await?;
        let sql = "UPDATE sessions SET user_id = $2, data = $3, expires_at = $4,
                                       last_seen_at = $5,
                                       ip = coalesce($6, ip), user_agent = coalesce($7, user_agent),
                                       seal = $8
                    WHERE id = $1";
        for id in self.seals.hashes(ID_LABEL, &record.id.to_string()) {
            if self.write(&mut tx, sql, &id, &row).await? > 0 {
                break;
            }
        }
        tx.commit().await
    }

    /// Runs `sql` (an insert or an update of the row stored as `id`) with the row's fields
    /// and its seal; the rows written.
    async fn write(&self, tx: &mut Tx, sql: &str, id: &str, row: &Row) -> Result<u64> {
        let seal = self.seals.seal(TABLE, &[id, &row.data]);
        query::execute!(
            tx,
            sql,
            id,
            row.user,
            &row.data,
            row.expires_at,
            row.now,
            &row.ip,
            &row.user_agent,
            &seal
        )
    }

    async fn find(&self, id: &Id) -> Result<Option<Record>> {
        let mut tx = self.db.begin(Access::Read).await?;
        let record = find_in(&mut tx, &self.seals, id).await?;
        tx.rollback().await?;
        Ok(record)
    }

    async fn remove(&self, id: &Id) -> Result<()> {
        let mut tx = self.db.begin(Access::Write).await?;
        for hash in self.seals.hashes(ID_LABEL, &id.to_string()) {
            query::execute!(tx, "DELETE FROM sessions WHERE id = $1", &hash)?;
        }
        tx.commit().await
    }
}

/// The unexpired record of session `id`, if its row is intact (sealed).
async fn find_in(tx: &mut Tx, seals: &Seals, id: &Id) -> Result<Option<Record>> {
    let sql = "SELECT data, expires_at, seal FROM sessions WHERE id = $1 AND expires_at > $2";
    let mut found = None;
    for hash in seals.hashes(ID_LABEL, &id.to_string()) {
        let row: Option<(String, i64, Option<String>)> =
            query::optional!(tx, sql, &hash, Utc::now().timestamp())?;
        if let Some((data, expires_at, seal)) = row {
            let sealed = seals.verify(TABLE, &[&hash, &data], seal.as_deref());
            found = sealed.then_some((data, expires_at));
            break;
        }
    }
    let Some((data, expires_at)) = found else {
        return Ok(None);
    };
    let data: HashMap<String, serde_json::Value> =
        serde_json::from_str(&data).map_err(anyhow::Error::from)?;
    let expiry_date =
        OffsetDateTime::from_unix_timestamp(expires_at).map_err(anyhow::Error::from)?;
    Ok(Some(Record {
        id: *id,
        data,
        expiry_date,
    }))
}

/// A record as the table keeps it (but its id).
struct Row {
    user: Option<UserId>,
    data: String,
    expires_at: i64,
    now: i64,
    ip: Option<String>,
    user_agent: Option<String>,
}

#[derive(Deserialize)]
struct StoredClient {
    ip: Option<IpAddr>,
    user_agent: Option<String>,
}

impl Row {
    fn of(record: &Record) -> Result<Row> {
        let auth: Option<SessionAuth> = record
            .data
            .get(AUTH_KEY)
            .and_then(|value| serde_json::from_value(value.clone()).ok());
        let client: Option<StoredClient> = record
            .data
            .get(CLIENT_KEY)
            .and_then(|value| serde_json::from_value(value.clone()).ok());
        Ok(Row {
            user: auth.map(|auth| auth.user),
            data: serde_json::to_string(&record.data).map_err(anyhow::Error::from)?,
            expires_at: record.expiry_date.unix_timestamp(),
            now: Utc::now().timestamp(),
            ip: client.as_ref().and_then(|c| c.ip).map(|ip| ip.to_string()),
            user_agent: client.and_then(|c| c.user_agent),
        })
    }
}

/// The session data for the client seen at sign-in (stored under [`CLIENT_KEY`]).
pub fn client_value(client: &Client) -> serde_json::Value {
    serde_json::json!({ "ip": client.ip, "user_agent": client.user_agent })
}

fn backend(err: crate::Error) -> session_store::Error {
    session_store::Error::Backend(format!("{err:#}"))
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        // A fresh random id collides with next to no chance; if it does, draw another.
        while !self.insert(record).await.map_err(backend)? {
            record.id = Id::default();
        }
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        self.update(record).await.map_err(backend)
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        self.find(id).await.map_err(backend)
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        self.remove(id).await.map_err(backend)
    }
}

#[cfg(test)]
mod tests;
