//! The wizard's server functions. What was typed is kept in the browser session (server
//! side) as a draft, saved before it is checked, so that back, next, a reload and a plain
//! form post without JavaScript all keep it; the password is kept only as its hash.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// What the wizard has so far (never the password itself).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Draft {
    pub business_name: String,
    pub preferred_slug: String,
    pub business_email: String,
    pub business_phone: String,
    pub business_type: String,
    pub website: String,
    pub description: String,
    pub admin_first_name: String,
    pub admin_last_name: String,
    pub admin_email: String,
    /// A password was chosen (and is kept, hashed).
    pub password_saved: bool,
    pub plan: String,
    pub annual: bool,
    /// What comes before and after the slug in a portal's address, for the preview.
    pub portal_address: (String, String),
}

/// The workspace address a name or slug would get now.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlugPreview {
    pub slug: String,
    /// `false`: the slug asked for is taken, and this is the next free one.
    pub as_asked: bool,
}

#[cfg(feature = "ssr")]
mod server {
    use oikos::tenants::registration::Registration;
    use serde::{Deserialize, Serialize};
    use tower_sessions::Session;

    use super::Draft;
    use crate::context::session_error;
    use crate::error::AppError;

    const DRAFT_KEY: &str = "register.draft";

    #[derive(Default, Serialize, Deserialize)]
    pub struct Stored {
        pub draft: Draft,
        /// The argon2id hash of the chosen password.
        pub password_hash: Option<String>,
    }

    pub async fn load(session: &Session) -> Result<Stored, AppError> {
        let stored: Option<Stored> = session.get(DRAFT_KEY).await.map_err(session_error)?;
        Ok(stored.unwrap_or_default())
    }

    pub async fn store(session: &Session, stored: &Stored) -> Result<(), AppError> {
        session
            .insert(DRAFT_KEY, stored)
            .await
            .map_err(|err| session_error(err).into())
    }

    pub async fn forget(session: &Session) -> Result<(), AppError> {
        session
            .remove::<Stored>(DRAFT_KEY)
            .await
            .map(|_| ())
            .map_err(|err| session_error(err).into())
    }

    /// Where the new owner lands: the dashboard, or with a paid plan chosen and billing on,
    /// that plan's confirmation page (the workspace starts on FREE until it is paid for).
    pub fn first_page(ctx: &oikos::AppContext, draft: &Draft) -> String {
        let paid = draft.plan != oikos::billing::plans::FREE && ctx.stripe.is_some();
        if !paid {
            return "/dashboard?welcome=1".to_owned();
        }
        let cycle = if draft.annual { "annual" } else { "monthly" };
        format!("/billing/change?plan={}&billing={cycle}", draft.plan)
    }

    /// The draft as the core's registration input.
    pub fn registration(draft: &Draft) -> Registration {
        let optional = |text: &str| Some(text.to_owned()).filter(|t| !t.trim().is_empty());
        Registration {
            business_name: draft.business_name.clone(),
            business_email: draft.business_email.clone(),
            business_phone: optional(&draft.business_phone),
            business_type: optional(&draft.business_type),
            description: optional(&draft.description),
            website: optional(&draft.website),
            preferred_slug: optional(&draft.preferred_slug),
            admin_first_name: draft.admin_first_name.clone(),
            admin_last_name: draft.admin_last_name.clone(),
            admin_email: draft.admin_email.clone(),
            ..Registration::default()
        }
    }
}

/// The draft, to fill in the wizard's forms.
#[server(endpoint = "register/draft")]
pub async fn registration_draft() -> Result<Draft, AppError> {
    let ctx = crate::context::app_context()?;
    let session = crate::context::session().await?;
    let mut stored = server::load(&session).await?;
    stored.draft.portal_address = ctx.links.portal_address_affixes();
    stored.draft.password_saved = stored.password_hash.is_some();
    if stored.draft.plan.is_empty() {
        stored.draft.plan = oikos::billing::plans::FREE.to_owned();
    }
    Ok(stored.draft)
}

/// Step 1, the business.
#[server(endpoint = "register/business")]
#[allow(clippy::too_many_arguments)]
pub async fn save_business(
    business_name: String,
    preferred_slug: String,
    business_email: String,
    business_phone: String,
    business_type: String,
    website: String,
    description: String,
) -> Result<(), AppError> {
    use oikos::error::FieldCheck;
    let ctx = crate::context::app_context()?;
    let session = crate::context::session().await?;
    let mut stored = server::load(&session).await?;
    let draft = &mut stored.draft;
    draft.business_name = business_name;
    draft.preferred_slug = preferred_slug;
    draft.business_email = business_email;
    draft.business_phone = business_phone;
    draft.business_type = business_type;
    draft.website = website;
    draft.description = description;
    server::store(&session, &stored).await?;
    let mut check = FieldCheck::new();
    let business = server::registration(&stored.draft).check_business(&mut check);
    check.finish()?;
    oikos::tenants::registration::ensure_new(&ctx, business.as_ref(), None).await?;
    crate::mount::redirect("/register/account");
    Ok(())
}

/// Step 2, the admin account. An empty password keeps the one chosen before.
#[server(endpoint = "register/account")]
pub async fn save_admin(
    admin_first_name: String,
    admin_last_name: String,
    admin_email: String,
    admin_password: String,
    back: Option<String>,
) -> Result<(), AppError> {
    use oikos::error::FieldCheck;
    use oikos::tenants::registration;
    let ctx = crate::context::app_context()?;
    let client = crate::context::request_context()?.client();
    let session = crate::context::session().await?;
    let mut stored = server::load(&session).await?;
    let draft = &mut stored.draft;
    draft.admin_first_name = admin_first_name;
    draft.admin_last_name = admin_last_name;
    draft.admin_email = admin_email;
    server::store(&session, &stored).await?;
    // Back saves what was typed without checking it.
    if back.is_some() {
        crate::mount::redirect("/register");
        return Ok(());
    }
    let mut input = server::registration(&stored.draft);
    input.admin_password = admin_password;
    let mut check = FieldCheck::new();
    let admin = input.check_admin(&mut check);
    let keep = input.admin_password.is_empty() && stored.password_hash.is_some();
    let password = if keep {
        None
    } else {
        input.check_password(&mut check)
    };
    check.finish()?;
    registration::ensure_new(&ctx, None, admin.as_ref()).await?;
    if let Some(password) = password {
        registration::admit(&ctx, &client).await?;
        let hash = ctx.passwords.hash(&password).await?;
        stored.password_hash = Some(hash.as_phc().to_owned());
        server::store(&session, &stored).await?;
    }
    crate::mount::redirect("/register/plan");
    Ok(())
}

/// Step 3, the plan (FREE unless another is chosen) and how it is billed.
#[server(endpoint = "register/plan")]
pub async fn save_plan(
    plan: String,
    billing: Option<String>,
    back: Option<String>,
) -> Result<(), AppError> {
    let ctx = crate::context::app_context()?;
    let session = crate::context::session().await?;
    let mut stored = server::load(&session).await?;
    if ctx.plans.get(&plan).is_none() {
        return Err(oikos::Error::invalid("plan", "Choose one of the plans.").into());
    }
    stored.draft.plan = plan;
    stored.draft.annual = billing.as_deref() == Some("annual");
    server::store(&session, &stored).await?;
    crate::mount::redirect(if back.is_some() {
        "/register/account"
    } else {
        "/register/review"
    });
    Ok(())
}

/// Step 4: both consents, then the workspace is created and its admin signed in, and on to
/// the dashboard on its portal (by a handoff).
#[server(endpoint = "register/submit")]
pub async fn submit_registration(
    terms_accepted: Option<String>,
    privacy_accepted: Option<String>,
) -> Result<(), AppError> {
    use oikos::error::FieldCheck;
    use oikos::tenants::registration;
    use oikos::users::PasswordHash;
    let ctx = crate::context::app_context()?;
    let client = crate::context::request_context()?.client();
    let session = crate::context::session().await?;
    let stored = server::load(&session).await?;
    let mut input = server::registration(&stored.draft);
    input.terms_accepted = terms_accepted.is_some();
    input.privacy_accepted = privacy_accepted.is_some();
    let mut check = FieldCheck::new();
    let business = input.check_business(&mut check);
    let admin = input.check_admin(&mut check);
    if stored.password_hash.is_none() {
        check.fail("admin_password", "Choose a password (step 2).");
    }
    input.check_consents(&mut check);
    check.finish()?;
    let (Some(business), Some(admin), Some(hash)) = (business, admin, stored.password_hash) else {
        return Err(oikos::Error::invalid("admin_password", "Choose a password (step 2).").into());
    };
    let hash = PasswordHash::from_phc(hash);
    let (registered, outcome) =
        registration::register_and_sign_in(&ctx, &business, &admin, hash, &client).await?;
    server::forget(&session).await?;
    crate::context::start_session(&session, outcome.sign_in().session(), &client).await?;
    let owner = outcome.sign_in().user.id;
    let slug = registered.tenant.slug.as_str();
    let next = server::first_page(&ctx, &stored.draft);
    let portal = oikos::identity::handoff::issue(&ctx, owner, slug, &next);
    crate::mount::redirect(&portal.await?);
    Ok(())
}

/// The workspace address a business name (or a slug typed) would get now.
#[server(endpoint = "register/slug")]
pub async fn preview_slug(
    business_name: String,
    preferred_slug: String,
) -> Result<Option<SlugPreview>, AppError> {
    let ctx = crate::context::app_context()?;
    let preview =
        oikos::tenants::registration::preview_slug(&ctx, &business_name, &preferred_slug).await?;
    Ok(preview.map(|p| SlugPreview {
        slug: p.slug.to_string(),
        as_asked: p.as_asked,
    }))
}
