//! The audit log: who did what, when, from where. Events about a tenant go to its own log
//! (`audit_log`, a tenant table); events about an account alone go to the platform's
//! (`platform_audit`). Both are append-only for the application's role on PostgreSQL.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::db::{query, Access, Db, TenantTx, Tx};
use crate::tenancy::{AdminScope, TenantId, UserId};
use crate::Result;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    SignedUp,
    SignUpAttempted,
    EmailVerified,
    LoginSucceeded,
    LoginFailed,
    LoggedOut,
    SessionsEnded,
    PasswordResetRequested,
    PasswordReset,
    PasswordChanged,
    RefreshTokenReused,
    TenantRegistered,
    TenantUpdated,
    TenantDeactivated,
    TenantReactivated,
    TenantDeletionScheduled,
    TenantDeletionCancelled,
    TenantErased,
    MemberInvited,
    InvitationResent,
    InvitationRevoked,
    InvitationAccepted,
    MemberUpdated,
    MemberRemoved,
    SubscriptionChanged,
    ApiKeyCreated,
    ApiKeyRevoked,
    WebhookCreated,
    WebhookDeleted,
    ImpersonationStarted,
    ImpersonationEnded,
}

impl Action {
    pub fn as_str(self) -> &'static str {
        match self {
            Action::SignedUp => "user.signed_up",
            Action::SignUpAttempted => "user.sign_up_attempted",
            Action::EmailVerified => "user.email_verified",
            Action::LoginSucceeded => "login.succeeded",
            Action::LoginFailed => "login.failed",
            Action::LoggedOut => "session.logged_out",
            Action::SessionsEnded => "session.all_ended",
            Action::PasswordResetRequested => "password.reset_requested",
            Action::PasswordReset => "password.reset",
            Action::PasswordChanged => "password.changed",
            Action::RefreshTokenReused => "token.refresh_reused",
            Action::TenantRegistered => "tenant.registered",
            Action::TenantUpdated => "tenant.updated",
            Action::TenantDeactivated => "tenant.deactivated",
            Action::TenantReactivated => "tenant.reactivated",
            Action::TenantDeletionScheduled => "tenant.deletion_scheduled",
            Action::TenantDeletionCancelled => "tenant.deletion_cancelled",
            Action::TenantErased => "tenant.erased",
            Action::MemberInvited => "member.invited",
            Action::InvitationResent => "invitation.resent",
            Action::InvitationRevoked => "invitation.revoked",
            Action::InvitationAccepted => "invitation.accepted",
            Action::MemberUpdated => "member.updated",
            Action::MemberRemoved => "member.removed",
            Action::SubscriptionChanged => "subscription.changed",
            Action::ApiKeyCreated => "api_key.created",
            Action::ApiKeyRevoked => "api_key.revoked",
            Action::WebhookCreated => "webhook.created",
            Action::WebhookDeleted => "webhook.deleted",
            Action::ImpersonationStarted => "impersonation.started",
            Action::ImpersonationEnded => "impersonation.ended",
        }
    }
}

/// One entry. `subject` names what the action was about when it is not the actor (the
/// email a failed login tried, say).
#[derive(Clone, Debug)]
pub struct Event {
    pub action: Action,
    pub actor: Option<UserId>,
    pub subject: Option<String>,
    pub ip: Option<IpAddr>,
    pub detail: serde_json::Value,
}

impl Event {
    pub fn new(action: Action, actor: Option<UserId>, ip: Option<IpAddr>) -> Self {
        Event {
            action,
            actor,
            subject: None,
            ip,
            detail: serde_json::Value::Object(Default::default()),
        }
    }

    pub fn about(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    pub fn detail(mut self, detail: serde_json::Value) -> Self {
        self.detail = detail;
        self
    }
}

/// Binds an event's columns, with `actor` for its actor, after any leading ones
/// (`tenant_id` and `on_behalf_of` for a tenant's log).
macro_rules! append {
    ($tx:expr, $sql:expr, $event:expr, $actor:expr $(, $lead:expr)*) => {
        query::execute!(
            $tx,
            $sql,
            $($lead,)*
            Uuid::now_v7(),
            Utc::now().timestamp(),
            $actor,
            $event.action.as_str(),
            &$event.subject,
            $event.ip.map(|ip| ip.to_string()),
            $event.detail.to_string()
        )
        .map(|_| ())
    };
}

/// Appends a platform-level entry within `tx`.
pub(crate) async fn platform(tx: &mut Tx, event: &Event) -> Result<()> {
    let sql = "INSERT INTO platform_audit (id, at, actor_id, action, subject, ip, detail)
               VALUES ($1, $2, $3, $4, $5, $6, $7)";
    append!(tx, sql, event, event.actor)
}

/// Appends an entry to the tenant's own log within `tx`. While a super admin impersonates
/// the acting member, the admin is recorded as the actor, on behalf of that member, whatever
/// the caller named.
pub(crate) async fn tenant(tx: &mut TenantTx, event: &Event) -> Result<()> {
    let sql = "INSERT INTO audit_log (tenant_id, on_behalf_of, id, at, actor_id, action, subject,
                                      ip, detail)
               VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
    let tenant = tx.tenant_id();
    let (actor, on_behalf_of) = match tx.impersonator() {
        Some(admin) => (Some(admin), event.actor),
        None => (event.actor, None),
    };
    append!(tx, sql, event, actor, tenant, on_behalf_of)
}

/// Appends a platform-level entry in its own transaction (for failures, where the work
/// itself was rolled back).
pub(crate) async fn platform_now(db: &Db, event: &Event) -> Result<()> {
    let mut tx = db.begin(Access::Write).await?;
    platform(&mut tx, event).await?;
    tx.commit().await
}

/// An entry as read back (operators' pages, tests).
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Entry {
    pub at: i64,
    pub actor_id: Option<UserId>,
    /// In a tenant's log: the member the actor was impersonating, if any.
    #[sqlx(default)]
    pub on_behalf_of: Option<UserId>,
    /// The actor's and that member's addresses, where the reader joins them in.
    #[sqlx(default)]
    pub actor_email: Option<String>,
    #[sqlx(default)]
    pub on_behalf_of_email: Option<String>,
    pub action: String,
    pub subject: Option<String>,
    pub ip: Option<String>,
}

impl Entry {
    pub fn at(&self) -> Option<DateTime<Utc>> {
        DateTime::from_timestamp(self.at, 0)
    }
}

/// The newest entries of a tenant's log first, for a super admin (its tenant page).
pub async fn recent_tenant(
    db: &Db,
    by: &AdminScope,
    tenant: TenantId,
    limit: i64,
) -> Result<Vec<Entry>> {
    let mut tx = by.tenant(tenant).begin(db, Access::Read).await?;
    let sql = "SELECT l.at, l.actor_id, l.on_behalf_of, l.action, l.subject, l.ip,
                      a.email AS actor_email, b.email AS on_behalf_of_email
                 FROM audit_log l
                 LEFT JOIN users a ON a.id = l.actor_id
                 LEFT JOIN users b ON b.id = l.on_behalf_of
                WHERE l.tenant_id = $1 ORDER BY l.at DESC, l.id DESC LIMIT $2";
    let entries = query::all!(tx, sql, tenant, limit)?;
    tx.rollback().await?;
    Ok(entries)
}

/// The newest platform-level entries first.
pub async fn recent_platform(db: &Db, limit: i64) -> Result<Vec<Entry>> {
    let mut tx = db.begin(Access::Read).await?;
    let sql = "SELECT at, actor_id, action, subject, ip FROM platform_audit
                ORDER BY at DESC, id DESC LIMIT $1";
    let entries = query::all!(tx, sql, limit)?;
    tx.rollback().await?;
    Ok(entries)
}
