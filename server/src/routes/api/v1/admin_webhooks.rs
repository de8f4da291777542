//! `/api/v1/admin/webhooks`: super admins register endpoints for tenant lifecycle events
//! (the secret is in the answer once), list and delete them, send a test event, and read an
//! endpoint's delivery log (PRODUCT.md §9).

use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use oikos::tenancy::WebhookId;
use oikos::webhooks::deliveries::{Attempt, Delivery};
use oikos::webhooks::endpoints::{self, Endpoint, NewEndpoint};
use oikos::AppContext;
use oikos_web::{Admin, ApiError, JsonBody, PathId};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CreateBody {
    /// A public http(s) URL.
    #[serde(default)]
    #[schema(required = true)]
    url: String,
    /// From `tenant.created`, `tenant.updated`, `tenant.deactivated`, `tenant.reactivated`,
    /// `tenant.deleted`.
    #[serde(default)]
    #[schema(required = true)]
    events: Vec<String>,
}

/// A new endpoint: the listed fields and, this once, `secret`.
#[derive(Serialize)]
pub struct CreatedBody {
    #[serde(flatten)]
    endpoint: Endpoint,
    secret: String,
}

pub async fn create(
    State(ctx): State<AppContext>,
    Admin(admin): Admin,
    JsonBody(body): JsonBody<CreateBody>,
) -> Result<(StatusCode, Json<CreatedBody>), ApiError> {
    let input = NewEndpoint {
        url: body.url,
        events: body.events,
    };
    let allow_private = ctx.config.webhooks_allow_private;
    let created = endpoints::create(&ctx.db, &admin, &input, allow_private).await?;
    let body = CreatedBody {
        endpoint: created.endpoint,
        secret: created.secret,
    };
    Ok((StatusCode::CREATED, Json(body)))
}

pub async fn list(
    State(ctx): State<AppContext>,
    Admin(admin): Admin,
) -> Result<Json<Vec<Endpoint>>, ApiError> {
    Ok(Json(endpoints::list(&ctx.db, &admin).await?))
}

pub async fn delete(
    State(ctx): State<AppContext>,
    Admin(admin): Admin,
    PathId(id): PathId<WebhookId>,
) -> Result<StatusCode, ApiError> {
    endpoints::delete(&ctx.db, &admin, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Queues a `webhook.test` event for the endpoint: 202 with the delivery's id.
pub async fn send_test(
    State(ctx): State<AppContext>,
    Admin(admin): Admin,
    PathId(id): PathId<WebhookId>,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let delivery = endpoints::send_test(&ctx.db, &admin, id).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({ "delivery_id": delivery })),
    ))
}

#[derive(Serialize)]
pub struct LoggedDelivery {
    #[serde(flatten)]
    delivery: Delivery,
    attempts: Vec<Attempt>,
}

/// The endpoint's latest deliveries, newest first, each with its attempts.
pub async fn deliveries(
    State(ctx): State<AppContext>,
    Admin(admin): Admin,
    PathId(id): PathId<WebhookId>,
) -> Result<Json<Vec<LoggedDelivery>>, ApiError> {
    let log = endpoints::log(&ctx.db, &admin, id).await?;
    let body = log
        .into_iter()
        .map(|(delivery, attempts)| LoggedDelivery { delivery, attempts })
        .collect();
    Ok(Json(body))
}
