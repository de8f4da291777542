//! `/admin/mailbox`: the local mailbox, where mail lands when no SMTP server is configured.

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::{refused, AdminNav};
use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterView {
    pub to: String,
    pub subject: String,
    pub date: String,
    pub text: String,
}

/// `None`: mail goes out through `SMTP_URL`, none is kept here.
pub type MailboxView = Option<Vec<LetterView>>;

/// The newest mails of the local mailbox, for super admins only.
#[server(endpoint = "admin/mailbox")]
pub async fn admin_mailbox() -> Result<MailboxView, AppError> {
    use oikos::mail::mailbox::{self, Mailbox};
    let super::Admin {
        ctx, scope: admin, ..
    } = super::Admin::of_request()?;
    Ok(match mailbox::read(&ctx, &admin, 100)? {
        Mailbox::Smtp => None,
        Mailbox::Local(letters) => Some(
            letters
                .into_iter()
                .map(|l| LetterView {
                    to: l.to,
                    subject: l.subject,
                    date: l.date,
                    text: l.text,
                })
                .collect(),
        ),
    })
}

#[component]
pub fn MailboxPage() -> impl IntoView {
    let mailbox = Resource::new(|| (), |_| admin_mailbox());
    view! {
        <Title text="Mailbox" />
        <section class="mx-auto w-full max-w-4xl px-4 py-10 sm:py-14">
            <h1 class="text-2xl font-bold tracking-tight sm:text-3xl">"Local mailbox"</h1>
            <AdminNav />
            <p class="mt-2 text-sm text-slate-600">
                "With no SMTP_URL, Oikos keeps every mail it sends here (data/mailbox), newest first."
            </p>
            <div class="mt-6">
                <Suspense fallback=|| view! { <p role="status" class="text-sm text-slate-500">"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match mailbox.await {
                            Ok(Some(letters)) if letters.is_empty() => view! {
                                <p class="rounded-xl border border-dashed border-slate-300 p-8 text-center text-sm text-slate-500">
                                    "No mail yet. Sign-ups, resets and invitations will appear here."
                                </p>
                            }.into_any(),
                            Ok(Some(letters)) => view! { <Letters letters /> }.into_any(),
                            Ok(None) => view! {
                                <p class="text-sm text-slate-600">"Mail goes out through SMTP_URL; none is kept on this server."</p>
                            }.into_any(),
                            Err(err) => refused(err),
                        }
                    })}
                </Suspense>
            </div>
        </section>
    }
}

/// Each mail as a disclosure: the list stays short, and it opens without JavaScript.
#[component]
fn Letters(letters: Vec<LetterView>) -> impl IntoView {
    view! {
        <ul class="divide-y divide-slate-200 rounded-xl border border-slate-200 bg-white" aria-label="Mails">
            {letters
                .into_iter()
                .map(|letter| view! {
                    <li>
                        <details class="group p-4">
                            <summary class="flex cursor-pointer list-none flex-col gap-1 sm:flex-row sm:items-baseline sm:justify-between [&::-webkit-details-marker]:hidden">
                                <span class="font-medium text-slate-900">{letter.subject}</span>
                                <span class="text-sm text-slate-500">{format!("{} · {}", letter.to, letter.date)}</span>
                            </summary>
                            <pre class="mt-3 whitespace-pre-wrap break-words rounded-md bg-slate-50 p-3 text-sm text-slate-700">{letter.text}</pre>
                        </details>
                    </li>
                })
                .collect_view()}
        </ul>
    }
}
