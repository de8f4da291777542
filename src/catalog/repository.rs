//! Queries on `services`, each filtered on the [`TenantTx`]'s tenant.

use crate::catalog::{Service, ServiceQuery};
use crate::db::{query, TenantTx};
use crate::tenancy::{OutletId, ServiceId};
use crate::values::fold;
use crate::values::page::like_pattern;
use crate::Result;

macro_rules! columns {
    () => {
        "id, name, category, description, price_cents, duration_minutes, outlet_id, \
         is_active, created_at, updated_at"
    };
}

pub(super) async fn find(tx: &mut TenantTx, id: ServiceId) -> Result<Option<Service>> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM services WHERE tenant_id = $1 AND id = $2"
    );
    let tenant = tx.tenant_id();
    query::optional!(tx, sql, tenant, id)
}

pub(super) async fn save(tx: &mut TenantTx, s: &Service) -> Result<()> {
    let sql = concat!(
        "INSERT INTO services (tenant_id, name_key, ",
        columns!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name,
             name_key = excluded.name_key, category = excluded.category,
             description = excluded.description, price_cents = excluded.price_cents,
             duration_minutes = excluded.duration_minutes, outlet_id = excluded.outlet_id,
             is_active = excluded.is_active, updated_at = excluded.updated_at"
    );
    let tenant = tx.tenant_id();
    query::execute!(
        tx,
        sql,
        tenant,
        fold(&s.name),
        s.id,
        &s.name,
        &s.category,
        &s.description,
        s.price_cents,
        s.duration_minutes,
        s.outlet_id,
        s.is_active,
        s.created_at,
        s.updated_at
    )?;
    Ok(())
}

/// The whole catalog of the transaction's tenant, by name.
pub(crate) async fn all(tx: &mut TenantTx) -> Result<Vec<Service>> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM services WHERE tenant_id = $1 ORDER BY name_key, id"
    );
    let tenant = tx.tenant_id();
    query::all!(tx, sql, tenant)
}

pub(super) async fn delete(tx: &mut TenantTx, id: ServiceId) -> Result<bool> {
    let tenant = tx.tenant_id();
    let sql = "DELETE FROM services WHERE tenant_id = $1 AND id = $2";
    Ok(query::execute!(tx, sql, tenant, id)? == 1)
}

pub(super) async fn outlet_exists(tx: &mut TenantTx, id: OutletId) -> Result<bool> {
    let tenant = tx.tenant_id();
    let sql = "SELECT count(*) FROM outlets WHERE tenant_id = $1 AND id = $2";
    let found: i64 = query::scalar!(tx, sql, tenant, id)?;
    Ok(found == 1)
}

/// The condition of a catalog list: the tenant, then an optional folded name search, a
/// category (as typed, case folded) and an outlet (its own and the tenant-wide services).
macro_rules! list_filter {
    () => {
        " WHERE tenant_id = $1 \
          AND ($2 IS NULL OR name_key LIKE $2 ESCAPE '\\') \
          AND ($3 IS NULL OR category = $3) \
          AND ($4 IS NULL OR outlet_id IS NULL OR outlet_id = $4)"
    };
}

pub(super) async fn list(tx: &mut TenantTx, query: &ServiceQuery) -> Result<(Vec<Service>, i64)> {
    let tenant = tx.tenant_id();
    let pattern = query.q.as_deref().map(like_pattern);
    let (category, outlet) = (&query.category, query.outlet_id);
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM services",
        list_filter!(),
        " ORDER BY name_key, id LIMIT $5 OFFSET $6"
    );
    let page: Vec<Service> = query::all!(
        tx,
        sql,
        tenant,
        &pattern,
        category,
        outlet,
        query.page.limit,
        query.page.skip
    )?;
    let sql = concat!("SELECT count(*) FROM services", list_filter!());
    let total: i64 = query::scalar!(tx, sql, tenant, &pattern, category, outlet)?;
    Ok((page, total))
}
