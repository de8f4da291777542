//! Tenants: the businesses that own workspaces. The table is platform-level (tenant
//! resolution reads it before any scope exists); everything a tenant owns is scoped.

pub mod branding;
pub mod erasure;
pub mod export;
pub(crate) mod fields;
pub mod metrics;
pub mod onboarding;
pub mod overview;
pub mod registration;
pub(crate) mod repository;
pub mod service;
pub mod settings;
pub mod stats;
mod tally;
#[cfg(test)]
mod tests;

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};

use crate::tenancy::TenantId;
use crate::values::{Email, Slug};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Tenant {
    pub id: TenantId,
    pub slug: Slug,
    #[sqlx(flatten)]
    pub profile: TenantProfile,
    pub status: TenantStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// When the owner deleted the workspace: the moment its data will be erased.
    pub erase_after: Option<DateTime<Utc>>,
}

/// What a business says about itself; also what a new tenant is made from.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct TenantProfile {
    pub name: String,
    pub business_type: Option<String>,
    pub email: Email,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TenantStatus {
    Active,
    Inactive,
}

impl TenantStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TenantStatus::Active => "active",
            TenantStatus::Inactive => "inactive",
        }
    }
}

impl fmt::Display for TenantStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown tenant status {0:?}")]
pub struct UnknownStatus(String);

impl FromStr for TenantStatus {
    type Err = UnknownStatus;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "active" => Ok(TenantStatus::Active),
            "inactive" => Ok(TenantStatus::Inactive),
            _ => Err(UnknownStatus(s.to_owned())),
        }
    }
}

crate::db::query::text_type!(TenantStatus);
