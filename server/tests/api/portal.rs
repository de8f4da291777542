//! The move from the main site to a tenant's portal over HTTP: sign-in hands over to the
//! only workspace's portal with a single-use token bound to that tenant; the portal starts
//! its own host-only session; the switcher does the same between portals; and the portal's
//! server functions answer for the portal's tenant only.

use reqwest::header::{CONTENT_TYPE, LOCATION, SET_COOKIE};
use reqwest::{Response, StatusCode};
use serde_json::Value;

use crate::helpers::{client, TestApp};
use crate::registration::business;
use crate::{app_test, path_app_test};

const FORM: &str = "application/x-www-form-urlencoded";

/// A form post to a server function from a page of `origin` (as the browser sends it).
pub(crate) async fn post_form(
    browser: &reqwest::Client,
    origin: &str,
    path: &str,
    body: &str,
) -> Response {
    post_form_to(browser, origin, &format!("{origin}{path}"), body).await
}

/// A form post to a server function at `url` from a page of `origin`.
async fn post_form_to(browser: &reqwest::Client, origin: &str, url: &str, body: &str) -> Response {
    browser
        .post(url)
        .header("origin", origin)
        .header(CONTENT_TYPE, FORM)
        .body(body.to_owned())
        .send()
        .await
        .unwrap()
}

/// A server function called by a portal's page script (under the portal's mount).
pub(crate) async fn portal_fn(
    app: &TestApp,
    browser: &reqwest::Client,
    slug: &str,
    path: &str,
    body: &str,
) -> Response {
    post_form_to(
        browser,
        &app.tenant_origin(slug),
        &app.tenant_url(slug, path),
        body,
    )
    .await
}

pub(crate) fn location(response: &Response) -> String {
    response.headers()[LOCATION].to_str().unwrap().to_owned()
}

/// Registers a business whose owner is `owner{n}@example.com`; its slug.
async fn registered(app: &TestApp, name: &str, n: u32) -> String {
    let answer = app
        .post_json("/api/v1/public/register", &business(name, n))
        .await;
    assert_eq!(answer.status(), StatusCode::CREATED);
    let answer: Value = answer.json().await.unwrap();
    answer["slug"].as_str().unwrap().to_owned()
}

async fn log_in(app: &TestApp, browser: &reqwest::Client, n: u32) -> Response {
    let body = format!("email=owner{n}%40example.com&password=Sturdy-Otter-42");
    post_form(browser, &app.origin(), "/api/auth/login", &body).await
}

/// Sign-in, the handoff and the portal's first server function, in either routing mode.
async fn hands_over_to_the_portal_once(app: &TestApp) {
    let slug = registered(app, "Salon Uno", 1).await;
    let browser = client();
    // A server function called by the page's script answers where to go in `Location`.
    let signed_in = log_in(app, &browser, 1).await;
    assert_eq!(signed_in.status(), StatusCode::OK);
    let handoff = location(&signed_in);
    let portal = app.tenant_url(&slug, "");
    assert!(
        handoff.starts_with(&format!("{portal}/auth/handoff?token=")),
        "{handoff}"
    );

    let arrived = browser
        .get(&handoff)
        .header("sec-fetch-site", "same-site")
        .send()
        .await
        .unwrap();
    assert_eq!(arrived.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&arrived), app.tenant_path(&slug, "/dashboard"));
    assert_eq!(arrived.headers()["referrer-policy"], "no-referrer");
    assert_eq!(arrived.headers()["cache-control"], "no-store");
    let cookie = arrived
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .map(|c| c.to_str().unwrap().to_ascii_lowercase())
        .find(|c| c.starts_with("oikos_session="))
        .expect("a session on the portal");
    assert!(!cookie.contains("domain="), "host-only: {cookie}");
    let me: Value = browser
        .get(format!("{portal}/api/v1/auth/me"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["tenant"]["slug"], slug.as_str(), "{me}");

    // The token is used up: a second visit (another browser) signs nobody in.
    let stranger = client();
    let again = stranger
        .get(&handoff)
        .header("sec-fetch-site", "same-site")
        .send()
        .await
        .unwrap();
    assert_eq!(
        location(&again),
        app.tenant_path(&slug, "/login?handoff=expired")
    );
    let status = stranger
        .get(format!("{portal}/api/v1/auth/me"))
        .send()
        .await
        .unwrap()
        .status();
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // The portal's dashboard answers for its tenant, with the owner's checklist.
    let dashboard = portal_fn(app, &browser, &slug, "/api/portal/dashboard", "").await;
    assert_eq!(dashboard.status(), StatusCode::OK);
    let dashboard: Value = dashboard.json().await.unwrap();
    assert_eq!(dashboard["tenant_name"], "Salon Uno");
    assert_eq!(dashboard["checklist"].as_array().unwrap().len(), 6);
    assert_eq!(dashboard["cards"][0]["label"], "Outlets");
    // A portal's home is its dashboard.
    let home = browser.get(format!("{portal}/")).send().await.unwrap();
    assert_eq!(location(&home), app.tenant_path(&slug, "/dashboard"));
}

app_test! {
    async fn signing_in_hands_over_to_the_portal_once(app: TestApp) {
        hands_over_to_the_portal_once(&app).await;
    }
}

path_app_test! {
    async fn in_path_mode_signing_in_hands_over_to_the_portal_path(app: TestApp) {
        hands_over_to_the_portal_once(&app).await;
    }
}

path_app_test! {
    async fn in_path_mode_the_portal_lives_under_its_path(app: TestApp) {
        let slug = registered(&app, "Salon Uno", 1).await;
        let browser = client();
        browser.get(location(&log_in(&app, &browser, 1).await)).header("sec-fetch-site", "same-site").send().await.unwrap();
        // The page: the tenant's header, links and forms under its path, and the mount for
        // the browser's router and server calls.
        let page = browser.get(app.tenant_url(&slug, "/dashboard")).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        let csp = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
        assert!(csp.contains("form-action 'self';"), "{csp}");
        let html = page.text().await.unwrap();
        assert!(html.contains(&format!("data-mount=\"/t/{slug}\"")), "{html}");
        assert!(html.contains("Salon Uno"));
        assert!(html.contains(&format!("href=\"/t/{slug}/outlets\"")), "nav links keep the path");
        assert!(html.contains(&format!("href=\"/t/{slug}/branding.css?v=")), "the branding stylesheet");
        // A plain form post goes to the server function's own URL; the page it came from
        // names the portal, and the answer leads back under the portal's path.
        let settings = app.tenant_url(&slug, "/settings");
        let saved = browser.post(app.url("/api/portal/save_profile"))
            .header("origin", app.origin()).header("referer", &settings)
            .header("accept", "text/html").header(CONTENT_TYPE, FORM)
            .body("name=Salon+Nuevo&business_type=&email=owner1%40example.com&phone=&website=&description=")
            .send().await.unwrap();
        assert_eq!(saved.status(), StatusCode::FOUND);
        assert_eq!(location(&saved), app.tenant_path(&slug, "/settings?saved=1"));
        let dashboard: Value = portal_fn(&app, &browser, &slug, "/api/portal/dashboard", "").await.json().await.unwrap();
        assert_eq!(dashboard["tenant_name"], "Salon Nuevo");
        // Subdomains are not served in path mode; `/t/{slug}` alone is the portal's home.
        let port = app.address.port();
        let subdomain = browser.get(format!("http://{slug}.localhost:{port}/dashboard")).send().await.unwrap();
        assert_eq!(subdomain.status(), StatusCode::MISDIRECTED_REQUEST);
        let home = browser.get(app.url(&format!("/t/{slug}"))).send().await.unwrap();
        assert_eq!(location(&home), app.tenant_path(&slug, "/dashboard"));
        // An unknown tenant's path is no portal (as an unknown `X-Tenant-Slug`).
        let unknown = portal_fn(&app, &browser, "nobody-here", "/api/portal/dashboard", "").await;
        assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    }
}

app_test! {
    async fn a_handoff_works_only_on_the_portal_it_was_made_for(app: TestApp) {
        let uno = registered(&app, "Salon Uno", 1).await;
        let dos = registered(&app, "Salon Dos", 2).await;
        let browser = client();
        let handoff = location(&log_in(&app, &browser, 1).await);
        // The same token on another tenant's portal is unknown there…
        let elsewhere = handoff.replace(&format!("//{uno}."), &format!("//{dos}."));
        assert_ne!(elsewhere, handoff);
        let refused = browser.get(&elsewhere).header("sec-fetch-site", "same-site").send().await.unwrap();
        assert_eq!(location(&refused), "/login?handoff=expired");
        let status = browser.get(app.tenant_url(&dos, "/api/v1/auth/me")).send().await.unwrap().status();
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        // …and still good on its own, where the switcher cannot open a foreign workspace.
        let arrived = browser.get(&handoff).header("sec-fetch-site", "same-site").send().await.unwrap();
        assert_eq!(location(&arrived), "/dashboard");
        let portal = app.tenant_url(&uno, "");
        let foreign = post_form(&browser, &portal, "/api/auth/open_workspace", &format!("slug={dos}")).await;
        assert_eq!(foreign.status(), StatusCode::FORBIDDEN);
        // Nor does a handoff forward anywhere but a path of the portal.
        let away = handoff.replace("then=%2Fdashboard", "then=%2F%2Fevil.test");
        assert_ne!(away, handoff);
    }
}

app_test! {
    async fn the_switcher_and_the_workspace_choice_hand_over_too(app: TestApp) {
        let uno = registered(&app, "Salon Uno", 1).await;
        // The owner of Uno is made a member of Dos as well.
        let dos = registered(&app, "Salon Dos", 2).await;
        let owner = oikos::testing::fixtures::user_by_email(&app.ctx.db, "owner1@example.com").await;
        oikos::testing::fixtures::add_member(&app.ctx.db, &dos, owner.id, oikos::tenancy::Role::Staff).await;
        let browser = client();
        let signed_in = log_in(&app, &browser, 1).await;
        assert_eq!(location(&signed_in), "/choose-workspace", "two workspaces: the choice");
        let chosen = post_form(&browser, &app.origin(), "/api/auth/choose_workspace", &format!("slug={dos}")).await;
        let handoff = location(&chosen);
        assert!(handoff.starts_with(&app.tenant_url(&dos, "/auth/handoff?")), "{handoff}");
        browser.get(&handoff).header("sec-fetch-site", "same-site").send().await.unwrap();
        let dos_portal = app.tenant_url(&dos, "");
        let dashboard: Value = post_form(&browser, &dos_portal, "/api/portal/dashboard", "").await.json().await.unwrap();
        assert_eq!(dashboard["role"], "STAFF");
        assert_eq!(dashboard["checklist"], Value::Null, "the checklist is the admins'");
        assert_eq!(dashboard["others"][0]["slug"], uno.as_str(), "the switcher offers the other one");
        // From Dos's portal to Uno's, by the switcher.
        let switched = post_form(&browser, &dos_portal, "/api/auth/open_workspace", &format!("slug={uno}")).await;
        let handoff = location(&switched);
        assert!(handoff.starts_with(&app.tenant_url(&uno, "/auth/handoff?")), "{handoff}");
        browser.get(&handoff).header("sec-fetch-site", "same-site").send().await.unwrap();
        let me: Value = browser.get(app.tenant_url(&uno, "/api/v1/auth/me")).send().await.unwrap().json().await.unwrap();
        assert_eq!(me["role"], "TENANT_ADMIN");
    }
}

/// The password [`in_portal`] gives its user.
const PORTAL_PASSWORD: &str = "Sturdy-Otter-42";

/// `user` signed in on `slug`'s portal (through the main site's sign-in and the handoff):
/// the browser and its portal session cookie.
pub async fn in_portal(
    app: &TestApp,
    user: &oikos::users::User,
    slug: &str,
) -> (reqwest::Client, String) {
    oikos::testing::fixtures::set_password(&app.ctx, user.id, PORTAL_PASSWORD).await;
    let browser = client();
    let body = serde_urlencoded::to_string([
        ("email", user.email.to_string()),
        ("password", PORTAL_PASSWORD.to_owned()),
    ])
    .unwrap();
    let signed_in = post_form(&browser, &app.origin(), "/api/auth/login", &body).await;
    let arrived = browser
        .get(location(&signed_in))
        .header("sec-fetch-site", "same-site")
        .send()
        .await
        .unwrap();
    assert_eq!(arrived.status(), StatusCode::SEE_OTHER, "{slug}");
    (browser, session_cookie(&arrived))
}

/// The `oikos_session=…` pair a response sets.
pub fn session_cookie(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|c| c.to_str().ok()?.split(';').next().map(str::to_owned))
        .find(|c| c.starts_with("oikos_session="))
        .expect("a session cookie")
}

path_app_test! {
    async fn a_failed_plain_post_comes_back_with_what_was_typed_and_ticked(app: TestApp) {
        let slug = registered(&app, "Salon Uno", 1).await;
        let browser = client();
        browser.get(location(&log_in(&app, &browser, 1).await)).header("sec-fetch-site", "same-site").send().await.unwrap();
        let services = app.tenant_url(&slug, "/services");
        let fresh = browser.get(&services).send().await.unwrap().text().await.unwrap();
        assert!(is_ticked(&fresh, "is_active"), "a new service is offered by default");
        // A bad price, and "offered" unticked (an unticked box is not sent at all).
        let failed = browser.post(app.url("/api/portal/save_service"))
            .header("origin", app.origin()).header("referer", &services)
            .header("accept", "text/html").header(CONTENT_TYPE, FORM)
            .body("id=&name=Haircut&category=Hair&price=25.5.0&duration_minutes=45&outlet_id=&description=")
            .send().await.unwrap();
        assert_eq!(failed.status(), StatusCode::FOUND);
        let back = location(&failed);
        assert!(back.contains("__err="), "{back}");
        let back = if back.starts_with("http") { back } else { app.url(&back) };
        let page = browser.get(&back).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("Use a price like 25 or 25.50."), "the error is next to its field");
        assert!(page.contains(r#"value="Haircut""#) && page.contains(r#"value="25.5.0""#), "typed values are back");
        assert!(!is_ticked(&page, "is_active"), "the box is as it was sent: unticked");
    }
}

/// Whether the page's check box `name` is ticked.
fn is_ticked(html: &str, name: &str) -> bool {
    let marker = format!(r#"name="{name}""#);
    let at = html.find(&marker).expect("the check box");
    let start = html[..at].rfind('<').unwrap();
    let tag = &html[start..start + html[start..].find('>').unwrap()];
    tag.split_whitespace()
        .any(|word| word == "checked" || word.starts_with("checked="))
}

app_test! {
    async fn a_handoff_link_opened_from_elsewhere_asks_before_signing_in(app: TestApp) {
        let slug = registered(&app, "Salon Uno", 1).await;
        // Someone signs in and keeps their handoff link instead of following it ...
        let sender = client();
        let handoff = location(&log_in(&app, &sender, 1).await);
        // ... and sends it on: opened from a mail, a chat or another site, it signs no one in.
        let visitor = client();
        let opened = [
            visitor.get(&handoff).header("sec-fetch-site", "cross-site"),
            visitor.get(&handoff).header("sec-fetch-site", "none"),
            visitor.get(&handoff).header("referer", "https://evil.example/"),
            visitor.get(&handoff),
        ];
        let mut asked = String::new();
        for request in opened {
            let answer = request.send().await.unwrap();
            assert_eq!(answer.status(), StatusCode::SEE_OTHER);
            asked = location(&answer);
            assert!(asked.starts_with("/auth/continue?token="), "{asked}");
            assert!(answer.headers().get(SET_COOKIE).is_none(), "no session");
        }
        let me = visitor.get(app.tenant_url(&slug, "/api/v1/auth/me")).send().await.unwrap();
        assert_eq!(me.status(), StatusCode::UNAUTHORIZED);
        // The page names the account and the workspace, and waits for a decision.
        let page = visitor.get(app.tenant_url(&slug, &asked)).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        assert_eq!(page.headers()["referrer-policy"], "no-referrer");
        let page = page.text().await.unwrap();
        assert!(page.contains("This link signs you in to Salon Uno as owner1@example.com."), "{page}");
        assert!(page.contains("Not now"));
        // "Continue" from another site is refused; from the page itself it signs in.
        let (_, query) = asked.split_once('?').unwrap();
        let form = |origin: &str| {
            visitor.post(app.tenant_url(&slug, "/auth/handoff")).header("origin", origin)
                .header(CONTENT_TYPE, FORM).body(query.to_owned())
        };
        let forged = form("https://evil.example").send().await.unwrap();
        assert_eq!(forged.status(), StatusCode::FORBIDDEN);
        let continued = form(&app.tenant_origin(&slug)).send().await.unwrap();
        assert_eq!(continued.status(), StatusCode::SEE_OTHER);
        assert_eq!(location(&continued), "/dashboard");
        let me = visitor.get(app.tenant_url(&slug, "/api/v1/auth/me")).send().await.unwrap();
        assert_eq!(me.status(), StatusCode::OK);

        // Followed from the site itself (a Referer on the main site, whether or not the
        // browser counts the main site and the portal as one site), a link is used at once.
        for site in [None, Some("cross-site")] {
            let own = client();
            let handoff = location(&log_in(&app, &own, 1).await);
            let mut request = own.get(&handoff).header("referer", app.url("/login"));
            if let Some(site) = site {
                request = request.header("sec-fetch-site", site);
            }
            assert_eq!(location(&request.send().await.unwrap()), "/dashboard");
        }
    }
}
