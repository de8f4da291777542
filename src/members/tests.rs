//! Membership storage and the members service on both backends, including isolation.

use crate::db::Access;
use crate::db_test;
use crate::members::{repository, service};
use crate::tenancy::{Role, TenantId, TenantScope};
use crate::testing::{fixtures, TestDb, TestTenant};
use crate::Error;

db_test! {
    async fn a_tenants_members_are_listed_through_its_scope_only(db: TestDb) {
        let salon = TestTenant::new("salon").with_member(Role::Staff).create(&db).await;
        let spa = TestTenant::new("spa").create(&db).await;
        let scope = salon.scope_of(&db, Role::Staff).await;
        let members = service::list(&db, &scope).await.unwrap();
        let users: Vec<_> = members.iter().map(|m| (m.user_id, m.role)).collect();
        let staff = salon.members[0].0.id;
        assert_eq!(users, [(salon.admin.id, Role::TenantAdmin), (staff, Role::Staff)]);
        assert!(members.iter().all(|m| m.tenant_id == salon.tenant.id));

        // The salon's staff member is not found through the spa's scope.
        let spa_scope = spa.scope_of(&db, Role::TenantAdmin).await;
        let mut tx = spa_scope.begin(&db, Access::Read).await.unwrap();
        assert!(repository::find(&mut tx, staff).await.unwrap().is_none());
        assert_eq!(service::list(&db, &spa_scope).await.unwrap().len(), 1);
    }
}

db_test! {
    async fn a_user_can_be_a_member_of_a_tenant_only_once(db: TestDb) {
        let salon = TestTenant::new("salon").create(&db).await;
        let scope = salon.scope_of(&db, Role::TenantAdmin).await;
        let mut tx = scope.begin(&db, Access::Write).await.unwrap();
        let again = repository::insert(&mut tx, salon.admin.id, Role::Staff).await;
        assert!(matches!(&again, Err(Error::Conflict { field }) if field == "id"), "{again:?}");
    }
}

db_test! {
    async fn resolving_a_scope_checks_membership_and_tenant(db: TestDb) {
        let salon = TestTenant::new("salon").create(&db).await;
        let spa = TestTenant::new("spa").create(&db).await;
        let owner = salon.admin_principal();

        let scope = TenantScope::resolve(&db, &owner, salon.tenant.id).await.unwrap();
        assert_eq!((scope.tenant_id(), scope.role()), (salon.tenant.id, Role::TenantAdmin));
        assert_eq!(scope.user_id(), Some(salon.admin.id));

        let other = TenantScope::resolve(&db, &owner, spa.tenant.id).await;
        assert!(matches!(other, Err(Error::TenantMismatch)), "{other:?}");
        let unknown = TenantScope::resolve(&db, &owner, TenantId::new()).await;
        assert!(matches!(unknown, Err(Error::NotFound)), "{unknown:?}");

        fixtures::deactivate(&db, spa.tenant.id).await;
        let inactive = TenantScope::resolve(&db, &spa.admin_principal(), spa.tenant.id).await;
        assert!(matches!(inactive, Err(Error::TenantInactive)), "{inactive:?}");
    }
}

db_test! {
    async fn a_tenants_write_transactions_take_turns(db: TestDb) {
        use std::time::Duration;
        let salon = TestTenant::new("salon").create(&db).await;
        let spa = TestTenant::new("spa").create(&db).await;
        let scope = salon.scope_of(&db, Role::TenantAdmin).await;
        let first = scope.begin(&db, Access::Write).await.unwrap();

        // A second writer of the same tenant waits (PostgreSQL: the tenant row's lock;
        // SQLite: the single writer), so checks across rows cannot interleave.
        let second = tokio::time::timeout(Duration::from_millis(300), scope.begin(&db, Access::Write)).await;
        assert!(second.is_err(), "the second writer did not wait");

        if db.backend() == crate::db::Backend::Postgres {
            // Another tenant's writers do not wait for this one.
            let other = spa.scope_of(&db, Role::TenantAdmin).await;
            let unrelated = tokio::time::timeout(Duration::from_secs(5), other.begin(&db, Access::Write)).await;
            unrelated.expect("another tenant's writer waited").unwrap().rollback().await.unwrap();
        }
        first.commit().await.unwrap();
        let third = tokio::time::timeout(Duration::from_secs(5), scope.begin(&db, Access::Write)).await;
        third.expect("the writer still waits after the commit").unwrap().rollback().await.unwrap();
    }
}
