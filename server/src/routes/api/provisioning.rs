//! `/api/provisioning/tenants`: the partner provisioning API (PRODUCT.md §9, the AlgaPSA
//! seed), called with a partner's API key (`Authorization: Bearer oik_…`). As the seed
//! says, invalid input is `400` with the fields; creates honour `Idempotency-Key`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use oikos::partners::api_keys::Partner;
use oikos::partners::idempotency::{self, Claim};
use oikos::partners::provisioning::{self, TenantInput};
use oikos::tenancy::TenantId;
use oikos::AppContext;
use oikos_web::{ApiError, PartnerKey};
use serde::Deserialize;
use serde_json::{json, Value};

/// The most tenants one bulk request may create.
const MAX_BULK: usize = 100;

/// The creates' routes, as their method and path template: an `Idempotency-Key` is bound to
/// the route it was first used on.
const CREATE_ROUTE: &str = "POST /api/provisioning/tenants";
const BULK_ROUTE: &str = "POST /api/provisioning/tenants/bulk";

#[derive(Deserialize, Default, utoipa::ToSchema)]
#[serde(default)]
pub(crate) struct TenantBody {
    #[schema(required = true)]
    client_name: String,
    #[schema(required = true)]
    email: String,
    phone_number: Option<String>,
    industry: Option<String>,
}

impl From<TenantBody> for TenantInput {
    fn from(body: TenantBody) -> TenantInput {
        TenantInput {
            client_name: body.client_name,
            email: body.email,
            phone_number: body.phone_number,
            industry: body.industry,
        }
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct BulkBody {
    /// Each item is checked on its own, so it is read as any JSON first.
    #[schema(value_type = Vec<TenantBody>)]
    tenants: Vec<Value>,
}

/// An answer: its status and JSON body (kept as they are for an idempotent retry).
type Answer = (StatusCode, Value);

/// The seed answers invalid input with 400 (Oikos's other routes use 422).
fn seed_error(err: impl Into<ApiError>) -> Answer {
    let err = err.into();
    let status = match err.status() {
        StatusCode::UNPROCESSABLE_ENTITY => StatusCode::BAD_REQUEST,
        other => other,
    };
    (status, err.body())
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, Answer> {
    serde_json::from_slice(body).map_err(invalid_body)
}

fn invalid_body(err: serde_json::Error) -> Answer {
    let message = format!("The body is not the JSON this route takes: {err}.");
    seed_error(ApiError::new(
        StatusCode::BAD_REQUEST,
        "invalid_body",
        message,
    ))
}

async fn create_one(ctx: &AppContext, partner: &Partner, body: TenantBody) -> Answer {
    match provisioning::create(ctx, partner, &body.into()).await {
        Ok(created) => (StatusCode::CREATED, json!(created)),
        Err(err) => seed_error(err),
    }
}

/// `POST /api/provisioning/tenants` (scope `tenant:create`).
pub async fn create(
    State(ctx): State<AppContext>,
    PartnerKey(partner): PartnerKey,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    idempotent(&ctx, &partner, CREATE_ROUTE, &headers, &body, async {
        match parse::<TenantBody>(&body) {
            Ok(tenant) => create_one(&ctx, &partner, tenant).await,
            Err(answer) => answer,
        }
    })
    .await
}

/// `POST /api/provisioning/tenants/bulk` with `{tenants: [...]}`: each its own result, in
/// request order; one refused does not undo the others.
pub async fn create_many(
    State(ctx): State<AppContext>,
    PartnerKey(partner): PartnerKey,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    idempotent(&ctx, &partner, BULK_ROUTE, &headers, &body, async {
        let bulk = match parse::<BulkBody>(&body) {
            Ok(bulk) => bulk,
            Err(answer) => return answer,
        };
        if bulk.tenants.len() > MAX_BULK {
            let err = oikos::Error::invalid("tenants", "Send at most 100 tenants at once.");
            return seed_error(err);
        }
        if let Err(err) = partner.require(oikos::partners::api_keys::KeyScope::TenantCreate) {
            return seed_error(err);
        }
        let mut results = Vec::with_capacity(bulk.tenants.len());
        for item in bulk.tenants {
            let (status, body) = match serde_json::from_value::<TenantBody>(item) {
                Ok(tenant) => create_one(&ctx, &partner, tenant).await,
                Err(err) => invalid_body(err),
            };
            let result = if status.is_success() {
                json!({"status": status.as_u16(), "tenant": body})
            } else {
                json!({"status": status.as_u16(), "error": body["error"]})
            };
            results.push(result);
        }
        (StatusCode::OK, json!({ "results": results }))
    })
    .await
}

/// Runs `work` once per `Idempotency-Key` (when the request has one): a retry with the same
/// key, `route` and body gets the first answer; a server error frees the key for the retry.
async fn idempotent(
    ctx: &AppContext,
    partner: &Partner,
    route: &str,
    headers: &HeaderMap,
    body: &[u8],
    work: impl std::future::Future<Output = Answer>,
) -> Response {
    let key = headers
        .get("idempotency-key")
        .map(|value| value.to_str().unwrap_or_default().to_owned());
    let Some(key) = key else {
        return respond(work.await);
    };
    match idempotency::claim(&ctx.db, partner.key_id, route, &key, body).await {
        Ok(Claim::Replay { status, body }) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
            let replayed = [(header::CONTENT_TYPE, "application/json")];
            (status, replayed, [("idempotent-replayed", "true")], body).into_response()
        }
        Ok(Claim::Fresh) => {
            let (status, answer) = work.await;
            let kept = if status.is_server_error() {
                idempotency::release(&ctx.db, partner.key_id, &key).await
            } else {
                let text = answer.to_string();
                idempotency::finish(&ctx.db, partner.key_id, &key, status.as_u16(), &text).await
            };
            if let Err(err) = kept {
                tracing::warn!(error = format!("{err:#}"), "keeping an idempotent answer");
            }
            respond((status, answer))
        }
        Err(err) => respond(seed_error(err)),
    }
}

fn respond((status, body): Answer) -> Response {
    (status, axum::Json(body)).into_response()
}

fn tenant_id(text: &str) -> Result<TenantId, Answer> {
    text.parse().map_err(|_| seed_error(oikos::Error::NotFound))
}

/// The answer either way (`204` without a body).
fn settle(result: Result<Answer, Answer>) -> Response {
    match result {
        Ok((StatusCode::NO_CONTENT, _)) => StatusCode::NO_CONTENT.into_response(),
        Ok(answer) | Err(answer) => respond(answer),
    }
}

/// `GET /api/provisioning/tenants/{id}` (scope `tenant:read`).
pub async fn show(
    State(ctx): State<AppContext>,
    PartnerKey(partner): PartnerKey,
    Path(id): Path<String>,
) -> Response {
    let found = async {
        let tenant = provisioning::get(&ctx, &partner, tenant_id(&id)?).await;
        Ok((StatusCode::OK, json!(tenant.map_err(seed_error)?)))
    };
    settle(found.await)
}

/// `PATCH /api/provisioning/tenants/{id}` (scope `tenant:update`): the fields given change.
pub async fn update(
    State(ctx): State<AppContext>,
    PartnerKey(partner): PartnerKey,
    Path(id): Path<String>,
    body: Bytes,
) -> Response {
    let changed = async {
        let id = tenant_id(&id)?;
        let body: TenantBody = parse(&body)?;
        let tenant = provisioning::update(&ctx, &partner, id, &body.into()).await;
        Ok((StatusCode::OK, json!(tenant.map_err(seed_error)?)))
    };
    settle(changed.await)
}

/// `DELETE /api/provisioning/tenants/{id}` (scope `tenant:delete`): deactivates it (204).
pub async fn delete(
    State(ctx): State<AppContext>,
    PartnerKey(partner): PartnerKey,
    Path(id): Path<String>,
) -> Response {
    let deleted = async {
        let done = provisioning::delete(&ctx, &partner, tenant_id(&id)?).await;
        done.map_err(seed_error)?;
        Ok((StatusCode::NO_CONTENT, Value::Null))
    };
    settle(deleted.await)
}
