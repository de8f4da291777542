//! The four steps' forms.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

use super::api::{preview_slug, Draft, SaveAdmin, SaveBusiness, SavePlan, SubmitRegistration};
use crate::error::AppError;
use crate::features::pricing::{list_plans, PriceView};
use crate::ui::form::{
    action_error, typed_checked, FormAlert, SubmitButton, TextField, PASSWORD_HINT,
};

/// Back (saves without checking) and the step's submit button.
#[component]
fn StepButtons(
    #[prop(into)] next: String,
    #[prop(into)] busy: String,
    #[prop(optional)] back: bool,
) -> impl IntoView {
    view! {
        <div class="flex flex-col-reverse gap-3 pt-2 sm:flex-row sm:items-center sm:justify-between">
            {back.then(|| view! {
                <button
                    type="submit"
                    name="back"
                    value="1"
                    formnovalidate=true
                    class="rounded-md border border-slate-300 px-4 py-2 text-sm font-semibold text-slate-700 hover:bg-slate-50"
                >
                    "Back"
                </button>
            })}
            <div class="sm:ml-auto sm:w-56">
                <SubmitButton label=next busy_label=busy />
            </div>
        </div>
    }
}

#[component]
pub fn BusinessStep(draft: Draft) -> impl IntoView {
    let action = ServerAction::<SaveBusiness>::new();
    let errors = action_error(action.value());
    view! {
        <ActionForm action attr:class="space-y-4" attr:novalidate="true">
            <FormAlert errors />
            <WorkspaceAddress
                name=draft.business_name
                slug=draft.preferred_slug
                address=draft.portal_address
                errors=errors.get_untracked()
            />
            <TextField name="business_email" label="Business email" kind="email" autocomplete="email" value=draft.business_email required=true errors />
            <TextField
                name="business_phone"
                label="Business phone (optional)"
                kind="tel"
                autocomplete="tel"
                hint="With the country code, like +1 555 987 6543."
                value=draft.business_phone
                errors
            />
            <TextField name="business_type" label="Type of business (optional)" hint="Spa, salon, clinic, …" value=draft.business_type errors />
            <TextField name="website" label="Website (optional)" kind="text" autocomplete="url" value=draft.website errors />
            <TextField name="description" label="Description (optional)" value=draft.description errors />
            <StepButtons next="Next: your account" busy="Saving…" />
        </ActionForm>
    }
}

/// The business name and the address asked for, with the address the workspace would get
/// (an island: the preview follows the typing).
#[island]
fn WorkspaceAddress(
    name: String,
    slug: String,
    /// Before and after the slug in the address.
    address: (String, String),
    errors: Option<AppError>,
) -> impl IntoView {
    let errors = Signal::stored(errors);
    let typed_name = RwSignal::new(name.clone());
    let typed_slug = RwSignal::new(slug.clone());
    view! {
        <TextField
            name="business_name"
            label="Business name"
            value=name
            required=true
            errors
            on:input=move |ev| typed_name.set(event_target_value(&ev))
        />
        <TextField
            name="preferred_slug"
            label="Workspace address (optional)"
            hint="Lowercase letters, digits and hyphens. Leave empty to make one from the name."
            value=slug
            errors
            on:input=move |ev| typed_slug.set(event_target_value(&ev))
        />
        <SlugPreviewLine name=typed_name slug=typed_slug address />
    }
}

/// The address the workspace would get, updated a moment after typing stops.
#[component]
fn SlugPreviewLine(
    name: RwSignal<String>,
    slug: RwSignal<String>,
    /// Before and after the slug in the address.
    address: (String, String),
) -> impl IntoView {
    let settled = RwSignal::new((name.get_untracked(), slug.get_untracked()));
    let timer = StoredValue::new(None::<TimeoutHandle>);
    Effect::new(move |first_run: Option<()>| {
        let typed = (name.get(), slug.get());
        if first_run.is_some() {
            if let Some(pending) = timer.get_value() {
                pending.clear();
            }
            let handle = set_timeout_with_handle(
                move || settled.set(typed),
                std::time::Duration::from_millis(300),
            );
            timer.set_value(handle.ok());
        }
    });
    let preview = Resource::new(
        move || settled.get(),
        |(name, slug)| preview_slug(name, slug),
    );
    view! {
        <p aria-live="polite" class="rounded-md bg-slate-50 px-3 py-2 text-sm text-slate-600">
            <Transition fallback=|| "Checking the address…">
                {move || {
                    let (before, after) = address.clone();
                    Suspend::new(async move {
                    match preview.await {
                        Ok(Some(p)) => {
                            let note = (!p.as_asked).then_some(" (the address you asked for is taken: this is the next free one)");
                            view! {
                                "Your workspace: "
                                <strong class="font-semibold text-slate-900">{format!("{before}{}{after}", p.slug)}</strong>
                                {note}
                            }
                            .into_any()
                        }
                        Ok(None) => "Type the business name to see your workspace's address.".into_any(),
                        Err(_) => "The address is checked when you continue.".into_any(),
                    }
                })
                }}
            </Transition>
        </p>
    }
}

#[component]
pub fn AccountStep(draft: Draft) -> impl IntoView {
    let action = ServerAction::<SaveAdmin>::new();
    let errors = action_error(action.value());
    let password_hint = if draft.password_saved {
        "Your password is saved. Leave this empty to keep it, or type a new one."
    } else {
        PASSWORD_HINT
    };
    view! {
        <ActionForm action attr:class="space-y-4" attr:novalidate="true">
            <FormAlert errors />
            <div class="grid gap-4 sm:grid-cols-2">
                <TextField name="admin_first_name" label="First name" autocomplete="given-name" value=draft.admin_first_name required=true errors />
                <TextField name="admin_last_name" label="Last name" autocomplete="family-name" value=draft.admin_last_name required=true errors />
            </div>
            <TextField
                name="admin_email"
                label="Your email"
                kind="email"
                autocomplete="username"
                hint="You log in with it; we send a link to confirm it."
                value=draft.admin_email
                required=true
                errors
            />
            <TextField
                name="admin_password"
                label="Password"
                kind="password"
                autocomplete="new-password"
                hint=password_hint
                required=!draft.password_saved
                errors
            />
            <StepButtons next="Next: choose a plan" busy="Saving…" back=true />
        </ActionForm>
    }
}

#[component]
pub fn PlanStep(draft: Draft) -> impl IntoView {
    let action = ServerAction::<SavePlan>::new();
    let errors = action_error(action.value());
    let plans = Resource::new(|| (), |_| list_plans());
    let chosen = draft.plan;
    view! {
        // The prices follow the billing radio through CSS (`group-has-…`), with or without
        // JavaScript.
        <ActionForm action attr:class="group/plan space-y-5" attr:novalidate="true">
            <FormAlert errors />
            <fieldset class="flex justify-center">
                <legend class="sr-only">"Billing"</legend>
                <div class="inline-flex rounded-full bg-slate-100 p-1 text-sm font-medium">
                    <label class="cursor-pointer rounded-full px-4 py-1.5 has-[:checked]:bg-white has-[:checked]:shadow">
                        <input class="sr-only" type="radio" name="billing" value="monthly" checked=!draft.annual />
                        "Monthly"
                    </label>
                    <label class="cursor-pointer rounded-full px-4 py-1.5 has-[:checked]:bg-white has-[:checked]:shadow">
                        <input class="sr-only" type="radio" name="billing" id="billing-annual" value="annual" checked=draft.annual />
                        "Annual"
                    </label>
                </div>
            </fieldset>
            <Suspense fallback=|| view! { <p role="status" class="text-sm text-slate-500">"Loading the plans…"</p> }>
                {move || {
                    let chosen = chosen.clone();
                    Suspend::new(async move {
                        match plans.await {
                            Ok(pricing) => view! {
                                <fieldset class="grid gap-3">
                                    <legend class="mb-2 text-sm font-medium text-slate-700">"Plan"</legend>
                                    {pricing
                                        .plans
                                        .into_iter()
                                        .map(|plan| {
                                            let checked = plan.code == chosen;
                                            let price = |shown: &PriceView| match &shown.billed {
                                                Some(billed) => format!("{} · {billed}", shown.per_month),
                                                None => shown.per_month.clone(),
                                            };
                                            let (monthly, yearly) = (price(&plan.monthly), price(&plan.annual));
                                            view! {
                                                <label class="flex cursor-pointer items-start gap-3 rounded-xl border border-slate-200 p-4 has-[:checked]:border-indigo-600 has-[:checked]:ring-1 has-[:checked]:ring-indigo-600">
                                                    <input type="radio" name="plan" value=plan.code.clone() checked=checked class="mt-1" />
                                                    <span class="flex-1">
                                                        <span class="block font-semibold">{plan.name}</span>
                                                        <span class="block text-sm text-slate-600">{plan.tagline}</span>
                                                        <span class="mt-1 block text-xs text-slate-500">{plan.features.join(" · ")}</span>
                                                    </span>
                                                    <span class="text-right text-sm font-semibold">
                                                        <span class="group-has-[#billing-annual:checked]/plan:hidden">{monthly}</span>
                                                        <span class="hidden group-has-[#billing-annual:checked]/plan:inline">{yearly}</span>
                                                    </span>
                                                </label>
                                            }
                                        })
                                        .collect_view()}
                                </fieldset>
                            }
                            .into_any(),
                            Err(err) => view! { <p role="alert" class="text-sm text-red-700">{err.message}</p> }.into_any(),
                        }
                    })
                }}
            </Suspense>
            <p class="text-sm text-slate-500">"Every workspace starts on FREE; a paid plan is paid for from billing once the workspace exists."</p>
            <StepButtons next="Next: review" busy="Saving…" back=true />
        </ActionForm>
    }
}

#[component]
pub fn ReviewStep(draft: Draft) -> impl IntoView {
    let action = ServerAction::<SubmitRegistration>::new();
    let errors = action_error(action.value());
    // Errors about fields of earlier steps, each with the way back to it.
    let earlier = move || {
        errors
            .get()
            .map(|e| e.fields)
            .unwrap_or_default()
            .into_iter()
            .filter(|(field, _)| !field.ends_with("_accepted"))
            .map(|(field, message)| {
                let href = if field.starts_with("admin_") {
                    "/register/account"
                } else {
                    "/register"
                };
                view! {
                    <li>
                        {message} " "
                        <a class="font-medium underline" href=href>"Change it"</a>
                    </li>
                }
            })
            .collect_view()
    };
    let consent = move |name: &'static str, label: &'static str| {
        let message = move || errors.get().and_then(|e| e.fields.get(name).cloned());
        view! {
            <div>
                <label class="flex items-start gap-2 text-sm text-slate-700">
                    <input type="checkbox" name=name value="on" checked={typed_checked(<SubmitRegistration as ServerFn>::PATH, name, "on", false)} class="mt-0.5" aria-invalid=move || message().map(|_| "true") />
                    {label}
                </label>
                {move || message().map(|m| view! { <p class="text-sm text-red-600">{m}</p> })}
            </div>
        }
    };
    let billing = if draft.annual {
        "billed annually"
    } else {
        "billed monthly"
    };
    let row = |label: &'static str, value: String| {
        view! {
            <div class="flex justify-between gap-4 py-2 text-sm">
                <dt class="text-slate-500">{label}</dt>
                <dd class="text-right font-medium text-slate-900">{if value.is_empty() { "—".to_owned() } else { value }}</dd>
            </div>
        }
    };
    view! {
        <div class="space-y-6">
            <section>
                <div class="flex items-baseline justify-between">
                    <h2 class="font-semibold">"Business"</h2>
                    <a href="/register" class="text-sm font-medium text-indigo-600 hover:text-indigo-500">"Edit"</a>
                </div>
                <dl class="mt-2 divide-y divide-slate-100">
                    {row("Name", draft.business_name.clone())}
                    {row("Email", draft.business_email.clone())}
                    {row("Phone", draft.business_phone.clone())}
                    {row("Website", draft.website.clone())}
                </dl>
            </section>
            <section>
                <div class="flex items-baseline justify-between">
                    <h2 class="font-semibold">"Your account"</h2>
                    <a href="/register/account" class="text-sm font-medium text-indigo-600 hover:text-indigo-500">"Edit"</a>
                </div>
                <dl class="mt-2 divide-y divide-slate-100">
                    {row("Name", format!("{} {}", draft.admin_first_name, draft.admin_last_name).trim().to_owned())}
                    {row("Email", draft.admin_email.clone())}
                    {row("Password", if draft.password_saved { "Saved".to_owned() } else { String::new() })}
                </dl>
            </section>
            <section>
                <div class="flex items-baseline justify-between">
                    <h2 class="font-semibold">"Plan"</h2>
                    <a href="/register/plan" class="text-sm font-medium text-indigo-600 hover:text-indigo-500">"Edit"</a>
                </div>
                <dl class="mt-2">{row("Plan", format!("{} ({billing})", draft.plan))}</dl>
            </section>
            <ActionForm action attr:class="space-y-4" attr:novalidate="true">
                <FormAlert errors />
                <ul role="alert" class="list-disc space-y-1 pl-5 text-sm text-red-700 empty:hidden">{earlier}</ul>
                {consent("terms_accepted", "I accept the terms of service.")}
                {consent("privacy_accepted", "I accept the privacy policy.")}
                <SubmitButton label="Create my workspace" busy_label="Creating your workspace…" />
            </ActionForm>
        </div>
    }
}
