//! `/api/v1`: one file per resource. Every route is listed in [`endpoints`] with who may call
//! it; the router is built from that list, and the isolation-matrix test fails when a route
//! it lists has no row in the matrix.

mod public_tenants;

use axum::routing::{get, MethodRouter};
use axum::Router;

use crate::state::AppState;

/// Who a route is for; decides which isolation tests it gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Anyone, signed in or not.
    Public,
    /// Members of the tenant the request resolves to.
    Tenant,
    /// Super admins.
    Platform,
}

#[derive(Clone, Copy, Debug)]
pub struct Endpoint {
    pub method: &'static str,
    pub path: &'static str,
    pub audience: Audience,
}

fn routes() -> Vec<(Endpoint, MethodRouter<AppState>)> {
    use Audience::*;
    let endpoint = |method, path, audience| Endpoint {
        method,
        path,
        audience,
    };
    vec![(
        endpoint("GET", "/api/v1/public/tenants/{slug}", Public),
        get(public_tenants::show),
    )]
}

/// Every REST route, as the router serves it.
pub fn endpoints() -> Vec<Endpoint> {
    routes().into_iter().map(|(endpoint, _)| endpoint).collect()
}

pub fn router() -> Router<AppState> {
    routes()
        .into_iter()
        .fold(Router::new(), |router, (endpoint, handler)| {
            router.route(endpoint.path, handler)
        })
}
