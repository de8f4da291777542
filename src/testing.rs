//! Test fixtures: a fresh, migrated database per test on either backend, and [`db_test!`],
//! which runs one test body on both.
//!
//! PostgreSQL tests create a database on the server named by `OIKOS_TEST_POSTGRES_URL`
//! (default `postgres://postgres:postgres@127.0.0.1:5432/postgres`, as `./test` sets it
//! up) and drop it afterwards.

#![allow(clippy::expect_used)]

use std::time::{SystemTime, UNIX_EPOCH};

use sqlx::{Connection, Executor, PgConnection};

use crate::db::{Backend, Db};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const DEFAULT_POSTGRES: &str = "postgres://postgres:postgres@127.0.0.1:5432/postgres";
/// Databases left behind by a crashed run are dropped once they are this old.
const STALE_AFTER_SECS: u64 = 3600;

/// Runs one test body on both backends, as `name::sqlite` and `name::postgres`. `$setup` is
/// an async fn from [`Backend`] to the test's fixture (kept alive for the whole test).
#[macro_export]
macro_rules! on_both_backends {
    ($setup:path, $(#[$meta:meta])* async fn $name:ident($arg:ident: $ty:ty) $body:block) => {
        $(#[$meta])*
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn run($arg: $ty) $body

            #[tokio::test]
            async fn sqlite() {
                run($setup($crate::db::Backend::Sqlite).await).await;
            }

            #[tokio::test]
            async fn postgres() {
                run($setup($crate::db::Backend::Postgres).await).await;
            }
        }
    };
}

/// A test on a fresh database of each backend: `db_test! { async fn name(db: TestDb) { … } }`.
#[macro_export]
macro_rules! db_test {
    ($($test:tt)*) => {
        $crate::on_both_backends!($crate::testing::TestDb::new, $($test)*);
    };
}

/// A migrated database that disappears when dropped.
pub struct TestDb {
    db: Db,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    pub async fn new(backend: Backend) -> TestDb {
        let (url, cleanup) = match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary folder");
                let url = format!("sqlite://{}/oikos.db?mode=rwc", dir.path().display());
                (url, Cleanup::Sqlite(dir))
            }
            Backend::Postgres => create_postgres_database().await,
        };
        let db = Db::connect(&url)
            .await
            .expect("connect to the test database");
        db.migrate().await.expect("migrate the test database");
        TestDb { db, cleanup }
    }

    /// The database URL's admin connection for PostgreSQL tests.
    pub fn postgres_admin_url() -> String {
        std::env::var("OIKOS_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES.to_owned())
    }

    pub fn db(&self) -> Db {
        self.db.clone()
    }

    /// The URL of this database (for starting a server on it).
    pub fn url(&self) -> String {
        match &self.cleanup {
            Cleanup::Sqlite(dir) => format!("sqlite://{}/oikos.db?mode=rwc", dir.path().display()),
            Cleanup::Postgres { admin_url, name } => with_database(admin_url, name),
        }
    }
}

impl std::ops::Deref for TestDb {
    type Target = Db;

    fn deref(&self) -> &Db {
        &self.db
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, name } = &self.cleanup {
            let (admin_url, name) = (admin_url.clone(), name.clone());
            // Drop runs inside the test's runtime, which cannot be blocked on: use a thread.
            let dropped = std::thread::spawn(move || -> Result<(), BoxError> {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?;
                Ok(runtime.block_on(drop_database(&admin_url, &name))?)
            })
            .join();
            if let Ok(Err(err)) = dropped {
                tracing::warn!(%err, "could not drop a test database");
            }
        }
    }
}

async fn create_postgres_database() -> (String, Cleanup) {
    let admin_url = TestDb::postgres_admin_url();
    let mut admin = PgConnection::connect(&admin_url)
        .await
        .expect("PostgreSQL for tests (set OIKOS_TEST_POSTGRES_URL or start it; ./test does)");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    drop_stale_databases(&mut admin, now).await;
    let name = format!("oikos_test_{now}_{}", uuid::Uuid::new_v4().simple());
    // Identifiers cannot be bound; `name` is made above from digits and hex only.
    admin
        .execute(format!("CREATE DATABASE {name}").as_str())
        .await
        .expect("create a test database");
    (
        with_database(&admin_url, &name),
        Cleanup::Postgres { admin_url, name },
    )
}

async fn drop_stale_databases(admin: &mut PgConnection, now: u64) {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT datname::text FROM pg_database WHERE datname LIKE 'oikos\\_test\\_%'",
    )
    .fetch_all(&mut *admin)
    .await
    .unwrap_or_default();
    let ours = |name: &String| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    for name in names.into_iter().filter(ours) {
        let created: Option<u64> = name.split('_').nth(2).and_then(|t| t.parse().ok());
        if created.is_some_and(|t| now.saturating_sub(t) > STALE_AFTER_SECS) {
            let _ = admin
                .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                .await;
        }
    }
}

async fn drop_database(admin_url: &str, name: &str) -> Result<(), sqlx::Error> {
    let mut admin = PgConnection::connect(admin_url).await?;
    admin
        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
        .await?;
    Ok(())
}

fn with_database(admin_url: &str, name: &str) -> String {
    let mut url = url::Url::parse(admin_url).expect("OIKOS_TEST_POSTGRES_URL is a URL");
    url.set_path(name);
    url.to_string()
}

/// Builders for the rows tests start from.
pub mod fixtures {
    use crate::db::{Access, Db};
    use crate::on_conn;
    use crate::tenancy::{Principal, TenantId, TenantScope};
    use crate::tenants::{self, NewTenant, Tenant};
    use crate::users::{self, NewUser, User};

    pub async fn user(db: &Db, email: &str) -> User {
        let mut tx = db.begin(Access::Write).await.expect("begin");
        let new = NewUser {
            email: email.to_owned(),
            password_hash: None,
            first_name: "Test".to_owned(),
            last_name: "User".to_owned(),
            is_super_admin: false,
            email_verified: true,
        };
        let user = users::repository::insert(&mut tx, new)
            .await
            .expect("insert user");
        tx.commit().await.expect("commit");
        user
    }

    /// A tenant with slug `slug` and its TENANT_ADMIN `admin@{slug}.test`.
    pub async fn tenant_with_admin(db: &Db, slug: &str) -> (Tenant, User) {
        let admin = user(db, &format!("admin@{slug}.test")).await;
        let new = NewTenant {
            slug: slug.to_owned(),
            name: format!("{slug} business"),
            business_type: None,
            email: format!("hello@{slug}.test"),
            phone: None,
            website: None,
            description: None,
        };
        let tenant = tenants::provision(db, new, admin.id)
            .await
            .expect("provision tenant");
        (tenant, admin)
    }

    pub async fn scope(db: &Db, user: &User, tenant: TenantId) -> TenantScope {
        let principal = Principal {
            user_id: user.id,
            is_super_admin: user.is_super_admin,
        };
        TenantScope::resolve(db, &principal, tenant)
            .await
            .expect("resolve scope")
    }

    pub async fn deactivate(db: &Db, tenant: TenantId) {
        let mut tx = db.begin(Access::Write).await.expect("begin");
        on_conn!(tx, c => sqlx::query("UPDATE tenants SET status = 'inactive' WHERE id = $1")
            .bind(tenant)
            .execute(c)
            .await
            .map(|done| done.rows_affected()))
        .expect("deactivate");
        tx.commit().await.expect("commit");
    }
}
