//! Queries on `memberships`. Each takes a [`TenantTx`] and filters on its tenant, so one
//! tenant's members cannot be read or changed through another tenant's transaction; on
//! PostgreSQL row-level security enforces the same a second time.

use chrono::Utc;

use crate::db::{query, TenantTx};
use crate::members::Membership;
use crate::tenancy::{Role, UserId};
use crate::Result;

macro_rules! columns {
    () => {
        "tenant_id, user_id, role, is_active, created_at, updated_at"
    };
}

pub(crate) async fn insert(tx: &mut TenantTx, user: UserId, role: Role) -> Result<Membership> {
    let now = Utc::now();
    let m = Membership {
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
    query::execute!(
        tx,
        sql,
        m.tenant_id,
        m.user_id,
        m.role,
        m.is_active,
        m.created_at,
        m.updated_at
    )?;
    Ok(m)
}

pub(crate) async fn find(tx: &mut TenantTx, user: UserId) -> Result<Option<Membership>> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM memberships WHERE tenant_id = $1 AND user_id = $2"
    );
    let tenant = tx.tenant_id();
    query::optional!(tx, sql, tenant, user)
}

/// Oldest first.
pub(crate) async fn list(tx: &mut TenantTx) -> Result<Vec<Membership>> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM memberships WHERE tenant_id = $1 ORDER BY created_at, user_id"
    );
    let tenant = tx.tenant_id();
    query::all!(tx, sql, tenant)
}
