//! Every route: operations, the REST API, and the Leptos pages and server functions.

mod api;
mod health;
mod metrics;

use axum::routing::{any, get};
use axum::{middleware, Router};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use oikos_app::{shell, App};

use crate::state::AppState;

pub fn router(state: AppState) -> Router {
    let leptos_options = state.leptos_options.clone();
    let services = state.services.clone();
    let provide_services = move || provide_context(services.clone());
    let page = move || shell(leptos_options.clone());

    let router = Router::<AppState>::new()
        .route("/health", get(health::health))
        .route("/metrics", get(metrics::metrics))
        .route("/api", any(api::not_found))
        .route("/api/{*rest}", any(api::not_found))
        .leptos_routes_with_context(
            &state,
            generate_route_list(App),
            provide_services.clone(),
            page,
        )
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(provide_services, shell))
        .layer(middleware::from_fn_with_state(
            state.metrics.clone(),
            crate::metrics::record,
        ));
    let router = crate::middleware::secure(router, state.services.config.is_https());
    crate::middleware::observe(router).with_state(state)
}
