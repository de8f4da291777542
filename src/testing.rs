//! Test fixtures: a fresh, migrated database per test on either backend, [`db_test!`], which
//! runs one test body on both, and builders for the rows tests start from.
//!
//! PostgreSQL tests run in production mode: each test database is owned by its own login
//! role (migrations, grants) and queried by another login role that owns nothing, on the server
//! named by `OIKOS_TEST_POSTGRES_URL` (default `postgres://postgres:postgres@127.0.0.1:5432/
//! postgres`, as `./test` sets it up). [`TestDb::first_time`] gives first-time mode instead.
//! Databases and roles are dropped afterwards.

#![allow(clippy::expect_used)]

use std::time::{SystemTime, UNIX_EPOCH};

use secrecy::{ExposeSecret, SecretString};
use sqlx::{Connection, Executor, PgConnection};

use crate::db::{Backend, DatabaseConfig, Db};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

const DEFAULT_POSTGRES: &str = "postgres://postgres:postgres@127.0.0.1:5432/postgres";
/// Databases left behind by a crashed run are dropped once they are this old.
const STALE_AFTER_SECS: u64 = 3600;
const PREFIX: &str = "oikos_t_";
/// Test roles' password (local test server only).
const ROLE_PASSWORD: &str = "oikos-test";

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
    config: DatabaseConfig,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, name: String },
}

impl TestDb {
    /// SQLite, or PostgreSQL in production mode (login role + owner).
    pub async fn new(backend: Backend) -> TestDb {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temporary folder");
                let url = format!("sqlite://{}/oikos.db?mode=rwc", dir.path().display());
                Self::open(
                    DatabaseConfig {
                        url: url.into(),
                        migration_url: None,
                    },
                    Cleanup::Sqlite(dir),
                )
                .await
            }
            Backend::Postgres => {
                let (config, cleanup) = create_postgres_database(true).await;
                Self::open(config, cleanup).await
            }
        }
    }

    /// PostgreSQL in first-time mode: one URL, naming a superuser.
    pub async fn first_time() -> TestDb {
        let (config, cleanup) = create_postgres_database(false).await;
        Self::open(config, cleanup).await
    }

    async fn open(config: DatabaseConfig, cleanup: Cleanup) -> TestDb {
        let db = Db::open(&config).await.expect("open the test database");
        TestDb {
            db,
            config,
            cleanup,
        }
    }

    pub fn db(&self) -> Db {
        self.db.clone()
    }

    /// `DATABASE_URL` and `DATABASE_MIGRATION_URL` of this database (to start a server on it).
    pub fn config(&self) -> &DatabaseConfig {
        &self.config
    }

    /// A connection as the tables' owner (PostgreSQL), for tests that tamper with the schema.
    pub async fn owner(&self) -> PgConnection {
        let url = self
            .config
            .migration_url
            .as_ref()
            .unwrap_or(&self.config.url);
        PgConnection::connect(url.expose_secret())
            .await
            .expect("connect as the owner")
    }

    /// A connection as the application's login role (PostgreSQL production mode), for tests
    /// that play injected SQL.
    pub async fn app_connection(&self) -> PgConnection {
        PgConnection::connect(self.config.url.expose_secret())
            .await
            .expect("connect as the app")
    }

    /// The rows in `table`, counted past row-level security (as the test server's superuser
    /// on PostgreSQL): what a test checks was written, or left behind.
    pub async fn count_rows(&self, table: &str) -> i64 {
        // `table` is a test's literal, never input.
        let sql = format!("SELECT count(*) FROM {table}");
        let counted = match &self.cleanup {
            Cleanup::Postgres { admin_url, name } => {
                let mut c = PgConnection::connect(&with_database(admin_url, name))
                    .await
                    .expect("connect as the test server's superuser");
                sqlx::query_scalar(&sql).fetch_one(&mut c).await
            }
            Cleanup::Sqlite(_) => {
                let mut tx = self
                    .db
                    .begin(crate::db::Access::Read)
                    .await
                    .expect("a transaction");
                crate::db::on_conn!(tx, c => sqlx::query_scalar(&sql).fetch_one(c).await)
            }
        };
        counted.expect("count the rows")
    }

    pub(crate) fn postgres_admin_url() -> String {
        std::env::var("OIKOS_TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_POSTGRES.to_owned())
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
                Ok(runtime.block_on(async {
                    let mut admin = PgConnection::connect(&admin_url).await?;
                    drop_database(&mut admin, &name).await
                })?)
            })
            .join();
            if let Ok(Err(err)) = dropped {
                tracing::warn!(%err, "could not drop a test database");
            }
        }
    }
}

/// A database named `oikos_t_<unix time>_<random>`; in production mode owned by the login
/// role `<name>_owner` and used through the login role `<name>_app`, as the README's set-up
/// does it.
async fn create_postgres_database(production: bool) -> (DatabaseConfig, Cleanup) {
    let admin_url = TestDb::postgres_admin_url();
    let mut admin = PgConnection::connect(&admin_url)
        .await
        .expect("PostgreSQL for tests (set OIKOS_TEST_POSTGRES_URL or start it; ./test does)");
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs();
    drop_stale_databases(&mut admin, now).await;
    let random = uuid::Uuid::new_v4().simple().to_string();
    let name = format!("{PREFIX}{now}_{}", &random[..16]);
    // Identifiers cannot be bound; `name` is made above from letters, digits and `_` only.
    let config = if production {
        let (owner, app) = (format!("{name}_owner"), format!("{name}_app"));
        for statement in [
            format!("CREATE ROLE {owner} LOGIN PASSWORD '{ROLE_PASSWORD}'"),
            format!("CREATE ROLE {app} LOGIN PASSWORD '{ROLE_PASSWORD}'"),
            format!("CREATE DATABASE {name} OWNER {owner}"),
            format!("REVOKE ALL ON DATABASE {name} FROM PUBLIC"),
            format!("GRANT CONNECT ON DATABASE {name} TO {app}"),
        ] {
            admin
                .execute(statement.as_str())
                .await
                .expect("create a test database");
        }
        DatabaseConfig {
            url: login_url(&admin_url, &name, &app),
            migration_url: Some(login_url(&admin_url, &name, &owner)),
        }
    } else {
        admin
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create a test database");
        DatabaseConfig {
            url: with_database(&admin_url, &name).into(),
            migration_url: None,
        }
    };
    (config, Cleanup::Postgres { admin_url, name })
}

async fn drop_stale_databases(admin: &mut PgConnection, now: u64) {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT datname::text FROM pg_database WHERE datname LIKE 'oikos\\_t\\_%'",
    )
    .fetch_all(&mut *admin)
    .await
    .unwrap_or_default();
    let ours = |name: &String| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    for name in names.into_iter().filter(ours) {
        let created: Option<u64> = name.split('_').nth(2).and_then(|t| t.parse().ok());
        if created.is_some_and(|t| now.saturating_sub(t) > STALE_AFTER_SECS) {
            let _ = drop_database(admin, &name).await;
        }
    }
}

/// Drops the database and every role made for it (production mode's two, first-time mode's
/// switch role).
async fn drop_database(admin: &mut PgConnection, name: &str) -> Result<(), sqlx::Error> {
    admin
        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
        .await?;
    for role in [
        format!("{name}_owner"),
        format!("{name}_app"),
        format!("oikos_app_{name}"),
    ] {
        admin
            .execute(format!("DROP ROLE IF EXISTS {role}").as_str())
            .await?;
    }
    Ok(())
}

fn with_database(admin_url: &str, name: &str) -> String {
    let mut url = url::Url::parse(admin_url).expect("OIKOS_TEST_POSTGRES_URL is a URL");
    url.set_path(name);
    url.to_string()
}

fn login_url(admin_url: &str, name: &str, role: &str) -> SecretString {
    let mut url = url::Url::parse(&with_database(admin_url, name)).expect("a URL");
    let _ = url.set_username(role);
    let _ = url.set_password(Some(ROLE_PASSWORD));
    url.to_string().into()
}

/// Builders for the rows tests start from.
/// A webhook receiver on a free local port that records what it is sent and answers 500
/// the first `failures` times, then 200 (test support: the core itself knows nothing of axum).
#[derive(Clone, Default)]
pub struct Receiver {
    seen: std::sync::Arc<std::sync::Mutex<Vec<Received>>>,
    failures_left: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

/// One request: its headers (lower-case names) and body.
pub type Received = (std::collections::BTreeMap<String, String>, String);

impl Receiver {
    /// The receiver and its URL (`http://127.0.0.1:<port>/hook`).
    pub async fn start(failures: usize) -> (Receiver, String) {
        use std::sync::atomic::Ordering;

        let receiver = Receiver::default();
        receiver.failures_left.store(failures, Ordering::SeqCst);
        let app = axum::Router::new()
            .route("/hook", axum::routing::post(Self::receive))
            .with_state(receiver.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port");
        let url = format!("http://{}/hook", listener.local_addr().expect("address"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        (receiver, url)
    }

    async fn receive(
        axum::extract::State(receiver): axum::extract::State<Receiver>,
        headers: axum::http::HeaderMap,
        body: String,
    ) -> axum::http::StatusCode {
        use std::sync::atomic::Ordering;

        let headers = headers
            .iter()
            .map(|(name, value)| {
                let value = String::from_utf8_lossy(value.as_bytes()).into_owned();
                (name.as_str().to_owned(), value)
            })
            .collect();
        receiver.seen.lock().expect("lock").push((headers, body));
        let failing = receiver
            .failures_left
            .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |left| {
                left.checked_sub(1)
            })
            .is_ok();
        if failing {
            axum::http::StatusCode::INTERNAL_SERVER_ERROR
        } else {
            axum::http::StatusCode::OK
        }
    }

    /// Everything received so far, in order.
    pub fn seen(&self) -> Vec<Received> {
        self.seen.lock().expect("lock").clone()
    }

    pub fn count(&self) -> usize {
        self.seen.lock().expect("lock").len()
    }

    /// Waits up to ten seconds for `count` requests; what arrived.
    pub async fn wait_for(&self, count: usize) -> Vec<Received> {
        for _ in 0..100 {
            if self.count() >= count {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        self.seen()
    }
}

pub mod fixtures {
    use crate::db::{Access, Db};
    use crate::members;
    use crate::tenancy::{Principal, Role, SystemScope, TenantId, TenantScope};
    use crate::tenants::{self, Tenant, TenantProfile, TenantStatus};
    use crate::users::{self, NewUser, User};
    use crate::values::{Email, Slug};

    pub async fn user(db: &Db, email: &str) -> User {
        new_user(db, email, false).await
    }

    /// The secret tests sign and seal with.
    pub const SESSION_SECRET: &str =
        "3c9e1a7b5d2f4086a1c3e5f7092b4d6f8e1a3c5b7d9f02143658709acbedf129";

    /// Seals under [`SESSION_SECRET`] (`identity::seals`).
    pub fn seals() -> crate::identity::Seals {
        let config = crate::Config::from_lookup(|name| {
            (name == "SESSION_SECRET").then(|| SESSION_SECRET.to_owned())
        })
        .expect("a configuration");
        crate::identity::Seals::new(&crate::keys::Keys::load(&config).expect("keys"))
    }

    /// An API access token for `user`, as a sign-in would issue (tests of HTTP routes act
    /// as seeded members with it).
    pub fn access_token(tokens: &crate::identity::Tokens, user: &User) -> String {
        access_token_in(tokens, user, None)
    }

    /// An access token acting as `user` in `tenant` with `role` (its active workspace).
    pub fn access_token_in(
        tokens: &crate::identity::Tokens,
        user: &User,
        tenant: Option<(TenantId, Role)>,
    ) -> String {
        let grant = crate::identity::tokens::Grant::new(user, tenant);
        tokens
            .access_token(&grant, chrono::Utc::now())
            .expect("an access token")
    }

    /// The account with `email`, as stored (an account a test registered over HTTP).
    pub async fn user_by_email(db: &Db, email: &str) -> User {
        let mut tx = db.begin(Access::Read).await.expect("begin");
        let email = Email::parse(email).expect("a valid email");
        users::repository::find_by_email(&mut tx, &email)
            .await
            .expect("find")
            .expect("an account with that email")
    }

    /// Makes `user` a member of the tenant `slug` with `role` (as an accepted invitation
    /// will).
    pub async fn add_member(db: &Db, slug: &str, user: crate::tenancy::UserId, role: Role) {
        let mut tx = db.begin(Access::Read).await.expect("begin");
        let slug = Slug::parse(slug).expect("a valid slug");
        let tenant = tenants::repository::find_by_slug(&mut tx, &slug)
            .await
            .expect("find")
            .expect("a tenant with that slug");
        tx.rollback().await.expect("rollback");
        let scope = SystemScope::new().tenant(tenant.id);
        let mut tx = scope.begin(db, Access::Write).await.expect("begin");
        members::repository::insert(&mut tx, user, role)
            .await
            .expect("insert member");
        tx.commit().await.expect("commit");
    }

    /// Sets `user`'s password (as a reset would), for a test that then logs in with it.
    pub async fn set_password(
        ctx: &crate::AppContext,
        user: crate::tenancy::UserId,
        password: &str,
    ) {
        let password = crate::values::Password::parse(password).expect("a valid password");
        let hash = ctx.passwords.hash(&password).await.expect("hash");
        let mut tx = ctx.db.begin(Access::Write).await.expect("begin");
        ctx.db
            .set_password_hash(&mut tx, user, Some(&hash))
            .await
            .expect("set the password");
        tx.commit().await.expect("commit");
    }

    /// Moves the tenant's invitations `by` into the past (created and expiring earlier).
    pub async fn age_invitations(db: &Db, tenant: TenantId, by: chrono::Duration) {
        let scope = SystemScope::new().tenant(tenant);
        let mut tx = scope.begin(db, Access::Write).await.expect("begin");
        let expires = chrono::Utc::now() + crate::members::invitations::LIFETIME - by;
        let sql = "UPDATE invitations SET expires_at = $2 WHERE tenant_id = $1";
        crate::db::query::execute!(tx, sql, tenant, expires).expect("age the invitations");
        tx.commit().await.expect("commit");
    }

    /// Counts `n` invitation mails against the tenant's daily limit, as `n` invitations
    /// would, without making them (a test of the limit then needs only the last few).
    pub async fn spend_invitation_mails(db: &Db, tenant: TenantId, n: u32) {
        let key = crate::members::invitations::workspace_key(tenant);
        for _ in 0..n {
            crate::rate_limits::hit(db, &key, crate::members::invitations::PER_WORKSPACE)
                .await
                .expect("within the workspace's daily invitation mails");
        }
    }

    /// Ends the grace period of the tenant's scheduled deletion a second ago, so that the next
    /// `erase_due` erases it (erasure checks the real time, not the one it is given).
    pub async fn end_grace_period(db: &Db, tenant: TenantId) {
        let mut tx = db.begin(Access::Write).await.expect("begin");
        let past = chrono::Utc::now() - chrono::Duration::seconds(1);
        db.set_erase_after(&mut tx, tenant, Some(past))
            .await
            .expect("end the grace period");
        tx.commit().await.expect("commit");
    }

    /// Names `customer` as the tenant's Stripe customer (one Stripe may not know).
    pub async fn stripe_customer(db: &Db, tenant: TenantId, customer: &str) {
        let sql = "UPDATE subscriptions SET customer_id = $2 WHERE tenant_id = $1";
        update_subscription(db, tenant, sql, customer).await;
    }

    /// Puts the tenant's subscription in `status` (`past_due`, …), as a webhook would.
    pub async fn subscription_status(db: &Db, tenant: TenantId, status: &str) {
        let sql = "UPDATE subscriptions SET status = $2 WHERE tenant_id = $1";
        update_subscription(db, tenant, sql, status).await;
    }

    async fn update_subscription(db: &Db, tenant: TenantId, sql: &str, value: &str) {
        let scope = SystemScope::new().tenant(tenant);
        let mut tx = scope.begin(db, Access::Write).await.expect("begin");
        crate::db::query::execute!(tx, sql, tenant, value).expect("update the subscription");
        tx.commit().await.expect("commit");
    }

    /// An outlet row of the scope's tenant, written directly (the outlets service needs the
    /// plans of an application context).
    pub async fn outlet(db: &Db, scope: &TenantScope, name: &str) -> crate::tenancy::OutletId {
        let id = crate::tenancy::OutletId::new();
        let mut tx = scope.begin(db, Access::Write).await.expect("begin");
        let tenant = tx.tenant_id();
        let sql = "INSERT INTO outlets (tenant_id, id, name, timezone, hours, is_active,
                                        created_at, updated_at)
                   VALUES ($1, $2, $3, 'UTC', '{}', $4, $5, $5)";
        crate::db::query::execute!(tx, sql, tenant, id, name, true, chrono::Utc::now())
            .expect("insert an outlet");
        tx.commit().await.expect("commit");
        id
    }

    /// A super admin's principal. On PostgreSQL made as the owner: the application's role
    /// cannot create super admins.
    pub async fn super_admin(db: &super::TestDb) -> Principal {
        let root = new_user(db, "root@oikos.test", false).await;
        if db.backend() == crate::db::Backend::Postgres {
            let mut owner = db.owner().await;
            sqlx::query("UPDATE users SET is_super_admin = true WHERE id = $1")
                .bind(root.id)
                .execute(&mut owner)
                .await
                .expect("promote as the owner");
        } else {
            let mut tx = db.begin(Access::Write).await.expect("begin");
            crate::db::query::execute!(
                tx,
                "UPDATE users SET is_super_admin = true WHERE id = $1",
                root.id
            )
            .expect("promote");
            tx.commit().await.expect("commit");
        }
        Principal::authenticated(root.id, true)
    }

    async fn new_user(db: &Db, email: &str, is_super_admin: bool) -> User {
        let mut tx = db.begin(Access::Write).await.expect("begin");
        let new = NewUser {
            email: Email::parse(email).expect("a valid email"),
            password_hash: None,
            first_name: "Test".to_owned(),
            last_name: "User".to_owned(),
            is_super_admin,
            email_verified: true,
        };
        let user = users::repository::insert(&mut tx, new)
            .await
            .expect("insert user");
        tx.commit().await.expect("commit");
        user
    }

    /// What the authentication code would make for `user`.
    pub fn principal(user: &User) -> Principal {
        Principal::authenticated(user.id, user.is_super_admin)
    }

    /// `TestTenant::new("salon").with_member(Role::Staff).create(&db)`: a tenant with its
    /// TENANT_ADMIN `admin@salon.test` and one member per `with_member`
    /// (`staff1@salon.test`, …).
    pub struct TestTenant {
        slug: String,
        members: Vec<Role>,
    }

    /// A tenant as created by [`TestTenant::create`].
    pub struct Seeded {
        pub tenant: Tenant,
        pub admin: User,
        pub members: Vec<(User, Role)>,
    }

    impl TestTenant {
        pub fn new(slug: &str) -> Self {
            TestTenant {
                slug: slug.to_owned(),
                members: Vec::new(),
            }
        }

        pub fn with_member(mut self, role: Role) -> Self {
            self.members.push(role);
            self
        }

        pub async fn create(self, db: &Db) -> Seeded {
            let slug = &self.slug;
            let admin = user(db, &format!("admin@{slug}.test")).await;
            let profile = TenantProfile {
                name: format!("{slug} business"),
                business_type: None,
                email: Email::parse(&format!("hello@{slug}.test")).expect("email"),
                phone: None,
                website: None,
                description: None,
            };
            let slug = Slug::parse(slug).expect("a valid slug");
            let tenant = tenants::service::provision(db, slug, profile, admin.id)
                .await
                .expect("provision tenant");
            let mut seeded = Seeded {
                tenant,
                admin,
                members: Vec::new(),
            };
            for (n, role) in self.members.into_iter().enumerate() {
                let email = format!(
                    "{}{}@{}.test",
                    role.as_str().to_lowercase(),
                    n + 1,
                    self.slug
                );
                let member = user(db, &email).await;
                let scope = SystemScope::new().tenant(seeded.tenant.id);
                let mut tx = scope.begin(db, Access::Write).await.expect("begin");
                members::repository::insert(&mut tx, member.id, role)
                    .await
                    .expect("insert member");
                tx.commit().await.expect("commit");
                seeded.members.push((member, role));
            }
            seeded
        }
    }

    impl Seeded {
        pub fn admin_principal(&self) -> Principal {
            principal(&self.admin)
        }

        /// The first member with `role` (the admin for TENANT_ADMIN).
        pub fn principal_of(&self, role: Role) -> Principal {
            if role == Role::TenantAdmin {
                return self.admin_principal();
            }
            let (user, _) = self
                .members
                .iter()
                .find(|(_, r)| *r == role)
                .expect("a member with that role");
            principal(user)
        }

        pub async fn scope_of(&self, db: &Db, role: Role) -> TenantScope {
            TenantScope::resolve(db, &self.principal_of(role), self.tenant.id)
                .await
                .expect("resolve scope")
        }
    }

    /// Moves every running impersonation's end into the past, as time passing would.
    pub async fn expire_impersonations(db: &Db) {
        let mut tx = db.begin(Access::Write).await.expect("begin");
        let past = chrono::Utc::now() - chrono::Duration::seconds(1);
        let sql = "UPDATE impersonations SET expires_at = $1 WHERE ended_at IS NULL";
        crate::db::query::execute!(tx, sql, past).expect("expire");
        tx.commit().await.expect("commit");
    }

    pub async fn deactivate(db: &Db, tenant: TenantId) {
        let scope = SystemScope::new().tenant(tenant);
        let mut tx = scope.begin(db, Access::Write).await.expect("begin");
        tenants::repository::set_status(
            tx.platform(),
            tenant,
            TenantStatus::Inactive,
            chrono::Utc::now(),
        )
        .await
        .expect("deactivate");
        tx.commit().await.expect("commit");
    }
}

pub use fixtures::{Seeded, TestTenant};
