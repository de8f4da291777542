//! Oikos core: everything the server does that is not HTTP or UI.
//!
//! This crate never compiles to wasm and knows nothing of axum or Leptos. The server crate wires
//! it to HTTP; the app crate's server functions call its services. Data is reached only through
//! [`db::Db`], and tenant data only through a [`tenancy::TenantScope`].

pub mod billing;
pub mod config;
pub mod db;
pub mod error;
pub mod keys;
pub mod members;
pub mod services;
pub mod tenancy;
pub mod tenants;
pub mod users;

#[cfg(any(test, feature = "testing"))]
pub mod testing;

pub use config::Config;
pub use error::{Error, Result};
pub use services::Services;

/// The version reported by `/health` and the metrics.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
