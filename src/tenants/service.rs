//! What can be done with tenants. Each operation takes the scope that allows it and checks
//! the permission first; server functions and REST handlers call only these.

use chrono::Utc;

use crate::audit::{self, Action, Event};
use crate::billing::subscriptions;
use crate::db::{Access, Db, TenantTx};
use crate::error::{parse_name, FieldCheck};
use crate::members;
use crate::tenancy::{AdminScope, Permission, Role, TenantId, TenantScope, UserId};
use crate::tenants::fields::{limited, optional, parse_website};
use crate::tenants::settings::{self, SettingsPatch, TenantSettings};
use crate::tenants::{repository, Tenant, TenantProfile, TenantStatus};
use crate::values::page::search_term;
use crate::values::{Email, Page, Phone, Slug};
use crate::webhooks::{self, EventType};
use crate::{Error, Result};

/// The tenant the scope is in.
pub async fn get(db: &Db, scope: &TenantScope) -> Result<Tenant> {
    scope.require(Permission::ViewTenant)?;
    let mut tx = scope.begin(db, Access::Read).await?;
    repository::find_by_id(tx.platform(), scope.tenant_id())
        .await?
        .ok_or(Error::NotFound)
}

/// A partial update of the tenant's profile (`PUT /api/v1/tenants/{id}`): an absent field
/// stays as it is, an empty optional one is cleared. The slug never changes.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct TenantPatch {
    pub name: Option<String>,
    pub business_type: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
    /// Read only to be refused: a workspace's address is permanent.
    pub slug: Option<serde_json::Value>,
    /// Settings to change, each as [`SettingsPatch`] says.
    pub settings: Option<SettingsPatch>,
}

impl TenantPatch {
    /// `profile` with the patch applied; errors go into `check`.
    fn apply(&self, profile: &TenantProfile, check: &mut FieldCheck) -> TenantProfile {
        let mut next = profile.clone();
        if self.slug.is_some() {
            check.fail("slug", "The address of a workspace cannot be changed.");
        }
        if let Some(name) = self
            .name
            .as_deref()
            .and_then(|n| check.field("name", parse_name(n)))
        {
            next.name = name;
        }
        if let Some(email) = self
            .email
            .as_deref()
            .and_then(|e| check.field("email", Email::parse(e)))
        {
            next.email = email;
        }
        if self.phone.is_some() {
            next.phone = optional(&self.phone)
                .and_then(|phone| check.field("phone", Phone::parse(phone)))
                .map(|phone| phone.to_string());
        }
        let mut set = |field: &str,
                       value: &Option<String>,
                       parsed: Result<Option<String>, &str>,
                       target: &mut Option<String>| {
            if value.is_some() {
                if let Some(parsed) = check.field(field, parsed) {
                    *target = parsed;
                }
            }
        };
        set(
            "business_type",
            &self.business_type,
            limited(&self.business_type, 50, "Use at most 50 characters."),
            &mut next.business_type,
        );
        set(
            "description",
            &self.description,
            limited(&self.description, 1000, "Use at most 1,000 characters."),
            &mut next.description,
        );
        set(
            "website",
            &self.website,
            parse_website(&self.website),
            &mut next.website,
        );
        next
    }
}

/// The tenant with its settings (`GET /api/v1/tenants/{id}`).
pub async fn details(db: &Db, scope: &TenantScope) -> Result<(Tenant, TenantSettings)> {
    scope.require(Permission::ViewTenant)?;
    let mut tx = scope.begin(db, Access::Read).await?;
    let tenant = repository::find_by_id(tx.platform(), scope.tenant_id())
        .await?
        .ok_or(Error::NotFound)?;
    let settings = settings::load(&mut tx).await?;
    tx.rollback().await?;
    Ok((tenant, settings))
}

/// A tenant admin (or a super admin) changes the tenant's profile and settings: every
/// invalid field is reported at once, and nothing is written unless all are valid.
pub async fn update(
    db: &Db,
    scope: &TenantScope,
    patch: &TenantPatch,
) -> Result<(Tenant, TenantSettings)> {
    scope.require(Permission::UpdateTenant)?;
    let mut tx = scope.begin(db, Access::Write).await?;
    let tenant = repository::find_by_id(tx.platform(), scope.tenant_id())
        .await?
        .ok_or(Error::NotFound)?;
    let current = settings::load(&mut tx).await?;
    let mut check = FieldCheck::new();
    let profile = patch.apply(&tenant.profile, &mut check);
    let next = patch
        .settings
        .as_ref()
        .map(|change| change.apply(&current, &mut check));
    check.finish()?;
    let updated_at = Utc::now();
    repository::update_profile(tx.platform(), tenant.id, &profile, updated_at).await?;
    let event = Event::new(Action::TenantUpdated, scope.user_id(), None);
    audit::tenant(&mut tx, &event).await?;
    if let Some(next) = &next {
        settings::store(&mut tx, next).await?;
    }
    let tenant = Tenant {
        profile,
        updated_at,
        ..tenant
    };
    let data = webhooks::tenant_data(&tenant);
    webhooks::emit(tx.platform(), EventType::TenantUpdated, data).await?;
    tx.commit().await?;
    Ok((tenant, next.unwrap_or(current)))
}

/// A super admin creates a tenant with `admin` as its TENANT_ADMIN.
pub async fn create(
    db: &Db,
    _by: &AdminScope,
    slug: Slug,
    profile: TenantProfile,
    admin: UserId,
) -> Result<Tenant> {
    provision(db, slug, profile, admin).await
}

/// Deactivates (or reactivates) a tenant: its members get `tenant_inactive`, the public 404,
/// and its subscription is suspended (or resumed).
pub async fn set_status(
    db: &Db,
    by: &AdminScope,
    tenant: TenantId,
    status: TenantStatus,
) -> Result<()> {
    change_status(db, &by.tenant(tenant), status).await
}

/// [`set_status`] for whoever `scope` acts for (a super admin, a partner's key).
pub(crate) async fn change_status(
    db: &Db,
    scope: &TenantScope,
    status: TenantStatus,
) -> Result<()> {
    let mut tx = scope.begin(db, Access::Write).await?;
    let before = repository::find_by_id(tx.platform(), scope.tenant_id())
        .await?
        .ok_or(Error::NotFound)?;
    let updated_at = Utc::now();
    repository::set_status(tx.platform(), before.id, status, updated_at).await?;
    subscriptions::set_suspended(&mut tx, status == TenantStatus::Inactive).await?;
    let (action, event) = match status {
        TenantStatus::Active => (Action::TenantReactivated, EventType::TenantReactivated),
        TenantStatus::Inactive => (Action::TenantDeactivated, EventType::TenantDeactivated),
    };
    audit::tenant(&mut tx, &Event::new(action, scope.user_id(), None)).await?;
    // Receivers hear of a change, not of a repeat.
    if before.status != status {
        let after = Tenant {
            status,
            updated_at,
            ..before
        };
        webhooks::emit(tx.platform(), event, webhooks::tenant_data(&after)).await?;
    }
    tx.commit().await
}

/// What a super admin's tenant list is narrowed to (`GET /api/v1/tenants`).
#[derive(Clone, Debug)]
pub struct TenantQuery {
    pub skip: i64,
    pub limit: i64,
    pub status: Option<TenantStatus>,
    /// Part of the name, slug or email, compared after case folding.
    pub q: Option<String>,
    pub sort: TenantSort,
    /// A plan's code (`PRO`); a code no tenant has finds none.
    pub plan: Option<String>,
}

/// A tenant as the super admin's list shows it: with its plan and active members (kept on
/// its row by the database, see migration 0020).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Listed {
    #[sqlx(flatten)]
    pub tenant: Tenant,
    pub plan: String,
    pub member_count: i64,
}

/// The order of a tenant list.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TenantSort {
    #[default]
    Newest,
    Oldest,
    /// By name, A to Z (case folded).
    Name,
}

impl TenantSort {
    pub const ALL: [(TenantSort, &'static str); 3] = [
        (TenantSort::Newest, "newest"),
        (TenantSort::Oldest, "oldest"),
        (TenantSort::Name, "name"),
    ];

    pub fn as_str(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(sort, _)| *sort == self)
            .map_or("newest", |(_, name)| name)
    }

    fn parse(text: &str) -> Option<TenantSort> {
        Self::ALL
            .iter()
            .find(|(_, name)| *name == text)
            .map(|(sort, _)| *sort)
    }
}

impl TenantQuery {
    pub const DEFAULT_LIMIT: i64 = 100;
    pub const MAX_LIMIT: i64 = 500;

    /// Checks the paging parameters as sent (`skip` ≥ 0, `limit` 1–500, a known status and
    /// order).
    pub fn parse(
        skip: Option<i64>,
        limit: Option<i64>,
        status: Option<&str>,
        q: Option<String>,
        sort: Option<&str>,
    ) -> Result<Self> {
        let mut check = FieldCheck::new();
        let page = Page::parse(
            skip,
            limit,
            Self::DEFAULT_LIMIT,
            Self::MAX_LIMIT,
            &mut check,
        );
        let status = match status.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => check.field(
                "status",
                s.parse::<TenantStatus>()
                    .map_err(|_| "Use active or inactive."),
            ),
        };
        let sort = match sort.map(str::trim).filter(|s| !s.is_empty()) {
            None => Some(TenantSort::Newest),
            Some(s) => check.field(
                "sort",
                TenantSort::parse(s).ok_or("Use newest, oldest or name."),
            ),
        };
        check.finish()?;
        Ok(TenantQuery {
            skip: page.skip,
            limit: page.limit,
            status,
            q: search_term(q),
            sort: sort.unwrap_or_default(),
            plan: None,
        })
    }

    /// Only tenants on `plan` (a plan's code, in any case), if one is given.
    pub fn on_plan(mut self, plan: Option<&str>) -> Self {
        self.plan = plan
            .map(|p| p.trim().to_ascii_uppercase())
            .filter(|p| !p.is_empty());
        self
    }
}

/// A page of tenants, newest first, and how many match in all.
pub async fn list(db: &Db, _by: &AdminScope, query: &TenantQuery) -> Result<(Vec<Listed>, i64)> {
    let mut tx = db.begin(Access::Read).await?;
    let found = repository::list(&mut tx, query).await?;
    tx.rollback().await?;
    Ok(found)
}

/// Creates the tenant and makes `admin` its TENANT_ADMIN in one transaction: all or nothing.
/// Shared by every flow that makes tenants (super admin, registration, provisioning).
pub(crate) async fn provision(
    db: &Db,
    slug: Slug,
    profile: TenantProfile,
    admin: UserId,
) -> Result<Tenant> {
    let now = Utc::now();
    let tenant = Tenant {
        id: TenantId::new(),
        slug,
        profile,
        status: TenantStatus::Active,
        created_at: now,
        updated_at: now,
        erase_after: None,
    };
    let scope = TenantScope::for_new_tenant(tenant.id);
    let mut tx = scope.begin(db, Access::Write).await?;
    repository::insert(tx.platform(), &tenant).await?;
    members::repository::insert(&mut tx, admin, Role::TenantAdmin).await?;
    subscriptions::start_free(&mut tx).await?;
    announce_created(&mut tx, &tenant).await?;
    tx.commit().await?;
    Ok(tenant)
}

/// Tells webhook receivers of a new tenant, in the transaction that makes it.
pub(crate) async fn announce_created(tx: &mut TenantTx, tenant: &Tenant) -> Result<()> {
    let data = webhooks::tenant_data(tenant);
    webhooks::emit(tx.platform(), EventType::TenantCreated, data).await
}

/// The public profile of an active tenant (PRODUCT.md §3); inactive ones are not found.
pub async fn public_profile(db: &Db, slug: &Slug) -> Result<Tenant> {
    let mut tx = db.begin(Access::Read).await?;
    let found = repository::find_by_slug(&mut tx, slug).await?;
    tx.rollback().await?;
    found
        .filter(|tenant| tenant.status == TenantStatus::Active)
        .ok_or(Error::NotFound)
}
