use crate::app_test;
use crate::helpers::TestApp;

app_test! {
    async fn requests_are_counted_by_route_on_the_management_listener(app: TestApp) {
        for _ in 0..3 {
            app.get("/health").await;
        }
        app.get("/api/v1/missing/123").await;
        let brew = reqwest::Method::from_bytes(b"BREW").unwrap();
        app.client.request(brew, app.url("/health")).send().await.unwrap();
        // Not on the public site, nor on a tenant's subdomain.
        assert_eq!(app.get("/metrics").await.status(), 404);
        let tenant = app.client.get(app.tenant_url("salon", "/metrics")).send().await.unwrap();
        assert_eq!(tenant.status(), 404);

        let response = app.client.get(format!("http://{}/metrics", app.metrics_address)).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/openmetrics-text"));
        let text = response.text().await.unwrap();
        assert!(
            text.contains(r#"oikos_http_requests_total{method="GET",route="/health",status="200"} 3"#),
            "{text}"
        );
        // Routes are labelled by template, never by raw path.
        assert!(text.contains(r#"route="/api/{*rest}",status="404"} 1"#), "{text}");
        assert!(!text.contains("missing/123"));
        // Methods too come from a bounded set: any other name counts as OTHER.
        assert!(text.contains(r#"oikos_http_requests_total{method="OTHER",route="/health""#), "{text}");
        assert!(!text.contains("BREW"));
        assert!(text.contains(&format!(r#"oikos_build_info{{version="{}"}} 1"#, env!("CARGO_PKG_VERSION"))));
        assert!(text.contains("oikos_http_request_duration_seconds_bucket"));
    }
}
