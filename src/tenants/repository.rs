//! Platform-level queries on `tenants`.

use crate::db::{query, Tx};
use crate::tenancy::TenantId;
use crate::tenants::service::{Listed, TenantQuery, TenantSort};
use crate::tenants::{Tenant, TenantProfile, TenantStatus};
use crate::values::page::like_pattern;
use crate::values::{fold, Slug};
use crate::Result;

/// The column list, as a macro so queries stay `&'static str` built by `concat!`.
macro_rules! columns {
    () => {
        "id, slug, name, business_type, email, phone, website, description, status, \
         created_at, updated_at, erase_after"
    };
}

pub(crate) async fn insert(tx: &mut Tx, t: &Tenant) -> Result<()> {
    let p = &t.profile;
    let sql = "INSERT INTO tenants (id, slug, name, business_type, email, phone, website,
                                    description, status, created_at, updated_at, name_key)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)";
    query::execute!(
        tx,
        sql,
        t.id,
        &t.slug,
        &p.name,
        &p.business_type,
        &p.email,
        &p.phone,
        &p.website,
        &p.description,
        t.status,
        t.created_at,
        t.updated_at,
        fold(&p.name)
    )?;
    Ok(())
}

pub(crate) async fn find_by_id(tx: &mut Tx, id: TenantId) -> Result<Option<Tenant>> {
    query::optional!(
        tx,
        concat!("SELECT ", columns!(), " FROM tenants WHERE id = $1"),
        id
    )
}

pub(crate) async fn find_by_slug(tx: &mut Tx, slug: &Slug) -> Result<Option<Tenant>> {
    query::optional!(
        tx,
        concat!("SELECT ", columns!(), " FROM tenants WHERE slug = $1"),
        slug
    )
}

pub(crate) async fn set_status(
    tx: &mut Tx,
    id: TenantId,
    status: TenantStatus,
    updated_at: chrono::DateTime<chrono::Utc>,
) -> Result<bool> {
    let sql = "UPDATE tenants SET status = $2, updated_at = $3 WHERE id = $1";
    Ok(query::execute!(tx, sql, id, status, updated_at)? == 1)
}

pub(crate) async fn update_profile(
    tx: &mut Tx,
    id: TenantId,
    p: &TenantProfile,
    updated_at: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let sql = "UPDATE tenants SET name = $2, name_key = $3, business_type = $4, email = $5,
                      phone = $6, website = $7, description = $8, updated_at = $9
                WHERE id = $1";
    query::execute!(
        tx,
        sql,
        id,
        &p.name,
        fold(&p.name),
        &p.business_type,
        &p.email,
        &p.phone,
        &p.website,
        &p.description,
        updated_at
    )?;
    Ok(())
}

/// The condition of a tenant list: an optional status and an optional folded search term.
macro_rules! list_filter {
    () => {
        " WHERE ($1 IS NULL OR status = $1) \
          AND ($2 IS NULL OR name_key LIKE $2 ESCAPE '\\' OR slug LIKE $2 ESCAPE '\\' \
               OR email LIKE $2 ESCAPE '\\') \
          AND ($3 IS NULL OR plan = $3)"
    };
}

pub(crate) async fn list(tx: &mut Tx, query: &TenantQuery) -> Result<(Vec<Listed>, i64)> {
    let pattern = query.q.as_deref().map(like_pattern);
    let status = query.status.map(TenantStatus::as_str);
    let plan = query.plan.as_deref();
    // Only the order differs; each text is fixed at compile time (and indexed).
    macro_rules! page_sql {
        ($order:literal) => {
            concat!(
                "SELECT ",
                columns!(),
                ", plan, member_count FROM tenants",
                list_filter!(),
                " ORDER BY ",
                $order,
                " LIMIT $4 OFFSET $5"
            )
        };
    }
    let sql = match query.sort {
        TenantSort::Newest => page_sql!("created_at DESC, id DESC"),
        TenantSort::Oldest => page_sql!("created_at, id"),
        TenantSort::Name => page_sql!("name_key, id"),
    };
    let page: Vec<Listed> = query::all!(tx, sql, status, &pattern, plan, query.limit, query.skip)?;
    let sql = concat!("SELECT count(*) FROM tenants", list_filter!());
    let total: i64 = query::scalar!(tx, sql, status, &pattern, plan)?;
    Ok((page, total))
}
