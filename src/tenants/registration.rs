//! Self-service registration (PRODUCT.md §1; the Reserva guide's `POST
//! /api/v1/public/register`): a business, its first admin, the admin's membership, the FREE
//! subscription, the audit entry and the verification mail, all in one transaction.

use chrono::Utc;

use super::fields::{limited, optional, parse_website};
use super::{repository, Tenant, TenantProfile, TenantStatus};
use crate::audit::{self, Action, Event};
use crate::billing::subscriptions;
use crate::db::{query, Access, TenantTx, Tx};
use crate::error::{parse_name, FieldCheck};
use crate::identity::login::{self, LoginOutcome};
use crate::identity::{accounts, throttle, Client};
use crate::members;
use crate::tenancy::{AdminScope, Role, TenantId, TenantScope};
use crate::users::{repository as users, NewUser, PasswordHash, User};
use crate::values::{fold, Email, Password, Phone, Slug};
use crate::{AppContext, Error, Result};

/// What the wizard and the REST endpoint take: the Reserva guide's request, field by field
/// (absent fields are empty, so that each is reported by name).
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct Registration {
    pub business_name: String,
    pub business_email: String,
    pub business_phone: Option<String>,
    pub business_type: Option<String>,
    pub description: Option<String>,
    pub website: Option<String>,
    pub preferred_slug: Option<String>,
    pub admin_first_name: String,
    pub admin_last_name: String,
    pub admin_email: String,
    pub admin_password: String,
    pub terms_accepted: bool,
    pub privacy_accepted: bool,
}

/// A business as checked: its profile and the slug it asked for (or one made from its name).
#[derive(Clone, Debug)]
pub struct Business {
    pub profile: TenantProfile,
    pub slug: Slug,
}

/// The first admin as checked (the password stays typed until it is hashed).
#[derive(Clone, Debug)]
pub struct Admin {
    pub first_name: String,
    pub last_name: String,
    pub email: Email,
}

#[derive(Clone, Debug)]
pub struct Registered {
    /// `reg_…`: names this registration in the audit log and the answer.
    pub registration_id: String,
    pub tenant: Tenant,
    pub admin: User,
    /// The workspace's Stripe customer, when billing is on and Stripe answered.
    pub billing_customer_id: Option<String>,
}

impl Registration {
    /// The business step's fields; errors go into `check`.
    pub fn check_business(&self, check: &mut FieldCheck) -> Option<Business> {
        let name = check.field("business_name", parse_name(&self.business_name));
        let email = check.field("business_email", Email::parse(&self.business_email));
        let phone = optional(&self.business_phone)
            .map(|phone| check.field("business_phone", Phone::parse(phone)));
        let business_type = check.field(
            "business_type",
            limited(&self.business_type, 50, "Use at most 50 characters."),
        );
        let description = check.field(
            "description",
            limited(&self.description, 1000, "Use at most 1,000 characters."),
        );
        let website = check.field("website", parse_website(&self.website));
        let slug = match optional(&self.preferred_slug) {
            Some(wanted) => check.field("preferred_slug", Slug::parse(wanted)),
            None => name.as_deref().and_then(|name| {
                let made = Slug::from_name(name);
                check.field(
                    "preferred_slug",
                    made.ok_or("Choose the address of your workspace (letters and digits)."),
                )
            }),
        };
        let profile = TenantProfile {
            name: name?,
            business_type: business_type?,
            email: email?,
            phone: match phone {
                Some(parsed) => Some(parsed?.to_string()),
                None => None,
            },
            website: website?,
            description: description?,
        };
        Some(Business {
            profile,
            slug: slug?,
        })
    }

    /// The admin step's names and address.
    pub fn check_admin(&self, check: &mut FieldCheck) -> Option<Admin> {
        let first_name = check.field("admin_first_name", parse_name(&self.admin_first_name));
        let last_name = check.field("admin_last_name", parse_name(&self.admin_last_name));
        let email = check.field("admin_email", Email::parse(&self.admin_email));
        Some(Admin {
            first_name: first_name?,
            last_name: last_name?,
            email: email?,
        })
    }

    /// The admin's password, against the policy (it is hashed before it goes anywhere).
    pub fn check_password(&self, check: &mut FieldCheck) -> Option<Password> {
        check.field("admin_password", Password::parse(&self.admin_password))
    }

    /// The review step: both consents.
    pub fn check_consents(&self, check: &mut FieldCheck) {
        if !self.terms_accepted {
            check.fail("terms_accepted", "Accept the terms of service to continue.");
        }
        if !self.privacy_accepted {
            check.fail("privacy_accepted", "Accept the privacy policy to continue.");
        }
    }
}

/// Registers a business from one request: every field checked at once, then
/// [`register_checked`].
pub async fn register(
    ctx: &AppContext,
    input: &Registration,
    client: &Client,
) -> Result<Registered> {
    admit(ctx, client).await?;
    let (business, admin, password) = checked(input, true)?;
    let hash = ctx.passwords.hash(&password).await?;
    register_checked(ctx, &business, &admin, hash, client).await
}

/// A super admin creates a tenant with its first admin (`POST /api/v1/tenants`): the checks
/// and the one transaction of a registration, without the consents (the operator answers
/// for them) and without the sign-up rate limit.
pub async fn create_by(
    ctx: &AppContext,
    _by: &AdminScope,
    input: &Registration,
    client: &Client,
) -> Result<Registered> {
    let (business, admin, password) = checked(input, false)?;
    let hash = ctx.passwords.hash(&password).await?;
    register_checked(ctx, &business, &admin, hash, client).await
}

/// Every field of `input` (and the consents, when asked), all errors at once.
fn checked(input: &Registration, consents: bool) -> Result<(Business, Admin, Password)> {
    let mut check = FieldCheck::new();
    let business = input.check_business(&mut check);
    let admin = input.check_admin(&mut check);
    let password = input.check_password(&mut check);
    if consents {
        input.check_consents(&mut check);
    }
    check.finish()?;
    match (business, admin, password) {
        (Some(business), Some(admin), Some(password)) => Ok((business, admin, password)),
        _ => Err(anyhow::anyhow!("a checked field is missing").into()),
    }
}

/// Counts an attempt against the address's sign-up limit (before a password is hashed).
pub async fn admit(ctx: &AppContext, client: &Client) -> Result<()> {
    throttle::sign_up(&ctx.db, client.ip).await
}

/// The wizard's last step: registers, then signs the new admin in to the new workspace.
pub async fn register_and_sign_in(
    ctx: &AppContext,
    business: &Business,
    admin: &Admin,
    hash: PasswordHash,
    client: &Client,
) -> Result<(Registered, LoginOutcome)> {
    let registered = register_checked(ctx, business, admin, hash, client).await?;
    let outcome = login::sign_in_verified(ctx, registered.admin.clone(), client).await?;
    Ok((registered, outcome))
}

/// What the wizard shows while a name or slug is typed: the slug the workspace would get
/// now, and whether it is the one asked for (`false`: taken, so a suffix was added).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlugPreview {
    pub slug: Slug,
    pub as_asked: bool,
}

/// The slug a registration would get now, or `None` when the input makes none.
pub async fn preview_slug(
    ctx: &AppContext,
    business_name: &str,
    preferred: &str,
) -> Result<Option<SlugPreview>> {
    let wanted = if preferred.trim().is_empty() {
        Slug::from_name(business_name)
    } else {
        Slug::parse(preferred).ok()
    };
    let Some(wanted) = wanted else {
        return Ok(None);
    };
    let mut tx = ctx.db.begin(Access::Read).await?;
    let slug = free_slug(&mut tx, &wanted).await?;
    tx.rollback().await?;
    Ok(Some(SlugPreview {
        as_asked: slug == wanted,
        slug,
    }))
}

/// How often a registration is tried again when another one took its slug in between.
const SLUG_ATTEMPTS: usize = 5;

/// Creates everything in one transaction. A duplicate name, email or phone is `Conflict`
/// naming the request's field; a taken slug gets the next free suffix (`salon` → `salon-1`),
/// and a registration that lost its slug to a concurrent one is tried again.
pub async fn register_checked(
    ctx: &AppContext,
    business: &Business,
    admin: &Admin,
    hash: PasswordHash,
    client: &Client,
) -> Result<Registered> {
    let registered =
        with_free_slug(|| try_register(ctx, business, admin, hash.clone(), client)).await?;
    ctx.mail.wake();
    Ok(registered)
}

/// Runs `create` (which makes a tenant) again while it loses its slug to a concurrent one;
/// a conflict on another unique field is named as the registration request names it.
pub(crate) async fn with_free_slug<T, F, Fut>(mut create: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Result<T>>,
{
    let mut attempt = 0;
    loop {
        attempt += 1;
        match create().await {
            Err(Error::Conflict { field }) if field == "slug" && attempt < SLUG_ATTEMPTS => {
                continue
            }
            Err(Error::Conflict { field }) => {
                return Err(Error::Conflict {
                    field: request_field(&field),
                })
            }
            done => return done,
        }
    }
}

/// Inserts the tenant `business` describes, on FREE, in the new tenant's transaction:
/// `Conflict` for a name, email or phone registered already; the next free slug.
pub(crate) async fn open_tenant(tx: &mut TenantTx, business: &Business) -> Result<Tenant> {
    refuse_duplicate(tx.platform(), Some(&business.profile), None).await?;
    let now = Utc::now();
    let tenant = Tenant {
        id: tx.tenant_id(),
        slug: free_slug(tx.platform(), &business.slug).await?,
        profile: business.profile.clone(),
        status: TenantStatus::Active,
        created_at: now,
        updated_at: now,
        erase_after: None,
    };
    repository::insert(tx.platform(), &tenant).await?;
    subscriptions::start_free(tx).await?;
    super::service::announce_created(tx, &tenant).await?;
    Ok(tenant)
}

async fn try_register(
    ctx: &AppContext,
    business: &Business,
    admin: &Admin,
    hash: PasswordHash,
    client: &Client,
) -> Result<Registered> {
    let mut tx = TenantScope::for_new_tenant(TenantId::new())
        .begin(&ctx.db, Access::Write)
        .await?;
    let tenant = open_tenant(&mut tx, business).await?;
    refuse_duplicate(tx.platform(), None, Some(&admin.email)).await?;
    let new_admin = NewUser {
        email: admin.email.clone(),
        password_hash: Some(hash),
        first_name: admin.first_name.clone(),
        last_name: admin.last_name.clone(),
        is_super_admin: false,
        email_verified: false,
    };
    let user = users::insert(tx.platform(), new_admin)
        .await
        .map_err(|err| match err {
            Error::Conflict { .. } => Error::Conflict {
                field: "admin_email".to_owned(),
            },
            other => other,
        })?;
    members::repository::insert(&mut tx, user.id, Role::TenantAdmin).await?;
    accounts::send_verification(ctx, tx.platform(), &user).await?;
    let registration_id = format!("reg_{}", &uuid::Uuid::new_v4().simple().to_string()[..24]);
    let event = Event::new(Action::TenantRegistered, Some(user.id), Some(client.ip))
        .about(tenant.slug.to_string())
        .detail(serde_json::json!({ "registration_id": registration_id }));
    audit::tenant(&mut tx, &event).await?;
    tx.commit().await?;
    let billing_customer_id = crate::billing::account::open(ctx, tenant.id).await;
    Ok(Registered {
        registration_id,
        tenant,
        admin: user,
        billing_customer_id,
    })
}

/// Whether the business (or the admin's address) is registered already: `Conflict` naming
/// the field. The wizard asks at each step; the final transaction asks again.
pub async fn ensure_new(
    ctx: &AppContext,
    business: Option<&Business>,
    admin: Option<&Admin>,
) -> Result<()> {
    let mut tx = ctx.db.begin(Access::Read).await?;
    let refused = refuse_duplicate(
        &mut tx,
        business.map(|b| &b.profile),
        admin.map(|a| &a.email),
    )
    .await;
    tx.rollback().await?;
    refused
}

/// `Conflict` naming the field of the first [`duplicate`] found.
async fn refuse_duplicate(
    tx: &mut Tx,
    profile: Option<&TenantProfile>,
    admin: Option<&Email>,
) -> Result<()> {
    match duplicate(tx, profile, admin).await? {
        Some(field) => Err(Error::Conflict {
            field: field.to_owned(),
        }),
        None => Ok(()),
    }
}

/// The request field a duplicate is about, checked before inserting so that the answer
/// names it; the unique indexes still decide under concurrency. A `None` is not checked.
async fn duplicate(
    tx: &mut Tx,
    profile: Option<&TenantProfile>,
    admin: Option<&Email>,
) -> Result<Option<&'static str>> {
    let sql = "SELECT
                 (SELECT count(*) FROM tenants WHERE name_key = $1),
                 (SELECT count(*) FROM tenants WHERE email = $2),
                 (SELECT count(*) FROM tenants WHERE phone = $3),
                 (SELECT count(*) FROM users WHERE email = $4)";
    let counts: (i64, i64, i64, i64) = query::optional!(
        tx,
        sql,
        profile.map(|p| fold(&p.name)),
        profile.map(|p| &p.email),
        profile.and_then(|p| p.phone.as_ref()),
        admin
    )?
    .unwrap_or_default();
    let fields = [
        (counts.0, "business_name"),
        (counts.1, "business_email"),
        (counts.2, "business_phone"),
        (counts.3, "admin_email"),
    ];
    Ok(fields
        .into_iter()
        .find(|(count, _)| *count > 0)
        .map(|(_, field)| field))
}

/// A unique index's field (`tenants__name_key` → `name`) as the request names it.
fn request_field(field: &str) -> String {
    match field {
        "name" => "business_name",
        "email" => "business_email",
        "phone" => "business_phone",
        "slug" => "preferred_slug",
        other => other,
    }
    .to_owned()
}

/// `wanted` if free, else the first free `wanted-N` (shortened to fit 50 characters).
async fn free_slug(tx: &mut Tx, wanted: &Slug) -> Result<Slug> {
    let base = wanted.as_str();
    let sql = "SELECT slug FROM tenants WHERE slug = $1 OR slug LIKE $2";
    let taken: Vec<(String,)> = query::all!(tx, sql, base, format!("{base}-%"))?;
    let is_taken = |candidate: &str| taken.iter().any(|(slug,)| slug == candidate);
    if !is_taken(base) {
        return Ok(wanted.clone());
    }
    (1..=taken.len() + 1)
        .map(|n| suffixed(base, n))
        .find(|candidate| !is_taken(candidate))
        .and_then(|candidate| Slug::parse(&candidate).ok())
        .ok_or_else(|| anyhow::anyhow!("no free slug after {base}").into())
}

fn suffixed(base: &str, n: usize) -> String {
    let suffix = format!("-{n}");
    let keep = base.len().min(50 - suffix.len());
    format!("{}{suffix}", base[..keep].trim_end_matches('-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_fit_the_slug_length() {
        assert_eq!(suffixed("salon", 1), "salon-1");
        let long = "a".repeat(50);
        assert_eq!(suffixed(&long, 12).len(), 50);
        assert!(Slug::parse(&suffixed("ab-c", 3)).is_ok());
    }
}
