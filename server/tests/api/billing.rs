//! Billing over HTTP against localstripe (PRODUCT.md §7): a customer per tenant, a card
//! through a SetupIntent, subscribing, upgrading with proration, switching to annual,
//! cancelling and taking it back, the default card's rule, invoices; webhooks forged, stale,
//! repeated and out of order; and a crash between Stripe and the database mended.

use oikos::signature;
use oikos::tenancy::Role;
use oikos::testing::{Seeded, TestTenant};
use reqwest::StatusCode;
use secrecy::SecretString;
use serde_json::{json, Value};

use crate::helpers::{access_token_in, TestApp};
use crate::peers::STRIPE_WEBHOOK_SECRET;
use crate::{app_test, billing_test};

const CARD: &str = "4242424242424242";

/// A seeded workspace's admin token, with a card on file.
async fn with_card(app: &TestApp, slug: &str) -> (Seeded, String, Value) {
    let seeded = TestTenant::new(slug).create(&app.ctx.db).await;
    let admin = access_token_in(app, &seeded.admin, seeded.tenant.id, Role::TenantAdmin);
    let (status, setup) = app
        .call("POST", "/api/v1/payment-methods/setup-intent", &admin, None)
        .await;
    assert_eq!(status, StatusCode::OK, "{setup}");
    assert!(
        setup["client_secret"]
            .as_str()
            .is_some_and(|s| !s.is_empty()),
        "{setup}"
    );
    let card = app.stripe().card(CARD).await;
    let (status, added) = app
        .call(
            "POST",
            "/api/v1/payment-methods",
            &admin,
            Some(json!({"payment_method_id": card})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    (seeded, admin, added)
}

/// The tenant's Stripe subscriptions, as Stripe lists them.
async fn at_stripe(app: &TestApp, customer: &str) -> Vec<Value> {
    let list = app
        .stripe()
        .call("GET", "/v1/subscriptions", &[("customer", customer)])
        .await;
    list["data"].as_array().cloned().unwrap_or_default()
}

/// The customer Oikos made for the token's tenant.
async fn customer_of(app: &TestApp, admin: &str) -> String {
    let (_, cards) = app
        .call("GET", "/api/v1/payment-methods", admin, None)
        .await;
    let card = cards[0]["id"].as_str().unwrap().to_owned();
    let method = app
        .stripe()
        .call("GET", &format!("/v1/payment_methods/{card}"), &[])
        .await;
    method["customer"].as_str().unwrap().to_owned()
}

/// A delivery signed as Stripe signs it, at `at` (unix seconds).
async fn deliver(app: &TestApp, event: &Value, at: i64) -> reqwest::Response {
    let body = event.to_string();
    let header = signature::sign(
        body.as_bytes(),
        &SecretString::from(STRIPE_WEBHOOK_SECRET),
        at,
    );
    app.client
        .post(app.url("/api/v1/webhooks/stripe"))
        .header("stripe-signature", header)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap()
}

billing_test! {
    async fn an_admin_subscribes_upgrades_switches_to_annual_and_cancels(app: TestApp) {
        // Registration makes the customer.
        let registered: Value = app.post_json("/api/v1/public/register", &crate::registration::business("Billed Salon", 7)).await.json().await.unwrap();
        assert!(registered["billing_customer_id"].as_str().is_some_and(|c| c.starts_with("cus_")), "{registered}");

        let salon = TestTenant::new("salon").create(&app.ctx.db).await;
        let admin = access_token_in(&app, &salon.admin, salon.tenant.id, Role::TenantAdmin);
        let (_, plans) = app.call_url("GET", &app.url("/api/v1/subscriptions/plans"), "", None).await;
        assert_eq!(plans[1]["code"], "BASIC");
        assert_eq!(plans[1]["limits"]["outlets"], 3);
        let (_, now) = app.call("GET", "/api/v1/subscriptions/current", &admin, None).await;
        assert_eq!((now["plan"].as_str(), now["status"].as_str()), (Some("FREE"), Some("active")));

        // No card: a paid plan asks for one.
        let basic = json!({"plan": "BASIC", "billing_cycle": "monthly"});
        let (status, refused) = app.call("POST", "/api/v1/subscriptions/upgrade", &admin, Some(basic.clone())).await;
        assert_eq!((status, refused["error"]["code"].as_str()), (StatusCode::PAYMENT_REQUIRED, Some("payment_method_required")));

        let card = app.stripe().card(CARD).await;
        let (status, added) = app.call("POST", "/api/v1/payment-methods", &admin, Some(json!({"payment_method_id": card}))).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!((added["last4"].as_str(), added["is_default"].as_bool()), (Some("4242"), Some(true)));

        let (status, now) = app.call("POST", "/api/v1/subscriptions/upgrade", &admin, Some(basic)).await;
        assert_eq!(status, StatusCode::OK, "{now}");
        assert_eq!((now["plan"].as_str(), now["billing_cycle"].as_str(), now["status"].as_str()), (Some("BASIC"), Some("monthly"), Some("active")));
        assert!(now["current_period_end"].is_string(), "{now}");
        let customer = customer_of(&app, &admin).await;
        let subscriptions = at_stripe(&app, &customer).await;
        assert_eq!(subscriptions.len(), 1);
        assert_eq!(subscriptions[0]["items"]["data"][0]["plan"]["id"], "oikos-basic-monthly-1000usd");
        assert_eq!(subscriptions[0]["metadata"]["tenant_id"], salon.tenant.id.to_string());

        // Down is not up; up to PRO prorates (a credit for the unused BASIC time is pending).
        let (status, _) = app.call("POST", "/api/v1/subscriptions/upgrade", &admin, Some(json!({"plan": "FREE"}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let (_, now) = app.call("POST", "/api/v1/subscriptions/upgrade", &admin, Some(json!({"plan": "PRO", "billing_cycle": "monthly"}))).await;
        assert_eq!(now["plan"], "PRO", "{now}");
        let upcoming = app.stripe().call("GET", "/v1/invoices/upcoming", &[("customer", &customer)]).await;
        let lines = upcoming["lines"]["data"].as_array().unwrap();
        assert!(lines.iter().any(|l| l["proration"] == true && l["amount"].as_i64().unwrap() < 0), "{upcoming}");

        // Annual billing for the same plan, then cancel at period end and take it back.
        let (_, now) = app.call("POST", "/api/v1/subscriptions/upgrade", &admin, Some(json!({"plan": "PRO", "billing_cycle": "annual"}))).await;
        assert_eq!((now["plan"].as_str(), now["billing_cycle"].as_str()), (Some("PRO"), Some("annual")), "{now}");
        assert_eq!(at_stripe(&app, &customer).await[0]["items"]["data"][0]["plan"]["id"], "oikos-pro-annual-27600usd");
        let (_, now) = app.call("POST", "/api/v1/subscriptions/cancel", &admin, None).await;
        assert_eq!((now["plan"].as_str(), now["cancel_at_period_end"].as_bool()), (Some("PRO"), Some(true)));
        assert_eq!(at_stripe(&app, &customer).await[0]["cancel_at_period_end"], true);
        let (_, now) = app.call("POST", "/api/v1/subscriptions/uncancel", &admin, None).await;
        assert_eq!(now["cancel_at_period_end"], false);

        // Invoices: listed, each with a document (printed by Oikos: localstripe has no PDFs).
        let (_, invoices) = app.call("GET", "/api/v1/invoices", &admin, None).await;
        let invoices = invoices.as_array().unwrap();
        assert!(!invoices.is_empty());
        let first = &invoices[0];
        assert!(first["amount_due"].is_i64() && first["currency"] == "usd", "{first}");
        let page = app.client.get(first["download_url"].as_str().unwrap()).bearer_auth(&admin).send().await.unwrap();
        assert_eq!(page.status(), StatusCode::OK);
        assert!(page.headers()["content-security-policy"].to_str().unwrap().starts_with("default-src 'none'"));
        assert!(page.text().await.unwrap().contains("Invoice"));

        // The usage panel's figures.
        let (_, usage) = app.call("GET", "/api/v1/subscriptions/usage", &admin, None).await;
        assert_eq!(usage["outlets"], json!({"used": 0.0, "limit": 10}));
        assert_eq!(usage["staff"]["used"], 1.0);
    }
}

billing_test! {
    async fn the_default_card_stays_while_a_paid_plan_runs(app: TestApp) {
        let (_, admin, first) = with_card(&app, "salon").await;
        let first = first["id"].as_str().unwrap().to_owned();
        let (status, _) = app.call("POST", "/api/v1/subscriptions/upgrade", &admin, Some(json!({"plan": "BASIC"}))).await;
        assert_eq!(status, StatusCode::OK);
        let (status, refused) = app.call("DELETE", &format!("/api/v1/payment-methods/{first}"), &admin, None).await;
        assert_eq!((status, refused["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("payment_method_in_use")));
        // A second card, made the default: now the first one may go.
        let second = app.stripe().card("5555555555554444").await;
        let (_, added) = app.call("POST", "/api/v1/payment-methods", &admin, Some(json!({"payment_method_id": second}))).await;
        assert_eq!(added["is_default"], false);
        let (status, _) = app.call("PATCH", &format!("/api/v1/payment-methods/{second}/default"), &admin, None).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = app.call("DELETE", &format!("/api/v1/payment-methods/{first}"), &admin, None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (_, cards) = app.call("GET", "/api/v1/payment-methods", &admin, None).await;
        assert_eq!(cards.as_array().unwrap().len(), 1);
        assert_eq!((cards[0]["id"].as_str(), cards[0]["is_default"].as_bool()), (Some(second.as_str()), Some(true)));
        // Another tenant's card is not this tenant's to touch.
        let (_, other, theirs) = with_card(&app, "spa").await;
        let theirs = theirs["id"].as_str().unwrap();
        let (status, _) = app.call("DELETE", &format!("/api/v1/payment-methods/{theirs}"), &admin, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, _) = app.call("PATCH", &format!("/api/v1/payment-methods/{theirs}/default"), &admin, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        // Nor its invoice: this tenant's invoice id, asked by the other one.
        let (_, invoices) = app.call("GET", "/api/v1/invoices", &admin, None).await;
        let invoice = invoices[0]["id"].as_str().unwrap();
        let (status, _) = app.call("GET", &format!("/api/v1/invoices/{invoice}/download"), &other, None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, still) = app.call("GET", "/api/v1/payment-methods", &other, None).await;
        assert_eq!(still.as_array().unwrap().len(), 1);
    }
}

billing_test! {
    async fn webhooks_forged_stale_repeated_and_out_of_order_end_in_stripes_state(app: TestApp) {
        let (_, admin, _) = with_card(&app, "salon").await;
        app.call("POST", "/api/v1/subscriptions/upgrade", &admin, Some(json!({"plan": "BASIC"}))).await;
        let customer = customer_of(&app, &admin).await;
        let subscription = at_stripe(&app, &customer).await[0].clone();
        let id = subscription["id"].as_str().unwrap();
        let item = subscription["items"]["data"][0]["id"].as_str().unwrap();
        // Changed at Stripe (its dashboard, say): PRO.
        app.stripe().call("POST", &format!("/v1/subscriptions/{id}"), &[("items[0][id]", item), ("items[0][plan]", "oikos-pro-monthly-2900usd")]).await;
        let event = json!({"id": "evt_changed", "type": "customer.subscription.updated", "created": 1,
                           "data": {"object": {"id": id, "object": "subscription"}}});
        let now = chrono::Utc::now().timestamp();

        // Forged, stale or unsigned: 400.
        let body = event.to_string();
        let bad = app.client.post(app.url("/api/v1/webhooks/stripe"))
            .header("stripe-signature", format!("t={now},v1={}", "0".repeat(64)))
            .body(body.clone()).send().await.unwrap();
        assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
        assert_eq!(bad.json::<Value>().await.unwrap()["error"]["code"], "invalid_signature");
        assert_eq!(deliver(&app, &event, now - 301).await.status(), StatusCode::BAD_REQUEST, "stale");
        let unsigned = app.client.post(app.url("/api/v1/webhooks/stripe")).body(body).send().await.unwrap();
        assert_eq!(unsigned.status(), StatusCode::BAD_REQUEST);

        // The genuine delivery: the event names the subscription; Stripe's state is applied.
        assert_eq!(deliver(&app, &event, now).await.status(), StatusCode::OK);
        let (_, current) = app.call("GET", "/api/v1/subscriptions/current", &admin, None).await;
        assert_eq!(current["plan"], "PRO");
        // Ten more deliveries of the same event, at once: each answered 200, no new effect.
        let audit = app.count_rows("audit_log").await;
        let repeats = futures::future::join_all((0..10).map(|_| deliver(&app, &event, now))).await;
        assert!(repeats.iter().all(|r| r.status() == StatusCode::OK));
        assert_eq!(app.count_rows("audit_log").await, audit, "exactly one effect");
        assert!(app.count_rows("stripe_events").await >= 1);

        // An older event arriving late (it described BASIC) leaves Stripe's current state.
        let late = json!({"id": "evt_older", "type": "customer.subscription.updated", "created": 0,
                          "data": {"object": {"id": id, "items": {"data": [{"plan": {"id": "oikos-basic-monthly-1000usd"}}]}}}});
        assert_eq!(deliver(&app, &late, now).await.status(), StatusCode::OK);
        let (_, current) = app.call("GET", "/api/v1/subscriptions/current", &admin, None).await;
        assert_eq!(current["plan"], "PRO");

        // Ended at Stripe: localstripe signs and delivers customer.subscription.deleted itself.
        app.stripe().call("DELETE", &format!("/v1/subscriptions/{id}"), &[]).await;
        let mut ended = Value::Null;
        for _ in 0..50 {
            ended = app.call("GET", "/api/v1/subscriptions/current", &admin, None).await.1;
            if ended["plan"] == "FREE" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(200)).await;
        }
        assert_eq!((ended["plan"].as_str(), ended["status"].as_str()), (Some("FREE"), Some("canceled")), "{ended}");
        // Events Oikos does not act on are still answered 200.
        let other = json!({"id": "evt_other", "type": "product.created", "data": {"object": {"id": "prod_x"}}});
        assert_eq!(deliver(&app, &other, now).await.status(), StatusCode::OK);
    }
}

billing_test! {
    async fn a_subscription_stripe_has_and_the_database_lacks_is_mended_by_reconciliation(app: TestApp) {
        // As if the server died after Stripe made the subscription and before it wrote it
        // down: Stripe has it, the tenant row does not, and no event names the tenant.
        // A workspace whose customer Stripe does not know fails alone: the rest go on.
        let broken = TestTenant::new("broken").create(&app.ctx.db).await;
        oikos::testing::fixtures::stripe_customer(&app.ctx.db, broken.tenant.id, "cus_gone").await;
        let (_, admin, _) = with_card(&app, "salon").await;
        let customer = customer_of(&app, &admin).await;
        app.stripe().call("POST", "/v1/subscriptions", &[("customer", &customer), ("items[0][plan]", "oikos-basic-annual-9600usd")]).await;
        let reconciled = oikos::billing::account::reconcile(&app.ctx).await.unwrap();
        assert_eq!((reconciled.checked, reconciled.failed), (1, 1), "{reconciled:?}");
        let (_, current) = app.call("GET", "/api/v1/subscriptions/current", &admin, None).await;
        assert_eq!((current["plan"].as_str(), current["billing_cycle"].as_str()), (Some("BASIC"), Some("annual")), "{current}");
    }
}

oikos::on_both_backends! { with_stripe_and_root,
    async fn a_suspension_holds_against_stripe_until_reactivation_reads_stripe_again(app: TestApp) {
        let salon = TestTenant::new("salon").create(&app.ctx.db).await;
        let tenant = salon.tenant.id;
        let admin = access_token_in(&app, &salon.admin, tenant, Role::TenantAdmin);
        // A card that attaches and then fails every payment; the customer is the only one
        // this Stripe has.
        let card = app.stripe().card("4000000000000341").await;
        let (status, _) = app.call("POST", "/api/v1/payment-methods", &admin, Some(json!({"payment_method_id": card}))).await;
        assert_eq!(status, StatusCode::CREATED);
        let customers = app.stripe().call("GET", "/v1/customers", &[]).await;
        let customer = customers["data"][0]["id"].as_str().unwrap().to_owned();
        let root = crate::tenants::root_token(&app).await;
        let (status, _) = app.call_url("DELETE", &app.url(&format!("/api/v1/tenants/{tenant}")), &root, None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        // Meanwhile Stripe starts a subscription that no payment went through (`inactive`).
        app.stripe().call("POST", "/v1/subscriptions", &[("customer", &customer), ("items[0][plan]", "oikos-basic-monthly-1000usd")]).await;
        oikos::billing::account::reconcile(&app.ctx).await.unwrap();
        let recorded = || async {
            let root = oikos::testing::fixtures::user_by_email(&app.ctx.db, "root@oikos.test").await;
            let admin = oikos::tenancy::AdminScope::resolve(&oikos::testing::fixtures::principal(&root)).unwrap();
            oikos::billing::service::current(&app.ctx, &admin.tenant(tenant)).await.unwrap()
        };
        let held = recorded().await;
        assert_eq!((held.plan.as_str(), held.status.as_str()), ("BASIC", "suspended"));
        // Reactivation takes Stripe's status, not a blanket `active`.
        let (status, _) = app.call_url("POST", &app.url(&format!("/api/v1/tenants/{tenant}/reactivate")), &root, None).await;
        assert_eq!(status, StatusCode::OK);
        let resumed = recorded().await;
        assert_eq!((resumed.plan.as_str(), resumed.status.as_str()), ("BASIC", "inactive"));
        // With Stripe billing, super admins do not assign plans.
        let assign = app.url(&format!("/api/v1/tenants/{tenant}/subscription"));
        let (status, refused) = app.call_url("PUT", &assign, &root, Some(json!({"plan": "PRO"}))).await;
        assert_eq!((status, refused["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("billing_enabled")));
    }
}

app_test! {
    async fn members_see_a_banner_on_every_portal_page_while_payment_fails(app: TestApp) {
        let salon = TestTenant::new("salon").with_member(Role::Staff).create(&app.ctx.db).await;
        let (owner, _) = crate::portal::in_portal(&app, &salon.admin, "salon").await;
        let (staff, _) = crate::portal::in_portal(&app, &salon.members[0].0, "salon").await;
        let page = |browser: &reqwest::Client, path: &str| {
            let request = browser.get(app.tenant_url("salon", path));
            async move { request.send().await.unwrap().text().await.unwrap() }
        };
        const BANNER: &str = "Payment for this workspace is failing";
        assert!(!page(&owner, "/dashboard").await.contains(BANNER));
        oikos::testing::fixtures::subscription_status(&app.ctx.db, salon.tenant.id, "past_due").await;
        for path in ["/dashboard", "/outlets", "/team"] {
            let seen = page(&owner, path).await;
            assert!(seen.contains(BANNER) && seen.contains("Update the payment method"), "{path}");
        }
        let seen = page(&staff, "/dashboard").await;
        assert!(seen.contains(BANNER) && !seen.contains("Update the payment method"));
        assert!(seen.contains("A workspace admin can update the payment method."));
        // Visitors (the portal's sign-in page) are not told.
        let visitor = page(&crate::helpers::client(), "/login").await;
        assert!(visitor.contains("<form") && !visitor.contains(BANNER));
    }
}

async fn with_stripe_and_root(backend: oikos::db::Backend) -> TestApp {
    crate::helpers::spawn_billing_app_with(backend, &crate::tenants::ROOT).await
}

app_test! {
    async fn with_billing_off_the_plans_show_and_changes_say_so(app: TestApp) {
        let salon = TestTenant::new("salon").create(&app.ctx.db).await;
        let admin = access_token_in(&app, &salon.admin, salon.tenant.id, Role::TenantAdmin);
        let (_, plans) = app.call_url("GET", &app.url("/api/v1/subscriptions/plans"), "", None).await;
        assert_eq!(plans.as_array().unwrap().len(), 4);
        let (status, off) = app.call("POST", "/api/v1/subscriptions/upgrade", &admin, Some(json!({"plan": "BASIC"}))).await;
        assert_eq!((status, off["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("billing_disabled")));
        let (status, _) = app.call("POST", "/api/v1/webhooks/stripe", &admin, Some(json!({}))).await;
        assert_eq!(status, StatusCode::CONFLICT);
        let staff = TestTenant::new("spa").with_member(Role::Staff).create(&app.ctx.db).await;
        let token = access_token_in(&app, &staff.members[0].0, staff.tenant.id, Role::Staff);
        let (status, _) = app.call("POST", "/api/v1/subscriptions/cancel", &token, None).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "staff do not manage billing");
    }
}
