//! The partner provisioning API (PRODUCT.md §9, the AlgaPSA seed) over HTTP on both
//! databases: keys made, shown once, listed and revoked by super admins; every status the
//! seed lists; bulk creates that stand alone; `Idempotency-Key` retries, also at once, bound
//! to their route; a key reaching only the tenants it created, unless it has `tenant:all`.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::TestApp;
use crate::tenants::{root_token, with_root};

const ALL: [&str; 4] = [
    "tenant:create",
    "tenant:read",
    "tenant:update",
    "tenant:delete",
];

/// A key with `scopes`, made by the super admin: the key itself.
async fn new_key(app: &TestApp, root: &str, scopes: &[&str]) -> String {
    let body = json!({"name": "Partner CRM", "scopes": scopes});
    let (status, made) = app
        .call_url("POST", &app.url("/api/v1/admin/api-keys"), root, Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{made}");
    made["key"].as_str().unwrap().to_owned()
}

/// A provisioning call with `key` (none: no `Authorization`) and maybe an `Idempotency-Key`.
async fn partner(
    app: &TestApp,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<&Value>,
    idempotency: Option<&str>,
) -> (StatusCode, Value) {
    let mut request = app.client.request(method.parse().unwrap(), app.url(path));
    if let Some(key) = key {
        request = request.bearer_auth(key);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    if let Some(idempotency) = idempotency {
        request = request.header("idempotency-key", idempotency);
    }
    let answer = request.send().await.unwrap();
    let status = answer.status();
    (status, answer.json().await.unwrap_or(Value::Null))
}

fn example(n: usize) -> Value {
    json!({"client_name": format!("Example Corp {n}"), "email": format!("admin{n}@example.com"),
           "phone_number": format!("+1415555{n:04}"), "industry": "Technology"})
}

oikos::on_both_backends! { with_root,
    async fn super_admins_make_list_and_revoke_scoped_keys(app: TestApp) {
        let root = root_token(&app).await;
        let url = app.url("/api/v1/admin/api-keys");
        let salon = oikos::testing::TestTenant::new("salon").create(&app.ctx.db).await;
        let admin = crate::helpers::access_token_in(&app, &salon.admin, salon.tenant.id, oikos::tenancy::Role::TenantAdmin);
        assert_eq!(app.call_url("POST", &url, &admin, Some(json!({"name": "x", "scopes": ALL}))).await.0, StatusCode::NOT_FOUND);
        for (body, field) in [
            (json!({"name": "x", "scopes": []}), "scopes"),
            (json!({"name": "x", "scopes": ["tenant:own"]}), "scopes"),
            (json!({"name": "", "scopes": ALL}), "name"),
            (json!({"name": "x", "scopes": ALL, "expires_at": "2020-01-01T00:00:00Z"}), "expires_at"),
        ] {
            let (status, refused) = app.call_url("POST", &url, &root, Some(body)).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
            assert!(refused["error"]["fields"][field].is_string(), "{refused}");
        }
        let key = new_key(&app, &root, &ALL).await;
        assert!(key.starts_with("oik_") && key.len() > 40, "{key}");
        let (_, listed) = app.call_url("GET", &url, &root, None).await;
        let listed = listed.as_array().unwrap().clone();
        assert_eq!(listed.len(), 1);
        assert!(listed[0].get("key").is_none(), "the key is shown once: {listed:?}");
        assert_eq!(listed[0]["prefix"].as_str(), Some(&key[..10]));
        assert_eq!(listed[0]["scopes"], json!(ALL));
        assert!(listed[0]["last_used_at"].is_null());
        // Used: its last use shows; revoked: refused at once.
        let unknown = format!("/api/provisioning/tenants/{}", oikos::tenancy::TenantId::new());
        assert_eq!(partner(&app, "GET", &unknown, Some(&key), None, None).await.0, StatusCode::NOT_FOUND);
        let (_, listed) = app.call_url("GET", &url, &root, None).await;
        assert!(listed[0]["last_used_at"].is_string(), "{listed}");
        let id = listed[0]["id"].as_str().unwrap();
        assert_eq!(app.call_url("DELETE", &format!("{url}/{id}"), &root, None).await.0, StatusCode::NO_CONTENT);
        assert_eq!(partner(&app, "GET", &unknown, Some(&key), None, None).await.0, StatusCode::UNAUTHORIZED);
        let (_, listed) = app.call_url("GET", &url, &root, None).await;
        assert!(listed[0]["revoked_at"].is_string(), "{listed}");
        assert_eq!(app.call_url("DELETE", &format!("{url}/{}", oikos::tenancy::TenantId::new()), &root, None).await.0, StatusCode::NOT_FOUND);
    }
}

oikos::on_both_backends! { with_root,
    async fn partners_provision_tenants_with_every_answer_the_seed_lists(app: TestApp) {
        let root = root_token(&app).await;
        let full = new_key(&app, &root, &ALL).await;
        // It created nothing, so it reads through `tenant:all`.
        let reader = new_key(&app, &root, &["tenant:read", "tenant:all"]).await;
        let path = "/api/provisioning/tenants";

        // 201 with the seed's answer; the client's admin is invited at the given address.
        let (status, made) = partner(&app, "POST", path, Some(&full), Some(&example(1)), None).await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        assert_eq!((made["client_name"].as_str(), made["email"].as_str()), (Some("Example Corp 1"), Some("admin1@example.com")));
        assert_eq!((made["phone_number"].as_str(), made["industry"].as_str()), (Some("+14155550001"), Some("Technology")));
        assert!(made["created_at"].is_string() && made["updated_at"].is_string());
        let id = made["tenant"].as_str().unwrap().to_owned();
        assert_eq!(app.count_rows("invitations").await, 1);

        // 400 with the fields; 401 without a key, with a wrong one, or with a user's token.
        let (status, refused) = partner(&app, "POST", path, Some(&full), Some(&json!({})), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{refused}");
        assert!(refused["error"]["fields"]["client_name"].is_string() && refused["error"]["fields"]["email"].is_string(), "{refused}");
        let bad_email = json!({"client_name": "Other", "email": "nope"});
        let (status, refused) = partner(&app, "POST", path, Some(&full), Some(&bad_email), None).await;
        assert_eq!((status, refused["error"]["fields"]["email"].is_string()), (StatusCode::BAD_REQUEST, true), "{refused}");
        assert_eq!(partner(&app, "POST", path, Some(&full), Some(&json!([1])), None).await.0, StatusCode::BAD_REQUEST);
        for key in [None, Some("oik_not-a-key"), Some(root.as_str())] {
            assert_eq!(partner(&app, "POST", path, key, Some(&example(2)), None).await.0, StatusCode::UNAUTHORIZED, "{key:?}");
        }
        // 403 without the scope; 409 for what exists, named as the seed names it.
        assert_eq!(partner(&app, "POST", path, Some(&reader), Some(&example(2)), None).await.0, StatusCode::FORBIDDEN);
        let mut twin = example(3);
        twin["client_name"] = json!("example corp 1");
        let (status, refused) = partner(&app, "POST", path, Some(&full), Some(&twin), None).await;
        assert_eq!((status, refused["error"]["fields"]["client_name"].is_string()), (StatusCode::CONFLICT, true), "{refused}");
        let mut twin = example(3);
        twin["email"] = json!("ADMIN1@example.com");
        let (status, refused) = partner(&app, "POST", path, Some(&full), Some(&twin), None).await;
        assert_eq!((status, refused["error"]["fields"]["email"].is_string()), (StatusCode::CONFLICT, true), "{refused}");
        assert_eq!(app.count_rows("tenants").await, 1);

        // Read, change, deactivate, each with its scope.
        let one = format!("{path}/{id}");
        let (status, seen) = partner(&app, "GET", &one, Some(&reader), None, None).await;
        assert_eq!((status, &seen["client_name"], &seen["status"]), (StatusCode::OK, &json!("Example Corp 1"), &json!("active")));
        assert_eq!(partner(&app, "GET", &format!("{path}/{}", oikos::tenancy::TenantId::new()), Some(&reader), None, None).await.0, StatusCode::NOT_FOUND);
        assert_eq!(partner(&app, "GET", &format!("{path}/not-an-id"), Some(&reader), None, None).await.0, StatusCode::NOT_FOUND);
        let retail = json!({"industry": "Retail"});
        assert_eq!(partner(&app, "PATCH", &one, Some(&reader), Some(&retail), None).await.0, StatusCode::FORBIDDEN);
        let (status, changed) = partner(&app, "PATCH", &one, Some(&full), Some(&retail), None).await;
        assert_eq!((status, &changed["industry"], &changed["client_name"]), (StatusCode::OK, &json!("Retail"), &json!("Example Corp 1")), "{changed}");
        let (status, _) = partner(&app, "PATCH", &one, Some(&full), Some(&json!({"email": "nope"})), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(partner(&app, "DELETE", &one, Some(&reader), None, None).await.0, StatusCode::FORBIDDEN);
        assert_eq!(partner(&app, "DELETE", &one, Some(&full), None, None).await.0, StatusCode::NO_CONTENT);
        assert_eq!(partner(&app, "GET", &one, Some(&full), None, None).await.1["status"], "inactive");
    }
}

oikos::on_both_backends! { with_root,
    async fn bulk_creates_stand_alone_and_retries_with_a_key_create_once(app: TestApp) {
        let root = root_token(&app).await;
        let key = new_key(&app, &root, &["tenant:create"]).await;
        let bulk = json!({"tenants": [example(1), {"client_name": "", "email": "x"}, example(2)]});
        let (status, answer) = partner(&app, "POST", "/api/provisioning/tenants/bulk", Some(&key), Some(&bulk), None).await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        let results = answer["results"].as_array().unwrap();
        let statuses: Vec<_> = results.iter().map(|r| r["status"].as_u64().unwrap()).collect();
        assert_eq!(statuses, [201, 400, 201]);
        assert_eq!(results[0]["tenant"]["client_name"], "Example Corp 1");
        assert!(results[1]["error"]["fields"]["client_name"].is_string(), "{answer}");
        assert_eq!(app.count_rows("tenants").await, 2);

        // The same request with the same key, again and five more at once: one tenant.
        let path = "/api/provisioning/tenants";
        let first = partner(&app, "POST", path, Some(&key), Some(&example(3)), Some("retry-3")).await;
        assert_eq!(first.0, StatusCode::CREATED);
        let again = partner(&app, "POST", path, Some(&key), Some(&example(3)), Some("retry-3")).await;
        assert_eq!(again, first);
        let body = example(4);
        let racing = futures::future::join_all((0..5).map(|_| partner(&app, "POST", path, Some(&key), Some(&body), Some("retry-4")))).await;
        let created: Vec<_> = racing.iter().filter(|(status, _)| *status == StatusCode::CREATED).collect();
        assert!(!created.is_empty() && created.iter().all(|answer| answer.1 == created[0].1), "{racing:?}");
        assert!(racing.iter().all(|(status, body)| *status == StatusCode::CREATED || body["error"]["code"] == "idempotency_key_in_use"), "{racing:?}");
        assert_eq!(app.count_rows("tenants").await, 4);
        // The key with another body is refused.
        let (status, refused) = partner(&app, "POST", path, Some(&key), Some(&example(5)), Some("retry-3")).await;
        assert_eq!((status, refused["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("idempotency_key_reused")));
        assert_eq!(app.count_rows("tenants").await, 4);
    }
}

oikos::on_both_backends! { with_root,
    async fn an_idempotency_key_is_bound_to_the_route_it_was_used_on(app: TestApp) {
        let root = root_token(&app).await;
        let key = new_key(&app, &root, &["tenant:create"]).await;
        let (single, bulk) = ("/api/provisioning/tenants", "/api/provisioning/tenants/bulk");

        // Used on the single create, the key is refused on bulk, even with the identical body;
        // on its own route it still replays.
        let body = example(1);
        let first = partner(&app, "POST", single, Some(&key), Some(&body), Some("route-1")).await;
        assert_eq!(first.0, StatusCode::CREATED, "{}", first.1);
        let (status, refused) = partner(&app, "POST", bulk, Some(&key), Some(&body), Some("route-1")).await;
        assert_eq!((status, refused["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("idempotency_key_reused")), "{refused}");
        assert_eq!(partner(&app, "POST", single, Some(&key), Some(&body), Some("route-1")).await, first);
        assert_eq!(app.count_rows("tenants").await, 1);

        // And the other way round.
        let body = json!({"tenants": [example(2)]});
        let first = partner(&app, "POST", bulk, Some(&key), Some(&body), Some("route-2")).await;
        assert_eq!((first.0, &first.1["results"][0]["status"]), (StatusCode::OK, &json!(201)), "{}", first.1);
        let (status, refused) = partner(&app, "POST", single, Some(&key), Some(&body), Some("route-2")).await;
        assert_eq!((status, refused["error"]["code"].as_str()), (StatusCode::BAD_REQUEST, Some("idempotency_key_reused")), "{refused}");
        assert_eq!(partner(&app, "POST", bulk, Some(&key), Some(&body), Some("route-2")).await, first);
        assert_eq!(app.count_rows("tenants").await, 2);
    }
}

oikos::on_both_backends! { with_root,
    async fn keys_reach_only_the_tenants_they_created_unless_they_have_tenant_all(app: TestApp) {
        let root = root_token(&app).await;
        let own = new_key(&app, &root, &ALL).await;
        let other = new_key(&app, &root, &ALL).await;
        let mut everywhere = ALL.to_vec();
        everywhere.push("tenant:all");
        let every = new_key(&app, &root, &everywhere).await;
        let (_, listed) = app.call_url("GET", &app.url("/api/v1/admin/api-keys"), &root, None).await;
        assert!(listed.as_array().unwrap().iter().any(|key| key["scopes"] == json!(everywhere)), "{listed}");
        let path = "/api/provisioning/tenants";

        // T1 and T3 made with the key `own` (at once and in bulk); T2 by the super admin.
        let (status, made) = partner(&app, "POST", path, Some(&own), Some(&example(1)), None).await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        let t1 = format!("{path}/{}", made["tenant"].as_str().unwrap());
        let bulk = json!({"tenants": [example(2)]});
        let (status, made) = partner(&app, "POST", &format!("{path}/bulk"), Some(&own), Some(&bulk), None).await;
        assert_eq!(status, StatusCode::OK, "{made}");
        let t3 = format!("{path}/{}", made["results"][0]["tenant"]["tenant"].as_str().unwrap());
        let body = json!({"name": "Glamour Beauty Spa", "email": "admin@glamourspa.com",
                          "admin_email": "owner@glamourspa.com", "admin_password": "SecurePass123!",
                          "admin_first_name": "Maria", "admin_last_name": "Santos"});
        let (status, made) = app.call_url("POST", &app.url("/api/v1/tenants"), &root, Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{made}");
        let t2 = format!("{path}/{}", made["id"].as_str().unwrap());
        assert_eq!(app.count_rows("tenants").await, 3);

        // Another's tenant answers every route as an unknown id does, and nothing changes.
        let unknown = format!("{path}/{}", oikos::tenancy::TenantId::new());
        let (status, not_found) = partner(&app, "GET", &unknown, Some(&own), None, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let mut before = Vec::new();
        for tenant in [&t1, &t2, &t3] {
            before.push(partner(&app, "GET", tenant, Some(&every), None, None).await);
        }
        assert!(before.iter().all(|(status, seen)| *status == StatusCode::OK && seen["status"] == "active"), "{before:?}");
        let retail = json!({"industry": "Retail"});
        for (key, tenant) in [(&own, &t2), (&other, &t1), (&other, &t3)] {
            for (method, body) in [("GET", None), ("PATCH", Some(&retail)), ("DELETE", None)] {
                let refused = partner(&app, method, tenant, Some(key), body, None).await;
                assert_eq!(refused, (StatusCode::NOT_FOUND, not_found.clone()), "{method} {tenant}");
            }
        }
        for (tenant, before) in [&t1, &t2, &t3].into_iter().zip(&before) {
            assert_eq!(&partner(&app, "GET", tenant, Some(&every), None, None).await, before, "{tenant}");
        }

        // Its own tenants: the key reads, changes and deactivates them.
        assert_eq!(partner(&app, "GET", &t1, Some(&own), None, None).await, before[0]);
        let (status, changed) = partner(&app, "PATCH", &t1, Some(&own), Some(&retail), None).await;
        assert_eq!((status, &changed["industry"], &changed["client_name"]), (StatusCode::OK, &json!("Retail"), &json!("Example Corp 1")), "{changed}");
        assert_eq!(partner(&app, "DELETE", &t3, Some(&own), None, None).await.0, StatusCode::NO_CONTENT);
        assert_eq!(partner(&app, "GET", &t3, Some(&own), None, None).await.1["status"], "inactive");

        // `tenant:all` reaches the super admin's tenant too.
        let (status, changed) = partner(&app, "PATCH", &t2, Some(&every), Some(&retail), None).await;
        assert_eq!((status, &changed["industry"], &changed["client_name"]), (StatusCode::OK, &json!("Retail"), &json!("Glamour Beauty Spa")), "{changed}");
        assert_eq!(partner(&app, "DELETE", &t2, Some(&every), None, None).await.0, StatusCode::NO_CONTENT);
        assert_eq!(partner(&app, "GET", &t2, Some(&every), None, None).await.1["status"], "inactive");
        assert_eq!(app.count_rows("tenants").await, 3);
    }
}
