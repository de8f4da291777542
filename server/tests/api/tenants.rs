//! `/api/v1/tenants/{tenant_id}` over HTTP: details for members, a partial update for the
//! tenant admin, any tenant for a super admin, and the resolution answers of PRODUCT.md §3.

use oikos::tenancy::Role;
use oikos::testing::TestTenant;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{access_token_in, spawn_app_with, TestApp};
use crate::identity::PASSWORD;

/// The first super admin's settings: `root@oikos.test` with the tests' password.
pub const ROOT: [(&str, &str); 2] = [
    ("FIRST_SUPERUSER_EMAIL", "root@oikos.test"),
    ("FIRST_SUPERUSER_PASSWORD", PASSWORD),
];

pub async fn with_root(backend: oikos::db::Backend) -> TestApp {
    spawn_app_with(backend, &ROOT).await
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

pub async fn root_token(app: &TestApp) -> String {
    let login = json!({"email": "root@oikos.test", "password": PASSWORD});
    let tokens: Value = app
        .post_json("/api/v1/auth/login", &login)
        .await
        .json()
        .await
        .unwrap();
    tokens["access_token"].as_str().unwrap().to_owned()
}

oikos::on_both_backends! { with_root,
    async fn super_admins_create_list_deactivate_and_reactivate_tenants(app: TestApp) {
        let root = root_token(&app).await;
        TestTenant::new("salon").create(&app.ctx.db).await;
        // The Reserva guide's admin-created tenant, as is.
        let body = json!({
            "name": "Glamour Beauty Spa", "slug": "glamour-spa", "email": "admin@glamourspa.com",
            "phone": "+639171234567", "description": "Premium beauty and wellness services",
            "website": "https://glamourspa.com", "admin_email": "owner@glamourspa.com",
            "admin_password": "SecurePass123!", "admin_first_name": "Maria", "admin_last_name": "Santos",
            "settings": {"timezone": "Asia/Manila", "currency": "PHP"}
        });
        let created = app.client.post(app.url("/api/v1/tenants")).bearer_auth(&root).json(&body).send().await.unwrap();
        assert_eq!(created.status(), StatusCode::CREATED);
        let created: Value = created.json().await.unwrap();
        assert_eq!(created["slug"], "glamour-spa");
        let id = created["id"].as_str().unwrap().to_owned();
        let owner = json!({"email": "owner@glamourspa.com", "password": "SecurePass123!"});
        let signed_in: Value = app.post_json("/api/v1/auth/login", &owner).await.json().await.unwrap();
        assert_eq!(signed_in["role"], "TENANT_ADMIN");

        // Newest first, paged, with the total; searched and filtered.
        let list = |query: &'static str| {
            let (app, root) = (&app, root.clone());
            async move {
                let response = app.client.get(app.url(&format!("/api/v1/tenants{query}"))).bearer_auth(&root).send().await.unwrap();
                let status = response.status();
                let total = response.headers().get("x-total-count").map(|v| v.to_str().unwrap().to_owned());
                (status, total, response.json::<Value>().await.unwrap())
            }
        };
        let (_, total, page) = list("?limit=1").await;
        assert_eq!((total.as_deref(), page.as_array().unwrap().len()), (Some("2"), 1));
        assert_eq!(page[0]["slug"], "glamour-spa");
        let (_, total, found) = list("?q=GLAMOUR").await;
        assert_eq!((total.as_deref(), found[0]["slug"].as_str()), (Some("1"), Some("glamour-spa")));
        assert_eq!(list("?status=inactive").await.1.as_deref(), Some("0"));
        assert_eq!(list("?limit=501").await.0, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(list("?status=gone").await.0, StatusCode::UNPROCESSABLE_ENTITY);

        // Deactivated: 204, not public, its members refused; reversible.
        let tenant_url = app.url(&format!("/api/v1/tenants/{id}"));
        let gone = app.client.delete(&tenant_url).bearer_auth(&root).send().await.unwrap();
        assert_eq!(gone.status(), StatusCode::NO_CONTENT);
        assert_eq!(app.get("/api/v1/public/tenants/glamour-spa").await.status(), StatusCode::NOT_FOUND);
        let member = signed_in["access_token"].as_str().unwrap();
        let (status, answer) = get(&app, &tenant_url, member).await;
        assert_eq!((status, answer["error"]["code"].as_str()), (StatusCode::FORBIDDEN, Some("tenant_inactive")));
        assert_eq!(list("?status=inactive").await.1.as_deref(), Some("1"));
        let back = app.client.post(app.url(&format!("/api/v1/tenants/{id}/reactivate"))).bearer_auth(&root).send().await.unwrap();
        assert_eq!(back.status(), StatusCode::OK);
        assert_eq!(back.json::<Value>().await.unwrap()["is_active"], true);
        assert_eq!(app.get("/api/v1/public/tenants/glamour-spa").await.status(), StatusCode::OK);
        assert_eq!(get(&app, &tenant_url, member).await.0, StatusCode::OK);
    }
}

oikos::on_both_backends! { with_root,
    async fn settings_have_defaults_change_partially_and_feed_the_templates(app: TestApp) {
        let salon = TestTenant::new("salon").with_member(Role::Staff).create(&app.ctx.db).await;
        let id = salon.tenant.id.to_string();
        let url = app.tenant_url("salon", &format!("/api/v1/tenants/{id}"));
        let admin = access_token_in(&app, &salon.admin, salon.tenant.id, Role::TenantAdmin);
        let staff = access_token_in(&app, &salon.members[0].0, salon.tenant.id, Role::Staff);
        let positions = app.tenant_url("salon", "/api/v1/staff/positions/templates");

        // The Reserva guide's defaults until changed.
        let (_, tenant) = get(&app, &url, &staff).await;
        assert_eq!(tenant["settings"]["booking_advance_days"], 30);
        assert_eq!(tenant["settings"]["staff_position_templates"][0], "Service Provider");
        assert_eq!(get(&app, &positions, &staff).await.1["templates"].as_array().unwrap().len(), 7);

        // One invalid setting refuses the whole update: nothing is written.
        let mixed = json!({"name": "Salon Renamed", "settings": {"timezone": "Mars/Olympus", "currency": "php"}});
        let (status, refused) = put(&app, &url, &admin, mixed).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused["error"]["fields"]["settings.timezone"].is_string(), "{refused}");
        assert_eq!(get(&app, &url, &staff).await.1["name"], "salon business");

        let change = json!({"settings": {"timezone": "Asia/Manila", "currency": "php",
                                         "staff_position_templates": ["Junior Stylist", "Colorist"]}});
        let (status, changed) = put(&app, &url, &admin, change).await;
        assert_eq!(status, StatusCode::OK, "{changed}");
        assert_eq!((changed["settings"]["timezone"].as_str(), changed["settings"]["currency"].as_str()), (Some("Asia/Manila"), Some("PHP")));
        assert_eq!(changed["settings"]["cancellation_hours"], 24, "untouched settings stay");
        let (status, listed) = get(&app, &positions, &staff).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(listed["templates"], json!(["Junior Stylist", "Colorist"]));
        let categories = app.tenant_url("salon", "/api/v1/services/categories/templates");
        assert_eq!(get(&app, &categories, &staff).await.1["templates"][0], "hair_cut");
    }
}

oikos::on_both_backends! { with_root,
    async fn stats_and_export_count_and_carry_what_the_tenant_owns(app: TestApp) {
        let salon = TestTenant::new("salon").with_member(Role::Staff).with_member(Role::Receptionist)
            .create(&app.ctx.db).await;
        TestTenant::new("spa").create(&app.ctx.db).await;
        let id = salon.tenant.id.to_string();
        let admin = access_token_in(&app, &salon.admin, salon.tenant.id, Role::TenantAdmin);
        let staff = access_token_in(&app, &salon.members[0].0, salon.tenant.id, Role::Staff);
        // The FREE plan allows one outlet: an inactive one.
        let body = json!({"name": "Main", "is_active": false});
        app.portal_call("salon", "POST", "/api/v1/outlets", &admin, Some(body)).await;
        let service = json!({"name": "Cut", "price_cents": 1500, "duration_minutes": 30});
        app.portal_call("salon", "POST", "/api/v1/services", &admin, Some(service)).await;

        let stats_path = format!("/api/v1/tenants/{id}/stats");
        let (status, stats) = get(&app, &app.tenant_url("salon", &stats_path), &admin).await;
        assert_eq!(status, StatusCode::OK, "{stats}");
        assert_eq!(stats["outlets"], json!({"total": 1, "active": 0, "inactive": 1}));
        assert_eq!(stats["users"]["total"], 3);
        assert_eq!(stats["users"]["by_role"], json!({"outlet_manager": 0, "receptionist": 1, "staff": 1, "tenant_admin": 1}));
        assert_eq!(stats["services"]["active"], 1);
        assert_eq!(stats["subscription"]["plan"], "FREE");
        assert_eq!(stats["appointments"]["this_month_by_status"]["no_show"], 0);
        assert_eq!(stats["tenant_info"]["slug"], "salon");
        let (status, _) = get(&app, &app.tenant_url("salon", &stats_path), &staff).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "statistics are for admins");
        let root = root_token(&app).await;
        let (status, seen) = get(&app, &app.url(&stats_path), &root).await;
        assert_eq!((status, &seen["outlets"]["total"]), (StatusCode::OK, &json!(1)), "a super admin sees any tenant's");

        let export = app.client.get(app.tenant_url("salon", &format!("/api/v1/tenants/{id}/export")))
            .bearer_auth(&admin).send().await.unwrap();
        assert_eq!(export.status(), StatusCode::OK);
        let disposition = export.headers()["content-disposition"].to_str().unwrap().to_owned();
        assert!(disposition.starts_with("attachment; filename=\"oikos-salon-"), "{disposition}");
        let document: Value = export.json().await.unwrap();
        assert_eq!(document["format"], "oikos.tenant-export.v1");
        assert_eq!(document["tenant"]["id"], id.as_str());
        assert_eq!(document["members"].as_array().unwrap().len(), 3);
        assert_eq!(document["outlets"][0]["name"], "Main");
        assert_eq!(document["services"][0]["name"], "Cut");
        assert_eq!(document["settings"]["timezone"], "UTC");
        assert_eq!(document["branding"]["primary_color"], "#4f46e5");
        assert_eq!(document["branding"]["logo"], Value::Null);
        let text = document.to_string();
        assert!(!text.contains("argon2") && !text.contains("spa business"), "no secrets, no other tenant");
    }
}

oikos::on_both_backends! { with_root,
    async fn the_owner_deletes_with_the_typed_address_and_may_restore(app: TestApp) {
        let salon = TestTenant::new("salon").with_member(Role::Staff).create(&app.ctx.db).await;
        let id = salon.tenant.id.to_string();
        let admin = access_token_in(&app, &salon.admin, salon.tenant.id, Role::TenantAdmin);
        let staff = access_token_in(&app, &salon.members[0].0, salon.tenant.id, Role::Staff);
        let path = format!("/api/v1/tenants/{id}/deletion");
        let (status, _) = app.portal_call("salon", "POST", &path, &staff, Some(json!({"confirm": "salon"}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, refused) = app.portal_call("salon", "POST", &path, &admin, Some(json!({"confirm": "salo"}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused["error"]["fields"]["confirm"], "Type salon to confirm.");
        let (status, scheduled) = app.portal_call("salon", "POST", &path, &admin, Some(json!({"confirm": "salon"}))).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{scheduled}");
        let erase_after = chrono::DateTime::parse_from_rfc3339(scheduled["erase_after"].as_str().unwrap()).unwrap();
        let days = (erase_after.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_days();
        assert_eq!(days, 29, "30 days from now, less the seconds the test took");
        // Still usable during the grace period, and restorable.
        let (status, shown) = get(&app, &app.tenant_url("salon", &format!("/api/v1/tenants/{id}")), &staff).await;
        assert_eq!((status, &shown["erase_after"]), (StatusCode::OK, &scheduled["erase_after"]));
        let (status, restored) = app.portal_call("salon", "DELETE", &path, &admin, None).await;
        assert_eq!((status, &restored["erase_after"]), (StatusCode::OK, &Value::Null));
    }
}

oikos::on_both_backends! { with_root,
    async fn with_billing_off_super_admins_assign_plans_that_the_workspace_fits(app: TestApp) {
        let root = root_token(&app).await;
        let salon = TestTenant::new("salon").create(&app.ctx.db).await;
        let admin = access_token_in(&app, &salon.admin, salon.tenant.id, Role::TenantAdmin);
        let assign = |tenant: String, body: Value| {
            let (app, root) = (&app, &root);
            async move {
                let url = app.url(&format!("/api/v1/tenants/{tenant}/subscription"));
                put(app, &url, root, body).await
            }
        };
        let id = salon.tenant.id.to_string();
        let (status, pro) = assign(id.clone(), json!({"plan": "pro", "billing_cycle": "annual"})).await;
        assert_eq!(status, StatusCode::OK, "{pro}");
        assert_eq!((pro["plan"].as_str(), pro["billing_cycle"].as_str(), pro["status"].as_str()), (Some("PRO"), Some("annual"), Some("active")));
        let (_, seen) = app.call("GET", "/api/v1/subscriptions/current", &admin, None).await;
        assert_eq!(seen["plan"], "PRO");
        // Two outlets fit Pro, not Free: the refusal says what to remove.
        for name in ["North", "South"] {
            let (status, _) = app.call("POST", "/api/v1/outlets", &admin, Some(json!({"name": name}))).await;
            assert_eq!(status, StatusCode::CREATED);
        }
        let (status, refused) = assign(id.clone(), json!({"plan": "FREE"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert!(refused["error"]["fields"]["outlets"].as_str().unwrap().contains("remove 1"), "{refused}");
        let (status, _) = assign(id.clone(), json!({"plan": "GOLD"})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, _) = assign(oikos::tenancy::TenantId::new().to_string(), json!({"plan": "PRO"})).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // A tenant admin cannot assign plans, not even their own.
        let url = app.url(&format!("/api/v1/tenants/{id}/subscription"));
        assert_eq!(put(&app, &url, &admin, json!({"plan": "ENTERPRISE"})).await.0, StatusCode::NOT_FOUND);
        assert_eq!(app.call("GET", "/api/v1/subscriptions/current", &admin, None).await.1["plan"], "PRO");
    }
}

oikos::on_both_backends! { with_root,
    async fn super_admins_order_the_tenant_list(app: TestApp) {
        let root = root_token(&app).await;
        for slug in ["beta", "alpha", "gamma"] {
            TestTenant::new(slug).create(&app.ctx.db).await;
        }
        let slugs = |body: Value| -> Vec<String> {
            body.as_array().unwrap().iter().map(|t| t["slug"].as_str().unwrap().to_owned()).collect()
        };
        let (_, newest) = app.call("GET", "/api/v1/tenants", &root, None).await;
        assert_eq!(slugs(newest), ["gamma", "alpha", "beta"]);
        let (_, oldest) = app.call("GET", "/api/v1/tenants?sort=oldest", &root, None).await;
        assert_eq!(slugs(oldest), ["beta", "alpha", "gamma"]);
        let (_, by_name) = app.call("GET", "/api/v1/tenants?sort=name&limit=2", &root, None).await;
        assert_eq!(slugs(by_name), ["alpha", "beta"]);
        let (status, refused) = app.call("GET", "/api/v1/tenants?sort=size", &root, None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused["error"]["fields"]["sort"], "Use newest, oldest or name.");
    }
}
