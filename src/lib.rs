//! Oikos core: everything the server does that is not HTTP or UI.
//!
//! This crate never compiles to wasm and knows nothing of axum or Leptos. Its public surface
//! is services and types, not SQL: the data layer ([`db`]'s transactions and repositories) is
//! private to it, tenant data is reached only through a [`tenancy::TenantScope`], and the
//! server and app crates call the feature services (`tenants::service`, `members::service`).

pub mod audit;
pub mod billing;
pub mod catalog;
pub mod config;
pub mod context;
pub mod db;
pub mod error;
mod files;
pub mod identity;
pub mod keys;
pub mod links;
pub mod mail;
pub mod members;
pub mod outlets;
pub mod partners;
pub mod rate_limits;
pub mod signature;
pub mod tenancy;
pub mod tenants;
pub mod users;
pub mod values;
pub mod webhooks;

#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use config::{Config, TenantRouting};
pub use context::AppContext;
pub use error::{Error, Result};

/// The version reported by `/health` and the metrics.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
