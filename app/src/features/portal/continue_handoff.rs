//! `/auth/continue?token=…&then=…` on a tenant's portal: a handoff link (see
//! `oikos::identity::handoff`) opened from outside the site. It names the account the link
//! signs in to and the workspace, and redeems it only when "Continue" is pressed (a post to
//! `/auth/handoff`): a link someone else sent cannot sign a visitor in to the sender's
//! account behind their back. Never cached, no referrer (the token is in the address).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::{Panel, PortalPage};
use crate::error::AppError;
use crate::ui::form::SubmitButton;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HandoffView {
    pub email: String,
    pub workspace: String,
    /// The main site, for "Not now".
    pub main_site: String,
}

/// Whose account and which workspace the link opens (the token stays unused).
#[server(endpoint = "auth/handoff_preview")]
pub async fn handoff_preview(token: String) -> Result<HandoffView, AppError> {
    use crate::context::Site;
    let ctx = crate::context::app_context()?;
    let request = crate::context::request_context()?;
    let Site::Tenant(portal) = &request.site else {
        return Err(oikos::Error::NotFound.into());
    };
    let preview = oikos::identity::handoff::preview(&ctx, portal, &token).await?;
    Ok(HandoffView {
        email: preview.email,
        workspace: preview.workspace,
        main_site: ctx.links.main("/"),
    })
}

#[component]
pub fn ContinueHandoffPage() -> impl IntoView {
    crate::security::token_in_address();
    let query = use_query_map();
    let token = move || query.read().get("token").unwrap_or_default();
    let then = query.read_untracked().get("then").unwrap_or_default();
    let preview = Resource::new(token, handoff_preview);
    view! {
        <Title text="Continue to your workspace?" />
        <PortalPage title="Continue to your workspace?">
            <Suspense fallback=|| view! { <p role="status" class="text-slate-500">"Reading the link…"</p> }>
                {move || {
                    let then = then.clone();
                    Suspend::new(async move {
                        match preview.await {
                            Ok(offer) => view! { <Offer offer token=token() then /> }.into_any(),
                            Err(_) => view! { <Expired /> }.into_any(),
                        }
                    })
                }}
            </Suspense>
        </PortalPage>
    }
}

#[component]
fn Offer(offer: HandoffView, token: String, then: String) -> impl IntoView {
    let intro = format!(
        "This link signs you in to {} as {}.",
        offer.workspace, offer.email
    );
    view! {
        <Panel title="Is this you?">
            <div class="space-y-4 sm:max-w-xl">
                <p class="text-lg text-slate-700">{intro}</p>
                <p class="text-sm text-slate-600">
                    "Continue only if you asked for it just now. A link someone else sent you "
                    "would sign you in to their account, and what you do next would be theirs to see."
                </p>
                <form method="post" action=crate::mount::href("/auth/handoff") class="grid gap-3 sm:flex sm:items-center sm:gap-4">
                    <input type="hidden" name="token" value=token />
                    <input type="hidden" name="then" value=then />
                    <div class="sm:flex-none">
                        <SubmitButton label=format!("Continue as {}", offer.email) busy_label="Signing in…" />
                    </div>
                    <a href=offer.main_site class="text-center text-sm font-semibold text-slate-700 underline hover:text-slate-900">
                        "Not now"
                    </a>
                </form>
            </div>
        </Panel>
    }
}

#[component]
fn Expired() -> impl IntoView {
    view! {
        <p role="alert" class="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-amber-900">
            "This link is invalid, has expired or was already used. "
            <a class="font-semibold underline" href=crate::mount::href("/login")>"Log in"</a>
            " instead."
        </p>
    }
}
