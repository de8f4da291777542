//! `POST /api/v1/public/register` over HTTP: the Reserva guide's example as is, its rules,
//! duplicates, slugs, and concurrent registrations of one business.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::TestApp;
use crate::{app_test, mail_test};

/// The request example of the Reserva guide, verbatim.
fn reserva_example() -> Value {
    json!({
        "business_name": "Bella Vista Spa",
        "business_email": "contact@bellavista.com",
        "business_phone": "+1-555-987-6543",
        "business_type": "spa",
        "description": "Luxury spa and wellness center",
        "website": "https://bellavista.com",
        "admin_first_name": "Maria",
        "admin_last_name": "Rodriguez",
        "admin_email": "maria@bellavista.com",
        "admin_password": "SecurePass123!",
        "preferred_slug": "bella-vista-spa",
        "terms_accepted": true,
        "privacy_accepted": true
    })
}

/// A valid registration of `name`, with addresses and a phone of its own.
pub(crate) fn business(name: &str, n: u32) -> Value {
    json!({
        "business_name": name,
        "business_email": format!("hello{n}@example.com"),
        "business_phone": format!("+1 555 010 {:04}", n),
        "website": "example.com",
        "admin_first_name": "Ann",
        "admin_last_name": "Lee",
        "admin_email": format!("owner{n}@example.com"),
        "admin_password": "Sturdy-Otter-42",
        "terms_accepted": true,
        "privacy_accepted": true
    })
}

async fn register(app: &TestApp, body: &Value) -> (StatusCode, Value) {
    let response = app.post_json("/api/v1/public/register", body).await;
    let status = response.status();
    (status, response.json().await.expect("a JSON body"))
}

/// Tenants, users, memberships, subscriptions and tenant audit entries.
async fn rows(app: &TestApp) -> [i64; 5] {
    let mut counts = [0; 5];
    let tables = [
        "tenants",
        "users",
        "memberships",
        "subscriptions",
        "audit_log",
    ];
    for (count, table) in counts.iter_mut().zip(tables) {
        *count = app.count_rows(table).await;
    }
    counts
}

mail_test! {
    async fn the_reserva_example_registers_a_business_whose_admin_can_log_in(app: TestApp) {
        let (status, body) = register(&app, &reserva_example()).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        assert!(body["registration_id"].as_str().unwrap().starts_with("reg_"));
        assert_eq!(body["slug"], "bella-vista-spa");
        assert_eq!(body["status"], "active");
        assert_eq!(body["billing_customer_id"], Value::Null);
        assert_eq!(body["next_steps"].as_array().unwrap().len(), 6);
        assert!(body["message"].as_str().unwrap().starts_with("Registration successful"));
        let tenant_id = body["tenant_id"].as_str().unwrap();
        assert_eq!(rows(&app).await, [1, 1, 1, 1, 1]);

        // The verification mail went out; the admin can log in at once all the same.
        let mail = app.mailbox().wait_for("maria@bellavista.com", 1).await;
        assert_eq!(mail.subject, "Confirm your email address");
        let login = json!({"email": "maria@bellavista.com", "password": "SecurePass123!"});
        let signed_in = app.post_json("/api/v1/auth/login", &login).await;
        assert_eq!(signed_in.status(), StatusCode::OK);
        let tokens: Value = signed_in.json().await.unwrap();
        assert_eq!(tokens["role"], "TENANT_ADMIN");
        assert_eq!(tokens["tenant"]["id"], tenant_id);

        // The public profile carries what was registered, the phone in E.164.
        let profile: Value = app.get("/api/v1/public/tenants/bella-vista-spa").await.json().await.unwrap();
        assert_eq!(profile["name"], "Bella Vista Spa");
        assert_eq!(profile["website"], "https://bellavista.com");
    }
}

mail_test! {
    async fn duplicates_are_refused_by_field_and_taken_slugs_get_a_suffix(app: TestApp) {
        assert_eq!(register(&app, &business("Salon", 1)).await.0, StatusCode::CREATED);
        // Another business whose name makes the same slug, and one that asks for it.
        let (_, second) = register(&app, &business("Salon!", 2)).await;
        assert_eq!(second["slug"], "salon-1");
        let mut third = business("Salon Three", 3);
        third["preferred_slug"] = json!("Salon");
        let (_, third) = register(&app, &third).await;
        assert_eq!(third["slug"], "salon-2");
        let before = rows(&app).await;

        let mut same_name = business("SALON", 4);
        same_name["business_name"] = json!("  salon ");
        let mut same_email = business("Other", 5);
        same_email["business_email"] = json!("Hello1@Example.com");
        let mut same_phone = business("Another", 6);
        same_phone["business_phone"] = json!("+1 (555) 010-0001");
        let mut same_admin = business("Yet another", 7);
        same_admin["admin_email"] = json!("owner1@example.com");
        for (body, field) in [
            (same_name, "business_name"),
            (same_email, "business_email"),
            (same_phone, "business_phone"),
            (same_admin, "admin_email"),
        ] {
            let (status, answer) = register(&app, &body).await;
            assert_eq!(status, StatusCode::CONFLICT, "{field}: {answer}");
            assert_eq!(answer["error"]["code"], "conflict");
            assert!(answer["error"]["fields"][field].is_string(), "{field}: {answer}");
        }
        assert_eq!(rows(&app).await, before, "a refused registration leaves nothing behind");
    }
}

mail_test! {
    async fn every_invalid_field_is_named(app: TestApp) {
        let (status, answer) = register(&app, &json!({})).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields = answer["error"]["fields"].as_object().unwrap();
        for field in [
            "business_name", "business_email", "admin_first_name", "admin_last_name",
            "admin_email", "admin_password", "terms_accepted", "privacy_accepted",
        ] {
            assert!(fields.contains_key(field), "{field} missing from {answer}");
        }

        let mut bad = business("Good Name", 1);
        bad["website"] = json!("ftp://files.example.com");
        bad["admin_password"] = json!("password1");
        bad["preferred_slug"] = json!("admin");
        bad["business_phone"] = json!("555 0100");
        bad["privacy_accepted"] = json!(false);
        let (status, answer) = register(&app, &bad).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields = answer["error"]["fields"].as_object().unwrap();
        let named: Vec<&str> = fields.keys().map(String::as_str).collect();
        assert_eq!(
            named,
            ["admin_password", "business_phone", "preferred_slug", "privacy_accepted", "website"]
        );
        assert_eq!(rows(&app).await, [0, 0, 0, 0, 0]);
    }
}

mail_test! {
    async fn eight_simultaneous_registrations_of_one_name_make_one_tenant(app: TestApp) {
        let mut attempts = tokio::task::JoinSet::new();
        for n in 0..8 {
            let request = app
                .client
                .post(app.url("/api/v1/public/register"))
                .header("origin", app.origin())
                .json(&business("Concurrent Cuts", n));
            attempts.spawn(async move { request.send().await.expect("request").status() });
        }
        let statuses = attempts.join_all().await;
        let created = statuses.iter().filter(|s| **s == StatusCode::CREATED).count();
        let refused = statuses.iter().filter(|s| **s == StatusCode::CONFLICT).count();
        assert_eq!((created, refused), (1, 7), "{statuses:?}");
        assert_eq!(rows(&app).await, [1, 1, 1, 1, 1], "no rows of the refused seven");
        assert_eq!(app.count_rows("outbox").await, 1, "one verification mail");
    }
}

app_test! {
    async fn unreadable_bodies_are_answered_in_the_error_shape(app: TestApp) {
        let post = |body: &'static str| {
            app.client
                .post(app.url("/api/v1/public/register"))
                .header("origin", app.origin())
                .header("content-type", "application/json")
                .body(body)
                .send()
        };
        for (body, status) in [
            ("{not json", StatusCode::BAD_REQUEST),
            (r#"{"terms_accepted": "yes"}"#, StatusCode::UNPROCESSABLE_ENTITY),
        ] {
            let response = post(body).await.unwrap();
            assert_eq!(response.status(), status, "{body}");
            let answer: Value = response.json().await.unwrap();
            assert_eq!(answer["error"]["code"], "invalid_body", "{body}");
        }
        assert_eq!(app.count_rows("tenants").await, 0);
    }
}
