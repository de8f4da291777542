//! `GET /api/v1/auth/google/start` and `/callback`: sign-in through Google (or the OpenID
//! Connect provider `OIDC_ISSUER_URL` names). Both answer the browser with redirects; the
//! flow's `state`, `nonce` and PKCE verifier wait in the session between the two, and are
//! used once. A failure lands on the login page with a message, never signed in.

use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::Extension;
use oikos::identity::login::LoginOutcome;
use oikos::identity::oidc::Pending;
use oikos::identity::sessions::{self, AUTH_KEY, CLIENT_KEY};
use oikos::AppContext;
use oikos_web::request::RequestContext;
use oikos_web::ApiError;
use serde::Deserialize;
use tower_sessions::Session;

const PENDING_KEY: &str = "oidc";

fn session_error(err: impl std::fmt::Display) -> ApiError {
    oikos::Error::Internal(anyhow::anyhow!("session: {err}")).into()
}

/// Sends the browser to the provider.
pub async fn start(State(ctx): State<AppContext>, session: Session) -> Result<Response, ApiError> {
    let oidc = ctx.oidc.as_ref().ok_or(oikos::Error::NotFound)?;
    let (url, pending) = oidc.begin().await?;
    session
        .insert(PENDING_KEY, pending)
        .await
        .map_err(session_error)?;
    Ok(Redirect::to(&url).into_response())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Callback {
    /// The authorisation code Google sends back.
    code: Option<String>,
    /// The value the sign-in started with.
    state: Option<String>,
    /// Google's refusal, instead of a code.
    error: Option<String>,
}

/// The provider sends the browser back here.
pub async fn callback(
    State(ctx): State<AppContext>,
    Extension(request): Extension<RequestContext>,
    session: Session,
    Query(query): Query<Callback>,
) -> Result<Response, ApiError> {
    let oidc = ctx.oidc.as_ref().ok_or(oikos::Error::NotFound)?;
    // Used once, whatever happens next.
    let pending: Option<Pending> = session.remove(PENDING_KEY).await.map_err(session_error)?;
    let (Some(pending), Some(code), Some(state), None) =
        (pending, query.code, query.state, query.error)
    else {
        return Ok(Redirect::to("/login?google=failed").into_response());
    };
    let client = request.client();
    let outcome = match oidc.finish(&ctx, &pending, &code, &state, &client).await {
        Ok(outcome) => outcome,
        Err(err) => {
            match &err {
                oikos::Error::Internal(internal) => {
                    tracing::error!(error = format!("{internal:#}"), "Google sign-in failed")
                }
                other => tracing::info!(code = other.code(), "Google sign-in refused"),
            }
            return Ok(Redirect::to("/login?google=failed").into_response());
        }
    };
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(AUTH_KEY, outcome.sign_in().session())
        .await
        .map_err(session_error)?;
    session
        .insert(CLIENT_KEY, sessions::client_value(&client))
        .await
        .map_err(session_error)?;
    let target = match outcome {
        LoginOutcome::ChooseTenant { .. } => "/choose-workspace",
        LoginOutcome::SignedIn(_) => "/account",
    };
    Ok(Redirect::to(target).into_response())
}
