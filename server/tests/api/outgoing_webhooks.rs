//! Outgoing webhooks over HTTP: super admins register endpoints; a receiver started here gets
//! each tenant lifecycle event once, signed with the endpoint's secret, and only the events it
//! asked for; private URLs are refused unless the operator allows them.

use oikos::tenancy::Role;
use oikos::testing::{Receiver, TestTenant};
use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::{json, Value};

use crate::helpers::{access_token_in, spawn_app_with, TestApp};
use crate::tenants::{root_token, with_root, ROOT};

async fn allowing_private(backend: oikos::db::Backend) -> TestApp {
    let vars = [ROOT[0], ROOT[1], ("OIKOS_WEBHOOKS_ALLOW_PRIVATE", "true")];
    spawn_app_with(backend, &vars).await
}

async fn register(app: &TestApp, token: &str, url: &str, events: &[&str]) -> (StatusCode, Value) {
    let body = json!({ "url": url, "events": events });
    app.call("POST", "/api/v1/admin/webhooks", token, Some(body))
        .await
}

const LIFECYCLE: [&str; 5] = [
    "tenant.created",
    "tenant.updated",
    "tenant.deactivated",
    "tenant.reactivated",
    "tenant.deleted",
];

oikos::on_both_backends! { allowing_private,
    async fn a_receiver_gets_each_lifecycle_event_once_signed(app: TestApp) {
        let root = root_token(&app).await;
        let (everything, url) = Receiver::start(0).await;
        let (status, endpoint) = register(&app, &root, &url, &LIFECYCLE).await;
        assert_eq!(status, StatusCode::CREATED, "{endpoint}");
        let secret = SecretString::from(endpoint["secret"].as_str().unwrap().to_owned());
        let (deactivations, url) = Receiver::start(0).await;
        let (status, _) = register(&app, &root, &url, &["tenant.deactivated"]).await;
        assert_eq!(status, StatusCode::CREATED);
        // Listed without their secrets.
        let (_, listed) = app.call("GET", "/api/v1/admin/webhooks", &root, None).await;
        assert_eq!(listed.as_array().unwrap().len(), 2);
        assert!(listed[1]["secret"].is_null() && listed[1]["events"] == json!(LIFECYCLE), "{listed}");

        let body = json!({
            "name": "Glamour Spa", "slug": "glamour-spa", "email": "admin@glamourspa.com",
            "admin_email": "owner@glamourspa.com", "admin_password": "SecurePass123!",
            "admin_first_name": "Maria", "admin_last_name": "Santos"
        });
        let (status, created) = app.call("POST", "/api/v1/tenants", &root, Some(body)).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let id = created["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/tenants/{id}");
        let (status, _) = app.call("PUT", &path, &root, Some(json!({"name": "Glamour Day Spa"}))).await;
        assert_eq!(status, StatusCode::OK);
        for _ in 0..2 {
            let (status, _) = app.call("DELETE", &path, &root, None).await;
            assert_eq!(status, StatusCode::NO_CONTENT);
        }
        let (status, _) = app.call("POST", &format!("{path}/reactivate"), &root, None).await;
        assert_eq!(status, StatusCode::OK);
        // The owner deletes the workspace; its data is erased when the grace period ends.
        let login = json!({"email": "owner@glamourspa.com", "password": "SecurePass123!"});
        let owner: Value = app.post_json("/api/v1/auth/login", &login).await.json().await.unwrap();
        let owner = owner["access_token"].as_str().unwrap();
        let deletion = format!("{path}/deletion");
        let (status, _) = app.portal_call("glamour-spa", "POST", &deletion, owner, Some(json!({"confirm": "glamour-spa"}))).await;
        assert_eq!(status, StatusCode::ACCEPTED);
        oikos::testing::fixtures::end_grace_period(&app.ctx.db, id.parse().unwrap()).await;
        let now = chrono::Utc::now();
        assert_eq!(oikos::tenants::erasure::erase_due(&app.ctx.db, now).await.unwrap(), 1);

        let seen = everything.wait_for(5).await;
        let mut events: Vec<Value> = seen.iter().map(|(_, body)| serde_json::from_str(body).unwrap()).collect();
        events.sort_by_key(|event| LIFECYCLE.iter().position(|t| event["type"] == *t));
        let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
        assert_eq!(types, LIFECYCLE, "each once, a repeated deactivation not again");
        let now = chrono::Utc::now().timestamp();
        for (headers, body) in &seen {
            oikos::signature::verify(&headers["oikos-signature"], body.as_bytes(), &secret, now).unwrap();
        }
        assert!(events.iter().all(|e| e["data"]["id"] == id.as_str()), "{events:?}");
        assert_eq!(events[0]["data"]["name"], "Glamour Spa");
        assert_eq!(events[1]["data"]["name"], "Glamour Day Spa");
        assert_eq!((&events[2]["data"]["status"], &events[3]["data"]["status"]), (&json!("inactive"), &json!("active")));
        assert_eq!(events[4]["data"]["slug"], "glamour-spa");
        let ids: std::collections::BTreeSet<&str> = events.iter().map(|e| e["id"].as_str().unwrap()).collect();
        assert_eq!(ids.len(), 5, "each event has its own id");

        let only = deactivations.wait_for(1).await;
        assert_eq!(only.len(), 1);
        assert!(only[0].1.contains("\"tenant.deactivated\""), "{}", only[0].1);
        // The log shows each delivery with its answer.
        let endpoint_id = endpoint["id"].as_str().unwrap();
        let (status, log) = app.call("GET", &format!("/api/v1/admin/webhooks/{endpoint_id}/deliveries"), &root, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(log.as_array().unwrap().len(), 5);
        assert!(log.as_array().unwrap().iter().all(|d| d["status"] == "delivered" && d["attempts"][0]["status_code"] == 200), "{log}");
    }
}

oikos::on_both_backends! { allowing_private,
    async fn a_test_event_reaches_the_endpoint_and_deleted_endpoints_get_nothing(app: TestApp) {
        let root = root_token(&app).await;
        let (receiver, url) = Receiver::start(0).await;
        let (_, endpoint) = register(&app, &root, &url, &["tenant.created"]).await;
        let path = format!("/api/v1/admin/webhooks/{}", endpoint["id"].as_str().unwrap());
        let (status, queued) = app.call("POST", &format!("{path}/test"), &root, None).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{queued}");
        let seen = receiver.wait_for(1).await;
        assert!(seen[0].1.contains("\"webhook.test\""), "{}", seen[0].1);

        let (status, _) = app.call("DELETE", &path, &root, None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, _) = app.call("DELETE", &path, &root, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        TestTenant::new("salon").create(&app.ctx.db).await;
        tokio::time::sleep(std::time::Duration::from_millis(1500)).await;
        assert_eq!(receiver.count(), 1, "nothing after the endpoint was deleted");
    }
}

oikos::on_both_backends! { with_root,
    async fn private_urls_are_refused_and_only_super_admins_register(app: TestApp) {
        let root = root_token(&app).await;
        for url in ["http://127.0.0.1:9000/hook", "http://localhost/hook", "http://169.254.169.254/", "http://[::1]/"] {
            let (status, refused) = register(&app, &root, url, &["tenant.created"]).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{url}: {refused}");
            assert!(refused["error"]["fields"]["url"].as_str().unwrap().contains("private"), "{refused}");
        }
        let (status, refused) = register(&app, &root, "https://hooks.example.com/oikos", &["tenant.renamed"]).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused["error"]["fields"]["events"].is_string(), "{refused}");
        let (status, created) = register(&app, &root, "https://hooks.example.com/oikos", &["tenant.created"]).await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        assert_eq!(created["url"], "https://hooks.example.com/oikos");

        let salon = TestTenant::new("salon").create(&app.ctx.db).await;
        let admin = access_token_in(&app, &salon.admin, salon.tenant.id, Role::TenantAdmin);
        let (status, _) = register(&app, &admin, "https://hooks.example.com/x", &["tenant.created"]).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, listed) = app.call("GET", "/api/v1/admin/webhooks", &root, None).await;
        assert_eq!(listed.as_array().unwrap().len(), 1);
    }
}
