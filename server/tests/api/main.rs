//! Black-box tests of the running server: each starts the real application on a free port
//! with a fresh database, on SQLite and on PostgreSQL, and talks HTTP to it.

// A failed test step panics, as it should.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod helpers;
mod peers;

mod admin_metrics;
mod assets;
mod billing;
mod branding;
mod crash;
mod errors;
mod google;
mod health;
mod identity;
mod impersonation;
mod isolation;
mod metrics;
mod outgoing_webhooks;
mod outlets;
mod pages;
mod portal;
mod provisioning;
mod registration;
mod security;
mod services;
mod sessions;
mod shutdown;
mod team;
mod tenants;
