//! The registration wizard at `/register`: business → admin account → plan → review. Each
//! step is a real form posting to a server function that keeps the draft in the session, so
//! back, next, a reload and JavaScript being off all keep what was typed. One route
//! (`/register/:step?`) for the four steps.

mod api;
mod steps;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

pub use api::*;
use steps::{AccountStep, BusinessStep, PlanStep, ReviewStep};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Step {
    Business,
    Account,
    Plan,
    Review,
}

impl Step {
    const ALL: [Step; 4] = [Step::Business, Step::Account, Step::Plan, Step::Review];

    fn from_param(param: Option<&str>) -> Option<Step> {
        match param {
            None | Some("") => Some(Step::Business),
            Some("account") => Some(Step::Account),
            Some("plan") => Some(Step::Plan),
            Some("review") => Some(Step::Review),
            Some(_) => None,
        }
    }

    fn title(self) -> &'static str {
        match self {
            Step::Business => "Business",
            Step::Account => "Your account",
            Step::Plan => "Plan",
            Step::Review => "Review",
        }
    }
}

#[component]
pub fn Wizard() -> impl IntoView {
    let params = use_params_map();
    let step = Step::from_param(params.read_untracked().get("step").as_deref());
    let draft = Resource::new(|| (), |_| registration_draft());
    let title = step.map_or("Page not found", Step::title);
    view! {
        <Title text=format!("Register: {title}") />
        <section class="mx-auto w-full max-w-2xl px-4 py-10 sm:py-14">
            <h1 class="text-2xl font-bold tracking-tight sm:text-3xl">"Register your business"</h1>
            <p class="mt-2 text-sm text-slate-600">
                "Four short steps to your own workspace. You can go back at any time; nothing you type is lost."
            </p>
            {step.map(|step| view! { <Progress step /> })}
            <div class="mt-6 rounded-2xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
                <Suspense fallback=|| view! { <p class="text-sm text-slate-500" role="status">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match (draft.await, step) {
                            (Err(err), _) => view! { <p role="alert" class="text-sm text-red-700">{err.message}</p> }.into_any(),
                            (Ok(_), None) => view! { <p>"There is no such step. " <a class="text-indigo-600 underline" href="/register">"Start again"</a></p> }.into_any(),
                            (Ok(draft), Some(Step::Business)) => view! { <BusinessStep draft /> }.into_any(),
                            (Ok(draft), Some(Step::Account)) => view! { <AccountStep draft /> }.into_any(),
                            (Ok(draft), Some(Step::Plan)) => view! { <PlanStep draft /> }.into_any(),
                            (Ok(draft), Some(Step::Review)) => view! { <ReviewStep draft /> }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </section>
    }
}

/// Where the visitor is among the four steps (`aria-current="step"`).
#[component]
fn Progress(step: Step) -> impl IntoView {
    let position = Step::ALL.iter().position(|s| *s == step).unwrap_or(0);
    view! {
        <ol class="mt-6 grid grid-cols-4 gap-2" aria-label="Progress">
            {Step::ALL
                .into_iter()
                .enumerate()
                .map(|(i, s)| {
                    let bar = if i <= position { "bg-indigo-600" } else { "bg-slate-200" };
                    let text = if i == position { "text-indigo-700" } else { "text-slate-500" };
                    view! {
                        <li aria-current=(s == step).then_some("step")>
                            <span class=format!("block h-1.5 rounded-full {bar}") aria-hidden="true"></span>
                            <span class=format!("mt-2 block text-xs font-medium {text}")>
                                {format!("{}. {}", i + 1, s.title())}
                            </span>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}
