//! `/api/v1/subscriptions`: the plans (anyone), and the current tenant's subscription, its
//! changes and its usage (PRODUCT.md §7). Changes answer the new `current`.

use axum::extract::{Path, State};
use axum::{Extension, Json};
use oikos::billing::service::{self, Current, Direction, Usage};
use oikos::tenancy::TenantId;
use oikos::AppContext;
use oikos_app::context::RequestContext;
use serde::{Deserialize, Serialize};

use crate::error::ApiError;
use crate::extract::{Admin, JsonBody};

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

pub async fn current(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
) -> Result<Json<Current>, ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
    Ok(Json(service::current(&ctx, &scope).await?))
}

pub async fn usage(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
) -> Result<Json<Usage>, ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
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
    ctx: &AppContext,
    request: &RequestContext,
    body: &PlanChange,
    direction: Direction,
) -> Result<Json<Current>, ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
    let cycle = body.billing_cycle.as_deref().unwrap_or("monthly");
    Ok(Json(
        service::change(ctx, &scope, &body.plan, cycle, direction).await?,
    ))
}

pub async fn upgrade(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    JsonBody(body): JsonBody<PlanChange>,
) -> Result<Json<Current>, ApiError> {
    change(&ctx, &request, &body, Direction::Upgrade).await
}

pub async fn downgrade(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    JsonBody(body): JsonBody<PlanChange>,
) -> Result<Json<Current>, ApiError> {
    change(&ctx, &request, &body, Direction::Downgrade).await
}

async fn set_cancel(
    ctx: &AppContext,
    request: &RequestContext,
    cancel: bool,
) -> Result<Json<Current>, ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
    Ok(Json(service::set_cancel(ctx, &scope, cancel).await?))
}

pub async fn cancel(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
) -> Result<Json<Current>, ApiError> {
    set_cancel(&ctx, &request, true).await
}

pub async fn uncancel(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
) -> Result<Json<Current>, ApiError> {
    set_cancel(&ctx, &request, false).await
}

/// `PUT /api/v1/tenants/{tenant_id}/subscription`: with billing off, a super admin assigns
/// the plan (`409 billing_enabled` when Stripe bills).
pub async fn assign(
    State(ctx): State<AppContext>,
    Admin(admin): Admin,
    Path(tenant_id): Path<String>,
    JsonBody(body): JsonBody<PlanChange>,
) -> Result<Json<Current>, ApiError> {
    let tenant: TenantId = tenant_id.parse().map_err(|_| oikos::Error::NotFound)?;
    let cycle = body.billing_cycle.as_deref().unwrap_or("monthly");
    Ok(Json(
        service::assign(&ctx, &admin, tenant, &body.plan, cycle).await?,
    ))
}
