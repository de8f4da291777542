//! `/settings`: the workspace's profile, its data export, and deleting it (typed
//! confirmation, then a 30-day grace period during which the dashboard offers a restore).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{workspace_settings, DeleteWorkspace, SaveProfile, SettingsView};
use super::{Loaded, Panel, PortalPage, QueryNotice};
use crate::ui::form::{action_error, FormAlert, SubmitButton, TextField};

#[component]
pub fn SettingsPage() -> impl IntoView {
    let settings = Resource::new(|| (), |_| workspace_settings());
    view! {
        <Title text="Workspace settings" />
        <PortalPage title="Workspace settings">
            <Loaded resource=settings loading="Loading the settings…" back="/settings" body=|settings| view! { <Settings settings /> } />
        </PortalPage>
    }
}

#[component]
fn Settings(settings: SettingsView) -> impl IntoView {
    let export = format!("/api/v1/tenants/{}/export", settings.id);
    let slug = settings.slug.clone();
    let scheduled = settings.erase_on.clone();
    view! {
        <QueryNotice notices=&[("saved", "Your profile is saved.")] />
        <Panel title="Business profile">
            <Profile settings />
        </Panel>
        <Panel title="Your data">
            <p class="text-sm text-slate-600">
                "Download everything this workspace holds (profile, settings, members, outlets, services and the audit log) as one JSON file."
            </p>
            <a
                href=export
                download=""
                class="mt-3 inline-flex rounded-md border border-slate-300 px-4 py-2 text-sm font-semibold text-slate-700 hover:border-indigo-400 hover:text-indigo-700"
            >
                "Download an export"
            </a>
        </Panel>
        <Panel title="Delete this workspace">
            {match scheduled {
                Some(day) => view! {
                    <p class="text-sm text-slate-700">
                        {format!("Deletion is scheduled: the data will be erased on {day}. You can restore the workspace from the dashboard until then.")}
                    </p>
                }.into_any(),
                None => view! { <DeleteForm slug /> }.into_any(),
            }}
        </Panel>
    }
}

#[component]
fn Profile(settings: SettingsView) -> impl IntoView {
    let action = ServerAction::<SaveProfile>::new();
    let errors = action_error(action.value());
    view! {
        <ActionForm action attr:class="grid gap-4 sm:grid-cols-2" attr:novalidate="true">
            <div class="sm:col-span-2"><FormAlert errors /></div>
            <TextField name="name" label="Business name" value=settings.name required=true errors />
            <TextField name="business_type" label="Type of business" value=settings.business_type errors />
            <TextField name="email" label="Business email" kind="email" value=settings.email required=true errors />
            <TextField name="phone" label="Phone" kind="tel" value=settings.phone hint="With the country code: +639171234567" errors />
            <TextField name="website" label="Website" kind="url" value=settings.website errors />
            <TextField name="description" label="Description" value=settings.description errors />
            <p class="text-sm text-slate-500 sm:col-span-2">
                {format!("Workspace address: {} (it cannot be changed).", settings.slug)}
            </p>
            <div class="sm:col-span-2 sm:max-w-xs">
                <SubmitButton label="Save the profile" busy_label="Saving…" pending=action.pending().into() />
            </div>
        </ActionForm>
    }
}

#[component]
fn DeleteForm(slug: String) -> impl IntoView {
    let action = ServerAction::<DeleteWorkspace>::new();
    let errors = action_error(action.value());
    view! {
        <p class="text-sm text-slate-700">
            "Everything in this workspace will be erased 30 days from now: members lose access to its data then, and it cannot be undone after that. Until then you can restore it."
        </p>
        <ActionForm action attr:class="mt-4 space-y-4 sm:max-w-sm" attr:novalidate="true">
            <FormAlert errors />
            <TextField
                name="confirm"
                label=format!("Type {slug} to confirm")
                autocomplete="off"
                required=true
                errors
            />
            <SubmitButton label="Delete this workspace" busy_label="Deleting…" pending=action.pending().into() danger=true />
        </ActionForm>
    }
}
