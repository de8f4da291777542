//! The Oikos server: wiring only. It builds the core context, mounts the Leptos app, the
//! REST API and the operational endpoints, and adds the middleware every request passes.

pub mod auth;
mod context;
mod metrics;
mod middleware;
pub mod routes;
mod serve;
pub mod startup;
mod state;
mod static_files;
pub mod telemetry;

pub use startup::Application;
