use chrono::Utc;

use super::*;
use crate::db_test;
use crate::tenancy::Role;
use crate::testing::{fixtures, TestDb, TestTenant};

db_test! {
    async fn deleting_needs_the_typed_address_and_can_be_cancelled(db: TestDb) {
        let salon = TestTenant::new("salon").with_member(Role::Staff).create(&db).await;
        let admin = salon.scope_of(&db, Role::TenantAdmin).await;
        let staff = salon.scope_of(&db, Role::Staff).await;
        assert!(matches!(schedule(&db, &staff, "salon").await, Err(Error::Forbidden)));
        let refused = schedule(&db, &admin, "Salon business").await.unwrap_err();
        assert_eq!(refused.fields()["confirm"], "Type salon to confirm.");
        let before = Utc::now();
        let scheduled = schedule(&db, &admin, " salon ").await.unwrap();
        let erase_after = scheduled.erase_after.expect("scheduled");
        assert!(erase_after > before + GRACE - Duration::seconds(1) && erase_after <= Utc::now() + GRACE);
        let again = schedule(&db, &admin, "salon").await.unwrap();
        assert_eq!(again.erase_after, Some(erase_after), "the first date stands");
        // Nothing is erased before the grace period ends.
        assert_eq!(erase_due(&db, Utc::now()).await.unwrap(), 0);
        assert!(matches!(cancel(&db, &staff).await, Err(Error::Forbidden)));
        assert_eq!(cancel(&db, &admin).await.unwrap().erase_after, None);
        let mut tx = db.begin(Access::Read).await.unwrap();
        let kept = repository::find_by_id(&mut tx, salon.tenant.id).await.unwrap().unwrap();
        assert_eq!(kept.erase_after, None);
    }
}

db_test! {
    async fn the_erasure_removes_everything_the_tenant_owned_and_only_that(db: TestDb) {
        let salon = TestTenant::new("salon").with_member(Role::Staff).create(&db).await;
        let spa = TestTenant::new("spa").create(&db).await;
        for tenant in [&salon, &spa] {
            let scope = tenant.scope_of(&db, Role::TenantAdmin).await;
            fixtures::outlet(&db, &scope, "Main").await;
            let input = serde_json::json!({"name": "Cut", "price_cents": 1, "duration_minutes": 5});
            crate::catalog::create(&db, &scope, &serde_json::from_value(input).unwrap()).await.unwrap();
        }
        let admin = salon.scope_of(&db, Role::TenantAdmin).await;
        schedule(&db, &admin, "salon").await.unwrap();
        // The grace period ends (the erasure functions take the time from the database).
        let mut tx = db.begin(Access::Write).await.unwrap();
        let past = Utc::now() - Duration::seconds(1);
        db.set_erase_after(&mut tx, salon.tenant.id, Some(past)).await.unwrap();
        tx.commit().await.unwrap();

        assert_eq!(erase_due(&db, Utc::now()).await.unwrap(), 1);
        let mut tx = db.begin(Access::Read).await.unwrap();
        assert!(repository::find_by_id(&mut tx, salon.tenant.id).await.unwrap().is_none());
        assert!(repository::find_by_id(&mut tx, spa.tenant.id).await.unwrap().is_some());
        tx.rollback().await.unwrap();
        for (table, spa_rows) in [("memberships", 1), ("subscriptions", 1), ("outlets", 1), ("services", 1), ("audit_log", 0)] {
            assert_eq!(db.count_rows(table).await, spa_rows, "{table}");
        }
        // Accounts are the users' own: they stay, and may join or register again.
        assert!(db.count_rows("users").await >= 3);
        let erased = crate::audit::recent_platform(&db, 10).await.unwrap();
        assert!(erased.iter().any(|e| e.action == "tenant.erased" && e.subject.as_deref() == Some("salon")));
        // A second run (a restart, another instance) has nothing left to do.
        assert_eq!(erase_due(&db, Utc::now()).await.unwrap(), 0);
    }
}
