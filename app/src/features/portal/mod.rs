//! A tenant's portal on its own subdomain: the dashboard (figures, the onboarding checklist,
//! the workspace switcher) and the workspace settings. Signed-out
//! visitors are sent to the portal's own sign-in page and back.

mod api;
mod billing;
mod continue_handoff;
mod dashboard;
mod invitation;
mod member;
mod membership_fields;
mod outlets;
mod services;
mod settings;
mod team;

use leptos::prelude::*;

pub use api::*;
pub use billing::{
    billing, cancel_plan, change_plan, default_card, preview_change, remove_card, resume_plan,
};
pub use billing::{BillingPage, ChangePlanPage};
pub use continue_handoff::{handoff_preview, ContinueHandoffPage};
pub use dashboard::DashboardPage;
pub use invitation::InvitationPage;
pub use invitation::{invitation, join_existing, join_new};
pub use member::MemberPage;
pub use member::{member, remove_member, reset_member_password, save_member};
pub use outlets::{delete_outlet, get_outlet, list_outlets, save_outlet};
pub use outlets::{OutletPage, OutletsPage};
pub use services::{delete_service, get_service, list_services, save_service};
pub use services::{ServicePage, ServicesPage};
pub use settings::SettingsPage;
pub use team::TeamPage;
pub use team::{invite, resend_invitation, revoke_invitation, team};

use crate::error::AppError;
use crate::ui::panels::{ConfirmDelete, Panel, QueryNotice};

/// An id from a form or a path; text that is no id finds nothing.
#[cfg(feature = "ssr")]
fn parse_id<T: std::str::FromStr>(text: &str) -> Result<T, AppError> {
    text.trim()
        .parse()
        .map_err(|_| AppError::from(oikos::Error::NotFound))
}

/// A page's load failed: signed out, to the sign-in page and back to `back`; otherwise the
/// reason, in words.
fn failed(err: AppError, back: &'static str) -> AnyView {
    match err.code.as_str() {
        "unauthorized" => crate::mount::to_sign_in(back),
        _ => view! {
            <p role="alert" class="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-700">
                {err.message}
            </p>
        }
        .into_any(),
    }
}

/// What a page loaded, once it is there: `body` with it, or why it failed; a status line
/// while it loads.
#[component]
fn Loaded<T, V>(
    resource: Resource<Result<T, AppError>>,
    loading: &'static str,
    /// Where to come back to after signing in.
    back: &'static str,
    body: fn(T) -> V,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    view! {
        <Suspense fallback=move || view! { <p role="status" class="text-slate-500">{loading}</p> }>
            {move || Suspend::new(async move {
                match resource.await {
                    Ok(value) => body(value).into_any(),
                    Err(err) => failed(err, back),
                }
            })}
        </Suspense>
    }
}

/// The frame of a portal page: a heading and what goes under it.
#[component]
fn PortalPage(#[prop(into)] title: String, children: Children) -> impl IntoView {
    view! {
        <section class="mx-auto w-full max-w-5xl space-y-8 px-4 py-8 sm:px-6 sm:py-10">
            <h1 class="text-2xl font-bold tracking-tight sm:text-3xl">{title}</h1>
            {children()}
        </section>
    }
}

/// The inside of a delete form: its error, the row's id and the confirming button.
#[component]
fn DeleteFields(id: String, errors: Signal<Option<AppError>>) -> impl IntoView {
    use crate::ui::form::{FormAlert, SubmitButton};
    view! {
        <FormAlert errors />
        <input type="hidden" name="id" value=id />
        <SubmitButton label="Yes, delete it" busy_label="Deleting…" danger=true />
    }
}
