//! The signed-out pages.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::api::{
    sign_in_options, whoami, ForgotPassword, LogIn, ResendVerification, ResetPassword, SignUp,
    VerifyEmail,
};
use crate::ui::form::{
    action_error, AuthCard, FormAlert, NewPasswordField, Notice, SubmitButton, TextField,
};

/// A query parameter of the current URL.
fn query(name: &'static str) -> Memo<Option<String>> {
    let map = use_query_map();
    Memo::new(move |_| map.read().get(name))
}

fn link(href: &'static str, label: &'static str) -> impl IntoView {
    view! {
        <a href=crate::mount::href(href) class="font-medium text-indigo-600 hover:text-indigo-500">
            {label}
        </a>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let action = ServerAction::<LogIn>::new();
    let errors = action_error(action.value());
    let next = query("next");
    let map = use_query_map();
    let notice = move || {
        let q = map.read();
        if q.get("verified").is_some() {
            Some("Your email address is confirmed. You can log in now.")
        } else if q.get("reset").is_some() {
            Some("Your password is changed. Log in with the new one.")
        } else if q.get("signed_out").as_deref() == Some("everywhere") {
            Some("You are signed out on every device.")
        } else if q.get("signed_out").is_some() {
            Some("You are signed out.")
        } else if q.get("handoff").is_some() {
            Some("That sign-in link has expired or was already used. Log in here instead.")
        } else {
            None
        }
    };
    view! {
        <Title text="Log in" />
        <AuthCard title="Log in" lead="Welcome back. Log in to your Oikos account.">
            <SignedInAlready />
            {move || notice().map(|message| view! { <Notice message /> })}
            {move || {
                map.read()
                    .get("google")
                    .map(|_| view! {
                        <p role="alert" class="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
                            "Signing in with Google did not work. Try again, or log in with your password."
                        </p>
                    })
            }}
            <ActionForm action attr:class="space-y-4" attr:novalidate="true">
                <FormAlert errors />
                <input type="hidden" name="next" value=move || next.get() />
                <TextField name="email" label="Email" kind="email" autocomplete="username" required=true errors />
                <TextField
                    name="password"
                    label="Password"
                    kind="password"
                    autocomplete="current-password"
                    required=true
                    errors
                />
                <div class="flex justify-end text-sm">
                    {link("/forgot-password", "Forgot your password?")}
                </div>
                <SubmitButton label="Log in" busy_label="Logging in…" />
            </ActionForm>
            <GoogleButton />
            <p class="text-center text-sm text-slate-600">
                "New to Oikos? " {link("/signup", "Create an account")}
            </p>
        </AuthCard>
    }
}

/// A visitor who is signed in already is told so, with the way to the account.
#[component]
fn SignedInAlready() -> impl IntoView {
    let me = Resource::new(|| (), |_| whoami());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                me.await.ok().flatten().map(|user| view! {
                    <p role="status" class="rounded-md border border-indigo-200 bg-indigo-50 px-3 py-2 text-sm text-indigo-800">
                        {format!("You are signed in as {}. ", user.email)}
                        <a class="font-medium underline" href=crate::mount::href("/account")>"Go to your account"</a>
                    </p>
                })
            })}
        </Transition>
    }
}

/// "Continue with Google", when the server has a provider configured. A plain link: the
/// browser leaves for the provider (`rel="external"` keeps the router out of it).
#[component]
fn GoogleButton() -> impl IntoView {
    let enabled = Resource::new(|| (), |_| sign_in_options());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                enabled.await.unwrap_or(false).then(|| view! {
                    <div class="space-y-4">
                        <p class="flex items-center gap-3 text-xs uppercase text-slate-400">
                            <span class="h-px flex-1 bg-slate-200"></span>"or"<span class="h-px flex-1 bg-slate-200"></span>
                        </p>
                        <a
                            href="/api/v1/auth/google/start"
                            rel="external"
                            class="flex w-full items-center justify-center gap-2 rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-700 shadow-sm hover:bg-slate-50"
                        >
                            "Continue with Google"
                        </a>
                    </div>
                })
            })}
        </Transition>
    }
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = ServerAction::<SignUp>::new();
    let errors = action_error(action.value());
    view! {
        <Title text="Create an account" />
        <AuthCard title="Create an account" lead="We will email you a link to confirm your address.">
            <ActionForm action attr:class="space-y-4" attr:novalidate="true">
                <FormAlert errors />
                <div class="grid gap-4 sm:grid-cols-2">
                    <TextField name="first_name" label="First name" autocomplete="given-name" required=true errors />
                    <TextField name="last_name" label="Last name" autocomplete="family-name" required=true errors />
                </div>
                <TextField name="email" label="Email" kind="email" autocomplete="email" required=true errors />
                <NewPasswordField name="password" label="Password" errors />
                <SubmitButton label="Create account" busy_label="Creating…" />
            </ActionForm>
            <p class="text-center text-sm text-slate-600">
                "Already have an account? " {link("/login", "Log in")}
            </p>
        </AuthCard>
    }
}

#[component]
pub fn CheckEmailPage() -> impl IntoView {
    let action = ServerAction::<ResendVerification>::new();
    let errors = action_error(action.value());
    view! {
        <Title text="Check your email" />
        <AuthCard
            title="Check your email"
            lead="If the address can receive mail, a link is on its way. Open it to confirm your address; it works for 24 hours."
        >
            <details class="text-sm text-slate-600">
                <summary class="cursor-pointer font-medium text-indigo-600">"No mail? Send the link again"</summary>
                <ActionForm action attr:class="mt-4 space-y-4" attr:novalidate="true">
                    <FormAlert errors />
                    <TextField name="email" label="Email" kind="email" autocomplete="email" required=true errors />
                    <SubmitButton label="Send again" busy_label="Sending…" />
                </ActionForm>
            </details>
            <p class="text-center text-sm text-slate-600">{link("/login", "Back to log in")}</p>
        </AuthCard>
    }
}

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let action = ServerAction::<VerifyEmail>::new();
    let errors = action_error(action.value());
    let token = query("token");
    view! {
        <Title text="Confirm your email" />
        <AuthCard title="Confirm your email" lead="One click and your address is confirmed.">
            <ActionForm action attr:class="space-y-4">
                <FormAlert errors />
                <input type="hidden" name="token" value=move || token.get() />
                <SubmitButton label="Confirm my address" busy_label="Confirming…" />
            </ActionForm>
            <p class="text-center text-sm text-slate-600">
                "Link expired? " {link("/check-email", "Send a new one")}
            </p>
        </AuthCard>
    }
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let action = ServerAction::<ForgotPassword>::new();
    let errors = action_error(action.value());
    let sent = query("sent");
    view! {
        <Title text="Forgot your password" />
        <AuthCard title="Forgot your password?" lead="Enter your address and we will mail you a link to choose a new password.">
            {move || {
                sent.get()
                    .map(|_| view! {
                        <Notice message="If an account uses this address, we have sent it a link. It works for one hour." />
                    })
            }}
            <ActionForm action attr:class="space-y-4" attr:novalidate="true">
                <FormAlert errors />
                <TextField name="email" label="Email" kind="email" autocomplete="email" required=true errors />
                <SubmitButton label="Send the link" busy_label="Sending…" />
            </ActionForm>
            <p class="text-center text-sm text-slate-600">{link("/login", "Back to log in")}</p>
        </AuthCard>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let action = ServerAction::<ResetPassword>::new();
    let errors = action_error(action.value());
    let token = query("token");
    view! {
        <Title text="Choose a new password" />
        <AuthCard title="Choose a new password" lead="You will be signed out everywhere, then log in with the new password.">
            <ActionForm action attr:class="space-y-4" attr:novalidate="true">
                <FormAlert errors />
                <input type="hidden" name="token" value=move || token.get() />
                <NewPasswordField name="password" label="New password" errors />
                <SubmitButton label="Change password" busy_label="Changing…" />
            </ActionForm>
        </AuthCard>
    }
}
