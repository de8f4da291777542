//! `/api/v1/invitations`: inviting people into the current tenant (PRODUCT.md §6), and the
//! invitee's side under `/accept/{token}`. Answers that carry a token are never cached nor
//! sent on as a referrer, and request logs show the route, not the token.

use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use oikos::members::invitations::{self, Invitation, InvitationInput, NewMember};
use oikos::tenancy::InvitationId;
use oikos::AppContext;
use oikos_app::context::RequestContext;
use serde_json::json;

use crate::error::ApiError;
use crate::extract::JsonBody;

fn invitation_id(id: &str) -> Result<InvitationId, ApiError> {
    Ok(id.parse().map_err(|_| oikos::Error::NotFound)?)
}

/// An invitee's answer: `no-store`, `no-referrer`.
fn private(body: serde_json::Value) -> Response {
    let mut response = Json(body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    response
}

pub async fn list(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
) -> Result<Json<Vec<Invitation>>, ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
    Ok(Json(invitations::list(&ctx, &scope).await?))
}

pub async fn create(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    JsonBody(input): JsonBody<InvitationInput>,
) -> Result<(StatusCode, Json<Invitation>), ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
    let invitation = invitations::create(&ctx, &scope, &input).await?;
    Ok((StatusCode::CREATED, Json(invitation)))
}

pub async fn revoke(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
    invitations::revoke(&ctx, &scope, invitation_id(&id)?).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn resend(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    Path(id): Path<String>,
) -> Result<Json<Invitation>, ApiError> {
    let scope = request.tenant_scope(&ctx.db).await?;
    Ok(Json(
        invitations::resend(&ctx, &scope, invitation_id(&id)?).await?,
    ))
}

/// `GET …/accept/{token}`: what the link offers (the tenant, the address, the role).
pub async fn preview(
    State(ctx): State<AppContext>,
    Path(token): Path<String>,
) -> Result<Response, ApiError> {
    let preview = invitations::preview(&ctx, &token).await?;
    Ok(private(json!(preview)))
}

/// `POST …/accept/{token}`: the signed-in caller, with the invited address, joins.
pub async fn accept(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    Path(token): Path<String>,
) -> Result<Response, ApiError> {
    let caller = request.caller()?;
    let tenant = invitations::accept(&ctx, &token, &caller.auth.principal).await?;
    Ok(private(json!({ "tenant_id": tenant, "joined": true })))
}

/// `POST …/accept/{token}/set-password`: a new account for the invited address joins.
pub async fn set_password(
    State(ctx): State<AppContext>,
    Path(token): Path<String>,
    JsonBody(details): JsonBody<NewMember>,
) -> Result<Response, ApiError> {
    let joined = invitations::accept_new(&ctx, &token, &details).await?;
    let body = json!({ "tenant_id": joined.tenant, "user_id": joined.user.id, "joined": true });
    let mut response = private(body);
    *response.status_mut() = StatusCode::CREATED;
    Ok(response)
}
