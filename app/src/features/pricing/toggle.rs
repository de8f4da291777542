//! The monthly/annual switch (pricing and billing pages): two links that set `?billing=` and
//! load the page again with the other prices, with or without JavaScript.

use super::BillingCycle;
use leptos::prelude::*;

#[component]
pub fn BillingToggle(
    cycle: Memo<BillingCycle>,
    best_saving: u64,
    /// The page the links reload (`/pricing`, `/billing`).
    page: &'static str,
) -> impl IntoView {
    let annual = match best_saving {
        0 => "Annual".to_owned(),
        percent => format!("Annual (save up to {percent}%)"),
    };
    view! {
        <div
            role="group"
            aria-label="Billing period"
            class="inline-flex rounded-full border border-slate-200 bg-white p-1 text-sm font-medium shadow-sm"
        >
            <CycleOption cycle page target=BillingCycle::Monthly label="Monthly" />
            <CycleOption cycle page target=BillingCycle::Annual label=annual />
        </div>
    }
}

#[component]
fn CycleOption(
    cycle: Memo<BillingCycle>,
    page: &'static str,
    target: BillingCycle,
    #[prop(into)] label: String,
) -> impl IntoView {
    let selected = move || cycle.get() == target;
    view! {
        <a
            href=target.href(page)
            aria-current=move || selected().then_some("true")
            class=move || {
                if selected() {
                    "rounded-full bg-indigo-600 px-4 py-2 text-white"
                } else {
                    "rounded-full px-4 py-2 text-slate-600 hover:text-slate-900"
                }
            }
        >
            {label}
        </a>
    }
}
