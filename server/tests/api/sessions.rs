//! Browser sessions over HTTP: the cookie, rotation at sign-in, the sessions list, log out
//! everywhere, sessions ended by a reset, plain form posts, and requests from a sibling
//! subdomain refused.

use reqwest::header::{ACCEPT, CONTENT_TYPE, REFERER, SET_COOKIE};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::{client, TestApp};
use crate::identity::{signed_up_and_verified, PASSWORD};
use crate::mail_test;

const FORM: &str = "application/x-www-form-urlencoded";

/// A form post to a server function from this site's page (as the browser sends it).
async fn post_form(
    app: &TestApp,
    browser: &reqwest::Client,
    path: &str,
    body: &str,
) -> reqwest::Response {
    browser
        .post(app.url(path))
        .header("origin", app.origin())
        .header(CONTENT_TYPE, FORM)
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

async fn log_in(app: &TestApp, browser: &reqwest::Client, email: &str) -> reqwest::Response {
    let body = format!("email={}&password={PASSWORD}", email.replace('@', "%40"));
    let answer = post_form(app, browser, "/api/auth/login", &body).await;
    assert!(
        answer.status().is_success() || answer.status().is_redirection(),
        "{}",
        answer.status()
    );
    answer
}

async fn me_status(app: &TestApp, browser: &reqwest::Client) -> StatusCode {
    browser
        .get(app.url("/api/v1/auth/me"))
        .send()
        .await
        .unwrap()
        .status()
}

fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|c| c.starts_with("oikos_session="))
        .expect("a session cookie")
}

mail_test! {
    async fn a_session_lists_itself_and_log_out_everywhere_ends_them_all(app: TestApp) {
        signed_up_and_verified(&app, "ann@example.com").await;
        let (laptop, phone) = (client(), client());
        let signed_in = log_in(&app, &laptop, "ann@example.com").await;
        let cookie = session_cookie(&signed_in);
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(cookie.contains(attribute), "{attribute}: {cookie}");
        }
        assert!(!cookie.to_ascii_lowercase().contains("domain="), "host-only: {cookie}");
        log_in(&app, &phone, "ann@example.com").await;
        assert_eq!(me_status(&app, &laptop).await, StatusCode::OK, "REST accepts the session cookie");

        let overview: Value = post_form(&app, &laptop, "/api/account/overview", "").await.json().await.unwrap();
        let sessions = overview["sessions"].as_array().unwrap();
        assert_eq!(sessions.len(), 2, "{overview}");
        assert_eq!(sessions.iter().filter(|s| s["current"] == true).count(), 1);
        assert!(sessions.iter().all(|s| s["ip"] == "127.0.0.1"));

        let ended = post_form(&app, &laptop, "/api/auth/log_out_everywhere", "").await;
        assert!(ended.status().is_success() || ended.status().is_redirection());
        assert_eq!(me_status(&app, &laptop).await, StatusCode::UNAUTHORIZED);
        assert_eq!(me_status(&app, &phone).await, StatusCode::UNAUTHORIZED);
    }
}

mail_test! {
    async fn sign_in_rotates_the_session_id_and_a_reset_ends_every_session(app: TestApp) {
        signed_up_and_verified(&app, "ann@example.com").await;
        let browser = client();
        let first = session_cookie(&log_in(&app, &browser, "ann@example.com").await);
        let second = session_cookie(&log_in(&app, &browser, "ann@example.com").await);
        assert_ne!(first, second, "a new id at every sign-in");
        let stale = first.split(';').next().unwrap().to_owned();
        let replayed = client().get(app.url("/api/v1/auth/me")).header("cookie", stale).send().await.unwrap();
        assert_eq!(replayed.status(), StatusCode::UNAUTHORIZED, "the old id is gone");

        app.post_json("/api/v1/auth/reset-password/request", &json!({"email": "ann@example.com"})).await;
        let mail = app.mailbox().wait_for("ann@example.com", 2).await;
        let token = mail.link(&app.url("/reset-password?token=")).split("token=").nth(1).unwrap().to_owned();
        let body = json!({"token": token, "password": "Brand-New-Pass-7"});
        assert_eq!(app.post_json("/api/v1/auth/reset-password/confirm", &body).await.status(), StatusCode::OK);
        assert_eq!(me_status(&app, &browser).await, StatusCode::UNAUTHORIZED);
    }
}

mail_test! {
    async fn a_sibling_subdomain_cannot_act_with_the_session(app: TestApp) {
        signed_up_and_verified(&app, "ann@example.com").await;
        let browser = client();
        log_in(&app, &browser, "ann@example.com").await;
        let evil = format!("http://evil.localhost:{}", app.address.port());

        // A server-function call and a plain form post carrying the cookie, from evil.*:
        // refused with 403 JSON, and nothing happened.
        let call = browser.post(app.url("/api/auth/log_out_everywhere"))
            .header("origin", &evil).header(CONTENT_TYPE, FORM).send().await.unwrap();
        assert_eq!(call.status(), StatusCode::FORBIDDEN);
        let body: Value = call.json().await.unwrap();
        assert_eq!(body["error"]["code"], "cross_site_request");
        let form = browser.post(app.url("/api/account/update_name"))
            .header("origin", &evil).header(CONTENT_TYPE, FORM).header(ACCEPT, "text/html")
            .body("first_name=Mallory&last_name=Evil").send().await.unwrap();
        assert_eq!(form.status(), StatusCode::FORBIDDEN);
        let rest = browser.post(app.url("/api/v1/auth/logout")).header("origin", &evil).send().await.unwrap();
        assert_eq!(rest.status(), StatusCode::FORBIDDEN);
        // No Origin and a cross-site fetch: refused too.
        let hidden = browser.post(app.url("/api/auth/log_out")).header("sec-fetch-site", "same-site")
            .header(CONTENT_TYPE, FORM).send().await.unwrap();
        assert_eq!(hidden.status(), StatusCode::FORBIDDEN);

        assert_eq!(me_status(&app, &browser).await, StatusCode::OK, "still signed in");
        let me: Value = browser.get(app.url("/api/v1/auth/me")).send().await.unwrap().json().await.unwrap();
        assert_eq!(me["user"]["first_name"], "Ann", "the name is unchanged");
    }
}

mail_test! {
    async fn a_plain_form_post_comes_back_to_its_page_with_the_error(app: TestApp) {
        let browser = client();
        let answer = browser.post(app.url("/api/auth/login"))
            .header("origin", app.origin())
            .header(CONTENT_TYPE, FORM)
            .header(ACCEPT, "text/html,application/xhtml+xml")
            .header(REFERER, app.url("/login"))
            .body("email=nobody%40example.com&password=Wrong-Pass-99")
            .send().await.unwrap();
        assert_eq!(answer.status(), StatusCode::FOUND);
        let location = answer.headers()["location"].to_str().unwrap().to_owned();
        assert!(location.starts_with(&app.url("/login?")), "{location}");
        let page = browser.get(&location).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Incorrect email or password."), "the error is on the page");
        assert!(page.contains(r#"value="nobody@example.com""#), "what was typed is back in its field");
        assert!(!page.contains("Wrong-Pass-99"), "a password never comes back");
        let again = browser.get(&location).send().await.unwrap().text().await.unwrap();
        assert!(!again.contains(r#"value="nobody@example.com""#), "given back once");
    }
}

mail_test! {
    async fn an_error_written_into_a_link_shows_only_the_servers_own_words(app: TestApp) {
        use base64::engine::general_purpose::URL_SAFE;
        use base64::Engine as _;
        // A link anyone could send: the login page with an error of the sender's wording.
        let forged = json!({
            "code": "invalid_credentials",
            "message": "Account locked: call +1-555-0100",
            "fields": {"email": "Call +1-555-0100 to unlock"},
        });
        let forged = URL_SAFE.encode(forged.to_string());
        let link = app.url(&format!("/login?__path=%2Fapi%2Fauth%2Flogin&__err={forged}"));
        let page = client().get(&link).send().await.unwrap().text().await.unwrap();
        assert!(!page.contains("555-0100"), "the sender's words reach the page");
        assert!(page.contains("Check this field."), "the field is marked in the server's words");
        // Garbage in the link is dropped, not shown.
        let link = app.url("/login?__path=%2Fapi%2Fauth%2Flogin&__err=not-base64!");
        let page = client().get(&link).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
    }
}
