//! `/api/v1/tenants/{tenant_id}` over HTTP: details for members, a partial update for the
//! tenant admin, any tenant for a super admin, and the resolution answers of PRODUCT.md §3.

use oikos::tenancy::Role;
use oikos::testing::TestTenant;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{access_token_in, spawn_app_with, TestApp};
use crate::identity::PASSWORD;

async fn with_root(backend: oikos::db::Backend) -> TestApp {
    let root = [
        ("FIRST_SUPERUSER_EMAIL", "root@oikos.test"),
        ("FIRST_SUPERUSER_PASSWORD", PASSWORD),
    ];
    spawn_app_with(backend, &root).await
}

async fn put(app: &TestApp, url: &str, token: &str, body: Value) -> (StatusCode, Value) {
    let response = app
        .client
        .put(url)
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status(), response.json().await.unwrap())
}

async fn get(app: &TestApp, url: &str, token: &str) -> (StatusCode, Value) {
    let response = app.client.get(url).bearer_auth(token).send().await.unwrap();
    (response.status(), response.json().await.unwrap())
}

oikos::on_both_backends! { with_root,
    async fn members_read_admins_update_and_the_slug_stays(app: TestApp) {
        let salon = TestTenant::new("salon").create(&app.ctx.db).await;
        TestTenant::new("spa").create(&app.ctx.db).await;
        let id = salon.tenant.id.to_string();
        let url = app.url(&format!("/api/v1/tenants/{id}"));
        let admin = access_token_in(&app, &salon.admin, salon.tenant.id, Role::TenantAdmin);

        let (status, tenant) = get(&app, &url, &admin).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!((tenant["slug"].as_str(), tenant["is_active"].as_bool()), (Some("salon"), Some(true)));

        // Partial: only what is sent changes; an empty optional field is cleared.
        let (status, updated) = put(&app, &url, &admin, json!({"description": "Cuts and colour", "website": "salon.example"})).await;
        assert_eq!(status, StatusCode::OK, "{updated}");
        assert_eq!(updated["name"], "salon business");
        assert_eq!(updated["website"], "https://salon.example");
        let (_, cleared) = put(&app, &url, &admin, json!({"website": ""})).await;
        assert_eq!(cleared["website"], Value::Null);
        assert_eq!(cleared["description"], "Cuts and colour");

        // Every invalid field at once; the slug cannot change; another tenant's name is taken.
        let (status, refused) = put(&app, &url, &admin, json!({"slug": "new", "email": "nope", "phone": "12"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<&String> = refused["error"]["fields"].as_object().unwrap().keys().collect();
        assert_eq!(fields, ["email", "phone", "slug"]);
        let (status, taken) = put(&app, &url, &admin, json!({"name": "SPA Business"})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{taken}");
        assert!(taken["error"]["fields"]["name"].is_string());
        let (_, after) = get(&app, &url, &admin).await;
        assert_eq!((after["slug"].as_str(), after["name"].as_str()), (Some("salon"), Some("salon business")));
    }
}

oikos::on_both_backends! { with_root,
    async fn resolution_needs_a_tenant_and_refuses_inactive_ones(app: TestApp) {
        let salon = TestTenant::new("salon").create(&app.ctx.db).await;
        let id = salon.tenant.id.to_string();
        let path = format!("/api/v1/tenants/{id}");
        // A token for no workspace, on the main site, names no tenant.
        let loose = crate::helpers::access_token_for(&app, &salon.admin).await;
        let (status, answer) = get(&app, &app.url(&path), &loose).await;
        assert_eq!((status, answer["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("tenant_required")));
        // The subdomain or the header names it.
        assert_eq!(get(&app, &app.tenant_url("salon", &path), &loose).await.0, StatusCode::OK);
        let by_header = app.client.get(app.url(&path)).bearer_auth(&loose).header("x-tenant-slug", "Salon").send().await.unwrap();
        assert_eq!(by_header.status(), StatusCode::OK);

        oikos::testing::fixtures::deactivate(&app.ctx.db, salon.tenant.id).await;
        let (status, answer) = get(&app, &app.tenant_url("salon", &path), &loose).await;
        assert_eq!((status, answer["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("tenant_inactive")));

        // A super admin reaches any tenant, active or not, through the admin scope.
        let login = json!({"email": "root@oikos.test", "password": PASSWORD});
        let tokens: Value = app.post_json("/api/v1/auth/login", &login).await.json().await.unwrap();
        let root = tokens["access_token"].as_str().unwrap();
        let (status, seen) = get(&app, &app.url(&path), root).await;
        assert_eq!((status, seen["status"].as_str()), (StatusCode::OK, Some("inactive")));
    }
}
