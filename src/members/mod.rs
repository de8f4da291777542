//! Memberships: a user's role in one tenant. The first tenant table; its repository shows
//! the pattern every tenant table follows.

pub mod invitations;
pub(crate) mod repository;
pub mod service;
#[cfg(test)]
mod tests;

use chrono::{DateTime, Utc};

use crate::tenancy::{Role, TenantId, UserId};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Membership {
    pub tenant_id: TenantId,
    pub user_id: UserId,
    pub role: Role,
    pub is_active: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The member's position (free text, or one of the tenant's templates).
    pub position: Option<String>,
}

/// One of a user's workspaces, as sign-in and the tenant switcher list them.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct UserTenant {
    pub tenant: crate::tenancy::TenantId,
    pub slug: crate::values::Slug,
    pub name: String,
    pub role: Role,
    pub status: crate::tenants::TenantStatus,
}

/// The plan's staff limit (`None`: unlimited), read with the tenant's subscription locked so
/// that concurrent invitations and additions take turns.
pub(crate) async fn staff_limit(
    ctx: &crate::AppContext,
    tx: &mut crate::db::TenantTx,
) -> crate::Result<Option<u32>> {
    Ok(crate::billing::subscriptions::locked_limits(ctx, tx)
        .await?
        .and_then(|limits| limits.staff))
}
