//! Sign-in with email and password, for the browser (a session) and the API (tokens).
//!
//! An unknown address and a wrong password answer alike, in status, body and time: the
//! password is checked against a dummy hash when there is no account. A member of several
//! workspaces who names none gets the list to choose from.

use super::tokens::{Grant, TokenPair};
use super::{throttle, Client};
use crate::audit::{self, Action, Event};
use crate::db::{Access, Db, Tx};
use crate::members::UserTenant;
use crate::tenancy::{Principal, SystemScope, TenantId, UserId};
use crate::tenants::TenantStatus;
use crate::users::{repository as users, User};
use crate::values::{Email, Slug};
use crate::{AppContext, Error, Result};

/// A successful sign-in: the account, and the workspace it acts in (if any).
#[derive(Clone, Debug)]
pub struct SignIn {
    pub user: User,
    pub tenant: Option<UserTenant>,
    principal: Principal,
}

impl SignIn {
    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    pub fn grant(&self) -> Grant {
        Grant::new(&self.user, self.tenant.as_ref().map(|t| (t.tenant, t.role)))
    }

    /// What the browser session keeps of this sign-in.
    pub fn session(&self) -> super::sessions::SessionAuth {
        super::sessions::SessionAuth::new(&self.user, self.tenant.as_ref().map(|t| t.tenant))
    }
}

#[derive(Clone, Debug)]
pub enum LoginOutcome {
    SignedIn(SignIn),
    /// Several workspaces and none named. The API answers the list (the client signs in
    /// again naming one); the browser signs in to no workspace and shows the choice.
    ChooseTenant {
        sign_in: SignIn,
        tenants: Vec<UserTenant>,
    },
}

impl LoginOutcome {
    pub fn sign_in(&self) -> &SignIn {
        match self {
            LoginOutcome::SignedIn(sign_in) | LoginOutcome::ChooseTenant { sign_in, .. } => sign_in,
        }
    }
}

pub struct Credentials<'a> {
    pub email: &'a str,
    pub password: &'a str,
    pub tenant_slug: Option<&'a str>,
}

/// Checks the credentials (rate-limited per address and per account), then picks the
/// workspace. Every attempt is audited.
pub async fn login(
    ctx: &AppContext,
    credentials: &Credentials<'_>,
    client: &Client,
) -> Result<LoginOutcome> {
    throttle::login(&ctx.db, client.ip, credentials.email).await?;
    let user = match Email::parse(credentials.email) {
        Ok(email) => find_by_email(&ctx.db, &email).await?,
        Err(_) => None,
    };
    let hash = match &user {
        Some(user) => ctx.db.password_hash(user.id).await?,
        None => None,
    };
    let verified = ctx
        .passwords
        .verify(credentials.password, hash.as_ref())
        .await?;
    let user = match user.filter(|user| verified && user.is_active) {
        Some(user) => user,
        None => {
            throttle::login_failed(&ctx.db, credentials.email).await?;
            let event = Event::new(Action::LoginFailed, None, Some(client.ip)).about(
                credentials
                    .email
                    .trim()
                    .chars()
                    .take(320)
                    .collect::<String>(),
            );
            audit::platform_now(&ctx.db, &event).await?;
            return Err(Error::InvalidCredentials);
        }
    };
    let outcome = choose_tenant(&ctx.db, &user, credentials.tenant_slug).await?;
    record_sign_in(&ctx.db, outcome.sign_in(), client).await?;
    Ok(outcome)
}

/// Signs in an account another proof has already established (OpenID Connect): the same
/// workspace choice and audit as a password sign-in.
pub(crate) async fn sign_in_verified(
    ctx: &AppContext,
    user: User,
    client: &Client,
) -> Result<LoginOutcome> {
    if !user.is_active {
        return Err(Error::InvalidCredentials);
    }
    let outcome = choose_tenant(&ctx.db, &user, None).await?;
    record_sign_in(&ctx.db, outcome.sign_in(), client).await?;
    Ok(outcome)
}

/// [`login`], answered with a token pair for the API.
pub async fn login_for_tokens(
    ctx: &AppContext,
    credentials: &Credentials<'_>,
    client: &Client,
) -> Result<(LoginOutcome, Option<TokenPair>)> {
    let outcome = login(ctx, credentials, client).await?;
    let tokens = match &outcome {
        LoginOutcome::SignedIn(sign_in) => {
            let mut tx = ctx.db.begin(Access::Write).await?;
            let pair = ctx.tokens.issue(&mut tx, &sign_in.grant()).await?;
            tx.commit().await?;
            Some(pair)
        }
        LoginOutcome::ChooseTenant { .. } => None,
    };
    Ok((outcome, tokens))
}

async fn choose_tenant(db: &Db, user: &User, slug: Option<&str>) -> Result<LoginOutcome> {
    let tenants = db.user_tenants(user.id).await?;
    if user.email_verified_at.is_none() && tenants.is_empty() && !user.is_super_admin {
        return Err(Error::EmailNotVerified);
    }
    let sign_in = |tenant| SignIn {
        user: user.clone(),
        tenant,
        principal: Principal::authenticated(user.id, user.is_super_admin),
    };
    let signed_in = |tenant| LoginOutcome::SignedIn(sign_in(tenant));
    if let Some(slug) = slug.map(str::trim).filter(|slug| !slug.is_empty()) {
        let slug = Slug::parse(&crate::values::fold(slug)).map_err(|_| Error::TenantMismatch)?;
        let tenant = tenants
            .into_iter()
            .find(|t| t.slug == slug)
            .ok_or(Error::TenantMismatch)?;
        if tenant.status != TenantStatus::Active {
            return Err(Error::TenantInactive);
        }
        return Ok(signed_in(Some(tenant)));
    }
    let mut active: Vec<UserTenant> = tenants
        .into_iter()
        .filter(|t| t.status == TenantStatus::Active)
        .collect();
    Ok(match active.len() {
        0 => signed_in(None),
        1 => signed_in(active.pop()),
        _ => LoginOutcome::ChooseTenant {
            sign_in: sign_in(None),
            tenants: active,
        },
    })
}

async fn record_sign_in(db: &Db, sign_in: &SignIn, client: &Client) -> Result<()> {
    let event = Event::new(
        Action::LoginSucceeded,
        Some(sign_in.user.id),
        Some(client.ip),
    );
    match &sign_in.tenant {
        Some(tenant) => {
            let scope = SystemScope::new().tenant(tenant.tenant);
            let mut tx = scope.begin(db, Access::Write).await?;
            audit::tenant(&mut tx, &event).await?;
            tx.commit().await
        }
        None => audit::platform_now(db, &event).await,
    }
}

async fn find_by_email(db: &Db, email: &Email) -> Result<Option<User>> {
    let mut tx = db.begin(Access::Read).await?;
    let user = users::find_by_email(&mut tx, email).await?;
    tx.rollback().await?;
    Ok(user)
}

/// The principal of an active account, read afresh: what a session or a token names is
/// believed only while the account exists and is active.
pub(crate) async fn active_principal(db: &Db, user: UserId) -> Result<Option<(Principal, User)>> {
    let mut tx = db.begin(Access::Read).await?;
    let found = active_principal_in(&mut tx, user).await?;
    tx.rollback().await?;
    Ok(found)
}

/// [`active_principal`], inside a transaction of the caller's.
pub(crate) async fn active_principal_in(
    tx: &mut Tx,
    user: UserId,
) -> Result<Option<(Principal, User)>> {
    Ok(users::find_by_id(tx, user)
        .await?
        .filter(|user| user.is_active)
        .map(|user| (Principal::authenticated(user.id, user.is_super_admin), user)))
}

/// The account and workspace an API access token names, after checking both afresh.
pub async fn authenticate_bearer(ctx: &AppContext, token: &str) -> Result<Authenticated> {
    let claims = ctx.tokens.verify_access(token)?;
    let (principal, user) = active_principal(&ctx.db, claims.sub)
        .await?
        .filter(|(_, user)| claims.iat > user.tokens_valid_after)
        .ok_or(Error::Unauthorized)?;
    Ok(Authenticated {
        principal,
        user,
        tenant: claims.tenant_id,
        impersonation: None,
    })
}

/// A request's verified caller.
#[derive(Clone, Debug)]
pub struct Authenticated {
    pub principal: Principal,
    pub user: User,
    /// The workspace the session or token was opened for; the scope re-checks membership.
    pub tenant: Option<TenantId>,
    /// A super admin acting as `user` (a session opened by impersonation), if one is.
    pub impersonation: Option<super::impersonation::Impersonation>,
}

/// `POST /api/v1/auth/refresh`: the next token pair of the family, for the same account and
/// workspace, if both still hold.
pub async fn refresh(ctx: &AppContext, refresh_token: &str) -> Result<TokenPair> {
    let (mut tx, redeemed) = ctx.tokens.redeem(&ctx.db, refresh_token).await?;
    let (_, user) = active_principal(&ctx.db, redeemed.user_id)
        .await?
        .ok_or(Error::Unauthorized)?;
    let tenant = match redeemed.active_tenant {
        Some(id) => {
            let tenants = ctx.db.user_tenants(user.id).await?;
            let tenant = tenants
                .into_iter()
                .find(|t| t.tenant == id && t.status == TenantStatus::Active)
                .ok_or(Error::Unauthorized)?;
            Some((tenant.tenant, tenant.role))
        }
        None => None,
    };
    let grant = Grant::new(&user, tenant);
    let pair = ctx
        .tokens
        .rotate(&mut tx, redeemed.family_id, &grant)
        .await?;
    tx.commit().await?;
    Ok(pair)
}

/// Revokes the family of a refresh token (signing out one device). Unknown tokens: nothing.
pub async fn revoke_refresh(ctx: &AppContext, refresh_token: &str) -> Result<()> {
    ctx.tokens.revoke(&ctx.db, refresh_token).await.map(|_| ())
}
