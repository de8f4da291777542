//! `/services` and `/services/:id`: the service catalog (PRODUCT.md §10). The list searches
//! and filters with a plain GET form and pages with links (`?q=&category=&page=`), so the
//! URL holds the state and everything works without JavaScript.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde::{Deserialize, Serialize};

use super::{failed, ConfirmDelete, DeleteFields, Loaded, Panel, PortalPage, QueryNotice};
#[cfg(feature = "ssr")]
use crate::context::Scoped;
use crate::error::AppError;
use crate::ui::form::{action_error, typed_checked, typed_or, FormAlert, SubmitButton, TextField};

/// Services a page.
#[cfg(feature = "ssr")]
const PAGE_SIZE: i64 = 20;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceRow {
    pub id: String,
    pub name: String,
    pub category: String,
    pub price: String,
    pub duration: String,
    pub offered_at: String,
    pub is_active: bool,
}

/// A service as its form shows it; `id` empty for a new one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ServiceFields {
    pub id: String,
    pub name: String,
    pub category: String,
    pub description: String,
    /// As typed: `25` or `25.50`.
    pub price: String,
    pub duration_minutes: String,
    /// Empty: every outlet.
    pub outlet_id: String,
    /// A checkbox: present when ticked.
    pub is_active: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choices {
    /// The workspace's category templates.
    pub categories: Vec<String>,
    /// Outlets as (id, name).
    pub outlets: Vec<(String, String)>,
    pub currency: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicesView {
    pub rows: Vec<ServiceRow>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    pub can_manage: bool,
    pub choices: Choices,
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use oikos::catalog::{Service, ServiceInput};
    use oikos::tenancy::TenantScope;

    pub async fn choices(
        ctx: &oikos::AppContext,
        scope: &TenantScope,
    ) -> Result<Choices, AppError> {
        let settings = oikos::tenants::settings::get(&ctx.db, scope).await?;
        let outlets = oikos::outlets::list(&ctx.db, scope).await?;
        Ok(choices_of(settings, outlets))
    }

    pub fn choices_of(
        settings: oikos::tenants::settings::TenantSettings,
        outlets: Vec<oikos::outlets::Outlet>,
    ) -> Choices {
        Choices {
            categories: settings.service_category_templates,
            outlets: outlets
                .into_iter()
                .map(|o| (o.id.to_string(), o.name))
                .collect(),
            currency: settings.currency,
        }
    }

    pub fn row(service: Service, choices: &Choices) -> ServiceRow {
        let outlet = service.outlet_id.map(|id| id.to_string());
        let offered_at = match outlet {
            None => "All outlets".to_owned(),
            Some(id) => choices
                .outlets
                .iter()
                .find(|(outlet, _)| *outlet == id)
                .map(|(_, name)| name.clone())
                .unwrap_or_default(),
        };
        ServiceRow {
            id: service.id.to_string(),
            name: service.name,
            category: service.category.unwrap_or_default(),
            price: format!(
                "{} {}",
                choices.currency,
                oikos::catalog::price_text(service.price_cents)
            ),
            duration: format!("{} min", service.duration_minutes),
            offered_at,
            is_active: service.is_active,
        }
    }

    pub fn fields(service: Service) -> ServiceFields {
        ServiceFields {
            id: service.id.to_string(),
            name: service.name,
            category: service.category.unwrap_or_default(),
            description: service.description.unwrap_or_default(),
            price: oikos::catalog::price_text(service.price_cents),
            duration_minutes: service.duration_minutes.to_string(),
            outlet_id: service
                .outlet_id
                .map(|id| id.to_string())
                .unwrap_or_default(),
            is_active: service.is_active.then(|| "on".to_owned()),
        }
    }

    /// The input the core takes, or the fields that cannot be read, named as on the form.
    pub fn input(fields: &ServiceFields) -> Result<ServiceInput, AppError> {
        let mut check = oikos::error::FieldCheck::new();
        let price = check.field("price", oikos::catalog::parse_price(&fields.price));
        let duration = check.field(
            "duration_minutes",
            fields
                .duration_minutes
                .trim()
                .parse::<i32>()
                .map_err(|_| "Use whole minutes, like 45."),
        );
        let outlet = match fields.outlet_id.trim() {
            "" => None,
            id => check.field(
                "outlet_id",
                id.parse().map_err(|_| "Choose one of your outlets."),
            ),
        };
        check.finish()?;
        Ok(ServiceInput {
            name: Some(fields.name.clone()),
            category: Some(fields.category.clone()),
            description: Some(fields.description.clone()),
            price_cents: price,
            duration_minutes: duration,
            outlet_id: Some(outlet),
            is_active: Some(fields.is_active.is_some()),
        })
    }

    /// The core names the price `price_cents`; the form calls it `price`.
    pub fn on_form(err: oikos::Error) -> AppError {
        let mut error = AppError::from(err);
        if let Some(message) = error.fields.remove("price_cents") {
            error.fields.insert("price".to_owned(), message);
        }
        error
    }
}

/// A page of the catalog, searched and filtered as the URL says.
#[server(endpoint = "portal/services")]
pub async fn list_services(
    q: Option<String>,
    category: Option<String>,
    page: Option<i64>,
) -> Result<ServicesView, AppError> {
    use oikos::catalog::{self, ServiceQuery};
    use oikos::tenancy::Permission;
    let Scoped { ctx, scope } = Scoped::current().await?;
    let page = page.unwrap_or(1).max(1);
    let skip = (page - 1) * PAGE_SIZE;
    let query = ServiceQuery::parse(Some(skip), Some(PAGE_SIZE), q, category, None)?;
    let found = catalog::page(&ctx.db, &scope, &query).await?;
    let total = found.total;
    let choices = server::choices_of(found.settings, found.outlets);
    Ok(ServicesView {
        rows: found
            .services
            .into_iter()
            .map(|s| server::row(s, &choices))
            .collect(),
        total,
        page,
        pages: (total + PAGE_SIZE - 1) / PAGE_SIZE,
        can_manage: scope.require(Permission::ManageServices).is_ok(),
        choices,
    })
}

/// One service, for its edit page, with the choices its form offers.
#[server(endpoint = "portal/service")]
pub async fn get_service(id: String) -> Result<(ServiceFields, Choices), AppError> {
    let Scoped { ctx, scope } = Scoped::current().await?;
    let id = super::parse_id(&id)?;
    let service = oikos::catalog::get(&ctx.db, &scope, id).await?;
    Ok((
        server::fields(service),
        server::choices(&ctx, &scope).await?,
    ))
}

/// Creates (`id` empty) or updates a service, then back to the list.
#[server(endpoint = "portal/save_service")]
pub async fn save_service(#[server(flatten)] fields: ServiceFields) -> Result<(), AppError> {
    let Scoped { ctx, scope } = Scoped::current().await?;
    let input = server::input(&fields)?;
    let saved = match fields.id.trim() {
        "" => oikos::catalog::create(&ctx.db, &scope, &input).await,
        id => {
            let id = super::parse_id(id)?;
            oikos::catalog::update(&ctx.db, &scope, id, &input).await
        }
    };
    saved.map_err(server::on_form)?;
    crate::mount::redirect("/services?saved=1");
    Ok(())
}

#[server(endpoint = "portal/delete_service")]
pub async fn delete_service(id: String) -> Result<(), AppError> {
    let Scoped { ctx, scope } = Scoped::current().await?;
    let id = super::parse_id(&id)?;
    oikos::catalog::delete(&ctx.db, &scope, id).await?;
    crate::mount::redirect("/services?deleted=1");
    Ok(())
}

#[component]
pub fn ServicesPage() -> impl IntoView {
    let query = use_query_map();
    let filters = move || {
        let query = query.read();
        let page = query.get("page").and_then(|p| p.parse().ok());
        (query.get("q"), query.get("category"), page)
    };
    let services = Resource::new(filters, |(q, category, page)| {
        list_services(q, category, page)
    });
    let notices = &[
        ("saved", "The service is saved."),
        ("deleted", "The service is deleted."),
    ];
    view! {
        <Title text="Services" />
        <PortalPage title="Services">
            <QueryNotice notices />
            <Suspense fallback=|| view! { <p role="status" class="text-slate-500">"Loading the catalog…"</p> }>
                {move || Suspend::new(async move {
                    let (q, category, _) = filters();
                    match services.await {
                        Ok(view) => view! { <Catalog view q=q.unwrap_or_default() category=category.unwrap_or_default() /> }.into_any(),
                        Err(err) => failed(err, "/services"),
                    }
                })}
            </Suspense>
        </PortalPage>
    }
}

#[component]
fn Catalog(view: ServicesView, q: String, category: String) -> impl IntoView {
    let ServicesView {
        rows,
        total,
        page,
        pages,
        can_manage,
        choices,
    } = view;
    let filtered = !q.is_empty() || !category.is_empty();
    let link = {
        let (q, category) = (q.clone(), category.clone());
        move |page: i64| {
            let page = page.to_string();
            let query = [
                ("q", q.as_str()),
                ("category", category.as_str()),
                ("page", &page),
            ]
            .into_iter()
            .filter(|(_, value)| !value.is_empty())
            .collect::<Vec<_>>();
            let query = serde_urlencoded::to_string(query).unwrap_or_default();
            crate::mount::href(&format!("/services?{query}"))
        }
    };
    let empty = match (rows.is_empty(), filtered) {
        (true, true) => Some("No service matches. Try another search or category."),
        (true, false) => Some("No services yet. Add what you offer, with its price and duration."),
        _ => None,
    };
    view! {
        <form method="get" action=crate::mount::href("/services") role="search" class="flex flex-col gap-3 sm:flex-row sm:items-end">
            <div class="flex-1 space-y-1">
                <label for="services-q" class="block text-sm font-medium text-slate-700">"Search"</label>
                <input id="services-q" name="q" type="search" value=q class="block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-2 focus:ring-indigo-500" />
            </div>
            <div class="space-y-1">
                <label for="services-category" class="block text-sm font-medium text-slate-700">"Category"</label>
                <select id="services-category" name="category" class="block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm sm:w-48">
                    <option value="">"All categories"</option>
                    {choices.categories.iter().map(|c| {
                        let selected = *c == category;
                        view! { <option value=c.clone() selected=selected>{c.clone()}</option> }
                    }).collect_view()}
                </select>
            </div>
            <button type="submit" class="rounded-md bg-slate-800 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700">"Search"</button>
        </form>
        {match empty {
            Some(message) => view! {
                <p class="rounded-xl border border-dashed border-slate-300 p-8 text-center text-sm text-slate-500">{message}</p>
            }.into_any(),
            None => view! { <ServiceTable rows can_manage /> }.into_any(),
        }}
        {(pages > 1).then(|| view! {
            <nav aria-label="Pages" class="flex items-center justify-between text-sm">
                <span class="text-slate-600">{format!("Page {page} of {pages} · {total} services")}</span>
                <span class="flex gap-3">
                    {(page > 1).then(|| view! { <a href=link(page - 1) rel="prev" class="font-medium text-indigo-700">"← Previous"</a> })}
                    {(page < pages).then(|| view! { <a href=link(page + 1) rel="next" class="font-medium text-indigo-700">"Next →"</a> })}
                </span>
            </nav>
        })}
        {can_manage.then(|| view! {
            <Panel title="Add a service">
                <ServiceEditor fields=ServiceFields { is_active: Some("on".to_owned()), ..ServiceFields::default() } choices />
            </Panel>
        })}
    }
}

#[component]
fn ServiceTable(rows: Vec<ServiceRow>, can_manage: bool) -> impl IntoView {
    view! {
        <div class="overflow-x-auto rounded-2xl border border-slate-200 bg-white">
            <table class="min-w-full divide-y divide-slate-200 text-sm">
                <caption class="sr-only">"Services"</caption>
                <thead class="bg-slate-50 text-left text-slate-600">
                    <tr>
                        <th scope="col" class="px-4 py-3 font-semibold">"Service"</th>
                        <th scope="col" class="px-4 py-3 font-semibold">"Category"</th>
                        <th scope="col" class="px-4 py-3 font-semibold">"Price"</th>
                        <th scope="col" class="px-4 py-3 font-semibold">"Duration"</th>
                        <th scope="col" class="px-4 py-3 font-semibold">"Offered at"</th>
                        {can_manage.then(|| view! { <th scope="col" class="px-4 py-3"><span class="sr-only">"Actions"</span></th> })}
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {rows.into_iter().map(|row| view! {
                        <tr>
                            <td class="px-4 py-3 font-medium">
                                {row.name.clone()}
                                {(!row.is_active).then(|| view! { <span class="ml-2 rounded bg-slate-100 px-2 py-0.5 text-xs text-slate-600">"Not offered"</span> })}
                            </td>
                            <td class="px-4 py-3 text-slate-600">{row.category}</td>
                            <td class="px-4 py-3 tabular-nums">{row.price}</td>
                            <td class="px-4 py-3 tabular-nums">{row.duration}</td>
                            <td class="px-4 py-3 text-slate-600">{row.offered_at}</td>
                            {can_manage.then(|| view! {
                                <td class="px-4 py-3 text-right">
                                    <a href=crate::mount::href(&format!("/services/{}", row.id)) aria-label=format!("Edit {}", row.name) class="font-medium text-indigo-700 hover:text-indigo-500">"Edit"</a>
                                </td>
                            })}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

/// The form for a new or an existing service.
#[component]
fn ServiceEditor(fields: ServiceFields, choices: Choices) -> impl IntoView {
    let action = ServerAction::<SaveService>::new();
    let errors = action_error(action.value());
    let label = if fields.id.is_empty() {
        "Add the service"
    } else {
        "Save the service"
    };
    let outlet_error = Signal::derive(move || {
        errors
            .get()
            .and_then(|e| e.fields.get("outlet_id").cloned())
    });
    let chosen_outlet = typed_or("outlet_id", fields.outlet_id.clone());
    view! {
        <ActionForm action attr:class="grid gap-4 sm:grid-cols-2" attr:novalidate="true">
            <div class="sm:col-span-2"><FormAlert errors /></div>
            <input type="hidden" name="id" value=fields.id.clone() />
            <TextField name="name" label="Name" value=fields.name required=true errors />
            <div>
                <TextField name="category" label="Category" value=fields.category list="category-templates" hint="Pick a suggestion or type your own" errors />
                <datalist id="category-templates">
                    {choices.categories.into_iter().map(|c| view! { <option value=c></option> }).collect_view()}
                </datalist>
            </div>
            <TextField name="price" label=format!("Price ({})", choices.currency) value=fields.price hint="Like 25 or 25.50" required=true errors />
            <TextField name="duration_minutes" label="Duration (minutes)" kind="number" value=fields.duration_minutes required=true errors />
            <div class="space-y-1">
                <label for="field-outlet_id" class="block text-sm font-medium text-slate-700">"Offered at"</label>
                <select id="field-outlet_id" name="outlet_id" class="block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm">
                    <option value="">"All outlets"</option>
                    {choices.outlets.into_iter().map(|(id, name)| {
                        let selected = id == chosen_outlet;
                        view! { <option value=id selected=selected>{name}</option> }
                    }).collect_view()}
                </select>
                {move || outlet_error.get().map(|message| view! { <p class="text-sm text-red-600">{message}</p> })}
            </div>
            <TextField name="description" label="Description" value=fields.description errors />
            <label class="flex items-center gap-2 text-sm font-medium text-slate-700">
                <input type="checkbox" name="is_active" value="on" checked={typed_checked(<SaveService as ServerFn>::PATH, "is_active", "on", fields.is_active.is_some())} class="h-4 w-4 rounded border-slate-300" />
                "Offered (customers can book it)"
            </label>
            <div class="sm:col-span-2 sm:max-w-xs">
                <SubmitButton label=label busy_label="Saving…" />
            </div>
        </ActionForm>
    }
}

#[component]
pub fn ServicePage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let service = Resource::new(id, get_service);
    view! {
        <Title text="Edit service" />
        <PortalPage title="Edit service">
            <a href=crate::mount::href("/services") class="text-sm font-medium text-indigo-700 hover:text-indigo-500">"← All services"</a>
            <Loaded resource=service loading="Loading the service…" back="/services" body=|(fields, choices)| {
                let (id, name) = (fields.id.clone(), fields.name.clone());
                view! {
                    <Panel title="Details">
                        <ServiceEditor fields choices />
                    </Panel>
                    <Panel title="Delete this service">
                        <DeleteServiceForm id name />
                    </Panel>
                }
            } />
        </PortalPage>
    }
}

/// Deleting asks for a second click.
#[component]
fn DeleteServiceForm(id: String, name: String) -> impl IntoView {
    let action = ServerAction::<DeleteService>::new();
    let errors = action_error(action.value());
    view! {
        <ConfirmDelete name warning="The service leaves the catalog. This cannot be undone.">
            <ActionForm action attr:class="sm:max-w-xs">
                <DeleteFields id errors />
            </ActionForm>
        </ConfirmDelete>
    }
}
