//! `/api/v1/outlets` over HTTP: create with hours, read, change, delete; the checks on hours;
//! roles; and the plan's outlet limit, also under concurrent creates.

use oikos::tenancy::Role;
use oikos::testing::TestTenant;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::app_test;
use crate::helpers::{access_token_in, TestApp};

async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    app.portal_call("salon", method, path, token, body).await
}

app_test! {
    async fn outlets_are_created_with_hours_read_changed_and_deleted(app: TestApp) {
        let salon = TestTenant::new("salon").with_member(Role::Staff).create(&app.ctx.db).await;
        let admin = access_token_in(&app, &salon.admin, salon.tenant.id, Role::TenantAdmin);
        let staff = access_token_in(&app, &salon.members[0].0, salon.tenant.id, Role::Staff);

        // Every wrong field at once, named down to the range.
        let bad = json!({"timezone": "Mars/Olympus", "hours": {
            "monday": [{"open": "09:00", "close": "13:00"}, {"open": "12:00", "close": "18:00"}],
            "tuesday": [{"open": "18:00", "close": "09:00"}]}, "name": "Main Street"});
        let (status, refused) = call(&app, "POST", "/api/v1/outlets", &admin, Some(bad)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<&String> = refused["error"]["fields"].as_object().unwrap().keys().collect();
        assert_eq!(fields, ["hours.monday[1].open", "hours.tuesday[0].close", "timezone"]);
        let (status, _) = call(&app, "POST", "/api/v1/outlets", &admin, Some(json!({}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a name is required");

        let good = json!({"name": "Main Street", "address": "1 Main St", "city": "Springfield",
            "hours": {"monday": [{"open": "14:00", "close": "18:00"}, {"open": "09:00", "close": "12:00"}],
                      "sunday": []}});
        let (status, outlet) = call(&app, "POST", "/api/v1/outlets", &admin, Some(good)).await;
        assert_eq!(status, StatusCode::CREATED, "{outlet}");
        assert_eq!(outlet["timezone"], "UTC", "the tenant's time zone by default");
        assert_eq!(outlet["hours"]["monday"][0]["open"], "09:00", "ranges sorted");
        assert!(outlet["hours"].get("sunday").is_none(), "closed days dropped");
        let id = outlet["id"].as_str().unwrap();

        // Staff read, but do not manage.
        let (status, listed) = call(&app, "GET", "/api/v1/outlets", &staff, None).await;
        assert_eq!((status, listed.as_array().unwrap().len()), (StatusCode::OK, 1));
        let change = json!({"is_active": false, "city": ""});
        assert_eq!(call(&app, "PUT", &format!("/api/v1/outlets/{id}"), &staff, Some(change.clone())).await.0, StatusCode::FORBIDDEN);
        let (status, changed) = call(&app, "PUT", &format!("/api/v1/outlets/{id}"), &admin, Some(change)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!((changed["is_active"].as_bool(), changed["city"].is_null(), changed["address"].as_str()), (Some(false), true, Some("1 Main St")));
        let (_, stats) = call(&app, "GET", "/api/v1/outlets/stats", &staff, None).await;
        assert_eq!(stats, json!({"total": 1, "active": 0, "inactive": 1}));

        assert_eq!(call(&app, "DELETE", &format!("/api/v1/outlets/{id}"), &admin, None).await.0, StatusCode::NO_CONTENT);
        assert_eq!(call(&app, "GET", &format!("/api/v1/outlets/{id}"), &admin, None).await.0, StatusCode::NOT_FOUND);
        assert_eq!(call(&app, "GET", "/api/v1/outlets/not-an-id", &admin, None).await.0, StatusCode::NOT_FOUND);
    }
}

app_test! {
    async fn the_plans_outlet_limit_holds_also_for_simultaneous_creates(app: TestApp) {
        // FREE allows one outlet. Two creates at once: exactly one gets it.
        let salon = TestTenant::new("salon").create(&app.ctx.db).await;
        let admin = access_token_in(&app, &salon.admin, salon.tenant.id, Role::TenantAdmin);
        let mut creates = tokio::task::JoinSet::new();
        for n in 0..2 {
            let request = app.client.post(app.tenant_url("salon", "/api/v1/outlets"))
                .bearer_auth(&admin).json(&json!({"name": format!("Outlet {n}")}));
            creates.spawn(async move {
                let response = request.send().await.unwrap();
                let status = response.status();
                (status, response.json::<Value>().await.unwrap())
            });
        }
        let mut answers = creates.join_all().await;
        answers.sort_by_key(|(status, _)| *status);
        assert_eq!(answers[0].0, StatusCode::CREATED);
        assert_eq!(answers[1].0, StatusCode::FORBIDDEN);
        assert_eq!(answers[1].1["error"]["code"], "plan_limit_reached");
        assert_eq!(app.count_rows("outlets").await, 1);
    }
}
