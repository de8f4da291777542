//! `/admin/tenants/:id`: one tenant for a super admin: its profile, members, subscription,
//! usage against its plan's limits and recent audit entries; deactivating or reactivating it
//! asks for a second click.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use serde::{Deserialize, Serialize};

use super::{refused, AdminNav};
use crate::error::AppError;
use crate::ui::form::{action_error, FormAlert, SubmitButton};
use crate::ui::panels::{ConfirmDelete, Panel, QueryNotice};

/// How many members and audit entries the page lists.
#[cfg(feature = "ssr")]
const LISTED: i64 = 10;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TenantDetailView {
    pub id: String,
    pub name: String,
    /// (label, value) of the profile's filled-in fields.
    pub profile: Vec<(String, String)>,
    pub active: bool,
    pub members: Vec<MemberRow>,
    pub member_total: i64,
    /// (label, value): plan, status, cycle, renewal.
    pub subscription: Vec<(String, String)>,
    /// (what, "used of limit").
    pub usage: Vec<(String, String)>,
    /// (number, date, amount, status), newest first; or why there are none to show
    /// (billing off, Stripe unreachable), which leaves the rest of the page as it is.
    pub invoices: Result<Vec<(String, String, String, String)>, String>,
    /// (when, who, action, subject); who is "root@… for ada@…" while impersonating.
    pub audit: Vec<(String, String, String, String)>,
    /// How long an impersonation lasts.
    pub impersonation_minutes: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberRow {
    pub id: String,
    pub name: String,
    pub email: String,
    pub role: String,
    pub active: bool,
    /// An active TENANT_ADMIN: one a super admin may act as.
    pub impersonable: bool,
}

#[cfg(feature = "ssr")]
mod server {
    use oikos::billing::service::Gauge;

    pub fn gauge(gauge: &Gauge, unit: &str) -> String {
        match gauge.limit {
            Some(limit) => format!("{} of {limit}{unit}", gauge.used),
            None => format!("{}{unit}, no limit", gauge.used),
        }
    }

    /// The tenant's invoices at Stripe, or why there are none to show.
    pub async fn invoices(
        ctx: &oikos::AppContext,
        scope: &oikos::tenancy::TenantScope,
    ) -> Result<Vec<(String, String, String, String)>, String> {
        use oikos::billing::plans::money;
        if ctx.stripe.is_none() {
            return Err(
                "Billing is off on this installation: plans are assigned, not invoiced.".to_owned(),
            );
        }
        let rows = oikos::billing::payments::invoices(ctx, scope)
            .await
            .map_err(|err| {
                tracing::warn!(error = %err, "reading a tenant's invoices");
                "Stripe could not be reached: try again later.".to_owned()
            })?;
        Ok(rows
            .into_iter()
            .map(|i| {
                let day = i.created.map(|at| at.format("%Y-%m-%d").to_string());
                let amount = money(i.amount_due.max(0).unsigned_abs(), &i.currency);
                (
                    i.number.unwrap_or(i.id),
                    day.unwrap_or_default(),
                    amount,
                    i.status,
                )
            })
            .collect())
    }

    pub fn profile(tenant: &oikos::tenants::Tenant) -> Vec<(String, String)> {
        let p = &tenant.profile;
        let fields = [
            ("Address", Some(tenant.slug.to_string())),
            ("Email", Some(p.email.to_string())),
            ("Phone", p.phone.clone()),
            ("Business type", p.business_type.clone()),
            ("Website", p.website.clone()),
            (
                "Created",
                Some(tenant.created_at.format("%Y-%m-%d %H:%M UTC").to_string()),
            ),
            (
                "Deletion scheduled for",
                tenant
                    .erase_after
                    .map(|at| at.format("%Y-%m-%d").to_string()),
            ),
        ];
        fields
            .into_iter()
            .filter_map(|(label, value)| Some((label.to_owned(), value?)))
            .collect()
    }
}

/// `id` is optional only so that a call without one is refused like any other (401 or 404),
/// not as a malformed request before the caller is known.
#[server(endpoint = "admin/tenant")]
pub async fn admin_tenant(id: Option<String>) -> Result<TenantDetailView, AppError> {
    use oikos::billing::service as billing;
    use oikos::members::service::{self as members, MemberQuery};
    use oikos::tenants::{service, TenantStatus};
    let super::Admin {
        ctx, scope: admin, ..
    } = super::Admin::of_request()?;
    let tenant_id = super::parsed_id::<oikos::tenancy::TenantId>(id)?;
    let scope = admin.tenant(tenant_id);
    let (tenant, _) = service::details(&ctx.db, &scope).await?;
    let (listed, member_total) = members::list(&ctx.db, &scope, &MemberQuery::default()).await?;
    let current = billing::current(&ctx, &scope).await?;
    let usage = billing::usage(&ctx, &scope).await?;
    let invoices = server::invoices(&ctx, &scope).await;
    let audit = oikos::audit::recent_tenant(&ctx.db, &admin, tenant_id, LISTED).await?;
    let renews = current
        .current_period_end
        .map(|at| at.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "—".to_owned());
    Ok(TenantDetailView {
        id: tenant.id.to_string(),
        name: tenant.profile.name.clone(),
        profile: server::profile(&tenant),
        active: tenant.status == TenantStatus::Active,
        members: listed
            .into_iter()
            .take(LISTED as usize)
            .map(|m| MemberRow {
                id: m.user_id.to_string(),
                name: format!("{} {}", m.first_name, m.last_name),
                email: m.email,
                role: m.role.label().to_owned(),
                active: m.is_active,
                impersonable: m.is_active && m.role == oikos::tenancy::Role::TenantAdmin,
            })
            .collect(),
        member_total,
        subscription: vec![
            ("Plan".to_owned(), current.plan),
            ("Status".to_owned(), current.status),
            (
                "Billing".to_owned(),
                current.billing_cycle.as_str().to_owned(),
            ),
            ("Renews".to_owned(), renews),
        ],
        usage: vec![
            ("Outlets".to_owned(), server::gauge(&usage.outlets, "")),
            ("Staff".to_owned(), server::gauge(&usage.staff, "")),
            (
                "Storage".to_owned(),
                server::gauge(&usage.storage_gb, " GB"),
            ),
        ],
        invoices,
        audit: audit
            .into_iter()
            .map(|entry| {
                let at = entry
                    .at()
                    .map(|at| at.format("%Y-%m-%d %H:%M").to_string())
                    .unwrap_or_default();
                let who = match (entry.actor_email, entry.on_behalf_of_email) {
                    (Some(actor), Some(member)) => format!("{actor} for {member}"),
                    (Some(actor), None) => actor,
                    (None, _) => "—".to_owned(),
                };
                (at, who, entry.action, entry.subject.unwrap_or_default())
            })
            .collect(),
        impersonation_minutes: oikos::identity::impersonation::LIFETIME.num_minutes(),
    })
}

/// Deactivates (`active` empty) or reactivates the tenant, then shows it again.
#[server(endpoint = "admin/set_tenant_status")]
pub async fn set_tenant_status(id: Option<String>, active: Option<String>) -> Result<(), AppError> {
    use oikos::tenants::{service, TenantStatus};
    let super::Admin {
        ctx, scope: admin, ..
    } = super::Admin::of_request()?;
    let tenant = super::parsed_id::<oikos::tenancy::TenantId>(id)?;
    let (status, notice) = match active.as_deref() {
        Some("true") => (TenantStatus::Active, "reactivated"),
        _ => (TenantStatus::Inactive, "deactivated"),
    };
    service::set_status(&ctx.db, &admin, tenant, status).await?;
    crate::mount::redirect(&format!("/admin/tenants/{tenant}?{notice}=1"));
    Ok(())
}

/// Starts acting as one of the tenant's admins on its portal (see
/// `oikos::identity::impersonation`): the browser goes there, signed in for that visit.
#[server(endpoint = "admin/impersonate")]
pub async fn impersonate(id: Option<String>, member: Option<String>) -> Result<(), AppError> {
    use oikos::identity::impersonation;
    let super::Admin {
        ctx,
        request,
        scope,
    } = super::Admin::of_request()?;
    let tenant = super::parsed_id::<oikos::tenancy::TenantId>(id)?;
    let member = member.unwrap_or_default().trim().parse().map_err(|_| {
        oikos::Error::invalid("member", "Choose one of this workspace's active admins.")
    })?;
    let target = impersonation::start(&ctx, &scope, tenant, member, &request.client()).await?;
    crate::mount::redirect(&target);
    Ok(())
}

#[component]
pub fn TenantPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let tenant = Resource::new(id, |id| admin_tenant(Some(id)));
    let notices = &[
        ("deactivated", "The tenant is deactivated: its members are signed out of it and its public page is gone."),
        ("reactivated", "The tenant is active again."),
        ("created", "The tenant is created with its admin, who can sign in at once."),
        ("impersonation", "You stopped acting as the workspace's admin; it is recorded in both audit logs."),
    ];
    view! {
        <Title text="Tenant" />
        <section class="mx-auto w-full max-w-5xl space-y-6 px-4 py-10 sm:py-14">
            <Suspense fallback=|| view! { <p role="status" class="text-sm text-slate-500">"Loading the tenant…"</p> }>
                {move || Suspend::new(async move {
                    match tenant.await {
                        Ok(tenant) => view! {
                            <p><a href="/admin/tenants" class="text-sm font-medium text-indigo-700">"← All tenants"</a></p>
                            <h1 class="text-2xl font-bold tracking-tight sm:text-3xl">{tenant.name.clone()}</h1>
                            <AdminNav />
                            <QueryNotice notices />
                            <Tenant tenant />
                        }.into_any(),
                        Err(err) => refused(err),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The invoices as a table, or why there is none.
fn invoices_table(invoices: Result<Vec<(String, String, String, String)>, String>) -> AnyView {
    let invoices = match invoices {
        Err(why) => return view! { <p class="text-sm text-slate-600">{why}</p> }.into_any(),
        Ok(invoices) if invoices.is_empty() => {
            return view! { <p class="text-sm text-slate-600">"No invoice yet."</p> }.into_any()
        }
        Ok(invoices) => invoices,
    };
    view! {
        <table class="w-full text-left text-sm">
            <caption class="sr-only">"Invoices"</caption>
            <thead class="text-xs uppercase tracking-wide text-slate-500">
                <tr><th scope="col" class="py-1 font-medium">"Number"</th><th scope="col" class="py-1 font-medium">"Date"</th><th scope="col" class="py-1 text-right font-medium">"Amount"</th><th scope="col" class="py-1 text-right font-medium">"Status"</th></tr>
            </thead>
            <tbody class="divide-y divide-slate-100">
                {invoices.into_iter().map(|(number, day, amount, status)| view! {
                    <tr><td class="py-1">{number}</td><td class="py-1 tabular-nums text-slate-600">{day}</td><td class="py-1 text-right tabular-nums">{amount}</td><td class="py-1 text-right text-slate-600">{status}</td></tr>
                }).collect_view()}
            </tbody>
        </table>
    }
    .into_any()
}

/// (label, value) rows as a description list.
fn facts(rows: Vec<(String, String)>) -> impl IntoView {
    view! {
        <dl class="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
            {rows.into_iter().map(|(label, value)| view! {
                <dt class="text-slate-500">{label}</dt>
                <dd class="break-words text-slate-900">{value}</dd>
            }).collect_view()}
        </dl>
    }
}

#[component]
fn Tenant(tenant: TenantDetailView) -> impl IntoView {
    let TenantDetailView {
        id,
        name,
        profile,
        active,
        members,
        member_total,
        subscription,
        usage,
        invoices,
        audit,
        impersonation_minutes,
    } = tenant;
    let status = if active { "Active" } else { "Inactive" };
    let acting = active.then(|| {
        let (id, members) = (id.clone(), members.clone());
        view! {
            <Panel title="Act as an admin">
                <ImpersonateForm id members minutes=impersonation_minutes />
            </Panel>
        }
    });
    view! {
        <div class="grid gap-6 lg:grid-cols-2">
            <Panel title="Profile">
                {facts(profile)}
                <p class="mt-3 text-sm">"Status: " <strong>{status}</strong></p>
            </Panel>
            <Panel title="Subscription">
                {facts(subscription)}
                <h3 class="mt-4 text-sm font-semibold">"Usage"</h3>
                <div class="mt-2">{facts(usage)}</div>
            </Panel>
        </div>
        <Panel title=format!("Members ({member_total})")>
            <ul aria-label="Members" class="divide-y divide-slate-100 text-sm">
                {members.into_iter().map(|m| view! {
                    <li class="flex flex-col gap-1 py-2 sm:flex-row sm:justify-between">
                        <span><span class="font-medium">{m.name}</span> <span class="text-slate-500">{format!(" · {}", m.email)}</span></span>
                        <span class="text-slate-600">{m.role}{(!m.active).then_some(" · deactivated")}</span>
                    </li>
                }).collect_view()}
            </ul>
        </Panel>
        {acting}
        <Panel title="Invoices">{invoices_table(invoices)}</Panel>
        <Panel title="Recent activity">
            {if audit.is_empty() {
                view! { <p class="text-sm text-slate-600">"Nothing recorded yet."</p> }.into_any()
            } else {
                view! {
                    <table class="w-full text-left text-sm">
                        <caption class="sr-only">"Recent activity"</caption>
                        <thead class="text-xs uppercase tracking-wide text-slate-500">
                            <tr><th scope="col" class="py-1 font-medium">"When (UTC)"</th><th scope="col" class="py-1 font-medium">"Who"</th><th scope="col" class="py-1 font-medium">"What"</th><th scope="col" class="py-1 font-medium">"About"</th></tr>
                        </thead>
                        <tbody class="divide-y divide-slate-100">
                            {audit.into_iter().map(|(at, who, action, subject)| view! {
                                <tr><td class="py-1 tabular-nums text-slate-600">{at}</td><td class="break-all py-1 text-slate-600">{who}</td><td class="py-1">{action}</td><td class="break-all py-1 text-slate-600">{subject}</td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </Panel>
        <Panel title="Status">
            <StatusForm id name active />
        </Panel>
    }
}

/// The choice of admin to act as, for a limited time, with what it means spelled out.
#[component]
fn ImpersonateForm(id: String, members: Vec<MemberRow>, minutes: i64) -> impl IntoView {
    let action = ServerAction::<Impersonate>::new();
    let errors = action_error(action.value());
    let admins: Vec<MemberRow> = members.into_iter().filter(|m| m.impersonable).collect();
    if admins.is_empty() {
        return view! { <p class="text-sm text-slate-600">"No active admin is listed here to act as."</p> }.into_any();
    }
    view! {
        <ActionForm action attr:class="space-y-3">
            <p class="text-sm text-slate-600">
                {format!("Opens the workspace's portal signed in as the admin you choose, for at most {minutes} minutes. A banner shows on every page with a button to stop; everything you do there is recorded as done by you on their behalf.")}
            </p>
            <FormAlert errors />
            <input type="hidden" name="id" value=id />
            <label class="block text-sm font-medium text-slate-700" for="impersonate-member">"Admin"</label>
            <select id="impersonate-member" name="member" class="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm sm:w-96">
                {admins.into_iter().map(|m| view! {
                    <option value=m.id>{format!("{} ({})", m.name, m.email)}</option>
                }).collect_view()}
            </select>
            <div class="sm:w-56"><SubmitButton label="Act as this admin" busy_label="Opening the portal…" /></div>
        </ActionForm>
    }
    .into_any()
}

#[component]
fn StatusForm(id: String, name: String, active: bool) -> impl IntoView {
    let action = ServerAction::<SetTenantStatus>::new();
    let errors = action_error(action.value());
    if active {
        view! {
            <ConfirmDelete name warning="Its members lose access and its public page disappears until it is reactivated; nothing is deleted." verb="Deactivate">
                <ActionForm action>
                    <FormAlert errors />
                    <input type="hidden" name="id" value=id />
                    <SubmitButton label="Yes, deactivate it" busy_label="Deactivating…" danger=true />
                </ActionForm>
            </ConfirmDelete>
        }
        .into_any()
    } else {
        view! {
            <ActionForm action attr:class="space-y-3">
                <p class="text-sm text-slate-600">"The tenant is inactive: its members cannot use it."</p>
                <FormAlert errors />
                <input type="hidden" name="id" value=id />
                <input type="hidden" name="active" value="true" />
                <div class="sm:w-56"><SubmitButton label="Reactivate" busy_label="Reactivating…" /></div>
            </ActionForm>
        }
        .into_any()
    }
}
