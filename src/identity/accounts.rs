//! Accounts: sign-up without a workspace, email verification, password reset and change,
//! the profile. Each change and the mail it causes commit together.

use super::link_tokens::Purpose;
use super::{sessions, throttle, Client};
use crate::audit::{self, Action, Event};
use crate::db::{Access, Db, Tx};
use crate::error::{parse_name, FieldCheck};
use crate::mail::{outbox, templates};
use crate::members::UserTenant;
use crate::tenancy::{Principal, UserId};
use crate::users::{repository as users, NewUser, User};
use crate::values::{Email, Password};
use crate::{AppContext, Error, Result};

/// What the sign-up form and `POST /api/v1/auth/register` take.
#[derive(Clone, Debug, Default)]
pub struct SignUp {
    pub email: String,
    pub password: String,
    pub first_name: String,
    pub last_name: String,
}

/// Creates an unverified account and mails the verification link; it cannot sign in until
/// the address is confirmed. Every invalid field is reported at once.
///
/// An address that already has an account answers exactly as a new one would (an account
/// that looks just made, never stored), after the same work, so sign-up cannot tell anyone
/// who is registered; the owner of the address gets a mail saying someone tried, with a
/// link to reset the password in case it was them.
pub async fn register(ctx: &AppContext, input: &SignUp, client: &Client) -> Result<User> {
    throttle::sign_up(&ctx.db, client.ip).await?;
    let mut check = FieldCheck::new();
    let email = check.field("email", Email::parse(&input.email));
    let password = check.field("password", Password::parse(&input.password));
    let first_name = check.field("first_name", parse_name(&input.first_name));
    let last_name = check.field("last_name", parse_name(&input.last_name));
    check.finish()?;
    let (Some(email), Some(password), Some(first_name), Some(last_name)) =
        (email, password, first_name, last_name)
    else {
        return Err(anyhow::anyhow!("a checked field is missing").into());
    };
    let hash = ctx.passwords.hash(&password).await?;
    let mut tx = ctx.db.begin(Access::Write).await?;
    let new = NewUser {
        email,
        password_hash: Some(hash),
        first_name,
        last_name,
        is_super_admin: false,
        email_verified: false,
    };
    let user = match users::find_by_email(&mut tx, &new.email).await? {
        Some(owner) => {
            tell_owner_of_attempt(ctx, &mut tx, &owner, client).await?;
            users::unsaved(new)
        }
        None => {
            let user = users::insert(&mut tx, new).await?;
            send_verification(ctx, &mut tx, &user).await?;
            let event = Event::new(Action::SignedUp, Some(user.id), Some(client.ip));
            audit::platform(&mut tx, &event).await?;
            user
        }
    };
    tx.commit().await?;
    ctx.mail.wake();
    Ok(user)
}

/// Mails the owner of an address someone tried to sign up with: a reset link if it was
/// them and they forgot, nothing to do otherwise.
async fn tell_owner_of_attempt(
    ctx: &AppContext,
    tx: &mut Tx,
    owner: &User,
    client: &Client,
) -> Result<()> {
    let token = ctx
        .link_tokens
        .issue_in(tx, Purpose::ResetPassword, owner.id)
        .await?;
    let link = ctx.links.main(&format!("/reset-password?token={token}"));
    let mail = templates::sign_up_attempt(&owner.email, &owner.first_name, &link);
    outbox::enqueue(tx, &mail).await?;
    let event = Event::new(Action::SignUpAttempted, Some(owner.id), Some(client.ip));
    audit::platform(tx, &event).await
}

/// Queues the verification mail for `user` within `tx` (sign-up, the registration wizard,
/// a resend).
pub(crate) async fn send_verification(ctx: &AppContext, tx: &mut Tx, user: &User) -> Result<()> {
    let token = ctx
        .link_tokens
        .issue_in(tx, Purpose::VerifyEmail, user.id)
        .await?;
    let link = ctx.links.main(&format!("/verify-email?token={token}"));
    let mail = templates::verify_email(&user.email, &user.first_name, &link);
    outbox::enqueue(tx, &mail).await
}

/// Confirms the address the token was mailed to. A used, expired or forged token is
/// `InvalidToken`.
pub async fn verify_email(ctx: &AppContext, token: &str) -> Result<User> {
    let mut tx = ctx.db.begin(Access::Write).await?;
    let user = ctx
        .link_tokens
        .redeem_in(&mut tx, Purpose::VerifyEmail, token.trim())
        .await
        .map_err(not_found_is_invalid_token)?;
    users::mark_verified(&mut tx, user).await?;
    let event = Event::new(Action::EmailVerified, Some(user), None);
    audit::platform(&mut tx, &event).await?;
    let user = users::find_by_id(&mut tx, user)
        .await?
        .ok_or(Error::InvalidToken)?;
    tx.commit().await?;
    Ok(user)
}

/// Sends a new verification link to an unverified account; answers the same for any
/// address, so it reveals nothing about who has an account.
pub async fn resend_verification(ctx: &AppContext, email: &str, client: &Client) -> Result<()> {
    let Ok(email) = Email::parse(email) else {
        return Ok(());
    };
    throttle::mail_request(&ctx.db, "verify", client.ip, &email).await?;
    let mut tx = ctx.db.begin(Access::Write).await?;
    match users::find_by_email(&mut tx, &email).await? {
        Some(user) if user.is_active && user.email_verified_at.is_none() => {
            send_verification(ctx, &mut tx, &user).await?;
            tx.commit().await?;
            ctx.mail.wake();
        }
        _ => tx.rollback().await?,
    }
    Ok(())
}

/// Mails a reset link to the account's verified address. Answers the same whether or not
/// the address has an account (and whether it is verified).
pub async fn request_reset(ctx: &AppContext, email: &str, client: &Client) -> Result<()> {
    let email = Email::parse_field("email", email)?;
    throttle::mail_request(&ctx.db, "reset", client.ip, &email).await?;
    let mut tx = ctx.db.begin(Access::Write).await?;
    let user = users::find_by_email(&mut tx, &email).await?;
    let Some(user) = user.filter(|u| u.is_active && u.email_verified_at.is_some()) else {
        tx.rollback().await?;
        return Ok(());
    };
    send_reset_in(ctx, &mut tx, &user).await?;
    let event = Event::new(
        Action::PasswordResetRequested,
        Some(user.id),
        Some(client.ip),
    );
    audit::platform(&mut tx, &event).await?;
    tx.commit().await?;
    ctx.mail.wake();
    Ok(())
}

/// Queues a reset link for `user` within `tx` (their own request, or a tenant admin's).
pub(crate) async fn send_reset_in(ctx: &AppContext, tx: &mut Tx, user: &User) -> Result<()> {
    let token = ctx
        .link_tokens
        .issue_in(tx, Purpose::ResetPassword, user.id)
        .await?;
    let link = ctx.links.main(&format!("/reset-password?token={token}"));
    outbox::enqueue(
        tx,
        &templates::reset_password(&user.email, &user.first_name, &link),
    )
    .await
}

/// Sets the new password from a reset link, ends every session and refresh token of the
/// account, and signs no one in: the user logs in with the new password.
pub async fn confirm_reset(
    ctx: &AppContext,
    token: &str,
    password: &str,
    client: &Client,
) -> Result<()> {
    let password = Password::parse_field("password", password)?;
    let hash = ctx.passwords.hash(&password).await?;
    let mut tx = ctx.db.begin(Access::Write).await?;
    let user = ctx
        .link_tokens
        .redeem_in(&mut tx, Purpose::ResetPassword, token.trim())
        .await
        .map_err(not_found_is_invalid_token)?;
    ctx.db.set_password_hash(&mut tx, user, Some(&hash)).await?;
    sessions::end_all_in(&mut tx, user).await?;
    let event = Event::new(Action::PasswordReset, Some(user), Some(client.ip));
    audit::platform(&mut tx, &event).await?;
    tx.commit().await
}

/// Changes the caller's password after checking the current one; every other session and
/// every refresh token of the account ends (`keep`: the session asking, if any).
pub async fn change_password(
    ctx: &AppContext,
    principal: &Principal,
    current: &str,
    new: &str,
    keep: Option<&str>,
    client: &Client,
) -> Result<()> {
    let mut check = FieldCheck::new();
    let password = check.field("new_password", Password::parse(new));
    let stored = ctx.db.password_hash(principal.user_id()).await?;
    if !ctx.passwords.verify(current, stored.as_ref()).await? {
        check.fail("current_password", "This is not your current password.");
    }
    check.finish()?;
    let Some(password) = password else {
        return Err(anyhow::anyhow!("a checked field is missing").into());
    };
    let hash = ctx.passwords.hash(&password).await?;
    let mut tx = ctx.db.begin(Access::Write).await?;
    ctx.db
        .set_password_hash(&mut tx, principal.user_id(), Some(&hash))
        .await?;
    sessions::end_others_in(&mut tx, &ctx.seals, principal.user_id(), keep).await?;
    let event = Event::new(
        Action::PasswordChanged,
        Some(principal.user_id()),
        Some(client.ip),
    );
    audit::platform(&mut tx, &event).await?;
    tx.commit().await
}

/// The caller's account.
pub async fn me(db: &Db, principal: &Principal) -> Result<User> {
    find(db, principal.user_id()).await
}

/// Changes the caller's name.
pub async fn update_name(
    db: &Db,
    principal: &Principal,
    first_name: &str,
    last_name: &str,
) -> Result<User> {
    let mut check = FieldCheck::new();
    let first = check.field("first_name", parse_name(first_name));
    let last = check.field("last_name", parse_name(last_name));
    check.finish()?;
    let (Some(first), Some(last)) = (first, last) else {
        return Err(anyhow::anyhow!("a checked field is missing").into());
    };
    let mut tx = db.begin(Access::Write).await?;
    users::update_name(&mut tx, principal.user_id(), &first, &last).await?;
    tx.commit().await?;
    me(db, principal).await
}

/// The caller's workspaces, across tenants (`GET /api/v1/me/tenants`, the switcher).
pub async fn my_tenants(db: &Db, principal: &Principal) -> Result<Vec<UserTenant>> {
    db.user_tenants(principal.user_id()).await
}

async fn find(db: &Db, user: UserId) -> Result<User> {
    let mut tx = db.begin(Access::Read).await?;
    let found = users::find_by_id(&mut tx, user).await?;
    tx.rollback().await?;
    found.ok_or(Error::Unauthorized)
}

fn not_found_is_invalid_token(err: Error) -> Error {
    match err {
        Error::NotFound => Error::InvalidToken,
        other => other,
    }
}
