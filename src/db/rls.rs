//! The PostgreSQL start-up self-check: proves that row-level security applies to the
//! application's queries, and refuses to start otherwise.

use anyhow::{anyhow, Context as _};
use chrono::Utc;
use sqlx::PgConnection;

use super::{Access, Backend, Db, APP_ROLE};
use crate::tenancy::{TenantId, UserId};
use crate::Result;

/// Checks the catalog (every table with a `tenant_id` column has forced row-level security
/// and a policy; the application role can bypass none of it), then probes: a membership
/// written for one tenant is invisible with no tenant set. The probe is rolled back.
pub async fn verify(db: &Db) -> Result<()> {
    if db.backend() != Backend::Postgres {
        return Ok(());
    }
    let mut tx = db.begin_raw(Access::Read).await?;
    if let Some(c) = tx.postgres() {
        check_catalog(c).await?;
    }
    tx.rollback().await?;
    probe(db).await
}

async fn check_catalog(c: &mut PgConnection) -> Result<()> {
    let unprotected: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
            AND EXISTS (SELECT 1 FROM pg_attribute a
                         WHERE a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped)
            AND NOT (c.relrowsecurity AND c.relforcerowsecurity
                     AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))
          ORDER BY 1",
    )
    .fetch_all(&mut *c)
    .await?;
    if !unprotected.is_empty() {
        return Err(
            anyhow!("tenant tables without forced row-level security: {unprotected:?}").into(),
        );
    }
    let unusable: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c
           JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p')
            AND c.relname <> '_sqlx_migrations'
            AND NOT (has_table_privilege($1, c.oid, 'SELECT')
                     AND has_table_privilege($1, c.oid, 'INSERT')
                     AND has_table_privilege($1, c.oid, 'UPDATE')
                     AND has_table_privilege($1, c.oid, 'DELETE'))
          ORDER BY 1",
    )
    .bind(APP_ROLE)
    .fetch_all(&mut *c)
    .await?;
    if !unusable.is_empty() {
        let message = format!("tables the {APP_ROLE} role cannot use: {unusable:?}");
        return Err(anyhow!(message).into());
    }
    let privileged: bool =
        sqlx::query_scalar("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = $1")
            .bind(APP_ROLE)
            .fetch_optional(&mut *c)
            .await?
            .context("the oikos_app role is missing: run the migrations")?;
    if privileged {
        return Err(anyhow!("the {APP_ROLE} role must not be a superuser or bypass RLS").into());
    }
    Ok(())
}

async fn probe(db: &Db) -> Result<()> {
    let tenant = TenantId::new();
    let mut tx = db.begin_tenant(tenant, Access::Write).await?;
    let visible = match tx.platform().postgres() {
        Some(c) => probe_rows(c, tenant).await?,
        None => 0,
    };
    tx.rollback().await?;
    if visible != 0 {
        return Err(anyhow!(
            "row-level security does not apply: a tenant's row is visible with no tenant set"
        )
        .into());
    }
    Ok(())
}

/// Writes a tenant, a user and a membership with the tenant set, clears the tenant, and
/// counts the membership rows still visible.
async fn probe_rows(c: &mut PgConnection, tenant: TenantId) -> Result<i64> {
    let now = Utc::now();
    let marker = format!("rls-probe-{tenant}");
    let user = UserId::new();
    sqlx::query(
        "INSERT INTO tenants (id, slug, name, email, status, created_at, updated_at)
         VALUES ($1, $2, $2, $2, 'active', $3, $3)",
    )
    .bind(tenant)
    .bind(&marker)
    .bind(now)
    .execute(&mut *c)
    .await?;
    sqlx::query(
        "INSERT INTO users (id, email, first_name, last_name, is_super_admin, is_active,
                            created_at, updated_at)
         VALUES ($1, $2, '', '', false, true, $3, $3)",
    )
    .bind(user)
    .bind(&marker)
    .bind(now)
    .execute(&mut *c)
    .await?;
    sqlx::query(
        "INSERT INTO memberships (tenant_id, user_id, role, is_active, created_at, updated_at)
         VALUES ($1, $2, 'STAFF', true, $3, $3)",
    )
    .bind(tenant)
    .bind(user)
    .bind(now)
    .execute(&mut *c)
    .await?;
    sqlx::query("SELECT set_config('app.tenant_id', '', true)")
        .execute(&mut *c)
        .await?;
    let visible = sqlx::query_scalar("SELECT count(*) FROM memberships WHERE tenant_id = $1")
        .bind(tenant)
        .fetch_one(&mut *c)
        .await?;
    Ok(visible)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{fixtures, TestDb};

    #[tokio::test]
    async fn postgres_returns_no_tenant_rows_when_no_tenant_is_set() {
        let test_db = TestDb::new(Backend::Postgres).await;
        let db = test_db.db();
        let (salon, _) = fixtures::tenant_with_admin(&db, "salon").await;

        // The test connects as the superuser that owns the tables, as a first-time operator
        // would; a platform transaction still sees no memberships at all.
        let mut tx = db.begin(Access::Read).await.unwrap();
        let c = tx.postgres().unwrap();
        let all: i64 = sqlx::query_scalar("SELECT count(*) FROM memberships")
            .fetch_one(&mut *c)
            .await
            .unwrap();
        assert_eq!(all, 0);
        tx.rollback().await.unwrap();

        // Set to the tenant, the same query sees exactly that tenant's rows.
        let mut tx = db.begin_tenant(salon.id, Access::Read).await.unwrap();
        let c = tx.platform().postgres().unwrap();
        let own: i64 = sqlx::query_scalar("SELECT count(*) FROM memberships")
            .fetch_one(&mut *c)
            .await
            .unwrap();
        assert_eq!(own, 1);
    }

    #[tokio::test]
    async fn a_tenant_transaction_cannot_write_another_tenants_rows() {
        let test_db = TestDb::new(Backend::Postgres).await;
        let db = test_db.db();
        let (salon, _) = fixtures::tenant_with_admin(&db, "salon").await;
        let (spa, _) = fixtures::tenant_with_admin(&db, "spa").await;
        let intruder = fixtures::user(&db, "intruder@spa.test").await;

        let mut tx = db.begin_tenant(spa.id, Access::Write).await.unwrap();
        let c = tx.platform().postgres().unwrap();
        let inserted = sqlx::query(
            "INSERT INTO memberships (tenant_id, user_id, role, is_active, created_at, updated_at)
             VALUES ($1, $2, 'TENANT_ADMIN', true, now(), now())",
        )
        .bind(salon.id)
        .bind(intruder.id)
        .execute(&mut *c)
        .await;
        let err = inserted.unwrap_err();
        let code = err
            .as_database_error()
            .and_then(|e| e.code())
            .unwrap_or_default();
        assert_eq!(
            code, "42501",
            "expected a row-level security violation, got {err}"
        );
    }

    #[tokio::test]
    async fn a_tenant_transaction_cannot_change_or_delete_another_tenants_rows() {
        let test_db = TestDb::new(Backend::Postgres).await;
        let db = test_db.db();
        let (salon, _) = fixtures::tenant_with_admin(&db, "salon").await;
        let (spa, _) = fixtures::tenant_with_admin(&db, "spa").await;

        let mut tx = db.begin_tenant(spa.id, Access::Write).await.unwrap();
        let c = tx.platform().postgres().unwrap();
        for sql in [
            "UPDATE memberships SET role = 'STAFF' WHERE tenant_id = $1",
            "DELETE FROM memberships WHERE tenant_id = $1",
        ] {
            let done = sqlx::query(sql)
                .bind(salon.id)
                .execute(&mut *c)
                .await
                .unwrap();
            assert_eq!(done.rows_affected(), 0, "{sql}");
        }
        tx.commit().await.unwrap();
        let scope_tx = db.begin_tenant(salon.id, Access::Read).await;
        let mut scope_tx = scope_tx.unwrap();
        let members = crate::members::repository::list(&mut scope_tx)
            .await
            .unwrap();
        assert_eq!(members.len(), 1);
        assert_eq!(members[0].role, crate::tenancy::Role::TenantAdmin);
    }

    #[tokio::test]
    async fn the_self_check_refuses_a_policy_that_lets_every_row_through() {
        let test_db = TestDb::new(Backend::Postgres).await;
        let db = test_db.db();
        alter(&db, "DROP POLICY tenant_isolation ON memberships").await;
        alter(
            &db,
            "CREATE POLICY everything ON memberships USING (true) WITH CHECK (true)",
        )
        .await;
        let err = verify(&db).await.unwrap_err();
        assert!(
            err.to_string()
                .contains("row-level security does not apply"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn the_self_check_refuses_a_table_the_app_role_cannot_use() {
        let test_db = TestDb::new(Backend::Postgres).await;
        let db = test_db.db();
        alter(&db, "REVOKE DELETE ON users FROM oikos_app").await;
        let err = verify(&db).await.unwrap_err();
        assert!(err.to_string().contains("\"users\""), "{err}");
    }

    /// Runs DDL as the connecting (owning) user.
    async fn alter(db: &Db, sql: &str) {
        let mut tx = db.begin_raw(Access::Write).await.unwrap();
        sqlx::query(sql)
            .execute(tx.postgres().unwrap())
            .await
            .unwrap();
        tx.commit().await.unwrap();
    }

    #[tokio::test]
    async fn the_self_check_passes_on_a_migrated_database() {
        let test_db = TestDb::new(Backend::Postgres).await;
        verify(&test_db.db()).await.unwrap();
    }

    #[tokio::test]
    async fn the_self_check_refuses_a_tenant_table_without_row_level_security() {
        let test_db = TestDb::new(Backend::Postgres).await;
        let db = test_db.db();
        alter(&db, "ALTER TABLE memberships NO FORCE ROW LEVEL SECURITY").await;
        let err = verify(&db).await.unwrap_err();
        assert!(err.to_string().contains("memberships"), "{err}");
    }
}
