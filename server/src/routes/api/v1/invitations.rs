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
use oikos_web::request::RequestContext;
use oikos_web::{ApiError, JsonBody, PathId, Scoped};
use serde_json::json;

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

pub async fn list(Scoped { ctx, scope }: Scoped) -> Result<Json<Vec<Invitation>>, ApiError> {
    Ok(Json(invitations::list(&ctx, &scope).await?))
}

pub async fn create(
    Scoped { ctx, scope }: Scoped,
    JsonBody(input): JsonBody<InvitationInput>,
) -> Result<(StatusCode, Json<Invitation>), ApiError> {
    let invitation = invitations::create(&ctx, &scope, &input).await?;
    Ok((StatusCode::CREATED, Json(invitation)))
}

pub async fn revoke(
    Scoped { ctx, scope }: Scoped,
    PathId(id): PathId<InvitationId>,
) -> Result<StatusCode, ApiError> {
    invitations::revoke(&ctx, &scope, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn resend(
    Scoped { ctx, scope }: Scoped,
    PathId(id): PathId<InvitationId>,
) -> Result<Json<Invitation>, ApiError> {
    Ok(Json(invitations::resend(&ctx, &scope, id).await?))
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
