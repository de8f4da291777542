use super::*;
use crate::db_test;
use crate::testing::{fixtures, TestDb};
use crate::Config;

const SECRET: &str = "3c9e1a7b5d2f4086a1c3e5f7092b4d6f8e1a3c5b7d9f02143658709acbedf129";
const ISSUER: &str = "https://oikos.example/";

fn tokens_with(secret: &str, issuer: &str) -> Tokens {
    let config =
        Config::from_lookup(|name| (name == "SESSION_SECRET").then(|| secret.to_owned())).unwrap();
    Tokens::new(&Keys::load(&config).unwrap(), issuer)
}

fn tokens() -> Tokens {
    tokens_with(SECRET, ISSUER)
}

fn grant(user: UserId) -> Grant {
    Grant {
        user,
        is_super_admin: false,
        tenant: Some((TenantId::new(), Role::Staff)),
        tokens_valid_after: 0,
        sessions_valid_after: 0,
    }
}

#[test]
fn access_tokens_verify_only_as_issued() {
    let tokens = tokens();
    let grant = grant(UserId::new());
    let token = tokens.access_token(&grant, Utc::now()).unwrap();
    let claims = tokens.verify_access(&token).unwrap();
    assert_eq!(claims.sub, grant.user);
    assert_eq!(claims.role, Some(Role::Staff));
    assert_eq!(claims.aud, "oikos-api");
    assert_eq!(claims.exp - claims.iat, 1800);

    // Tampered payload, another key, another issuer, expired: all refused.
    let mut parts: Vec<String> = token.split('.').map(str::to_owned).collect();
    parts[1] = parts[1].replace('A', "B");
    assert!(matches!(
        tokens.verify_access(&parts.join(".")),
        Err(Error::Unauthorized)
    ));
    let other_key = tokens_with(&SECRET.replace('3', "4"), ISSUER);
    assert!(matches!(
        other_key.verify_access(&token),
        Err(Error::Unauthorized)
    ));
    let other_issuer = tokens_with(SECRET, "https://evil.example/");
    assert!(matches!(
        other_issuer.verify_access(&token),
        Err(Error::Unauthorized)
    ));
    let old = tokens
        .access_token(&grant, Utc::now() - Duration::minutes(31))
        .unwrap();
    assert!(matches!(
        tokens.verify_access(&old),
        Err(Error::Unauthorized)
    ));

    // The algorithm is pinned: an unsigned token with the same claims is refused.
    let header = base64::Engine::encode(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
        br#"{"alg":"none","typ":"JWT"}"#,
    );
    let unsigned = format!("{header}.{}.", token.split('.').nth(1).unwrap());
    assert!(matches!(
        tokens.verify_access(&unsigned),
        Err(Error::Unauthorized)
    ));
}

db_test! {
    async fn a_reused_refresh_token_revokes_its_whole_family(db: TestDb) {
        let ann = fixtures::user(&db, "ann@example.com").await;
        let tokens = tokens();
        let grant = Grant { tenant: None, ..grant(ann.id) };
        let mut tx = db.begin(Access::Write).await.unwrap();
        let first = tokens.issue(&mut tx, &grant).await.unwrap();
        let other_device = tokens.issue(&mut tx, &grant).await.unwrap();
        tx.commit().await.unwrap();

        let (mut tx, redeemed) = tokens.redeem(&db, &first.refresh_token).await.unwrap();
        assert_eq!(redeemed.user_id, ann.id);
        let second = tokens.rotate(&mut tx, redeemed.family_id, &grant).await.unwrap();
        tx.commit().await.unwrap();

        // The first token again: refused, and the family with it.
        assert!(matches!(tokens.redeem(&db, &first.refresh_token).await, Err(Error::Unauthorized)));
        assert!(matches!(tokens.redeem(&db, &second.refresh_token).await, Err(Error::Unauthorized)));
        // Another device's family stays.
        let (tx, _) = tokens.redeem(&db, &other_device.refresh_token).await.unwrap();
        tx.commit().await.unwrap();
        // Stored only as hashes.
        let mut tx = db.begin(Access::Read).await.unwrap();
        let stored: Vec<(String,)> = query::all!(tx, "SELECT token_hash FROM refresh_tokens").unwrap();
        assert!(stored.iter().all(|(hash,)| hash.len() == 64 && *hash != first.refresh_token));
    }
}

db_test! {
    async fn twenty_concurrent_refreshes_give_exactly_one_new_pair(db: TestDb) {
        let ann = fixtures::user(&db, "ann@example.com").await;
        let tokens = tokens();
        let grant = Grant { tenant: None, ..grant(ann.id) };
        let mut tx = db.begin(Access::Write).await.unwrap();
        let pair = tokens.issue(&mut tx, &grant).await.unwrap();
        tx.commit().await.unwrap();
        let attempts = (0..20).map(|_| {
            let (db, tokens, token, grant) = (db.db(), tokens.clone(), pair.refresh_token.clone(), grant.clone());
            tokio::spawn(async move {
                let (mut tx, redeemed) = tokens.redeem(&db, &token).await?;
                let next = tokens.rotate(&mut tx, redeemed.family_id, &grant).await?;
                tx.commit().await?;
                Ok::<_, Error>(next)
            })
        });
        let mut won = 0;
        for attempt in attempts {
            match attempt.await.unwrap() {
                Ok(_) => won += 1,
                Err(Error::Unauthorized) => {}
                Err(other) => panic!("{other:?}"),
            }
        }
        assert_eq!(won, 1);
    }
}
