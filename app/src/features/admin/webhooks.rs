//! `/admin/webhooks`: endpoints that receive the tenant lifecycle events, signed with a
//! secret shown once; each can be sent a test event or removed (with a second click), and
//! `/admin/webhooks/:id` shows its delivery log with a "Retry" button for failed deliveries.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use super::AdminFrame;
use crate::error::AppError;
use crate::ui::form::{action_error, FormAlert, SubmitButton, TextField};
use crate::ui::panels::{list_or_empty, ConfirmDelete, Panel, ShownOnce};

/// The events an endpoint may want, as (form field, event type). Each is its own check box,
/// so the server function names them one by one.
const EVENTS: &[(&str, &str)] = &[
    ("created", "tenant.created"),
    ("updated", "tenant.updated"),
    ("deactivated", "tenant.deactivated"),
    ("reactivated", "tenant.reactivated"),
    ("deleted", "tenant.deleted"),
];

#[cfg(feature = "ssr")]
const SHOWN_ONCE: &str = "webhook_secret";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndpointRow {
    pub id: String,
    pub url: String,
    pub events: String,
    pub created: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebhooksView {
    /// The signing secret of the endpoint just made, this once.
    pub created: Option<String>,
    pub endpoints: Vec<EndpointRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DeliveryRow {
    pub id: String,
    pub event: String,
    /// `pending`, `delivered` or `failed`.
    pub status: String,
    pub created: String,
    /// (when, HTTP status or "—", error) of each attempt, in order.
    pub attempts: Vec<(String, String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogView {
    pub id: String,
    pub url: String,
    pub deliveries: Vec<DeliveryRow>,
}

#[cfg(feature = "ssr")]
fn minute(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%d %H:%M:%S").to_string()
}

#[server(endpoint = "admin/webhooks")]
pub async fn admin_webhooks() -> Result<WebhooksView, AppError> {
    let super::Admin { ctx, scope, .. } = super::Admin::of_request()?;
    let endpoints = oikos::webhooks::endpoints::list(&ctx.db, &scope).await?;
    Ok(WebhooksView {
        created: crate::context::take_shown_once(SHOWN_ONCE).await?,
        endpoints: endpoints
            .into_iter()
            .map(|e| EndpointRow {
                id: e.id.to_string(),
                url: e.url,
                events: e
                    .events
                    .iter()
                    .map(|e| e.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                created: minute(e.created_at),
            })
            .collect(),
    })
}

#[server(endpoint = "admin/create_webhook")]
pub async fn create_webhook(
    url: Option<String>,
    created: Option<String>,
    updated: Option<String>,
    deactivated: Option<String>,
    reactivated: Option<String>,
    deleted: Option<String>,
) -> Result<(), AppError> {
    use oikos::webhooks::endpoints::{self, NewEndpoint};
    let super::Admin { ctx, scope, .. } = super::Admin::of_request()?;
    let ticked = [created, updated, deactivated, reactivated, deleted];
    let input = NewEndpoint {
        url: url.unwrap_or_default(),
        events: EVENTS
            .iter()
            .zip(ticked)
            .filter(|(_, ticked)| ticked.is_some())
            .map(|((_, event), _)| (*event).to_owned())
            .collect(),
    };
    let allow_private = ctx.config.webhooks_allow_private;
    let made = endpoints::create(&ctx.db, &scope, &input, allow_private).await?;
    crate::context::keep_to_show_once(SHOWN_ONCE, made.secret).await?;
    crate::mount::redirect("/admin/webhooks?created=1");
    Ok(())
}

/// `id` is optional so that a call without one is refused like any other.
#[server(endpoint = "admin/delete_webhook")]
pub async fn delete_webhook(id: Option<String>) -> Result<(), AppError> {
    let super::Admin { ctx, scope, .. } = super::Admin::of_request()?;
    oikos::webhooks::endpoints::delete(&ctx.db, &scope, super::parsed_id(id)?).await?;
    crate::mount::redirect("/admin/webhooks?deleted=1");
    Ok(())
}

#[server(endpoint = "admin/test_webhook")]
pub async fn test_webhook(id: Option<String>) -> Result<(), AppError> {
    let super::Admin { ctx, scope, .. } = super::Admin::of_request()?;
    let id: oikos::tenancy::WebhookId = super::parsed_id(id)?;
    oikos::webhooks::endpoints::send_test(&ctx.db, &scope, id).await?;
    crate::mount::redirect(&format!("/admin/webhooks/{id}?tested=1"));
    Ok(())
}

#[server(endpoint = "admin/webhook_log")]
pub async fn webhook_log(id: Option<String>) -> Result<LogView, AppError> {
    use oikos::webhooks::endpoints;
    let super::Admin { ctx, scope, .. } = super::Admin::of_request()?;
    let id: oikos::tenancy::WebhookId = super::parsed_id(id)?;
    let log = endpoints::log(&ctx.db, &scope, id).await?;
    let url = endpoints::list(&ctx.db, &scope)
        .await?
        .into_iter()
        .find(|e| e.id == id)
        .map(|e| e.url)
        .ok_or(oikos::Error::NotFound)?;
    Ok(LogView {
        id: id.to_string(),
        url,
        deliveries: log
            .into_iter()
            .map(|(delivery, attempts)| DeliveryRow {
                id: delivery.id.to_string(),
                event: delivery.event_type,
                status: delivery.status,
                created: minute(delivery.created_at),
                attempts: attempts
                    .into_iter()
                    .map(|a| {
                        let code = a.status_code.map_or("—".to_owned(), |c| c.to_string());
                        (minute(a.attempted_at), code, a.error.unwrap_or_default())
                    })
                    .collect(),
            })
            .collect(),
    })
}

#[server(endpoint = "admin/retry_delivery")]
pub async fn retry_delivery(id: Option<String>, delivery: Option<String>) -> Result<(), AppError> {
    let super::Admin { ctx, scope, .. } = super::Admin::of_request()?;
    let id: oikos::tenancy::WebhookId = super::parsed_id(id)?;
    let delivery = super::parsed_id(delivery)?;
    oikos::webhooks::endpoints::retry(&ctx.db, &scope, delivery).await?;
    crate::mount::redirect(&format!("/admin/webhooks/{id}?retried=1"));
    Ok(())
}

#[component]
pub fn WebhooksPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| admin_webhooks());
    let notices = &[(
        "deleted",
        "The endpoint is removed with its delivery log; nothing more is sent to it.",
    )];
    view! { <AdminFrame title="Webhooks" loading="Loading the endpoints…" data body=webhooks_page notices /> }
}

fn webhooks_page(WebhooksView { created, endpoints }: WebhooksView) -> AnyView {
    view! {
        {created.map(|secret| view! {
            <ShownOnce label="The endpoint's signing secret" secret>
                "Every delivery carries " <code>"Oikos-Signature: t=<unix>,v1=<hex>"</code> ", the HMAC-SHA256 of " <code>"<t>.<body>"</code> " with this secret. Copy it now: it is not shown again."
            </ShownOnce>
        })}
        <Panel title="New endpoint"><NewEndpointForm /></Panel>
        <Panel title="Endpoints">{endpoints_list(endpoints)}</Panel>
    }
    .into_any()
}

#[component]
fn NewEndpointForm() -> impl IntoView {
    let action = ServerAction::<CreateWebhook>::new();
    let errors = action_error(action.value());
    let events_error =
        Signal::derive(move || errors.get().and_then(|e| e.fields.get("events").cloned()));
    view! {
        <ActionForm action attr:class="space-y-4">
            <FormAlert errors />
            <TextField name="url" label="URL" kind="url" hint="Public https address; private and loopback addresses are refused unless the operator allows them." required=true errors />
            <fieldset aria-describedby="events-error">
                <legend class="text-sm font-medium text-slate-700">"Events"</legend>
                <div class="mt-2 grid gap-2 sm:grid-cols-3">
                    {EVENTS.iter().map(|(field, event)| view! {
                        <label class="flex items-center gap-2 text-sm">
                            <input type="checkbox" name=*field value="on" checked=true class="h-4 w-4 rounded border-slate-300" />
                            <code>{*event}</code>
                        </label>
                    }).collect_view()}
                </div>
                <p id="events-error" class="mt-1 text-sm text-red-600">{move || events_error.get()}</p>
            </fieldset>
            <div class="sm:w-56"><SubmitButton label="Add endpoint" busy_label="Adding…" /></div>
        </ActionForm>
    }
}

fn endpoints_list(endpoints: Vec<EndpointRow>) -> AnyView {
    let empty = "No endpoint yet: tenant events are not sent anywhere.";
    list_or_empty("Endpoints", empty, endpoints, |endpoint| {
        view! { <EndpointItem endpoint /> }.into_any()
    })
}

#[component]
fn EndpointItem(endpoint: EndpointRow) -> impl IntoView {
    let test = ServerAction::<TestWebhook>::new();
    let delete = ServerAction::<DeleteWebhook>::new();
    let errors = action_error(delete.value());
    let log = format!("/admin/webhooks/{}", endpoint.id);
    let (test_id, delete_id) = (endpoint.id.clone(), endpoint.id);
    view! {
        <li class="space-y-2 py-3">
            <p class="break-all font-medium">{endpoint.url.clone()}</p>
            <p class="text-slate-600">{endpoint.events}</p>
            <p class="text-xs text-slate-500">{format!("Added {} UTC", endpoint.created)}</p>
            <div class="flex flex-wrap items-start gap-3">
                <a href=log class="rounded-md border border-slate-300 px-4 py-2 font-semibold text-slate-700 hover:bg-slate-50">"Delivery log"</a>
                <ActionForm action=test>
                    <input type="hidden" name="id" value=test_id />
                    <SubmitButton label="Send test event" busy_label="Sending…" />
                </ActionForm>
                <ConfirmDelete name=endpoint.url warning="Its delivery log goes with it, and nothing more is sent to it." verb="Remove">
                    <ActionForm action=delete>
                        <FormAlert errors />
                        <input type="hidden" name="id" value=delete_id />
                        <SubmitButton label="Yes, remove it" busy_label="Removing…" danger=true />
                    </ActionForm>
                </ConfirmDelete>
            </div>
        </li>
    }
}

#[component]
pub fn WebhookPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let data = Resource::new(id, |id| webhook_log(Some(id)));
    let notices = &[
        (
            "tested",
            "A webhook.test event is queued for this endpoint: it shows below once tried.",
        ),
        (
            "retried",
            "The delivery is queued again: the next attempt is now.",
        ),
    ];
    let back = ("/admin/webhooks", "← All endpoints");
    view! { <AdminFrame title="Delivery log" loading="Loading the log…" data body=log_page notices back /> }
}

fn log_page(log: LogView) -> AnyView {
    view! {
        <p class="break-all text-sm text-slate-600">{log.url.clone()}</p>
        <Panel title="Deliveries">{deliveries_list(log)}</Panel>
    }
    .into_any()
}

fn deliveries_list(log: LogView) -> AnyView {
    let empty = "Nothing delivered yet. Send a test event from the list of endpoints.";
    let endpoint = log.id;
    list_or_empty("Deliveries", empty, log.deliveries, move |delivery| {
        view! { <DeliveryItem endpoint=endpoint.clone() delivery /> }.into_any()
    })
}

#[component]
fn DeliveryItem(endpoint: String, delivery: DeliveryRow) -> impl IntoView {
    let retry = ServerAction::<RetryDelivery>::new();
    let errors = action_error(retry.value());
    let failed = delivery.status == "failed";
    let badge = match delivery.status.as_str() {
        "delivered" => "bg-emerald-50 text-emerald-800",
        "failed" => "bg-red-50 text-red-800",
        _ => "bg-amber-50 text-amber-800",
    };
    view! {
        <li class="space-y-2 py-3">
            <div class="flex flex-col gap-1 sm:flex-row sm:items-baseline sm:justify-between">
                <span><code class="font-medium">{delivery.event}</code> <span class="text-slate-500">{format!(" · {} UTC", delivery.created)}</span></span>
                <span class=format!("w-fit rounded-full px-2 py-0.5 text-xs font-medium {badge}")>{delivery.status.clone()}</span>
            </div>
            <table class="w-full text-left text-xs">
                <caption class="sr-only">"Attempts"</caption>
                <thead class="text-slate-500"><tr><th scope="col" class="py-1 font-medium">"Attempt (UTC)"</th><th scope="col" class="py-1 font-medium">"Response"</th><th scope="col" class="py-1 font-medium">"Error"</th></tr></thead>
                <tbody>
                    {delivery.attempts.into_iter().map(|(at, code, error)| view! {
                        <tr><td class="py-0.5 tabular-nums">{at}</td><td class="py-0.5 tabular-nums">{code}</td><td class="break-all py-0.5 text-slate-600">{error}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            {failed.then(|| view! {
                <ActionForm action=retry>
                    <FormAlert errors />
                    <input type="hidden" name="id" value=endpoint />
                    <input type="hidden" name="delivery" value=delivery.id />
                    <div class="sm:w-40"><SubmitButton label="Retry" busy_label="Queuing…" /></div>
                </ActionForm>
            })}
        </li>
    }
}
