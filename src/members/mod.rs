//! Memberships: a user's role in one tenant. The first tenant table; its repository shows
//! the pattern every tenant table follows.

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
