use std::ops::Deref;
use std::sync::Arc;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use oikos::AppContext;

use crate::metrics::Metrics;

/// What every handler can reach, behind one `Arc`: axum clones the state into every
/// handler call, and `LeptosOptions` alone is a dozen reference counts. Leptos' handlers take
/// `LeptosOptions` from it.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

pub struct Shared {
    pub leptos_options: LeptosOptions,
    pub ctx: AppContext,
    pub metrics: Arc<Metrics>,
}

impl AppState {
    pub fn new(leptos_options: LeptosOptions, ctx: AppContext, metrics: Arc<Metrics>) -> Self {
        AppState(Arc::new(Shared {
            leptos_options,
            ctx,
            metrics,
        }))
    }
}

impl Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.0
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl FromRef<AppState> for AppContext {
    fn from_ref(state: &AppState) -> Self {
        state.ctx.clone()
    }
}

impl FromRef<AppState> for Arc<Metrics> {
    fn from_ref(state: &AppState) -> Self {
        state.metrics.clone()
    }
}
