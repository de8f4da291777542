//! `/settings`: the workspace's profile, its data export, and deleting it (typed
//! confirmation, then a 30-day grace period during which the dashboard offers a restore).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

use super::api::{
    workspace_settings, BrandingView, DeleteWorkspace, SaveColors, SaveFeatures, SaveProfile,
    SettingsView,
};
use super::{Loaded, Panel, PortalPage, QueryNotice};
use crate::error::AppError;
use crate::ui::form::{action_error, typed_checked, typed_or, FormAlert, SubmitButton, TextField};

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
    let export = crate::mount::href(&format!("/api/v1/tenants/{}/export", settings.id));
    let slug = settings.slug.clone();
    let scheduled = settings.erase_on.clone();
    let (branding, wallet, loyalty) = (
        settings.branding.clone(),
        settings.wallet_enabled,
        settings.loyalty_points_enabled,
    );
    view! {
        <QueryNotice notices=&[
            ("saved", "Your profile is saved."),
            ("colors", "The colours are saved."),
            ("logo", "The logo is changed."),
            ("features", "The features are saved."),
        ] />
        <LogoError />
        <Panel title="Branding">
            <Branding branding />
        </Panel>
        <Panel title="Features">
            <Features wallet loyalty />
        </Panel>
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
                <SubmitButton label="Save the profile" busy_label="Saving…" />
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
            <SubmitButton label="Delete this workspace" busy_label="Deleting…" danger=true />
        </ActionForm>
    }
}

/// Why the logo form's post was refused (its redirect names a code, never text).
#[component]
fn LogoError() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let message = move || {
        query
            .read()
            .get("logo_error")
            .map(|code| match code.as_str() {
                "size" => "That image is too large: use one of 512 KB or less.",
                "missing" => "Choose an image file first.",
                _ => "That file is not an image we can use: use a PNG, JPEG or WebP image.",
            })
    };
    view! {
        {move || message().map(|message| view! {
            <p role="alert" class="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">{message}</p>
        })}
    }
}

/// The colours with a live preview, and the logo.
#[component]
fn Branding(branding: BrandingView) -> impl IntoView {
    let action = ServerAction::<SaveColors>::new();
    let errors = action_error(action.value());
    let logo_version = branding.logo_version;
    view! {
        <ActionForm action attr:class="space-y-4" attr:novalidate="true">
            <FormAlert errors />
            <BrandColours
                primary=typed_or("primary_color", branding.primary_color)
                secondary=typed_or("secondary_color", branding.secondary_color)
                accent=typed_or("accent_color", branding.accent_color)
                errors=errors.get_untracked()
            />
            <div class="sm:max-w-xs">
                <SubmitButton label="Save the colours" busy_label="Saving…" />
            </div>
        </ActionForm>
        <div class="mt-6 border-t border-slate-100 pt-6">
            <h3 class="text-sm font-semibold text-slate-800">"Logo"</h3>
            {logo_version.map(|version| view! {
                <img src=crate::mount::href(&format!("/branding/logo?v={version}")) alt="Your current logo" class="mt-3 h-16 w-auto rounded border border-slate-200 bg-white p-1" />
            })}
            <form method="post" action=crate::mount::href("/branding/logo") enctype="multipart/form-data" class="mt-3 flex flex-col gap-3 sm:flex-row sm:items-end">
                <div class="space-y-1">
                    <label for="field-logo" class="block text-sm font-medium text-slate-700">"Upload a logo"</label>
                    <input id="field-logo" name="logo" type="file" accept="image/png,image/jpeg,image/webp" aria-describedby="field-logo-hint" class="block text-sm" />
                    <p id="field-logo-hint" class="text-xs text-slate-500">"PNG, JPEG or WebP, up to 512 KB."</p>
                </div>
                <button type="submit" class="rounded-md border border-slate-300 px-4 py-2 text-sm font-semibold text-slate-700 hover:border-indigo-400">"Upload"</button>
            </form>
            {logo_version.map(|_| view! {
                <form method="post" action=crate::mount::href("/branding/logo") enctype="multipart/form-data" class="mt-3">
                    <input type="hidden" name="remove" value="1" />
                    <button type="submit" class="text-sm font-medium text-red-700 hover:text-red-600">"Remove the logo"</button>
                </form>
            })}
        </div>
    }
}

/// The three colour inputs beside a preview that follows them (an island; the CSP allows no
/// inline styles, so the preview's variables are set through the DOM).
#[island]
fn BrandColours(
    primary: String,
    secondary: String,
    accent: String,
    errors: Option<AppError>,
) -> impl IntoView {
    let primary = RwSignal::new(primary);
    let secondary = RwSignal::new(secondary);
    let accent = RwSignal::new(accent);
    let preview = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(element) = preview.get() {
            // Through the DOM (CSSOM), which the CSP allows; an inline style it would not.
            let style = leptos::web_sys::HtmlElement::style(&element);
            let _ = style.set_property("--brand-primary", &primary.get());
            let _ = style.set_property("--brand-secondary", &secondary.get());
            let _ = style.set_property("--brand-accent", &accent.get());
        }
    });
    let colour = move |name: &'static str, label: &'static str, signal: RwSignal<String>| {
        let message = errors.as_ref().and_then(|e| e.fields.get(name).cloned());
        let id = format!("field-{name}");
        view! {
            <div class="space-y-1">
                <label for=id.clone() class="block text-sm font-medium text-slate-700">{label}</label>
                <input
                    id=id
                    name=name
                    type="color"
                    value=signal.get_untracked()
                    on:input=move |ev| signal.set(event_target_value(&ev))
                    aria-invalid=message.is_some().then_some("true")
                    class="h-10 w-full cursor-pointer rounded-md border border-slate-300 bg-white p-1"
                />
                {message.map(|m| view! { <p class="text-sm text-red-600">{m}</p> })}
            </div>
        }
    };
    view! {
        <div class="grid gap-6 lg:grid-cols-2">
            <div class="space-y-4">
                {colour("primary_color", "Buttons and links", primary)}
                {colour("secondary_color", "Header badge", secondary)}
                {colour("accent_color", "Progress and highlights", accent)}
                <p class="text-xs text-slate-500">"White text must stay readable on each colour (contrast of at least 4.5:1, 3:1 for highlights)."</p>
            </div>
            <div node_ref=preview aria-label="Preview" role="group" class="space-y-4 rounded-xl border border-slate-200 bg-slate-50 p-4">
                <p class="text-sm font-medium text-slate-600">"Preview"</p>
                <div class="flex items-center gap-2">
                    <span aria-hidden="true" class="grid h-8 w-8 place-items-center rounded-lg bg-[var(--brand-secondary,#4338ca)] font-bold text-white">"A"</span>
                    <span class="font-semibold">"Your workspace"</span>
                </div>
                <span class="inline-flex rounded-md bg-[var(--brand-primary,#4f46e5)] px-4 py-2 text-sm font-semibold text-white">"A button"</span>
                <div class="h-2 w-2/3 rounded-full bg-[var(--brand-accent,#059669)]"></div>
            </div>
        </div>
    }
}

/// The workspace's optional features.
#[component]
fn Features(wallet: bool, loyalty: bool) -> impl IntoView {
    let action = ServerAction::<SaveFeatures>::new();
    let errors = action_error(action.value());
    let toggle = |name: &'static str, label: &'static str, hint: &'static str, on: bool| {
        view! {
            <label class="flex items-start gap-3">
                <input type="checkbox" name=name value="on" checked={typed_checked(<SaveFeatures as ServerFn>::PATH, name, "on", on)} class="mt-1 h-4 w-4 rounded border-slate-300" />
                <span>
                    <span class="block text-sm font-medium text-slate-800">{label}</span>
                    <span class="block text-xs text-slate-500">{hint}</span>
                </span>
            </label>
        }
    };
    view! {
        <ActionForm action attr:class="space-y-4">
            <FormAlert errors />
            {toggle("wallet_enabled", "Customer wallet", "Customers keep a prepaid balance with you.", wallet)}
            {toggle("loyalty_points_enabled", "Loyalty points", "Customers earn points on what they spend.", loyalty)}
            <div class="sm:max-w-xs">
                <SubmitButton label="Save the features" busy_label="Saving…" />
            </div>
        </ActionForm>
    }
}
