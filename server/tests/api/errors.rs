//! Errors answer with the right status and the JSON shape, from REST routes and server
//! functions alike; hosts this server does not serve are refused; bodies are bounded.

use serde_json::Value;

use crate::app_test;
use crate::helpers::TestApp;
use oikos::testing::TestTenant;

app_test! {
    async fn a_public_profile_is_found_by_slug_on_rest_and_server_function(app: TestApp) {
        let salon = TestTenant::new("salon").create(&app.ctx.db).await;
        let rest: Value = app.get("/api/v1/public/tenants/SALON").await.json().await.unwrap();
        assert_eq!(rest["id"], salon.tenant.id.to_string());
        assert_eq!(rest["slug"], "salon");
        assert_eq!(rest["name"], "salon business");
        assert!(rest.get("email").is_none(), "the public profile has no contact data: {rest}");

        let server_fn = app.client.post(app.url("/api/public_tenant")).form(&[("slug", "salon")]).send().await.unwrap();
        assert_eq!(server_fn.status(), 200);
        assert_eq!(server_fn.json::<Value>().await.unwrap(), rest);
    }
}

app_test! {
    async fn failing_server_functions_answer_with_the_errors_status(app: TestApp) {
        for (slug, status, code) in [("nobody-here", 404, "not_found"), ("x!", 422, "validation_error")] {
            let rest = app.get(&format!("/api/v1/public/tenants/{slug}")).await;
            assert_eq!(rest.status(), status, "REST {slug}");
            let rest: Value = rest.json().await.unwrap();
            assert_eq!(rest["error"]["code"], code);

            let response = app.client.post(app.url("/api/public_tenant")).form(&[("slug", slug)]).send().await.unwrap();
            assert_eq!(response.status(), status, "server function {slug}");
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["code"], code, "{body}");
            assert_eq!(body["message"], rest["error"]["message"]);
            assert_eq!(body["fields"], rest["error"]["fields"]);
        }
        let invalid: Value = app.get("/api/v1/public/tenants/x!").await.json().await.unwrap();
        assert_eq!(invalid["error"]["fields"]["slug"], "Use 3 to 50 characters.");
    }
}

app_test! {
    async fn inactive_tenants_are_not_public(app: TestApp) {
        let salon = TestTenant::new("salon").create(&app.ctx.db).await;
        oikos::testing::fixtures::deactivate(&app.ctx.db, salon.tenant.id).await;
        assert_eq!(app.get("/api/v1/public/tenants/salon").await.status(), 404);
    }
}

app_test! {
    async fn unreadable_server_function_arguments_are_the_clients_fault(app: TestApp) {
        let missing = app.client.post(app.url("/api/public_tenant")).form(&[("nothing", "x")]).send().await.unwrap();
        assert_eq!(missing.status(), 400);
        let body: Value = missing.json().await.unwrap();
        assert_eq!(body["code"], "bad_request", "{body}");
    }
}

app_test! {
    async fn bodies_over_the_limit_are_refused_before_any_handler(app: TestApp) {
        let big = "x".repeat(3 * 1024 * 1024);
        let server_fn = app.client.post(app.url("/api/public_tenant")).body(big.clone())
            .header("content-type", "application/x-www-form-urlencoded").send().await.unwrap();
        assert_eq!(server_fn.status(), 413);
        let rest = app.client.post(app.url("/api/v1/public/tenants/salon")).body(big).send().await.unwrap();
        assert_eq!(rest.status(), 413);
        // Without a Content-Length (chunked), the limit holds while the body is read.
        assert_eq!(chunked_post(&app, "/api/public_tenant", 3 * 1024 * 1024).await, 413);
    }
}

/// POSTs `size` bytes with `Transfer-Encoding: chunked`; the response's status code.
async fn chunked_post(app: &TestApp, path: &str, size: usize) -> u16 {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(app.address).await.unwrap();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost:{}\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n",
        app.address.port()
    );
    stream.write_all(head.as_bytes()).await.unwrap();
    let chunk = vec![b'a'; 64 * 1024];
    for _ in 0..size / chunk.len() {
        let sent = stream
            .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
            .await;
        // The server may answer and close before the whole body is sent.
        if sent.is_err()
            || stream.write_all(&chunk).await.is_err()
            || stream.write_all(b"\r\n").await.is_err()
        {
            break;
        }
    }
    let _ = stream.write_all(b"0\r\n\r\n").await;
    let mut response = Vec::new();
    let _ = stream.read_to_end(&mut response).await;
    let response = String::from_utf8_lossy(&response);
    response
        .split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_default()
}

app_test! {
    async fn hosts_other_than_the_main_site_and_tenant_subdomains_are_refused(app: TestApp) {
        let port = app.address.port();
        for host in [format!("evil.example:{port}"), format!("a.b.localhost:{port}"), format!("localhost:{}", port + 1)] {
            let response = app.client.get(app.url("/")).header("host", &host).send().await.unwrap();
            assert_eq!(response.status(), 421, "{host}");
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"]["code"], "unknown_host");
        }
        // X-Forwarded-Host is never read.
        let forwarded = app.client.get(app.url("/")).header("x-forwarded-host", "evil.example").send().await.unwrap();
        assert_eq!(forwarded.status(), 200);
        // Tenant subdomains (whose home is the dashboard) and, for load balancers, /health on
        // any host are served.
        let portal = app.client.get(app.tenant_url("salon", "/")).send().await.unwrap();
        assert_eq!(portal.status(), 303);
        assert_eq!(portal.headers()["location"], "/dashboard");
        let health = app.client.get(app.url("/health")).header("host", "10.1.2.3:80").send().await.unwrap();
        assert_eq!(health.status(), 200);
    }
}
