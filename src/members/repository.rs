//! Queries on `memberships`. Each takes a [`TenantTx`] and filters on its tenant, so one
//! tenant's members cannot be read or changed through another tenant's transaction; on
//! PostgreSQL row-level security enforces the same a second time.

use chrono::Utc;

use crate::db::{query, TenantTx};
use crate::members::Membership;
use crate::tenancy::{OutletId, Role, UserId};
use crate::Result;

macro_rules! columns {
    () => {
        "tenant_id, user_id, role, is_active, created_at, updated_at, position"
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
        position: None,
    };
    let sql = concat!(
        "INSERT INTO memberships (",
        columns!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7)"
    );
    query::execute!(
        tx,
        sql,
        m.tenant_id,
        m.user_id,
        m.role,
        m.is_active,
        m.created_at,
        m.updated_at,
        &m.position
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

/// What the member's scope is made of, in one statement: their role, whether the membership
/// is active, and the outlets they are assigned to (ordered).
pub(crate) async fn standing(tx: &mut TenantTx, user: UserId) -> Result<Option<Standing>> {
    let sql = "SELECT m.role, m.is_active, mo.outlet_id
                 FROM memberships m
                 LEFT JOIN membership_outlets mo
                   ON mo.tenant_id = m.tenant_id AND mo.user_id = m.user_id
                WHERE m.tenant_id = $1 AND m.user_id = $2
                ORDER BY mo.outlet_id";
    let tenant = tx.tenant_id();
    let rows: Vec<(Role, bool, Option<OutletId>)> = query::all!(tx, sql, tenant, user)?;
    let Some(&(role, is_active, _)) = rows.first() else {
        return Ok(None);
    };
    Ok(Some(Standing {
        role,
        is_active,
        outlets: rows
            .into_iter()
            .filter_map(|(_, _, outlet)| outlet)
            .collect(),
    }))
}

/// See [`standing`].
pub(crate) struct Standing {
    pub role: Role,
    pub is_active: bool,
    pub outlets: Vec<OutletId>,
}

/// Active members, for the plan's staff limit.
pub(crate) async fn active_count(tx: &mut TenantTx) -> Result<i64> {
    let sql = "SELECT count(*) FROM memberships WHERE tenant_id = $1 AND is_active";
    let tenant = tx.tenant_id();
    query::scalar!(tx, sql, tenant)
}

pub(crate) async fn update(
    tx: &mut TenantTx,
    user: UserId,
    role: Role,
    is_active: bool,
) -> Result<()> {
    let sql = "UPDATE memberships SET role = $3, is_active = $4, updated_at = $5
                WHERE tenant_id = $1 AND user_id = $2";
    let tenant = tx.tenant_id();
    query::execute!(tx, sql, tenant, user, role, is_active, Utc::now())?;
    Ok(())
}

/// The member's position (free text or one of the tenant's templates; `None` clears it).
pub(crate) async fn set_details(
    tx: &mut TenantTx,
    user: UserId,
    position: Option<&str>,
) -> Result<()> {
    let sql = "UPDATE memberships SET position = $3, updated_at = $4
                WHERE tenant_id = $1 AND user_id = $2";
    let tenant = tx.tenant_id();
    query::execute!(tx, sql, tenant, user, position, Utc::now())?;
    Ok(())
}

pub(crate) async fn delete(tx: &mut TenantTx, user: UserId) -> Result<()> {
    let sql = "DELETE FROM memberships WHERE tenant_id = $1 AND user_id = $2";
    let tenant = tx.tenant_id();
    query::execute!(tx, sql, tenant, user)?;
    Ok(())
}

/// The outlets the member is assigned to.
pub(crate) async fn outlets(tx: &mut TenantTx, user: UserId) -> Result<Vec<OutletId>> {
    let sql = "SELECT outlet_id FROM membership_outlets
                WHERE tenant_id = $1 AND user_id = $2 ORDER BY outlet_id";
    let tenant = tx.tenant_id();
    let rows: Vec<(OutletId,)> = query::all!(tx, sql, tenant, user)?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Replaces the member's outlets with `outlets`.
pub(crate) async fn set_outlets(
    tx: &mut TenantTx,
    user: UserId,
    outlets: &[OutletId],
) -> Result<()> {
    let tenant = tx.tenant_id();
    let sql = "DELETE FROM membership_outlets WHERE tenant_id = $1 AND user_id = $2";
    query::execute!(tx, sql, tenant, user)?;
    let sql = "INSERT INTO membership_outlets (tenant_id, user_id, outlet_id) VALUES ($1, $2, $3)";
    for outlet in outlets {
        query::execute!(tx, sql, tenant, user, *outlet)?;
    }
    Ok(())
}
