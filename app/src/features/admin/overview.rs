//! `/admin`: the platform at a glance for super admins: monthly recurring revenue, tenants
//! by plan and by status, and sign-ups per day over the last 90 days (the same figures as
//! `GET /api/v1/admin/metrics`).

use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Deserialize, Serialize};

use super::charts::{ColumnChart, Point};
use super::{refused, AdminNav};
use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverviewView {
    /// Monthly recurring revenue, written out ("$1,240" style, in the plans' currency).
    pub mrr: String,
    pub tenants: i64,
    pub active: i64,
    /// In the catalogue's order.
    pub by_plan: Vec<Point>,
    pub by_status: Vec<Point>,
    /// Oldest first, each labelled "Nov 27".
    pub signups: Vec<Point>,
    pub signups_total: i64,
}

#[server(endpoint = "admin/overview")]
pub async fn admin_overview() -> Result<OverviewView, AppError> {
    use oikos::billing::plans::money;
    use oikos::tenants::metrics;
    let super::Admin {
        ctx, scope: admin, ..
    } = super::Admin::of_request()?;
    let figures = metrics::platform(&ctx.db, &admin, &ctx.plans).await?;
    let mut by_plan: Vec<Point> = ctx
        .plans
        .plans()
        .iter()
        .map(|plan| {
            let count = figures
                .tenants_by_plan
                .get(&plan.code)
                .copied()
                .unwrap_or(0);
            (plan.name.clone(), count)
        })
        .collect();
    // A plan no longer in the catalogue still counts.
    by_plan.extend(
        figures
            .tenants_by_plan
            .iter()
            .filter(|(code, _)| ctx.plans.get(code).is_none())
            .map(|(code, count)| (code.clone(), *count)),
    );
    let status = |name: &str| figures.tenants_by_status.get(name).copied().unwrap_or(0);
    let signups: Vec<Point> = figures
        .signups_per_day
        .iter()
        .map(|day| (day.date.format("%b %-d").to_string(), day.count))
        .collect();
    Ok(OverviewView {
        mrr: money(figures.mrr_cents, ctx.plans.currency()),
        tenants: status("active") + status("inactive"),
        active: status("active"),
        by_plan,
        by_status: vec![
            ("Active".to_owned(), status("active")),
            ("Inactive".to_owned(), status("inactive")),
        ],
        signups_total: signups.iter().map(|(_, count)| count).sum(),
        signups,
    })
}

#[component]
pub fn OverviewPage() -> impl IntoView {
    let overview = Resource::new(|| (), |_| admin_overview());
    view! {
        <Title text="Platform overview" />
        <section class="mx-auto w-full max-w-5xl px-4 py-10 sm:py-14">
            <Suspense fallback=|| view! { <p role="status" class="text-sm text-slate-500">"Loading the figures…"</p> }>
                {move || Suspend::new(async move {
                    match overview.await {
                        Ok(figures) => view! { <Overview figures /> }.into_any(),
                        Err(err) => refused(err),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn Overview(figures: OverviewView) -> impl IntoView {
    let stats = [
        ("Monthly recurring revenue", figures.mrr.clone()),
        ("Tenants", figures.tenants.to_string()),
        ("Active tenants", figures.active.to_string()),
        ("Sign-ups, last 90 days", figures.signups_total.to_string()),
    ];
    view! {
        <h1 class="text-2xl font-bold tracking-tight sm:text-3xl">"Platform overview"</h1>
        <AdminNav />
        <dl class="mt-6 grid grid-cols-2 gap-4 lg:grid-cols-4">
            {stats
                .into_iter()
                .map(|(label, value)| view! {
                    <div class="rounded-2xl border border-slate-200 bg-white p-4 shadow-sm">
                        <dt class="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
                        <dd class="mt-1 text-2xl font-semibold tabular-nums">{value}</dd>
                    </div>
                })
                .collect_view()}
        </dl>
        <div class="mt-6 grid gap-6 lg:grid-cols-2">
            <ColumnChart caption="Tenants by plan" key="Plan" unit="tenants" points=figures.by_plan />
            <ColumnChart caption="Tenants by status" key="Status" unit="tenants" points=figures.by_status />
        </div>
        <div class="mt-6">
            <ColumnChart
                caption="Sign-ups per day, last 90 days"
                key="Day"
                unit="sign-ups"
                points=figures.signups
                dense=true
            />
        </div>
    }
}
