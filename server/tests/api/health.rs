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

#[tokio::test]
async fn the_first_super_admin_is_made_at_start_and_a_weak_password_stops_it() {
    let strong = [
        ("FIRST_SUPERUSER_EMAIL", "root@example.com"),
        ("FIRST_SUPERUSER_PASSWORD", "Root-Pass-123"),
    ];
    let app = crate::helpers::spawn_app_with(Backend::Postgres, &strong).await;
    assert_eq!(app.get("/health").await.status(), 200);

    let db = oikos::testing::TestDb::new(Backend::Sqlite).await;
    let url = secrecy::ExposeSecret::expose_secret(&db.config().url).to_owned();
    let data = tempfile::tempdir().unwrap();
    let data_dir = data.path().display().to_string();
    let config = oikos::Config::from_lookup(|name| match name {
        "DATABASE_URL" => Some(url.clone()),
        "OIKOS_DATA_DIR" => Some(data_dir.clone()),
        "LEPTOS_SITE_ADDR" | "OIKOS_METRICS_ADDR" => Some("127.0.0.1:0".into()),
        "FIRST_SUPERUSER_EMAIL" => Some("root@example.com".into()),
        "FIRST_SUPERUSER_PASSWORD" => Some("weak".into()),
        _ => None,
    })
    .unwrap();
    let err = oikos_server::Application::build(config)
        .await
        .err()
        .expect("a weak password stops the start");
    assert!(
        format!("{err:#}").starts_with("FIRST_SUPERUSER_PASSWORD:"),
        "{err:#}"
    );
}
