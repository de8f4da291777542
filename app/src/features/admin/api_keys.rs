//! `/admin/api-keys`: partners' keys for the provisioning API. A new key is shown once, on
//! the page after the form that made it; the list has each key's scopes, expiry and last use,
//! and revoking one asks for a second click.

use leptos::form::ActionForm;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use super::AdminFrame;
use crate::error::AppError;
use crate::ui::form::{action_error, FormAlert, SubmitButton, TextField};
use crate::ui::panels::{list_or_empty, ConfirmDelete, Panel, ShownOnce};

/// The scopes a key may have, as (form field, scope, what it allows). The form sends each
/// as its own check box, so the server function names them one by one. Without
/// `tenant:all` a key reaches only the tenants it created.
const SCOPES: &[(&str, &str, &str)] = &[
    ("scope_create", "tenant:create", "Create tenants"),
    ("scope_read", "tenant:read", "Read tenants"),
    ("scope_update", "tenant:update", "Update tenants"),
    ("scope_delete", "tenant:delete", "Delete tenants"),
    (
        "scope_all",
        "tenant:all",
        "Reach every tenant, not only those it created",
    ),
];

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRow {
    pub id: String,
    pub name: String,
    /// `oik_AbC1…`.
    pub prefix: String,
    pub scopes: String,
    pub created: String,
    pub expires: String,
    pub last_used: String,
    /// "Active", "Expired" or "Revoked".
    pub state: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeysView {
    /// The key just made, this once.
    pub created: Option<String>,
    pub keys: Vec<KeyRow>,
}

#[cfg(feature = "ssr")]
const SHOWN_ONCE: &str = "api_key";

#[cfg(feature = "ssr")]
fn day(at: Option<chrono::DateTime<chrono::Utc>>, none: &str) -> String {
    at.map(|at| at.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| none.to_owned())
}

#[server(endpoint = "admin/api_keys")]
pub async fn admin_api_keys() -> Result<KeysView, AppError> {
    let super::Admin { ctx, scope, .. } = super::Admin::of_request()?;
    let keys = oikos::partners::api_keys::list(&ctx.db, &scope).await?;
    let now = chrono::Utc::now();
    Ok(KeysView {
        created: crate::context::take_shown_once(SHOWN_ONCE).await?,
        keys: keys
            .into_iter()
            .map(|key| KeyRow {
                id: key.id.to_string(),
                name: key.name,
                prefix: format!("{}…", key.prefix),
                scopes: key
                    .scopes
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                created: day(Some(key.created_at), ""),
                expires: day(key.expires_at, "Never"),
                last_used: day(key.last_used_at, "Never"),
                state: match (key.revoked_at, key.expires_at) {
                    (Some(_), _) => "Revoked",
                    (None, Some(at)) if at <= now => "Expired",
                    _ => "Active",
                }
                .to_owned(),
            })
            .collect(),
    })
}

/// The last day a key works (a date from the form), as the moment it stops: the end of
/// that day, UTC.
#[cfg(feature = "ssr")]
fn expiry(date: Option<String>) -> Result<Option<chrono::DateTime<chrono::Utc>>, AppError> {
    let date = date.unwrap_or_default();
    if date.trim().is_empty() {
        return Ok(None);
    }
    let day = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| {
        oikos::Error::invalid("expires_at", "Enter a date such as 2027-01-31, or none.")
    })?;
    Ok(day
        .succ_opt()
        .map(|next| next.and_time(chrono::NaiveTime::MIN).and_utc()))
}

#[server(endpoint = "admin/create_api_key")]
pub async fn create_api_key(
    name: Option<String>,
    scope_create: Option<String>,
    scope_read: Option<String>,
    scope_update: Option<String>,
    scope_delete: Option<String>,
    scope_all: Option<String>,
    expires_at: Option<String>,
) -> Result<(), AppError> {
    use oikos::partners::api_keys::{self, NewKey};
    let super::Admin { ctx, scope, .. } = super::Admin::of_request()?;
    let ticked = [
        scope_create,
        scope_read,
        scope_update,
        scope_delete,
        scope_all,
    ];
    let input = NewKey {
        name: name.unwrap_or_default(),
        scopes: SCOPES
            .iter()
            .zip(ticked)
            .filter(|(_, ticked)| ticked.is_some())
            .map(|((_, scope, _), _)| (*scope).to_owned())
            .collect(),
        expires_at: expiry(expires_at)?,
    };
    let created = api_keys::create(&ctx.db, &ctx.seals, &scope, &input).await?;
    crate::context::keep_to_show_once(SHOWN_ONCE, created.secret).await?;
    crate::mount::redirect("/admin/api-keys?created=1");
    Ok(())
}

/// `id` is optional so that a call without one is refused like any other.
#[server(endpoint = "admin/revoke_api_key")]
pub async fn revoke_api_key(id: Option<String>) -> Result<(), AppError> {
    let super::Admin { ctx, scope, .. } = super::Admin::of_request()?;
    let id = super::parsed_id(id)?;
    oikos::partners::api_keys::revoke(&ctx.db, &scope, id).await?;
    crate::mount::redirect("/admin/api-keys?revoked=1");
    Ok(())
}

#[component]
pub fn ApiKeysPage() -> impl IntoView {
    let data = Resource::new(|| (), |_| admin_api_keys());
    let notices = &[(
        "revoked",
        "The key is revoked: requests with it are refused from now on.",
    )];
    view! { <AdminFrame title="API keys" loading="Loading the keys…" data body=keys_page notices /> }
}

fn keys_page(KeysView { created, keys }: KeysView) -> AnyView {
    view! {
        {created.map(|secret| view! {
            <ShownOnce label="Your new API key" secret>
                "Partners send it as " <code>"Authorization: Bearer <key>"</code> ". Copy it now: it is stored hashed and never shown again."
            </ShownOnce>
        })}
        <Panel title="New key"><NewKeyForm /></Panel>
        <Panel title="Keys">{keys_list(keys)}</Panel>
    }
    .into_any()
}

#[component]
fn NewKeyForm() -> impl IntoView {
    let action = ServerAction::<CreateApiKey>::new();
    let errors = action_error(action.value());
    let scope_error =
        Signal::derive(move || errors.get().and_then(|e| e.fields.get("scopes").cloned()));
    view! {
        <ActionForm action attr:class="space-y-4">
            <FormAlert errors />
            <TextField name="name" label="Name" hint="Who or what uses it, e.g. the partner's name." required=true errors />
            <fieldset aria-describedby="scopes-error">
                <legend class="text-sm font-medium text-slate-700">"Scopes"</legend>
                <div class="mt-2 grid gap-2 sm:grid-cols-2">
                    {SCOPES.iter().map(|(field, scope, label)| view! {
                        <label class="flex items-center gap-2 text-sm">
                            <input type="checkbox" name=*field value="on" class="h-4 w-4 rounded border-slate-300" />
                            <span>{*label} " " <code class="text-xs text-slate-500">{*scope}</code></span>
                        </label>
                    }).collect_view()}
                </div>
                <p id="scopes-error" class="mt-1 text-sm text-red-600">{move || scope_error.get()}</p>
            </fieldset>
            <TextField name="expires_at" label="Last day it works (optional)" kind="date" hint="Leave empty for a key that does not expire." errors />
            <div class="sm:w-56"><SubmitButton label="Create key" busy_label="Creating…" /></div>
        </ActionForm>
    }
}

fn keys_list(keys: Vec<KeyRow>) -> AnyView {
    let empty = "No key yet. Create one above for each partner.";
    list_or_empty("API keys", empty, keys, |key| {
        view! { <KeyItem key /> }.into_any()
    })
}

#[component]
fn KeyItem(key: KeyRow) -> impl IntoView {
    let action = ServerAction::<RevokeApiKey>::new();
    let errors = action_error(action.value());
    let active = key.state == "Active";
    view! {
        <li class="space-y-2 py-3">
            <div class="flex flex-col gap-1 sm:flex-row sm:items-baseline sm:justify-between">
                <span><span class="font-medium">{key.name.clone()}</span> " " <code class="text-xs text-slate-500">{key.prefix}</code></span>
                <span class="text-slate-600">{key.state}</span>
            </div>
            <p class="text-slate-600">{key.scopes}</p>
            <p class="text-xs text-slate-500">
                {format!("Created {} · expires {} · last used {}", key.created, key.expires, key.last_used)}
            </p>
            {active.then(|| view! {
                <ConfirmDelete name=key.name warning="Requests with this key are refused at once; this cannot be undone." verb="Revoke">
                    <ActionForm action>
                        <FormAlert errors />
                        <input type="hidden" name="id" value=key.id />
                        <SubmitButton label="Yes, revoke it" busy_label="Revoking…" danger=true />
                    </ActionForm>
                </ConfirmDelete>
            })}
        </li>
    }
}
