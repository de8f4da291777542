//! Audited impersonation (PRODUCT.md §8): a super admin acts as one of a tenant's admins, on
//! that tenant's portal, for at most [`LIFETIME`].
//!
//! [`start`] writes an `impersonations` row and issues a single-use handoff token bound to
//! it; the portal's `/auth/impersonate` [`redeem`]s it and starts a session whose user is the
//! super admin, naming the row (the admin's "log out everywhere" ends it too). Every request
//! checks the row afresh ([`authenticate`]: not ended, not expired, the admin still an active
//! super admin) and acts as the member through [`Principal::impersonated`]: the member's
//! rights in their tenants and none of the platform's, and every entry in the tenant's audit
//! log recorded as the admin's, on behalf of the member. The server refuses account actions
//! (password, sessions, other workspaces) to such a session; [`end`] closes the row.

use chrono::{DateTime, Duration, SubsecRound as _, Utc};

use super::link_tokens::Purpose;
use super::login::{active_principal, active_principal_in, Authenticated};
use super::sessions::SessionAuth;
use super::{Client, Seals};
use crate::audit::{self, Action, Event};
use crate::db::{query, Access, Db, TenantTx, Tx};
use crate::tenancy::{AdminScope, ImpersonationId, Principal, Role, SystemScope, TenantId, UserId};
use crate::tenants::{repository as tenants, TenantStatus};
use crate::values::Slug;
use crate::{members, users, AppContext, Error, Result};

/// How long one impersonation may last.
pub const LIFETIME: Duration = Duration::minutes(30);

/// The portal path that redeems the token [`start`] issues.
pub const PATH: &str = "/auth/impersonate";

/// A running impersonation, as the banner on every page of it shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Impersonation {
    pub id: ImpersonationId,
    pub admin: UserId,
    pub admin_email: String,
    pub tenant: TenantId,
    pub expires_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct Row {
    admin_id: UserId,
    tenant: TenantId,
    member_id: UserId,
    expires_at: DateTime<Utc>,
    ended_at: Option<DateTime<Utc>>,
    seal: Option<String>,
}

const SEALED_TABLE: &str = "impersonations";

/// What an impersonation's seal covers: who acts as whom, where, until when.
fn sealed_fields(
    id: ImpersonationId,
    admin: UserId,
    tenant: TenantId,
    member: UserId,
    expires_at: DateTime<Utc>,
) -> [String; 5] {
    [
        id.to_string(),
        admin.to_string(),
        tenant.to_string(),
        member.to_string(),
        expires_at.timestamp().to_string(),
    ]
}

fn seal(seals: &Seals, fields: &[String; 5]) -> String {
    seals.seal(SEALED_TABLE, &fields.each_ref().map(String::as_str))
}

impl Row {
    /// Whether the server wrote this row (the database role alone cannot seal one).
    fn sealed(&self, seals: &Seals, id: ImpersonationId) -> bool {
        let fields = sealed_fields(
            id,
            self.admin_id,
            self.tenant,
            self.member_id,
            self.expires_at,
        );
        let fields = fields.each_ref().map(String::as_str);
        seals.verify(SEALED_TABLE, &fields, self.seal.as_deref())
    }

    fn running(&self, admin: UserId, now: DateTime<Utc>) -> bool {
        self.admin_id == admin && self.ended_at.is_none() && now < self.expires_at
    }
}

/// A token is bound to its impersonation, so that neither a plain handoff token (bound to a
/// tenant) nor another impersonation's id redeems it.
fn binding(id: ImpersonationId) -> String {
    format!("impersonation:{id}")
}

/// Starts `by`'s impersonation of `member`, an active admin of the active `tenant`, and
/// answers the portal address that opens it. Any earlier impersonation of the same super
/// admin ends: one at a time.
pub async fn start(
    ctx: &AppContext,
    by: &AdminScope,
    tenant: TenantId,
    member: UserId,
    client: &Client,
) -> Result<String> {
    let mut tx = by.tenant(tenant).begin(&ctx.db, Access::Write).await?;
    let found = tenants::find_by_id(tx.platform(), tenant)
        .await?
        .ok_or(Error::NotFound)?;
    if found.status != TenantStatus::Active {
        return Err(Error::TenantInactive);
    }
    let email = tenant_admin_email(&mut tx, member).await?;
    let id = ImpersonationId::new();
    let now = Utc::now().trunc_subsecs(0);
    let sql = "UPDATE impersonations SET ended_at = $2 WHERE admin_id = $1 AND ended_at IS NULL";
    query::execute!(tx, sql, by.user_id(), now)?;
    let expires_at = now + LIFETIME;
    let seal = seal(
        &ctx.seals,
        &sealed_fields(id, by.user_id(), tenant, member, expires_at),
    );
    let sql = "INSERT INTO impersonations (id, admin_id, tenant, member_id, started_at,
                                           expires_at, seal)
               VALUES ($1, $2, $3, $4, $5, $6, $7)";
    query::execute!(
        tx,
        sql,
        id,
        by.user_id(),
        tenant,
        member,
        now,
        expires_at,
        &seal
    )?;
    let detail = serde_json::json!({ "tenant": tenant, "member": member, "impersonation": id });
    record(
        &mut tx,
        Action::ImpersonationStarted,
        by.user_id(),
        &email,
        client,
        detail,
    )
    .await?;
    tx.commit().await?;
    let token = ctx
        .link_tokens
        .issue_bound(&ctx.db, Purpose::Handoff, by.user_id(), &binding(id))
        .await?;
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("id", &id.to_string())
        .append_pair("token", &token)
        .finish();
    Ok(ctx.links.tenant(&found.slug, &format!("{PATH}?{query}")))
}

/// The address of `member` if they are an active admin of the transaction's tenant: only
/// tenant admins may be impersonated.
async fn tenant_admin_email(tx: &mut TenantTx, member: UserId) -> Result<String> {
    let refused = || Error::invalid("member", "Choose one of this workspace's active admins.");
    let membership = members::repository::find(tx, member)
        .await?
        .filter(|m| m.is_active && m.role == Role::TenantAdmin)
        .ok_or_else(refused)?;
    let user = users::repository::find_by_id(tx.platform(), membership.user_id)
        .await?
        .filter(|u| u.is_active)
        .ok_or_else(refused)?;
    Ok(user.email.to_string())
}

/// Records `action` in the tenant's log and the platform's, as `admin`'s, about the member.
async fn record(
    tx: &mut TenantTx,
    action: Action,
    admin: UserId,
    member_email: &str,
    client: &Client,
    detail: serde_json::Value,
) -> Result<()> {
    let event = Event::new(action, Some(admin), Some(client.ip))
        .about(member_email)
        .detail(detail);
    audit::tenant(tx, &event).await?;
    audit::platform(tx.platform(), &event).await
}

/// The impersonation `id`, if the server wrote it.
async fn find(db: &Db, seals: &Seals, id: ImpersonationId) -> Result<Option<Row>> {
    let mut tx = db.begin(Access::Read).await?;
    let row = find_in(&mut tx, seals, id).await?;
    tx.rollback().await?;
    Ok(row)
}

async fn find_in(tx: &mut Tx, seals: &Seals, id: ImpersonationId) -> Result<Option<Row>> {
    let sql = "SELECT admin_id, tenant, member_id, expires_at, ended_at, seal
                 FROM impersonations WHERE id = $1";
    let row: Option<Row> = query::optional!(tx, sql, id)?;
    Ok(row.filter(|row| row.sealed(seals, id)))
}

/// Redeems the token of [`start`] on the portal of `portal`: the session to start there. A
/// used, expired or foreign token, or an impersonation that ended, is `NotFound`.
pub async fn redeem(ctx: &AppContext, portal: &Slug, id: &str, token: &str) -> Result<SessionAuth> {
    let id: ImpersonationId = id.parse().map_err(|_| Error::NotFound)?;
    let admin = ctx
        .link_tokens
        .redeem_bound(&ctx.db, Purpose::Handoff, token, &binding(id))
        .await?;
    let row = find(&ctx.db, &ctx.seals, id)
        .await?
        .filter(|row| row.running(admin, Utc::now()))
        .ok_or(Error::NotFound)?;
    let (_, admin) = active_principal(&ctx.db, admin)
        .await?
        .ok_or(Error::NotFound)?;
    let mut tx = ctx.db.begin(Access::Read).await?;
    let tenant = tenants::find_by_id(&mut tx, row.tenant).await?;
    tx.rollback().await?;
    match tenant {
        Some(tenant) if tenant.slug == *portal => {
            Ok(SessionAuth::impersonating(&admin, row.tenant, id))
        }
        _ => Err(Error::NotFound),
    }
}

/// The caller a session started by [`redeem`] acts as: the member, while the impersonation
/// runs and its super admin is still an active super admin; else nobody (signed out).
pub(crate) async fn authenticate(
    tx: &mut Tx,
    seals: &Seals,
    session: &SessionAuth,
    id: ImpersonationId,
) -> Result<Option<Authenticated>> {
    let admin = session.user();
    let Some(row) = find_in(tx, seals, id).await? else {
        return Ok(None);
    };
    if !row.running(admin, Utc::now()) {
        return Ok(None);
    }
    let Some((by, admin_user)) = active_principal_in(tx, admin).await? else {
        return Ok(None);
    };
    if !by.is_super_admin() || session.ended_for(&admin_user) {
        return Ok(None);
    }
    Ok(active_principal_in(tx, row.member_id)
        .await?
        .map(|(_, member)| Authenticated {
            principal: Principal::impersonated(member.id, admin, row.tenant),
            user: member,
            tenant: Some(row.tenant),
            impersonation: Some(Impersonation {
                id,
                admin,
                admin_email: admin_user.email.to_string(),
                tenant: row.tenant,
                expires_at: row.expires_at,
            }),
        }))
}

/// Ends the impersonation `caller` is acting in (the banner's button, or signing out of
/// it), recorded like its start; answers its tenant. `NotFound` for anyone not
/// impersonating.
pub async fn end(db: &Db, caller: &Authenticated, client: &Client) -> Result<TenantId> {
    let running = caller.impersonation.as_ref().ok_or(Error::NotFound)?;
    // The admin acts here, on no member's behalf: a job's scope on the tenant, with the
    // admin named as the actor.
    let scope = SystemScope::new().tenant(running.tenant);
    let mut tx = db.begin_tenant(&scope, Access::Write).await?;
    let sql = "UPDATE impersonations SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL";
    let ended = query::execute!(tx, sql, running.id, Utc::now().trunc_subsecs(0))?;
    if ended == 1 {
        let detail = serde_json::json!({ "tenant": running.tenant, "impersonation": running.id });
        let email = caller.user.email.to_string();
        record(
            &mut tx,
            Action::ImpersonationEnded,
            running.admin,
            &email,
            client,
            detail,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(running.tenant)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::tenancy::TenantScope;
    use crate::testing::{fixtures, TestDb, TestTenant};

    db_test! {
        async fn an_impersonation_reaches_its_own_tenant_only(db: TestDb) {
            let salon = TestTenant::new("salon").create(&db).await;
            let spa = TestTenant::new("spa").create(&db).await;
            // The salon's admin is also a member of the spa.
            fixtures::add_member(&db, "spa", salon.admin.id, Role::TenantAdmin).await;
            let root = fixtures::super_admin(&db).await;
            let acting = Principal::impersonated(salon.admin.id, root.user_id(), salon.tenant.id);

            let scope = TenantScope::resolve(&db, &acting, salon.tenant.id).await.unwrap();
            assert_eq!((scope.user_id(), scope.impersonator()), (Some(salon.admin.id), Some(root.user_id())));
            let other = TenantScope::resolve(&db, &acting, spa.tenant.id).await;
            assert!(matches!(other, Err(Error::TenantMismatch)), "{other:?}");
            // The member themselves still reaches both.
            TenantScope::resolve(&db, &salon.admin_principal(), spa.tenant.id).await.unwrap();
        }
    }
}
