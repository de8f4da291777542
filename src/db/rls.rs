//! The PostgreSQL start-up self-check: proves that row-level security applies to the
//! application's queries and that its role can switch none of it off, and refuses to start
//! otherwise. It runs as the application's role (catalogs are readable by every role).

use anyhow::anyhow;
use chrono::Utc;
use sqlx::PgConnection;

use super::{Access, Backend, Db, Isolation};
use crate::tenancy::{SystemScope, TenantId, UserId};
use crate::Result;

/// Tables every transaction may read, whose writes their own policies restrict.
const PLATFORM_TABLES: &[&str] = &[
    "api_keys",
    "credential_endings",
    "idempotent_requests",
    "impersonations",
    "link_tokens",
    "outbox",
    "platform_audit",
    "rate_limits",
    "refresh_tokens",
    "sessions",
    "stripe_events",
    "tenants",
    "user_identities",
    "users",
    "webhook_attempts",
    "webhook_deliveries",
    "webhook_endpoints",
];
/// Platform tables whose rows the application never deletes: the injected `DELETE` that
/// would wipe a tenant, an account or the audit trail has no privilege to run. The other
/// platform tables hold short-lived rows (tokens, sessions, counters, mail) it prunes, or
/// rows a super admin removes (webhook endpoints, with their deliveries).
const KEPT_TABLES: &[&str] = &[
    "api_keys",
    "credential_endings",
    "impersonations",
    "platform_audit",
    "tenants",
    "user_identities",
    "users",
];
/// Append-only tables: the application inserts and reads, never updates or deletes.
const APPEND_ONLY_TABLES: &[&str] = &["audit_log", "platform_audit"];
/// Tables only the owner touches; the application's role has no privilege on them.
const OWNER_ONLY_TABLES: &[&str] = &["_sqlx_migrations", "credential_key"];
/// Columns the application's role may not read (see `credentials`).
const CREDENTIAL_COLUMNS: &[(&str, &str)] = &[("users", "password_hash")];
/// Columns the application's role may not change: credentials and privileges.
const PROTECTED_COLUMNS: &[(&str, &str)] = &[
    ("users", "password_hash"),
    ("users", "is_super_admin"),
    ("tenants", "erase_after"),
];

/// One row-level security policy as the catalog describes it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, sqlx::FromRow)]
struct Policy {
    table: String,
    name: String,
    permissive: bool,
    /// `*` all, `r` select, `a` insert, `w` update, `d` delete.
    command: String,
    using: Option<String>,
    check: Option<String>,
}

/// The current tenant as the policies read it: a sub-select, so the signature is checked
/// once per statement rather than once per row (this is how PostgreSQL prints it back).
macro_rules! current_tenant {
    () => {
        "( SELECT oikos_current_tenant() AS oikos_current_tenant)"
    };
}
const OWN_TENANT: &str = concat!("(tenant_id = ", current_tenant!(), ")");
const NO_TENANT: &str = concat!("(", current_tenant!(), " IS NULL)");
const NO_TENANT_OR_THIS_ONE: &str = concat!(
    "((",
    current_tenant!(),
    " IS NULL) OR (id = ",
    current_tenant!(),
    "))"
);

/// (table, name, permissive, command, using, check) of each platform table's policies.
type PolicyRow = (
    &'static str,
    &'static str,
    bool,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
);

#[rustfmt::skip]
const PLATFORM_POLICIES: &[PolicyRow] = &[
    ("tenants", "platform_rows", true, "*", Some("true"), Some("true")),
    ("tenants", "own_tenant_insert", false, "a", None, Some(NO_TENANT_OR_THIS_ONE)),
    ("tenants", "own_tenant_update", false, "w", Some(NO_TENANT_OR_THIS_ONE), Some(NO_TENANT_OR_THIS_ONE)),
    ("tenants", "platform_delete", false, "d", Some(NO_TENANT), None),
    ("api_keys", "platform_rows", true, "*", Some("true"), Some("true")),
    ("credential_endings", "platform_rows", true, "*", Some("true"), Some("true")),
    ("idempotent_requests", "platform_rows", true, "*", Some("true"), Some("true")),
    ("impersonations", "platform_rows", true, "*", Some("true"), Some("true")),
    ("link_tokens", "platform_rows", true, "*", Some("true"), Some("true")),
    ("outbox", "platform_rows", true, "*", Some("true"), Some("true")),
    ("platform_audit", "platform_rows", true, "*", Some("true"), Some("true")),
    ("rate_limits", "platform_rows", true, "*", Some("true"), Some("true")),
    ("refresh_tokens", "platform_rows", true, "*", Some("true"), Some("true")),
    ("sessions", "platform_rows", true, "*", Some("true"), Some("true")),
    ("stripe_events", "platform_rows", true, "*", Some("true"), Some("true")),
    ("user_identities", "platform_rows", true, "*", Some("true"), Some("true")),
    ("users", "platform_rows", true, "*", Some("true"), Some("true")),
    ("users", "no_super_admin_insert", false, "a", None, Some("(NOT is_super_admin)")),
    ("users", "platform_update", false, "w", Some(NO_TENANT), Some(NO_TENANT)),
    ("users", "platform_delete", false, "d", Some(NO_TENANT), None),
    ("webhook_attempts", "platform_rows", true, "*", Some("true"), Some("true")),
    ("webhook_deliveries", "platform_rows", true, "*", Some("true"), Some("true")),
    ("webhook_endpoints", "platform_rows", true, "*", Some("true"), Some("true")),
];

/// Each tenant table's two policies: (name, permissive).
const TENANT_POLICIES: &[(&str, bool)] = &[("tenant_rows", true), ("tenant_isolation", false)];

fn policy((table, name, permissive, command, using, check): PolicyRow) -> Policy {
    Policy {
        table: table.to_owned(),
        name: name.to_owned(),
        permissive,
        command: command.to_owned(),
        using: using.map(str::to_owned),
        check: check.map(str::to_owned),
    }
}

/// A transaction naming one user (signed) may read that user's memberships across tenants:
/// the one platform path into a tenant table (sign-in's workspace choice).
const OWN_USER: &str = "(user_id = ( SELECT oikos_current_user() AS oikos_current_user))";
const OWN_TENANT_OR_USER: &str = concat!(
    "((tenant_id = ( SELECT oikos_current_tenant() AS oikos_current_tenant)) OR ",
    "(user_id = ( SELECT oikos_current_user() AS oikos_current_user)))"
);

#[rustfmt::skip]
const MEMBERSHIP_POLICIES: &[PolicyRow] = &[
    ("memberships", "tenant_rows", true, "*", Some(OWN_TENANT), Some(OWN_TENANT)),
    ("memberships", "own_memberships", true, "r", Some(OWN_USER), None),
    ("memberships", "tenant_isolation", false, "*", Some(OWN_TENANT_OR_USER), Some(OWN_TENANT)),
];

/// Every policy there must be: the platform tables' own, memberships' own, and for every
/// other tenant table the permissive and the restrictive tenant policy. Anything else makes
/// the start fail.
fn expected_policies(tenant_tables: &[String]) -> Vec<Policy> {
    let mut expected: Vec<Policy> = PLATFORM_POLICIES.iter().copied().map(policy).collect();
    expected.extend(MEMBERSHIP_POLICIES.iter().copied().map(policy));
    for table in tenant_tables.iter().filter(|t| *t != "memberships") {
        for &(name, permissive) in TENANT_POLICIES {
            let row = (
                "",
                name,
                permissive,
                "*",
                Some(OWN_TENANT),
                Some(OWN_TENANT),
            );
            expected.push(Policy {
                table: table.clone(),
                ..policy(row)
            });
        }
    }
    expected.sort();
    expected
}

pub(crate) async fn verify(db: &Db) -> Result<()> {
    if db.backend() != Backend::Postgres {
        return Ok(());
    }
    let mut tx = db.begin(Access::Read).await?;
    if let Some(c) = tx.postgres() {
        check_tables(c).await?;
        check_identity_rows(c).await?;
        check_role(c, matches!(db.isolation, Isolation::LoginRole)).await?;
    }
    tx.rollback().await?;
    probe(db).await
}

fn refuse(message: String) -> crate::Error {
    anyhow!("PostgreSQL self-check: {message}").into()
}

async fn check_tables(c: &mut PgConnection) -> Result<()> {
    let tables: Vec<(String, bool, bool)> = sqlx::query_as(
        "SELECT c.relname::text,
                EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
                           AND a.attname = 'tenant_id' AND NOT a.attisdropped),
                c.relrowsecurity AND c.relforcerowsecurity
           FROM pg_class c
          WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
          ORDER BY 1",
    )
    .fetch_all(&mut *c)
    .await?;
    let mut tenant_tables = Vec::new();
    for (table, has_tenant_id, forced) in tables {
        if OWNER_ONLY_TABLES.contains(&table.as_str()) {
            continue;
        }
        if !has_tenant_id && !PLATFORM_TABLES.contains(&table.as_str()) {
            return Err(refuse(format!(
                "table {table:?} has no tenant_id and is not a listed platform table"
            )));
        }
        if !forced {
            return Err(refuse(format!(
                "table {table:?} lacks forced row-level security"
            )));
        }
        if has_tenant_id {
            tenant_tables.push(table);
        }
    }
    let mut found: Vec<Policy> = sqlx::query_as(
        "SELECT c.relname::text AS table, p.polname::text AS name, p.polpermissive AS permissive,
                p.polcmd::text AS command,
                pg_get_expr(p.polqual, p.polrelid) AS using,
                pg_get_expr(p.polwithcheck, p.polrelid) AS check
           FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
          WHERE c.relnamespace = current_schema()::regnamespace AND p.polroles = '{0}'",
    )
    .fetch_all(&mut *c)
    .await?;
    found.sort();
    let expected = expected_policies(&tenant_tables);
    if let Some(unexpected) = found.iter().find(|p| !expected.contains(p)) {
        return Err(refuse(format!(
            "unexpected row-level security policy {unexpected:?}"
        )));
    }
    if let Some(missing) = expected.iter().find(|p| !found.contains(p)) {
        return Err(refuse(format!(
            "missing row-level security policy {missing:?}"
        )));
    }
    let other_roles: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid
          WHERE c.relnamespace = current_schema()::regnamespace AND p.polroles <> '{0}'",
    )
    .fetch_one(&mut *c)
    .await?;
    if other_roles > 0 {
        return Err(refuse("a policy applies to named roles only".to_owned()));
    }
    let views: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c
          WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('v', 'm')
            AND NOT coalesce(c.reloptions && ARRAY['security_invoker=true', 'security_invoker=on',
                                                   'security_invoker=1'], false)
          ORDER BY 1",
    )
    .fetch_all(&mut *c)
    .await?;
    if !views.is_empty() {
        return Err(refuse(format!(
            "views without security_invoker bypass row-level security: {views:?}"
        )));
    }
    Ok(())
}

/// Tables whose rows let someone in: each carries a seal the database role cannot compute
/// (`identity::seals`), and the server believes none of their rows without it.
const SEALED_TABLES: &[&str] = &[
    "api_keys",
    "impersonations",
    "link_tokens",
    "refresh_tokens",
    "sessions",
    "user_identities",
];
/// Triggers that keep injected SQL from reviving what ended or redirecting an account's mail.
const GUARD_TRIGGERS: &[(&str, &str)] = &[
    ("credential_endings", "credential_endings__forward"),
    ("users", "users__email_fixed"),
];

/// The rows that grant identity are sealed, and the guards on accounts are in place.
async fn check_identity_rows(c: &mut PgConnection) -> Result<()> {
    for table in SEALED_TABLES {
        let sealed: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM pg_attribute a
                             WHERE a.attrelid = to_regclass($1) AND a.attname = 'seal'
                               AND NOT a.attisdropped)",
        )
        .bind(*table)
        .fetch_one(&mut *c)
        .await?;
        if !sealed {
            return Err(refuse(format!("table {table:?} has no seal column")));
        }
    }
    for (table, trigger) in GUARD_TRIGGERS {
        let enabled: bool = sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM pg_trigger t
                             WHERE t.tgrelid = to_regclass($1) AND t.tgname = $2
                               AND t.tgenabled IN ('O', 'A'))",
        )
        .bind(*table)
        .bind(*trigger)
        .fetch_one(&mut *c)
        .await?;
        if !enabled {
            return Err(refuse(format!(
                "trigger {trigger:?} on {table:?} is missing or disabled"
            )));
        }
    }
    Ok(())
}

/// The role the application's queries run as (`current_user` inside its transactions).
async fn check_role(c: &mut PgConnection, login_role: bool) -> Result<()> {
    let (role, privileged): (String, bool) = sqlx::query_as(
        "SELECT rolname::text, rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user",
    )
    .fetch_one(&mut *c)
    .await?;
    if privileged {
        return Err(refuse(format!(
            "the role {role} is a superuser or bypasses RLS"
        )));
    }
    let owners: Vec<String> = sqlx::query_scalar(
        "SELECT DISTINCT c.relowner::regrole::text FROM pg_class c
          WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
            AND pg_has_role(current_user, c.relowner, 'MEMBER')",
    )
    .fetch_all(&mut *c)
    .await?;
    if !owners.is_empty() {
        let how = if login_role {
            "DATABASE_URL's role"
        } else {
            "the application role"
        };
        return Err(refuse(format!(
            "{how} {role} owns tables or can become their owner {owners:?}"
        )));
    }
    let wrong: Vec<String> = sqlx::query_scalar(
        "SELECT c.relname::text FROM pg_class c
          WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'p')
            AND CASE WHEN c.relname::text = ANY($1)
                     THEN has_any_column_privilege(c.oid, 'SELECT, INSERT, UPDATE, REFERENCES')
                          OR has_table_privilege(c.oid, 'DELETE, TRUNCATE, TRIGGER')
                     ELSE NOT (has_any_column_privilege(c.oid, 'SELECT')
                               AND has_table_privilege(c.oid, 'INSERT'))
                          -- UPDATE everywhere but on append-only tables.
                          OR has_any_column_privilege(c.oid, 'UPDATE') <> (c.relname::text <> ALL($3))
                          -- DELETE except on kept and append-only tables.
                          OR has_table_privilege(c.oid, 'DELETE') <> (c.relname::text <> ALL($2))
                          OR has_table_privilege(c.oid, 'TRUNCATE, TRIGGER')
                          OR has_any_column_privilege(c.oid, 'REFERENCES')
                END
          ORDER BY 1",
    )
    .bind(OWNER_ONLY_TABLES)
    .bind([KEPT_TABLES, APPEND_ONLY_TABLES].concat())
    .bind(APPEND_ONLY_TABLES)
    .fetch_all(&mut *c)
    .await?;
    if !wrong.is_empty() {
        return Err(refuse(format!(
            "{role} must have exactly SELECT and INSERT on the application's tables, UPDATE \
             except on append-only ones, DELETE except on kept and append-only ones, no \
             TRUNCATE, TRIGGER or REFERENCES, and nothing on owner-only tables: {wrong:?}"
        )));
    }
    let creates: bool =
        sqlx::query_scalar("SELECT has_schema_privilege(current_schema(), 'CREATE')")
            .fetch_one(&mut *c)
            .await?;
    if creates {
        return Err(refuse(format!(
            "{role} may create objects in the schema (PostgreSQL 14 and older grant it to PUBLIC: \
             REVOKE CREATE ON SCHEMA public FROM PUBLIC)"
        )));
    }
    let protected = CREDENTIAL_COLUMNS
        .iter()
        .map(|column| (column, "SELECT"))
        .chain(PROTECTED_COLUMNS.iter().map(|column| (column, "UPDATE")));
    for ((table, column), privilege) in protected {
        let allowed: bool = sqlx::query_scalar("SELECT has_column_privilege($1, $2, $3)")
            .bind(*table)
            .bind(*column)
            .bind(privilege)
            .fetch_one(&mut *c)
            .await?;
        if allowed {
            return Err(refuse(format!(
                "{role} has {privilege} on the protected column {table}.{column}"
            )));
        }
    }
    // Roles that could lift this one out of the policies: CREATEROLE (which before
    // PostgreSQL 16 can grant itself any role), or membership in a privileged role.
    let escalation: Option<String> = sqlx::query_scalar(
        "SELECT r.rolname::text FROM pg_roles r
          WHERE (r.rolname = current_user AND r.rolcreaterole)
             OR (r.rolname <> current_user AND pg_has_role(current_user, r.oid, 'MEMBER')
                 AND (r.rolsuper OR r.rolbypassrls OR r.rolcreaterole))
          LIMIT 1",
    )
    .fetch_optional(&mut *c)
    .await?;
    if let Some(escalation) = escalation {
        return Err(refuse(format!(
            "{role} has CREATEROLE or can become the privileged role {escalation}"
        )));
    }
    Ok(())
}

async fn probe(db: &Db) -> Result<()> {
    let scope = SystemScope::new().tenant(TenantId::new());
    let mut tx = scope.begin(db, Access::Write).await?;
    let visible = match tx.platform().postgres() {
        Some(c) => probe_rows(c, scope.tenant_id()).await?,
        None => 0,
    };
    tx.rollback().await?;
    if visible != 0 {
        return Err(refuse(
            "row-level security does not apply: a tenant's row is visible with no tenant set"
                .to_owned(),
        ));
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
        "INSERT INTO tenants (id, slug, name, name_key, email, status, created_at, updated_at)
         VALUES ($1, $2, $2, $2, $2, 'active', $3, $3)",
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
mod tests;
