//! `/api/v1/subscriptions`: the plans (anyone), and the current tenant's subscription, its
//! changes and its usage (PRODUCT.md §7). Changes answer the new `current`.

use axum::extract::State;
use axum::Json;
use oikos::billing::service::{self, Current, Direction, Usage};
use oikos::tenancy::TenantId;
use oikos::AppContext;
use oikos_web::{Admin, ApiError, JsonBody, PathId, Scoped};
use serde::{Deserialize, Serialize};

#[derive(Serialize)]
pub struct PlanBody {
    code: String,
    name: String,
    currency: String,
    monthly_price: u64,
    annual_price: u64,
    limits: oikos::billing::plans::Limits,
}

/// `GET /api/v1/subscriptions/plans`: prices in cents, `null` limits unlimited.
pub async fn plans(State(ctx): State<AppContext>) -> Json<Vec<PlanBody>> {
    let currency = ctx.plans.currency();
    Json(
        ctx.plans
            .plans()
            .iter()
            .map(|plan| PlanBody {
                code: plan.code.clone(),
                name: plan.name.clone(),
                currency: currency.to_owned(),
                monthly_price: plan.monthly_price,
                annual_price: plan.annual_price,
                limits: plan.limits,
            })
            .collect(),
    )
}

pub async fn current(Scoped { ctx, scope }: Scoped) -> Result<Json<Current>, ApiError> {
    Ok(Json(service::current(&ctx, &scope).await?))
}

pub async fn usage(Scoped { ctx, scope }: Scoped) -> Result<Json<Usage>, ApiError> {
    Ok(Json(service::usage(&ctx, &scope).await?))
}

#[derive(Deserialize)]
pub struct PlanChange {
    #[serde(default)]
    plan: String,
    #[serde(default)]
    billing_cycle: Option<String>,
}

async fn change(
    Scoped { ctx, scope }: Scoped,
    body: &PlanChange,
    direction: Direction,
) -> Result<Json<Current>, ApiError> {
    let cycle = body.billing_cycle.as_deref().unwrap_or("monthly");
    Ok(Json(
        service::change(&ctx, &scope, &body.plan, cycle, direction).await?,
    ))
}

pub async fn upgrade(
    scoped: Scoped,
    JsonBody(body): JsonBody<PlanChange>,
) -> Result<Json<Current>, ApiError> {
    change(scoped, &body, Direction::Upgrade).await
}

pub async fn downgrade(
    scoped: Scoped,
    JsonBody(body): JsonBody<PlanChange>,
) -> Result<Json<Current>, ApiError> {
    change(scoped, &body, Direction::Downgrade).await
}

async fn set_cancel(
    Scoped { ctx, scope }: Scoped,
    cancel: bool,
) -> Result<Json<Current>, ApiError> {
    Ok(Json(service::set_cancel(&ctx, &scope, cancel).await?))
}

pub async fn cancel(scoped: Scoped) -> Result<Json<Current>, ApiError> {
    set_cancel(scoped, true).await
}

pub async fn uncancel(scoped: Scoped) -> Result<Json<Current>, ApiError> {
    set_cancel(scoped, false).await
}

/// `PUT /api/v1/tenants/{tenant_id}/subscription`: with billing off, a super admin assigns
/// the plan (`409 billing_enabled` when Stripe bills).
pub async fn assign(
    State(ctx): State<AppContext>,
    Admin(admin): Admin,
    PathId(tenant): PathId<TenantId>,
    JsonBody(body): JsonBody<PlanChange>,
) -> Result<Json<Current>, ApiError> {
    let cycle = body.billing_cycle.as_deref().unwrap_or("monthly");
    Ok(Json(
        service::assign(&ctx, &admin, tenant, &body.plan, cycle).await?,
    ))
}
