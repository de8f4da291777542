//! The server functions behind a tenant's portal pages. Each resolves the caller's scope in
//! the portal's tenant (PRODUCT.md §3) and calls the same core services as the REST API.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "ssr")]
use crate::context::Scoped;
use crate::error::AppError;
use crate::features::account::WorkspaceView;

/// A figure on the dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    pub label: String,
    pub value: String,
    pub detail: String,
    pub href: String,
}

/// A step of the onboarding checklist.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepView {
    pub key: String,
    pub label: String,
    pub href: String,
    pub done: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardView {
    pub tenant_name: String,
    pub first_name: String,
    pub role: String,
    /// When a deletion is scheduled: the day the data goes ("2026-12-26").
    pub erase_on: Option<String>,
    pub can_manage: bool,
    /// For roles that see the statistics.
    pub cards: Option<Vec<Card>>,
    /// For admins.
    pub checklist: Option<Vec<StepView>>,
    /// The caller's other workspaces (the switcher).
    pub others: Vec<WorkspaceView>,
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use oikos::tenants::stats::TenantStats;

    pub fn cards(stats: TenantStats) -> Vec<Card> {
        let card = |label: &str, value: String, detail: String, href: &str| Card {
            label: label.to_owned(),
            value,
            detail,
            href: href.to_owned(),
        };
        let plan = stats.subscription.plan.unwrap_or_else(|| "—".to_owned());
        let status = stats.subscription.status.unwrap_or_default();
        vec![
            card(
                "Outlets",
                stats.outlets.total.to_string(),
                format!("{} active", stats.outlets.active),
                "/outlets",
            ),
            card(
                "Team",
                stats.users.total.to_string(),
                format!("{} active", stats.users.active),
                "",
            ),
            card(
                "Services",
                stats.services.total.to_string(),
                format!("{} offered", stats.services.active),
                "/services",
            ),
            card("Plan", plan, status, "/pricing"),
        ]
    }
}

/// Everything the dashboard shows, for the caller's role.
#[server(endpoint = "portal/dashboard")]
pub async fn dashboard() -> Result<DashboardView, AppError> {
    use oikos::tenancy::Permission;
    use oikos::tenants::overview::overview;
    let ctx = crate::context::app_context()?;
    let request = crate::context::request_context()?;
    let caller = request.acting()?;
    let scope = request.tenant_scope(&ctx.db).await?;
    let user = &caller.auth.user;
    let overview = overview(&ctx.db, &scope, user, request.tenant.clone()).await?;
    let (tenant, checklist) = (overview.tenant, overview.checklist);
    let cards = overview.stats.map(server::cards);
    let others = overview
        .elsewhere
        .iter()
        .map(crate::features::account::server::workspace_view)
        .collect();
    Ok(DashboardView {
        tenant_name: tenant.profile.name,
        first_name: user.first_name.clone(),
        role: scope.role().to_string(),
        erase_on: tenant
            .erase_after
            .map(|at| at.format("%Y-%m-%d").to_string()),
        can_manage: scope.require(Permission::DeleteTenant).is_ok(),
        cards,
        checklist: checklist.map(|steps| {
            steps
                .into_iter()
                .map(|s| StepView {
                    key: s.key,
                    label: s.label,
                    href: s.href,
                    done: s.done,
                })
                .collect()
        }),
        others,
    })
}

/// Restores a workspace whose deletion is scheduled.
#[server(endpoint = "portal/restore")]
pub async fn restore_workspace() -> Result<(), AppError> {
    let Scoped { ctx, scope } = Scoped::current().await?;
    oikos::tenants::erasure::cancel(&ctx.db, &scope).await?;
    crate::mount::redirect("/dashboard?restored=1");
    Ok(())
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsView {
    pub id: String,
    pub slug: String,
    pub name: String,
    pub business_type: String,
    pub email: String,
    pub phone: String,
    pub website: String,
    pub description: String,
    pub erase_on: Option<String>,
    pub branding: BrandingView,
    pub wallet_enabled: bool,
    pub loyalty_points_enabled: bool,
}

/// The portal's colours (`#rrggbb`) and its logo's version, if it has one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BrandingView {
    pub primary_color: String,
    pub secondary_color: String,
    pub accent_color: String,
    pub logo_version: Option<i64>,
}

/// The workspace's profile, for its admins.
#[server(endpoint = "portal/settings")]
pub async fn workspace_settings() -> Result<SettingsView, AppError> {
    use oikos::tenancy::Permission;
    let Scoped { ctx, scope } = Scoped::current().await?;
    scope.require(Permission::UpdateTenant)?;
    let (tenant, settings) = oikos::tenants::service::details(&ctx.db, &scope).await?;
    let branding = oikos::tenants::branding::get(&ctx.db, &scope).await?;
    let p = tenant.profile;
    Ok(SettingsView {
        id: tenant.id.to_string(),
        slug: tenant.slug.to_string(),
        name: p.name,
        business_type: p.business_type.unwrap_or_default(),
        email: p.email.to_string(),
        phone: p.phone.unwrap_or_default(),
        website: p.website.unwrap_or_default(),
        description: p.description.unwrap_or_default(),
        erase_on: tenant
            .erase_after
            .map(|at| at.format("%Y-%m-%d").to_string()),
        branding: BrandingView {
            primary_color: branding.colors.primary_color,
            secondary_color: branding.colors.secondary_color,
            accent_color: branding.colors.accent_color,
            logo_version: branding.logo_version,
        },
        wallet_enabled: settings.wallet_enabled,
        loyalty_points_enabled: settings.loyalty_points_enabled,
    })
}

/// Saves the portal's colours, each checked for readable white text.
#[server(endpoint = "portal/save_colors")]
pub async fn save_colors(
    primary_color: String,
    secondary_color: String,
    accent_color: String,
) -> Result<(), AppError> {
    let Scoped { ctx, scope } = Scoped::current().await?;
    let colors = oikos::tenants::branding::ColorsPatch {
        primary_color: Some(primary_color),
        secondary_color: Some(secondary_color),
        accent_color: Some(accent_color),
    };
    oikos::tenants::branding::set_colors(&ctx.db, &scope, &colors).await?;
    crate::mount::redirect("/settings?colors=saved");
    Ok(())
}

/// Turns the workspace's optional features on or off (checkboxes: present when ticked).
#[server(endpoint = "portal/save_features")]
pub async fn save_features(
    wallet_enabled: Option<String>,
    loyalty_points_enabled: Option<String>,
) -> Result<(), AppError> {
    use oikos::tenants::service::{self, TenantPatch};
    use oikos::tenants::settings::SettingsPatch;
    let Scoped { ctx, scope } = Scoped::current().await?;
    let patch = TenantPatch {
        settings: Some(SettingsPatch {
            wallet_enabled: Some(wallet_enabled.is_some()),
            loyalty_points_enabled: Some(loyalty_points_enabled.is_some()),
            ..SettingsPatch::default()
        }),
        ..TenantPatch::default()
    };
    service::update(&ctx.db, &scope, &patch).await?;
    crate::mount::redirect("/settings?features=saved");
    Ok(())
}

/// Saves the profile (every field as typed; an empty optional one is cleared).
#[server(endpoint = "portal/save_profile")]
pub async fn save_profile(
    name: String,
    business_type: String,
    email: String,
    phone: String,
    website: String,
    description: String,
) -> Result<(), AppError> {
    use oikos::tenants::service::{self, TenantPatch};
    let Scoped { ctx, scope } = Scoped::current().await?;
    let patch = TenantPatch {
        name: Some(name),
        business_type: Some(business_type),
        email: Some(email),
        phone: Some(phone),
        website: Some(website),
        description: Some(description),
        ..TenantPatch::default()
    };
    service::update(&ctx.db, &scope, &patch).await?;
    crate::mount::redirect("/settings?saved=1");
    Ok(())
}

/// Deletes the workspace after the grace period, once its address is typed to confirm.
#[server(endpoint = "portal/delete")]
pub async fn delete_workspace(confirm: String) -> Result<(), AppError> {
    let Scoped { ctx, scope } = Scoped::current().await?;
    oikos::tenants::erasure::schedule(&ctx.db, &scope, &confirm).await?;
    crate::mount::redirect("/dashboard");
    Ok(())
}
