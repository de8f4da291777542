//! `/dashboard`: what a member sees first on the portal. Admins get the onboarding checklist
//! and, while a deletion is scheduled, a banner to restore the workspace.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;

use super::api::{dashboard, Card, DashboardView, RestoreWorkspace, StepView};
use super::{Loaded, Panel, PortalPage, QueryNotice};
use crate::features::account::WorkspaceList;
use crate::ui::form::{action_error, FormAlert, SubmitButton};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let view = Resource::new(|| (), |_| dashboard());
    view! {
        <Title text="Dashboard" />
        <PortalPage title="Dashboard">
            <Loaded resource=view loading="Loading your workspace…" back="/dashboard" body=|dashboard| view! { <Dashboard dashboard /> } />
        </PortalPage>
    }
}

#[component]
fn Dashboard(dashboard: DashboardView) -> impl IntoView {
    let DashboardView {
        tenant_name,
        first_name,
        role,
        erase_on,
        can_manage,
        cards,
        checklist,
        others,
    } = dashboard;
    view! {
        <QueryNotice notices=&[
            ("welcome", "Your workspace is ready. The checklist below walks you through setting it up."),
            ("restored", "Your workspace is restored; nothing will be deleted."),
        ] />
        {erase_on.map(|day| view! { <DeletionBanner day can_manage /> })}
        <p class="text-slate-600">
            {format!("Welcome, {first_name}. You are signed in to {tenant_name} as {}.", role_name(&role))}
        </p>
        {cards.map(|cards| view! { <Cards cards /> })}
        {checklist.map(|steps| view! { <Checklist steps /> })}
        {(!others.is_empty()).then(|| view! {
            <Panel title="Your other workspaces">
                <WorkspaceList workspaces=others />
            </Panel>
        })}
    }
}

fn role_name(role: &str) -> String {
    role.replace('_', " ").to_lowercase()
}

#[component]
fn DeletionBanner(day: String, can_manage: bool) -> impl IntoView {
    let restore = ServerAction::<RestoreWorkspace>::new();
    let errors = action_error(restore.value());
    view! {
        <div role="alert" class="rounded-xl border border-amber-300 bg-amber-50 p-4 text-amber-900">
            <p class="font-medium">
                {format!("This workspace is scheduled for deletion. Its data will be erased on {day}.")}
            </p>
            {can_manage.then(|| view! {
                <ActionForm action=restore attr:class="mt-3 max-w-xs">
                    <FormAlert errors />
                    <SubmitButton label="Restore the workspace" busy_label="Restoring…" />
                </ActionForm>
            })}
        </div>
    }
}

#[component]
fn Cards(cards: Vec<Card>) -> impl IntoView {
    view! {
        <ul class="grid gap-4 sm:grid-cols-2 lg:grid-cols-4" aria-label="Figures">
            {cards.into_iter().map(|card| {
                let body = view! {
                    <span class="text-sm font-medium text-slate-500">{card.label}</span>
                    <span class="mt-1 block text-3xl font-bold tracking-tight">{card.value}</span>
                    <span class="mt-1 block text-sm text-slate-500">{card.detail}</span>
                };
                let frame = "block h-full rounded-2xl border border-slate-200 bg-white p-5 shadow-sm";
                let inner = if card.href.is_empty() {
                    view! { <div class=frame>{body}</div> }.into_any()
                } else {
                    view! {
                        <a href=crate::mount::href(&card.href) class=format!("{frame} hover:border-indigo-300 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600")>
                            {body}
                        </a>
                    }.into_any()
                };
                view! { <li>{inner}</li> }
            }).collect_view()}
        </ul>
    }
}

#[component]
fn Checklist(steps: Vec<StepView>) -> impl IntoView {
    let done = steps.iter().filter(|s| s.done).count();
    let total = steps.len();
    view! {
        <Panel title="Get your workspace ready">
            <p class="text-sm text-slate-600" id="checklist-progress">
                {format!("{done} of {total} done")}
            </p>
            // A native progress bar: styled without inline styles (the page's CSP has none).
            <progress
                class="mt-2 h-2 w-full overflow-hidden rounded-full [&::-webkit-progress-bar]:bg-slate-100 [&::-webkit-progress-value]:bg-[var(--brand-accent,#059669)] [&::-moz-progress-bar]:bg-[var(--brand-accent,#059669)]"
                aria-labelledby="checklist-progress"
                max=total.to_string()
                value=done.to_string()
            ></progress>
            <ol class="mt-4 divide-y divide-slate-100">
                {steps.into_iter().map(|step| {
                    let state = if step.done { "Done" } else { "To do" };
                    view! {
                        <li class="flex items-center gap-3 py-3" data-step=step.key data-done=step.done.to_string()>
                            <span
                                aria-hidden="true"
                                class=if step.done {
                                    "grid h-6 w-6 shrink-0 place-items-center rounded-full bg-[var(--brand-accent,#059669)] text-xs text-white"
                                } else {
                                    "h-6 w-6 shrink-0 rounded-full border-2 border-slate-300"
                                }
                            >
                                {step.done.then_some("✓")}
                            </span>
                            <span class="sr-only">{format!("{state}: ")}</span>
                            {if step.done {
                                view! { <span class="text-slate-500 line-through">{step.label}</span> }.into_any()
                            } else {
                                view! {
                                    <a href=crate::mount::href(&step.href) class="font-medium text-indigo-700 hover:text-indigo-500">{step.label}</a>
                                }.into_any()
                            }}
                        </li>
                    }
                }).collect_view()}
            </ol>
        </Panel>
    }
}
