//! Outlets: a tenant's physical locations, with address, time zone and weekly hours
//! (PRODUCT.md §5). Every query runs in the tenant's transaction; the plan's outlet limit is
//! checked under a lock, so two creates at the limit cannot both pass.

pub mod hours;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::db::{query, Access, Db, TenantTx};
use crate::error::{parse_name, FieldCheck};
use crate::tenancy::{OutletId, Permission, TenantScope};
use crate::tenants::fields::{limited, optional};
use crate::tenants::settings;
use crate::values::Phone;
use crate::{AppContext, Error, Result};

pub use hours::{Range, WeeklyHours};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Outlet {
    pub id: OutletId,
    pub name: String,
    pub address: Option<String>,
    pub city: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    pub phone: Option<String>,
    pub timezone: String,
    pub hours: WeeklyHours,
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a create or an update sends; for an update, absent fields stay and an empty
/// optional one is cleared.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct OutletInput {
    pub name: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    pub postal_code: Option<String>,
    pub country: Option<String>,
    pub phone: Option<String>,
    pub timezone: Option<String>,
    pub hours: Option<WeeklyHours>,
    pub is_active: Option<bool>,
}

impl OutletInput {
    /// `outlet` with the input applied, or every invalid field at once.
    fn apply(&self, mut outlet: Outlet) -> Result<Outlet> {
        let mut check = FieldCheck::new();
        if let Some(name) = self
            .name
            .as_deref()
            .and_then(|n| check.field("name", parse_name(n)))
        {
            outlet.name = name;
        }
        let texts = [
            ("address", &self.address, &mut outlet.address, 200),
            ("city", &self.city, &mut outlet.city, 100),
            (
                "postal_code",
                &self.postal_code,
                &mut outlet.postal_code,
                20,
            ),
            ("country", &self.country, &mut outlet.country, 100),
        ];
        for (field, given, target, max) in texts {
            if given.is_some() {
                if let Some(value) = check.field(field, limited(given, max, "This is too long.")) {
                    *target = value;
                }
            }
        }
        if self.phone.is_some() {
            outlet.phone = optional(&self.phone)
                .and_then(|phone| check.field("phone", Phone::parse(phone)))
                .map(|phone| phone.to_string());
        }
        if let Some(zone) = &self.timezone {
            if let Some(zone) = check.field("timezone", crate::values::parse_timezone(zone)) {
                outlet.timezone = zone;
            }
        }
        if let Some(hours) = &self.hours {
            outlet.hours = hours::parse(hours, &mut check);
        }
        outlet.is_active = self.is_active.unwrap_or(outlet.is_active);
        check.finish()?;
        Ok(outlet)
    }
}

#[derive(sqlx::FromRow)]
struct Row {
    id: OutletId,
    name: String,
    address: Option<String>,
    city: Option<String>,
    postal_code: Option<String>,
    country: Option<String>,
    phone: Option<String>,
    timezone: String,
    hours: String,
    is_active: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<Row> for Outlet {
    type Error = Error;

    fn try_from(r: Row) -> Result<Self> {
        Ok(Outlet {
            id: r.id,
            name: r.name,
            address: r.address,
            city: r.city,
            postal_code: r.postal_code,
            country: r.country,
            phone: r.phone,
            timezone: r.timezone,
            hours: serde_json::from_str(&r.hours).map_err(anyhow::Error::from)?,
            is_active: r.is_active,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

macro_rules! columns {
    () => {
        "id, name, address, city, postal_code, country, phone, timezone, hours, is_active, \
         created_at, updated_at"
    };
}

async fn find(tx: &mut TenantTx, id: OutletId) -> Result<Outlet> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM outlets WHERE tenant_id = $1 AND id = $2"
    );
    let tenant = tx.tenant_id();
    let row: Option<Row> = query::optional!(tx, sql, tenant, id)?;
    row.ok_or(Error::NotFound)?.try_into()
}

async fn save(tx: &mut TenantTx, o: &Outlet) -> Result<()> {
    let sql = concat!(
        "INSERT INTO outlets (tenant_id, ",
        columns!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
         ON CONFLICT (tenant_id, id) DO UPDATE SET name = excluded.name,
             address = excluded.address, city = excluded.city,
             postal_code = excluded.postal_code, country = excluded.country,
             phone = excluded.phone, timezone = excluded.timezone, hours = excluded.hours,
             is_active = excluded.is_active, updated_at = excluded.updated_at"
    );
    let tenant = tx.tenant_id();
    let hours = serde_json::to_string(&o.hours).map_err(anyhow::Error::from)?;
    query::execute!(
        tx,
        sql,
        tenant,
        o.id,
        &o.name,
        &o.address,
        &o.city,
        &o.postal_code,
        &o.country,
        &o.phone,
        &o.timezone,
        hours,
        o.is_active,
        o.created_at,
        o.updated_at
    )?;
    Ok(())
}

/// The tenant's outlets, by name.
pub async fn list(db: &Db, scope: &TenantScope) -> Result<Vec<Outlet>> {
    scope.require(Permission::ViewOutlets)?;
    let mut tx = scope.begin(db, Access::Read).await?;
    let outlets = all(&mut tx).await?;
    tx.rollback().await?;
    Ok(outlets)
}

/// Every outlet of the transaction's tenant, by name.
pub(crate) async fn all(tx: &mut TenantTx) -> Result<Vec<Outlet>> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM outlets WHERE tenant_id = $1 ORDER BY name, id"
    );
    let tenant = tx.tenant_id();
    let rows: Vec<Row> = query::all!(tx, sql, tenant)?;
    rows.into_iter().map(Outlet::try_from).collect()
}

/// One outlet of the tenant; another tenant's id is `NotFound`.
pub async fn get(db: &Db, scope: &TenantScope, id: OutletId) -> Result<Outlet> {
    scope.require(Permission::ViewOutlets)?;
    let mut tx = scope.begin(db, Access::Read).await?;
    let outlet = find(&mut tx, id).await?;
    tx.rollback().await?;
    Ok(outlet)
}

/// Creates an outlet, within the plan's outlet limit (`PlanLimit` past it). The time zone
/// defaults to the tenant's.
pub async fn create(ctx: &AppContext, scope: &TenantScope, input: &OutletInput) -> Result<Outlet> {
    scope.require(Permission::ManageOutlets)?;
    if input.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
        return Err(Error::invalid("name", "This field is required."));
    }
    let mut tx = scope.begin(&ctx.db, Access::Write).await?;
    let limit = crate::billing::subscriptions::locked_limits(ctx, &mut tx)
        .await?
        .and_then(|limits| limits.outlets);
    let tenant = tx.tenant_id();
    let count: i64 = query::scalar!(
        tx,
        "SELECT count(*) FROM outlets WHERE tenant_id = $1",
        tenant
    )?;
    if limit.is_some_and(|limit| count >= i64::from(limit)) {
        return Err(Error::PlanLimit);
    }
    let now = Utc::now();
    let blank = Outlet {
        id: OutletId::new(),
        name: String::new(),
        address: None,
        city: None,
        postal_code: None,
        country: None,
        phone: None,
        timezone: settings::load(&mut tx).await?.timezone,
        hours: WeeklyHours::new(),
        is_active: true,
        created_at: now,
        updated_at: now,
    };
    let outlet = input.apply(blank)?;
    save(&mut tx, &outlet).await?;
    tx.commit().await?;
    Ok(outlet)
}

pub async fn update(
    db: &Db,
    scope: &TenantScope,
    id: OutletId,
    input: &OutletInput,
) -> Result<Outlet> {
    scope.require(Permission::ManageOutlets)?;
    let mut tx = scope.begin(db, Access::Write).await?;
    let mut outlet = input.apply(find(&mut tx, id).await?)?;
    outlet.updated_at = Utc::now();
    save(&mut tx, &outlet).await?;
    tx.commit().await?;
    Ok(outlet)
}

pub async fn delete(db: &Db, scope: &TenantScope, id: OutletId) -> Result<()> {
    scope.require(Permission::ManageOutlets)?;
    let mut tx = scope.begin(db, Access::Write).await?;
    let tenant = tx.tenant_id();
    let sql = "DELETE FROM outlets WHERE tenant_id = $1 AND id = $2";
    if query::execute!(tx, sql, tenant, id)? == 0 {
        return Err(Error::NotFound);
    }
    tx.commit().await
}

/// How many outlets the tenant has, and how many are active.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct OutletStats {
    pub total: i64,
    pub active: i64,
    pub inactive: i64,
}

pub async fn stats(db: &Db, scope: &TenantScope) -> Result<OutletStats> {
    let outlets = list(db, scope).await?;
    let total = i64::try_from(outlets.len()).map_err(anyhow::Error::from)?;
    let active = i64::try_from(outlets.iter().filter(|o| o.is_active).count())
        .map_err(anyhow::Error::from)?;
    Ok(OutletStats {
        total,
        active,
        inactive: total - active,
    })
}
