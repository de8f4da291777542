//! The Oikos server: wiring only. It builds the core services, mounts the Leptos app, the
//! REST API and the operational endpoints, and adds the middleware every request passes.

mod error;
mod metrics;
mod middleware;
mod routes;
pub mod startup;
mod state;
pub mod telemetry;

pub use startup::Application;
