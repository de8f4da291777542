use serde_json::Value;

use crate::app_test;
use crate::helpers::TestApp;
use oikos::db::Backend;

app_test! {
    async fn health_reports_the_database_its_isolation_and_version(app: TestApp) {
        let response = app.get("/health").await;
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["status"], "ok");
        assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
        assert_eq!(body["multi_tenant_enabled"], true);
        let (backend, isolation) = match app.backend {
            Backend::Sqlite => ("sqlite", "application"),
            Backend::Postgres => ("postgres", "login_role"),
        };
        assert_eq!(body["database"], serde_json::json!({"status": "ok", "backend": backend, "isolation": isolation}));
    }
}

#[tokio::test]
async fn health_says_when_postgres_runs_in_first_time_mode() {
    let db = oikos::testing::TestDb::first_time().await;
    let url = secrecy::ExposeSecret::expose_secret(&db.config().url).to_owned();
    let app = crate::helpers::spawn_app_with(
        Backend::Postgres,
        &[("DATABASE_URL", &url), ("DATABASE_MIGRATION_URL", "")],
    )
    .await;
    let body: Value = app.get("/health").await.json().await.unwrap();
    assert_eq!(body["database"]["isolation"], "role_switch");
}

app_test! {
    async fn health_answers_503_when_the_database_is_gone(app: TestApp) {
        app.ctx.db.close(std::time::Duration::from_secs(1)).await;
        let response = app.get("/health").await;
        assert_eq!(response.status(), 503);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["status"], "degraded");
        assert_eq!(body["database"]["status"], "unreachable");
        assert_eq!(body["multi_tenant_enabled"], true);
    }
}

app_test! {
    async fn unknown_api_routes_answer_json_404(app: TestApp) {
        for (method, path) in [("GET", "/api/v1/nothing-here"), ("POST", "/api/nope"), ("GET", "/api")] {
            let response = app
                .client
                .request(method.parse().unwrap(), app.url(path))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 404, "{method} {path}");
            assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"]["code"], "not_found");
            assert_eq!(
                body["error"]["message"],
                format!("No API route matches {method} {path}.")
            );
            assert!(body["error"]["fields"].as_object().unwrap().is_empty());
        }
    }
}

app_test! {
    async fn the_plans_server_function_answers_at_its_stable_url(app: TestApp) {
        let response = app.client.post(app.url("/api/plans")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        let body: Value = response.json().await.unwrap();
        let codes: Vec<_> = body["plans"].as_array().unwrap().iter().map(|p| p["code"].clone()).collect();
        assert_eq!(codes, ["FREE", "BASIC", "PRO", "ENTERPRISE"]);
        assert_eq!(body["plans"][1]["annual"]["per_month"], "$8/month");
        assert_eq!(body["plans"][1]["annual"]["billed"], "billed $96 annually");
    }
}
