//! `/admin/tenants`: every tenant, searched by name, address or email, filtered by status,
//! sorted and paged on the server (a GET form, so it works without JavaScript and every view
//! has its own link).

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::{refused, AdminNav};
use crate::error::AppError;
use crate::ui::form::{action_error, FormAlert, NewPasswordField, SubmitButton, TextField};

/// Tenants per page.
#[cfg(feature = "ssr")]
const PAGE_SIZE: i64 = 25;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantFilters {
    pub q: Option<String>,
    pub status: Option<String>,
    pub plan: Option<String>,
    pub sort: Option<String>,
    pub page: Option<i64>,
}

impl TenantFilters {
    /// The page's address with these filters on page `page`.
    fn link(&self, page: i64) -> String {
        let pairs = [
            ("q", self.q.clone().unwrap_or_default()),
            ("status", self.status.clone().unwrap_or_default()),
            ("plan", self.plan.clone().unwrap_or_default()),
            ("sort", self.sort.clone().unwrap_or_default()),
            ("page", page.to_string()),
        ];
        let kept: Vec<(&str, String)> = pairs.into_iter().filter(|(_, v)| !v.is_empty()).collect();
        format!(
            "/admin/tenants?{}",
            serde_urlencoded::to_string(kept).unwrap_or_default()
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantRow {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub email: String,
    pub active: bool,
    pub plan: String,
    /// Active members.
    pub members: i64,
    /// `2026-11-27`.
    pub created: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantsView {
    pub tenants: Vec<TenantRow>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
    /// The catalogue's plan codes, for the plan filter.
    pub plans: Vec<String>,
}

/// The filters as separate optional arguments: a call without any is the first page.
#[server(endpoint = "admin/tenants")]
pub async fn admin_tenants(
    q: Option<String>,
    status: Option<String>,
    plan: Option<String>,
    sort: Option<String>,
    page: Option<i64>,
) -> Result<TenantsView, AppError> {
    use oikos::tenants::service::{self, TenantQuery};
    let super::Admin {
        ctx, scope: admin, ..
    } = super::Admin::of_request()?;
    let page = page.unwrap_or(1).max(1);
    let query = TenantQuery::parse(
        Some((page - 1) * PAGE_SIZE),
        Some(PAGE_SIZE),
        status.as_deref(),
        q,
        sort.as_deref(),
    )?
    .on_plan(plan.as_deref());
    let (tenants, total) = service::list(&ctx.db, &admin, &query).await?;
    Ok(TenantsView {
        tenants: tenants
            .into_iter()
            .map(|listed| {
                let t = listed.tenant;
                TenantRow {
                    id: t.id.to_string(),
                    active: t.status == oikos::tenants::TenantStatus::Active,
                    name: t.profile.name,
                    slug: t.slug.to_string(),
                    email: t.profile.email.to_string(),
                    plan: listed.plan,
                    members: listed.member_count,
                    created: t.created_at.format("%Y-%m-%d").to_string(),
                }
            })
            .collect(),
        total,
        page,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
        plans: ctx.plans.plans().iter().map(|p| p.code.clone()).collect(),
    })
}

/// The "New tenant" form's fields (the names of `POST /api/v1/public/register`'s).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewTenantFields {
    pub business_name: Option<String>,
    pub preferred_slug: Option<String>,
    pub business_email: Option<String>,
    pub business_phone: Option<String>,
    pub business_type: Option<String>,
    pub admin_first_name: Option<String>,
    pub admin_last_name: Option<String>,
    pub admin_email: Option<String>,
    pub admin_password: Option<String>,
}

/// A super admin creates a tenant with its first admin, as `POST /api/v1/tenants` does.
#[server(endpoint = "admin/create_tenant")]
pub async fn create_tenant(#[server(flatten)] fields: NewTenantFields) -> Result<(), AppError> {
    use oikos::tenants::registration::{self, Registration};
    let super::Admin {
        ctx,
        request,
        scope,
    } = super::Admin::of_request()?;
    let given = |value: Option<String>| value.filter(|v| !v.trim().is_empty());
    let input = Registration {
        business_name: fields.business_name.unwrap_or_default(),
        preferred_slug: given(fields.preferred_slug),
        business_email: fields.business_email.unwrap_or_default(),
        business_phone: given(fields.business_phone),
        business_type: given(fields.business_type),
        admin_first_name: fields.admin_first_name.unwrap_or_default(),
        admin_last_name: fields.admin_last_name.unwrap_or_default(),
        admin_email: fields.admin_email.unwrap_or_default(),
        admin_password: fields.admin_password.unwrap_or_default(),
        ..Registration::default()
    };
    let created = registration::create_by(&ctx, &scope, &input, &request.client()).await?;
    crate::mount::redirect(&format!("/admin/tenants/{}?created=1", created.tenant.id));
    Ok(())
}

#[component]
pub fn TenantsPage() -> impl IntoView {
    let query = use_query_map();
    let filters = move || {
        let query = query.read();
        let given = |name: &str| query.get(name).filter(|v| !v.is_empty());
        TenantFilters {
            q: given("q"),
            status: given("status"),
            plan: given("plan"),
            sort: given("sort"),
            page: given("page").and_then(|p| p.parse().ok()),
        }
    };
    let tenants = Resource::new(filters, |f| {
        admin_tenants(f.q, f.status, f.plan, f.sort, f.page)
    });
    view! {
        <Title text="Tenants" />
        <section class="mx-auto w-full max-w-5xl px-4 py-10 sm:py-14">
            <h1 class="text-2xl font-bold tracking-tight sm:text-3xl">"Tenants"</h1>
            <Suspense fallback=|| view! { <p role="status" class="mt-6 text-sm text-slate-500">"Loading the tenants…"</p> }>
                {move || Suspend::new(async move {
                    match tenants.await {
                        Ok(found) => view! { <AdminNav /> <NewTenant /> <Tenants found filters=filters() /> }.into_any(),
                        Err(err) => refused(err),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The form for a new tenant and its admin, folded away until asked for (and open again
/// with the errors after a failed post).
#[component]
fn NewTenant() -> impl IntoView {
    let action = ServerAction::<CreateTenant>::new();
    let errors = action_error(action.value());
    let open = errors.get_untracked().is_some();
    view! {
        <details open=open class="mt-6 rounded-2xl border border-slate-200 bg-white p-5 shadow-sm">
            <summary class="cursor-pointer text-sm font-semibold text-indigo-700">"New tenant"</summary>
            <ActionForm action attr:class="mt-4 space-y-4">
                <FormAlert errors />
                <div class="grid gap-4 sm:grid-cols-2">
                    <TextField name="business_name" label="Business name" required=true errors />
                    <TextField name="preferred_slug" label="Address (optional)" hint="Letters, digits and dashes; made from the name when empty." errors />
                    <TextField name="business_email" label="Business email" kind="email" required=true errors />
                    <TextField name="business_phone" label="Phone (optional)" kind="tel" errors />
                    <TextField name="business_type" label="Business type (optional)" errors />
                </div>
                <h3 class="text-sm font-semibold">"Its admin"</h3>
                <div class="grid gap-4 sm:grid-cols-2">
                    <TextField name="admin_first_name" label="First name" autocomplete="off" required=true errors />
                    <TextField name="admin_last_name" label="Last name" autocomplete="off" required=true errors />
                    <TextField name="admin_email" label="Email" kind="email" autocomplete="off" required=true errors />
                    <NewPasswordField name="admin_password" label="Password" errors />
                </div>
                <div class="sm:w-56"><SubmitButton label="Create tenant" busy_label="Creating…" /></div>
            </ActionForm>
        </details>
    }
}

const STATUSES: &[(&str, &str)] = &[
    ("", "Any status"),
    ("active", "Active"),
    ("inactive", "Inactive"),
];
const SORTS: &[(&str, &str)] = &[
    ("newest", "Newest first"),
    ("oldest", "Oldest first"),
    ("name", "Name, A–Z"),
];

#[component]
fn Tenants(found: TenantsView, filters: TenantFilters) -> impl IntoView {
    let TenantsView {
        tenants,
        total,
        page,
        pages,
        plans,
    } = found;
    let choice = |name: &'static str,
                  label: &'static str,
                  options: Vec<(String, String)>,
                  chosen: Option<String>| {
        let chosen = chosen.unwrap_or_default();
        view! {
            <div class="space-y-1">
                <label for=format!("tenants-{name}") class="block text-sm font-medium text-slate-700">{label}</label>
                <select id=format!("tenants-{name}") name=name class="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm">
                    {options.into_iter().map(|(value, text)| {
                        let selected = value == chosen;
                        view! { <option value=value selected=selected>{text}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let owned = |options: &[(&str, &str)]| -> Vec<(String, String)> {
        options
            .iter()
            .map(|(v, t)| ((*v).to_owned(), (*t).to_owned()))
            .collect()
    };
    let plan_options: Vec<(String, String)> =
        std::iter::once((String::new(), "Any plan".to_owned()))
            .chain(plans.into_iter().map(|code| (code.clone(), code)))
            .collect();
    let empty = tenants
        .is_empty()
        .then_some("No tenant matches. Try another search or filter.");
    let previous = (page > 1).then(|| filters.link(page - 1));
    let next = (page < pages).then(|| filters.link(page + 1));
    view! {
        <form method="get" action="/admin/tenants" role="search" class="mt-6 grid gap-3 sm:grid-cols-[2fr_1fr_1fr_1fr_auto] sm:items-end">
            <div class="space-y-1">
                <label for="tenants-q" class="block text-sm font-medium text-slate-700">"Search by name, address or email"</label>
                <input id="tenants-q" name="q" type="search" value=filters.q.clone().unwrap_or_default() class="block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm" />
            </div>
            {choice("status", "Status", owned(STATUSES), filters.status.clone())}
            {choice("plan", "Plan", plan_options, filters.plan.clone())}
            {choice("sort", "Order", owned(SORTS), filters.sort.clone())}
            <button type="submit" class="rounded-md bg-slate-800 px-4 py-2 text-sm font-semibold text-white hover:bg-slate-700">"Apply"</button>
        </form>
        <p class="mt-4 text-sm text-slate-600" role="status">{format!("{total} tenant(s) · page {page} of {pages}")}</p>
        {empty.map(|message| view! { <p class="mt-2 text-slate-600">{message}</p> })}
        <div class="mt-2 overflow-x-auto rounded-xl border border-slate-200 bg-white">
            <table class="w-full text-left text-sm">
                <caption class="sr-only">"Tenants"</caption>
                <thead class="bg-slate-50 text-xs uppercase tracking-wide text-slate-500">
                    <tr>
                        <th scope="col" class="px-4 py-2 font-medium">"Name"</th>
                        <th scope="col" class="hidden px-4 py-2 font-medium sm:table-cell">"Address"</th>
                        <th scope="col" class="hidden px-4 py-2 font-medium lg:table-cell">"Email"</th>
                        <th scope="col" class="px-4 py-2 font-medium">"Plan"</th>
                        <th scope="col" class="hidden px-4 py-2 text-right font-medium sm:table-cell">"Members"</th>
                        <th scope="col" class="px-4 py-2 font-medium">"Status"</th>
                        <th scope="col" class="hidden px-4 py-2 font-medium sm:table-cell">"Created"</th>
                    </tr>
                </thead>
                <tbody class="divide-y divide-slate-100">
                    {tenants.into_iter().map(|t| view! {
                        <tr>
                            <th scope="row" class="px-4 py-2 font-medium">
                                <a href=format!("/admin/tenants/{}", t.id) class="text-indigo-700 hover:text-indigo-500">{t.name}</a>
                            </th>
                            <td class="hidden px-4 py-2 text-slate-600 sm:table-cell">{t.slug}</td>
                            <td class="hidden px-4 py-2 text-slate-600 lg:table-cell">{t.email}</td>
                            <td class="px-4 py-2">{t.plan}</td>
                            <td class="hidden px-4 py-2 text-right tabular-nums sm:table-cell">{t.members}</td>
                            <td class="px-4 py-2">
                                {if t.active {
                                    view! { <span class="rounded-full bg-emerald-50 px-2 py-0.5 text-xs font-medium text-emerald-800">"Active"</span> }.into_any()
                                } else {
                                    view! { <span class="rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-800">"Inactive"</span> }.into_any()
                                }}
                            </td>
                            <td class="hidden px-4 py-2 tabular-nums text-slate-600 sm:table-cell">{t.created}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
        <nav aria-label="Pages" class="mt-4 flex gap-4 text-sm">
            {previous.map(|href| view! { <a href=href rel="prev" class="font-medium text-indigo-700">"← Previous"</a> })}
            {next.map(|href| view! { <a href=href rel="next" class="font-medium text-indigo-700">"Next →"</a> })}
        </nav>
    }
}
