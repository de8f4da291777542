//! The service catalog (PRODUCT.md §10): what a tenant sells, with a category (from the
//! tenant's templates or free text), a price and a duration, offered tenant-wide or at one
//! outlet. Members read it; TENANT_ADMINs and outlet managers manage it.

pub(crate) mod repository;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::db::{Access, Db, TenantTx};
use crate::error::{parse_name, FieldCheck};
use crate::outlets::Outlet;
use crate::tenancy::{OutletId, Permission, ServiceId, TenantScope};
use crate::tenants::fields::limited;
use crate::tenants::settings::TenantSettings;
use crate::values::page::search_term;
use crate::values::Page;
use crate::{Error, Result};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, sqlx::FromRow)]
pub struct Service {
    pub id: ServiceId,
    pub name: String,
    pub category: Option<String>,
    pub description: Option<String>,
    /// In the tenant currency's minor unit (cents).
    pub price_cents: i64,
    pub duration_minutes: i32,
    /// `None`: offered at every outlet.
    pub outlet_id: Option<OutletId>,
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The most a price may be: ten million in the currency's major unit.
const MAX_PRICE_CENTS: i64 = 1_000_000_000;
/// A service lasts at most a day.
const MAX_DURATION_MINUTES: i32 = 24 * 60;

/// A price as a person types it (`25`, `25.5`, `25.50`) in cents; at most two decimals.
pub fn parse_price(text: &str) -> std::result::Result<i64, &'static str> {
    const WRONG: &str = "Use a price like 25 or 25.50.";
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits = |part: &str| part.chars().all(|c| c.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > 2 {
        return Err(WRONG);
    }
    let whole: i64 = whole.parse().map_err(|_| WRONG)?;
    let cents: i64 = format!("{fraction:0<2}").parse().map_err(|_| WRONG)?;
    let price = whole.checked_mul(100).and_then(|w| w.checked_add(cents));
    price
        .filter(|p| *p <= MAX_PRICE_CENTS)
        .ok_or("Use a price from 0 to 10,000,000.")
}

/// Cents as the price form shows them: `2550` → `25.50`.
pub fn price_text(cents: i64) -> String {
    format!("{}.{:02}", cents / 100, cents % 100)
}

/// What a create or an update sends; for an update, absent fields stay, an empty optional
/// text is cleared, and `outlet_id: null` makes the service tenant-wide.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct ServiceInput {
    pub name: Option<String>,
    pub category: Option<String>,
    pub description: Option<String>,
    pub price_cents: Option<i64>,
    pub duration_minutes: Option<i32>,
    #[serde(deserialize_with = "present")]
    pub outlet_id: Option<Option<OutletId>>,
    pub is_active: Option<bool>,
}

/// Tells `"outlet_id": null` (tenant-wide) apart from no `outlet_id` at all (unchanged).
fn present<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Option<Option<OutletId>>, D::Error> {
    Option::<OutletId>::deserialize(deserializer).map(Some)
}

impl ServiceInput {
    /// `service` with the input applied, or every invalid field at once.
    fn apply(&self, mut service: Service, check: &mut FieldCheck) -> Service {
        if let Some(name) = self
            .name
            .as_deref()
            .and_then(|n| check.field("name", parse_name(n)))
        {
            service.name = name;
        }
        let texts = [
            ("category", &self.category, &mut service.category, 50),
            (
                "description",
                &self.description,
                &mut service.description,
                1000,
            ),
        ];
        for (field, given, target, max) in texts {
            if given.is_some() {
                if let Some(value) = check.field(field, limited(given, max, "This is too long.")) {
                    *target = value;
                }
            }
        }
        if let Some(price) = self.price_cents {
            if (0..=MAX_PRICE_CENTS).contains(&price) {
                service.price_cents = price;
            } else {
                check.fail("price_cents", "Use a price from 0 to 10,000,000.");
            }
        }
        if let Some(minutes) = self.duration_minutes {
            if (1..=MAX_DURATION_MINUTES).contains(&minutes) {
                service.duration_minutes = minutes;
            } else {
                check.fail("duration_minutes", "Use 1 to 1,440 minutes.");
            }
        }
        if let Some(outlet) = self.outlet_id {
            service.outlet_id = outlet;
        }
        service.is_active = self.is_active.unwrap_or(service.is_active);
        service
    }

    /// Checks the input and that its outlet is one of the tenant's.
    async fn applied(&self, tx: &mut TenantTx, service: Service) -> Result<Service> {
        let mut check = FieldCheck::new();
        let service = self.apply(service, &mut check);
        if let Some(outlet) = service.outlet_id {
            if !repository::outlet_exists(tx, outlet).await? {
                check.fail("outlet_id", "Choose one of your outlets.");
            }
        }
        check.finish()?;
        Ok(service)
    }
}

/// Which services to list: a page, a search in names, a category, an outlet (its own
/// services and the tenant-wide ones).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServiceQuery {
    pub page: Page,
    pub q: Option<String>,
    pub category: Option<String>,
    pub outlet_id: Option<OutletId>,
}

impl ServiceQuery {
    pub const DEFAULT_LIMIT: i64 = 50;
    pub const MAX_LIMIT: i64 = 200;

    pub fn parse(
        skip: Option<i64>,
        limit: Option<i64>,
        q: Option<String>,
        category: Option<String>,
        outlet_id: Option<&str>,
    ) -> Result<Self> {
        let mut check = FieldCheck::new();
        let page = Page::parse(
            skip,
            limit,
            Self::DEFAULT_LIMIT,
            Self::MAX_LIMIT,
            &mut check,
        );
        let outlet_id = match outlet_id.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(id) => check.field("outlet_id", id.parse().map_err(|_| "Not an outlet id.")),
        };
        check.finish()?;
        Ok(ServiceQuery {
            page,
            q: search_term(q),
            category: search_term(category),
            outlet_id,
        })
    }
}

impl Default for ServiceQuery {
    fn default() -> Self {
        ServiceQuery {
            page: Page {
                skip: 0,
                limit: Self::DEFAULT_LIMIT,
            },
            q: None,
            category: None,
            outlet_id: None,
        }
    }
}

/// A page of the catalog by name, and how many services match in all.
pub async fn list(
    db: &Db,
    scope: &TenantScope,
    query: &ServiceQuery,
) -> Result<(Vec<Service>, i64)> {
    scope.require(Permission::ViewServices)?;
    let mut tx = scope.begin(db, Access::Read).await?;
    let found = repository::list(&mut tx, query).await?;
    tx.rollback().await?;
    Ok(found)
}

/// A page of the catalog and what its forms offer (the tenant's settings and outlets).
#[derive(Clone, Debug)]
pub struct CatalogPage {
    pub services: Vec<Service>,
    /// Services matching the query, on every page.
    pub total: i64,
    pub settings: TenantSettings,
    pub outlets: Vec<Outlet>,
}

/// [`list`] with the settings and outlets the page shows beside it, in one read
/// transaction (three round trips' worth of `BEGIN` and tenant settings fewer).
pub async fn page(db: &Db, scope: &TenantScope, query: &ServiceQuery) -> Result<CatalogPage> {
    scope.require(Permission::ViewServices)?;
    scope.require(Permission::ViewTenant)?;
    scope.require(Permission::ViewOutlets)?;
    let mut tx = scope.begin(db, Access::Read).await?;
    let (services, total) = repository::list(&mut tx, query).await?;
    let settings = crate::tenants::settings::load(&mut tx).await?;
    let outlets = crate::outlets::all(&mut tx).await?;
    tx.rollback().await?;
    Ok(CatalogPage {
        services,
        total,
        settings,
        outlets,
    })
}

/// One service of the tenant; another tenant's id is `NotFound`.
pub async fn get(db: &Db, scope: &TenantScope, id: ServiceId) -> Result<Service> {
    scope.require(Permission::ViewServices)?;
    let mut tx = scope.begin(db, Access::Read).await?;
    let service = repository::find(&mut tx, id).await?;
    tx.rollback().await?;
    service.ok_or(Error::NotFound)
}

pub async fn create(db: &Db, scope: &TenantScope, input: &ServiceInput) -> Result<Service> {
    scope.require(Permission::ManageServices)?;
    let mut missing = FieldCheck::new();
    if input.name.as_deref().is_none_or(|n| n.trim().is_empty()) {
        missing.fail("name", "This field is required.");
    }
    if input.price_cents.is_none() {
        missing.fail("price_cents", "This field is required.");
    }
    if input.duration_minutes.is_none() {
        missing.fail("duration_minutes", "This field is required.");
    }
    missing.finish()?;
    let mut tx = scope.begin(db, Access::Write).await?;
    let now = Utc::now();
    let blank = Service {
        id: ServiceId::new(),
        name: String::new(),
        category: None,
        description: None,
        price_cents: 0,
        duration_minutes: 1,
        outlet_id: None,
        is_active: true,
        created_at: now,
        updated_at: now,
    };
    let service = input.applied(&mut tx, blank).await?;
    scope.require_outlet(service.outlet_id)?;
    repository::save(&mut tx, &service).await?;
    tx.commit().await?;
    Ok(service)
}

pub async fn update(
    db: &Db,
    scope: &TenantScope,
    id: ServiceId,
    input: &ServiceInput,
) -> Result<Service> {
    scope.require(Permission::ManageServices)?;
    let mut tx = scope.begin(db, Access::Write).await?;
    let found = repository::find(&mut tx, id)
        .await?
        .ok_or(Error::NotFound)?;
    // An outlet manager changes only their outlets' services, and cannot move one away.
    scope.require_outlet(found.outlet_id)?;
    let mut service = input.applied(&mut tx, found).await?;
    scope.require_outlet(service.outlet_id)?;
    service.updated_at = Utc::now();
    repository::save(&mut tx, &service).await?;
    tx.commit().await?;
    Ok(service)
}

pub async fn delete(db: &Db, scope: &TenantScope, id: ServiceId) -> Result<()> {
    scope.require(Permission::ManageServices)?;
    let mut tx = scope.begin(db, Access::Write).await?;
    let found = repository::find(&mut tx, id)
        .await?
        .ok_or(Error::NotFound)?;
    scope.require_outlet(found.outlet_id)?;
    if !repository::delete(&mut tx, id).await? {
        return Err(Error::NotFound);
    }
    tx.commit().await
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod price_tests {
    use super::{parse_price, price_text};

    #[test]
    fn prices_are_read_as_typed_and_shown_with_cents() {
        assert_eq!(parse_price(" 25 "), Ok(2500));
        assert_eq!(parse_price("25.5"), Ok(2550));
        assert_eq!(parse_price("0.05"), Ok(5));
        for wrong in ["", "-1", "2.505", "1,50", "abc", ".5", "1e3"] {
            assert!(parse_price(wrong).is_err(), "{wrong}");
        }
        assert!(parse_price("10000000.01").is_err());
        assert_eq!(price_text(2550), "25.50");
        assert_eq!(price_text(5), "0.05");
    }
}
