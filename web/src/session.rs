//! The browser session of a request (tower-sessions over the core's session store), for
//! server functions and the handlers that sign someone in.

use oikos::identity::sessions::{client_value, SessionAuth, AUTH_KEY, CLIENT_KEY};
use oikos::identity::Client;
use tower_sessions::Session;

/// A session store failure, as an internal error.
pub fn session_error(err: impl std::fmt::Display) -> oikos::Error {
    oikos::Error::Internal(anyhow::anyhow!("session: {err}"))
}

/// This request's browser session, inside a server function.
pub async fn session() -> Result<Session, oikos::Error> {
    leptos_axum::extract::<Session>()
        .await
        .map_err(session_error)
}

/// Keeps a secret to show once (a new API key, a webhook's signing secret) in the session,
/// between the form post that made it and the page after it, which takes it out: it is
/// never in an address, a log or a cache, and a reload shows it no more.
pub async fn keep_to_show_once(what: &str, secret: String) -> Result<(), oikos::Error> {
    session()
        .await?
        .insert(&format!("once.{what}"), secret)
        .await
        .map_err(session_error)
}

/// The secret kept by [`keep_to_show_once`], removed from the session.
pub async fn take_shown_once(what: &str) -> Result<Option<String>, oikos::Error> {
    session()
        .await?
        .remove::<String>(&format!("once.{what}"))
        .await
        .map_err(session_error)
}

/// Rotates the session id and stores the sign-in: a session id known before sign-in
/// (fixation) is worth nothing after it.
pub async fn start_session(
    session: &Session,
    auth: SessionAuth,
    client: &Client,
) -> Result<(), oikos::Error> {
    session.cycle_id().await.map_err(session_error)?;
    session
        .insert(AUTH_KEY, auth)
        .await
        .map_err(session_error)?;
    session
        .insert(CLIENT_KEY, client_value(client))
        .await
        .map_err(session_error)
}
