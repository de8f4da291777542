//! `GET /api/v1/admin/metrics` over HTTP: the platform's figures follow tenants being made,
//! put on a paid plan and deactivated; only super admins see them.

use oikos::tenancy::Role;
use oikos::testing::TestTenant;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{access_token_in, TestApp};
use crate::tenants::{root_token, with_root};

async fn metrics(app: &TestApp, token: &str) -> (StatusCode, Value) {
    app.call("GET", "/api/v1/admin/metrics", token, None).await
}

oikos::on_both_backends! { with_root,
    async fn metrics_count_tenants_by_plan_and_status_signups_and_revenue(app: TestApp) {
        let root = root_token(&app).await;
        let (status, empty) = metrics(&app, &root).await;
        assert_eq!(status, StatusCode::OK, "{empty}");
        assert_eq!(empty["mrr_cents"], 0);
        assert_eq!(empty["tenants_by_status"], json!({"active": 0, "inactive": 0}));
        let days = empty["signups_per_day"].as_array().unwrap();
        assert_eq!(days.len(), 90);
        assert_eq!(days.iter().map(|d| d["count"].as_i64().unwrap()).sum::<i64>(), 0);

        let salon = TestTenant::new("salon").create(&app.ctx.db).await;
        let spa = TestTenant::new("spa").create(&app.ctx.db).await;
        let clinic = TestTenant::new("clinic").create(&app.ctx.db).await;
        let assign = |tenant: String, body: Value| {
            let (app, root) = (&app, &root);
            async move {
                let path = format!("/api/v1/tenants/{tenant}/subscription");
                app.call("PUT", &path, root, Some(body)).await
            }
        };
        let (status, _) = assign(salon.tenant.id.to_string(), json!({"plan": "BASIC"})).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = assign(spa.tenant.id.to_string(), json!({"plan": "PRO", "billing_cycle": "annual"})).await;
        assert_eq!(status, StatusCode::OK);
        let gone = app.call("DELETE", &format!("/api/v1/tenants/{}", clinic.tenant.id), &root, None).await;
        assert_eq!(gone.0, StatusCode::NO_CONTENT);

        let (_, seen) = metrics(&app, &root).await;
        assert_eq!(seen["tenants_by_status"], json!({"active": 2, "inactive": 1}));
        assert_eq!(seen["tenants_by_plan"]["BASIC"], 1);
        assert_eq!(seen["tenants_by_plan"]["PRO"], 1);
        assert_eq!(seen["tenants_by_plan"]["FREE"], 1);
        assert_eq!(seen["tenants_by_plan"]["ENTERPRISE"], 0);
        let (basic, pro) = (app.ctx.plans.get("BASIC").unwrap(), app.ctx.plans.get("PRO").unwrap());
        assert_eq!(seen["mrr_cents"].as_u64().unwrap(), basic.monthly_price + pro.annual_price / 12);
        let today = chrono::Utc::now().date_naive().to_string();
        let last = seen["signups_per_day"].as_array().unwrap().last().unwrap().clone();
        assert_eq!(last, json!({"date": today, "count": 3}));

        // Only super admins: a tenant admin is told there is nothing here, a visitor to sign in.
        let admin = access_token_in(&app, &salon.admin, salon.tenant.id, Role::TenantAdmin);
        assert_eq!(metrics(&app, &admin).await.0, StatusCode::NOT_FOUND);
        assert_eq!(app.get("/api/v1/admin/metrics").await.status(), StatusCode::UNAUTHORIZED);
    }
}
