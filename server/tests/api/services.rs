//! `/api/v1/services` over HTTP: the catalog's create, list (search, filters, paging and
//! `X-Total-Count`), read, partial update and delete; field errors; roles.

use oikos::tenancy::Role;
use oikos::testing::TestTenant;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::app_test;
use crate::helpers::{access_token_in, TestApp};

app_test! {
    async fn the_catalog_is_managed_over_rest(app: TestApp) {
        let salon = TestTenant::new("salon").with_member(Role::Receptionist).create(&app.ctx.db).await;
        let admin = access_token_in(&app, &salon.admin, salon.tenant.id, Role::TenantAdmin);
        let desk = access_token_in(&app, &salon.members[0].0, salon.tenant.id, Role::Receptionist);
        let call = |method: &'static str, path: String, token: String, body: Option<Value>| {
            let app = &app;
            async move { app.portal_call("salon", method, &path, &token, body).await }
        };
        let (_, outlet) = call("POST", "/api/v1/outlets".into(), admin.clone(), Some(json!({"name": "Main"}))).await;
        let outlet = outlet["id"].as_str().unwrap().to_owned();

        let (status, refused) = call("POST", "/api/v1/services".into(), admin.clone(),
            Some(json!({"name": " ", "price_cents": -5, "duration_minutes": 30}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
        assert_eq!(refused["error"]["fields"]["name"], "This field is required.");
        let (status, refused) = call("POST", "/api/v1/services".into(), admin.clone(),
            Some(json!({"name": "Cut", "price_cents": 1500, "duration_minutes": 30, "outlet_id": "nope"}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "an id that is no id: {refused}");

        for (name, category, at) in [("Haircut", "Hair", Some(&outlet)), ("Beard trim", "Hair", None), ("Pedicure", "Nails", None)] {
            let body = json!({"name": name, "category": category, "price_cents": 1500,
                              "duration_minutes": 30, "outlet_id": at});
            let (status, made) = call("POST", "/api/v1/services".into(), admin.clone(), Some(body)).await;
            assert_eq!(status, StatusCode::CREATED, "{made}");
        }
        let page = app.client.get(app.tenant_url("salon", "/api/v1/services?category=Hair&limit=1"))
            .bearer_auth(&desk).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        assert_eq!(page.headers()["x-total-count"], "2");
        let page: Value = page.json().await.unwrap();
        assert_eq!(page.as_array().unwrap().len(), 1);
        assert_eq!(page[0]["name"], "Beard trim");
        let (_, found) = call("GET", "/api/v1/services?q=CUT".into(), desk.clone(), None).await;
        assert_eq!(found[0]["outlet_id"], outlet.as_str());
        let (status, bad) = call("GET", "/api/v1/services?limit=999".into(), desk.clone(), None).await;
        assert_eq!((status, &bad["error"]["fields"]["limit"]), (StatusCode::UNPROCESSABLE_ENTITY, &json!("Use 1 to 200.")));

        let id = found[0]["id"].as_str().unwrap().to_owned();
        let path = format!("/api/v1/services/{id}");
        let (status, _) = call("PUT", path.clone(), desk.clone(), Some(json!({"price_cents": 1}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a receptionist reads the catalog only");
        let (status, changed) = call("PUT", path.clone(), admin.clone(), Some(json!({"duration_minutes": 45}))).await;
        assert_eq!((status, &changed["duration_minutes"], &changed["price_cents"]), (StatusCode::OK, &json!(45), &json!(1500)));
        let (status, _) = call("DELETE", path.clone(), admin.clone(), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, _) = call("GET", path, admin.clone(), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(app.count_rows("services").await, 2);
    }
}
