//! `/admin/tenants`: every tenant, searched by name, address or email, filtered by status,
//! sorted and paged on the server (a GET form, so it works without JavaScript and every view
//! has its own link).

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::{refused, AdminNav};
use crate::error::AppError;

/// Tenants per page.
#[cfg(feature = "ssr")]
const PAGE_SIZE: i64 = 25;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantFilters {
    pub q: Option<String>,
    pub status: Option<String>,
    pub sort: Option<String>,
    pub page: Option<i64>,
}

impl TenantFilters {
    /// The page's address with these filters on page `page`.
    fn link(&self, page: i64) -> String {
        let pairs = [
            ("q", self.q.clone().unwrap_or_default()),
            ("status", self.status.clone().unwrap_or_default()),
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
    /// `2026-11-27`.
    pub created: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantsView {
    pub tenants: Vec<TenantRow>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

/// The filters as separate optional arguments: a call without any is the first page.
#[server(endpoint = "admin/tenants")]
pub async fn admin_tenants(
    q: Option<String>,
    status: Option<String>,
    sort: Option<String>,
    page: Option<i64>,
) -> Result<TenantsView, AppError> {
    use oikos::tenants::service::{self, TenantQuery};
    let ctx = crate::context::app_context()?;
    let request = crate::context::request_context()?;
    let admin = oikos::tenancy::AdminScope::resolve(&request.caller()?.auth.principal)?;
    let page = page.unwrap_or(1).max(1);
    let query = TenantQuery::parse(
        Some((page - 1) * PAGE_SIZE),
        Some(PAGE_SIZE),
        status.as_deref(),
        q,
        sort.as_deref(),
    )?;
    let (tenants, total) = service::list(&ctx.db, &admin, &query).await?;
    Ok(TenantsView {
        tenants: tenants
            .into_iter()
            .map(|t| TenantRow {
                id: t.id.to_string(),
                active: t.status == oikos::tenants::TenantStatus::Active,
                name: t.profile.name,
                slug: t.slug.to_string(),
                email: t.profile.email.to_string(),
                created: t.created_at.format("%Y-%m-%d").to_string(),
            })
            .collect(),
        total,
        page,
        pages: ((total + PAGE_SIZE - 1) / PAGE_SIZE).max(1),
    })
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
            sort: given("sort"),
            page: given("page").and_then(|p| p.parse().ok()),
        }
    };
    let tenants = Resource::new(filters, |f| admin_tenants(f.q, f.status, f.sort, f.page));
    view! {
        <Title text="Tenants" />
        <section class="mx-auto w-full max-w-5xl px-4 py-10 sm:py-14">
            <h1 class="text-2xl font-bold tracking-tight sm:text-3xl">"Tenants"</h1>
            <Suspense fallback=|| view! { <p role="status" class="mt-6 text-sm text-slate-500">"Loading the tenants…"</p> }>
                {move || Suspend::new(async move {
                    match tenants.await {
                        Ok(found) => view! { <AdminNav /> <Tenants found filters=filters() /> }.into_any(),
                        Err(err) => refused(err),
                    }
                })}
            </Suspense>
        </section>
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
    } = found;
    let choice = |name: &'static str,
                  label: &'static str,
                  options: &'static [(&str, &str)],
                  chosen: Option<String>| {
        let chosen = chosen.unwrap_or_default();
        view! {
            <div class="space-y-1">
                <label for=format!("tenants-{name}") class="block text-sm font-medium text-slate-700">{label}</label>
                <select id=format!("tenants-{name}") name=name class="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 shadow-sm">
                    {options.iter().map(|(value, text)| view! {
                        <option value=*value selected=*value == chosen>{*text}</option>
                    }).collect_view()}
                </select>
            </div>
        }
    };
    let empty = tenants
        .is_empty()
        .then_some("No tenant matches. Try another search or filter.");
    let previous = (page > 1).then(|| filters.link(page - 1));
    let next = (page < pages).then(|| filters.link(page + 1));
    view! {
        <form method="get" action="/admin/tenants" role="search" class="mt-6 grid gap-3 sm:grid-cols-[2fr_1fr_1fr_auto] sm:items-end">
            <div class="space-y-1">
                <label for="tenants-q" class="block text-sm font-medium text-slate-700">"Search by name, address or email"</label>
                <input id="tenants-q" name="q" type="search" value=filters.q.clone().unwrap_or_default() class="block w-full rounded-md border border-slate-300 px-3 py-2 shadow-sm" />
            </div>
            {choice("status", "Status", STATUSES, filters.status.clone())}
            {choice("sort", "Order", SORTS, filters.sort.clone())}
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
                        <th scope="col" class="px-4 py-2 font-medium">"Address"</th>
                        <th scope="col" class="hidden px-4 py-2 font-medium sm:table-cell">"Email"</th>
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
                            <td class="px-4 py-2 text-slate-600">{t.slug}</td>
                            <td class="hidden px-4 py-2 text-slate-600 sm:table-cell">{t.email}</td>
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
