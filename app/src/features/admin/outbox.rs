//! `/admin/outbox`: the state of outgoing mail: how many messages are sent, pending, being
//! retried or failed, the ones not sent yet with their last error, and a "Retry" button for
//! each failed one.

use leptos::form::ActionForm;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AdminFrame;
use crate::error::AppError;
use crate::ui::form::{action_error, FormAlert, SubmitButton};
use crate::ui::panels::{list_or_empty, Panel};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueuedRow {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    /// "Failed", "Retrying" or "Pending".
    pub state: String,
    pub attempts: i64,
    pub last_error: String,
    pub created: String,
    pub next_attempt: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxView {
    /// (status, count), e.g. ("sent", 12).
    pub counts: Vec<(String, i64)>,
    pub unsent: Vec<QueuedRow>,
}

/// How many unsent messages the page lists.
#[cfg(feature = "ssr")]
const LISTED: i64 = 50;

#[cfg(feature = "ssr")]
fn time(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .map(|at| at.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

#[server(endpoint = "admin/outbox")]
pub async fn admin_outbox() -> Result<OutboxView, AppError> {
    use oikos::mail::outbox;
    let super::Admin { ctx, scope, .. } = super::Admin::of_request()?;
    let counts = outbox::counts(&ctx.db).await?;
    let unsent = outbox::unsent(&ctx.db, &scope, LISTED).await?;
    Ok(OutboxView {
        counts,
        unsent: unsent
            .into_iter()
            .map(|m| QueuedRow {
                id: m.id.to_string(),
                recipient: m.recipient,
                subject: m.subject,
                state: match (m.status.as_str(), m.attempts) {
                    ("failed", _) => "Failed",
                    (_, 0) => "Pending",
                    _ => "Retrying",
                }
                .to_owned(),
                attempts: m.attempts,
                last_error: m.last_error.unwrap_or_default(),
                created: time(m.created_at),
                next_attempt: time(m.next_attempt_at),
            })
            .collect(),
    })
}

/// `id` is optional so that a call without one is refused like any other.
#[server(endpoint = "admin/retry_mail")]
pub async fn retry_mail(id: Option<String>) -> Result<(), AppError> {
    let super::Admin { ctx, scope, .. } = super::Admin::of_request()?;
    oikos::mail::outbox::retry(&ctx.db, &scope, super::parsed_id(id)?).await?;
    crate::mount::redirect("/admin/outbox?retried=1");
    Ok(())
}

#[component]
pub fn OutboxPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| admin_outbox());
    let notices = &[(
        "retried",
        "The message is queued again: the next attempt is now.",
    )];
    view! { <AdminFrame title="Outgoing mail" loading="Loading the outbox…" data body=outbox_page notices /> }
}

fn outbox_page(OutboxView { counts, unsent }: OutboxView) -> AnyView {
    view! {
        <Counts counts />
        <Panel title="Not sent yet">{unsent_list(unsent)}</Panel>
    }
    .into_any()
}

#[component]
fn Counts(counts: Vec<(String, i64)>) -> impl IntoView {
    let count = |status: &str| {
        counts
            .iter()
            .find(|(s, _)| s == status)
            .map_or(0, |(_, n)| *n)
    };
    let figures = [
        ("Sent", count("sent")),
        ("Pending", count("pending")),
        ("Failed", count("failed")),
    ];
    view! {
        <dl class="grid grid-cols-3 gap-4">
            {figures.into_iter().map(|(label, n)| view! {
                <div class="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm">
                    <dt class="text-sm text-slate-500">{label}</dt>
                    <dd class="mt-1 text-2xl font-semibold tabular-nums">{n}</dd>
                </div>
            }).collect_view()}
        </dl>
    }
}

fn unsent_list(unsent: Vec<QueuedRow>) -> AnyView {
    let empty = "Every message has been sent.";
    list_or_empty("Messages not sent yet", empty, unsent, |message| {
        view! { <Queued message /> }.into_any()
    })
}

#[component]
fn Queued(message: QueuedRow) -> impl IntoView {
    let action = ServerAction::<RetryMail>::new();
    let errors = action_error(action.value());
    let failed = message.state == "Failed";
    let when = if failed {
        format!(
            "Queued {} · {} attempt(s)",
            message.created, message.attempts
        )
    } else {
        format!(
            "Queued {} · {} attempt(s) · next {}",
            message.created, message.attempts, message.next_attempt
        )
    };
    view! {
        <li class="space-y-1 py-3">
            <div class="flex flex-col gap-1 sm:flex-row sm:items-baseline sm:justify-between">
                <span><span class="font-medium">{message.subject}</span> <span class="text-slate-500">{format!(" · {}", message.recipient)}</span></span>
                <span class=if failed { "font-medium text-red-700" } else { "text-slate-600" }>{message.state}</span>
            </div>
            <p class="text-xs text-slate-500">{when}</p>
            {(!message.last_error.is_empty()).then(|| view! { <p class="break-words text-xs text-red-700">{message.last_error.clone()}</p> })}
            {failed.then(|| view! {
                <ActionForm action attr:class="pt-1">
                    <FormAlert errors />
                    <input type="hidden" name="id" value=message.id />
                    <div class="sm:w-40"><SubmitButton label="Retry" busy_label="Queuing…" /></div>
                </ActionForm>
            })}
        </li>
    }
}
