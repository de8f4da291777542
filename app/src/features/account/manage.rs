//! The signed-in pages: the account (name, password, sessions) and the workspace choice.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{
    account_overview, my_workspaces, AccountView, ChangePassword, ChooseWorkspace, LogOut,
    LogOutEverywhere, OpenWorkspace, SessionView, UpdateName, WorkspaceView,
};
use crate::error::AppError;
use crate::ui::form::{
    action_error, AuthCard, FormAlert, NewPasswordField, Notice, SubmitButton, TextField,
};

/// Signed out: to the login page, coming back here afterwards.
fn signed_out_or(err: AppError, back: &'static str) -> AnyView {
    if err.code == "unauthorized" {
        crate::mount::to_sign_in(back)
    } else {
        view! { <p role="alert" class="text-red-700">{err.message}</p> }.into_any()
    }
}

#[component]
pub fn AccountPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| account_overview());
    view! {
        <Title text="Your account" />
        <section class="mx-auto w-full max-w-3xl space-y-8 px-4 py-10 sm:px-6">
            <h1 class="text-3xl font-bold tracking-tight">"Your account"</h1>
            <Suspense fallback=|| view! { <p class="text-slate-500" aria-busy="true">"Loading your account…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(account) => view! { <Account account /> }.into_any(),
                        Err(err) => signed_out_or(err, "/account"),
                    }
                })}
            </Suspense>
        </section>
    }
}

fn card(title: &'static str, children: impl IntoView) -> impl IntoView {
    view! {
        <section class="rounded-2xl border border-slate-200 bg-white p-6 shadow-sm" aria-label=title>
            <h2 class="text-lg font-semibold">{title}</h2>
            <div class="mt-4">{children}</div>
        </section>
    }
}

#[component]
fn Account(account: AccountView) -> impl IntoView {
    let saved = use_query_map();
    let notice = move || {
        let query = saved.read();
        if let Some(slug) = query.get("welcome") {
            return Some(format!(
                "Your workspace {slug} is ready, and you are signed in as its admin."
            ));
        }
        match query.get("saved").as_deref() {
            Some("name") => Some("Your name is saved.".to_owned()),
            Some("password") => {
                Some("Your password is changed. Your other sessions have ended.".to_owned())
            }
            _ => None,
        }
    };
    let AccountView {
        user,
        sessions,
        workspaces,
    } = account;
    view! {
        {move || notice().map(|message| view! { <Notice message /> })}
        {(!user.email_verified)
            .then(|| view! {
                <p role="status" class="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800">
                    "Your email address is not confirmed yet. "
                    <a class="font-medium underline" href=crate::mount::href("/check-email")>"Send the link again"</a>
                </p>
            })}
        {user.is_super_admin.then(|| card("Platform", view! {
            <p class="text-sm text-slate-600">
                "You are a super admin. "
                <a class="font-medium text-indigo-700 underline" href="/admin">"Open the platform overview"</a>
            </p>
        }))}
        {card("Profile", view! { <NameForm first=user.first_name last=user.last_name email=user.email /> })}
        {card("Password", view! { <PasswordForm /> })}
        {card("Workspaces", view! { <Workspaces workspaces /> })}
        {card("Active sessions", view! { <Sessions sessions /> })}
    }
}

#[component]
fn NameForm(first: String, last: String, email: String) -> impl IntoView {
    let action = ServerAction::<UpdateName>::new();
    let errors = action_error(action.value());
    view! {
        <p class="mb-4 text-sm text-slate-600">"Signed in as " <strong>{email}</strong></p>
        <ActionForm action attr:class="space-y-4" attr:novalidate="true">
            <FormAlert errors />
            <div class="grid gap-4 sm:grid-cols-2">
                <TextField name="first_name" label="First name" value=first autocomplete="given-name" required=true errors />
                <TextField name="last_name" label="Last name" value=last autocomplete="family-name" required=true errors />
            </div>
            <div class="sm:w-48">
                <SubmitButton label="Save" busy_label="Saving…" />
            </div>
        </ActionForm>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let errors = action_error(action.value());
    view! {
        <ActionForm action attr:class="space-y-4" attr:novalidate="true">
            <FormAlert errors />
            <TextField name="current_password" label="Current password" kind="password" autocomplete="current-password" required=true errors />
            <NewPasswordField name="new_password" label="New password" errors />
            <div class="sm:w-48">
                <SubmitButton label="Change password" busy_label="Changing…" />
            </div>
        </ActionForm>
    }
}

#[component]
fn Workspaces(workspaces: Vec<WorkspaceView>) -> impl IntoView {
    if workspaces.is_empty() {
        return view! {
            <p class="text-sm text-slate-600">
                "You are not a member of any workspace yet. Register a business, or ask its owner for an invitation."
            </p>
        }
        .into_any();
    }
    view! { <WorkspaceList workspaces /> }.into_any()
}

/// Each workspace with a button that opens its portal (signed in there by a handoff).
#[component]
pub fn WorkspaceList(workspaces: Vec<WorkspaceView>) -> impl IntoView {
    let open = ServerAction::<OpenWorkspace>::new();
    let errors = action_error(open.value());
    view! {
        <FormAlert errors />
        <ul class="divide-y divide-slate-100">
            {workspaces
                .into_iter()
                .map(|w| view! {
                    <li class="flex items-center justify-between gap-4 py-2 text-sm">
                        <span class="min-w-0">
                            <span class="block truncate font-medium">{w.name.clone()}</span>
                            <span class="text-slate-500">{w.role}</span>
                        </span>
                        <ActionForm action=open>
                            <input type="hidden" name="slug" value=w.slug />
                            <button
                                type="submit"
                                aria-label=format!("Open {}", w.name)
                                class="rounded-md border border-slate-300 px-3 py-1.5 font-medium text-slate-700 hover:border-indigo-400 hover:text-indigo-700 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
                            >
                                "Open"
                            </button>
                        </ActionForm>
                    </li>
                })
                .collect_view()}
        </ul>
    }
}

#[component]
fn Sessions(sessions: Vec<SessionView>) -> impl IntoView {
    let log_out = ServerAction::<LogOut>::new();
    let everywhere = ServerAction::<LogOutEverywhere>::new();
    let errors = action_error(everywhere.value());
    view! {
        <ul class="divide-y divide-slate-100" aria-label="Sessions">
            {sessions
                .into_iter()
                .map(|s| view! {
                    <li class="py-3 text-sm">
                        <p class="font-medium text-slate-900" title=s.agent>
                            {s.browser}
                            {s.current.then(|| view! {
                                <span class="ml-2 rounded-full bg-indigo-50 px-2 py-0.5 text-xs font-medium text-indigo-700">"This browser"</span>
                            })}
                        </p>
                        <p class="text-slate-500">
                            {format!("{} · signed in {} · last seen {}", s.ip, s.signed_in, s.last_seen)}
                        </p>
                    </li>
                })
                .collect_view()}
        </ul>
        <div class="mt-4 grid gap-3 sm:grid-cols-2">
            <ActionForm action=log_out>
                <SubmitButton label="Log out" busy_label="Logging out…" />
            </ActionForm>
            // The confirmation is a disclosure: it works without JavaScript and with the
            // keyboard, and the page's CSP forbids inline `confirm()` handlers anyway.
            <details class="group">
                <summary class="flex cursor-pointer list-none items-center justify-center rounded-md border border-red-300 px-4 py-2 text-sm font-semibold text-red-700 hover:bg-red-50 [&::-webkit-details-marker]:hidden">
                    "Log out everywhere…"
                </summary>
                <div class="mt-3 rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
                    <p>"This ends every session of your account, on every device, this one included."</p>
                    <ActionForm action=everywhere attr:class="mt-3">
                        <FormAlert errors />
                        <SubmitButton label="Yes, log out everywhere" busy_label="Logging out…" danger=true />
                    </ActionForm>
                </div>
            </details>
        </div>
    }
}

#[component]
pub fn ChooseWorkspacePage() -> impl IntoView {
    let workspaces = Resource::new(|| (), |_| my_workspaces());
    let action = ServerAction::<ChooseWorkspace>::new();
    let errors = action_error(action.value());
    view! {
        <Title text="Choose a workspace" />
        <AuthCard title="Choose a workspace" lead="You belong to several. Which one do you want to work in?">
            <FormAlert errors />
            <Suspense fallback=|| view! { <p class="text-slate-500">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match workspaces.await {
                        Ok(list) => view! {
                            <ul class="space-y-2">
                                {list.into_iter().map(|w| view! {
                                    <li>
                                        <ActionForm action>
                                            <input type="hidden" name="slug" value=w.slug.clone() />
                                            <button
                                                type="submit"
                                                class="flex w-full items-center justify-between rounded-lg border border-slate-200 px-4 py-3 text-left hover:border-indigo-400 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
                                            >
                                                <span class="font-medium">{w.name}</span>
                                                <span class="text-sm text-slate-500">{w.role}</span>
                                            </button>
                                        </ActionForm>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(err) => signed_out_or(err, "/choose-workspace"),
                    }
                })}
            </Suspense>
        </AuthCard>
    }
}
