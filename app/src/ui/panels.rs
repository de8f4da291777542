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
