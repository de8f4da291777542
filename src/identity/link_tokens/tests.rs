use super::*;
use crate::db_test;
use crate::testing::{fixtures, TestDb};
use crate::Config;

const SECRET: &str = "3c9e1a7b5d2f4086a1c3e5f7092b4d6f8e1a3c5b7d9f02143658709acbedf129";
const ROTATED: &str = "b5d2f4086a1c3e5f7092b4d6f8e1a3c5b7d9f02143658709acbedf1293c9e1a7";

fn tokens(secret: &str, previous: Option<&str>) -> LinkTokens {
    let config = Config::from_lookup(|name| match name {
        "SESSION_SECRET" => Some(secret.to_owned()),
        "SESSION_SECRET_PREVIOUS" => previous.map(str::to_owned),
        _ => None,
    })
    .unwrap();
    LinkTokens::new(&Keys::load(&config).unwrap())
}

db_test! {
    async fn a_token_is_redeemed_once_for_its_purpose_before_it_expires(db: TestDb) {
        let ann = fixtures::user(&db, "ann@example.com").await;
        let links = tokens(SECRET, None);
        let token = links.issue(&db, Purpose::VerifyEmail, ann.id).await.unwrap();
        assert!(token.len() >= 43, "256 bits: {token}");

        // Only a keyed hash is stored.
        let mut tx = db.begin(Access::Read).await.unwrap();
        let stored: Vec<(String,)> = query::all!(tx, "SELECT token_hash FROM link_tokens").unwrap();
        assert_eq!(stored.len(), 1);
        assert!(!stored[0].0.contains(&token));
        drop(tx);

        let last = if token.ends_with('A') { 'B' } else { 'A' };
    let tampered = format!("{}{last}", &token[..token.len() - 1]);
        for (purpose, candidate) in [(Purpose::ResetPassword, token.as_str()), (Purpose::VerifyEmail, tampered.as_str())] {
            assert!(matches!(links.redeem(&db, purpose, candidate).await, Err(Error::NotFound)), "{purpose} {candidate}");
        }
        assert_eq!(links.redeem(&db, Purpose::VerifyEmail, &token).await.unwrap(), ann.id);
        assert!(matches!(links.redeem(&db, Purpose::VerifyEmail, &token).await, Err(Error::NotFound)), "reused");

        let reset = links.issue(&db, Purpose::ResetPassword, ann.id).await.unwrap();
        let later = Utc::now() + chrono::Duration::minutes(61);
        let mut tx = db.begin(crate::db::Access::Write).await.unwrap();
        assert!(matches!(links.redeem_at(&mut tx, Purpose::ResetPassword, &reset, None, later).await, Err(Error::NotFound)), "expired");
    }
}

db_test! {
    async fn twenty_concurrent_redemptions_give_exactly_one_success(db: TestDb) {
        let ann = fixtures::user(&db, "ann@example.com").await;
        let links = tokens(SECRET, None);
        let token = links.issue(&db, Purpose::ResetPassword, ann.id).await.unwrap();
        let attempts = (0..20).map(|_| {
            let (db, links, token) = (db.db(), links.clone(), token.clone());
            tokio::spawn(async move { links.redeem(&db, Purpose::ResetPassword, &token).await })
        });
        let mut successes = 0;
        for attempt in attempts {
            match attempt.await.unwrap() {
                Ok(user) => {
                    assert_eq!(user, ann.id);
                    successes += 1;
                }
                Err(Error::NotFound) => {}
                Err(other) => panic!("{other:?}"),
            }
        }
        assert_eq!(successes, 1);
    }
}

db_test! {
    async fn tokens_outlive_a_secret_rotation(db: TestDb) {
        let ann = fixtures::user(&db, "ann@example.com").await;
        let token = tokens(SECRET, None).issue(&db, Purpose::VerifyEmail, ann.id).await.unwrap();
        let after_rotation = tokens(ROTATED, Some(SECRET));
        assert_eq!(after_rotation.redeem(&db, Purpose::VerifyEmail, &token).await.unwrap(), ann.id);
        let without_previous = tokens(ROTATED, None);
        let again = tokens(SECRET, None).issue(&db, Purpose::VerifyEmail, ann.id).await.unwrap();
        assert!(matches!(without_previous.redeem(&db, Purpose::VerifyEmail, &again).await, Err(Error::NotFound)));
    }
}

db_test! {
    async fn a_bound_token_is_good_only_for_its_binding_and_a_handoff_for_a_minute(db: TestDb) {
        let ann = fixtures::user(&db, "ann@example.com").await;
        let links = tokens(SECRET, None);
        let salon = "0193e3a0-0000-7000-8000-000000000001";
        let spa = "0193e3a0-0000-7000-8000-000000000002";
        let token = links.issue_bound(&db, Purpose::Handoff, ann.id, salon).await.unwrap();
        assert!(matches!(links.redeem_bound(&db, Purpose::Handoff, &token, spa).await, Err(Error::NotFound)));
        assert!(matches!(links.redeem(&db, Purpose::Handoff, &token).await, Err(Error::NotFound)), "unbound");
        let later = Utc::now() + chrono::Duration::seconds(61);
        let mut tx = db.begin(crate::db::Access::Write).await.unwrap();
        let expired = links.redeem_at(&mut tx, Purpose::Handoff, &token, Some(salon), later).await;
        assert!(matches!(expired, Err(Error::NotFound)), "a minute at most");
        tx.rollback().await.unwrap();
        assert_eq!(links.redeem_bound(&db, Purpose::Handoff, &token, salon).await.unwrap(), ann.id);
        assert!(matches!(links.redeem_bound(&db, Purpose::Handoff, &token, salon).await, Err(Error::NotFound)), "once");
    }
}
