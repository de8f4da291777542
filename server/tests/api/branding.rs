//! A tenant's branding over HTTP: colours through `/api/v1/tenants/{id}/branding` (checked for
//! contrast), the logo through the API and the settings page's form, and the portal's
//! `/branding.css` and `/branding/logo`, each for its own tenant only.

use oikos::tenancy::Role;
use oikos::testing::TestTenant;
use reqwest::header::{CONTENT_TYPE, LOCATION};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::app_test;
use crate::helpers::{access_token_in, TestApp};

/// A PNG's signature and a little more: what the type check reads.
fn png() -> Vec<u8> {
    [b"\x89PNG\r\n\x1a\n".as_slice(), &[7u8; 100]].concat()
}

async fn text(app: &TestApp, url: String) -> (StatusCode, String) {
    let response = app.client.get(url).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

app_test! {
    async fn colours_and_logo_brand_their_own_portal_only(app: TestApp) {
        let salon = TestTenant::new("salon").with_member(Role::Staff).create(&app.ctx.db).await;
        let spa = TestTenant::new("spa").create(&app.ctx.db).await;
        let id = salon.tenant.id.to_string();
        let admin = access_token_in(&app, &salon.admin, salon.tenant.id, Role::TenantAdmin);
        let staff = access_token_in(&app, &salon.members[0].0, salon.tenant.id, Role::Staff);
        let intruder = access_token_in(&app, &spa.admin, spa.tenant.id, Role::TenantAdmin);
        let path = format!("/api/v1/tenants/{id}/branding");

        let (status, refused) = app.portal_call("salon", "PUT", &path, &admin,
            Some(json!({"primary_color": "#fde047"}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused["error"]["fields"]["primary_color"].as_str().unwrap().contains("contrast"));
        let (status, _) = app.portal_call("salon", "PUT", &path, &staff, Some(json!({"primary_color": "#1e3a8a"}))).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let (status, saved) = app.portal_call("salon", "PUT", &path, &admin, Some(json!({"primary_color": "#1E3A8A"}))).await;
        assert_eq!((status, &saved["primary_color"], &saved["logo_url"]), (StatusCode::OK, &json!("#1e3a8a"), &Value::Null));

        // Each portal's stylesheet carries its own colours; the main site's none.
        let (status, css) = text(&app, app.tenant_url("salon", "/branding.css")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(css.contains("--brand-primary:#1e3a8a"), "{css}");
        let (_, other) = text(&app, app.tenant_url("spa", "/branding.css")).await;
        assert!(other.contains("--brand-primary:#4f46e5"), "spa keeps the defaults: {other}");
        assert_eq!(text(&app, app.url("/branding.css")).await.1, "");

        // The logo: through the API (the type read from its bytes)…
        let logo = format!("/api/v1/tenants/{id}/logo");
        let upload = |token: String, bytes: Vec<u8>| {
            let (app, logo) = (&app, &logo);
            async move {
                app.client.put(app.tenant_url("salon", logo)).bearer_auth(token)
                    .body(bytes).send().await.unwrap()
            }
        };
        let refused = upload(admin.clone(), b"<svg onload=alert(1)>".to_vec()).await;
        assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let stored = upload(admin.clone(), png()).await;
        assert_eq!(stored.status(), StatusCode::OK);
        let stored: Value = stored.json().await.unwrap();
        assert!(stored["logo_url"].as_str().unwrap().starts_with("/branding/logo?v="));
        let served = app.client.get(app.tenant_url("salon", "/branding/logo")).send().await.unwrap();
        assert_eq!(served.headers()[CONTENT_TYPE], "image/png");
        assert_eq!(served.bytes().await.unwrap().to_vec(), png());
        assert_eq!(app.client.get(app.tenant_url("spa", "/branding/logo")).send().await.unwrap().status(), StatusCode::NOT_FOUND);

        // …and through the settings page's form, which answers with a redirect and a code.
        let form = |token: &str, part: reqwest::multipart::Part| {
            let form = reqwest::multipart::Form::new().part("logo", part);
            app.client.post(app.tenant_url("salon", "/branding/logo")).bearer_auth(token.to_owned()).multipart(form).send()
        };
        let answer = form(&admin, reqwest::multipart::Part::bytes(vec![1, 2, 3]).file_name("x.gif")).await.unwrap();
        assert_eq!(answer.headers()[LOCATION], "/settings?logo_error=type");
        let answer = form(&admin, reqwest::multipart::Part::bytes(png()).file_name("logo.png")).await.unwrap();
        assert_eq!(answer.headers()[LOCATION], "/settings?logo=saved");
        let answer = form(&intruder, reqwest::multipart::Part::bytes(vec![0xFF, 0xD8, 0xFF, 0])).await.unwrap();
        assert_eq!(answer.status(), StatusCode::FORBIDDEN, "another tenant's admin");
        let still: Vec<u8> = app.client.get(app.tenant_url("salon", "/branding/logo")).send().await.unwrap().bytes().await.unwrap().to_vec();
        assert_eq!(still, png());
        let (status, removed) = app.portal_call("salon", "DELETE", &logo, &admin, None).await;
        assert_eq!((status, &removed["logo_url"]), (StatusCode::OK, &Value::Null));
    }
}
