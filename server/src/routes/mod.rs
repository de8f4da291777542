//! Every route: operations, the REST API, and the Leptos pages and server functions; and the
//! management listener's.

pub mod api;
mod branding;
mod handoff;
mod health;
mod metrics;

use std::sync::Arc;

use axum::routing::{any, get};
use axum::{middleware, Router};
use leptos::prelude::provide_context;
use leptos_axum::{generate_route_list, LeptosRoutes};
use oikos_app::{shell, App};
use tower::ServiceBuilder;
use tower_http::compression::CompressionLayer;

use crate::context::HostRules;
use crate::metrics::Metrics;
use crate::state::AppState;

pub fn router(state: AppState) -> anyhow::Result<Router> {
    let leptos_options = state.leptos_options.clone();
    let ctx = state.ctx.clone();
    let provide_ctx = move || provide_context(ctx.clone());
    let page = move || shell(leptos_options.clone());

    let router = Router::<AppState>::new()
        .route("/health", get(health::health))
        .route(
            "/auth/handoff",
            get(handoff::handoff).post(handoff::handoff_confirmed),
        )
        .route(
            oikos::identity::impersonation::PATH,
            get(handoff::impersonate),
        )
        .route("/branding.css", get(branding::stylesheet))
        .route("/branding/logo", get(branding::logo).post(branding::upload))
        .merge(api::v1::router())
        .route("/api/openapi.json", get(api::openapi::serve))
        .route("/api/docs", get(api::openapi::docs))
        .merge(crate::static_files::routes(
            std::path::Path::new(state.leptos_options.site_root.as_ref()),
            state.leptos_options.hash_files,
        )?)
        .route("/api", any(api::not_found))
        .route("/api/{*rest}", any(api::not_found))
        .leptos_routes_with_context(&state, generate_route_list(App), provide_ctx.clone(), page)
        .fallback(leptos_axum::file_and_error_handler_with_context::<
            AppState,
            _,
        >(provide_ctx, shell))
        // One layer of many: axum boxes every `Router::layer` around each route, and a
        // middleware clones everything inside it per request, so each separate layer
        // multiplied the allocations of all the ones within. Outermost first.
        .layer(
            ServiceBuilder::new()
                .layer(middleware::from_fn_with_state(
                    Arc::new(HostRules::new(&state.ctx)),
                    crate::context::resolve,
                ))
                .layer(middleware::from_fn_with_state(
                    state.metrics.clone(),
                    crate::metrics::record,
                ))
                .layer(middleware::from_fn_with_state(
                    state.ctx.config.is_https(),
                    crate::auth::csrf,
                ))
                .layer(crate::auth::session_layer(&state.ctx))
                .layer(middleware::from_fn_with_state(
                    state.ctx.clone(),
                    crate::auth::authenticate,
                ))
                .layer(middleware::from_fn(oikos_web::forms::keep_typed)),
        );
    let router = crate::middleware::harden(router)
        // HTML and JSON; precompressed static files already carry their Content-Encoding.
        .layer(CompressionLayer::new());
    let router = crate::middleware::secure(router, &state.ctx.links, state.ctx.config.is_https());
    let links = state.ctx.links.clone();
    // Inside the path-mode step, so logs name the matched route template (never a token).
    let router = crate::middleware::observe(router).with_state(state);
    Ok(crate::context::route_tenant_paths(router, &links))
}

/// The management listener (`OIKOS_METRICS_ADDR`): never reachable through the public site
/// or a tenant's subdomain.
pub fn management_router(metrics: Arc<Metrics>) -> Router {
    Router::new()
        .route("/metrics", get(metrics::metrics))
        .with_state(metrics)
}
