use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use oikos::AppContext;

use crate::metrics::Metrics;

/// What every handler can reach. Leptos' handlers need `LeptosOptions` from it.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub ctx: AppContext,
    pub metrics: Arc<Metrics>,
}
