//! The data layer: one code path over SQLite (embedded default) and PostgreSQL.
//!
//! Everything here is private to the core: outside it, data is reached only through the
//! feature services. Queries are written once in portable SQL and run on either backend
//! through [`on_conn!`] and the helpers in [`query`]. Every transaction is one of two kinds:
//! - [`Tx`], platform-level (tenants, users). On PostgreSQL no tenant is set in it, so tenant
//!   tables show no rows at all.
//! - [`TenantTx`], for one tenant's data, opened only by the scopes in [`crate::tenancy`]. It
//!   carries the tenant id the repositories filter on, and on PostgreSQL also sets
//!   `app.tenant_id`, which the row-level security policies check.
//!
//! On PostgreSQL the application's queries run as a role that owns nothing and bypasses no
//! policy: the login role of `DATABASE_URL` in production mode, or in first-time mode (one URL
//! naming the owner) a role per database that each transaction switches to. See [`Isolation`].

mod connect;
mod credentials;
mod platform;
mod postgres;
pub(crate) mod query;
pub(crate) mod queue;
pub(crate) mod rls;
#[cfg(test)]
mod schema_tests;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use secrecy::{ExposeSecret, SecretSlice};
use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};

pub use connect::DatabaseConfig;

use crate::tenancy::{TenantId, TenantScope, UserId};
use crate::Result;

/// Runs `$body` with `$conn` bound to the transaction's driver connection, for either backend.
/// Repositories mostly use the shorter helpers in [`query`].
macro_rules! on_conn {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx.conn() {
            $crate::db::Conn::Sqlite($conn) => $body,
            $crate::db::Conn::Postgres($conn) => $body,
        }
    };
}
pub(crate) use on_conn;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// How tenant isolation is enforced beneath the core's types (reported by `/health`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IsolationMode {
    /// SQLite: the core's types are the only guard.
    Application,
    /// PostgreSQL production mode: `DATABASE_URL` is a login role that owns nothing.
    LoginRole,
    /// PostgreSQL first-time mode: one owner URL; every transaction switches role.
    RoleSwitch,
}

impl IsolationMode {
    pub fn as_str(self) -> &'static str {
        match self {
            IsolationMode::Application => "application",
            IsolationMode::LoginRole => "login_role",
            IsolationMode::RoleSwitch => "role_switch",
        }
    }
}

/// Whether a transaction may write. On SQLite reads go to the reader pool and writes to the
/// single writer connection with `BEGIN IMMEDIATE`; on PostgreSQL a tenant's write
/// transactions lock its tenant row, so invariants across rows are serialised per tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Access {
    Read,
    Write,
}

/// A handle to the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pools: Pools,
    isolation: Isolation,
    /// PostgreSQL: the owner's key that signs each transaction's tenant and the credential
    /// function's proofs (see `credentials`).
    credential_key: Option<Arc<SecretSlice<u8>>>,
}

#[derive(Clone, Debug)]
enum Pools {
    Sqlite {
        writer: SqlitePool,
        readers: SqlitePool,
    },
    Postgres(PgPool),
}

#[derive(Clone, Debug)]
enum Isolation {
    Application,
    LoginRole,
    /// The role every transaction switches to, as a quoted identifier.
    RoleSwitch {
        role: Arc<str>,
    },
}

impl Db {
    /// Connects, migrates (as the owner on PostgreSQL), grants the application's role its
    /// privileges and proves that row-level security applies: anything wrong stops the start
    /// with a clear error instead of failing at first use.
    pub async fn open(config: &DatabaseConfig) -> Result<Db> {
        connect::open(config).await
    }

    pub fn backend(&self) -> Backend {
        match self.pools {
            Pools::Sqlite { .. } => Backend::Sqlite,
            Pools::Postgres(_) => Backend::Postgres,
        }
    }

    pub fn isolation(&self) -> IsolationMode {
        match self.isolation {
            Isolation::Application => IsolationMode::Application,
            Isolation::LoginRole => IsolationMode::LoginRole,
            Isolation::RoleSwitch { .. } => IsolationMode::RoleSwitch,
        }
    }

    /// Checks that the database answers (for `/health`).
    pub async fn ping(&self) -> Result<()> {
        let mut tx = self.begin(Access::Read).await?;
        query::execute!(tx, "SELECT 1")?;
        tx.rollback().await
    }

    /// A platform-level transaction: no tenant is set.
    pub(crate) async fn begin(&self, access: Access) -> Result<Tx> {
        let mut tx = self.begin_raw(access).await?;
        if let (TxInner::Postgres(pg), Isolation::RoleSwitch { role }) =
            (&mut tx.0, &self.isolation)
        {
            postgres::switch_role(pg, role).await?;
        }
        Ok(tx)
    }

    /// A transaction for one tenant's data. Only [`TenantScope::begin`] calls this: holding
    /// a scope (whose constructors live in `crate::tenancy`) is the only way in.
    pub(crate) async fn begin_tenant(
        &self,
        scope: &TenantScope,
        access: Access,
    ) -> Result<TenantTx> {
        let tx = self.begin_raw(access).await?;
        self.enter_tenant(tx, scope, access).await
    }

    /// Turns a transaction begun with [`Db::begin`] into one for `scope`'s tenant (on
    /// PostgreSQL: its signed tenant and role, in one statement), after a platform read in
    /// it named the tenant. Like [`Db::begin_tenant`], only `crate::tenancy` calls this.
    pub(crate) async fn enter_tenant(
        &self,
        mut tx: Tx,
        scope: &TenantScope,
        access: Access,
    ) -> Result<TenantTx> {
        let tenant = scope.tenant_id();
        if let TxInner::Postgres(pg) = &mut tx.0 {
            let role = match &self.isolation {
                Isolation::RoleSwitch { role } => Some(&**role),
                _ => None,
            };
            let key = self.credential_key().unwrap_or_default();
            let signed = credentials::signed_tenant(key, tenant);
            postgres::enter_tenant(pg, tenant, &signed, role, access).await?;
        }
        Ok(TenantTx {
            tx,
            tenant,
            impersonator: scope.impersonator(),
        })
    }

    /// A transaction as the connecting user, without the role switch: catalog checks.
    ///
    /// sqlx 0.8's `begin` is not cancel-safe: a caller dropped after `BEGIN` went out and
    /// before its answer was read (a client hanging up) puts the connection back in the pool
    /// inside that transaction, where the next request inherits it (read-only, or refused
    /// as nested). A task of its own finishes the begin, and rolls back what nobody awaits.
    async fn begin_raw(&self, access: Access) -> Result<Tx> {
        let pools = self.pools.clone();
        tokio::spawn(async move { pools.begin(access).await })
            .await
            .map_err(|e| anyhow::anyhow!("beginning a transaction: {e}"))?
    }
}

impl Pools {
    async fn begin(&self, access: Access) -> Result<Tx> {
        let inner = match (self, access) {
            (Pools::Sqlite { writer, .. }, Access::Write) => {
                TxInner::Sqlite(writer.begin_with("BEGIN IMMEDIATE").await?)
            }
            (Pools::Sqlite { readers, .. }, Access::Read) => {
                TxInner::Sqlite(readers.begin().await?)
            }
            // Read-only on the server too: SQL injected into a read cannot write.
            (Pools::Postgres(pool), Access::Read) => {
                TxInner::Postgres(pool.begin_with("BEGIN READ ONLY").await?)
            }
            (Pools::Postgres(pool), Access::Write) => TxInner::Postgres(pool.begin().await?),
        };
        Ok(Tx(inner))
    }
}

impl Db {
    /// Waits (for at most `timeout`) for connections in use to be returned, then closes.
    pub async fn close(&self, timeout: std::time::Duration) {
        let close = async {
            match &self.pools {
                Pools::Sqlite { writer, readers } => {
                    readers.close().await;
                    writer.close().await;
                }
                Pools::Postgres(pool) => pool.close().await,
            }
        };
        if tokio::time::timeout(timeout, close).await.is_err() {
            tracing::warn!("database connections still busy at shutdown: closing anyway");
        }
    }

    fn credential_key(&self) -> Option<&[u8]> {
        self.credential_key
            .as_deref()
            .map(|key| key.expose_secret())
    }
}

/// A platform-level transaction. Dropping it without [`Tx::commit`] rolls it back.
pub(crate) struct Tx(TxInner);

enum TxInner {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// The driver connection of a transaction; use it through [`on_conn!`].
pub(crate) enum Conn<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

impl Tx {
    pub(crate) fn conn(&mut self) -> Conn<'_> {
        match &mut self.0 {
            TxInner::Sqlite(tx) => Conn::Sqlite(tx),
            TxInner::Postgres(tx) => Conn::Postgres(tx),
        }
    }

    pub(crate) async fn commit(self) -> Result<()> {
        match self.0 {
            TxInner::Sqlite(tx) => tx.commit().await?,
            TxInner::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }

    pub(crate) async fn rollback(self) -> Result<()> {
        match self.0 {
            TxInner::Sqlite(tx) => tx.rollback().await?,
            TxInner::Postgres(tx) => tx.rollback().await?,
        }
        Ok(())
    }

    /// The PostgreSQL connection, for checks that only exist there.
    fn postgres(&mut self) -> Option<&mut PgConnection> {
        match &mut self.0 {
            TxInner::Postgres(tx) => Some(&mut **tx),
            TxInner::Sqlite(_) => None,
        }
    }
}

/// A transaction bound to one tenant. Repositories for tenant data take only this type and
/// filter every query on [`TenantTx::tenant_id`].
pub(crate) struct TenantTx {
    tx: Tx,
    tenant: TenantId,
    impersonator: Option<UserId>,
}

impl TenantTx {
    pub(crate) fn tenant_id(&self) -> TenantId {
        self.tenant
    }

    /// The super admin acting as the scope's member, if one is (for the audit log).
    pub(crate) fn impersonator(&self) -> Option<UserId> {
        self.impersonator
    }

    pub(crate) fn conn(&mut self) -> Conn<'_> {
        self.tx.conn()
    }

    /// The same transaction, for platform-level repositories (e.g. creating the tenant row
    /// and its first membership atomically). On PostgreSQL the policies still apply: a tenant
    /// transaction writes only its own tenant row and never changes an account.
    pub(crate) fn platform(&mut self) -> &mut Tx {
        &mut self.tx
    }

    pub(crate) async fn commit(self) -> Result<()> {
        self.tx.commit().await
    }

    pub(crate) async fn rollback(self) -> Result<()> {
        self.tx.rollback().await
    }
}

impl Db {
    /// A transaction as the tables' owner, for what the application's role may not do
    /// (making the first super admin). SQLite has no roles: a write transaction.
    pub(crate) async fn owner_transaction(&self, config: &DatabaseConfig) -> Result<Tx> {
        match &self.pools {
            Pools::Sqlite { .. } => self.begin(Access::Write).await,
            Pools::Postgres(_) => {
                let owner = connect::owner_pool(config).await?;
                Ok(Tx(TxInner::Postgres(owner.begin().await?)))
            }
        }
    }
}
