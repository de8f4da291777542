//! Deliveries to a real HTTP receiver started here: signed, retried after failures with
//! backoff, given up after a day, and never sent for a change that was rolled back.

use chrono::{Duration, Utc};
use secrecy::SecretString;

use super::endpoints::{self, NewEndpoint};
use super::{emit, worker, EventType};
use crate::db::Access;
use crate::db_test;
use crate::tenancy::AdminScope;
use crate::testing::{fixtures, Receiver, TestDb};

async fn subscribe(db: &TestDb, url: &str) -> (AdminScope, endpoints::Created) {
    let admin = AdminScope::resolve(&fixtures::super_admin(db).await).unwrap();
    let input = NewEndpoint {
        url: url.to_owned(),
        events: vec!["tenant.updated".to_owned()],
    };
    let created = endpoints::create(db, &admin, &input, true).await.unwrap();
    (admin, created)
}

async fn emit_updated(db: &TestDb, commit: bool) {
    let mut tx = db.begin(Access::Write).await.unwrap();
    let data = serde_json::json!({ "id": "t1" });
    emit(&mut tx, EventType::TenantUpdated, data).await.unwrap();
    if commit {
        tx.commit().await.unwrap();
    } else {
        tx.rollback().await.unwrap();
    }
}

db_test! {
    async fn a_receiver_failing_three_times_gets_the_event_on_the_fourth_try(db: TestDb) {
        let (receiver, url) = Receiver::start(3).await;
        let (admin, created) = subscribe(&db, &url).await;
        emit_updated(&db, false).await;
        emit_updated(&db, true).await;
        let client = crate::webhooks::target::client(true).unwrap();

        let start = Utc::now();
        assert_eq!(worker::deliver_due(&db, &client, start).await, 1);
        // Not due again until the backoff has passed: 30 s, then 60 s, then 120 s.
        assert_eq!(worker::deliver_due(&db, &client, start + Duration::seconds(29)).await, 0);
        let mut at = start;
        for wait in [30, 60, 120] {
            at += Duration::seconds(wait);
            assert_eq!(worker::deliver_due(&db, &client, at).await, 1, "after {wait} s");
        }
        assert_eq!(worker::deliver_due(&db, &client, at + Duration::hours(1)).await, 0, "delivered: done");
        assert_eq!(receiver.count(), 4, "the rolled-back event was never sent");

        // The same body every time, signed with the endpoint's secret.
        let seen = receiver.seen();
        let secret = SecretString::from(created.secret.clone());
        for (headers, body) in &seen {
            assert_eq!(body, &seen[0].1);
            let signature = &headers["oikos-signature"];
            crate::signature::verify(signature, body.as_bytes(), &secret, Utc::now().timestamp()).unwrap();
            assert_eq!(headers["content-type"], "application/json");
        }
        let event: serde_json::Value = serde_json::from_str(&seen[0].1).unwrap();
        assert_eq!(event["type"], "tenant.updated");
        assert_eq!(event["data"]["id"], "t1");
        assert!(event["id"].is_string() && event["created_at"].is_string(), "{event}");

        let log = endpoints::log(&db, &admin, created.endpoint.id).await.unwrap();
        let (delivery, attempts) = &log[0];
        assert_eq!((delivery.status.as_str(), delivery.attempts), ("delivered", 4));
        let codes: Vec<Option<i32>> = attempts.iter().map(|a| a.status_code).collect();
        assert_eq!(codes, [Some(500), Some(500), Some(500), Some(200)]);
        assert!(attempts[0].error.as_deref().unwrap().starts_with("HTTP 500"));
    }
}

db_test! {
    async fn a_receiver_that_never_answers_is_given_up_after_a_day(db: TestDb) {
        // Nothing listens on this port: every connection is refused.
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let (admin, created) = subscribe(&db, &format!("http://127.0.0.1:{port}/hook")).await;
        emit_updated(&db, true).await;
        let client = crate::webhooks::target::client(true).unwrap();
        let mut at = Utc::now();
        let mut tries = 0;
        while worker::deliver_due(&db, &client, at).await == 1 {
            tries += 1;
            at += Duration::hours(4);
        }
        let log = endpoints::log(&db, &admin, created.endpoint.id).await.unwrap();
        let (delivery, attempts) = &log[0];
        assert_eq!(delivery.status, "failed");
        assert_eq!(attempts.len(), tries);
        assert!((6..=8).contains(&tries), "every 4 h at most, for 24 h: {tries}");
        assert_eq!(attempts[0].status_code, None);
        assert!(attempts[0].error.as_deref().unwrap().contains("onnect"), "{:?}", attempts[0].error);

        // The log's "Retry" (a day on): one more attempt at once, then failed again; only
        // failed ones.
        endpoints::retry(&db, &admin, delivery.id).await.unwrap();
        assert!(matches!(endpoints::retry(&db, &admin, delivery.id).await, Err(crate::Error::NotFound)));
        assert_eq!(worker::deliver_due(&db, &client, at).await, 1);
        let log = endpoints::log(&db, &admin, created.endpoint.id).await.unwrap();
        assert_eq!((log[0].0.status.as_str(), log[0].1.len()), ("failed", tries + 1));
    }
}

db_test! {
    async fn endpoints_are_checked_listed_tested_and_deleted(db: TestDb) {
        let admin = AdminScope::resolve(&fixtures::super_admin(&db).await).unwrap();
        let refused = endpoints::create(&db, &admin, &NewEndpoint {
            url: "http://127.0.0.1:9/hook".to_owned(),
            events: vec!["tenant.created".to_owned(), "tenant.exploded".to_owned()],
        }, false).await.unwrap_err();
        let crate::Error::Invalid { fields } = refused else { panic!("{refused:?}") };
        assert!(fields["url"].contains("private"), "{fields:?}");
        assert!(fields["events"].contains("tenant.deleted"), "{fields:?}");

        let (receiver, url) = Receiver::start(0).await;
        let created = endpoints::create(&db, &admin, &NewEndpoint {
            url,
            events: vec!["tenant.deleted".to_owned(), "tenant.created".to_owned(), "tenant.created".to_owned()],
        }, true).await.unwrap();
        assert!(created.secret.starts_with("whsec_") && created.secret.len() > 40);
        assert_eq!(created.endpoint.events, [EventType::TenantCreated, EventType::TenantDeleted]);
        assert_eq!(endpoints::list(&db, &admin).await.unwrap(), std::slice::from_ref(&created.endpoint));

        // Not subscribed to updates: nothing queued for them.
        emit_updated(&db, true).await;
        endpoints::send_test(&db, &admin, created.endpoint.id).await.unwrap();
        let client = crate::webhooks::target::client(true).unwrap();
        assert_eq!(worker::deliver_due(&db, &client, Utc::now()).await, 1);
        let seen = receiver.seen();
        let event: serde_json::Value = serde_json::from_str(&seen[0].1).unwrap();
        assert_eq!(event["type"], "webhook.test");

        endpoints::delete(&db, &admin, created.endpoint.id).await.unwrap();
        assert!(endpoints::list(&db, &admin).await.unwrap().is_empty());
        assert_eq!(db.count_rows("webhook_deliveries").await, 0, "the log went with it");
        let again = endpoints::delete(&db, &admin, created.endpoint.id).await;
        assert!(matches!(again, Err(crate::Error::NotFound)));
    }
}
