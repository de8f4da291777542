//! The data layer: one code path over SQLite (embedded default) and PostgreSQL.
//!
//! Queries are written once in portable SQL and run on either backend through [`on_conn!`],
//! which expands the same query code for each driver. Every transaction is one of two kinds:
//! - [`Tx`], platform-level (tenants, users). On PostgreSQL it runs as the unprivileged
//!   `oikos_app` role with no tenant set, so tenant tables show no rows at all.
//! - [`TenantTx`], for tenant data, made only by [`crate::tenancy::TenantScope::begin`]. It
//!   carries the tenant id the repositories filter on, and on PostgreSQL also sets
//!   `app.tenant_id`, which the row-level security policies check.

mod connect;
pub mod rls;
#[cfg(test)]
mod schema_tests;

use sqlx::{PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Transaction};

use crate::tenancy::TenantId;
use crate::Result;

/// Runs `$body` with `$conn` bound to the transaction's driver connection, for either backend.
///
/// ```text
/// let n: i64 = on_conn!(tx, c => sqlx::query_scalar("SELECT count(*) FROM users")
///     .fetch_one(c).await)?;
/// ```
#[macro_export]
macro_rules! on_conn {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx.conn() {
            $crate::db::Conn::Sqlite($conn) => $body,
            $crate::db::Conn::Postgres($conn) => $body,
        }
    };
}

/// The role every transaction runs as on PostgreSQL (created by the migrations).
pub const APP_ROLE: &str = "oikos_app";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Whether a transaction may write. On SQLite reads go to the reader pool and writes to the
/// single writer connection with `BEGIN IMMEDIATE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    Read,
    Write,
}

/// A handle to the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Db(Pools);

#[derive(Clone, Debug)]
enum Pools {
    Sqlite {
        writer: SqlitePool,
        readers: SqlitePool,
    },
    Postgres(PgPool),
}

impl Db {
    /// Connects to `sqlite://…` or `postgres://…`; a SQLite file and its folder are created.
    pub async fn connect(url: &str) -> Result<Db> {
        connect::connect(url).await
    }

    pub fn backend(&self) -> Backend {
        match self.0 {
            Pools::Sqlite { .. } => Backend::Sqlite,
            Pools::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies the migrations for this backend.
    pub async fn migrate(&self) -> Result<()> {
        match &self.0 {
            Pools::Sqlite { writer, .. } => sqlx::migrate!("migrations/sqlite").run(writer).await?,
            Pools::Postgres(pool) => sqlx::migrate!("migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// Checks that the database answers (for `/health`).
    pub async fn ping(&self) -> Result<()> {
        let mut tx = self.begin(Access::Read).await?;
        on_conn!(tx, c => sqlx::query("SELECT 1").execute(c).await.map(drop))?;
        tx.rollback().await
    }

    /// A platform-level transaction: no tenant is set.
    pub async fn begin(&self, access: Access) -> Result<Tx> {
        let mut tx = self.begin_raw(access).await?;
        if let TxInner::Postgres(pg) = &mut tx.0 {
            set_local_role(pg).await?;
        }
        Ok(tx)
    }

    /// A transaction for one tenant's data. Only `TenantScope::begin` calls this.
    pub(crate) async fn begin_tenant(&self, tenant: TenantId, access: Access) -> Result<TenantTx> {
        let mut tx = self.begin_raw(access).await?;
        if let TxInner::Postgres(pg) = &mut tx.0 {
            // Bound and transaction-local: the setting ends with the transaction, so a pooled
            // connection never carries one tenant's context into another's request.
            sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
                .bind(tenant.to_string())
                .execute(&mut **pg)
                .await?;
            set_local_role(pg).await?;
        }
        Ok(TenantTx { tx, tenant })
    }

    /// A transaction as the connecting user, without the role switch: migrations-level work
    /// such as the row-level security self-check.
    pub(crate) async fn begin_raw(&self, access: Access) -> Result<Tx> {
        let inner = match (&self.0, access) {
            (Pools::Sqlite { writer, .. }, Access::Write) => {
                TxInner::Sqlite(writer.begin_with("BEGIN IMMEDIATE").await?)
            }
            (Pools::Sqlite { readers, .. }, Access::Read) => {
                TxInner::Sqlite(readers.begin().await?)
            }
            (Pools::Postgres(pool), _) => TxInner::Postgres(pool.begin().await?),
        };
        Ok(Tx(inner))
    }

    /// Waits for connections in use to be returned, then closes the pools.
    pub async fn close(&self) {
        match &self.0 {
            Pools::Sqlite { writer, readers } => {
                readers.close().await;
                writer.close().await;
            }
            Pools::Postgres(pool) => pool.close().await,
        }
    }
}

async fn set_local_role(pg: &mut PgConnection) -> Result<()> {
    // A role cannot be a bound parameter; the name is fixed by the migrations (APP_ROLE).
    sqlx::query("SET LOCAL ROLE oikos_app").execute(pg).await?;
    Ok(())
}

/// A platform-level transaction. Dropping it without [`Tx::commit`] rolls it back.
pub struct Tx(TxInner);

enum TxInner {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// The driver connection of a transaction; use it through [`on_conn!`].
pub enum Conn<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

impl Tx {
    pub fn conn(&mut self) -> Conn<'_> {
        match &mut self.0 {
            TxInner::Sqlite(tx) => Conn::Sqlite(tx),
            TxInner::Postgres(tx) => Conn::Postgres(tx),
        }
    }

    pub async fn commit(self) -> Result<()> {
        match self.0 {
            TxInner::Sqlite(tx) => tx.commit().await?,
            TxInner::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }

    /// The PostgreSQL connection, for checks that only exist there.
    pub(crate) fn postgres(&mut self) -> Option<&mut PgConnection> {
        match &mut self.0 {
            TxInner::Postgres(tx) => Some(&mut **tx),
            TxInner::Sqlite(_) => None,
        }
    }

    pub async fn rollback(self) -> Result<()> {
        match self.0 {
            TxInner::Sqlite(tx) => tx.rollback().await?,
            TxInner::Postgres(tx) => tx.rollback().await?,
        }
        Ok(())
    }
}

/// A transaction bound to one tenant. Repositories for tenant data take only this type and
/// filter every query on [`TenantTx::tenant_id`].
pub struct TenantTx {
    tx: Tx,
    tenant: TenantId,
}

impl TenantTx {
    pub fn tenant_id(&self) -> TenantId {
        self.tenant
    }

    pub fn conn(&mut self) -> Conn<'_> {
        self.tx.conn()
    }

    /// The same transaction, for platform-level repositories (e.g. creating the tenant row
    /// and its first membership atomically).
    pub fn platform(&mut self) -> &mut Tx {
        &mut self.tx
    }

    pub async fn commit(self) -> Result<()> {
        self.tx.commit().await
    }

    pub async fn rollback(self) -> Result<()> {
        self.tx.rollback().await
    }
}
