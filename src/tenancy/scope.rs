//! Scopes: proof that an actor may act, made only here.
//!
//! - [`Principal`]: who is making a request, made only by the code that authenticates.
//! - [`TenantScope`]: the right to act within one tenant. The only way to open a transaction
//!   on tenant data. Made by [`TenantScope::resolve`] for members (the IDOR check every
//!   request passes) and by named constructors for the flows where the actor is not a member
//!   yet, each saying why it exists.
//! - [`AdminScope`]: a super admin's platform-level actions.
//! - [`SystemScope`]: background jobs, which act for no person.
//!
//! Code outside the core can make none of these itself, nor open a transaction (these
//! examples are compiled as an outside crate by `cargo test --doc`, and must fail):
//!
//! ```compile_fail,E0451
//! let forged = oikos::tenancy::Principal { user_id: oikos::tenancy::UserId::new(), is_super_admin: true, impersonation: None };
//! ```
//! ```compile_fail,E0624
//! let forged = oikos::tenancy::Principal::authenticated(oikos::tenancy::UserId::new(), true);
//! ```
//! ```compile_fail,E0624
//! let scope = oikos::tenancy::TenantScope::for_new_tenant(oikos::tenancy::TenantId::new());
//! ```
//! ```compile_fail,E0624
//! let job = oikos::tenancy::SystemScope::new();
//! ```
//! ```compile_fail,E0624
//! async fn open(db: oikos::db::Db, scope: oikos::tenancy::TenantScope) {
//!     let _ = scope.begin(&db, todo!()).await;
//! }
//! ```
//! ```compile_fail,E0603
//! fn raw(tx: oikos::db::Tx) {}
//! ```
//! ```compile_fail,E0603
//! use oikos::tenants::repository;
//! ```
//! The public path does compile: resolving a scope from a principal the core made.
//! ```
//! async fn members(db: &oikos::db::Db, who: &oikos::tenancy::Principal, tenant: oikos::tenancy::TenantId) -> oikos::Result<i64> {
//!     let scope = oikos::tenancy::TenantScope::resolve(db, who, tenant).await?;
//!     let (_, total) = oikos::members::service::list(db, &scope, &Default::default()).await?;
//!     Ok(total)
//! }
//! ```

use crate::db::{Access, Db, TenantTx, Tx};
use crate::members;
use crate::tenancy::{OutletId, Permission, Role, TenantId, UserId};
use crate::tenants::{self, Tenant, TenantStatus};
use crate::values::Slug;
use crate::{Error, Result};

/// An authenticated user. Fields are private and only the core (the code that checks a
/// session or a token) can make one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    user_id: UserId,
    is_super_admin: bool,
    /// The super admin acting as this member, and the one tenant they act in (see
    /// `identity::impersonation`), if one is.
    impersonation: Option<(UserId, TenantId)>,
}

impl Principal {
    /// Only for code that has just verified the user's credentials, session or token
    /// (sign-in arrives with the identity work; until then the fixtures are the only callers).
    #[cfg_attr(not(any(test, feature = "testing")), allow(dead_code))]
    pub(crate) fn authenticated(user_id: UserId, is_super_admin: bool) -> Self {
        Principal {
            user_id,
            is_super_admin,
            impersonation: None,
        }
    }

    /// `member`, as the super admin `admin` acts as them in `tenant`: with the member's
    /// rights there and nowhere else (not in the member's other workspaces, never the
    /// platform's), and every audited action recorded as the admin's.
    pub(crate) fn impersonated(member: UserId, admin: UserId, tenant: TenantId) -> Self {
        Principal {
            user_id: member,
            is_super_admin: false,
            impersonation: Some((admin, tenant)),
        }
    }

    /// The super admin acting as this member, during an impersonation.
    pub fn impersonator(&self) -> Option<UserId> {
        self.impersonation.map(|(admin, _)| admin)
    }

    pub fn user_id(&self) -> UserId {
        self.user_id
    }

    pub fn is_super_admin(&self) -> bool {
        self.is_super_admin
    }
}

/// An impersonation reaches its own tenant only, whatever else the member belongs to.
fn only_the_impersonated_tenant(principal: &Principal, tenant: TenantId) -> Result<()> {
    match principal.impersonation {
        Some((_, only)) if only != tenant => Err(Error::TenantMismatch),
        _ => Ok(()),
    }
}

/// Why a scope exists; decides what [`TenantScope::require`] allows.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Actor {
    /// An active member of an active tenant, with their role; `impersonator` is the super
    /// admin acting as them, if one is.
    Member {
        user_id: UserId,
        role: Role,
        impersonator: Option<UserId>,
    },
    /// The tenant is being created in this very transaction (registration, provisioning).
    Founder,
    /// A super admin acting on a tenant through the super-admin endpoints.
    Admin { user_id: UserId },
    /// A partner's API key, through the provisioning API.
    Partner,
    /// A background job (erasure after the grace period, mail delivery).
    System,
}

/// The right to act within one tenant. Fields are private; see the constructors.
#[derive(Clone, Debug)]
pub struct TenantScope {
    tenant_id: TenantId,
    actor: Actor,
    outlet_ids: Vec<OutletId>,
}

impl TenantScope {
    /// Resolves `principal`'s scope in `tenant`.
    ///
    /// Unknown tenant: `NotFound`. Not an active member: `TenantMismatch`. Inactive tenant:
    /// `TenantInactive` (checked after membership, so outsiders learn nothing about it).
    pub async fn resolve(db: &Db, principal: &Principal, tenant: TenantId) -> Result<Self> {
        let (scope, tx) = Self::resolve_in(db, principal, tenant, Access::Read).await?;
        tx.rollback().await?;
        Ok(scope)
    }

    /// Like [`TenantScope::resolve`], and hands back the transaction it checked in, so a
    /// service does its work in the same transaction (one less round trip, no gap).
    pub(crate) async fn resolve_in(
        db: &Db,
        principal: &Principal,
        tenant: TenantId,
        access: Access,
    ) -> Result<(Self, TenantTx)> {
        only_the_impersonated_tenant(principal, tenant)?;
        // Not yet a member's scope: the transaction is opened to check the membership.
        let checking = SystemScope::new().tenant(tenant);
        let mut tx = db.begin_tenant(&checking, access).await?;
        let found = tenants::repository::find_by_id(tx.platform(), tenant)
            .await?
            .ok_or(Error::NotFound)?;
        let scope = Self::of_member(&mut tx, principal, &found).await?;
        Ok((scope, tx))
    }

    /// Like [`TenantScope::resolve`] for the tenant called `slug` (a portal's), found in the
    /// same transaction: one transaction from a portal's name to the caller's scope there.
    pub(crate) async fn resolve_slug(db: &Db, principal: &Principal, slug: &Slug) -> Result<Self> {
        let mut tx = db.begin(Access::Read).await?;
        let found = tenants::repository::find_by_slug(&mut tx, slug)
            .await?
            .ok_or(Error::NotFound)?;
        let checking = SystemScope::new().tenant(found.id);
        let mut tx = db.enter_tenant(tx, &checking, Access::Read).await?;
        let scope = Self::of_member(&mut tx, principal, &found).await?;
        tx.rollback().await?;
        Ok(scope)
    }

    /// `principal`'s scope in `tenant`, read in `tx` (entered into it): `TenantMismatch` for
    /// anyone who is not an active member, then `TenantInactive` (so outsiders learn nothing
    /// of its state).
    pub(super) async fn of_member(
        tx: &mut TenantTx,
        principal: &Principal,
        tenant: &Tenant,
    ) -> Result<Self> {
        only_the_impersonated_tenant(principal, tenant.id)?;
        let standing = members::repository::standing(tx, principal.user_id)
            .await?
            .filter(|standing| standing.is_active)
            .ok_or(Error::TenantMismatch)?;
        if tenant.status != TenantStatus::Active {
            return Err(Error::TenantInactive);
        }
        Ok(TenantScope {
            tenant_id: tenant.id,
            actor: Actor::Member {
                user_id: principal.user_id,
                role: standing.role,
                impersonator: principal.impersonator(),
            },
            outlet_ids: standing.outlets,
        })
    }

    /// For creating a tenant together with its first admin: nobody is a member yet.
    pub(crate) fn for_new_tenant(tenant: TenantId) -> Self {
        TenantScope {
            tenant_id: tenant,
            actor: Actor::Founder,
            outlet_ids: Vec::new(),
        }
    }

    /// A partner acting on `tenant` through the provisioning API (its key's scopes were
    /// checked, and that it reaches the tenant: `partners::provisioning::reachable`).
    pub(crate) fn for_partner(tenant: TenantId) -> Self {
        TenantScope {
            tenant_id: tenant,
            actor: Actor::Partner,
            outlet_ids: Vec::new(),
        }
    }

    pub fn tenant_id(&self) -> TenantId {
        self.tenant_id
    }

    /// The member acting, if a member is acting.
    pub fn user_id(&self) -> Option<UserId> {
        match self.actor {
            Actor::Member { user_id, .. } | Actor::Admin { user_id } => Some(user_id),
            Actor::Founder | Actor::Partner | Actor::System => None,
        }
    }

    /// The super admin acting as the member, during an impersonation: the audit log records
    /// them as the actor, on behalf of the member.
    pub fn impersonator(&self) -> Option<UserId> {
        match self.actor {
            Actor::Member { impersonator, .. } => impersonator,
            _ => None,
        }
    }

    /// The member's role; super admins, founders and jobs act with every permission.
    pub fn role(&self) -> Role {
        match self.actor {
            Actor::Member { role, .. } => role,
            Actor::Founder | Actor::Admin { .. } | Actor::Partner | Actor::System => {
                Role::TenantAdmin
            }
        }
    }

    /// The member's assigned outlets.
    pub fn outlet_ids(&self) -> &[OutletId] {
        &self.outlet_ids
    }

    /// An OUTLET_MANAGER acts only on their assigned outlets (never on what is tenant-wide,
    /// `None`); every other role's permissions hold across the tenant.
    pub fn require_outlet(&self, outlet: Option<OutletId>) -> Result<()> {
        match (self.role(), outlet) {
            (Role::OutletManager, Some(id)) if self.outlet_ids.contains(&id) => Ok(()),
            (Role::OutletManager, _) => Err(Error::Forbidden),
            _ => Ok(()),
        }
    }

    /// The first line of every service operation: `scope.require(Permission::…)?`.
    pub fn require(&self, permission: Permission) -> Result<()> {
        if permission.allowed_for(self.role()) {
            Ok(())
        } else {
            Err(Error::Forbidden)
        }
    }

    /// A transaction on this tenant's data: the only way to open one.
    pub(crate) async fn begin(&self, db: &Db, access: Access) -> Result<TenantTx> {
        db.begin_tenant(self, access).await
    }

    /// A platform transaction, after its platform reads, turned into one on this tenant's
    /// data (the same round trips as [`TenantScope::begin`], the platform reads included).
    pub(crate) async fn enter(&self, db: &Db, tx: Tx, access: Access) -> Result<TenantTx> {
        db.enter_tenant(tx, self, access).await
    }
}

/// A super admin's right to act on the platform. Made only from a super admin's principal.
#[derive(Clone, Debug)]
pub struct AdminScope {
    user_id: UserId,
}

impl AdminScope {
    /// Super admins only; everyone else gets `NotFound`, so the admin surface stays hidden.
    pub fn resolve(principal: &Principal) -> Result<Self> {
        if principal.is_super_admin {
            Ok(AdminScope {
                user_id: principal.user_id,
            })
        } else {
            Err(Error::NotFound)
        }
    }

    pub fn user_id(&self) -> UserId {
        self.user_id
    }

    /// Acting on one tenant through a super-admin endpoint (never an unfiltered query).
    pub fn tenant(&self, tenant: TenantId) -> TenantScope {
        TenantScope {
            tenant_id: tenant,
            actor: Actor::Admin {
                user_id: self.user_id,
            },
            outlet_ids: Vec::new(),
        }
    }
}

/// Background jobs: they act for nobody, on the tenants the job's own rows name.
#[derive(Clone, Debug)]
pub struct SystemScope(());

impl SystemScope {
    pub(crate) fn new() -> Self {
        SystemScope(())
    }

    pub(crate) fn tenant(&self, tenant: TenantId) -> TenantScope {
        TenantScope {
            tenant_id: tenant,
            actor: Actor::System,
            outlet_ids: Vec::new(),
        }
    }
}
