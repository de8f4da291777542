//! Page pieces shared by the portal and the admin area: cards, notices read from the query
//! string, and the two-step confirmation of destructive actions.

use leptos::prelude::*;

/// The notice a redirect asked for in the query (`?saved=1`): the first of `notices`
/// (parameter, message) present.
#[component]
pub fn QueryNotice(notices: &'static [(&'static str, &'static str)]) -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let message = move || {
        let query = query.read();
        notices
            .iter()
            .find(|(name, _)| query.get(name).is_some())
            .map(|(_, message)| *message)
    };
    view! { {move || message().map(|message| view! { <crate::ui::form::Notice message /> })} }
}

/// A white card with a heading.
#[component]
pub fn Panel(#[prop(into)] title: String, children: Children) -> impl IntoView {
    let label = title.clone();
    view! {
        <section class="rounded-2xl border border-slate-200 bg-white p-5 shadow-sm sm:p-6" aria-label=label>
            <h2 class="text-lg font-semibold">{title}</h2>
            <div class="mt-4">{children()}</div>
        </section>
    }
}

/// Deleting asks for a second click: the first reveals `warning` (what goes with the row)
/// and the form (`children`, with [`DeleteFields`]).
#[component]
pub fn ConfirmDelete(
    name: String,
    warning: &'static str,
    /// What the first button says before the name.
    #[prop(default = "Delete")]
    verb: &'static str,
    children: Children,
) -> impl IntoView {
    view! {
        <details>
            <summary class="inline-flex cursor-pointer list-none rounded-md border border-red-300 px-4 py-2 text-sm font-semibold text-red-700 hover:bg-red-50 [&::-webkit-details-marker]:hidden">
                {format!("{verb} {name}…")}
            </summary>
            <div class="mt-3 space-y-3 rounded-lg border border-red-200 bg-red-50 p-4 text-sm text-red-900">
                <p>{warning}</p>
                {children()}
            </div>
        </details>
    }
}

/// A secret shown this once (a new API key, a webhook's signing secret): selectable in full
/// for copying, with `children` saying what it is for.
#[component]
pub fn ShownOnce(label: &'static str, secret: String, children: Children) -> impl IntoView {
    view! {
        <section role="status" aria-label=label class="rounded-2xl border border-emerald-300 bg-emerald-50 p-5 text-sm text-emerald-950">
            <h2 class="font-semibold">{label}</h2>
            <input
                readonly
                value=secret
                aria-label=label
                class="mt-3 block w-full rounded-md border border-emerald-300 bg-white px-3 py-2 font-mono text-xs text-slate-900 focus:outline-none focus:ring-2 focus:ring-emerald-500"
            />
            <p class="mt-2">{children()}</p>
        </section>
    }
}

/// A list with its accessible name, one `item` per entry, or the sentence `empty` when
/// there is none.
pub fn list_or_empty<T>(
    label: &'static str,
    empty: &'static str,
    entries: Vec<T>,
    item: impl Fn(T) -> AnyView,
) -> AnyView {
    if entries.is_empty() {
        return view! { <p class="text-sm text-slate-600">{empty}</p> }.into_any();
    }
    view! {
        <ul aria-label=label class="divide-y divide-slate-100 text-sm">
            {entries.into_iter().map(item).collect_view()}
        </ul>
    }
    .into_any()
}
