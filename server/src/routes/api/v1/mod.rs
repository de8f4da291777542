//! `/api/v1`: one file per resource. Every route is listed in [`endpoints`] with who may call
//! it; the router is built from that list, and the isolation-matrix test fails when a route
//! it lists has no row in the matrix.

mod admin_metrics;
pub(crate) mod admin_webhooks;
pub(crate) mod api_keys;
pub(crate) mod auth;
pub(crate) mod google;
mod invitations;
mod invoices;
mod outlets;
mod payment_methods;
mod public_tenants;
mod registration;
pub(crate) mod services;
mod subscriptions;
mod templates;
pub(crate) mod tenants;
pub(crate) mod users;
mod webhooks;

use axum::routing::{delete, get, patch, post, put, MethodRouter};
use axum::Router;

use super::provisioning;
use crate::state::AppState;

/// Who a route is for; decides which isolation tests it gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Anyone, signed in or not.
    Public,
    /// A signed-in user's own account, whatever the tenant.
    Account,
    /// Members of the tenant the request resolves to.
    Tenant,
    /// Super admins.
    Platform,
    /// Partners, with an API key that has the route's scope.
    Partner,
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
    vec![
        (
            endpoint("GET", "/api/v1/public/tenants/{slug}", Public),
            get(public_tenants::show),
        ),
        (
            endpoint("POST", "/api/v1/public/register", Public),
            post(registration::register),
        ),
        (
            endpoint("POST", "/api/v1/auth/register", Public),
            post(auth::register),
        ),
        (
            endpoint("GET", "/api/v1/auth/verify-email", Public),
            get(auth::verify_email),
        ),
        (
            endpoint("POST", "/api/v1/auth/verify-email/resend", Public),
            post(auth::resend_verification),
        ),
        (
            endpoint("POST", "/api/v1/auth/login", Public),
            post(auth::login),
        ),
        (
            endpoint("POST", "/api/v1/auth/refresh", Public),
            post(auth::refresh),
        ),
        (
            endpoint("POST", "/api/v1/auth/logout", Public),
            post(auth::logout),
        ),
        (
            endpoint("POST", "/api/v1/auth/reset-password/request", Public),
            post(auth::request_reset),
        ),
        (
            endpoint("POST", "/api/v1/auth/reset-password/confirm", Public),
            post(auth::confirm_reset),
        ),
        (
            endpoint("GET", "/api/v1/auth/google/start", Public),
            get(google::start),
        ),
        (
            endpoint("GET", "/api/v1/auth/google/callback", Public),
            get(google::callback),
        ),
        (endpoint("GET", "/api/v1/auth/me", Account), get(auth::me)),
        (
            endpoint("GET", "/api/v1/outlets", Tenant),
            get(outlets::list),
        ),
        (
            endpoint("POST", "/api/v1/outlets", Tenant),
            post(outlets::create),
        ),
        (
            endpoint("GET", "/api/v1/outlets/stats", Tenant),
            get(outlets::stats),
        ),
        (
            endpoint("GET", "/api/v1/outlets/{outlet_id}", Tenant),
            get(outlets::show),
        ),
        (
            endpoint("PUT", "/api/v1/outlets/{outlet_id}", Tenant),
            put(outlets::update),
        ),
        (
            endpoint("DELETE", "/api/v1/outlets/{outlet_id}", Tenant),
            delete(outlets::delete),
        ),
        (
            endpoint("GET", "/api/v1/services", Tenant),
            get(services::list),
        ),
        (
            endpoint("POST", "/api/v1/services", Tenant),
            post(services::create),
        ),
        (
            endpoint("GET", "/api/v1/services/{service_id}", Tenant),
            get(services::show),
        ),
        (
            endpoint("PUT", "/api/v1/services/{service_id}", Tenant),
            put(services::update),
        ),
        (
            endpoint("DELETE", "/api/v1/services/{service_id}", Tenant),
            delete(services::delete),
        ),
        (endpoint("GET", "/api/v1/users", Tenant), get(users::list)),
        (
            endpoint("GET", "/api/v1/users/{user_id}", Tenant),
            get(users::show),
        ),
        (
            endpoint("PUT", "/api/v1/users/{user_id}", Tenant),
            put(users::update),
        ),
        (
            endpoint("DELETE", "/api/v1/users/{user_id}", Tenant),
            delete(users::delete),
        ),
        (
            endpoint("POST", "/api/v1/users/{user_id}/reset-password", Tenant),
            post(users::reset_password),
        ),
        (
            endpoint("GET", "/api/v1/invitations", Tenant),
            get(invitations::list),
        ),
        (
            endpoint("POST", "/api/v1/invitations", Tenant),
            post(invitations::create),
        ),
        (
            endpoint("DELETE", "/api/v1/invitations/{invitation_id}", Tenant),
            delete(invitations::revoke),
        ),
        (
            endpoint("POST", "/api/v1/invitations/{invitation_id}/resend", Tenant),
            post(invitations::resend),
        ),
        (
            endpoint("GET", "/api/v1/invitations/accept/{token}", Public),
            get(invitations::preview),
        ),
        (
            endpoint("POST", "/api/v1/invitations/accept/{token}", Account),
            post(invitations::accept),
        ),
        (
            endpoint(
                "POST",
                "/api/v1/invitations/accept/{token}/set-password",
                Public,
            ),
            post(invitations::set_password),
        ),
        (
            endpoint("GET", "/api/v1/staff/positions/templates", Tenant),
            get(templates::positions),
        ),
        (
            endpoint("GET", "/api/v1/services/categories/templates", Tenant),
            get(templates::categories),
        ),
        (
            endpoint("GET", "/api/v1/tenants", Platform),
            get(tenants::list),
        ),
        (
            endpoint("POST", "/api/v1/tenants", Platform),
            post(tenants::create),
        ),
        (
            endpoint("DELETE", "/api/v1/tenants/{tenant_id}", Platform),
            delete(tenants::deactivate),
        ),
        (
            endpoint("POST", "/api/v1/tenants/{tenant_id}/reactivate", Platform),
            post(tenants::reactivate),
        ),
        (
            endpoint("PUT", "/api/v1/tenants/{tenant_id}/subscription", Platform),
            put(subscriptions::assign),
        ),
        (
            endpoint("GET", "/api/v1/tenants/{tenant_id}", Tenant),
            get(tenants::show),
        ),
        (
            endpoint("PUT", "/api/v1/tenants/{tenant_id}", Tenant),
            put(tenants::update),
        ),
        (
            endpoint("GET", "/api/v1/tenants/{tenant_id}/stats", Tenant),
            get(tenants::stats),
        ),
        (
            endpoint("GET", "/api/v1/tenants/{tenant_id}/export", Tenant),
            get(tenants::export),
        ),
        (
            endpoint("POST", "/api/v1/tenants/{tenant_id}/deletion", Tenant),
            post(tenants::schedule_deletion),
        ),
        (
            endpoint("DELETE", "/api/v1/tenants/{tenant_id}/deletion", Tenant),
            delete(tenants::cancel_deletion),
        ),
        (
            endpoint("GET", "/api/v1/tenants/{tenant_id}/branding", Tenant),
            get(tenants::show_branding),
        ),
        (
            endpoint("PUT", "/api/v1/tenants/{tenant_id}/branding", Tenant),
            put(tenants::update_branding),
        ),
        (
            endpoint("PUT", "/api/v1/tenants/{tenant_id}/logo", Tenant),
            put(tenants::upload_logo),
        ),
        (
            endpoint("DELETE", "/api/v1/tenants/{tenant_id}/logo", Tenant),
            delete(tenants::remove_logo),
        ),
        (
            endpoint("GET", "/api/v1/me/tenants", Account),
            get(auth::my_tenants),
        ),
        (
            endpoint("GET", "/api/v1/subscriptions/plans", Public),
            get(subscriptions::plans),
        ),
        (
            endpoint("GET", "/api/v1/subscriptions/current", Tenant),
            get(subscriptions::current),
        ),
        (
            endpoint("GET", "/api/v1/subscriptions/usage", Tenant),
            get(subscriptions::usage),
        ),
        (
            endpoint("POST", "/api/v1/subscriptions/upgrade", Tenant),
            post(subscriptions::upgrade),
        ),
        (
            endpoint("POST", "/api/v1/subscriptions/downgrade", Tenant),
            post(subscriptions::downgrade),
        ),
        (
            endpoint("POST", "/api/v1/subscriptions/cancel", Tenant),
            post(subscriptions::cancel),
        ),
        (
            endpoint("POST", "/api/v1/subscriptions/uncancel", Tenant),
            post(subscriptions::uncancel),
        ),
        (
            endpoint("POST", "/api/v1/payment-methods/setup-intent", Tenant),
            post(payment_methods::setup_intent),
        ),
        (
            endpoint("GET", "/api/v1/payment-methods", Tenant),
            get(payment_methods::list),
        ),
        (
            endpoint("POST", "/api/v1/payment-methods", Tenant),
            post(payment_methods::add),
        ),
        (
            endpoint(
                "PATCH",
                "/api/v1/payment-methods/{payment_method_id}/default",
                Tenant,
            ),
            patch(payment_methods::make_default),
        ),
        (
            endpoint(
                "DELETE",
                "/api/v1/payment-methods/{payment_method_id}",
                Tenant,
            ),
            delete(payment_methods::delete),
        ),
        (
            endpoint("GET", "/api/v1/invoices", Tenant),
            get(invoices::list),
        ),
        (
            endpoint("GET", "/api/v1/invoices/{invoice_id}/download", Tenant),
            get(invoices::download),
        ),
        (
            endpoint("POST", "/api/v1/webhooks/stripe", Public),
            post(webhooks::stripe),
        ),
        (
            endpoint("GET", "/api/v1/admin/metrics", Platform),
            get(admin_metrics::show),
        ),
        (
            endpoint("GET", "/api/v1/admin/api-keys", Platform),
            get(api_keys::list),
        ),
        (
            endpoint("POST", "/api/v1/admin/api-keys", Platform),
            post(api_keys::create),
        ),
        (
            endpoint("DELETE", "/api/v1/admin/api-keys/{key_id}", Platform),
            delete(api_keys::revoke),
        ),
        (
            endpoint("GET", "/api/v1/admin/webhooks", Platform),
            get(admin_webhooks::list),
        ),
        (
            endpoint("POST", "/api/v1/admin/webhooks", Platform),
            post(admin_webhooks::create),
        ),
        (
            endpoint("DELETE", "/api/v1/admin/webhooks/{webhook_id}", Platform),
            delete(admin_webhooks::delete),
        ),
        (
            endpoint("POST", "/api/v1/admin/webhooks/{webhook_id}/test", Platform),
            post(admin_webhooks::send_test),
        ),
        (
            endpoint(
                "GET",
                "/api/v1/admin/webhooks/{webhook_id}/deliveries",
                Platform,
            ),
            get(admin_webhooks::deliveries),
        ),
        (
            endpoint("POST", "/api/provisioning/tenants", Partner),
            post(provisioning::create),
        ),
        (
            endpoint("POST", "/api/provisioning/tenants/bulk", Partner),
            post(provisioning::create_many),
        ),
        (
            endpoint("GET", "/api/provisioning/tenants/{tenant_id}", Partner),
            get(provisioning::show),
        ),
        (
            endpoint("PATCH", "/api/provisioning/tenants/{tenant_id}", Partner),
            patch(provisioning::update),
        ),
        (
            endpoint("DELETE", "/api/provisioning/tenants/{tenant_id}", Partner),
            delete(provisioning::delete),
        ),
    ]
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
