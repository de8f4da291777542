//! A tenant's public profile (PRODUCT.md §3): what anyone may know about an active tenant.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicProfile {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub business_type: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
}

/// The public profile of the active tenant `slug`; 404 for unknown or inactive tenants.
#[server(endpoint = "public_tenant")]
pub async fn public_tenant(slug: String) -> Result<PublicProfile, AppError> {
    let ctx = crate::context::app_context()?;
    let slug = oikos::values::Slug::parse_field("slug", &slug)?;
    let tenant = oikos::tenants::service::public_profile(&ctx.db, &slug).await?;
    Ok(PublicProfile::from(tenant))
}

#[cfg(feature = "ssr")]
impl From<oikos::tenants::Tenant> for PublicProfile {
    fn from(tenant: oikos::tenants::Tenant) -> Self {
        PublicProfile {
            id: tenant.id.to_string(),
            slug: tenant.slug.to_string(),
            name: tenant.profile.name,
            business_type: tenant.profile.business_type,
            website: tenant.profile.website,
            description: tenant.profile.description,
        }
    }
}
