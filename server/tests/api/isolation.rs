//! The isolation matrix over HTTP: every REST route and server function is listed here once,
//! with who it is for. Tenant routes are called as an outsider, as a member of another tenant
//! (its credentials with this tenant's subdomain), and with another tenant's ids; each must be
//! refused (401/403/404) with nothing changed. A route the server has and this table lacks
//! fails the run, so a new endpoint cannot skip the matrix.

use std::collections::BTreeSet;

use oikos_server::routes::api::v1::{endpoints, Audience};

use oikos::tenancy::Role;
use oikos::testing::TestTenant;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{access_token_in, TestApp};
use crate::{app_test, path_app_test};

/// How a route is classified in the matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Row {
    /// Open to anyone by design (PRODUCT.md's "public" rows): no tenant data beyond a public
    /// profile, checked by its own tests.
    Public,
    /// The caller's own account, whatever the tenant: 401 without a caller, and only the
    /// caller's own data with one (checked below and in the identity tests).
    Account,
    /// Super admins only: 401 without a caller, 404 (the surface stays hidden) or 403 for
    /// anyone else, even the tenant's own admin; nothing changed.
    Platform,
    /// One tenant's data: 401 without a caller; 403 or 404 for a member of another tenant,
    /// whichever way it names this one (subdomain, header, id); nothing changed.
    Tenant,
    /// Partners with an API key only: 401 without one, and for a user's own token, even a
    /// super admin's (scopes are tested in `provisioning`).
    Partner,
}

/// Every route: (method, path template, row).
const MATRIX: &[(&str, &str, Row)] = &[
    ("GET", "/api/v1/public/tenants/{slug}", Row::Public),
    ("POST", "/api/v1/public/register", Row::Public),
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
    ("GET", "/api/v1/tenants", Row::Platform),
    ("GET", "/api/v1/admin/metrics", Row::Platform),
    ("GET", "/api/v1/admin/api-keys", Row::Platform),
    ("POST", "/api/v1/admin/api-keys", Row::Platform),
    ("DELETE", "/api/v1/admin/api-keys/{key_id}", Row::Platform),
    ("GET", "/api/v1/admin/webhooks", Row::Platform),
    ("POST", "/api/v1/admin/webhooks", Row::Platform),
    (
        "DELETE",
        "/api/v1/admin/webhooks/{webhook_id}",
        Row::Platform,
    ),
    (
        "POST",
        "/api/v1/admin/webhooks/{webhook_id}/test",
        Row::Platform,
    ),
    (
        "GET",
        "/api/v1/admin/webhooks/{webhook_id}/deliveries",
        Row::Platform,
    ),
    ("POST", "/api/provisioning/tenants", Row::Partner),
    ("POST", "/api/provisioning/tenants/bulk", Row::Partner),
    ("GET", "/api/provisioning/tenants/{tenant_id}", Row::Partner),
    (
        "PATCH",
        "/api/provisioning/tenants/{tenant_id}",
        Row::Partner,
    ),
    (
        "DELETE",
        "/api/provisioning/tenants/{tenant_id}",
        Row::Partner,
    ),
    ("POST", "/api/v1/tenants", Row::Platform),
    ("DELETE", "/api/v1/tenants/{tenant_id}", Row::Platform),
    (
        "POST",
        "/api/v1/tenants/{tenant_id}/reactivate",
        Row::Platform,
    ),
    (
        "PUT",
        "/api/v1/tenants/{tenant_id}/subscription",
        Row::Platform,
    ),
    ("GET", "/api/v1/tenants/{tenant_id}", Row::Tenant),
    ("GET", "/api/v1/outlets", Row::Tenant),
    ("POST", "/api/v1/outlets", Row::Tenant),
    ("GET", "/api/v1/outlets/stats", Row::Tenant),
    ("GET", "/api/v1/outlets/{outlet_id}", Row::Tenant),
    ("PUT", "/api/v1/outlets/{outlet_id}", Row::Tenant),
    ("DELETE", "/api/v1/outlets/{outlet_id}", Row::Tenant),
    ("GET", "/api/v1/services", Row::Tenant),
    ("POST", "/api/v1/services", Row::Tenant),
    ("GET", "/api/v1/services/{service_id}", Row::Tenant),
    ("PUT", "/api/v1/services/{service_id}", Row::Tenant),
    ("DELETE", "/api/v1/services/{service_id}", Row::Tenant),
    ("GET", "/api/v1/users", Row::Tenant),
    ("GET", "/api/v1/users/{user_id}", Row::Tenant),
    ("PUT", "/api/v1/users/{user_id}", Row::Tenant),
    ("DELETE", "/api/v1/users/{user_id}", Row::Tenant),
    (
        "POST",
        "/api/v1/users/{user_id}/reset-password",
        Row::Tenant,
    ),
    ("GET", "/api/v1/invitations", Row::Tenant),
    ("POST", "/api/v1/invitations", Row::Tenant),
    ("DELETE", "/api/v1/invitations/{invitation_id}", Row::Tenant),
    (
        "POST",
        "/api/v1/invitations/{invitation_id}/resend",
        Row::Tenant,
    ),
    ("GET", "/api/v1/invitations/accept/{token}", Row::Public),
    ("POST", "/api/v1/invitations/accept/{token}", Row::Account),
    (
        "POST",
        "/api/v1/invitations/accept/{token}/set-password",
        Row::Public,
    ),
    ("GET", "/api/v1/staff/positions/templates", Row::Tenant),
    ("GET", "/api/v1/services/categories/templates", Row::Tenant),
    ("PUT", "/api/v1/tenants/{tenant_id}", Row::Tenant),
    ("GET", "/api/v1/tenants/{tenant_id}/stats", Row::Tenant),
    ("GET", "/api/v1/tenants/{tenant_id}/export", Row::Tenant),
    ("POST", "/api/v1/tenants/{tenant_id}/deletion", Row::Tenant),
    (
        "DELETE",
        "/api/v1/tenants/{tenant_id}/deletion",
        Row::Tenant,
    ),
    ("GET", "/api/v1/tenants/{tenant_id}/branding", Row::Tenant),
    ("PUT", "/api/v1/tenants/{tenant_id}/branding", Row::Tenant),
    ("PUT", "/api/v1/tenants/{tenant_id}/logo", Row::Tenant),
    ("DELETE", "/api/v1/tenants/{tenant_id}/logo", Row::Tenant),
    ("GET", "/api/v1/subscriptions/plans", Row::Public),
    ("GET", "/api/v1/subscriptions/current", Row::Tenant),
    ("GET", "/api/v1/subscriptions/usage", Row::Tenant),
    ("POST", "/api/v1/subscriptions/upgrade", Row::Tenant),
    ("POST", "/api/v1/subscriptions/downgrade", Row::Tenant),
    ("POST", "/api/v1/subscriptions/cancel", Row::Tenant),
    ("POST", "/api/v1/subscriptions/uncancel", Row::Tenant),
    ("POST", "/api/v1/payment-methods/setup-intent", Row::Tenant),
    ("GET", "/api/v1/payment-methods", Row::Tenant),
    ("POST", "/api/v1/payment-methods", Row::Tenant),
    (
        "PATCH",
        "/api/v1/payment-methods/{payment_method_id}/default",
        Row::Tenant,
    ),
    (
        "DELETE",
        "/api/v1/payment-methods/{payment_method_id}",
        Row::Tenant,
    ),
    ("GET", "/api/v1/invoices", Row::Tenant),
    ("GET", "/api/v1/invoices/{invoice_id}/download", Row::Tenant),
    ("POST", "/api/v1/webhooks/stripe", Row::Public),
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
    ("POST", "/api/register/draft", Row::Public),
    ("POST", "/api/register/business", Row::Public),
    ("POST", "/api/register/account", Row::Public),
    ("POST", "/api/register/plan", Row::Public),
    ("POST", "/api/register/submit", Row::Public),
    ("POST", "/api/register/slug", Row::Public),
    ("POST", "/api/account/overview", Row::Account),
    ("POST", "/api/account/update_name", Row::Account),
    ("POST", "/api/account/change_password", Row::Account),
    ("POST", "/api/auth/log_out_everywhere", Row::Account),
    ("POST", "/api/auth/workspaces", Row::Account),
    ("POST", "/api/auth/choose_workspace", Row::Account),
    ("POST", "/api/portal/team", Row::Tenant),
    ("POST", "/api/portal/member", Row::Tenant),
    ("POST", "/api/portal/save_member", Row::Tenant),
    ("POST", "/api/portal/reset_member_password", Row::Tenant),
    ("POST", "/api/portal/remove_member", Row::Tenant),
    ("POST", "/api/portal/invite", Row::Tenant),
    ("POST", "/api/portal/resend_invitation", Row::Tenant),
    ("POST", "/api/portal/revoke_invitation", Row::Tenant),
    ("POST", "/api/invitation/preview", Row::Public),
    ("POST", "/api/auth/handoff_preview", Row::Public),
    ("POST", "/api/invitation/join_new", Row::Public),
    ("POST", "/api/invitation/join_existing", Row::Public),
    ("POST", "/api/admin/mailbox", Row::Platform),
    ("POST", "/api/admin/overview", Row::Platform),
    ("POST", "/api/admin/tenants", Row::Platform),
    ("POST", "/api/admin/tenant", Row::Platform),
    ("POST", "/api/admin/set_tenant_status", Row::Platform),
    ("POST", "/api/admin/impersonate", Row::Platform),
    ("POST", "/api/admin/api_keys", Row::Platform),
    ("POST", "/api/admin/create_api_key", Row::Platform),
    ("POST", "/api/admin/revoke_api_key", Row::Platform),
    ("POST", "/api/admin/webhooks", Row::Platform),
    ("POST", "/api/admin/create_webhook", Row::Platform),
    ("POST", "/api/admin/delete_webhook", Row::Platform),
    ("POST", "/api/admin/test_webhook", Row::Platform),
    ("POST", "/api/admin/webhook_log", Row::Platform),
    ("POST", "/api/admin/retry_delivery", Row::Platform),
    ("POST", "/api/admin/outbox", Row::Platform),
    ("POST", "/api/admin/retry_mail", Row::Platform),
    ("POST", "/api/admin/create_tenant", Row::Platform),
    ("POST", "/api/auth/end_impersonation", Row::Account),
    ("POST", "/api/auth/open_workspace", Row::Account),
    ("POST", "/api/portal/dashboard", Row::Tenant),
    ("POST", "/api/portal/restore", Row::Tenant),
    ("POST", "/api/portal/settings", Row::Tenant),
    ("POST", "/api/portal/save_profile", Row::Tenant),
    ("POST", "/api/portal/delete", Row::Tenant),
    ("POST", "/api/portal/outlets", Row::Tenant),
    ("POST", "/api/portal/outlet", Row::Tenant),
    ("POST", "/api/portal/save_outlet", Row::Tenant),
    ("POST", "/api/portal/delete_outlet", Row::Tenant),
    ("POST", "/api/portal/services", Row::Tenant),
    ("POST", "/api/portal/service", Row::Tenant),
    ("POST", "/api/portal/save_service", Row::Tenant),
    ("POST", "/api/portal/delete_service", Row::Tenant),
    ("POST", "/api/portal/save_colors", Row::Tenant),
    ("POST", "/api/portal/save_features", Row::Tenant),
    ("POST", "/api/portal/billing", Row::Tenant),
    ("POST", "/api/portal/preview_change", Row::Tenant),
    ("POST", "/api/portal/change_plan", Row::Tenant),
    ("POST", "/api/portal/cancel_plan", Row::Tenant),
    ("POST", "/api/portal/resume_plan", Row::Tenant),
    ("POST", "/api/portal/default_card", Row::Tenant),
    ("POST", "/api/portal/remove_card", Row::Tenant),
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
            Audience::Tenant => Some(Row::Tenant),
            Audience::Platform => Some(Row::Platform),
            Audience::Partner => Some(Row::Partner),
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

/// A request header: (name, value).
type Header = (&'static str, String);

/// How a member of another tenant names this one: (description, URL, header).
fn disguises(
    app: &TestApp,
    path: &str,
    tenant: &str,
    by_id: bool,
) -> Vec<(&'static str, String, Option<Header>)> {
    let mut ways = vec![
        (
            "this tenant's portal (subdomain or path)",
            app.tenant_url("salon", path),
            None,
        ),
        (
            "X-Tenant-Slug",
            app.url(path),
            Some(("x-tenant-slug", "salon".to_owned())),
        ),
        (
            "X-Tenant-ID",
            app.url(path),
            Some(("x-tenant-id", tenant.to_owned())),
        ),
    ];
    // A route that names this tenant's row by id: the intruder's own workspace with that id.
    if by_id {
        ways.push(("its own workspace, this tenant's id", app.url(path), None));
    }
    // In path mode a plain form names its portal by the page it was posted from.
    let server_function = !path.starts_with("/api/v1/");
    if server_function && app.ctx.config.tenant_routing == oikos::TenantRouting::Path {
        ways.push((
            "a form posted from this tenant's page",
            app.url(path),
            Some(("referer", app.tenant_url("salon", "/settings"))),
        ));
    }
    ways
}

async fn send(
    app: &TestApp,
    method: &str,
    url: &str,
    token: Option<&str>,
    header: Option<(&str, String)>,
) -> reqwest::Response {
    // A server function takes a form with every field any of them reads; REST takes JSON.
    let server_function = !url.contains("/api/v1/");
    let form = [
        ("name", "Taken over"),
        ("business_type", ""),
        ("email", "taken@evil.test"),
        ("phone", ""),
        ("website", ""),
        ("description", ""),
        ("confirm", "salon"),
        ("slug", "salon"),
        ("timezone", "UTC"),
        ("price", "1"),
        ("duration_minutes", "30"),
        ("id", ""),
        ("role", "STAFF"),
        ("position", ""),
        ("primary_color", "#000000"),
        ("secondary_color", "#000000"),
        ("accent_color", "#000000"),
        ("plan", "PRO"),
        ("billing", "monthly"),
    ];
    let mut request = match method {
        "GET" => app.client.get(url),
        "PUT" => app.client.put(url).json(&json!({"name": "Taken over"})),
        "POST" if server_function => app.client.post(url).form(&form),
        "POST" => app.client.post(url).json(&json!({"name": "Taken over"})),
        "PATCH" => app.client.patch(url),
        "DELETE" => app.client.delete(url),
        other => panic!("no matrix call for {other}"),
    };
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some((name, value)) = header {
        request = request.header(name, value);
    }
    request.send().await.expect("request")
}

app_test! {
    async fn tenant_routes_refuse_everyone_but_the_tenants_own(app: TestApp) {
        tenant_routes_refuse_outsiders(&app).await;
    }
}

path_app_test! {
    async fn in_path_mode_tenant_routes_refuse_everyone_but_the_tenants_own(app: TestApp) {
        tenant_routes_refuse_outsiders(&app).await;
    }
}

async fn tenant_routes_refuse_outsiders(app: &TestApp) {
    let salon = TestTenant::new("salon")
        .with_member(Role::Staff)
        .create(&app.ctx.db)
        .await;
    let spa = TestTenant::new("spa").create(&app.ctx.db).await;
    let a = salon.tenant.id.to_string();
    let intruder = access_token_in(app, &spa.admin, spa.tenant.id, Role::TenantAdmin);
    let admin = access_token_in(app, &salon.admin, salon.tenant.id, Role::TenantAdmin);
    // One row of each kind in the tenant, for the routes that name one.
    let made = app
        .client
        .post(app.url("/api/v1/outlets"))
        .bearer_auth(&admin)
        .json(&json!({"name": "Main Street"}))
        .send()
        .await
        .unwrap();
    let outlet: Value = made.json().await.unwrap();
    let outlet = outlet["id"].as_str().unwrap().to_owned();
    let made = app
        .client
        .post(app.url("/api/v1/services"))
        .bearer_auth(&admin)
        .json(&json!({"name": "Haircut", "price_cents": 1000, "duration_minutes": 30}))
        .send()
        .await
        .unwrap();
    let service: Value = made.json().await.unwrap();
    let service = service["id"].as_str().unwrap().to_owned();
    let made = app
        .client
        .post(app.url("/api/v1/invitations"))
        .bearer_auth(&admin)
        .json(&json!({"email": "new.hire@example.com", "role": "STAFF"}))
        .send()
        .await
        .unwrap();
    assert_eq!(made.status(), StatusCode::CREATED);
    let invitation: Value = made.json().await.unwrap();
    let invitation = invitation["id"].as_str().unwrap().to_owned();
    let member = salon.members[0].0.id.to_string();
    for (method, template, row) in MATRIX {
        if *row != Row::Tenant {
            continue;
        }
        let path = template
            .replace("{tenant_id}", &a)
            .replace("{outlet_id}", &outlet)
            .replace("{service_id}", &service)
            .replace("{user_id}", &member)
            .replace("{invitation_id}", &invitation)
            .replace("{payment_method_id}", "pm_made_up")
            .replace("{invoice_id}", "in_made_up");
        // Stripe's ids are no rows of Oikos: each is checked against the tenant's own
        // customer at Stripe (the billing tests), so only the tenant's own ids count here.
        let by_id = template.contains('{')
            && !template.contains("{payment_method_id}")
            && !template.contains("{invoice_id}");
        let anonymous = send(app, method, &app.url(&path), None, None).await;
        assert_eq!(
            anonymous.status(),
            StatusCode::UNAUTHORIZED,
            "{method} {template}"
        );
        for (how, url, header) in disguises(app, &path, &a, by_id) {
            let refused = send(app, method, &url, Some(&intruder), header).await;
            let status = refused.status();
            assert!(
                status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
                "{method} {template} via {how}: {status}"
            );
        }
    }
    // Nothing changed, and the tenant's own members are let in as their roles allow.
    assert_eq!(app.count_rows("outlets").await, 1);
    assert_eq!(app.count_rows("services").await, 1);
    assert_eq!(app.count_rows("invitations").await, 1);
    assert_eq!(
        app.count_rows("memberships").await,
        3,
        "salon's two, spa's one"
    );
    assert_eq!(
        app.count_rows("tenant_branding").await,
        0,
        "no colours or logo set"
    );
    let kept: Value = send(
        app,
        "GET",
        &app.url(&format!("/api/v1/outlets/{outlet}")),
        Some(&admin),
        None,
    )
    .await
    .json()
    .await
    .unwrap();
    assert_eq!(kept["name"], "Main Street");
    let staff = access_token_in(app, &salon.members[0].0, salon.tenant.id, Role::Staff);
    let own = app.url(&format!("/api/v1/tenants/{a}"));
    let seen: Value = send(app, "GET", &own, Some(&staff), None)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(seen["name"], "salon business");
    assert_eq!(
        seen["erase_after"],
        Value::Null,
        "no intruder deleted the workspace"
    );
    assert_eq!(
        send(app, "PUT", &own, Some(&staff), None).await.status(),
        StatusCode::FORBIDDEN
    );
    let changed = send(app, "PUT", &own, Some(&admin), None).await;
    assert_eq!(changed.status(), StatusCode::OK);
    assert_eq!(changed.json::<Value>().await.unwrap()["name"], "Taken over");
}

app_test! {
    async fn platform_routes_are_for_super_admins_only(app: TestApp) {
        let salon = TestTenant::new("salon").create(&app.ctx.db).await;
        let a = salon.tenant.id.to_string();
        // The tenant's own admin, on its own portal: the admin surface stays hidden.
        let admin = access_token_in(&app, &salon.admin, salon.tenant.id, Role::TenantAdmin);
        for (method, template, row) in MATRIX {
            if *row != Row::Platform {
                continue;
            }
            let path = template.replace("{tenant_id}", &a);
            let url = app.tenant_url("salon", &path);
            let call = |token: Option<&str>| {
                let request = app.client.request(method.parse().unwrap(), &url);
                // REST takes JSON; a server function, a form (with this host's origin).
                let mut request = if template.starts_with("/api/v1/") {
                    request.json(&json!({"name": "Taken"}))
                } else {
                    request.header("origin", app.tenant_origin("salon"))
                        .header("content-type", "application/x-www-form-urlencoded")
                };
                if let Some(token) = token {
                    request = request.bearer_auth(token);
                }
                request.send()
            };
            assert_eq!(call(None).await.unwrap().status(), StatusCode::UNAUTHORIZED, "{method} {template}");
            let refused = call(Some(&admin)).await.unwrap().status();
            assert!(refused == StatusCode::NOT_FOUND || refused == StatusCode::FORBIDDEN, "{method} {template}: {refused}");
        }
        let seen: Value = send(&app, "GET", &app.url(&format!("/api/v1/tenants/{a}")), Some(&admin), None).await.json().await.unwrap();
        assert_eq!((seen["is_active"].as_bool(), seen["name"].as_str()), (Some(true), Some("salon business")));
        assert_eq!(app.count_rows("tenants").await, 1);
    }
}

oikos::on_both_backends! { crate::tenants::with_root,
    async fn partner_routes_take_only_api_keys(app: TestApp) {
        let salon = TestTenant::new("salon").create(&app.ctx.db).await;
        let a = salon.tenant.id.to_string();
        let admin = access_token_in(&app, &salon.admin, salon.tenant.id, Role::TenantAdmin);
        let root = crate::tenants::root_token(&app).await;
        for (method, template, row) in MATRIX {
            if *row != Row::Partner {
                continue;
            }
            let url = app.url(&template.replace("{tenant_id}", &a));
            for token in [None, Some(admin.as_str()), Some(root.as_str())] {
                let mut request = app.client.request(method.parse().unwrap(), &url).json(&json!({"client_name": "Taken", "email": "x@example.com"}));
                if let Some(token) = token {
                    request = request.bearer_auth(token);
                }
                let status = request.send().await.unwrap().status();
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {template}");
            }
        }
        assert_eq!(app.count_rows("tenants").await, 1);
    }
}
