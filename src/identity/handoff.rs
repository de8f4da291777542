//! Moving a signed-in user to a tenant's portal. Session cookies are host-only, so the
//! main site (or another portal) cannot share its session with `{slug}.{domain}`: it issues
//! a handoff token instead, single-use, valid 60 seconds and bound to the target tenant, and
//! sends the browser to the portal's `/auth/handoff?token=…`, which redeems it and starts the
//! portal's own session. The membership is checked when the token is issued and again when
//! it is redeemed.
//!
//! Anyone signed in can mint such a link for their own account and send it on: opened by
//! someone else, it would sign them in to the sender's account (login CSRF). So the portal
//! redeems at once only a link followed from the site itself; one opened from elsewhere shows
//! whose account and which workspace it opens, and waits for a "Continue" (see [`preview`]).

use crate::identity::link_tokens::Purpose;
use crate::identity::login::active_principal;
use crate::identity::sessions::{own_workspace, SessionAuth};
use crate::tenancy::{TenantScope, UserId};
use crate::tenants::repository;
use crate::values::Slug;
use crate::{AppContext, Error, Result};

/// Where the portal sends a user who arrives by handoff.
pub const LANDING: &str = "/dashboard";

/// The address that signs `user` in to the portal of the workspace `slug`, then shows
/// `then` (a path on the portal). `TenantMismatch` when the user is no member of it.
pub async fn issue(ctx: &AppContext, user: UserId, slug: &str, then: &str) -> Result<String> {
    let tenant = own_workspace(&ctx.db, user, slug).await?;
    let binding = tenant.tenant.to_string();
    let token = ctx
        .link_tokens
        .issue_bound(&ctx.db, Purpose::Handoff, user, &binding)
        .await?;
    let then = crate::links::local_path(then).unwrap_or(LANDING);
    let query = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("token", &token)
        .append_pair("then", then)
        .finish();
    Ok(ctx
        .links
        .tenant(&tenant.slug, &format!("/auth/handoff?{query}")))
}

/// Whose account and which workspace a handoff link opens, before it is used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Preview {
    pub email: String,
    pub workspace: String,
}

/// What [`redeem`] would sign in to, without using the token up. `NotFound` for a used,
/// expired or foreign token.
pub async fn preview(ctx: &AppContext, portal: &Slug, token: &str) -> Result<Preview> {
    let mut tx = ctx.db.begin(crate::db::Access::Read).await?;
    let tenant = repository::find_by_slug(&mut tx, portal).await?;
    tx.rollback().await?;
    let tenant = tenant.ok_or(Error::NotFound)?;
    let user = ctx
        .link_tokens
        .peek_bound(&ctx.db, Purpose::Handoff, token, &tenant.id.to_string())
        .await?;
    let (_, user) = active_principal(&ctx.db, user)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(Preview {
        email: user.email.to_string(),
        workspace: tenant.profile.name,
    })
}

/// Redeems a handoff on the portal of `portal`: the session to start there. A used, expired
/// or foreign token, or a membership that ended meanwhile, is `NotFound`.
pub async fn redeem(ctx: &AppContext, portal: &Slug, token: &str) -> Result<SessionAuth> {
    let mut tx = ctx.db.begin(crate::db::Access::Read).await?;
    let tenant = repository::find_by_slug(&mut tx, portal).await?;
    tx.rollback().await?;
    let tenant = tenant.ok_or(Error::NotFound)?;
    let binding = tenant.id.to_string();
    let user = ctx
        .link_tokens
        .redeem_bound(&ctx.db, Purpose::Handoff, token, &binding)
        .await?;
    let (principal, user) = active_principal(&ctx.db, user)
        .await?
        .ok_or(Error::NotFound)?;
    TenantScope::resolve(&ctx.db, &principal, tenant.id)
        .await
        .map_err(|_| Error::NotFound)?;
    Ok(SessionAuth::new(&user, Some(tenant.id)))
}
