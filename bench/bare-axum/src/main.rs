//! `bench/request-path`'s yardsticks, on the address given as the first argument, with the
//! runtime Oikos uses and no middleware at all: `GET /` answers "Hello, World!" (the limit of
//! a request), `POST /hash` hashes its body with argon2id at Oikos' parameters (19 MiB, t=2,
//! p=1) on the blocking pool (the limit of a sign-in).

use argon2::password_hash::{PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;

async fn hash(password: String) -> Result<String, StatusCode> {
    let hashed = tokio::task::spawn_blocking(move || {
        let params =
            Params::new(19 * 1024, 2, 1, None).map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
        let salt = SaltString::encode_b64(b"a fixed bench salt")
            .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?;
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(password.as_bytes(), &salt)
            .map(|phc| phc.to_string())
            .map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)
    })
    .await;
    hashed.map_err(|_| StatusCode::INTERNAL_SERVER_ERROR)?
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let addr = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:3190".to_owned());
    let app = Router::new()
        .route("/", get(|| async { "Hello, World!" }))
        .route("/hash", post(hash));
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, app).await
}
