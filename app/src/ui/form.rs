//! Form pieces: a labelled text field with its error in place, a form-level alert and a
//! submit button that shows progress. Every form is a plain post to its server function;
//! when it fails, the server sends the browser back to the form's page with the error in
//! the URL and renders the page with the messages in place and what was typed kept.

use leptos::prelude::*;

use crate::error::AppError;

/// The error of an action's last result, if it failed.
pub fn action_error<T, S>(value: S) -> Signal<Option<AppError>>
where
    T: Clone + Send + Sync + 'static,
    S: Get<Value = Option<Result<T, AppError>>> + Send + Sync + 'static,
{
    Signal::derive(move || value.get().and_then(|result| result.err()))
}

/// What was typed into the field `name` before a failed plain post brought the visitor back
/// to this page (see the server's `forms` module). Known on the server only, which renders
/// every form.
pub fn typed(name: &str) -> Option<String> {
    #[cfg(feature = "ssr")]
    return crate::context::typed(name);
    #[cfg(not(feature = "ssr"))]
    {
        let _ = name;
        None
    }
}

/// Whether the check box `name` (`value`) shows ticked: as it was sent when the failed post
/// that led here came from this form (`action`: its server function's path,
/// `<SaveService as ServerFn>::PATH`), else `stored`.
pub fn typed_checked(action: &str, name: &str, value: &str, stored: bool) -> bool {
    #[cfg(feature = "ssr")]
    if let Some(ticked) = crate::context::typed_ticked(action, name, value) {
        return ticked;
    }
    let _ = (action, name, value);
    stored
}

/// What a field shows: what was just typed into it, else `stored`.
pub fn typed_or(name: &str, stored: String) -> String {
    typed(name).unwrap_or(stored)
}

#[component]
pub fn TextField(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    #[prop(into, default = "text".to_owned())] kind: String,
    #[prop(into, optional)] autocomplete: Option<String>,
    #[prop(into, optional)] hint: Option<String>,
    #[prop(into, optional)] value: Option<String>,
    /// The id of a `<datalist>` of suggestions.
    #[prop(into, optional)]
    list: Option<String>,
    #[prop(optional)] required: bool,
    errors: Signal<Option<AppError>>,
) -> impl IntoView {
    let value = if kind == "password" {
        None
    } else {
        typed(&name).or(value)
    };
    let id = format!("field-{name}");
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let field = name.clone();
    let message = Signal::derive(move || errors.get().and_then(|e| e.fields.get(&field).cloned()));
    let described_by = {
        let (error_id, hint_id, has_hint) = (error_id.clone(), hint_id.clone(), hint.is_some());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if message.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = move || message.get().is_some().then_some("true");
    view! {
        <div class="space-y-1">
            <label for=id.clone() class="block text-sm font-medium text-slate-700">
                {label}
            </label>
            <input
                id=id
                name=name
                type=kind
                value=value
                autocomplete=autocomplete
                list=list
                required=required
                aria-invalid=invalid
                aria-describedby=described_by
                class="block w-full rounded-md border border-slate-300 px-3 py-2 text-slate-900 shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500 aria-[invalid=true]:border-red-500"
            />
            {hint.map(|hint| view! { <p id=hint_id class="text-xs text-slate-500">{hint}</p> })}
            {move || {
                message
                    .get()
                    .map(|message| {
                        view! {
                            <p id=error_id.clone() class="text-sm text-red-600">
                                {message}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// The password policy, as the forms that set a password say it.
pub const PASSWORD_HINT: &str =
    "At least 8 characters, with an upper-case letter, a lower-case letter and a digit.";

/// A field for a new password, with the policy as its hint.
#[component]
pub fn NewPasswordField(
    #[prop(into)] name: String,
    #[prop(into)] label: String,
    errors: Signal<Option<AppError>>,
) -> impl IntoView {
    view! {
        <TextField
            name
            label
            kind="password"
            autocomplete="new-password"
            hint=PASSWORD_HINT
            required=true
            errors
        />
    }
}

/// The form's own error (one not about a field), announced to screen readers.
#[component]
pub fn FormAlert(errors: Signal<Option<AppError>>) -> impl IntoView {
    let message = move || {
        errors
            .get()
            .filter(|e| e.fields.is_empty())
            .map(|e| e.message)
    };
    view! {
        <div role="alert" aria-live="assertive">
            {move || {
                message()
                    .map(|message| {
                        view! {
                            <p class="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
                                {message}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// A notice above a form (a link was sent, a password changed).
#[component]
pub fn Notice(#[prop(into)] message: String) -> impl IntoView {
    view! {
        <p
            role="status"
            class="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-800"
        >
            {message}
        </p>
    }
}

/// A form's submit button. While its form is on its way (see [`FormProgress`]) it shows a
/// spinner and `busy_label` instead of `label`, through CSS on `aria-busy`.
#[component]
pub fn SubmitButton(
    #[prop(into)] label: String,
    #[prop(into)] busy_label: String,
    #[prop(optional)] danger: bool,
) -> impl IntoView {
    let colour = if danger {
        "bg-red-600 hover:bg-red-500 focus-visible:outline-red-600"
    } else {
        // A portal's own colour (its `/branding.css`), indigo elsewhere.
        "bg-[var(--brand-primary,#4f46e5)] hover:brightness-110 focus-visible:outline-[var(--brand-primary,#4f46e5)]"
    };
    view! {
        <button
            type="submit"
            class=format!(
                "group inline-flex w-full items-center justify-center gap-2 rounded-md px-4 py-2 text-sm font-semibold text-white shadow-sm focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 aria-busy:cursor-wait aria-busy:opacity-60 {colour}",
            )
        >
            <span
                aria-hidden="true"
                class="hidden h-4 w-4 animate-spin rounded-full border-2 border-white border-t-transparent group-aria-busy:inline-block"
            ></span>
            <span class="group-aria-busy:hidden">{label}</span>
            <span class="hidden group-aria-busy:inline">{busy_label}</span>
        </button>
    }
}

/// Progress for every form of the page, hydrated once at the end of the shell. Forms are
/// plain posts rendered by the server; on submit this marks the form and the button that
/// sent it `aria-busy` (the button's CSS shows the busy label) and holds a second submit of
/// the same form while the first is on its way. Islands hydrate in page order, so when
/// this one runs the others have: it also marks `<body data-hydrated>`.
#[island]
pub fn FormProgress() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    progress::watch();
}

#[cfg(feature = "hydrate")]
mod progress {
    use leptos::ev;
    use leptos::prelude::*;
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{Element, SubmitEvent};

    const BUSY: &str = "aria-busy";

    pub fn watch() {
        // For the page's life: dropping a handle leaves its listener in place.
        let _ = window_event_listener(ev::submit, mark_busy);
        // Back to a page the browser kept (bfcache): its forms are no longer on their way.
        let _ = window_event_listener(ev::pageshow, |_| clear_busy());
        if let Some(body) = document().body() {
            let _ = body.set_attribute("data-hydrated", "true");
        }
    }

    fn mark_busy(event: SubmitEvent) {
        // A form with its own script (the card form) handles its submit itself.
        if event.default_prevented() {
            return;
        }
        let Some(form) = event.target().and_then(|t| t.dyn_into::<Element>().ok()) else {
            return;
        };
        if form.get_attribute(BUSY).as_deref() == Some("true") {
            event.prevent_default();
            return;
        }
        let button = event
            .submitter()
            .map(|b| b.unchecked_into::<Element>())
            .or_else(|| form.query_selector("[type=submit]").ok().flatten());
        for element in std::iter::once(form).chain(button) {
            let _ = element.set_attribute(BUSY, "true");
        }
    }

    fn clear_busy() {
        while let Ok(Some(element)) = document().query_selector("[aria-busy]") {
            let _ = element.remove_attribute(BUSY);
        }
    }
}

/// The card a sign-in form sits in: a heading, an optional lead, the form, links below.
#[component]
pub fn AuthCard(
    #[prop(into)] title: String,
    #[prop(into, optional)] lead: Option<String>,
    children: Children,
) -> impl IntoView {
    view! {
        <section class="mx-auto w-full max-w-md px-4 py-12 sm:py-16">
            <div class="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
                <h1 class="text-2xl font-bold tracking-tight">{title}</h1>
                {lead.map(|lead| view! { <p class="mt-2 text-sm text-slate-600">{lead}</p> })}
                <div class="mt-6 space-y-4">{children()}</div>
            </div>
        </section>
    }
}
