//! Accounts over HTTP with a real SMTP server: sign-up, the link in the mail, sign-in with
//! tokens, refresh and reuse, reset, enumeration, rate limits and link tokens.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::TestApp;
use crate::mail_test;

pub const PASSWORD: &str = "Sturdy-Otter-42";

async fn json_of(response: reqwest::Response) -> Value {
    response.json().await.expect("a JSON body")
}

/// Signs up `email` and follows the verification link in the mail.
pub async fn signed_up_and_verified(app: &TestApp, email: &str) -> Value {
    let body =
        json!({"email": email, "password": PASSWORD, "first_name": "Ann", "last_name": "Lee"});
    let created = app.post_json("/api/v1/auth/register", &body).await;
    assert_eq!(created.status(), StatusCode::CREATED);
    let mail = app.mailbox().wait_for(email, 1).await;
    assert_eq!(mail.subject, "Confirm your email address");
    let link = mail.link(&app.url("/verify-email?token="));
    let token = link.split("token=").nth(1).expect("a token");
    let verified = app
        .get(&format!("/api/v1/auth/verify-email?token={token}"))
        .await;
    assert_eq!(verified.status(), StatusCode::OK);
    json_of(verified).await
}

async fn login(app: &TestApp, email: &str, password: &str) -> reqwest::Response {
    app.post_json(
        "/api/v1/auth/login",
        &json!({"email": email, "password": password}),
    )
    .await
}

async fn me(app: &TestApp, access_token: &str) -> reqwest::Response {
    app.client
        .get(app.url("/api/v1/auth/me"))
        .bearer_auth(access_token)
        .send()
        .await
        .unwrap()
}

mail_test! {
    async fn sign_up_verify_log_in_refresh_and_reuse_is_detected(app: TestApp) {
        let body = json!({"email": "ann@example.com", "password": PASSWORD, "first_name": "Ann", "last_name": "Lee"});
        let created = app.post_json("/api/v1/auth/register", &body).await;
        assert_eq!(created.status(), StatusCode::CREATED);
        // Not before the address is confirmed.
        let early = login(&app, "ann@example.com", PASSWORD).await;
        assert_eq!(early.status(), StatusCode::FORBIDDEN);
        assert_eq!(json_of(early).await["error"]["code"], "email_not_verified");

        let mail = app.mailbox().wait_for("ann@example.com", 1).await;
        assert!(mail.html.contains("Confirm my address"), "{}", mail.html);
        let link = mail.link(&app.url("/verify-email?token="));
        let token = link.split("token=").nth(1).unwrap().to_owned();
        let tampered = format!("{}x", &token[..token.len() - 1]);
        let refused = app.get(&format!("/api/v1/auth/verify-email?token={tampered}")).await;
        assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
        assert_eq!(json_of(refused).await["error"]["code"], "invalid_token");
        let verified = app.get(&format!("/api/v1/auth/verify-email?token={token}")).await;
        assert_eq!(verified.status(), StatusCode::OK);
        assert_eq!(json_of(verified).await["user"]["email_verified"], true);
        let reused = app.get(&format!("/api/v1/auth/verify-email?token={token}")).await;
        assert_eq!(reused.status(), StatusCode::BAD_REQUEST);

        let signed_in = login(&app, "Ann@Example.com", PASSWORD).await;
        assert_eq!(signed_in.status(), StatusCode::OK);
        let tokens = json_of(signed_in).await;
        assert_eq!(tokens["token_type"], "bearer");
        assert_eq!(tokens["expires_in"], 1800);
        assert_eq!(tokens["tenant"], Value::Null);
        let access = tokens["access_token"].as_str().unwrap();
        let mine = json_of(me(&app, access).await).await;
        assert_eq!(mine["user"]["email"], "ann@example.com");
        assert_eq!(mine["is_super_admin"], false);

        let first = tokens["refresh_token"].as_str().unwrap();
        let refreshed = app.post_json("/api/v1/auth/refresh", &json!({"refresh_token": first})).await;
        assert_eq!(refreshed.status(), StatusCode::OK);
        let second = json_of(refreshed).await;
        assert_ne!(second["refresh_token"], tokens["refresh_token"]);
        assert_eq!(me(&app, second["access_token"].as_str().unwrap()).await.status(), StatusCode::OK);
        // The rotated token again: refused, and the whole family with it.
        let reuse = app.post_json("/api/v1/auth/refresh", &json!({"refresh_token": first})).await;
        assert_eq!(reuse.status(), StatusCode::UNAUTHORIZED);
        let after = app.post_json("/api/v1/auth/refresh", &json!({"refresh_token": second["refresh_token"]})).await;
        assert_eq!(after.status(), StatusCode::UNAUTHORIZED);
        // A garbled bearer token is a 401, not an anonymous request.
        assert_eq!(me(&app, "not.a.token").await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(app.get("/api/v1/auth/me").await.status(), StatusCode::UNAUTHORIZED);
    }
}

mail_test! {
    async fn a_reset_ends_every_token_and_signs_no_one_in(app: TestApp) {
        signed_up_and_verified(&app, "ann@example.com").await;
        let before = json_of(login(&app, "ann@example.com", PASSWORD).await).await;

        let asked = app.post_json("/api/v1/auth/reset-password/request", &json!({"email": "ann@example.com"})).await;
        assert_eq!(asked.status(), StatusCode::ACCEPTED);
        let mail = app.mailbox().wait_for("ann@example.com", 2).await;
        assert_eq!(mail.subject, "Reset your password");
        let link = mail.link(&app.url("/reset-password?token="));
        let token = link.split("token=").nth(1).unwrap();

        let weak = app.post_json("/api/v1/auth/reset-password/confirm", &json!({"token": token, "password": "password1"})).await;
        assert_eq!(weak.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(json_of(weak).await["error"]["fields"]["password"].is_string());
        let done = app.post_json("/api/v1/auth/reset-password/confirm", &json!({"token": token, "password": "Brand-New-Pass-7"})).await;
        assert_eq!(done.status(), StatusCode::OK);
        let body = json_of(done).await;
        assert!(body.get("access_token").is_none(), "no automatic sign-in: {body}");
        let again = app.post_json("/api/v1/auth/reset-password/confirm", &json!({"token": token, "password": "Other-New-Pass-8"})).await;
        assert_eq!(again.status(), StatusCode::BAD_REQUEST);

        let refresh = app.post_json("/api/v1/auth/refresh", &json!({"refresh_token": before["refresh_token"]})).await;
        assert_eq!(refresh.status(), StatusCode::UNAUTHORIZED, "refresh tokens end with the reset");
        assert_eq!(login(&app, "ann@example.com", PASSWORD).await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(login(&app, "ann@example.com", "Brand-New-Pass-7").await.status(), StatusCode::OK);
    }
}

mail_test! {
    async fn access_tokens_die_with_the_sessions_and_families_that_issued_them(app: TestApp) {
        signed_up_and_verified(&app, "ann@example.com").await;
        let access = |tokens: &Value| tokens["access_token"].as_str().unwrap().to_owned();
        let phone = json_of(login(&app, "ann@example.com", PASSWORD).await).await;
        let laptop = json_of(login(&app, "ann@example.com", PASSWORD).await).await;
        assert_eq!(me(&app, &access(&phone)).await.status(), StatusCode::OK);

        // "Log out everywhere" from the laptop: the phone's unexpired JWT is refused at once,
        // and a sign-in right after (within the same second) works.
        let ended = app.client.post(app.url("/api/auth/log_out_everywhere"))
            .bearer_auth(access(&laptop)).send().await.unwrap();
        assert!(ended.status().is_success(), "{}", ended.status());
        assert_eq!(me(&app, &access(&phone)).await.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(me(&app, &access(&laptop)).await.status(), StatusCode::UNAUTHORIZED);
        let again = json_of(login(&app, "ann@example.com", PASSWORD).await).await;
        assert_eq!(me(&app, &access(&again)).await.status(), StatusCode::OK);

        // One device signs out (its refresh family revoked): its access token dies with it;
        // another device's family refreshes and goes on.
        let other = json_of(login(&app, "ann@example.com", PASSWORD).await).await;
        let out = app.post_json("/api/v1/auth/logout", &json!({"refresh_token": again["refresh_token"]})).await;
        assert!(out.status().is_success(), "{}", out.status());
        assert_eq!(me(&app, &access(&again)).await.status(), StatusCode::UNAUTHORIZED);
        let refreshed = app.post_json("/api/v1/auth/refresh", &json!({"refresh_token": other["refresh_token"]})).await;
        assert_eq!(refreshed.status(), StatusCode::OK);
        let refreshed = json_of(refreshed).await;
        assert_eq!(me(&app, &access(&refreshed)).await.status(), StatusCode::OK);

        // A reused refresh token (a copy) revokes its family: the access tokens issued
        // before are refused too.
        let stolen = json_of(login(&app, "ann@example.com", PASSWORD).await).await;
        let next = app.post_json("/api/v1/auth/refresh", &json!({"refresh_token": stolen["refresh_token"]})).await;
        let next = json_of(next).await;
        let reuse = app.post_json("/api/v1/auth/refresh", &json!({"refresh_token": stolen["refresh_token"]})).await;
        assert_eq!(reuse.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(me(&app, &access(&next)).await.status(), StatusCode::UNAUTHORIZED);

        // A password reset ends the JWTs as well as the refresh tokens.
        let before = app.post_json("/api/v1/auth/refresh", &json!({"refresh_token": refreshed["refresh_token"]})).await;
        let before = json_of(before).await;
        assert_eq!(me(&app, &access(&before)).await.status(), StatusCode::OK);
        app.post_json("/api/v1/auth/reset-password/request", &json!({"email": "ann@example.com"})).await;
        let mail = app.mailbox().wait_for("ann@example.com", 2).await;
        let link = mail.link(&app.url("/reset-password?token="));
        let token = link.split("token=").nth(1).unwrap();
        let done = app.post_json("/api/v1/auth/reset-password/confirm", &json!({"token": token, "password": "Brand-New-Pass-7"})).await;
        assert_eq!(done.status(), StatusCode::OK);
        assert_eq!(me(&app, &access(&before)).await.status(), StatusCode::UNAUTHORIZED);
    }
}

mail_test! {
    async fn unknown_addresses_and_wrong_passwords_answer_alike(app: TestApp) {
        signed_up_and_verified(&app, "ann@example.com").await;
        let wrong = login(&app, "ann@example.com", "Wrong-Pass-99").await;
        let unknown = login(&app, "nobody@example.com", "Wrong-Pass-99").await;
        assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(unknown.status(), wrong.status());
        assert_eq!(unknown.text().await.unwrap(), wrong.text().await.unwrap());

        let known = app.post_json("/api/v1/auth/reset-password/request", &json!({"email": "ann@example.com"})).await;
        let stranger = app.post_json("/api/v1/auth/reset-password/request", &json!({"email": "nobody@example.com"})).await;
        assert_eq!(known.status(), StatusCode::ACCEPTED);
        assert_eq!(stranger.status(), known.status());
        assert_eq!(stranger.text().await.unwrap(), known.text().await.unwrap());
        // Only the account on record got mail.
        app.mailbox().wait_for("ann@example.com", 2).await;
        assert!(app.mailbox().messages().iter().all(|m| m.to != "nobody@example.com"));
    }
}

mail_test! {
    async fn repeated_wrong_passwords_are_slowed_with_retry_after(app: TestApp) {
        signed_up_and_verified(&app, "ann@example.com").await;
        // The limit counts in fixed one-minute windows: if a window closes during the first
        // five attempts the count restarts, so the 429 comes within at most two windows.
        let mut limited = None;
        for _ in 0..11 {
            let answer = login(&app, "ann@example.com", "Wrong-Pass-99").await;
            if answer.status() == StatusCode::TOO_MANY_REQUESTS {
                limited = Some(answer);
                break;
            }
            assert_eq!(answer.status(), StatusCode::UNAUTHORIZED);
        }
        let limited = limited.expect("slowed after five attempts in a window");
        let retry: u64 = limited.headers()["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=60).contains(&retry), "{retry}");
        assert_eq!(json_of(limited).await["error"]["code"], "rate_limited");
        // Until the window ends, the right password waits too (from this address).
        let asked = std::time::Instant::now();
        let owner = login(&app, "ann@example.com", PASSWORD).await;
        if owner.status() != StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(owner.status(), StatusCode::OK);
            assert!(asked.elapsed().as_secs() + 1 >= retry, "let in before the window ended");
        }
        // Other accounts from this address are not slowed by it.
        signed_up_and_verified(&app, "bob@example.com").await;
        assert_eq!(login(&app, "bob@example.com", PASSWORD).await.status(), StatusCode::OK);
    }
}

mail_test! {
    async fn twenty_concurrent_uses_of_one_link_give_one_success(app: TestApp) {
        let body = json!({"email": "ann@example.com", "password": PASSWORD, "first_name": "Ann", "last_name": "Lee"});
        app.post_json("/api/v1/auth/register", &body).await;
        let mail = app.mailbox().wait_for("ann@example.com", 1).await;
        let link = mail.link(&app.url("/verify-email?token="));
        let token = link.split("token=").nth(1).unwrap().to_owned();
        let url = app.url(&format!("/api/v1/auth/verify-email?token={token}"));
        let attempts = (0..20).map(|_| {
            let (client, url) = (app.client.clone(), url.clone());
            tokio::spawn(async move { client.get(url).send().await.unwrap().status() })
        });
        let mut ok = 0;
        for attempt in attempts {
            match attempt.await.unwrap() {
                StatusCode::OK => ok += 1,
                StatusCode::BAD_REQUEST => {}
                other => panic!("{other}"),
            }
        }
        assert_eq!(ok, 1);
    }
}

mail_test! {
    async fn sign_up_reports_every_invalid_field_and_says_nothing_of_who_is_registered(app: TestApp) {
        let bad = app.post_json("/api/v1/auth/register", &json!({"email": "nope", "password": "short", "first_name": " ", "last_name": "Lee"})).await;
        assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let fields = json_of(bad).await["error"]["fields"].clone();
        for field in ["email", "password", "first_name"] {
            assert!(fields[field].is_string(), "{field}: {fields}");
        }
        assert!(fields.get("last_name").is_none());
        signed_up_and_verified(&app, "ann@example.com").await;

        // A registered address and a new one answer alike: status, and body but for the
        // (random) id and the address typed.
        let body = |email: &str| json!({"email": email, "password": "Other-Pass-9", "first_name": "Mal", "last_name": "Lory"});
        let taken = app.post_json("/api/v1/auth/register", &body("ANN@example.com")).await;
        let fresh = app.post_json("/api/v1/auth/register", &body("new@example.com")).await;
        assert_eq!(taken.status(), StatusCode::CREATED);
        assert_eq!(fresh.status(), taken.status());
        let (mut taken, mut fresh) = (json_of(taken).await, json_of(fresh).await);
        assert_eq!(taken["user"]["email"], "ann@example.com");
        for body in [&mut taken, &mut fresh] {
            body["user"]["id"] = Value::Null;
            body["user"]["email"] = Value::Null;
        }
        assert_eq!(taken, fresh);
        // The browser's sign-up form too.
        let form = |email: &str| format!("first_name=Mal&last_name=Lory&email={}&password=Other-Pass-9", email.replace('@', "%40"));
        let page_taken = app.client.post(app.url("/api/auth/sign_up")).header("origin", app.origin())
            .header("content-type", "application/x-www-form-urlencoded").body(form("ann@example.com")).send().await.unwrap();
        let page_fresh = app.client.post(app.url("/api/auth/sign_up")).header("origin", app.origin())
            .header("content-type", "application/x-www-form-urlencoded").body(form("newer@example.com")).send().await.unwrap();
        assert_eq!(page_taken.status(), page_fresh.status());
        assert_eq!(page_taken.text().await.unwrap(), page_fresh.text().await.unwrap());

        // The owner hears of both attempts, with a reset link; nothing else changed.
        let told = app.mailbox().wait_for("ann@example.com", 3).await;
        assert_eq!(told.subject, "Someone tried to sign up with your address");
        assert!(told.link(&app.url("/reset-password?token=")).contains("token="));
        assert_eq!(login(&app, "ann@example.com", PASSWORD).await.status(), StatusCode::OK);
        assert_eq!(login(&app, "ann@example.com", "Other-Pass-9").await.status(), StatusCode::UNAUTHORIZED);
    }
}
