//! Membership storage on both backends, including isolation between tenants.

use crate::db::Access;
use crate::db_test;
use crate::members::repository;
use crate::tenancy::{Principal, Role, TenantScope};
use crate::testing::{fixtures, TestDb};

db_test! {
    async fn a_tenants_members_are_listed_through_its_scope_only(db: TestDb) {
        let (salon, owner) = fixtures::tenant_with_admin(&db, "salon").await;
        let (spa, spa_admin) = fixtures::tenant_with_admin(&db, "spa").await;
        let staff = fixtures::user(&db, "staff@salon.test").await;
        let scope = fixtures::scope(&db, &owner, salon.id).await;
        let mut tx = scope.begin(&db, Access::Write).await.unwrap();
        repository::insert(&mut tx, staff.id, Role::Staff).await.unwrap();
        tx.commit().await.unwrap();

        let mut tx = scope.begin(&db, Access::Read).await.unwrap();
        let members = repository::list(&mut tx).await.unwrap();
        let users: Vec<_> = members.iter().map(|m| (m.user_id, m.role)).collect();
        assert_eq!(users, [(owner.id, Role::TenantAdmin), (staff.id, Role::Staff)]);
        assert!(members.iter().all(|m| m.tenant_id == salon.id));

        // The salon's staff member is not found through the spa's scope.
        let spa_scope = fixtures::scope(&db, &spa_admin, spa.id).await;
        let mut tx = spa_scope.begin(&db, Access::Read).await.unwrap();
        assert!(repository::find(&mut tx, staff.id).await.unwrap().is_none());
        assert_eq!(repository::list(&mut tx).await.unwrap().len(), 1);
    }
}

db_test! {
    async fn a_user_can_be_a_member_of_a_tenant_only_once(db: TestDb) {
        let (salon, owner) = fixtures::tenant_with_admin(&db, "salon").await;
        let scope = fixtures::scope(&db, &owner, salon.id).await;
        let mut tx = scope.begin(&db, Access::Write).await.unwrap();
        let again = repository::insert(&mut tx, owner.id, Role::Staff).await;
        assert!(matches!(&again, Err(crate::Error::Conflict { field }) if field == "id"), "{again:?}");
    }
}

db_test! {
    async fn resolving_a_scope_checks_membership_and_tenant(db: TestDb) {
        let (salon, owner) = fixtures::tenant_with_admin(&db, "salon").await;
        let (spa, spa_owner) = fixtures::tenant_with_admin(&db, "spa").await;
        let owner_principal = Principal { user_id: owner.id, is_super_admin: false };

        let scope = TenantScope::resolve(&db, &owner_principal, salon.id).await.unwrap();
        assert_eq!((scope.tenant_id(), scope.role()), (salon.id, Role::TenantAdmin));

        let other = TenantScope::resolve(&db, &owner_principal, spa.id).await;
        assert!(matches!(other, Err(crate::Error::TenantMismatch)), "{other:?}");
        let unknown = TenantScope::resolve(&db, &owner_principal, crate::tenancy::TenantId::new()).await;
        assert!(matches!(unknown, Err(crate::Error::NotFound)), "{unknown:?}");

        fixtures::deactivate(&db, spa.id).await;
        let spa_principal = Principal { user_id: spa_owner.id, is_super_admin: false };
        let inactive = TenantScope::resolve(&db, &spa_principal, spa.id).await;
        assert!(matches!(inactive, Err(crate::Error::TenantInactive)), "{inactive:?}");
    }
}
