//! What can be done with a tenant's members (PRODUCT.md §6). Everything here acts on the
//! membership (role, position, outlets, active) and never on the user's global account,
//! which may belong to other tenants too. A tenant always keeps one active TENANT_ADMIN: a
//! tenant's write transactions take turns, so two concurrent demotions cannot both pass.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::audit::{self, Action, Event};
use crate::db::{query, Access, Db, TenantTx};
use crate::error::FieldCheck;
use crate::identity::{accounts, sessions};
use crate::members::repository;
use crate::tenancy::{OutletId, Permission, Role, TenantScope, UserId};
use crate::tenants::fields::limited;
use crate::users::repository as users;
use crate::values::page::{like_pattern, search_term, Page};
use crate::{AppContext, Error, Result};

/// A member as the members page and `GET /api/v1/users` show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct Member {
    #[serde(rename = "id")]
    pub user_id: UserId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    pub position: Option<String>,
    #[sqlx(skip)]
    pub outlet_ids: Vec<OutletId>,
    pub is_active: bool,
    #[serde(rename = "joined_at")]
    pub created_at: DateTime<Utc>,
}

/// A search of the members page and `GET /api/v1/users` (`skip`, `limit`, `q`, `role`).
#[derive(Clone, Debug)]
pub struct MemberQuery {
    pub page: Page,
    /// Part of the name or the email address (already trimmed, not empty).
    pub q: Option<String>,
    pub role: Option<Role>,
}

impl Default for MemberQuery {
    fn default() -> Self {
        MemberQuery {
            page: Page {
                skip: 0,
                limit: Self::DEFAULT_LIMIT,
            },
            q: None,
            role: None,
        }
    }
}

impl MemberQuery {
    pub const DEFAULT_LIMIT: i64 = 50;
    pub const MAX_LIMIT: i64 = 200;

    /// Checks the parameters as sent; every wrong one is named.
    pub fn parse(
        skip: Option<i64>,
        limit: Option<i64>,
        q: Option<String>,
        role: Option<&str>,
    ) -> Result<Self> {
        let mut check = FieldCheck::new();
        let page = Page::parse(
            skip,
            limit,
            Self::DEFAULT_LIMIT,
            Self::MAX_LIMIT,
            &mut check,
        );
        let role = match role.map(str::trim).filter(|r| !r.is_empty()) {
            None => None,
            Some(role) => check.field("role", role.parse::<Role>().map_err(|_| "Not a role.")),
        };
        check.finish()?;
        Ok(MemberQuery {
            page,
            q: search_term(q),
            role,
        })
    }
}

/// A partial update (`PUT /api/v1/users/{id}`): absent fields stay; an empty position is
/// cleared; `outlet_ids` replaces the assignment.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct MemberPatch {
    pub role: Option<String>,
    pub position: Option<String>,
    pub outlet_ids: Option<Vec<OutletId>>,
    pub is_active: Option<bool>,
}

macro_rules! member_sql {
    ($select:expr $(, $tail:expr)*) => {
        concat!(
            "SELECT ",
            $select,
            " FROM memberships m JOIN users u ON u.id = m.user_id
             WHERE m.tenant_id = $1 "
            $(, $tail)*
        )
    };
}

macro_rules! member_columns {
    () => {
        "m.user_id, u.email, u.first_name, u.last_name, m.role, m.position, m.is_active, \
         m.created_at"
    };
}

macro_rules! list_filter {
    () => {
        "AND ($2 IS NULL OR lower(u.email) LIKE $2 ESCAPE '\\'
              OR lower(u.first_name || ' ' || u.last_name) LIKE $2 ESCAPE '\\')
         AND ($3 IS NULL OR m.role = $3)"
    };
}

/// One page of the tenant's members (oldest first) and how many match in all.
pub async fn list(db: &Db, scope: &TenantScope, query: &MemberQuery) -> Result<(Vec<Member>, i64)> {
    scope.require(Permission::ViewMembers)?;
    let mut tx = scope.begin(db, Access::Read).await?;
    let tenant = tx.tenant_id();
    let pattern = query.q.as_deref().map(like_pattern);
    let role = query.role.map(Role::as_str);
    let sql = member_sql!(
        member_columns!(),
        list_filter!(),
        " ORDER BY m.created_at, m.user_id LIMIT $4 OFFSET $5"
    );
    let (limit, skip) = (query.page.limit, query.page.skip);
    let mut members: Vec<Member> = query::all!(tx, sql, tenant, &pattern, role, limit, skip)?;
    let sql = member_sql!("count(*)", list_filter!());
    let total: i64 = query::scalar!(tx, sql, tenant, &pattern, role)?;
    for member in &mut members {
        member.outlet_ids = repository::outlets(&mut tx, member.user_id).await?;
    }
    tx.rollback().await?;
    Ok((members, total))
}

/// One member of the tenant; anyone else is `NotFound`.
pub async fn get(db: &Db, scope: &TenantScope, user: UserId) -> Result<Member> {
    scope.require(Permission::ViewMembers)?;
    let mut tx = scope.begin(db, Access::Read).await?;
    let member = find(&mut tx, user).await?;
    tx.rollback().await?;
    Ok(member)
}

async fn find(tx: &mut TenantTx, user: UserId) -> Result<Member> {
    let sql = member_sql!(member_columns!(), "AND m.user_id = $2");
    let tenant = tx.tenant_id();
    let member: Option<Member> = query::optional!(tx, sql, tenant, user)?;
    let mut member = member.ok_or(Error::NotFound)?;
    member.outlet_ids = repository::outlets(tx, user).await?;
    Ok(member)
}

/// Changes a membership. Nobody grants a role above their own or changes their own role;
/// the last active admin can be neither demoted nor deactivated (`LastAdmin`). A role
/// change rotates the member's browser sessions (each gets a new id on its next request,
/// which acts under the new role: roles are read afresh on every request); a deactivation
/// ends them.
pub async fn update(
    db: &Db,
    scope: &TenantScope,
    user: UserId,
    patch: &MemberPatch,
) -> Result<Member> {
    scope.require(Permission::ManageMembers)?;
    let (role, position) = parse(patch)?;
    if role.is_some_and(|role| !scope.role().can_grant(role)) {
        return Err(Error::Forbidden);
    }
    let outlets = match &patch.outlet_ids {
        Some(ids) => Some(allowed_outlets(scope, ids)?),
        None => None,
    };
    let mut tx = scope.begin(db, Access::Write).await?;
    let before = find(&mut tx, user).await?;
    let role = role.unwrap_or(before.role);
    let is_active = patch.is_active.unwrap_or(before.is_active);
    let demoted = before.role == Role::TenantAdmin && (role != Role::TenantAdmin || !is_active);
    if scope.user_id() == Some(user) && (role != before.role || !is_active) {
        // Your own role and access change only through another admin.
        return Err(Error::Forbidden);
    }
    if demoted && before.is_active {
        ensure_another_admin(&mut tx, user).await?;
    }
    repository::update(&mut tx, user, role, is_active).await?;
    if patch.position.is_some() {
        repository::set_details(&mut tx, user, position.as_deref()).await?;
    }
    if let Some(outlets) = &outlets {
        check_outlets(&mut tx, outlets).await?;
        repository::set_outlets(&mut tx, user, outlets).await?;
    }
    // A new role needs no new session: roles are read on every request.
    if is_active != before.is_active {
        sessions::end_all_in(tx.platform(), user).await?;
    }
    let event = Event::new(Action::MemberUpdated, scope.user_id(), None)
        .about(before.email.clone())
        .detail(serde_json::json!({
            "role": role, "was": before.role, "is_active": is_active,
        }));
    audit::tenant(&mut tx, &event).await?;
    let member = find(&mut tx, user).await?;
    tx.commit().await?;
    Ok(member)
}

/// Removes a membership (the account stays, with its other workspaces).
pub async fn remove(db: &Db, scope: &TenantScope, user: UserId) -> Result<()> {
    scope.require(Permission::ManageMembers)?;
    if scope.user_id() == Some(user) {
        return Err(Error::Forbidden);
    }
    let mut tx = scope.begin(db, Access::Write).await?;
    let member = find(&mut tx, user).await?;
    if !scope.role().can_grant(member.role) {
        return Err(Error::Forbidden);
    }
    if member.role == Role::TenantAdmin && member.is_active {
        ensure_another_admin(&mut tx, user).await?;
    }
    repository::delete(&mut tx, user).await?;
    sessions::end_all_in(tx.platform(), user).await?;
    let event = Event::new(Action::MemberRemoved, scope.user_id(), None).about(member.email);
    audit::tenant(&mut tx, &event).await?;
    tx.commit().await
}

/// Mails the member a password-reset link (their own account decides; nothing changes
/// until they use it).
pub async fn send_password_reset(
    ctx: &AppContext,
    scope: &TenantScope,
    user: UserId,
) -> Result<()> {
    scope.require(Permission::ManageMembers)?;
    let mut tx = scope.begin(&ctx.db, Access::Write).await?;
    let member = find(&mut tx, user).await?;
    let account = users::find_by_id(tx.platform(), member.user_id)
        .await?
        .ok_or(Error::NotFound)?;
    accounts::send_reset_in(ctx, tx.platform(), &account).await?;
    let event =
        Event::new(Action::PasswordResetRequested, scope.user_id(), None).about(member.email);
    audit::tenant(&mut tx, &event).await?;
    tx.commit().await?;
    ctx.mail.wake();
    Ok(())
}

/// `LastAdmin` unless an active TENANT_ADMIN other than `leaving` stays (read inside the
/// tenant's write transaction, which concurrent writers of the tenant wait for).
async fn ensure_another_admin(tx: &mut TenantTx, leaving: UserId) -> Result<()> {
    let sql = "SELECT count(*) FROM memberships
                WHERE tenant_id = $1 AND role = 'TENANT_ADMIN' AND is_active AND user_id <> $2";
    let tenant = tx.tenant_id();
    let others: i64 = query::scalar!(tx, sql, tenant, leaving)?;
    if others > 0 {
        Ok(())
    } else {
        Err(Error::LastAdmin)
    }
}

/// The outlets `scope` may assign: any for a TENANT_ADMIN, only their own for an
/// OUTLET_MANAGER (others are `Forbidden`).
pub(crate) fn allowed_outlets(scope: &TenantScope, ids: &[OutletId]) -> Result<Vec<OutletId>> {
    let mut ids = ids.to_vec();
    ids.sort();
    ids.dedup();
    if scope.role() == Role::OutletManager {
        if ids.is_empty() {
            return Err(Error::invalid(
                "outlet_ids",
                "Choose at least one of your outlets.",
            ));
        }
        for id in &ids {
            scope.require_outlet(Some(*id))?;
        }
    }
    Ok(ids)
}

/// Whether `scope` acts on what is assigned to `outlets` (none: every outlet): a
/// TENANT_ADMIN on everything, an OUTLET_MANAGER only when each of them is one of theirs, so
/// never on what covers the whole tenant.
pub(crate) fn reaches_outlets(scope: &TenantScope, outlets: &[OutletId]) -> bool {
    if outlets.is_empty() {
        return scope.require_outlet(None).is_ok();
    }
    outlets
        .iter()
        .all(|id| scope.require_outlet(Some(*id)).is_ok())
}

/// Every outlet exists in the transaction's tenant, or `Invalid` on `outlet_ids`.
pub(crate) async fn check_outlets(tx: &mut TenantTx, ids: &[OutletId]) -> Result<()> {
    let sql = "SELECT count(*) FROM outlets WHERE tenant_id = $1 AND id = $2";
    let tenant = tx.tenant_id();
    for id in ids {
        let found: i64 = query::scalar!(tx, sql, tenant, *id)?;
        if found == 0 {
            return Err(Error::invalid(
                "outlet_ids",
                "Choose outlets of this workspace.",
            ));
        }
    }
    Ok(())
}

fn parse(patch: &MemberPatch) -> Result<(Option<Role>, Option<String>)> {
    let mut check = FieldCheck::new();
    let role = match patch.role.as_deref() {
        Some(role) => check.field(
            "role",
            role.trim().parse::<Role>().map_err(|_| "Choose a role."),
        ),
        None => None,
    };
    let position = check
        .field(
            "position",
            limited(&patch.position, 100, "This is too long."),
        )
        .flatten();
    check.finish()?;
    Ok((role, position))
}
