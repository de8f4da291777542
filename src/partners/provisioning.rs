//! The provisioning API (PRODUCT.md §9, the AlgaPSA seed): partners create, read, update and
//! deactivate tenants with a scoped key. A tenant made here has no password to hand over: its
//! first admin is invited at the tenant's own address, in the transaction that makes it.
//!
//! A key reaches only the tenants it provisioned (`tenants.provisioned_by_key`, written in
//! that same transaction), unless a super admin gave it the scope `tenant:all`: every route
//! that names a tenant goes through `reachable`, and another's tenant is `NotFound`, as an
//! unknown id is.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::api_keys::{KeyScope, Partner};
use crate::audit::{self, Action, Event};
use crate::db::{query, Access};
use crate::error::FieldCheck;
use crate::tenancy::{ApiKeyId, TenantId, TenantScope};
use crate::tenants::registration::{self, Business, Registration};
use crate::tenants::service::{self, TenantPatch};
use crate::tenants::{repository, Tenant, TenantStatus};
use crate::{AppContext, Error, Result};

/// The seed's tenant body.
#[derive(Clone, Debug, Default)]
pub struct TenantInput {
    pub client_name: String,
    pub email: String,
    pub phone_number: Option<String>,
    pub industry: Option<String>,
}

/// The seed's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Provisioned {
    pub tenant: TenantId,
    pub client_name: String,
    pub email: String,
    pub phone_number: Option<String>,
    pub industry: Option<String>,
    /// `active`, or `inactive` once deleted (deactivated).
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Tenant> for Provisioned {
    fn from(tenant: Tenant) -> Provisioned {
        Provisioned {
            tenant: tenant.id,
            client_name: tenant.profile.name,
            email: tenant.profile.email.to_string(),
            phone_number: tenant.profile.phone,
            industry: tenant.profile.business_type,
            status: tenant.status.to_string(),
            created_at: tenant.created_at,
            updated_at: tenant.updated_at,
        }
    }
}

/// The seed's field names for the registration fields they stand for.
const FIELDS: [(&str, &str); 4] = [
    ("business_name", "client_name"),
    ("business_email", "email"),
    ("business_phone", "phone_number"),
    ("business_type", "industry"),
];

fn seed_field(field: &str) -> String {
    FIELDS
        .iter()
        .find(|(ours, _)| *ours == field)
        .map_or(field, |(_, seed)| seed)
        .to_owned()
}

/// Errors as the seed names fields.
fn in_seed_terms(err: Error) -> Error {
    match err {
        Error::Conflict { field } => Error::Conflict {
            field: seed_field(&field),
        },
        Error::Invalid { fields } => Error::Invalid {
            fields: fields
                .into_iter()
                .map(|(field, message)| (seed_field(&field), message))
                .collect(),
        },
        other => other,
    }
}

fn checked(input: &TenantInput) -> Result<Business> {
    let registration = Registration {
        business_name: input.client_name.clone(),
        business_email: input.email.clone(),
        business_phone: input.phone_number.clone(),
        business_type: input.industry.clone(),
        ..Registration::default()
    };
    let mut check = FieldCheck::new();
    let business = registration.check_business(&mut check);
    check.finish().map_err(in_seed_terms)?;
    business.ok_or_else(|| Error::invalid("client_name", "Client name is required"))
}

/// Creates the tenant, on FREE, with its admin invited at `email` (`Conflict` naming
/// `client_name`, `email` or `phone_number` when one is registered already).
pub async fn create(
    ctx: &AppContext,
    partner: &Partner,
    input: &TenantInput,
) -> Result<Provisioned> {
    partner.require(KeyScope::TenantCreate)?;
    let business = checked(input)?;
    let tenant = registration::with_free_slug(|| try_create(ctx, partner, &business))
        .await
        .map_err(in_seed_terms)?;
    ctx.mail.wake();
    crate::billing::account::open(ctx, tenant.id).await;
    Ok(tenant.into())
}

async fn try_create(ctx: &AppContext, partner: &Partner, business: &Business) -> Result<Tenant> {
    let mut tx = TenantScope::for_new_tenant(TenantId::new())
        .begin(&ctx.db, Access::Write)
        .await?;
    let tenant = registration::open_tenant(&mut tx, business).await?;
    let sql = "UPDATE tenants SET provisioned_by_key = $2 WHERE id = $1";
    query::execute!(tx, sql, tenant.id, partner.key_id)?;
    crate::members::invitations::invite_owner(ctx, &mut tx, &business.profile.email).await?;
    let event = Event::new(Action::TenantRegistered, None, None)
        .about(tenant.slug.to_string())
        .detail(serde_json::json!({ "api_key_id": partner.key_id }));
    audit::tenant(&mut tx, &event).await?;
    tx.commit().await?;
    Ok(tenant)
}

/// Creates each tenant on its own: one refused does not undo the others.
pub async fn create_many(
    ctx: &AppContext,
    partner: &Partner,
    inputs: &[TenantInput],
) -> Result<Vec<Result<Provisioned>>> {
    partner.require(KeyScope::TenantCreate)?;
    let mut results = Vec::with_capacity(inputs.len());
    for input in inputs {
        results.push(create(ctx, partner, input).await);
    }
    Ok(results)
}

/// A tenant the key reaches, active or not (`NotFound` for an unknown id or another's
/// tenant).
pub async fn get(ctx: &AppContext, partner: &Partner, id: TenantId) -> Result<Provisioned> {
    partner.require(KeyScope::TenantRead)?;
    let (tenant, _) = reachable(ctx, partner, id).await?;
    Ok(tenant.into())
}

/// The tenant `id` if `partner` may act on it (one its key provisioned, or any with
/// `tenant:all`), with the scope the partner acts on it under, made here only. Every route
/// that names a tenant calls this before anything else touches the tenant; a tenant the key
/// does not reach is `NotFound`, the same answer as an unknown id, so that a key cannot learn
/// which other tenants exist.
async fn reachable(
    ctx: &AppContext,
    partner: &Partner,
    id: TenantId,
) -> Result<(Tenant, TenantScope)> {
    let mut tx = ctx.db.begin(Access::Read).await?;
    let sql = "SELECT provisioned_by_key FROM tenants WHERE id = $1";
    let provisioned_by: Option<(Option<ApiKeyId>,)> = query::optional!(tx, sql, id)?;
    let found = match provisioned_by {
        Some((by,)) if partner.reaches(by) => repository::find_by_id(&mut tx, id).await?,
        _ => None,
    };
    tx.rollback().await?;
    let tenant = found.ok_or(Error::NotFound)?;
    Ok((tenant, TenantScope::for_partner(id)))
}

/// Changes the fields given (the others stay).
pub async fn update(
    ctx: &AppContext,
    partner: &Partner,
    id: TenantId,
    input: &TenantInput,
) -> Result<Provisioned> {
    partner.require(KeyScope::TenantUpdate)?;
    let (_, scope) = reachable(ctx, partner, id).await?;
    let given = |text: &str| Some(text.to_owned()).filter(|t| !t.is_empty());
    let patch = TenantPatch {
        name: given(&input.client_name),
        email: given(&input.email),
        phone: input.phone_number.clone(),
        business_type: input.industry.clone(),
        ..TenantPatch::default()
    };
    let (tenant, _) = service::update(&ctx.db, &scope, &patch)
        .await
        .map_err(in_seed_terms)?;
    Ok(tenant.into())
}

/// Deactivates the tenant (soft, as a super admin's `DELETE /api/v1/tenants/{id}`).
pub async fn delete(ctx: &AppContext, partner: &Partner, id: TenantId) -> Result<()> {
    partner.require(KeyScope::TenantDelete)?;
    let (_, scope) = reachable(ctx, partner, id).await?;
    service::change_status(&ctx.db, &scope, TenantStatus::Inactive).await
}
