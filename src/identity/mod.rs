//! Identity: accounts, sign-in, browser sessions, API tokens, and the links sent by mail.
//!
//! Only this module makes a [`crate::tenancy::Principal`]: from a password that verified
//! ([`login`]), a browser session it stored ([`sessions`]) or an access token it signed
//! ([`tokens`]), each time after reading the account afresh (a disabled account is no one).

pub mod accounts;
mod client;
pub mod handoff;
pub mod impersonation;
#[cfg(test)]
mod injection_tests;
pub mod link_tokens;
pub mod login;
pub mod oidc;
pub mod passwords;
mod prune;
pub mod seals;
pub mod sessions;
pub mod superuser;
pub(crate) mod throttle;
pub mod tokens;

use base64::Engine as _;

pub use client::{device_name, Client};
pub use link_tokens::LinkTokens;
pub use passwords::Passwords;
pub use prune::prune_expired;
pub use seals::Seals;
pub use tokens::Tokens;

/// 256 bits from the operating system's CSPRNG, URL-safe: link and refresh tokens.
pub(crate) fn random_token() -> crate::Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|err| anyhow::anyhow!("no system randomness: {err}"))?;
    Ok(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes))
}
