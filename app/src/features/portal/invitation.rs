//! `/invitation?token=…` on the inviting workspace's portal (its name and branding in the
//! header): a new person sets a name and password and joins; someone with an account types
//! their password and joins. Either way they land on the dashboard, signed in. A used,
//! revoked or expired link, or a deactivated workspace's, says so. The page is never cached
//! and sends no referrer, so the token stays in this tab.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::{Panel, PortalPage};
use crate::error::AppError;
use crate::ui::form::{action_error, FormAlert, NewPasswordField, SubmitButton, TextField};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationView {
    pub tenant_name: String,
    pub email: String,
    pub role: String,
    pub existing_user: bool,
}

/// What the link offers.
#[server(endpoint = "invitation/preview")]
pub async fn invitation(token: String) -> Result<InvitationView, AppError> {
    let ctx = crate::context::app_context()?;
    let preview = oikos::members::invitations::preview(&ctx, &token).await?;
    Ok(InvitationView {
        tenant_name: preview.tenant_name,
        email: preview.email,
        role: preview.role.label().to_owned(),
        existing_user: preview.existing_user,
    })
}

/// Signs the person who joined in on this portal, then on to the dashboard.
#[cfg(feature = "ssr")]
async fn signed_in(joined: oikos::members::invitations::Joined) -> Result<(), AppError> {
    let request = crate::context::request_context()?;
    let session = crate::context::session().await?;
    crate::context::start_session(&session, joined.session(), &request.client()).await?;
    crate::mount::redirect("/dashboard?joined=1");
    Ok(())
}

/// A failed plain (no-JavaScript) post: the page sends no `Referer`, so Leptos would take
/// the browser to "/"; back to this invitation instead (`fields`: the token and what the
/// form should show again), with the error for the form as Leptos encodes it.
#[cfg(feature = "ssr")]
fn back_to_the_form<T>(
    form: &str,
    fields: &[(&str, &str)],
    result: Result<T, AppError>,
) -> Result<T, AppError> {
    use leptos::server_fn::error::ServerFnUrlError;
    if let Err(err) = &result {
        if crate::context::plain_form_post() {
            let query = serde_urlencoded::to_string(fields).unwrap_or_default();
            let page = format!("http://portal/invitation?{query}");
            if let Ok(url) = ServerFnUrlError::new(form, err.clone()).to_url(&page) {
                let query = url.query().unwrap_or_default();
                crate::mount::redirect(&format!("{}?{query}", url.path()));
            }
        }
    }
    result
}

/// Signed in on success; otherwise back to the form (see [`back_to_the_form`]).
#[cfg(feature = "ssr")]
async fn finish(
    form: &str,
    fields: &[(&str, &str)],
    joined: oikos::Result<oikos::members::invitations::Joined>,
) -> Result<(), AppError> {
    signed_in(back_to_the_form(
        form,
        fields,
        joined.map_err(AppError::from),
    )?)
    .await
}

/// A new account for the invited address joins.
#[server(endpoint = "invitation/join_new")]
pub async fn join_new(
    token: String,
    first_name: String,
    last_name: String,
    password: String,
) -> Result<(), AppError> {
    use oikos::members::invitations::{accept_new, NewMember};
    let ctx = crate::context::app_context()?;
    let details = NewMember {
        first_name,
        last_name,
        password,
    };
    let joined = accept_new(&ctx, &token, &details).await;
    let again = [
        ("token", token.as_str()),
        ("first_name", details.first_name.as_str()),
        ("last_name", details.last_name.as_str()),
    ];
    finish(
        <JoinNew as leptos::server_fn::ServerFn>::PATH,
        &again,
        joined,
    )
    .await
}

/// The invited address's existing account joins, proven by its password.
#[server(endpoint = "invitation/join_existing")]
pub async fn join_existing(token: String, password: String) -> Result<(), AppError> {
    let ctx = crate::context::app_context()?;
    let client = crate::context::request_context()?.client();
    let joined =
        oikos::members::invitations::accept_signing_in(&ctx, &token, &password, &client).await;
    let again = [("token", token.as_str())];
    finish(
        <JoinExisting as leptos::server_fn::ServerFn>::PATH,
        &again,
        joined,
    )
    .await
}

#[component]
pub fn InvitationPage() -> impl IntoView {
    crate::security::token_in_address();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let preview = Resource::new(token, invitation);
    view! {
        <Title text="Your invitation" />
        <PortalPage title="Your invitation">
            <Suspense fallback=|| view! { <p role="status" class="text-slate-500">"Reading the invitation…"</p> }>
                {move || Suspend::new(async move {
                    match preview.await {
                        Ok(offer) => view! { <Offer offer token=token() /> }.into_any(),
                        Err(err) => view! {
                            <p role="alert" class="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-amber-900">
                                {err.message}
                            </p>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </PortalPage>
    }
}

#[component]
fn Offer(offer: InvitationView, token: String) -> impl IntoView {
    let intro = format!(
        "{} invites {} to join as {}.",
        offer.tenant_name, offer.email, offer.role
    );
    view! {
        <p class="text-lg text-slate-700">{intro}</p>
        {if offer.existing_user {
            view! { <Panel title="Join with your account"><JoinExisting token email=offer.email /></Panel> }.into_any()
        } else {
            view! { <Panel title="Create your account"><JoinNew token /></Panel> }.into_any()
        }}
    }
}

#[component]
fn JoinNew(token: String) -> impl IntoView {
    let action = ServerAction::<JoinNew>::new();
    let errors = action_error(action.value());
    // After a failed post without JavaScript the names come back in the address.
    let query = use_query_map();
    let typed = move |field: &str| query.read_untracked().get(field).unwrap_or_default();
    let (first_name, last_name) = (typed("first_name"), typed("last_name"));
    view! {
        <ActionForm action attr:class="grid gap-4 sm:max-w-md">
            <FormAlert errors />
            <input type="hidden" name="token" value=token />
            <TextField name="first_name" label="First name" value=first_name autocomplete="given-name" required=true errors />
            <TextField name="last_name" label="Last name" value=last_name autocomplete="family-name" required=true errors />
            <NewPasswordField name="password" label="Password" errors />
            <SubmitButton label="Join the workspace" busy_label="Joining…" />
        </ActionForm>
    }
}

#[component]
fn JoinExisting(token: String, email: String) -> impl IntoView {
    let action = ServerAction::<JoinExisting>::new();
    let errors = action_error(action.value());
    view! {
        <ActionForm action attr:class="grid gap-4 sm:max-w-md">
            <FormAlert errors />
            <input type="hidden" name="token" value=token />
            <p class="text-sm text-slate-600">{format!("Signing in as {email}.")}</p>
            <TextField name="password" label="Password" kind="password" autocomplete="current-password" required=true errors />
            <SubmitButton label="Join the workspace" busy_label="Joining…" />
        </ActionForm>
    }
}
