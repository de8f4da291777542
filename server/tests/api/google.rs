//! Google sign-in end to end against a real OpenID Connect provider (oidc-provider-mock):
//! the redirect out, the provider's page, the way back, and what is refused.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{client, spawn_app_with, TestApp};
use crate::peers::{url_param, OidcProvider};

async fn spawn(backend: oikos::db::Backend) -> (TestApp, OidcProvider) {
    let provider = OidcProvider::start().await;
    let app = spawn_app_with(
        backend,
        &[
            ("GOOGLE_CLIENT_ID", "oikos-test"),
            ("GOOGLE_CLIENT_SECRET", "oikos-test-secret"),
            ("OIDC_ISSUER_URL", &provider.issuer),
        ],
    )
    .await;
    (app, provider)
}

/// Leaves for the provider; the authorization URL the browser was sent to.
async fn start(app: &TestApp, browser: &reqwest::Client) -> String {
    let answer = browser
        .get(app.url("/api/v1/auth/google/start"))
        .send()
        .await
        .unwrap();
    assert!(answer.status().is_redirection(), "{}", answer.status());
    answer.headers()["location"].to_str().unwrap().to_owned()
}

/// Follows the provider's redirect back; where Oikos sends the browser next.
async fn come_back(browser: &reqwest::Client, callback: &str) -> String {
    let answer = browser.get(callback).send().await.unwrap();
    assert!(answer.status().is_redirection(), "{}", answer.status());
    answer.headers()["location"].to_str().unwrap().to_owned()
}

async fn me(app: &TestApp, browser: &reqwest::Client) -> (StatusCode, Value) {
    let answer = browser
        .get(app.url("/api/v1/auth/me"))
        .send()
        .await
        .unwrap();
    let status = answer.status();
    (status, answer.json().await.unwrap_or(Value::Null))
}

oikos::on_both_backends! { spawn,
    async fn a_verified_google_account_signs_in_and_keeps_its_link(fixture: (TestApp, OidcProvider)) {
        let (app, provider) = fixture;
        provider.user("alice-sub", json!({"email": "alice@example.com", "email_verified": true,
            "given_name": "Alice", "family_name": "Ng"})).await;
        let browser = client();
        let authorize = start(&app, &browser).await;
        assert!(authorize.starts_with(&provider.issuer), "{authorize}");
        for param in ["state", "nonce", "code_challenge"] {
            assert!(!url_param(&authorize, param).is_empty(), "{param}");
        }
        assert_eq!(url_param(&authorize, "code_challenge_method"), "S256");
        let callback = provider.authorize(&authorize, "alice-sub").await;
        assert!(callback.starts_with(&app.url("/api/v1/auth/google/callback?")), "{callback}");
        assert_eq!(come_back(&browser, &callback).await, "/account");
        let (status, body) = me(&app, &browser).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["user"]["email"], "alice@example.com");
        assert_eq!(body["user"]["email_verified"], true);
        assert_eq!(body["user"]["first_name"], "Alice");

        // The same provider account again, even with another address now: the same user.
        provider.user("alice-sub", json!({"email": "alice@new.example", "email_verified": true})).await;
        let again = client();
        let callback = provider.authorize(&start(&app, &again).await, "alice-sub").await;
        assert_eq!(come_back(&again, &callback).await, "/account");
        assert_eq!(me(&app, &again).await.1["user"]["id"], body["user"]["id"]);
        // Replaying the callback: its state was used up.
        assert_eq!(come_back(&again, &callback).await, "/login?google=failed");
    }
}

oikos::on_both_backends! { spawn,
    async fn an_unverified_address_neither_links_nor_creates(fixture: (TestApp, OidcProvider)) {
        let (app, provider) = fixture;
        provider.user("mallory", json!({"email": "victim@example.com", "email_verified": false})).await;
        let browser = client();
        let callback = provider.authorize(&start(&app, &browser).await, "mallory").await;
        assert_eq!(come_back(&browser, &callback).await, "/login?google=failed");
        assert_eq!(me(&app, &browser).await.0, StatusCode::UNAUTHORIZED);
    }
}

oikos::on_both_backends! { spawn,
    async fn a_state_mismatch_or_a_code_for_another_client_is_refused(fixture: (TestApp, OidcProvider)) {
        let (app, provider) = fixture;
        provider.user("alice-sub", json!({"email": "alice@example.com", "email_verified": true})).await;

        let browser = client();
        let callback = provider.authorize(&start(&app, &browser).await, "alice-sub").await;
        let state = url_param(&callback, "state");
        let forged = callback.replace(&format!("state={state}"), "state=forged-state");
        assert_eq!(come_back(&browser, &forged).await, "/login?google=failed");
        assert_eq!(me(&app, &browser).await.0, StatusCode::UNAUTHORIZED);

        // A code the provider issued to another client, with this browser's own state.
        let other = client();
        let authorize = start(&app, &other).await.replace("client_id=oikos-test", "client_id=someone-else");
        let callback = provider.authorize(&authorize, "alice-sub").await;
        assert_eq!(come_back(&other, &callback).await, "/login?google=failed");
        assert_eq!(me(&app, &other).await.0, StatusCode::UNAUTHORIZED);
    }
}

oikos::on_both_backends! { spawn,
    async fn an_id_token_for_another_audience_or_nonce_is_refused(fixture: (TestApp, OidcProvider)) {
        let (app, provider) = fixture;
        provider.user("alice-sub", json!({"email": "alice@example.com", "email_verified": true})).await;
        let oidc = app.ctx.oidc.as_ref().expect("configured");
        // Tokens signed by the provider itself: ours verifies, another client's does not.
        let ours = provider.id_token_for("oikos-test", "alice-sub", "n-1").await;
        let identity = oidc.verify_id_token(&ours, "n-1").await.unwrap();
        assert_eq!(identity.subject, "alice-sub");
        assert_eq!(identity.issuer, provider.issuer);
        let theirs = provider.id_token_for("someone-else", "alice-sub", "n-2").await;
        assert!(matches!(oidc.verify_id_token(&theirs, "n-2").await, Err(oikos::Error::InvalidToken)));
        assert!(matches!(oidc.verify_id_token(&ours, "another-nonce").await, Err(oikos::Error::InvalidToken)));
        let mut tampered = ours.clone();
        tampered.pop();
        assert!(matches!(oidc.verify_id_token(&tampered, "n-1").await, Err(oikos::Error::InvalidToken)));
    }
}

oikos::on_both_backends! { spawn,
    async fn linking_an_unverified_account_drops_the_password_someone_else_may_have_set(fixture: (TestApp, OidcProvider)) {
        let (app, provider) = fixture;
        // Someone registers Alice's address first, with a password of their own, and waits.
        let squat = json!({"email": "alice@example.com", "password": "Squatter-Pass-1",
            "first_name": "Mal", "last_name": "Lory"});
        let registered = app.post_json("/api/v1/auth/register", &squat).await;
        assert_eq!(registered.status(), StatusCode::CREATED);
        // Alice signs in with Google: the account is hers now ...
        provider.user("alice-sub", json!({"email": "alice@example.com", "email_verified": true})).await;
        let browser = client();
        let callback = provider.authorize(&start(&app, &browser).await, "alice-sub").await;
        assert_eq!(come_back(&browser, &callback).await, "/account");
        assert_eq!(me(&app, &browser).await.0, StatusCode::OK);
        // ... and the squatter's password opens nothing.
        let login = json!({"email": "alice@example.com", "password": "Squatter-Pass-1"});
        let squatter = app.post_json("/api/v1/auth/login", &login).await;
        assert_eq!(squatter.status(), StatusCode::UNAUTHORIZED);
    }
}
