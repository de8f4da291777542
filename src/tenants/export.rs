//! A tenant's data export (`GET /api/v1/tenants/{id}/export`): everything the tenant owns
//! (its logo included, as a `data:` URL), read in one transaction so the parts agree, as one
//! JSON document.

use base64::Engine as _;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::billing::subscriptions::{self, Summary};
use crate::catalog::{self, Service};
use crate::db::{query, Access, Db, TenantTx};
use crate::outlets::{self, Outlet};
use crate::tenancy::{Permission, Role, TenantId, TenantScope, UserId};
use crate::tenants::branding::{self, Colors};
use crate::tenants::settings::{self, TenantSettings};
use crate::tenants::{repository, Tenant};
use crate::{Error, Result};

/// The version of the document's layout; it changes when a field does.
pub const FORMAT: &str = "oikos.tenant-export.v1";

#[derive(Clone, Debug, Serialize)]
pub struct TenantExport {
    pub format: &'static str,
    pub exported_at: DateTime<Utc>,
    pub tenant: ExportedTenant,
    pub settings: TenantSettings,
    pub subscription: Option<Summary>,
    pub members: Vec<ExportedMember>,
    pub outlets: Vec<Outlet>,
    pub services: Vec<Service>,
    pub branding: ExportedBranding,
    pub audit_log: Vec<ExportedAuditEntry>,
}

/// The portal's colours, and its logo as a `data:` URL.
#[derive(Clone, Debug, Serialize)]
pub struct ExportedBranding {
    #[serde(flatten)]
    pub colors: Colors,
    pub logo: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ExportedTenant {
    pub id: TenantId,
    pub slug: String,
    pub name: String,
    pub business_type: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
    pub status: &'static str,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Tenant> for ExportedTenant {
    fn from(t: Tenant) -> Self {
        ExportedTenant {
            id: t.id,
            slug: t.slug.to_string(),
            name: t.profile.name,
            business_type: t.profile.business_type,
            email: t.profile.email.to_string(),
            phone: t.profile.phone,
            website: t.profile.website,
            description: t.profile.description,
            status: t.status.as_str(),
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }
}

/// A membership with the member's name and address (never their password or their other
/// tenants).
#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct ExportedMember {
    pub user_id: UserId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role: Role,
    pub is_active: bool,
    pub joined_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, sqlx::FromRow)]
pub struct ExportedAuditEntry {
    /// Unix seconds.
    pub at: i64,
    pub actor_id: Option<UserId>,
    pub action: String,
    pub subject: Option<String>,
    pub ip: Option<String>,
    /// The entry's details as stored (a JSON text).
    pub detail: String,
}

/// The export of the scope's tenant (TENANT_ADMIN, or a super admin for any tenant).
pub async fn export(db: &Db, scope: &TenantScope) -> Result<TenantExport> {
    scope.require(Permission::ExportData)?;
    let mut tx = scope.begin(db, Access::Read).await?;
    let tenant = repository::find_by_id(tx.platform(), scope.tenant_id())
        .await?
        .ok_or(Error::NotFound)?;
    let document = TenantExport {
        format: FORMAT,
        exported_at: Utc::now(),
        tenant: tenant.into(),
        settings: settings::load(&mut tx).await?,
        subscription: subscriptions::summary(&mut tx).await?,
        members: members(&mut tx).await?,
        outlets: outlets::all(&mut tx).await?,
        services: catalog::repository::all(&mut tx).await?,
        branding: ExportedBranding {
            colors: branding::load(&mut tx).await?.colors,
            logo: branding::logo(&mut tx).await?.map(|logo| {
                let data = base64::engine::general_purpose::STANDARD.encode(logo.bytes);
                format!("data:{};base64,{data}", logo.content_type)
            }),
        },
        audit_log: audit_log(&mut tx).await?,
    };
    tx.rollback().await?;
    Ok(document)
}

async fn members(tx: &mut TenantTx) -> Result<Vec<ExportedMember>> {
    let sql = "SELECT m.user_id, u.email, u.first_name, u.last_name, m.role, m.is_active,
                      m.created_at AS joined_at
                 FROM memberships m JOIN users u ON u.id = m.user_id
                WHERE m.tenant_id = $1 ORDER BY m.created_at, m.user_id";
    let tenant = tx.tenant_id();
    query::all!(tx, sql, tenant)
}

async fn audit_log(tx: &mut TenantTx) -> Result<Vec<ExportedAuditEntry>> {
    let sql = "SELECT at, actor_id, action, subject, ip, detail FROM audit_log
                WHERE tenant_id = $1 ORDER BY at, id";
    let tenant = tx.tenant_id();
    query::all!(tx, sql, tenant)
}
