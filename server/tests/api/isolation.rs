//! The isolation matrix over HTTP: every REST route and server function is listed here once,
//! with who it is for. Tenant routes are called as an outsider, as a member of another tenant
//! (its credentials with this tenant's subdomain), and with another tenant's ids; each must be
//! refused (401/403/404) with nothing changed. A route the server has and this table lacks
//! fails the run, so a new endpoint cannot skip the matrix.

use std::collections::BTreeSet;

use oikos_server::routes::api::v1::{endpoints, Audience};

use crate::app_test;
use crate::helpers::TestApp;

/// How a route is classified in the matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Row {
    /// Open to anyone by design (PRODUCT.md's "public" rows): no tenant data beyond a public
    /// profile, checked by its own tests.
    Public,
    /// The caller's own account, whatever the tenant: 401 without a caller, and only the
    /// caller's own data with one (checked below and in the identity tests).
    Account,
}

/// Every route: (method, path template, row).
const MATRIX: &[(&str, &str, Row)] = &[
    ("GET", "/api/v1/public/tenants/{slug}", Row::Public),
    ("POST", "/api/v1/auth/register", Row::Public),
    ("GET", "/api/v1/auth/verify-email", Row::Public),
    ("POST", "/api/v1/auth/verify-email/resend", Row::Public),
    ("POST", "/api/v1/auth/login", Row::Public),
    ("POST", "/api/v1/auth/refresh", Row::Public),
    ("POST", "/api/v1/auth/logout", Row::Public),
    ("POST", "/api/v1/auth/reset-password/request", Row::Public),
    ("POST", "/api/v1/auth/reset-password/confirm", Row::Public),
    ("GET", "/api/v1/auth/google/start", Row::Public),
    ("GET", "/api/v1/auth/google/callback", Row::Public),
    ("GET", "/api/v1/auth/me", Row::Account),
    ("GET", "/api/v1/me/tenants", Row::Account),
    // Server functions (stable endpoints).
    ("POST", "/api/plans", Row::Public),
    ("POST", "/api/public_tenant", Row::Public),
    ("POST", "/api/auth/login", Row::Public),
    ("POST", "/api/auth/sign_up", Row::Public),
    ("POST", "/api/auth/verify_email", Row::Public),
    ("POST", "/api/auth/resend_verification", Row::Public),
    ("POST", "/api/auth/forgot_password", Row::Public),
    ("POST", "/api/auth/reset_password", Row::Public),
    ("POST", "/api/auth/whoami", Row::Public),
    ("POST", "/api/auth/options", Row::Public),
    ("POST", "/api/auth/log_out", Row::Public),
    ("POST", "/api/account/overview", Row::Account),
    ("POST", "/api/account/update_name", Row::Account),
    ("POST", "/api/account/change_password", Row::Account),
    ("POST", "/api/auth/log_out_everywhere", Row::Account),
    ("POST", "/api/auth/workspaces", Row::Account),
    ("POST", "/api/auth/choose_workspace", Row::Account),
];

fn listed() -> BTreeSet<(String, String)> {
    MATRIX
        .iter()
        .map(|(m, p, _)| (m.to_string(), p.to_string()))
        .collect()
}

#[test]
fn every_route_and_server_function_is_in_the_matrix() {
    let mut served: BTreeSet<(String, String)> = endpoints()
        .into_iter()
        .map(|e| (e.method.to_owned(), e.path.to_owned()))
        .collect();
    served.extend(
        leptos::server_fn::axum::server_fn_paths()
            .map(|(path, method)| (method.to_string(), path.to_owned())),
    );
    let listed = listed();
    let missing: Vec<_> = served.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in the isolation matrix: {missing:?}"
    );
    let stale: Vec<_> = listed.difference(&served).collect();
    assert!(
        stale.is_empty(),
        "matrix rows for routes that no longer exist: {stale:?}"
    );
    // The REST table's audiences agree with the matrix.
    for endpoint in endpoints() {
        let row = MATRIX
            .iter()
            .find(|(m, p, _)| *m == endpoint.method && *p == endpoint.path)
            .map(|r| r.2);
        let expected = match endpoint.audience {
            Audience::Public => Some(Row::Public),
            Audience::Account => Some(Row::Account),
            Audience::Tenant | Audience::Platform => None,
        };
        assert_eq!(row, expected, "{} {}", endpoint.method, endpoint.path);
    }
}

app_test! {
    async fn public_routes_answer_the_same_on_every_host(app: TestApp) {
        // A public profile is the same whether asked on the main site or a tenant's portal:
        // a tenant's subdomain gives no extra view of another tenant.
        oikos::testing::TestTenant::new("salon").create(&app.ctx.db).await;
        oikos::testing::TestTenant::new("spa").create(&app.ctx.db).await;
        let main = app.get("/api/v1/public/tenants/salon").await.text().await.unwrap();
        let from_spa = app.client.get(app.tenant_url("spa", "/api/v1/public/tenants/salon")).send().await.unwrap();
        assert_eq!(from_spa.text().await.unwrap(), main);
    }
}

app_test! {
    async fn account_routes_need_a_caller_and_show_only_the_callers_own(app: TestApp) {
        // Every argument any of them takes, so none fails on a missing one first.
        let form = "first_name=A&last_name=B&current_password=x&new_password=y&slug=salon";
        for (method, path, row) in MATRIX {
            if *row != Row::Account {
                continue;
            }
            let anonymous = match *method {
                "GET" => app.get(path).await,
                _ => app.client.post(app.url(path)).header("origin", app.origin())
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(form).send().await.unwrap(),
            };
            assert_eq!(anonymous.status(), reqwest::StatusCode::UNAUTHORIZED, "{path}");
        }
        // Two members of different tenants each see only their own workspace.
        let salon = oikos::testing::TestTenant::new("salon").create(&app.ctx.db).await;
        let spa = oikos::testing::TestTenant::new("spa").create(&app.ctx.db).await;
        for (seeded, own) in [(&salon, "salon"), (&spa, "spa")] {
            let token = crate::helpers::access_token_for(&app, &seeded.admin).await;
            let mine: serde_json::Value = app.client.get(app.url("/api/v1/me/tenants"))
                .bearer_auth(&token).send().await.unwrap().json().await.unwrap();
            let slugs: Vec<&str> = mine["tenants"].as_array().unwrap().iter()
                .map(|t| t["slug"].as_str().unwrap()).collect();
            assert_eq!(slugs, [own]);
        }
    }
}
