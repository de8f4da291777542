//! Opening the pools for each backend.

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context as _;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::{Db, Pools};
use crate::{Error, Result};

const READERS: u32 = 8;
const PG_CONNECTIONS: u32 = 16;
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

pub(super) async fn connect(url: &str) -> Result<Db> {
    if url.starts_with("sqlite:") {
        connect_sqlite(url).await
    } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
        let pool = PgPoolOptions::new()
            .max_connections(PG_CONNECTIONS)
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .connect(url)
            .await
            .context("connecting to PostgreSQL")?;
        Ok(Db(Pools::Postgres(pool)))
    } else {
        Err(Error::Internal(anyhow::anyhow!(
            "DATABASE_URL must start with sqlite:// or postgres://"
        )))
    }
}

/// WAL with one writer connection and a pool of read-only readers; `synchronous = FULL` so a
/// committed write survives a power cut.
async fn connect_sqlite(url: &str) -> Result<Db> {
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
        std::fs::create_dir_all(folder)
            .with_context(|| format!("creating the database folder {}", folder.display()))?;
    }
    let writer = SqlitePoolOptions::new()
        .max_connections(1)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        // WAL is a property of the file, set once by the writer; readers must not try to.
        .connect_with(options.clone().journal_mode(SqliteJournalMode::Wal))
        .await
        .context("opening the SQLite database")?;
    if in_memory {
        // Each in-memory connection is its own database: everything shares the one writer.
        let readers = writer.clone();
        return Ok(Db(Pools::Sqlite { writer, readers }));
    }
    let readers = SqlitePoolOptions::new()
        .max_connections(READERS)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_lazy_with(options.read_only(true));
    Ok(Db(Pools::Sqlite { writer, readers }))
}
