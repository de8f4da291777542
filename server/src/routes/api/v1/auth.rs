//! `/api/v1/auth/*` and `/api/v1/me/*`: sign-up, verification, sign-in with tokens, refresh,
//! sign-out, password reset, and the caller's own account. Each handler reads the request,
//! calls one core service, and shapes the answer.

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use oikos::identity::login::{self, Credentials, LoginOutcome, SignIn};
use oikos::identity::tokens::TokenPair;
use oikos::identity::{accounts, sessions};
use oikos::members::UserTenant;
use oikos::tenancy::{Permission, Principal, TenantScope};
use oikos::users::User;
use oikos::AppContext;
use oikos_web::request::{RequestContext, Via};
use oikos_web::{ApiError, JsonBody};
use serde::{Deserialize, Serialize};
use tower_sessions::Session;

#[derive(Serialize)]
pub struct UserBody {
    id: String,
    email: String,
    first_name: String,
    last_name: String,
    is_super_admin: bool,
    email_verified: bool,
}

impl From<&User> for UserBody {
    fn from(user: &User) -> Self {
        UserBody {
            id: user.id.to_string(),
            email: user.email.to_string(),
            first_name: user.first_name.clone(),
            last_name: user.last_name.clone(),
            is_super_admin: user.is_super_admin,
            email_verified: user.email_verified_at.is_some(),
        }
    }
}

#[derive(Serialize)]
pub struct TenantBody {
    id: String,
    slug: String,
    name: String,
    role: String,
}

impl From<&UserTenant> for TenantBody {
    fn from(t: &UserTenant) -> Self {
        TenantBody {
            id: t.tenant.to_string(),
            slug: t.slug.to_string(),
            name: t.name.clone(),
            role: t.role.to_string(),
        }
    }
}

#[derive(Deserialize)]
pub struct RegisterBody {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
}

/// `POST /api/v1/auth/register`: 201 with the new (unverified) account.
pub async fn register(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    JsonBody(body): JsonBody<RegisterBody>,
) -> Result<Response, ApiError> {
    let input = accounts::SignUp {
        email: body.email,
        password: body.password,
        first_name: body.first_name,
        last_name: body.last_name,
    };
    let user = accounts::register(&ctx, &input, &request.client()).await?;
    let body = serde_json::json!({
        "user": UserBody::from(&user),
        "message": "Account created. Check your email for the link to confirm your address.",
    });
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TokenQuery {
    /// The token from the mailed link.
    #[serde(default)]
    token: String,
}

/// `GET /api/v1/auth/verify-email?token=`.
pub async fn verify_email(
    State(ctx): State<AppContext>,
    Query(query): Query<TokenQuery>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let user = accounts::verify_email(&ctx, &query.token).await?;
    Ok(Json(serde_json::json!({
        "user": UserBody::from(&user),
        "message": "Your email address is confirmed.",
    })))
}

#[derive(Deserialize)]
pub struct EmailBody {
    #[serde(default)]
    email: String,
}

const MAIL_SENT_IF_ANY: &str =
    "If an account uses this address, we have sent it a link. It may take a minute to arrive.";

/// `POST /api/v1/auth/verify-email/resend`: 202 whatever the address.
pub async fn resend_verification(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    JsonBody(body): JsonBody<EmailBody>,
) -> Result<Response, ApiError> {
    accounts::resend_verification(&ctx, &body.email, &request.client()).await?;
    Ok(accepted())
}

fn accepted() -> Response {
    let body = serde_json::json!({ "message": MAIL_SENT_IF_ANY });
    (StatusCode::ACCEPTED, Json(body)).into_response()
}

#[derive(Deserialize)]
pub struct LoginBody {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    tenant_slug: Option<String>,
}

#[derive(Serialize)]
struct TokensBody {
    access_token: String,
    refresh_token: String,
    token_type: &'static str,
    expires_in: i64,
    tenant: Option<TenantBody>,
    role: Option<String>,
    user: UserBody,
}

impl TokensBody {
    fn new(pair: TokenPair, sign_in: Option<&SignIn>, user: &User) -> Self {
        let tenant = sign_in.and_then(|s| s.tenant.as_ref());
        TokensBody {
            access_token: pair.access_token,
            refresh_token: pair.refresh_token,
            token_type: "bearer",
            expires_in: pair.expires_in,
            tenant: tenant.map(TenantBody::from),
            role: tenant.map(|t| t.role.to_string()),
            user: UserBody::from(user),
        }
    }
}

/// `POST /api/v1/auth/login`: a token pair, or the workspaces to choose from.
pub async fn login(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    JsonBody(body): JsonBody<LoginBody>,
) -> Result<Response, ApiError> {
    let credentials = Credentials {
        email: &body.email,
        password: &body.password,
        tenant_slug: body.tenant_slug.as_deref(),
    };
    let (outcome, pair) = login::login_for_tokens(&ctx, &credentials, &request.client()).await?;
    Ok(match (outcome, pair) {
        (LoginOutcome::SignedIn(sign_in), Some(pair)) => {
            Json(TokensBody::new(pair, Some(&sign_in), &sign_in.user)).into_response()
        }
        (LoginOutcome::ChooseTenant { tenants, .. }, _) => {
            let tenants: Vec<TenantBody> = tenants.iter().map(TenantBody::from).collect();
            let body = serde_json::json!({
                "tenants": tenants,
                "message": "Choose a workspace: log in again with its tenant_slug.",
            });
            Json(body).into_response()
        }
        (LoginOutcome::SignedIn(_), None) => {
            return Err(oikos::Error::Internal(anyhow::anyhow!("no tokens issued")).into())
        }
    })
}

#[derive(Deserialize)]
pub struct RefreshBody {
    #[serde(default)]
    refresh_token: String,
}

/// `POST /api/v1/auth/refresh`: the next pair; a reused token revokes its family (401).
pub async fn refresh(
    State(ctx): State<AppContext>,
    JsonBody(body): JsonBody<RefreshBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let pair = login::refresh(&ctx, &body.refresh_token).await?;
    Ok(Json(serde_json::json!({
        "access_token": pair.access_token,
        "refresh_token": pair.refresh_token,
        "token_type": "bearer",
        "expires_in": pair.expires_in,
    })))
}

#[derive(Deserialize, Default)]
pub struct LogoutBody {
    refresh_token: Option<String>,
}

/// `POST /api/v1/auth/logout`: ends the browser session when called with its cookie (no
/// body needed) and revokes the refresh-token family when given `{refresh_token}`. 204.
pub async fn logout(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    session: Session,
    body: Option<Json<LogoutBody>>,
) -> Result<StatusCode, ApiError> {
    let body = body.map(|Json(body)| body).unwrap_or_default();
    if let Some(token) = body.refresh_token.as_deref().filter(|t| !t.is_empty()) {
        login::revoke_refresh(&ctx, token).await?;
    }
    if let Some(caller) = &request.caller {
        if caller.via == Via::Session {
            session.flush().await.map_err(|err| {
                oikos::Error::Internal(anyhow::anyhow!("ending a session: {err}"))
            })?;
        }
        match caller.auth.impersonation {
            // Signing out of an impersonation ends it, recorded as the super admin's.
            Some(_) => {
                oikos::identity::impersonation::end(&ctx.db, &caller.auth, &request.client())
                    .await?;
            }
            None => {
                sessions::logged_out(&ctx.db, &caller.auth.principal, &request.client()).await?
            }
        }
    }
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /api/v1/auth/me`: the caller, the workspace the session or token is for, the role
/// there and what it permits.
pub async fn me(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let caller = request.caller()?;
    let user = accounts::me(&ctx.db, &caller.auth.principal).await?;
    let (tenant, role) = active_tenant(&ctx, &caller.auth.principal, caller.auth.tenant).await?;
    let permissions: Vec<&str> = role
        .map(|role| {
            Permission::of(role)
                .into_iter()
                .map(Permission::as_str)
                .collect()
        })
        .unwrap_or_default();
    Ok(Json(serde_json::json!({
        "user": UserBody::from(&user),
        "is_super_admin": user.is_super_admin,
        "tenant": tenant,
        "role": role.map(|r| r.to_string()),
        "permissions": permissions,
    })))
}

/// The workspace a session or token was opened for, if the caller is still an active
/// member of it (the scope checks).
async fn active_tenant(
    ctx: &AppContext,
    principal: &Principal,
    tenant: Option<oikos::tenancy::TenantId>,
) -> Result<(Option<TenantBody>, Option<oikos::tenancy::Role>), ApiError> {
    let Some(tenant) = tenant else {
        return Ok((None, None));
    };
    let scope = TenantScope::resolve(&ctx.db, principal, tenant).await?;
    let mine = accounts::my_tenants(&ctx.db, principal).await?;
    let body = mine
        .iter()
        .find(|t| t.tenant == tenant)
        .map(TenantBody::from);
    Ok((body, Some(scope.role())))
}

/// `GET /api/v1/me/tenants`: the caller's workspaces with their role (the switcher).
pub async fn my_tenants(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let caller = request.caller()?;
    let tenants = accounts::my_tenants(&ctx.db, &caller.auth.principal).await?;
    let tenants: Vec<TenantBody> = tenants.iter().map(TenantBody::from).collect();
    Ok(Json(serde_json::json!({ "tenants": tenants })))
}

/// `POST /api/v1/auth/reset-password/request`: 202 whatever the address.
pub async fn request_reset(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    JsonBody(body): JsonBody<EmailBody>,
) -> Result<Response, ApiError> {
    accounts::request_reset(&ctx, &body.email, &request.client()).await?;
    Ok(accepted())
}

#[derive(Deserialize)]
pub struct ConfirmResetBody {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

/// `POST /api/v1/auth/reset-password/confirm`: sets the password; signs no one in.
pub async fn confirm_reset(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    JsonBody(body): JsonBody<ConfirmResetBody>,
) -> Result<Json<serde_json::Value>, ApiError> {
    accounts::confirm_reset(&ctx, &body.token, &body.password, &request.client()).await?;
    Ok(Json(serde_json::json!({
        "message": "Your password is changed. Log in with the new one.",
    })))
}
