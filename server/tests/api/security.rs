use oikos::db::Backend;

use crate::app_test;
use crate::helpers::{spawn_app_with, TestApp};

app_test! {
    async fn pages_allow_their_own_hydration_script_by_nonce(app: TestApp) {
        let response = app.get("/").await;
        let csp = response.headers()["content-security-policy"].to_str().unwrap().to_owned();
        let nonce = csp
            .split("'nonce-")
            .nth(1)
            .and_then(|rest| rest.split('\'').next())
            .expect("the page's CSP carries a nonce")
            .to_owned();
        assert!(csp.contains("'wasm-unsafe-eval'") && csp.contains("frame-ancestors 'none'"));
        let html = response.text().await.unwrap();
        assert!(html.contains(&format!(r#"nonce="{nonce}""#)), "scripts lack the nonce");
        // A fresh nonce for every page.
        let again = app.get("/").await;
        assert_ne!(again.headers()["content-security-policy"].to_str().unwrap(), csp);
    }
}

app_test! {
    async fn every_response_carries_the_security_headers(app: TestApp) {
        for path in ["/", "/health", "/api/nope", "/favicon.ico"] {
            let response = app.get(path).await;
            let headers = response.headers();
            assert_eq!(headers["x-content-type-options"], "nosniff", "{path}");
            assert_eq!(headers["referrer-policy"], "strict-origin-when-cross-origin", "{path}");
            assert_eq!(headers["x-frame-options"], "DENY", "{path}");
            let csp = headers["content-security-policy"].to_str().unwrap();
            assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
            // Served over plain http here: no HSTS.
            assert!(headers.get("strict-transport-security").is_none(), "{path}");
        }
    }
}

#[tokio::test]
async fn hsts_is_sent_when_served_over_https() {
    let app = spawn_app_with(
        Backend::Sqlite,
        &[("OIKOS_BASE_URL", "https://oikos.example")],
    )
    .await;
    let response = app.get("/health").await;
    assert_eq!(
        response.headers()["strict-transport-security"],
        "max-age=63072000; includeSubDomains"
    );
}

app_test! {
    async fn request_ids_are_generated_or_kept(app: TestApp) {
        let response = app.get("/health").await;
        let generated = response.headers()["x-request-id"].to_str().unwrap();
        assert_eq!(generated.len(), 36, "a UUID: {generated}");
        let next = app.get("/health").await;
        assert_ne!(next.headers()["x-request-id"], generated, "each request its own");

        let response = app
            .client
            .get(app.url("/health"))
            .header("x-request-id", "trace-me-42")
            .send()
            .await
            .unwrap();
        assert_eq!(response.headers()["x-request-id"], "trace-me-42");

        // Anything long or unusual is replaced, so it cannot forge or flood log lines.
        for unsafe_id in ["a".repeat(65), "evil\" injected=\"1".to_owned()] {
            let response = app
                .client
                .get(app.url("/health"))
                .header("x-request-id", &unsafe_id)
                .send()
                .await
                .unwrap();
            let id = response.headers()["x-request-id"].to_str().unwrap();
            assert_ne!(id, unsafe_id);
            assert_eq!(id.len(), 36);
        }
    }
}
