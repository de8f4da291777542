//! `/outlets` and `/outlets/:id`: the workspace's locations with their weekly hours. Hours
//! are typed per day as `09:00-12:00, 13:00-17:00` (empty: closed), so the form is plain
//! HTML and works without JavaScript; a wrong range is named on its day.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use super::{ConfirmDelete, DeleteFields, Loaded, Panel, PortalPage, QueryNotice};
#[cfg(feature = "ssr")]
use crate::context::Scoped;
use crate::error::AppError;
use crate::ui::form::{action_error, typed_checked, FormAlert, SubmitButton, TextField};

pub const DAYS: [(&str, &str); 7] = [
    ("monday", "Monday"),
    ("tuesday", "Tuesday"),
    ("wednesday", "Wednesday"),
    ("thursday", "Thursday"),
    ("friday", "Friday"),
    ("saturday", "Saturday"),
    ("sunday", "Sunday"),
];

/// An outlet as its form shows and posts it (`id` empty for a new one): one field a day
/// for the hours.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct OutletFields {
    pub id: String,
    pub name: String,
    pub address: String,
    pub city: String,
    pub postal_code: String,
    pub country: String,
    pub phone: String,
    pub timezone: String,
    pub hours_monday: String,
    pub hours_tuesday: String,
    pub hours_wednesday: String,
    pub hours_thursday: String,
    pub hours_friday: String,
    pub hours_saturday: String,
    pub hours_sunday: String,
    /// A checkbox: present when ticked.
    pub is_active: Option<String>,
}

impl OutletFields {
    /// Each day's ranges as typed, Monday first.
    pub fn hours(&self) -> [&String; 7] {
        [
            &self.hours_monday,
            &self.hours_tuesday,
            &self.hours_wednesday,
            &self.hours_thursday,
            &self.hours_friday,
            &self.hours_saturday,
            &self.hours_sunday,
        ]
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutletsView {
    pub outlets: Vec<OutletFields>,
    pub can_manage: bool,
    /// The workspace's time zone, for a new outlet.
    pub timezone: String,
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use oikos::outlets::{hours, Outlet, OutletInput};

    pub fn fields(outlet: Outlet) -> OutletFields {
        let day = |day: &str| {
            outlet
                .hours
                .get(day)
                .map(|ranges| hours::ranges_to_text(ranges))
                .unwrap_or_default()
        };
        OutletFields {
            id: outlet.id.to_string(),
            hours_monday: day("monday"),
            hours_tuesday: day("tuesday"),
            hours_wednesday: day("wednesday"),
            hours_thursday: day("thursday"),
            hours_friday: day("friday"),
            hours_saturday: day("saturday"),
            hours_sunday: day("sunday"),
            name: outlet.name,
            address: outlet.address.unwrap_or_default(),
            city: outlet.city.unwrap_or_default(),
            postal_code: outlet.postal_code.unwrap_or_default(),
            country: outlet.country.unwrap_or_default(),
            phone: outlet.phone.unwrap_or_default(),
            timezone: outlet.timezone,
            is_active: outlet.is_active.then(|| "on".to_owned()),
        }
    }

    pub fn input(form: &OutletFields) -> OutletInput {
        let hours = DAYS
            .iter()
            .zip(form.hours())
            .map(|((day, _), text)| (day.to_string(), hours::ranges_from_text(text)))
            .collect();
        OutletInput {
            name: Some(form.name.clone()),
            address: Some(form.address.clone()),
            city: Some(form.city.clone()),
            postal_code: Some(form.postal_code.clone()),
            country: Some(form.country.clone()),
            phone: Some(form.phone.clone()),
            timezone: Some(form.timezone.clone()),
            hours: Some(hours),
            is_active: Some(form.is_active.is_some()),
        }
    }

    /// The core names a wrong range `hours.monday[1].open`; the form has one field a day.
    pub fn on_form(err: oikos::Error) -> AppError {
        let mut error = AppError::from(err);
        error.fields = std::mem::take(&mut error.fields)
            .into_iter()
            .map(|(field, message)| match field.strip_prefix("hours.") {
                Some(rest) => (
                    format!("hours_{}", rest.split('[').next().unwrap_or(rest)),
                    message,
                ),
                None => (field, message),
            })
            .collect();
        error
    }
}

#[server(endpoint = "portal/outlets")]
pub async fn list_outlets() -> Result<OutletsView, AppError> {
    use oikos::tenancy::Permission;
    let Scoped { ctx, scope } = Scoped::current().await?;
    let outlets = oikos::outlets::list(&ctx.db, &scope).await?;
    let settings = oikos::tenants::settings::get(&ctx.db, &scope).await?;
    Ok(OutletsView {
        outlets: outlets.into_iter().map(server::fields).collect(),
        can_manage: scope.require(Permission::ManageOutlets).is_ok(),
        timezone: settings.timezone,
    })
}

#[server(endpoint = "portal/outlet")]
pub async fn get_outlet(id: String) -> Result<OutletFields, AppError> {
    let Scoped { ctx, scope } = Scoped::current().await?;
    let id = super::parse_id(&id)?;
    Ok(server::fields(
        oikos::outlets::get(&ctx.db, &scope, id).await?,
    ))
}

/// Creates (`id` empty) or updates an outlet, then back to the list.
#[server(endpoint = "portal/save_outlet")]
pub async fn save_outlet(#[server(flatten)] fields: OutletFields) -> Result<(), AppError> {
    let Scoped { ctx, scope } = Scoped::current().await?;
    let input = server::input(&fields);
    let saved = if fields.id.is_empty() {
        oikos::outlets::create(&ctx, &scope, &input).await
    } else {
        let id = super::parse_id(&fields.id)?;
        oikos::outlets::update(&ctx.db, &scope, id, &input).await
    };
    saved.map_err(server::on_form)?;
    crate::mount::redirect("/outlets?saved=1");
    Ok(())
}

#[server(endpoint = "portal/delete_outlet")]
pub async fn delete_outlet(id: String) -> Result<(), AppError> {
    let Scoped { ctx, scope } = Scoped::current().await?;
    let id = super::parse_id(&id)?;
    oikos::outlets::delete(&ctx.db, &scope, id).await?;
    crate::mount::redirect("/outlets?deleted=1");
    Ok(())
}

#[component]
pub fn OutletsPage() -> impl IntoView {
    let outlets = Resource::new(|| (), |_| list_outlets());
    let notices = &[
        ("saved", "The outlet is saved."),
        ("deleted", "The outlet is deleted."),
    ];
    view! {
        <Title text="Outlets" />
        <PortalPage title="Outlets">
            <QueryNotice notices />
            <Loaded resource=outlets loading="Loading the outlets…" back="/outlets" body=|view| view! { <Outlets view /> } />
        </PortalPage>
    }
}

#[component]
fn Outlets(view: OutletsView) -> impl IntoView {
    let OutletsView {
        outlets,
        can_manage,
        timezone,
    } = view;
    let list = if outlets.is_empty() {
        view! {
            <p class="rounded-xl border border-dashed border-slate-300 p-8 text-center text-sm text-slate-500">
                "No outlets yet. Add the first place where you serve customers, with its opening hours."
            </p>
        }
        .into_any()
    } else {
        view! {
            <ul class="divide-y divide-slate-100 rounded-2xl border border-slate-200 bg-white" aria-label="Outlets">
                {outlets.into_iter().map(|o| view! { <OutletRow outlet=o can_manage /> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    let new = OutletFields {
        timezone,
        is_active: Some("on".to_owned()),
        ..OutletFields::default()
    };
    view! {
        {list}
        {can_manage.then(|| view! {
            <Panel title="Add an outlet">
                <OutletEditor outlet=new />
            </Panel>
        })}
    }
}

#[component]
fn OutletRow(outlet: OutletFields, can_manage: bool) -> impl IntoView {
    let open_days: Vec<String> = DAYS
        .iter()
        .zip(outlet.hours())
        .filter(|(_, text)| !text.is_empty())
        .map(|((_, label), text)| format!("{} {text}", &label[..3]))
        .collect();
    let hours = if open_days.is_empty() {
        "No opening hours yet".to_owned()
    } else {
        open_days.join(" · ")
    };
    let place = [outlet.address.as_str(), outlet.city.as_str()]
        .into_iter()
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <li class="flex flex-col gap-2 p-4 sm:flex-row sm:items-center sm:justify-between">
            <div class="min-w-0">
                <p class="font-medium">
                    {outlet.name.clone()}
                    {outlet.is_active.is_none().then(|| view! {
                        <span class="ml-2 rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-600">"Inactive"</span>
                    })}
                </p>
                <p class="text-sm text-slate-500">{format!("{place} · {}", outlet.timezone)}</p>
                <p class="text-sm text-slate-600">{hours}</p>
            </div>
            {can_manage.then(|| view! {
                <a
                    href=crate::mount::href(&format!("/outlets/{}", outlet.id))
                    aria-label=format!("Edit {}", outlet.name)
                    class="self-start rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:border-indigo-400 sm:self-auto"
                >
                    "Edit"
                </a>
            })}
        </li>
    }
}

/// The form for a new or an existing outlet.
#[component]
fn OutletEditor(outlet: OutletFields) -> impl IntoView {
    let action = ServerAction::<SaveOutlet>::new();
    let errors = action_error(action.value());
    let days: Vec<String> = outlet.hours().into_iter().cloned().collect();
    let label = if outlet.id.is_empty() {
        "Add the outlet"
    } else {
        "Save the outlet"
    };
    view! {
        <ActionForm action attr:class="grid gap-4 sm:grid-cols-2" attr:novalidate="true">
            <div class="sm:col-span-2"><FormAlert errors /></div>
            <input type="hidden" name="id" value=outlet.id.clone() />
            <TextField name="name" label="Name" value=outlet.name required=true errors />
            <TextField name="phone" label="Phone" kind="tel" value=outlet.phone errors />
            <TextField name="address" label="Address" value=outlet.address errors />
            <TextField name="city" label="City" value=outlet.city errors />
            <TextField name="postal_code" label="Postal code" value=outlet.postal_code errors />
            <TextField name="country" label="Country" value=outlet.country errors />
            <TextField name="timezone" label="Time zone" value=outlet.timezone hint="Like Europe/Paris or Asia/Manila" required=true errors />
            <label class="flex items-center gap-2 self-end text-sm font-medium text-slate-700">
                <input type="checkbox" name="is_active" value="on" checked={typed_checked(<SaveOutlet as ServerFn>::PATH, "is_active", "on", outlet.is_active.is_some())} class="h-4 w-4 rounded border-slate-300" />
                "Open for business (active)"
            </label>
            <fieldset class="sm:col-span-2">
                <legend class="text-sm font-semibold text-slate-800">"Opening hours"</legend>
                <p class="text-xs text-slate-500">"One or more ranges a day, like 09:00-12:00, 13:00-17:00. Leave a day empty when closed."</p>
                <div class="mt-3 grid gap-3 sm:grid-cols-2">
                    {DAYS.iter().zip(days).map(|((day, label), text)| view! {
                        <TextField name=format!("hours_{day}") label=*label value=text errors />
                    }).collect_view()}
                </div>
            </fieldset>
            <div class="sm:col-span-2 sm:max-w-xs">
                <SubmitButton label=label busy_label="Saving…" />
            </div>
        </ActionForm>
    }
}

#[component]
pub fn OutletPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let outlet = Resource::new(id, get_outlet);
    view! {
        <Title text="Edit outlet" />
        <PortalPage title="Edit outlet">
            <a href=crate::mount::href("/outlets") class="text-sm font-medium text-indigo-700 hover:text-indigo-500">"← All outlets"</a>
            <Loaded resource=outlet loading="Loading the outlet…" back="/outlets" body=|outlet| {
                let (id, name) = (outlet.id.clone(), outlet.name.clone());
                view! {
                    <Panel title="Details and hours">
                        <OutletEditor outlet />
                    </Panel>
                    <Panel title="Delete this outlet">
                        <DeleteOutletForm id name />
                    </Panel>
                }
            } />
        </PortalPage>
    }
}

/// Deleting asks for a second click.
#[component]
fn DeleteOutletForm(id: String, name: String) -> impl IntoView {
    let action = ServerAction::<DeleteOutlet>::new();
    let errors = action_error(action.value());
    view! {
        <ConfirmDelete name warning="The outlet and the services offered only there are removed. This cannot be undone.">
            <ActionForm action attr:class="sm:max-w-xs">
                <DeleteFields id errors />
            </ActionForm>
        </ConfirmDelete>
    }
}
