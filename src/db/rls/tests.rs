//! Row-level security on PostgreSQL, tried the way injected SQL would: as the application's
//! login role, inside its own transactions.

use sqlx::{Connection, Executor, PgConnection};

use super::*;
use crate::members;
use crate::tenancy::Role;
use crate::testing::{fixtures, TestDb, TestTenant};
use crate::users::PasswordHash;

async fn postgres() -> TestDb {
    TestDb::new(Backend::Postgres).await
}

/// The SQLSTATE of a failed statement ("" when it succeeded).
async fn sqlstate(c: &mut PgConnection, sql: &str) -> String {
    match c.execute(sql).await {
        Ok(_) => String::new(),
        Err(err) => err
            .as_database_error()
            .and_then(|e| e.code())
            .unwrap_or_default()
            .into_owned(),
    }
}

/// Runs DDL as the tables' owner.
async fn as_owner(db: &TestDb, sql: &str) {
    db.owner().await.execute(sql).await.unwrap();
}

/// Sets `setting` for the transaction on `c`, then counts the memberships it shows.
async fn memberships_seen_with(c: &mut PgConnection, setting: &str, value: &str) -> i64 {
    sqlx::query("SELECT set_config($1, $2, true)")
        .bind(setting)
        .bind(value)
        .execute(&mut *c)
        .await
        .unwrap();
    sqlx::query_scalar("SELECT count(*) FROM memberships")
        .fetch_one(&mut *c)
        .await
        .unwrap()
}

async fn refusal(db: &TestDb) -> String {
    match verify(&db.db()).await {
        Ok(()) => String::from("the self-check passed"),
        Err(err) => err.to_string(),
    }
}

#[tokio::test]
async fn the_application_sees_no_tenant_rows_when_no_tenant_is_set() {
    let db = postgres().await;
    assert_eq!(db.isolation(), super::super::IsolationMode::LoginRole);
    TestTenant::new("salon")
        .with_member(Role::Staff)
        .create(&db)
        .await;
    let mut tx = db.begin(Access::Read).await.unwrap();
    let all: i64 = sqlx::query_scalar("SELECT count(*) FROM memberships")
        .fetch_one(tx.postgres().unwrap())
        .await
        .unwrap();
    assert_eq!(all, 0);
}

/// The tenant ids a query without a tenant filter sees in `table`, inside `scope`'s
/// transaction.
async fn tenants_seen(
    db: &TestDb,
    scope: &crate::tenancy::TenantScope,
    table: &str,
) -> Vec<uuid::Uuid> {
    let mut tx = scope.begin(db, Access::Read).await.unwrap();
    // `table` comes from the catalog, never from input.
    let sql = format!("SELECT DISTINCT tenant_id FROM {table}");
    sqlx::query_scalar(&sql)
        .fetch_all(tx.platform().postgres().unwrap())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_query_that_forgets_the_tenant_filter_still_sees_one_tenant() {
    let db = postgres().await;
    let mut seeded = Vec::new();
    for slug in ["salon", "spa"] {
        let tenant = TestTenant::new(slug)
            .with_member(Role::Staff)
            .create(&db)
            .await;
        let scope = tenant.scope_of(&db, Role::TenantAdmin).await;
        let outlet = fixtures::outlet(&db, &scope, "Main").await;
        let service = serde_json::json!({"name": "Cut", "price_cents": 100,
                                          "duration_minutes": 30, "outlet_id": outlet});
        let service = serde_json::from_value(service).unwrap();
        crate::catalog::create(&db, &scope, &service).await.unwrap();
        seeded.push((tenant.tenant.id.as_uuid(), scope));
    }
    // Every table that holds tenant rows, now and in every later migration.
    let tables: Vec<String> = sqlx::query_scalar(
        "SELECT table_name::text FROM information_schema.columns
          WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY 1",
    )
    .fetch_all(&mut db.owner().await)
    .await
    .unwrap();
    for table in ["memberships", "subscriptions", "outlets", "services"] {
        assert!(
            tables.iter().any(|t| t == table),
            "{table} is a tenant table"
        );
    }
    for table in &tables {
        for (tenant, scope) in &seeded {
            let seen = tenants_seen(&db, scope, table).await;
            assert!(seen.iter().all(|t| t == tenant), "{table} showed {seen:?}");
            if ["memberships", "subscriptions", "outlets", "services"].contains(&table.as_str()) {
                assert_eq!(seen, [*tenant], "{table} shows the tenant's own rows");
            }
        }
    }
}

#[tokio::test]
async fn entering_a_tenant_after_reading_a_users_workspaces_names_the_user_no_more() {
    let db = postgres().await;
    let salon = TestTenant::new("salon").create(&db).await;
    let spa = TestTenant::new("spa").create(&db).await;
    fixtures::add_member(&db, "spa", salon.admin.id, Role::Staff).await;
    let scope = salon.scope_of(&db, Role::TenantAdmin).await;
    // The dashboard's read: the user's workspaces first, then the tenant's data.
    let mut tx = db.begin(Access::Read).await.unwrap();
    let workspaces = db.user_tenants_in(&mut tx, salon.admin.id).await.unwrap();
    assert_eq!(
        workspaces.len(),
        2,
        "the platform read sees both of the user's memberships"
    );
    let mut tx = scope.enter(&db, tx, Access::Read).await.unwrap();
    let seen: Vec<uuid::Uuid> = sqlx::query_scalar("SELECT DISTINCT tenant_id FROM memberships")
        .fetch_all(tx.platform().postgres().unwrap())
        .await
        .unwrap();
    assert_eq!(
        seen,
        [salon.tenant.id.as_uuid()],
        "not spa's: {:?}",
        spa.tenant.id
    );
}

#[tokio::test]
async fn injected_sql_cannot_switch_row_level_security_off() {
    let db = postgres().await;
    let salon = TestTenant::new("salon").create(&db).await;
    let spa = TestTenant::new("spa").create(&db).await;
    let scope = spa.scope_of(&db, Role::TenantAdmin).await;
    let mut tx = scope.begin(&db, Access::Write).await.unwrap();
    let c = tx.platform().postgres().unwrap();
    let owner: String = sqlx::query_scalar(
        "SELECT tableowner::text FROM pg_tables WHERE tablename = 'memberships'",
    )
    .fetch_one(&mut *c)
    .await
    .unwrap();

    // Each attempt runs in a savepoint, so one refusal does not end the transaction.
    let attempts = [
        format!("SET ROLE {owner}"),
        format!("SELECT set_config('role', '{owner}', true)"),
        "ALTER TABLE memberships NO FORCE ROW LEVEL SECURITY".to_owned(),
        "ALTER TABLE memberships DISABLE ROW LEVEL SECURITY".to_owned(),
        "DROP POLICY tenant_isolation ON memberships".to_owned(),
        "TRUNCATE memberships".to_owned(),
        "TRUNCATE tenants CASCADE".to_owned(),
        "SELECT password_hash FROM users".to_owned(),
        "SELECT * FROM credential_key".to_owned(),
        "SELECT oikos_grant_app('public')".to_owned(),
        "CREATE TABLE stolen AS SELECT * FROM tenants".to_owned(),
        // Accounts and platform rows: no takeover, no escalation, no wipe.
        "UPDATE users SET password_hash = 'attacker-hash'".to_owned(),
        "UPDATE users SET is_super_admin = true".to_owned(),
        "INSERT INTO users (id, email, first_name, last_name, is_super_admin, is_active, \
         created_at, updated_at) VALUES (gen_random_uuid(), 'evil@x.test', '', '', true, true, \
         now(), now())"
            .to_owned(),
        "DELETE FROM tenants".to_owned(),
        "DELETE FROM users".to_owned(),
        // A tenant's erasure is scheduled only through the owner's function, with the key.
        "UPDATE tenants SET erase_after = now() - interval '1 day'".to_owned(),
        // The audit trail is append-only.
        "UPDATE platform_audit SET action = 'nothing'".to_owned(),
        "DELETE FROM platform_audit".to_owned(),
    ];
    for attempt in &attempts {
        c.execute("SAVEPOINT attempt").await.unwrap();
        let state = sqlstate(c, attempt).await;
        assert!(!state.is_empty(), "{attempt} succeeded");
        c.execute("ROLLBACK TO SAVEPOINT attempt").await.unwrap();
    }

    // Without the key's proof the erasure functions change nothing.
    let scheduled: Option<bool> = sqlx::query_scalar(
        "SELECT oikos_set_erase_after($1, '\\x00'::bytea, now() - interval '1 day')",
    )
    .bind(salon.tenant.id)
    .fetch_one(&mut *c)
    .await
    .unwrap();
    assert_eq!(scheduled, None);
    let erased: bool = sqlx::query_scalar("SELECT oikos_erase_tenant($1, '\\x00'::bytea)")
        .bind(salon.tenant.id)
        .fetch_one(&mut *c)
        .await
        .unwrap();
    assert!(!erased);

    // RESET ROLE is allowed, and changes nothing: the login role is who we are.
    c.execute("RESET ROLE").await.unwrap();
    let who: String = sqlx::query_scalar("SELECT current_user::text")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    assert!(who.ends_with("_app"), "{who}");
    let visible: i64 = sqlx::query_scalar("SELECT count(*) FROM memberships WHERE tenant_id = $1")
        .bind(salon.tenant.id)
        .fetch_one(&mut *c)
        .await
        .unwrap();
    assert_eq!(visible, 0);

    // Naming another tenant takes the owner's key: a bare or forged value sees nothing and
    // gains no platform rights either.
    let own: String = sqlx::query_scalar("SELECT current_setting('app.tenant_id')")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    let forgeries = [
        salon.tenant.id.to_string(),
        format!("{}.{}", salon.tenant.id, "0".repeat(64)),
    ];
    for forged in &forgeries {
        let members = memberships_seen_with(c, "app.tenant_id", forged).await;
        assert_eq!(members, 0, "{forged}");
        let renamed = sqlx::query("UPDATE tenants SET name = 'pwned'")
            .execute(&mut *c)
            .await
            .unwrap();
        assert_eq!(renamed.rows_affected(), 0, "{forged}");
    }
    sqlx::query("SELECT set_config('app.tenant_id', $1, true)")
        .bind(&own)
        .execute(&mut *c)
        .await
        .unwrap();

    // Another tenant's row and a global account cannot be changed from a tenant transaction.
    for (sql, id) in [
        (
            "UPDATE tenants SET name = 'pwned' WHERE id = $1",
            salon.tenant.id.as_uuid(),
        ),
        (
            "UPDATE users SET first_name = 'pwned' WHERE id = $1",
            spa.admin.id.as_uuid(),
        ),
        (
            "UPDATE memberships SET role = 'STAFF' WHERE tenant_id = $1",
            salon.tenant.id.as_uuid(),
        ),
    ] {
        let done = sqlx::query(sql).bind(id).execute(&mut *c).await.unwrap();
        assert_eq!(done.rows_affected(), 0, "{sql}");
    }
    let inserted = sqlx::query(
        "INSERT INTO memberships (tenant_id, user_id, role, is_active, created_at, updated_at)
         VALUES ($1, $2, 'TENANT_ADMIN', true, now(), now())",
    )
    .bind(salon.tenant.id)
    .bind(spa.admin.id)
    .execute(&mut *c)
    .await
    .unwrap_err();
    assert_eq!(
        inserted.as_database_error().unwrap().code().unwrap(),
        "42501"
    );
    drop(tx);

    let salon_scope = salon.scope_of(&db, Role::TenantAdmin).await;
    let (members, _) = crate::members::service::list(&db, &salon_scope, &Default::default())
        .await
        .unwrap();
    assert_eq!(members.len(), 1);
    assert_eq!(members[0].role, Role::TenantAdmin);
}

#[tokio::test]
async fn password_hashes_are_read_only_through_the_credential_function() {
    let db = postgres().await;
    let salon = TestTenant::new("salon").create(&db).await;
    as_owner(
        &db,
        &format!(
            "UPDATE users SET password_hash = 'phc-secret' WHERE id = '{}'",
            salon.admin.id
        ),
    )
    .await;
    let hash = db.password_hash(salon.admin.id).await.unwrap();
    assert_eq!(hash, Some(PasswordHash::from_phc("phc-secret".into())));

    // Without the owner's key, the function answers nothing.
    let mut app = db.app_connection().await;
    let guessed: Option<String> =
        sqlx::query_scalar("SELECT oikos_password_hash(id, sha256(id::text::bytea)) FROM users")
            .fetch_one(&mut app)
            .await
            .unwrap();
    assert_eq!(guessed, None);
    assert_eq!(
        sqlstate(&mut app, "SELECT password_hash FROM users").await,
        "42501"
    );
}

#[tokio::test]
async fn one_signed_user_sees_their_own_memberships_and_nothing_else() {
    let db = postgres().await;
    let salon = TestTenant::new("salon")
        .with_member(Role::Staff)
        .create(&db)
        .await;
    let spa = TestTenant::new("spa").create(&db).await;
    // The admin of the salon joins the spa too.
    let scope = spa.scope_of(&db, Role::TenantAdmin).await;
    let mut tx = scope.begin(&db, Access::Write).await.unwrap();
    members::repository::insert(&mut tx, salon.admin.id, Role::Staff)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let mine = db.user_tenants(salon.admin.id).await.unwrap();
    let slugs: Vec<&str> = mine.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(slugs, ["salon", "spa"]);

    // A forged user (no key) sees no membership at all; no user, none either.
    let mut app = db.app_connection().await;
    let mut tx = app.begin().await.unwrap();
    let forged = format!("{}.{}", salon.admin.id, "0".repeat(64));
    assert_eq!(
        memberships_seen_with(&mut tx, "app.user_id", &forged).await,
        0
    );
    // A signed user still cannot change a membership outside a tenant transaction.
    drop(tx);
    let key = db.db().credential_key().unwrap().to_vec();
    let signed = super::super::credentials::signed_user(&key, salon.admin.id);
    let mut tx = app.begin().await.unwrap();
    let seen = memberships_seen_with(&mut tx, "app.user_id", &signed).await;
    assert_eq!(seen, 2, "the user's own two, not the salon's staff member");
    let changed = sqlx::query("UPDATE memberships SET role = 'TENANT_ADMIN'")
        .execute(&mut *tx)
        .await
        .unwrap()
        .rows_affected();
    assert_eq!(changed, 0);
    assert_eq!(sqlstate(&mut tx, "DELETE FROM memberships").await, "");
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM memberships")
        .fetch_one(&mut *tx)
        .await
        .unwrap();
    assert_eq!(left, 2, "nothing deleted");
}

#[tokio::test]
async fn the_self_check_passes_on_a_migrated_database() {
    verify(&postgres().await.db()).await.unwrap();
}

#[tokio::test]
async fn the_self_check_refuses_a_schema_that_would_leak() {
    let cases = [
        (
            "CREATE POLICY everything ON memberships USING (true)",
            "unexpected row-level security policy",
        ),
        (
            "ALTER POLICY tenant_isolation ON memberships USING (true)",
            "tenant_isolation",
        ),
        (
            "CREATE VIEW all_members AS SELECT * FROM memberships",
            "all_members",
        ),
        (
            "ALTER TABLE memberships NO FORCE ROW LEVEL SECURITY",
            "\"memberships\" lacks forced",
        ),
        (
            "CREATE TABLE notes (id uuid PRIMARY KEY)",
            "\"notes\" has no tenant_id",
        ),
    ];
    for (ddl, refused) in cases {
        let db = postgres().await;
        as_owner(&db, ddl).await;
        let err = refusal(&db).await;
        assert!(err.contains(refused), "{ddl}: {err}");
    }
}

#[tokio::test]
async fn a_view_with_security_invoker_is_accepted() {
    let db = postgres().await;
    as_owner(
        &db,
        "CREATE VIEW all_members WITH (security_invoker = true) AS SELECT * FROM memberships",
    )
    .await;
    verify(&db.db()).await.unwrap();
}

#[tokio::test]
async fn the_self_check_refuses_dangerous_or_missing_privileges() {
    let db = postgres().await;
    let app: String = sqlx::query_scalar("SELECT current_user::text")
        .fetch_one(&mut db.app_connection().await)
        .await
        .unwrap();
    // (change, undo): each change alone must make the self-check refuse, naming the role.
    let changes = [
        (
            "GRANT TRUNCATE ON memberships TO {app}",
            "REVOKE TRUNCATE ON memberships FROM {app}",
        ),
        (
            "GRANT REFERENCES ON tenants TO {app}",
            "REVOKE REFERENCES ON tenants FROM {app}",
        ),
        (
            "GRANT SELECT ON credential_key TO {app}",
            "REVOKE SELECT ON credential_key FROM {app}",
        ),
        (
            "GRANT SELECT (password_hash) ON users TO {app}",
            "REVOKE SELECT (password_hash) ON users FROM {app}",
        ),
        (
            "GRANT UPDATE (is_super_admin) ON users TO {app}",
            "REVOKE UPDATE (is_super_admin) ON users FROM {app}",
        ),
        (
            "GRANT DELETE ON tenants TO {app}",
            "REVOKE DELETE ON tenants FROM {app}",
        ),
        (
            "REVOKE DELETE ON memberships FROM {app}",
            "GRANT DELETE ON memberships TO {app}",
        ),
        (
            "GRANT UPDATE (action) ON platform_audit TO {app}",
            "REVOKE UPDATE (action) ON platform_audit FROM {app}",
        ),
        (
            "GRANT DELETE ON audit_log TO {app}",
            "REVOKE DELETE ON audit_log FROM {app}",
        ),
        (
            "GRANT CREATE ON SCHEMA public TO {app}",
            "REVOKE CREATE ON SCHEMA public FROM {app}",
        ),
    ];
    for (change, undo) in changes {
        let (change, undo) = (change.replace("{app}", &app), undo.replace("{app}", &app));
        as_owner(&db, &change).await;
        let err = refusal(&db).await;
        assert!(err.contains(&app), "{change}: {err}");
        as_owner(&db, &undo).await;
    }
    // Role attributes need the cluster's superuser.
    let mut admin = PgConnection::connect(&TestDb::postgres_admin_url())
        .await
        .unwrap();
    admin
        .execute(format!("ALTER ROLE {app} CREATEROLE").as_str())
        .await
        .unwrap();
    let err = refusal(&db).await;
    assert!(err.contains("CREATEROLE"), "{err}");
    admin
        .execute(format!("ALTER ROLE {app} NOCREATEROLE").as_str())
        .await
        .unwrap();
    verify(&db.db()).await.unwrap();
}

#[tokio::test]
async fn first_time_mode_switches_to_a_role_of_its_own_database() {
    let db = TestDb::first_time().await;
    assert_eq!(db.isolation(), super::super::IsolationMode::RoleSwitch);
    let salon = TestTenant::new("salon")
        .with_member(Role::Staff)
        .create(&db)
        .await;
    let mut tx = db.begin(Access::Read).await.unwrap();
    let c = tx.postgres().unwrap();
    let (who, database): (String, String) =
        sqlx::query_as("SELECT current_user::text, current_database()::text")
            .fetch_one(&mut *c)
            .await
            .unwrap();
    assert_eq!(who, format!("oikos_app_{database}"));
    let visible: i64 = sqlx::query_scalar("SELECT count(*) FROM memberships")
        .fetch_one(&mut *c)
        .await
        .unwrap();
    assert_eq!(visible, 0, "superuser connection, yet the policies apply");
    drop(tx);
    let scope = salon.scope_of(&db, Role::TenantAdmin).await;
    let (members, _) = members::service::list(&db, &scope, &Default::default())
        .await
        .unwrap();
    assert_eq!(members.len(), 2);
    // Opening again finds the role and needs no CREATEROLE.
    Db::open(db.config()).await.unwrap();
}

#[tokio::test]
async fn read_transactions_cannot_write() {
    let db = postgres().await;
    let salon = TestTenant::new("salon").create(&db).await;
    let scope = salon.scope_of(&db, Role::TenantAdmin).await;
    let mut tx = scope.begin(&db, Access::Read).await.unwrap();
    let state = sqlstate(
        tx.platform().postgres().unwrap(),
        "UPDATE tenants SET name = 'x'",
    )
    .await;
    assert_eq!(state, "25006", "read only transaction");
}

#[tokio::test]
async fn session_state_left_by_one_request_is_gone_for_the_next() {
    // First-time mode: production mode's database grants no TEMP at all.
    let db = TestDb::first_time().await;
    let salon = TestTenant::new("salon")
        .with_member(Role::Staff)
        .create(&db)
        .await;
    // Injected SQL sets the tenant for the whole session and hides a temporary table behind
    // the real one, then the connection goes back to the pool.
    let mut tx = db.begin(Access::Write).await.unwrap();
    let c = tx.postgres().unwrap();
    sqlx::query("SELECT set_config('app.tenant_id', $1, false)")
        .bind(salon.tenant.id.to_string())
        .execute(&mut *c)
        .await
        .unwrap();
    c.execute("CREATE TEMP TABLE tenants (id uuid)")
        .await
        .unwrap();
    tx.commit().await.unwrap();
    for _ in 0..4 {
        let mut tx = db.begin(Access::Read).await.unwrap();
        let c = tx.postgres().unwrap();
        let members: i64 = sqlx::query_scalar("SELECT count(*) FROM memberships")
            .fetch_one(&mut *c)
            .await
            .unwrap();
        assert_eq!(
            members, 0,
            "the session's tenant leaked into a later transaction"
        );
        let tenants: i64 = sqlx::query_scalar("SELECT count(*) FROM tenants")
            .fetch_one(&mut *c)
            .await
            .unwrap();
        assert_eq!(tenants, 1, "a temporary table shadows the real one");
    }
}
