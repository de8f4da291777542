//! PostgreSQL specifics: entering a tenant, the role switch of first-time mode, and the
//! owner's set-up at start (the per-database role, the application's grants).

use anyhow::Context as _;
use sqlx::{Executor, PgConnection};

use super::Access;
use crate::tenancy::TenantId;
use crate::Result;

/// Sets the transaction's tenant and role. The role is the per-database one in first-time
/// mode, else the login role itself (setting it is then a no-op). A user a platform read
/// before it named (for that user's own workspaces) is named no more: a tenant's
/// transaction sees that tenant's rows only.
const ENTER_TENANT: &str = "SELECT set_config('role', coalesce($2, current_user::text), true), \
                                   set_config('app.tenant_id', $1, true), \
                                   set_config('app.user_id', '', true)";
/// The same, and locks the tenant row: a tenant's writes are serialised, so invariants
/// spanning rows (one active admin, plan limits) hold under concurrency. `FOR NO KEY UPDATE`
/// does not block inserts of rows that reference the tenant.
const ENTER_TENANT_TO_WRITE: &str = "SELECT set_config('role', coalesce($2, current_user::text), true), \
                                            set_config('app.tenant_id', $1, true), \
                                            set_config('app.user_id', '', true), \
                                            (SELECT 1 FROM tenants WHERE id = $3 FOR NO KEY UPDATE)";

/// Enters `tenant` (its id `signed` by the owner's key) in one round trip.
pub(super) async fn enter_tenant(
    c: &mut PgConnection,
    tenant: TenantId,
    signed: &str,
    role: Option<&str>,
    access: Access,
) -> Result<()> {
    let query = match access {
        Access::Read => sqlx::query(ENTER_TENANT).bind(signed).bind(role),
        Access::Write => sqlx::query(ENTER_TENANT_TO_WRITE)
            .bind(signed)
            .bind(role)
            .bind(tenant),
    };
    query.execute(c).await?;
    Ok(())
}

/// First-time mode: the transaction runs as the unprivileged per-database role.
pub(super) async fn switch_role(c: &mut PgConnection, role: &str) -> Result<()> {
    sqlx::query("SELECT set_config('role', $1, true)")
        .bind(role)
        .execute(c)
        .await?;
    Ok(())
}

/// The role first-time mode switches to: one per database (`oikos_app_<database>`, shortened
/// with a hash past PostgreSQL's 63-byte limit), never shared across a cluster.
pub(super) async fn switch_role_name(owner: &mut PgConnection) -> Result<String> {
    let name = sqlx::query_scalar(
        "SELECT CASE WHEN octet_length(n) <= 63 THEN n
                     ELSE left(n, 50) || '_' || left(md5(n), 8) END
           FROM (SELECT 'oikos_app_' || current_database() AS n) AS role",
    )
    .fetch_one(owner)
    .await?;
    Ok(name)
}

/// First-time mode: creates the per-database role unless it exists (so CREATEROLE is needed
/// only the first time) and lets the connecting user switch to it.
pub(super) async fn ensure_switch_role(owner: &mut PgConnection, role: &str) -> Result<()> {
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1)")
            .bind(role)
            .fetch_one(&mut *owner)
            .await?;
    if !exists {
        // Identifiers cannot be bound: PostgreSQL quotes the name itself (format's %I).
        let create: String = sqlx::query_scalar(
            "SELECT format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOBYPASSRLS NOINHERIT', $1::text)",
        )
        .bind(role)
        .fetch_one(&mut *owner)
        .await?;
        owner
            .execute(create.as_str())
            .await
            .with_context(|| format!("creating the role {role} (first-time mode needs CREATEROLE once; see the README for production mode)"))?;
    }
    // Nobody else may switch to it: a role of that name made by another database's owner
    // would let them into this database's rows.
    let others: Vec<String> = sqlx::query_scalar(
        "SELECT m.member::regrole::text FROM pg_auth_members m
          WHERE m.roleid = $1::text::regrole AND m.member <> current_user::regrole",
    )
    .bind(role)
    .fetch_all(&mut *owner)
    .await?;
    if !others.is_empty() {
        return Err(anyhow::anyhow!(
            "the role {role} can also be used by {others:?}: revoke it from them, or drop the \
             role so that Oikos creates it afresh"
        )
        .into());
    }
    let member: bool = sqlx::query_scalar("SELECT pg_has_role(current_user, $1, 'MEMBER')")
        .bind(role)
        .fetch_one(&mut *owner)
        .await?;
    if !member {
        let grant: String =
            sqlx::query_scalar("SELECT format('GRANT %I TO %I', $1::text, current_user::text)")
                .bind(role)
                .fetch_one(&mut *owner)
                .await?;
        owner.execute(grant.as_str()).await?;
    }
    Ok(())
}

/// The owner grants `role` exactly the privileges the application needs (idempotent; the
/// migrations define `oikos_grant_app`).
pub(super) async fn grant_app(owner: &mut PgConnection, role: &str) -> Result<()> {
    sqlx::query("SELECT oikos_grant_app($1)")
        .bind(role)
        .execute(owner)
        .await
        .with_context(|| format!("granting the application role {role} its privileges"))?;
    Ok(())
}

/// The key behind the credential function's proofs, readable by the owner only.
pub(super) async fn credential_key(owner: &mut PgConnection) -> Result<Vec<u8>> {
    let key = sqlx::query_scalar("SELECT key FROM credential_key")
        .fetch_one(owner)
        .await
        .context("reading the credential key")?;
    Ok(key)
}
