use tower_sessions_core::session_store::SessionStore as _;

use super::*;
use crate::db_test;
use crate::testing::{fixtures, TestDb};

fn record_of(auth: &SessionAuth) -> Record {
    Record {
        id: Id::default(),
        data: HashMap::from([(
            AUTH_KEY.to_owned(),
            serde_json::to_value(auth).expect("session data"),
        )]),
        expiry_date: OffsetDateTime::now_utc() + time::Duration::minutes(30),
    }
}

async fn reloaded(db: &Db, user: UserId) -> User {
    let mut tx = db.begin(Access::Read).await.unwrap();
    let user = users::find_by_id(&mut tx, user).await.unwrap().unwrap();
    tx.rollback().await.unwrap();
    user
}

db_test! {
    async fn a_session_ended_while_its_request_is_in_flight_stays_ended(db: TestDb) {
        let ann = fixtures::user(&db, "ann@example.com").await;
        let store = DbSessionStore::new(db.db(), fixtures::seals());
        let mut record = record_of(&SessionAuth::new(&ann, None));
        store.create(&mut record).await.unwrap();
        // A slow request of this session has loaded it ...
        let in_flight = store.load(&record.id).await.unwrap().expect("the session");
        // ... when the owner ends every session ("log out everywhere", a reset).
        let mut tx = db.begin(Access::Write).await.unwrap();
        end_all_in(&mut tx, ann.id).await.unwrap();
        tx.commit().await.unwrap();
        // The request ends and saves what it changed (a failed form's typed fields).
        let mut saved = in_flight.clone();
        saved.data.insert("typed".to_owned(), serde_json::json!({"first_name": "Mallory"}));
        store.save(&saved).await.unwrap();
        assert!(store.load(&record.id).await.unwrap().is_none(), "written back");

        // Whatever row carries it, the ended sign-in is refused ...
        let auth: SessionAuth = serde_json::from_value(in_flight.data[AUTH_KEY].clone()).unwrap();
        assert!(authenticate(&db, &crate::testing::fixtures::seals(), &auth).await.unwrap().is_none());
        // ... and a new one, even within the same second, is not.
        let fresh = SessionAuth::new(&reloaded(&db, ann.id).await, None);
        assert!(authenticate(&db, &crate::testing::fixtures::seals(), &fresh).await.unwrap().is_some());
    }
}

db_test! {
    async fn two_endings_within_one_second_each_refuse_what_came_before(db: TestDb) {
        let ann = fixtures::user(&db, "ann@example.com").await;
        for _ in 0..3 {
            let before = SessionAuth::new(&reloaded(&db, ann.id).await, None);
            assert!(authenticate(&db, &crate::testing::fixtures::seals(), &before).await.unwrap().is_some());
            let mut tx = db.begin(Access::Write).await.unwrap();
            end_all_in(&mut tx, ann.id).await.unwrap();
            tx.commit().await.unwrap();
            assert!(authenticate(&db, &crate::testing::fixtures::seals(), &before).await.unwrap().is_none());
        }
    }
}

db_test! {
    async fn saving_never_creates_a_session(db: TestDb) {
        let ann = fixtures::user(&db, "ann@example.com").await;
        let store = DbSessionStore::new(db.db(), fixtures::seals());
        let record = record_of(&SessionAuth::new(&ann, None));
        store.save(&record).await.unwrap();
        assert!(store.load(&record.id).await.unwrap().is_none());
    }
}

db_test! {
    async fn opening_a_session_reads_its_caller_and_the_portal_visit_together(db: TestDb) {
        let salon = crate::testing::TestTenant::new("salon").create(&db).await;
        let store = DbSessionStore::new(db.db(), fixtures::seals());
        let seals = fixtures::seals();
        let slug = Slug::parse("salon").unwrap();
        let mut admin = record_of(&SessionAuth::new(&salon.admin, Some(salon.tenant.id)));
        store.create(&mut admin).await.unwrap();

        let opened = open(&db, &seals, Some(admin.id), Some(&slug)).await.unwrap();
        assert_eq!(opened.stored.map(|s| s.user()), Some(salon.admin.id));
        assert_eq!(opened.auth.map(|a| a.user.id), Some(salon.admin.id));
        let visit = opened.visit.expect("a portal page's visit").unwrap();
        assert_eq!(visit.scope.map(|s| s.tenant_id()), Some(salon.tenant.id));
        // Off a portal's page: the caller alone.
        let opened = open(&db, &seals, Some(admin.id), None).await.unwrap();
        assert!(opened.auth.is_some() && opened.visit.is_none());

        // A visitor (an unknown session, or none) sees the frame, with no scope.
        for id in [Some(Id::default()), None] {
            let opened = open(&db, &seals, id, Some(&slug)).await.unwrap();
            assert!(opened.stored.is_none() && opened.auth.is_none());
            assert!(opened.visit.unwrap().unwrap().scope.is_none());
        }
        // A sign-in past its absolute lifetime is read, but authenticates no one, and gets
        // no scope.
        let signed_in_at = (Utc::now() - ABSOLUTE_TIMEOUT).timestamp();
        let old = SessionAuth { signed_in_at, ..SessionAuth::new(&salon.admin, None) };
        let mut ended = record_of(&old);
        store.create(&mut ended).await.unwrap();
        let opened = open(&db, &seals, Some(ended.id), Some(&slug)).await.unwrap();
        assert!(opened.stored.is_some() && opened.auth.is_none());
        assert!(opened.visit.unwrap().unwrap().scope.is_none());
        // An unknown portal is NotFound, the caller still read.
        let nowhere = Slug::parse("nowhere").unwrap();
        let opened = open(&db, &seals, Some(admin.id), Some(&nowhere)).await.unwrap();
        assert!(opened.auth.is_some());
        assert!(matches!(opened.visit, Some(Err(Error::NotFound))));
    }
}
