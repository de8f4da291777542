//! Opening the database: pools, migrations, the owner's set-up and the self-check.

use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use secrecy::{ExposeSecret, SecretString};
use sqlx::pool::PoolOptions;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, Executor, PgConnection, PgPool};

use super::{postgres, rls, Db, Isolation, Pools};
use crate::Result;

const READERS: u32 = 8;
const PG_CONNECTIONS: u32 = 16;
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);
/// No statement of a request may hold a connection longer than this.
const STATEMENT_TIMEOUT: &str = "30s";
/// A transaction left open by a stuck task is ended by the server.
const IDLE_IN_TRANSACTION_TIMEOUT: &str = "60s";

/// Where the data lives. Both URLs are secrets: they may carry passwords.
#[derive(Clone, Debug)]
pub struct DatabaseConfig {
    /// `sqlite://…` or `postgres://…`: what the application's queries run as.
    pub url: SecretString,
    /// PostgreSQL production mode: the tables' owner, used for migrations and grants only.
    pub migration_url: Option<SecretString>,
}

impl DatabaseConfig {
    pub fn is_postgres(&self) -> bool {
        let url = self.url.expose_secret();
        url.starts_with("postgres:") || url.starts_with("postgresql:")
    }
}

pub(super) async fn open(config: &DatabaseConfig) -> Result<Db> {
    let url = config.url.expose_secret();
    if url.starts_with("sqlite:") {
        open_sqlite(url).await
    } else if config.is_postgres() {
        open_postgres(config).await
    } else {
        Err(anyhow::anyhow!("DATABASE_URL must start with sqlite:// or postgres://").into())
    }
}

/// Production mode when `DATABASE_MIGRATION_URL` names another role than `DATABASE_URL`;
/// first-time mode (role switch) otherwise.
async fn open_postgres(config: &DatabaseConfig) -> Result<Db> {
    let app_options = pg_options(config.url.expose_secret())?.options([
        ("statement_timeout", STATEMENT_TIMEOUT),
        (
            "idle_in_transaction_session_timeout",
            IDLE_IN_TRANSACTION_TIMEOUT,
        ),
    ]);
    // The owner's connection runs migrations, which may take longer than a request.
    let owner_url = config.migration_url.as_ref().unwrap_or(&config.url);
    let owner_options = pg_options(owner_url.expose_secret())?;
    let mut owner = PgConnection::connect_with(&owner_options)
        .await
        .context("connecting to PostgreSQL as the owner (DATABASE_MIGRATION_URL)")?;
    sqlx::migrate!("migrations/postgres")
        .run(&mut owner)
        .await?;
    let pool = pg_pool(app_options).await?;
    let app_user: String = sqlx::query_scalar("SELECT current_user::text")
        .fetch_one(&pool)
        .await?;
    let owner_user: String = sqlx::query_scalar("SELECT current_user::text")
        .fetch_one(&mut owner)
        .await?;
    let isolation = if app_user != owner_user {
        postgres::grant_app(&mut owner, &app_user).await?;
        Isolation::LoginRole
    } else {
        let role = postgres::switch_role_name(&mut owner).await?;
        postgres::ensure_switch_role(&mut owner, &role).await?;
        postgres::grant_app(&mut owner, &role).await?;
        tracing::warn!(
            role,
            "PostgreSQL first-time mode: DATABASE_URL names the tables' owner, so every \
             transaction switches to an unprivileged role. SQL injected into a transaction \
             could switch back; set up production mode (a login role that owns nothing, and \
             DATABASE_MIGRATION_URL for the owner) as the README describes."
        );
        Isolation::RoleSwitch { role: role.into() }
    };
    let key = postgres::credential_key(&mut owner).await?;
    owner.close().await?;
    let db = Db {
        pools: Pools::Postgres(pool),
        isolation,
        credential_key: Some(Arc::new(key.into())),
    };
    rls::verify(&db).await?;
    Ok(db)
}

/// One connection as the owner (`DATABASE_MIGRATION_URL`, else `DATABASE_URL`).
pub(super) async fn owner_pool(config: &DatabaseConfig) -> Result<PgPool> {
    let owner_url = config.migration_url.as_ref().unwrap_or(&config.url);
    let pool = PgPoolOptions::new()
        .max_connections(1)
        .connect_with(pg_options(owner_url.expose_secret())?)
        .await
        .context("connecting to PostgreSQL as the owner (DATABASE_MIGRATION_URL)")?;
    Ok(pool)
}

fn pg_options(url: &str) -> Result<PgConnectOptions> {
    Ok(PgConnectOptions::from_str(url).context("parsing a PostgreSQL URL")?)
}

/// Whatever a transaction left in its session (SQL injected into it could `SET` a tenant for
/// the whole session, or create a temporary table that shadows a real one) is reset before the
/// connection serves another request. `RESET ALL` keeps the connection's own options.
const RESET_SESSION: &str = "RESET ALL; RESET ROLE; DISCARD TEMP";

/// A connection idle for longer than this is pinged before it serves again.
const PING_AFTER_IDLE: Duration = Duration::from_secs(30);

/// sqlx pings every connection it hands out, which on a busy server is one more round trip
/// per transaction (and on SQLite two more thread switches) for connections that were just
/// checked when they came back (sqlx pings on release too). Only one that sat idle for a
/// while, which a restarted server or a proxy may have dropped, is pinged first.
fn ping_only_after_idle<DB: sqlx::Database>(options: PoolOptions<DB>) -> PoolOptions<DB> {
    options
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            Box::pin(async move {
                if meta.idle_for > PING_AFTER_IDLE {
                    conn.ping().await?;
                }
                Ok(true)
            })
        })
}

async fn pg_pool(options: PgConnectOptions) -> Result<PgPool> {
    let pool = ping_only_after_idle(PgPoolOptions::new())
        .max_connections(PG_CONNECTIONS)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .after_release(|conn, _| {
            Box::pin(async move {
                // No arguments: sent as a simple query, so several statements are fine.
                conn.execute(RESET_SESSION).await?;
                Ok(true)
            })
        })
        .connect_with(options)
        .await
        .context("connecting to PostgreSQL (DATABASE_URL)")?;
    Ok(pool)
}

/// WAL with one writer connection and a pool of read-only readers; `synchronous = FULL` so a
/// committed write survives a power cut. The file and its WAL are private to this user.
async fn open_sqlite(url: &str) -> Result<Db> {
    let options = SqliteConnectOptions::from_str(url)
        .context("parsing the SQLite DATABASE_URL")?
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(5));
    let file = options.get_filename().to_owned();
    let in_memory = file.as_os_str() == ":memory:" || file.as_os_str().is_empty();
    if let Some(folder) = file
        .parent()
        .filter(|f| !in_memory && !f.as_os_str().is_empty())
    {
        crate::files::create_private_dir(folder)?;
    }
    let writer = ping_only_after_idle(SqlitePoolOptions::new())
        .max_connections(1)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        // WAL is a property of the file, set once by the writer; readers must not try to.
        .connect_with(options.clone().journal_mode(SqliteJournalMode::Wal))
        .await
        .context("opening the SQLite database")?;
    let readers = if in_memory {
        // Each in-memory connection is its own database: everything shares the one writer.
        writer.clone()
    } else {
        // SQLite creates the WAL and shared-memory files with the database file's mode.
        crate::files::restrict_database_files(&file)?;
        ping_only_after_idle(SqlitePoolOptions::new())
            .max_connections(READERS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect_lazy_with(options.read_only(true))
    };
    sqlx::migrate!("migrations/sqlite").run(&writer).await?;
    if !in_memory {
        crate::files::restrict_database_files(&file)?;
    }
    Ok(Db {
        pools: Pools::Sqlite { writer, readers },
        isolation: Isolation::Application,
        credential_key: None,
    })
}

#[cfg(all(test, unix))]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[tokio::test]
    async fn the_database_folder_and_files_are_private() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("data");
        let url = format!("sqlite://{}/oikos.db?mode=rwc", folder.display());
        let db = open_sqlite(&url).await.unwrap();
        db.ping().await.unwrap();
        let mode = |name: &str| {
            let path = if name.is_empty() {
                folder.clone()
            } else {
                folder.join(name)
            };
            std::fs::metadata(path).unwrap().permissions().mode() & 0o777
        };
        assert_eq!(mode(""), 0o700);
        for file in ["oikos.db", "oikos.db-wal", "oikos.db-shm"] {
            assert_eq!(mode(file), 0o600, "{file}");
        }
    }
}
