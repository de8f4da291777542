//! Platform-level queries on `tenants`.

use crate::db::Tx;
use crate::on_conn;
use crate::tenancy::TenantId;
use crate::tenants::Tenant;
use crate::Result;

/// The column list, as a macro so queries stay `&'static str` built by `concat!`.
macro_rules! columns {
    () => {
        "id, slug, name, business_type, email, phone, website, description, \
                       status, created_at, updated_at"
    };
}

pub async fn insert(tx: &mut Tx, tenant: &Tenant) -> Result<()> {
    let sql = concat!(
        "INSERT INTO tenants (",
        columns!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    );
    on_conn!(tx, c => sqlx::query(sql)
        .bind(tenant.id)
        .bind(&tenant.slug)
        .bind(&tenant.name)
        .bind(&tenant.business_type)
        .bind(&tenant.email)
        .bind(&tenant.phone)
        .bind(&tenant.website)
        .bind(&tenant.description)
        .bind(tenant.status.as_str())
        .bind(tenant.created_at)
        .bind(tenant.updated_at)
        .execute(c)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(())
}

pub async fn find_by_id(tx: &mut Tx, id: TenantId) -> Result<Option<Tenant>> {
    let sql = concat!("SELECT ", columns!(), " FROM tenants WHERE id = $1");
    let tenant = on_conn!(tx, c => sqlx::query_as(sql).bind(id).fetch_optional(c).await)?;
    Ok(tenant)
}

/// `slug` must already be normalised (slugs are stored lowercase).
pub async fn find_by_slug(tx: &mut Tx, slug: &str) -> Result<Option<Tenant>> {
    let sql = concat!("SELECT ", columns!(), " FROM tenants WHERE slug = $1");
    let tenant = on_conn!(tx, c => sqlx::query_as(sql).bind(slug).fetch_optional(c).await)?;
    Ok(tenant)
}
