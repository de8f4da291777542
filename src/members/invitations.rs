//! Invitations (PRODUCT.md §6): a TENANT_ADMIN or OUTLET_MANAGER invites an address with a
//! role (never above their own), a position and outlets; the mail carries a single-use link
//! valid seven days. The token starts with the tenant's id, so the link is read inside that
//! tenant's scope (row-level security holds for the invitee too), and only its HMAC is kept.
//! Accepting makes the membership: a new account sets its name and password (the link
//! proves the address), an existing one must be signed in with the invited address.
//!
//! An OUTLET_MANAGER sees, resends and revokes only invitations to their own outlets (others
//! are `NotFound` to them). Invitation mails, new and resent, are throttled before anything
//! is written: [`PER_ADDRESS`] to one address across every workspace, [`PER_WORKSPACE`] from
//! one workspace.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::audit::{self, Action, Event};
use crate::db::{query, Access, TenantTx};
use crate::error::FieldCheck;
use crate::identity::login::{self, Credentials};
use crate::identity::sessions::SessionAuth;
use crate::identity::Client;
use crate::mail::{outbox, templates};
use crate::members::service::reaches_outlets;
use crate::members::{repository, staff_limit};
use crate::rate_limits::{self, Limit};
use crate::tenancy::{
    InvitationId, OutletId, Permission, Principal, Role, SystemScope, TenantId, TenantScope, UserId,
};
use crate::tenants::{self, TenantStatus};
use crate::users::{repository as users, NewUser, User};
use crate::values::{Email, Password};
use crate::{AppContext, Error, Result};

/// How long an invitation link works.
pub const LIFETIME: Duration = Duration::days(7);

/// Invitation mails (new and resent) to one address, from every workspace together.
pub const PER_ADDRESS: Limit = Limit {
    hits: 5,
    window: std::time::Duration::from_secs(60 * 60),
};

/// Invitation mails (new and resent) from one workspace.
pub const PER_WORKSPACE: Limit = Limit {
    hits: 50,
    window: std::time::Duration::from_secs(24 * 60 * 60),
};

/// The HMAC label of invitation tokens (see [`crate::identity::link_tokens::LinkTokens::hashes`]).
const TOKEN_LABEL: &str = "invitation";

/// Why an invitation's link no longer works.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Closed {
    Used,
    Revoked,
    Expired,
}

impl Closed {
    /// The error code clients match on.
    pub fn code(self) -> &'static str {
        match self {
            Closed::Used => "invitation_used",
            Closed::Revoked => "invitation_revoked",
            Closed::Expired => "invitation_expired",
        }
    }
}

impl std::fmt::Display for Closed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Closed::Used => "was used already",
            Closed::Revoked => "was withdrawn",
            Closed::Expired => "has expired: ask for a new one",
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Revoked,
    Expired,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Invitation {
    pub id: InvitationId,
    pub email: String,
    pub role: Role,
    pub position: Option<String>,
    pub outlet_ids: Vec<OutletId>,
    pub invited_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub status: InvitationStatus,
}

/// What an invitation asks for (`POST /api/v1/invitations`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct InvitationInput {
    pub email: String,
    pub role: String,
    pub position: Option<String>,
    pub outlet_ids: Vec<OutletId>,
}

/// What the invitee sees before accepting (`GET /api/v1/invitations/accept/{token}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Preview {
    pub tenant_id: TenantId,
    pub tenant_name: String,
    pub tenant_slug: String,
    pub email: String,
    pub role: Role,
    /// Whether an account with the invited address exists (then it signs in to join).
    pub existing_user: bool,
    pub expires_at: DateTime<Utc>,
}

/// A new account's details (`POST …/accept/{token}/set-password`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewMember {
    pub first_name: String,
    pub last_name: String,
    pub password: String,
}

#[derive(sqlx::FromRow)]
struct Row {
    id: InvitationId,
    email: String,
    role: Role,
    position: Option<String>,
    outlet_ids: String,
    invited_by: Option<UserId>,
    created_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    accepted_at: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

impl Row {
    fn into_invitation(self, now: DateTime<Utc>) -> Result<Invitation> {
        let status = match (self.accepted_at, self.revoked_at) {
            (Some(_), _) => InvitationStatus::Accepted,
            (None, Some(_)) => InvitationStatus::Revoked,
            (None, None) if self.expires_at <= now => InvitationStatus::Expired,
            (None, None) => InvitationStatus::Pending,
        };
        Ok(Invitation {
            id: self.id,
            email: self.email,
            role: self.role,
            position: self.position,
            outlet_ids: serde_json::from_str(&self.outlet_ids).map_err(anyhow::Error::from)?,
            invited_by: self.invited_by,
            created_at: self.created_at,
            expires_at: self.expires_at,
            status,
        })
    }
}

macro_rules! columns {
    () => {
        "id, email, role, position, outlet_ids, invited_by, created_at, expires_at, \
         accepted_at, revoked_at"
    };
}

/// The open invitations (pending or expired, neither accepted nor revoked), newest first; an
/// OUTLET_MANAGER's only those to their own outlets.
pub async fn list(ctx: &AppContext, scope: &TenantScope) -> Result<Vec<Invitation>> {
    scope.require(Permission::InviteMembers)?;
    let mut tx = scope.begin(&ctx.db, Access::Read).await?;
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM invitations WHERE tenant_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL
          ORDER BY created_at DESC, id"
    );
    let tenant = tx.tenant_id();
    let rows: Vec<Row> = query::all!(tx, sql, tenant)?;
    tx.rollback().await?;
    let now = Utc::now();
    let mut invitations = Vec::with_capacity(rows.len());
    for row in rows {
        let invitation = row.into_invitation(now)?;
        if reaches_outlets(scope, &invitation.outlet_ids) {
            invitations.push(invitation);
        }
    }
    Ok(invitations)
}

/// The open invitations in the transaction's tenant that count against the staff limit.
pub(crate) async fn pending_count(tx: &mut TenantTx) -> Result<i64> {
    let sql = "SELECT count(*) FROM invitations
                WHERE tenant_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL
                  AND expires_at > $2";
    let tenant = tx.tenant_id();
    query::scalar!(tx, sql, tenant, Utc::now())
}

/// Invites `input.email`: 409 when it is a member already or has an open invitation (resend
/// that one), 403 for a role above the inviter's or outlets an outlet manager does not
/// manage, `PlanLimit` when members and open invitations fill the plan's staff limit,
/// `RateLimited` past [`PER_ADDRESS`] or [`PER_WORKSPACE`] (then nothing is made).
pub async fn create(
    ctx: &AppContext,
    scope: &TenantScope,
    input: &InvitationInput,
) -> Result<Invitation> {
    scope.require(Permission::InviteMembers)?;
    let (email, role, position) = parse(input)?;
    if !scope.role().can_grant(role) {
        return Err(Error::Forbidden);
    }
    let outlets = crate::members::service::allowed_outlets(scope, &input.outlet_ids)?;
    // Counted before the transaction: a refused request writes and sends nothing.
    throttle(ctx, scope.tenant_id(), email.as_str()).await?;
    let mut tx = scope.begin(&ctx.db, Access::Write).await?;
    crate::members::service::check_outlets(&mut tx, &outlets).await?;
    if let Some(limit) = staff_limit(ctx, &mut tx).await? {
        let used = repository::active_count(&mut tx).await? + pending_count(&mut tx).await?;
        if used >= i64::from(limit) {
            return Err(Error::PlanLimit);
        }
    }
    if let Some(user) = users::find_by_email(tx.platform(), &email).await? {
        if repository::find(&mut tx, user.id).await?.is_some() {
            return Err(Error::Conflict {
                field: "email".to_owned(),
            });
        }
    }
    let now = Utc::now();
    let invitation = Invitation {
        id: InvitationId::new(),
        email: email.to_string(),
        role,
        position,
        outlet_ids: outlets,
        invited_by: scope.user_id(),
        created_at: now,
        expires_at: now + LIFETIME,
        status: InvitationStatus::Pending,
    };
    // An expired one for the address makes way; an open one is a conflict (the unique index).
    let sql = "UPDATE invitations SET revoked_at = $3
                WHERE tenant_id = $1 AND email = $2 AND accepted_at IS NULL
                  AND revoked_at IS NULL AND expires_at <= $3";
    let tenant = tx.tenant_id();
    query::execute!(tx, sql, tenant, &invitation.email, now)?;
    issue(ctx, &mut tx, &invitation).await?;
    record(&mut tx, scope, Action::MemberInvited, &invitation.email).await?;
    tx.commit().await?;
    ctx.mail.wake();
    Ok(invitation)
}

/// The first admin of a tenant a partner provisions: invited at the tenant's own address, in
/// the transaction that makes the tenant (the caller wakes the mail worker after commit).
pub(crate) async fn invite_owner(
    ctx: &AppContext,
    tx: &mut TenantTx,
    email: &Email,
) -> Result<Invitation> {
    let now = Utc::now();
    let invitation = Invitation {
        id: InvitationId::new(),
        email: email.to_string(),
        role: Role::TenantAdmin,
        position: None,
        outlet_ids: Vec::new(),
        invited_by: None,
        created_at: now,
        expires_at: now + LIFETIME,
        status: InvitationStatus::Pending,
    };
    issue(ctx, tx, &invitation).await?;
    let event = Event::new(Action::MemberInvited, None, None).about(invitation.email.clone());
    audit::tenant(tx, &event).await?;
    Ok(invitation)
}

/// Stores `invitation` with a new link and mails the link.
async fn issue(ctx: &AppContext, tx: &mut TenantTx, invitation: &Invitation) -> Result<()> {
    let token = new_token(tx.tenant_id())?;
    insert(ctx, tx, invitation, &token).await?;
    send(ctx, tx, invitation, &token).await
}

/// A new link for an open invitation: the old link stops working, the seven days restart.
/// `RateLimited` past [`PER_ADDRESS`] or [`PER_WORKSPACE`] (then nothing changes).
pub async fn resend(ctx: &AppContext, scope: &TenantScope, id: InvitationId) -> Result<Invitation> {
    scope.require(Permission::InviteMembers)?;
    // The address is read first, so that the mail is counted before anything changes (the
    // rate limiter writes in a transaction of its own).
    let mut tx = scope.begin(&ctx.db, Access::Read).await?;
    let found = find_open(&mut tx, id).await?;
    tx.rollback().await?;
    require_reach(scope, &found)?;
    throttle(ctx, scope.tenant_id(), &found.email).await?;
    let mut tx = scope.begin(&ctx.db, Access::Write).await?;
    let mut invitation = find_open(&mut tx, id).await?;
    require_reach(scope, &invitation)?;
    let token = new_token(tx.tenant_id())?;
    let now = Utc::now();
    invitation.expires_at = now + LIFETIME;
    invitation.status = InvitationStatus::Pending;
    let sql = "UPDATE invitations SET token_hash = $3, expires_at = $4
                WHERE tenant_id = $1 AND id = $2";
    let tenant = tx.tenant_id();
    let hash = token_hash(ctx, tenant, &token);
    query::execute!(tx, sql, tenant, id, hash, invitation.expires_at)?;
    send(ctx, &mut tx, &invitation, &token).await?;
    record(&mut tx, scope, Action::InvitationResent, &invitation.email).await?;
    tx.commit().await?;
    ctx.mail.wake();
    Ok(invitation)
}

/// Revokes an open invitation: its link stops working.
pub async fn revoke(ctx: &AppContext, scope: &TenantScope, id: InvitationId) -> Result<()> {
    scope.require(Permission::InviteMembers)?;
    let mut tx = scope.begin(&ctx.db, Access::Write).await?;
    let invitation = find_open(&mut tx, id).await?;
    require_reach(scope, &invitation)?;
    let sql = "UPDATE invitations SET revoked_at = $3 WHERE tenant_id = $1 AND id = $2";
    let tenant = tx.tenant_id();
    query::execute!(tx, sql, tenant, id, Utc::now())?;
    record(&mut tx, scope, Action::InvitationRevoked, &invitation.email).await?;
    tx.commit().await
}

/// What the link offers, for its page: a used, revoked or expired link is
/// `InvitationClosed`, a deactivated workspace's `TenantInactive`, an unknown one `NotFound`.
pub async fn preview(ctx: &AppContext, token: &str) -> Result<Preview> {
    let (mut tx, invitation) = open_by_token(ctx, token, Access::Read).await?;
    let id = tx.tenant_id();
    let tenant = tenants::repository::find_by_id(tx.platform(), id)
        .await?
        .ok_or(Error::NotFound)?;
    let email = Email::parse(&invitation.email).map_err(|_| Error::NotFound)?;
    let existing_user = users::find_by_email(tx.platform(), &email).await?.is_some();
    tx.rollback().await?;
    Ok(Preview {
        tenant_id: tenant.id,
        tenant_name: tenant.profile.name,
        tenant_slug: tenant.slug.to_string(),
        email: invitation.email,
        role: invitation.role,
        existing_user,
        expires_at: invitation.expires_at,
    })
}

/// An existing account joins: it must be signed in with the invited address.
pub async fn accept(ctx: &AppContext, token: &str, principal: &Principal) -> Result<TenantId> {
    let (mut tx, invitation) = open_by_token(ctx, token, Access::Write).await?;
    let user = users::find_by_id(tx.platform(), principal.user_id())
        .await?
        .ok_or(Error::Unauthorized)?;
    if !user.email.as_str().eq_ignore_ascii_case(&invitation.email) {
        return Err(Error::InvitationForAnotherEmail);
    }
    join(&mut tx, &invitation, &user).await?;
    let tenant = tx.tenant_id();
    tx.commit().await?;
    Ok(tenant)
}

/// A new account for the invited address joins: the link proves the address, so it is
/// verified at once. An account that exists already must sign in instead (409 on `email`).
pub async fn accept_new(ctx: &AppContext, token: &str, details: &NewMember) -> Result<Joined> {
    let mut check = FieldCheck::new();
    let first_name = check.field("first_name", crate::error::parse_name(&details.first_name));
    let last_name = check.field("last_name", crate::error::parse_name(&details.last_name));
    let password = check.field("password", Password::parse(&details.password));
    check.finish()?;
    let (Some(first_name), Some(last_name), Some(password)) = (first_name, last_name, password)
    else {
        return Err(anyhow::anyhow!("a checked field is missing").into());
    };
    // A dead link fails before the password is hashed.
    preview(ctx, token).await?;
    let hash = ctx.passwords.hash(&password).await?;
    let (mut tx, invitation) = open_by_token(ctx, token, Access::Write).await?;
    let email = Email::parse(&invitation.email).map_err(|_| Error::NotFound)?;
    let new = NewUser {
        email,
        password_hash: Some(hash),
        first_name,
        last_name,
        is_super_admin: false,
        email_verified: true,
    };
    let user = users::insert(tx.platform(), new)
        .await
        .map_err(|err| match err {
            Error::Conflict { .. } => Error::Conflict {
                field: "email".to_owned(),
            },
            other => other,
        })?;
    join(&mut tx, &invitation, &user).await?;
    let tenant = tx.tenant_id();
    tx.commit().await?;
    Ok(Joined { tenant, user })
}

/// Someone who joined through an invitation.
#[derive(Clone, Debug)]
pub struct Joined {
    pub tenant: TenantId,
    pub user: User,
}

impl Joined {
    /// The browser session of the new member, in the workspace they joined.
    pub fn session(&self) -> SessionAuth {
        SessionAuth::new(&self.user, Some(self.tenant))
    }
}

/// An existing account joins from the invitation page: its password proves it (the same
/// checks and throttling as signing in), then it joins as [`accept`] does.
pub async fn accept_signing_in(
    ctx: &AppContext,
    token: &str,
    password: &str,
    client: &Client,
) -> Result<Joined> {
    let invited = preview(ctx, token).await?;
    let credentials = Credentials {
        email: &invited.email,
        password,
        tenant_slug: None,
    };
    let outcome = login::login(ctx, &credentials, client).await?;
    let user = outcome.sign_in().user.clone();
    let tenant = accept(ctx, token, outcome.sign_in().principal()).await?;
    Ok(Joined { tenant, user })
}

async fn join(tx: &mut TenantTx, invitation: &Invitation, user: &User) -> Result<()> {
    if repository::find(tx, user.id).await?.is_some() {
        return Err(Error::Conflict {
            field: "email".to_owned(),
        });
    }
    repository::insert(tx, user.id, invitation.role).await?;
    repository::set_details(tx, user.id, invitation.position.as_deref()).await?;
    repository::set_outlets(tx, user.id, &invitation.outlet_ids).await?;
    let sql = "UPDATE invitations SET accepted_at = $3
                WHERE tenant_id = $1 AND id = $2 AND accepted_at IS NULL AND revoked_at IS NULL";
    let tenant = tx.tenant_id();
    let changed = query::execute!(tx, sql, tenant, invitation.id, Utc::now())?;
    if changed != 1 {
        // Another request accepted or revoked it meanwhile.
        return Err(Error::InvitationClosed {
            state: Closed::Used,
        });
    }
    let event = Event::new(Action::InvitationAccepted, Some(user.id), None)
        .about(invitation.email.clone())
        .detail(serde_json::json!({ "role": invitation.role }));
    audit::tenant(tx, &event).await
}

/// The invitation the token names, open, in a transaction of its tenant (as the system: the
/// invitee is no member yet).
async fn open_by_token(
    ctx: &AppContext,
    token: &str,
    access: Access,
) -> Result<(TenantTx, Invitation)> {
    let token = token.trim();
    let tenant = token_tenant(token).ok_or(Error::NotFound)?;
    let scope = SystemScope::new().tenant(tenant);
    let mut tx = scope.begin(&ctx.db, access).await?;
    let found = tenants::repository::find_by_id(tx.platform(), tenant)
        .await?
        .ok_or(Error::NotFound)?;
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM invitations WHERE tenant_id = $1 AND token_hash = $2"
    );
    let mut invitation = None;
    for hash in ctx
        .link_tokens
        .hashes(TOKEN_LABEL, &tenant.to_string(), token)
    {
        let row: Option<Row> = query::optional!(tx, sql, tenant, hash)?;
        if let Some(row) = row {
            invitation = Some(row.into_invitation(Utc::now())?);
            break;
        }
    }
    let invitation = invitation.ok_or(Error::NotFound)?;
    if found.status != TenantStatus::Active {
        return Err(Error::TenantInactive);
    }
    match invitation.status {
        InvitationStatus::Pending => Ok((tx, invitation)),
        InvitationStatus::Accepted => Err(Error::InvitationClosed {
            state: Closed::Used,
        }),
        InvitationStatus::Revoked => Err(Error::InvitationClosed {
            state: Closed::Revoked,
        }),
        InvitationStatus::Expired => Err(Error::InvitationClosed {
            state: Closed::Expired,
        }),
    }
}

/// Whether `scope` may resend or revoke `invitation`: one to outlets an OUTLET_MANAGER does
/// not all manage (or to every outlet) is `NotFound` to them, as if it did not exist; one
/// with a role above the scope's is `Forbidden`.
fn require_reach(scope: &TenantScope, invitation: &Invitation) -> Result<()> {
    if !reaches_outlets(scope, &invitation.outlet_ids) {
        return Err(Error::NotFound);
    }
    if !scope.role().can_grant(invitation.role) {
        return Err(Error::Forbidden);
    }
    Ok(())
}

/// Counts one invitation mail to `email` from `tenant`: `RateLimited` past either limit.
async fn throttle(ctx: &AppContext, tenant: TenantId, email: &str) -> Result<()> {
    rate_limits::hit(&ctx.db, &address_key(email), PER_ADDRESS).await?;
    rate_limits::hit(&ctx.db, &workspace_key(tenant), PER_WORKSPACE).await
}

/// The rate-limit key of invitation mails to `email` (folded: one address, however typed).
fn address_key(email: &str) -> String {
    format!("invite:address:{}", crate::values::fold(email))
}

/// The rate-limit key of a workspace's invitation mails.
pub(crate) fn workspace_key(tenant: TenantId) -> String {
    format!("invite:tenant:{tenant}")
}

async fn find_open(tx: &mut TenantTx, id: InvitationId) -> Result<Invitation> {
    let sql = concat!(
        "SELECT ",
        columns!(),
        " FROM invitations WHERE tenant_id = $1 AND id = $2
            AND accepted_at IS NULL AND revoked_at IS NULL"
    );
    let tenant = tx.tenant_id();
    let row: Option<Row> = query::optional!(tx, sql, tenant, id)?;
    row.ok_or(Error::NotFound)?.into_invitation(Utc::now())
}

async fn insert(
    ctx: &AppContext,
    tx: &mut TenantTx,
    invitation: &Invitation,
    token: &str,
) -> Result<()> {
    let sql = "INSERT INTO invitations (tenant_id, id, email, role, position, outlet_ids,
                   token_hash, invited_by, created_at, expires_at)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
    let tenant = tx.tenant_id();
    let outlets = serde_json::to_string(&invitation.outlet_ids).map_err(anyhow::Error::from)?;
    let inserted = query::execute!(
        tx,
        sql,
        tenant,
        invitation.id,
        &invitation.email,
        invitation.role,
        &invitation.position,
        outlets,
        token_hash(ctx, tenant, token),
        invitation.invited_by,
        invitation.created_at,
        invitation.expires_at
    );
    match inserted {
        Ok(_) => Ok(()),
        // The open-invitation index: this address is invited already.
        Err(Error::Conflict { .. }) => Err(Error::Conflict {
            field: "email".to_owned(),
        }),
        Err(err) => Err(err),
    }
}

/// Queues the invitation mail with the link to the tenant's portal.
async fn send(
    ctx: &AppContext,
    tx: &mut TenantTx,
    invitation: &Invitation,
    token: &str,
) -> Result<()> {
    let id = tx.tenant_id();
    let tenant = tenants::repository::find_by_id(tx.platform(), id)
        .await?
        .ok_or(Error::NotFound)?;
    let link = ctx
        .links
        .tenant(&tenant.slug, &format!("/invitation?token={token}"));
    let to = Email::parse(&invitation.email).map_err(|_| Error::NotFound)?;
    let mail = templates::invitation(&to, &tenant.profile.name, invitation.role, &link);
    outbox::enqueue(tx.platform(), &mail).await
}

async fn record(tx: &mut TenantTx, scope: &TenantScope, action: Action, email: &str) -> Result<()> {
    let event = Event::new(action, scope.user_id(), None).about(email.to_owned());
    audit::tenant(tx, &event).await
}

fn parse(input: &InvitationInput) -> Result<(Email, Role, Option<String>)> {
    let mut check = FieldCheck::new();
    let email = check.field("email", Email::parse(&input.email));
    let role = check.field(
        "role",
        input
            .role
            .trim()
            .parse::<Role>()
            .map_err(|_| "Choose a role."),
    );
    let position = check.field(
        "position",
        crate::tenants::fields::limited(&input.position, 100, "This is too long."),
    );
    check.finish()?;
    match (email, role) {
        (Some(email), Some(role)) => Ok((email, role, position.flatten())),
        _ => Err(Error::invalid("email", "Enter an email address.")),
    }
}

/// `{tenant id, 32 hex digits}{256 random bits, base64url}`.
fn new_token(tenant: TenantId) -> Result<String> {
    Ok(format!(
        "{}{}",
        tenant.as_uuid().simple(),
        crate::identity::random_token()?
    ))
}

fn token_tenant(token: &str) -> Option<TenantId> {
    let id = token.get(..32)?;
    uuid::Uuid::try_parse(id).ok().map(TenantId::from)
}

fn token_hash(ctx: &AppContext, tenant: TenantId, token: &str) -> String {
    ctx.link_tokens
        .hashes(TOKEN_LABEL, &tenant.to_string(), token)
        .into_iter()
        .next()
        .unwrap_or_default()
}
