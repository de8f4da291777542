//! The server functions behind the sign-in and account pages. Each reads the request
//! context, calls one core service, and answers; on success the browser is sent on with
//! `leptos_axum::redirect`, which also works for a plain form post without JavaScript.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub email_verified: bool,
    pub is_super_admin: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub current: bool,
    /// "Chrome on Linux", from the User-Agent.
    pub browser: String,
    /// The User-Agent as sent (the list shows it on hover).
    pub agent: String,
    pub ip: String,
    pub signed_in: String,
    pub last_seen: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceView {
    pub slug: String,
    pub name: String,
    pub role: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub user: UserView,
    pub sessions: Vec<SessionView>,
    pub workspaces: Vec<WorkspaceView>,
}

#[cfg(feature = "ssr")]
pub(crate) mod server {
    use super::*;

    pub use crate::context::{session, session_error as internal, start_session as start};

    /// Only a path on this site: never `//host` or a full URL (no open redirect).
    pub fn local_path(next: Option<String>, fallback: &str) -> String {
        next.as_deref()
            .and_then(oikos::links::local_path)
            .unwrap_or(fallback)
            .to_owned()
    }

    pub fn user_view(user: &oikos::users::User) -> UserView {
        UserView {
            email: user.email.to_string(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            email_verified: user.email_verified_at.is_some(),
            is_super_admin: user.is_super_admin,
        }
    }

    pub fn time(unix: i64) -> String {
        chrono::DateTime::from_timestamp(unix, 0)
            .map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
            .unwrap_or_default()
    }

    /// Ends the impersonation `caller` acts in; answers where its super admin goes next:
    /// the tenant's page on the main site.
    pub async fn end_impersonation(
        ctx: &oikos::AppContext,
        request: &crate::context::RequestContext,
        caller: &oikos::identity::login::Authenticated,
    ) -> Result<String, AppError> {
        let client = request.client();
        let tenant = oikos::identity::impersonation::end(&ctx.db, caller, &client).await?;
        Ok(ctx
            .links
            .main(&format!("/admin/tenants/{tenant}?impersonation=ended")))
    }

    pub fn workspace_view(t: &oikos::members::UserTenant) -> WorkspaceView {
        WorkspaceView {
            slug: t.slug.to_string(),
            name: t.name.clone(),
            role: t.role.to_string(),
        }
    }
}

/// Signs in with email and password. On a portal, to that workspace and its dashboard; on
/// the main site, on to the only workspace's portal, to the choice when there are several,
/// or to the account page.
#[server(endpoint = "auth/login")]
pub async fn log_in(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use crate::context::Site;
    use oikos::identity::login::{self, Credentials, LoginOutcome};
    let ctx = crate::context::app_context()?;
    let request = crate::context::request_context()?;
    let client = request.client();
    let portal = match &request.site {
        Site::Tenant(slug) => Some(slug.to_string()),
        Site::Main => None,
    };
    let credentials = Credentials {
        email: &email,
        password: &password,
        tenant_slug: portal.as_deref(),
    };
    let outcome = login::login(&ctx, &credentials, &client).await?;
    let session = server::session().await?;
    server::start(&session, outcome.sign_in().session(), &client).await?;
    let target = match (&outcome, portal) {
        (_, Some(_)) => server::local_path(next, oikos::identity::handoff::LANDING),
        (LoginOutcome::ChooseTenant { .. }, None) => "/choose-workspace".to_owned(),
        (LoginOutcome::SignedIn(sign_in), None) => match (&sign_in.tenant, next) {
            (Some(tenant), None) => {
                let user = sign_in.user.id;
                let slug = tenant.slug.as_str();
                oikos::identity::handoff::issue(&ctx, user, slug, "/dashboard").await?
            }
            (_, next) => server::local_path(next, "/account"),
        },
    };
    crate::mount::redirect(&target);
    Ok(())
}

/// Opens one of the caller's workspaces: its portal, signed in by a handoff (from the main
/// site, the choice after sign-in, or another portal's switcher).
#[server(endpoint = "auth/open_workspace")]
pub async fn open_workspace(slug: String) -> Result<(), AppError> {
    let ctx = crate::context::app_context()?;
    let caller = crate::context::request_context()?.caller()?.clone();
    let user = caller.auth.principal.user_id();
    let target = oikos::identity::handoff::issue(&ctx, user, &slug, "/dashboard").await?;
    crate::mount::redirect(&target);
    Ok(())
}

/// Creates an account and mails the verification link.
#[server(endpoint = "auth/sign_up")]
pub async fn sign_up(
    first_name: String,
    last_name: String,
    email: String,
    password: String,
) -> Result<(), AppError> {
    let ctx = crate::context::app_context()?;
    let client = crate::context::request_context()?.client();
    let input = oikos::identity::accounts::SignUp {
        email,
        password,
        first_name,
        last_name,
    };
    oikos::identity::accounts::register(&ctx, &input, &client).await?;
    crate::mount::redirect("/check-email");
    Ok(())
}

/// Confirms an address with the token from the mail (a POST: opening the link changes
/// nothing by itself, so mail scanners that follow links cannot use it up).
#[server(endpoint = "auth/verify_email")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    let ctx = crate::context::app_context()?;
    oikos::identity::accounts::verify_email(&ctx, &token).await?;
    crate::mount::redirect("/login?verified=1");
    Ok(())
}

/// Sends a new verification link (the same answer for any address).
#[server(endpoint = "auth/resend_verification")]
pub async fn resend_verification(email: String) -> Result<(), AppError> {
    let ctx = crate::context::app_context()?;
    let client = crate::context::request_context()?.client();
    oikos::identity::accounts::resend_verification(&ctx, &email, &client).await?;
    crate::mount::redirect("/check-email");
    Ok(())
}

/// Mails a reset link (the same answer whether or not the address has an account).
#[server(endpoint = "auth/forgot_password")]
pub async fn forgot_password(email: String) -> Result<(), AppError> {
    let ctx = crate::context::app_context()?;
    let client = crate::context::request_context()?.client();
    oikos::identity::accounts::request_reset(&ctx, &email, &client).await?;
    crate::mount::redirect("/forgot-password?sent=1");
    Ok(())
}

/// Sets a new password from a reset link; every session of the account ends.
#[server(endpoint = "auth/reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    let ctx = crate::context::app_context()?;
    let client = crate::context::request_context()?.client();
    oikos::identity::accounts::confirm_reset(&ctx, &token, &password, &client).await?;
    crate::mount::redirect("/login?reset=1");
    Ok(())
}

/// How one may sign in here (the login page shows the Google button only when configured).
#[server(endpoint = "auth/options")]
pub async fn sign_in_options() -> Result<bool, AppError> {
    Ok(crate::context::app_context()?.oidc.is_some())
}

/// The signed-in user, or `None` (for the header).
#[server(endpoint = "auth/whoami")]
pub async fn whoami() -> Result<Option<UserView>, AppError> {
    let request = crate::context::request_context()?;
    Ok(request
        .caller
        .as_ref()
        .map(|c| server::user_view(&c.auth.user)))
}

/// The account page's data: the user, their sessions and workspaces.
#[server(endpoint = "account/overview")]
pub async fn account_overview() -> Result<AccountView, AppError> {
    use oikos::identity::{accounts, sessions};
    let ctx = crate::context::app_context()?;
    let request = crate::context::request_context()?;
    let caller = request.caller()?;
    let current = server::session().await?.id().map(|id| id.to_string());
    let principal = &caller.auth.principal;
    let user = accounts::me(&ctx.db, principal).await?;
    let listed = sessions::list(&ctx.db, &ctx.seals, principal, current.as_deref()).await?;
    let workspaces = accounts::my_tenants(&ctx.db, principal).await?;
    Ok(AccountView {
        user: server::user_view(&user),
        sessions: listed
            .into_iter()
            .map(|s| SessionView {
                current: s.current,
                browser: s
                    .user_agent
                    .as_deref()
                    .and_then(oikos::identity::device_name)
                    .unwrap_or_else(|| "Unknown browser".to_owned()),
                agent: s.user_agent.unwrap_or_default(),
                ip: s.ip.unwrap_or_default(),
                signed_in: server::time(s.created_at),
                last_seen: server::time(s.last_seen_at),
            })
            .collect(),
        workspaces: workspaces.iter().map(server::workspace_view).collect(),
    })
}

#[server(endpoint = "account/update_name")]
pub async fn update_name(first_name: String, last_name: String) -> Result<(), AppError> {
    let ctx = crate::context::app_context()?;
    let request = crate::context::request_context()?;
    let principal = &request.caller()?.auth.principal;
    oikos::identity::accounts::update_name(&ctx.db, principal, &first_name, &last_name).await?;
    crate::mount::redirect("/account?saved=name");
    Ok(())
}

#[server(endpoint = "account/change_password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    let ctx = crate::context::app_context()?;
    let request = crate::context::request_context()?;
    let principal = &request.caller()?.auth.principal;
    let keep = server::session().await?.id().map(|id| id.to_string());
    oikos::identity::accounts::change_password(
        &ctx,
        principal,
        &current_password,
        &new_password,
        keep.as_deref(),
        &request.client(),
    )
    .await?;
    crate::mount::redirect("/account?saved=password");
    Ok(())
}

/// Signs this browser out.
#[server(endpoint = "auth/log_out")]
pub async fn log_out() -> Result<(), AppError> {
    let ctx = crate::context::app_context()?;
    let request = crate::context::request_context()?;
    let session = server::session().await?;
    session.flush().await.map_err(server::internal)?;
    if let Some(caller) = &request.caller {
        if caller.auth.impersonation.is_some() {
            let back = server::end_impersonation(&ctx, &request, &caller.auth).await?;
            crate::mount::redirect(&back);
            return Ok(());
        }
        oikos::identity::sessions::logged_out(&ctx.db, &caller.auth.principal, &request.client())
            .await?;
    }
    crate::mount::redirect("/login?signed_out=1");
    Ok(())
}

/// Ends a super admin's impersonation (the banner's button): recorded in both audit logs,
/// this portal session signed out, and back to the tenant's page on the main site.
#[server(endpoint = "auth/end_impersonation")]
pub async fn end_impersonation() -> Result<(), AppError> {
    let ctx = crate::context::app_context()?;
    let request = crate::context::request_context()?;
    let caller = request.acting()?;
    let back = server::end_impersonation(&ctx, &request, &caller.auth).await?;
    server::session()
        .await?
        .flush()
        .await
        .map_err(server::internal)?;
    crate::mount::redirect(&back);
    Ok(())
}

/// Ends every session and refresh token of the account, this browser's too.
#[server(endpoint = "auth/log_out_everywhere")]
pub async fn log_out_everywhere() -> Result<(), AppError> {
    let ctx = crate::context::app_context()?;
    let request = crate::context::request_context()?;
    let caller = request.caller()?;
    oikos::identity::sessions::end_all(&ctx.db, &caller.auth.principal, &request.client()).await?;
    server::session()
        .await?
        .flush()
        .await
        .map_err(server::internal)?;
    crate::mount::redirect("/login?signed_out=everywhere");
    Ok(())
}

/// The caller's workspaces, to choose the one to act in.
#[server(endpoint = "auth/workspaces")]
pub async fn my_workspaces() -> Result<Vec<WorkspaceView>, AppError> {
    let ctx = crate::context::app_context()?;
    let request = crate::context::request_context()?;
    let principal = &request.caller()?.auth.principal;
    let tenants = oikos::identity::accounts::my_tenants(&ctx.db, principal).await?;
    Ok(tenants.iter().map(server::workspace_view).collect())
}

/// Makes `slug` the session's workspace (a new session id: the role may differ).
#[server(endpoint = "auth/choose_workspace")]
pub async fn choose_workspace(slug: String) -> Result<(), AppError> {
    use oikos::identity::sessions::{self, SessionAuth, AUTH_KEY};
    let ctx = crate::context::app_context()?;
    let request = crate::context::request_context()?;
    request.caller()?;
    let session = server::session().await?;
    let auth: SessionAuth = session
        .get(AUTH_KEY)
        .await
        .map_err(server::internal)?
        .ok_or(oikos::Error::Unauthorized)?;
    let (switched, tenant) = sessions::switch_tenant(&ctx.db, &auth, &slug).await?;
    server::start(&session, switched, &request.client()).await?;
    let user = auth.user();
    let portal = oikos::identity::handoff::issue(&ctx, user, tenant.slug.as_str(), "/dashboard");
    crate::mount::redirect(&portal.await?);
    Ok(())
}
