//! Queries on `memberships`. Each takes a [`TenantTx`] and filters on its tenant, so one
//! tenant's members cannot be read or changed through another tenant's transaction; on
//! PostgreSQL row-level security enforces the same a second time.

use chrono::Utc;

use crate::db::TenantTx;
use crate::members::Membership;
use crate::on_conn;
use crate::tenancy::{Role, UserId};
use crate::Result;

/// The column list, as a macro so queries stay `&'static str` built by `concat!`.
macro_rules! columns {
    () => {
        "tenant_id, user_id, role, is_active, created_at, updated_at"
    };
}

pub async fn insert(tx: &mut TenantTx, user: UserId, role: Role) -> Result<Membership> {
    let now = Utc::now();
    let membership = Membership {
        tenant_id: tx.tenant_id(),
        user_id: user,
        role,
        is_active: true,
        created_at: now,
        updated_at: now,
    };
    let sql = concat!(
        "INSERT INTO memberships (",
        columns!(),
        ") VALUES ($1, $2, $3, $4, $5, $6)"
    );
    on_conn!(tx, c => sqlx::query(sql)
        .bind(membership.tenant_id)
        .bind(membership.user_id)
        .bind(membership.role.as_str())
        .bind(membership.is_active)
        .bind(membership.created_at)
        .bind(membership.updated_at)
        .execute(c)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(membership)
}

pub async fn find(tx: &mut TenantTx, user: UserId) -> Result<Option<Membership>> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM memberships WHERE tenant_id = $1 AND user_id = $2"
    );
    let tenant = tx.tenant_id();
    let membership =
        on_conn!(tx, c => sqlx::query_as(sql).bind(tenant).bind(user).fetch_optional(c).await)?;
    Ok(membership)
}

/// Oldest first.
pub async fn list(tx: &mut TenantTx) -> Result<Vec<Membership>> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM memberships WHERE tenant_id = $1 ORDER BY created_at, user_id"
    );
    let tenant = tx.tenant_id();
    let members = on_conn!(tx, c => sqlx::query_as(sql).bind(tenant).fetch_all(c).await)?;
    Ok(members)
}
