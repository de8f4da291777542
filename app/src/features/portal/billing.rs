//! `/billing` (TENANT_ADMIN): the plan and its state, the monthly/annual toggle (in the URL,
//! so it works without JavaScript) over every plan priced per month, usage against the plan's
//! limits, the cards on file and the invoices. Choosing another plan opens
//! `/billing/change`, which shows what the change costs (the proration Stripe computes)
//! before it is confirmed.

use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

use super::{ConfirmDelete, Loaded, Panel, PortalPage, QueryNotice};
#[cfg(feature = "ssr")]
use crate::context::Scoped;
use crate::error::AppError;
use crate::features::pricing::{list_plans, BillingCycle, BillingToggle, PlanCard};
use crate::ui::form::{action_error, FormAlert, SubmitButton};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingView {
    /// `false`: no Stripe key; plans are assigned by a super admin.
    pub enabled: bool,
    pub plan: String,
    pub plan_name: String,
    pub cycle: String,
    pub status: String,
    /// "Renews on 2026-12-26", "Ends on …", or nothing on FREE.
    pub period: Option<String>,
    pub cancel_at_period_end: bool,
    pub usage: Vec<UsageBar>,
    pub cards: Vec<CardRow>,
    /// Stripe.js's address and the publishable key, when cards are added in the page.
    pub card_form: Option<(String, String)>,
    pub invoices: Vec<InvoiceLine>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UsageBar {
    pub label: String,
    /// "2 of 3", "1 of unlimited".
    pub text: String,
    /// 0–100; `None` when unlimited.
    pub percent: Option<u32>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardRow {
    pub id: String,
    pub label: String,
    pub is_default: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvoiceLine {
    pub id: String,
    pub number: String,
    pub date: String,
    pub amount: String,
    pub status: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangePreview {
    pub plan: String,
    pub cycle: String,
    /// "Upgrade to Pro, billed annually".
    pub title: String,
    pub lines: Vec<(String, String)>,
    pub amount_due: String,
    /// Down to FREE: the paid plan runs to the end of its period.
    pub ends_paid_plan: bool,
    /// A paid plan and no card yet: the card form comes first (see [`BillingView`]).
    pub card_form: Option<(String, String)>,
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use oikos::billing::plans::money;
    use oikos::billing::service::{Gauge, Usage};

    /// Stripe.js's address and the publishable key, when cards are added in the page.
    pub fn card_form(ctx: &oikos::AppContext) -> Option<(String, String)> {
        let stripe = ctx.config.stripe.as_ref()?;
        let key = stripe.publishable_key.clone()?;
        Some((stripe.js_url.to_string(), key))
    }

    pub fn amount(cents: i64, currency: &str) -> String {
        let sign = if cents < 0 { "−" } else { "" };
        format!("{sign}{}", money(cents.unsigned_abs(), currency))
    }

    pub fn bars(usage: Usage) -> Vec<UsageBar> {
        let bar = |label: &str, gauge: Gauge| {
            let limit = gauge
                .limit
                .map_or("unlimited".to_owned(), |l| l.to_string());
            UsageBar {
                label: label.to_owned(),
                text: format!("{} of {limit}", gauge.used),
                percent: gauge
                    .limit
                    .map(|l| ((gauge.used / f64::from(l.max(1))) * 100.0).clamp(0.0, 100.0) as u32),
            }
        };
        vec![
            bar("Outlets", usage.outlets),
            bar("Staff (members and pending invitations)", usage.staff),
            bar("Appointments this month", usage.appointments_per_month),
            bar("Storage (GB)", usage.storage_gb),
        ]
    }
}

/// The page's data. Cards and invoices only with billing on.
#[server(endpoint = "portal/billing")]
pub async fn billing() -> Result<BillingView, AppError> {
    use oikos::billing::{payments, service};
    use oikos::tenancy::Permission;
    let Scoped { ctx, scope } = Scoped::current().await?;
    scope.require(Permission::ManageBilling)?;
    let current = service::current(&ctx, &scope).await?;
    let enabled = ctx.stripe.is_some();
    let (cards, invoices) = if enabled {
        (
            payments::cards(&ctx, &scope).await?,
            payments::invoices(&ctx, &scope).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let period = current.current_period_end.map(|end| {
        let verb = if current.cancel_at_period_end {
            "Ends"
        } else {
            "Renews"
        };
        format!("{verb} on {}", end.format("%Y-%m-%d"))
    });
    Ok(BillingView {
        enabled,
        plan_name: ctx
            .plans
            .get(&current.plan)
            .map_or(current.plan.clone(), |p| p.name.clone()),
        plan: current.plan,
        cycle: current.billing_cycle.as_str().to_owned(),
        status: current.status,
        period,
        cancel_at_period_end: current.cancel_at_period_end,
        usage: server::bars(service::usage(&ctx, &scope).await?),
        cards: cards
            .into_iter()
            .map(|c| CardRow {
                label: format!(
                    "{} ending {} · {:02}/{}",
                    c.brand, c.last4, c.exp_month, c.exp_year
                ),
                id: c.id,
                is_default: c.is_default,
            })
            .collect(),
        card_form: server::card_form(&ctx),
        invoices: invoices
            .into_iter()
            .map(|i| InvoiceLine {
                number: i.number.unwrap_or_else(|| i.id.clone()),
                date: i
                    .created
                    .map(|d| d.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
                amount: server::amount(i.amount_due, &i.currency),
                status: i.status,
                id: i.id,
            })
            .collect(),
    })
}

/// What moving to `plan` billed per `billing` would cost, before confirming.
#[server(endpoint = "portal/preview_change")]
pub async fn preview_change(plan: String, billing: String) -> Result<ChangePreview, AppError> {
    use oikos::billing::service::{self, Direction};
    let Scoped { ctx, scope } = Scoped::current().await?;
    let preview = service::preview(&ctx, &scope, &plan, &billing).await?;
    let currency = ctx.plans.currency();
    let target = ctx.plans.get(&plan.trim().to_ascii_uppercase());
    let name = target.map_or(plan.clone(), |p| p.name.clone());
    let free = target.is_some_and(|p| p.monthly_price == 0);
    let needs_card = !free
        && oikos::billing::payments::cards(&ctx, &scope)
            .await?
            .is_empty();
    let verb = match preview.direction {
        Direction::Upgrade => "Upgrade",
        Direction::Downgrade => "Downgrade",
    };
    Ok(ChangePreview {
        title: format!(
            "{verb} to {name}, billed {}",
            if billing == "annual" {
                "annually"
            } else {
                "monthly"
            }
        ),
        lines: preview
            .lines
            .into_iter()
            .map(|(description, cents)| (description, server::amount(cents, currency)))
            .collect(),
        amount_due: server::amount(preview.amount_due, currency),
        ends_paid_plan: free,
        card_form: needs_card.then(|| server::card_form(&ctx)).flatten(),
        plan,
        cycle: billing,
    })
}

#[server(endpoint = "portal/change_plan")]
pub async fn change_plan(plan: String, billing: String) -> Result<(), AppError> {
    let Scoped { ctx, scope } = Scoped::current().await?;
    oikos::billing::service::switch(&ctx, &scope, &plan, &billing).await?;
    crate::mount::redirect("/billing?changed=1");
    Ok(())
}

/// Cancels at the end of the period.
#[server(endpoint = "portal/cancel_plan")]
pub async fn cancel_plan() -> Result<(), AppError> {
    let Scoped { ctx, scope } = Scoped::current().await?;
    oikos::billing::service::set_cancel(&ctx, &scope, true).await?;
    crate::mount::redirect("/billing?canceled=1");
    Ok(())
}

#[server(endpoint = "portal/resume_plan")]
pub async fn resume_plan() -> Result<(), AppError> {
    let Scoped { ctx, scope } = Scoped::current().await?;
    oikos::billing::service::set_cancel(&ctx, &scope, false).await?;
    crate::mount::redirect("/billing?resumed=1");
    Ok(())
}

#[server(endpoint = "portal/default_card")]
pub async fn default_card(id: String) -> Result<(), AppError> {
    let Scoped { ctx, scope } = Scoped::current().await?;
    oikos::billing::payments::make_default(&ctx, &scope, &id).await?;
    crate::mount::redirect("/billing?card_default=1");
    Ok(())
}

#[server(endpoint = "portal/remove_card")]
pub async fn remove_card(id: String) -> Result<(), AppError> {
    let Scoped { ctx, scope } = Scoped::current().await?;
    oikos::billing::payments::delete_card(&ctx, &scope, &id).await?;
    crate::mount::redirect("/billing?card_removed=1");
    Ok(())
}

const NOTICES: &[(&str, &str)] = &[
    ("changed", "Your plan is changed."),
    (
        "canceled",
        "Your subscription ends at the end of this period.",
    ),
    ("resumed", "Your subscription continues."),
    ("card_added", "The card is added."),
    ("card_default", "That card now pays the subscription."),
    ("card_removed", "The card is removed."),
];

#[component]
pub fn BillingPage() -> impl IntoView {
    let view = Resource::new(|| (), |_| billing());
    view! {
        <Title text="Billing" />
        <PortalPage title="Billing">
            <QueryNotice notices=NOTICES />
            <Loaded resource=view loading="Loading your subscription…" back="/billing" body=|billing: BillingView| view! { <Billing billing /> } />
        </PortalPage>
    }
}

#[component]
fn Billing(billing: BillingView) -> impl IntoView {
    let BillingView {
        enabled,
        plan,
        plan_name,
        cycle,
        status,
        period,
        cancel_at_period_end,
        usage,
        cards,
        card_form,
        invoices,
    } = billing;
    let summary = format!(" · billed {cycle} · {}", status.replace('_', " "));
    let paid = period.is_some();
    view! {
        {(!enabled).then(|| view! {
            <p role="status" class="rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
                "Billing is off on this installation: a super admin assigns plans."
            </p>
        })}
        <Panel title="Your plan">
            <p class="text-lg"><span class="font-semibold">{plan_name}</span>{summary}</p>
            {period.map(|p| view! { <p class="mt-1 text-sm text-slate-600">{p}</p> })}
            {(enabled && paid).then(|| view! { <CancelOrResume cancel_at_period_end /> })}
        </Panel>
        {enabled.then(|| view! { <Panel title="Change plan"><PlanChoices current=plan current_cycle=cycle /></Panel> })}
        <Panel title="Usage"><Usage bars=usage /></Panel>
        {enabled.then(|| view! {
            <Panel title="Cards"><Cards cards /><AddCard form=card_form /></Panel>
            <Panel title="Invoices"><Invoices invoices /></Panel>
        })}
    }
}

#[component]
fn CancelOrResume(cancel_at_period_end: bool) -> impl IntoView {
    let cancel = ServerAction::<CancelPlan>::new();
    let resume = ServerAction::<ResumePlan>::new();
    let cancel_errors = action_error(cancel.value());
    if cancel_at_period_end {
        return view! {
            <ActionForm action=resume attr:class="mt-4 sm:max-w-xs">
                <SubmitButton label="Keep my subscription" busy_label="Saving…" />
            </ActionForm>
        }
        .into_any();
    }
    view! {
        <div class="mt-4">
            <ConfirmDelete verb="Cancel" name="the subscription".to_owned() warning="It stays active until the end of this period, then the workspace moves to Free.">
                <ActionForm action=cancel attr:class="sm:max-w-xs">
                    <FormAlert errors=cancel_errors />
                    <SubmitButton label="Yes, cancel at the end of the period" busy_label="Cancelling…" />
                </ActionForm>
            </ConfirmDelete>
        </div>
    }
    .into_any()
}

#[component]
fn PlanChoices(current: String, current_cycle: String) -> impl IntoView {
    let query = use_query_map();
    let start = BillingCycle::from_query(Some(current_cycle.as_str()));
    let cycle = Memo::new(move |_| {
        query
            .read()
            .get("billing")
            .map_or(start, |b| BillingCycle::from_query(Some(&b)))
    });
    let plans = Resource::new(|| (), |_| list_plans());
    view! {
        <Suspense fallback=|| view! { <p role="status" class="text-slate-500">"Loading the plans…"</p> }>
            {move || {
                let (current, current_cycle) = (current.clone(), current_cycle.clone());
                Suspend::new(async move {
                    let pricing = match plans.await {
                        Ok(pricing) => pricing,
                        Err(err) => return view! { <p role="alert">{err.message}</p> }.into_any(),
                    };
                    view! {
                        <BillingToggle cycle best_saving=pricing.best_annual_saving page="/billing" />
                        <ul aria-label="Plans" class="mt-4 divide-y divide-slate-200">
                            {pricing.plans.into_iter().map(|plan| {
                                let (current, current_cycle) = (current.clone(), current_cycle.clone());
                                view! { <PlanChoice plan cycle current current_cycle /> }
                            }).collect_view()}
                        </ul>
                    }
                    .into_any()
                })
            }}
        </Suspense>
    }
}

#[component]
fn PlanChoice(
    plan: PlanCard,
    cycle: Memo<BillingCycle>,
    current: String,
    current_cycle: String,
) -> impl IntoView {
    let PlanCard {
        code,
        name,
        monthly,
        annual,
        ..
    } = plan;
    let price = {
        let (monthly, annual) = (monthly.clone(), annual.clone());
        move || match cycle.get() {
            BillingCycle::Monthly => monthly.per_month.clone(),
            BillingCycle::Annual => match &annual.billed {
                Some(billed) => format!("{} ({billed})", annual.per_month),
                None => annual.per_month.clone(),
            },
        }
    };
    let label = name.clone();
    let action = move || {
        let chosen = cycle.get().as_str();
        let is_current = code == current && (chosen == current_cycle || code == "FREE");
        if is_current {
            view! { <span class="rounded-full bg-indigo-50 px-3 py-1 text-sm font-medium text-indigo-700">"Current plan"</span> }.into_any()
        } else {
            let query = serde_urlencoded::to_string([("plan", code.as_str()), ("billing", chosen)])
                .unwrap_or_default();
            let href = crate::mount::href(&format!("/billing/change?{query}"));
            view! {
                <a href=href aria-label=format!("Switch to {label}") class="rounded-md border border-slate-300 px-3 py-1.5 text-sm font-semibold text-slate-700 hover:border-indigo-400">"Switch"</a>
            }
            .into_any()
        }
    };
    view! {
        <li class="flex items-center justify-between gap-4 py-3">
            <div>
                <p class="font-medium">{name}</p>
                <p class="text-sm text-slate-600">{price}</p>
            </div>
            {action}
        </li>
    }
}

#[component]
fn Usage(bars: Vec<UsageBar>) -> impl IntoView {
    view! {
        <ul class="space-y-4" aria-label="Usage">
            {bars.into_iter().enumerate().map(|(n, bar)| {
                let id = format!("usage-{n}");
                view! {
                    <li>
                        <div class="flex justify-between text-sm" id=id.clone()>
                            <span>{bar.label}</span>
                            <span class="text-slate-600">{bar.text}</span>
                        </div>
                        // A native progress bar (the page's CSP allows no inline styles);
                        // unlimited: no bar.
                        {bar.percent.map(|percent| view! {
                            <progress
                                class="mt-1 h-2 w-full overflow-hidden rounded-full [&::-webkit-progress-bar]:bg-slate-100 [&::-webkit-progress-value]:bg-indigo-600 [&::-moz-progress-bar]:bg-indigo-600"
                                aria-labelledby=id
                                max="100"
                                value=percent.to_string()
                            ></progress>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
}

#[component]
fn Cards(cards: Vec<CardRow>) -> impl IntoView {
    if cards.is_empty() {
        return view! { <p class="text-slate-600">"No card on file yet."</p> }.into_any();
    }
    view! {
        <ul aria-label="Cards" class="divide-y divide-slate-200">
            {cards.into_iter().map(|card| view! { <CardItem card /> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// The inside of the card form, as plain markup: Stripe.js puts its fields in it before and
/// after hydration, which therefore must not walk it.
const CARD_FIELDS: &str = r#"<h3 class="font-semibold">Add a card</h3>
<div id="card-element" class="rounded-md border border-slate-300 bg-white px-3 py-2" aria-label="Card details"></div>
<p id="card-errors" role="alert" class="text-sm text-red-700"></p>
<button type="submit" class="rounded-md bg-indigo-600 px-4 py-2 text-sm font-semibold text-white hover:bg-indigo-500 disabled:opacity-60">Add card</button>"#;

/// Stripe's card fields and a button: `/billing-card.js` (plain JavaScript, outside the wasm)
/// loads Stripe.js, confirms a SetupIntent from `/api/v1/payment-methods/setup-intent` and
/// attaches the card it made through `/api/v1/payment-methods`, then reloads the page.
#[component]
fn AddCard(form: Option<(String, String)>) -> impl IntoView {
    let Some((stripe_js, key)) = form else {
        return view! {
            <p class="mt-4 text-sm text-slate-600">
                "Cards are added through the API on this installation (no Stripe publishable key is set)."
            </p>
        }
        .into_any();
    };
    view! {
        // The form stays hidden and this note shown until the script takes over: without
        // JavaScript the page says why there is no form.
        <p id="card-needs-script" class="mt-6 border-t border-slate-200 pt-4 text-sm text-slate-600">
            "Adding a card needs JavaScript (Stripe draws the card fields)."
        </p>
        <form
            id="add-card"
            hidden=true
            class="mt-6 space-y-3 border-t border-slate-200 pt-4"
            data-stripe-js=stripe_js
            data-stripe-key=key
            data-setup=crate::mount::href("/api/v1/payment-methods/setup-intent")
            data-attach=crate::mount::href("/api/v1/payment-methods")
            inner_html=CARD_FIELDS
        ></form>
        <script src="/billing-card.js" defer></script>
    }
    .into_any()
}

#[component]
fn CardItem(card: CardRow) -> impl IntoView {
    let make_default = ServerAction::<DefaultCard>::new();
    let remove = ServerAction::<RemoveCard>::new();
    let errors = action_error(remove.value());
    let button = "rounded-md border border-slate-300 px-3 py-1.5 text-sm font-semibold text-slate-700 hover:border-indigo-400";
    let CardRow {
        id,
        label,
        is_default,
    } = card;
    let (default_id, remove_id) = (id.clone(), id);
    view! {
        <li class="space-y-2 py-3">
            <div class="flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
                <p>
                    {label.clone()}
                    {is_default.then(|| view! { <span class="ml-2 rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium">"Default"</span> })}
                </p>
                <div class="flex gap-2">
                    {(!is_default).then(|| view! {
                        <ActionForm action=make_default>
                            <input type="hidden" name="id" value=default_id />
                            <button type="submit" class=button aria-label=format!("Make {label} the default")>"Make default"</button>
                        </ActionForm>
                    })}
                    <ActionForm action=remove>
                        <input type="hidden" name="id" value=remove_id />
                        <button type="submit" class=button>"Remove"</button>
                    </ActionForm>
                </div>
            </div>
            <FormAlert errors />
        </li>
    }
}

#[component]
fn Invoices(invoices: Vec<InvoiceLine>) -> impl IntoView {
    if invoices.is_empty() {
        return view! { <p class="text-slate-600">"No invoices yet."</p> }.into_any();
    }
    view! {
        <ul aria-label="Invoices" class="divide-y divide-slate-200 text-sm">
            {invoices.into_iter().map(|invoice| {
                let href = crate::mount::href(&format!("/api/v1/invoices/{}/download", invoice.id));
                let label = format!("Download invoice {}", invoice.number);
                view! {
                    <li class="flex flex-wrap items-center justify-between gap-x-4 gap-y-1 py-3">
                        <div class="min-w-0">
                            <p class="truncate font-medium">{invoice.number}</p>
                            <p class="text-slate-600">{format!("{} · {}", invoice.date, invoice.status)}</p>
                        </div>
                        <div class="flex items-center gap-4">
                            <span class="font-medium">{invoice.amount}</span>
                            <a href=href target="_blank" rel="noopener" aria-label=label class="font-medium text-indigo-700 hover:text-indigo-500">"Download"</a>
                        </div>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// `/billing/change?plan=…&billing=…`: what the change costs, then confirm.
#[component]
pub fn ChangePlanPage() -> impl IntoView {
    let query = use_query_map();
    let choice = move || {
        let query = query.read();
        (
            query.get("plan").unwrap_or_default(),
            query.get("billing").unwrap_or_else(|| "monthly".to_owned()),
        )
    };
    let preview = Resource::new(choice, |(plan, billing)| preview_change(plan, billing));
    view! {
        <Title text="Change plan" />
        <PortalPage title="Change plan">
            <a href=crate::mount::href("/billing") class="text-sm font-medium text-indigo-700 hover:text-indigo-500">"← Billing"</a>
            <Loaded resource=preview loading="Asking Stripe what this costs…" back="/billing" body=|preview: ChangePreview| view! { <ConfirmChange preview /> } />
        </PortalPage>
    }
}

#[component]
fn ConfirmChange(preview: ChangePreview) -> impl IntoView {
    let action = ServerAction::<ChangePlan>::new();
    let errors = action_error(action.value());
    let ChangePreview {
        plan,
        cycle,
        title,
        lines,
        amount_due,
        ends_paid_plan,
        card_form,
    } = preview;
    let confirm = match card_form {
        Some(form) => view! {
            <p class="mt-6 text-slate-700">"Add the card that pays for the plan; then confirm the change here."</p>
            <AddCard form=Some(form) />
        }
        .into_any(),
        None => view! {
            <ActionForm action attr:class="mt-6 space-y-4 sm:max-w-xs">
                <FormAlert errors />
                <input type="hidden" name="plan" value=plan />
                <input type="hidden" name="billing" value=cycle />
                <SubmitButton label="Confirm the change" busy_label="Changing…" />
            </ActionForm>
        }
        .into_any(),
    };
    view! {
        <Panel title=title>
            {if ends_paid_plan {
                view! { <p class="text-slate-700">"Your paid plan runs to the end of this period; then the workspace moves to Free."</p> }.into_any()
            } else {
                view! {
                    <table class="w-full text-left text-sm">
                        <tbody class="divide-y divide-slate-200">
                            {lines.into_iter().map(|(description, amount)| view! { <tr><td class="py-2">{description}</td><td class="text-right">{amount}</td></tr> }).collect_view()}
                        </tbody>
                        <tfoot><tr class="font-semibold"><td class="py-2">"Next invoice"</td><td class="text-right">{amount_due}</td></tr></tfoot>
                    </table>
                }
                .into_any()
            }}
            {confirm}
        </Panel>
    }
}
