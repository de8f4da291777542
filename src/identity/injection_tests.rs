//! SQL injected into the application's connection, played as its login role on PostgreSQL,
//! trying to mint an identity: every row it writes or changes alone lets nobody in.

use std::collections::HashMap;

use sqlx::{Executor as _, PgConnection};
use time::OffsetDateTime;
use tower_sessions_core::session::{Id, Record};
use tower_sessions_core::session_store::SessionStore as _;

use super::link_tokens::Purpose;
use super::oidc::{find_or_create, ExternalIdentity};
use super::sessions::{end_all_in, DbSessionStore, SessionAuth, AUTH_KEY};
use super::tokens::Grant;
use crate::db::{Access, Backend};
use crate::partners::api_keys::{self, NewKey};
use crate::tenancy::AdminScope;
use crate::testing::{fixtures, TestDb};
use crate::{Config, Error};

async fn injected(app: &mut PgConnection, sql: &str) -> Result<(), String> {
    app.execute(sql)
        .await
        .map(|_| ())
        .map_err(|err| err.to_string())
}

fn record_for(user: &crate::users::User) -> Record {
    let auth = serde_json::to_value(SessionAuth::new(user, None)).unwrap();
    Record {
        id: Id::default(),
        data: HashMap::from([(AUTH_KEY.to_owned(), auth)]),
        expiry_date: OffsetDateTime::now_utc() + time::Duration::minutes(30),
    }
}

#[tokio::test]
async fn injected_sql_cannot_mint_an_identity() {
    let db = TestDb::new(Backend::Postgres).await;
    let config = Config::from_lookup(|name| {
        (name == "SESSION_SECRET").then(|| fixtures::SESSION_SECRET.to_owned())
    })
    .unwrap();
    let keys = crate::keys::Keys::load(&config).unwrap();
    let (seals, links, tokens) = (
        fixtures::seals(),
        super::LinkTokens::new(&keys),
        super::Tokens::new(&keys, "https://oikos.example/"),
    );
    let admin = fixtures::super_admin(&db).await;
    let root = fixtures::user_by_email(&db, "root@oikos.test").await;
    let mallory = fixtures::user(&db, "mallory@example.com").await;
    let mut app = db.app_connection().await;

    // A session row with an id of its choosing, carrying the super admin's data and seal.
    let store = DbSessionStore::new(db.db(), seals.clone());
    let mut real = record_for(&root);
    store.create(&mut real).await.unwrap();
    let chosen = Id::default();
    let copy = format!(
        "INSERT INTO sessions (id, user_id, data, expires_at, created_at, last_seen_at, seal)
         SELECT v.id, user_id, data, expires_at, created_at, last_seen_at, seal
           FROM sessions, (VALUES ('{chosen}'), (encode(sha256('{chosen}'::bytea), 'hex'))) v(id)
          WHERE user_id = '{}'",
        root.id
    );
    injected(&mut app, &copy).await.unwrap();
    assert!(
        store.load(&chosen).await.unwrap().is_none(),
        "a copied session row"
    );

    // Its own session turned into the super admin's.
    let mut own = record_for(&mallory);
    store.create(&mut own).await.unwrap();
    let takeover = format!(
        "UPDATE sessions SET data = replace(data, '{m}', '{r}'), user_id = '{r}'
          WHERE user_id = '{m}'",
        m = mallory.id,
        r = root.id
    );
    injected(&mut app, &takeover).await.unwrap();
    assert!(
        store.load(&own.id).await.unwrap().is_none(),
        "a session's data changed"
    );

    // A partner key of its own choosing, stored the way keys once were (SHA-256) ...
    let forged = "INSERT INTO api_keys (id, name, scopes, key_hash, prefix, created_at)
                  VALUES (gen_random_uuid(), 'forged', 'tenant:read tenant:all',
                          encode(sha256('oik_chosen'::bytea), 'hex'), 'oik_chosen', now())";
    injected(&mut app, forged).await.unwrap();
    let refused = api_keys::authenticate(&db, &seals, "oik_chosen").await;
    assert!(matches!(refused, Err(Error::Unauthorized)), "{refused:?}");
    // ... or a real key widened.
    let by = AdminScope::resolve(&admin).unwrap();
    let input = NewKey {
        name: "reader".into(),
        scopes: vec!["tenant:read".into()],
        expires_at: None,
    };
    let created = api_keys::create(&db, &seals, &by, &input).await.unwrap();
    api_keys::authenticate(&db, &seals, &created.secret)
        .await
        .unwrap();
    let widen = "UPDATE api_keys SET scopes = scopes || ' tenant:all' WHERE name = 'reader'";
    injected(&mut app, widen).await.unwrap();
    let refused = api_keys::authenticate(&db, &seals, &created.secret).await;
    assert!(matches!(refused, Err(Error::Unauthorized)), "{refused:?}");

    // Its own reset link, and its own refresh token, pointed at the super admin.
    let reset = links
        .issue(&db, Purpose::ResetPassword, mallory.id)
        .await
        .unwrap();
    let mut tx = db.begin(Access::Write).await.unwrap();
    let pair = tokens
        .issue(&mut tx, &Grant::new(&mallory, None))
        .await
        .unwrap();
    tx.commit().await.unwrap();
    for table in ["link_tokens", "refresh_tokens"] {
        let sql = format!(
            "UPDATE {table} SET user_id = '{}' WHERE user_id = '{}'",
            root.id, mallory.id
        );
        injected(&mut app, &sql).await.unwrap();
    }
    let refused = links.redeem(&db, Purpose::ResetPassword, &reset).await;
    assert!(matches!(refused, Err(Error::NotFound)), "{refused:?}");
    assert!(
        tokens.redeem(&db, &pair.refresh_token).await.is_err(),
        "a refresh token"
    );

    // Its Google identity linked to the super admin's account.
    let link = format!(
        "INSERT INTO user_identities (issuer, subject, user_id, created_at)
         VALUES ('https://accounts.example', 'mallory-sub', '{}', 0)",
        root.id
    );
    injected(&mut app, &link).await.unwrap();
    let identity = ExternalIdentity {
        issuer: "https://accounts.example".into(),
        subject: "mallory-sub".into(),
        email: Some("mallory@example.com".into()),
        email_verified: true,
        given_name: None,
        family_name: None,
    };
    let signed_in = find_or_create(&db, &seals, &identity).await.unwrap();
    assert_eq!(signed_in.id, mallory.id, "the forged link is no link");

    // Credentials brought back after they ended: a revoked key, revoked refresh tokens.
    let input = NewKey {
        name: "revoked".into(),
        scopes: vec!["tenant:read".into()],
        expires_at: None,
    };
    let revoked = api_keys::create(&db, &seals, &by, &input).await.unwrap();
    api_keys::revoke(&db, &by, revoked.key.id).await.unwrap();
    injected(&mut app, "UPDATE api_keys SET revoked_at = NULL")
        .await
        .unwrap();
    let refused = api_keys::authenticate(&db, &seals, &revoked.secret).await;
    assert!(matches!(refused, Err(Error::Unauthorized)), "{refused:?}");
    let fresh = fixtures::user(&db, "olga@example.com").await;
    let mut tx = db.begin(Access::Write).await.unwrap();
    let pair = tokens
        .issue(&mut tx, &Grant::new(&fresh, None))
        .await
        .unwrap();
    end_all_in(&mut tx, fresh.id).await.unwrap();
    tx.commit().await.unwrap();
    injected(&mut app, "UPDATE refresh_tokens SET revoked_at = NULL")
        .await
        .unwrap();
    assert!(
        tokens.redeem(&db, &pair.refresh_token).await.is_err(),
        "a revived refresh token"
    );

    // The super admin's address pointed at its own mailbox, for a reset from there.
    let redirect = "UPDATE users SET email = 'mallory@evil.example' WHERE is_super_admin";
    assert!(injected(&mut app, redirect).await.is_err());
    // Ended sessions revived by moving the ending back.
    let mut tx = db.begin(Access::Write).await.unwrap();
    end_all_in(&mut tx, mallory.id).await.unwrap();
    tx.commit().await.unwrap();
    let revive = "UPDATE credential_endings SET sessions_valid_after = 0, tokens_valid_after = 0";
    assert!(injected(&mut app, revive).await.is_err());
    let forget = "DELETE FROM credential_endings";
    assert!(injected(&mut app, forget).await.is_err());
}
