//! The pricing page: the plans from the configuration, with a monthly/annual toggle whose
//! state lives in the URL (`?billing=annual`).

mod api;
mod toggle;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

pub use api::{list_plans, BillingCycle, PlanCard, PriceView, Pricing};
pub use toggle::BillingToggle;

#[component]
pub fn PricingPage() -> impl IntoView {
    let query = use_query_map();
    let cycle =
        Memo::new(move |_| BillingCycle::from_query(query.read().get("billing").as_deref()));
    let pricing = Resource::new(|| (), |_| list_plans());

    view! {
        <Title text="Pricing" />
        <section class="mx-auto max-w-6xl px-4 py-16 sm:px-6">
            <div class="text-center">
                <h1 class="text-4xl font-bold tracking-tight">"Plans and pricing"</h1>
                <p class="mx-auto mt-4 max-w-2xl text-lg text-slate-600">
                    "Start free with one outlet. Upgrade when your team grows; pay annually and save."
                </p>
            </div>
            <Suspense fallback=|| view! { <PlansLoading /> }>
                {move || Suspend::new(async move {
                    match pricing.await {
                        Ok(pricing) => view! { <PlanGrid pricing cycle /> }.into_any(),
                        Err(err) => view! { <PlansUnavailable message=err.message /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn PlanGrid(pricing: Pricing, cycle: Memo<BillingCycle>) -> impl IntoView {
    view! {
        <div class="mt-10 flex justify-center">
            <BillingToggle cycle best_saving=pricing.best_annual_saving page="/pricing" />
        </div>
        <ul class="mt-12 grid gap-6 sm:grid-cols-2 lg:grid-cols-4" aria-label="Plans">
            {pricing.plans.into_iter().map(|plan| view! { <PlanCardView plan cycle /> }).collect_view()}
        </ul>
    }
}

#[component]
fn PlanCardView(plan: PlanCard, cycle: Memo<BillingCycle>) -> impl IntoView {
    let border = if plan.highlighted {
        "border-indigo-600 ring-2 ring-indigo-600"
    } else {
        "border-slate-200"
    };
    let (monthly, annual) = (plan.monthly.clone(), plan.annual.clone());
    let price = move || match cycle.get() {
        BillingCycle::Monthly => monthly.clone(),
        BillingCycle::Annual => annual.clone(),
    };
    let per_month = {
        let price = price.clone();
        move || price().per_month
    };
    let billed = move || price().billed.map(|billed| format!(" ({billed})"));
    view! {
        <li
            class=format!("flex flex-col rounded-2xl border bg-white p-6 shadow-sm {border}")
            data-plan=plan.code.clone()
        >
            <div class="flex items-center justify-between">
                <h2 class="text-lg font-semibold">{plan.name.clone()}</h2>
                {plan
                    .highlighted
                    .then(|| {
                        view! {
                            <span class="rounded-full bg-indigo-50 px-2 py-1 text-xs font-semibold text-indigo-700">
                                "Most popular"
                            </span>
                        }
                    })}
            </div>
            <p class="mt-2 min-h-10 text-sm text-slate-600">{plan.tagline.clone()}</p>
            <p class="mt-6" data-testid="price">
                <span class="text-3xl font-bold tracking-tight">{per_month}</span>
                <span class="mt-1 block text-sm text-slate-500">{billed}</span>
            </p>
            <ul class="mt-6 space-y-2 text-sm text-slate-700" aria-label=format!("{} includes", plan.name)>
                {plan
                    .features
                    .into_iter()
                    .map(|feature| {
                        view! {
                            <li class="flex gap-2">
                                <span aria-hidden="true" class="text-indigo-600">"✓"</span>
                                {feature}
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </li>
    }
}

#[component]
fn PlansLoading() -> impl IntoView {
    view! {
        <ul class="mt-12 grid gap-6 sm:grid-cols-2 lg:grid-cols-4" aria-busy="true" aria-label="Loading plans">
            {(0..4)
                .map(|_| view! { <li class="h-72 animate-pulse rounded-2xl bg-slate-200"></li> })
                .collect_view()}
        </ul>
    }
}

#[component]
fn PlansUnavailable(message: String) -> impl IntoView {
    view! {
        <div role="alert" class="mx-auto mt-12 max-w-md rounded-lg border border-red-200 bg-red-50 p-6 text-center">
            <p class="font-semibold text-red-900">"The plans could not be loaded."</p>
            <p class="mt-2 text-sm text-red-800">{message}</p>
            <a href="/pricing" class="mt-4 inline-block text-sm font-semibold text-red-900 underline">
                "Try again"
            </a>
        </div>
    }
}
