//! Membership storage and the members service on both backends, including isolation.

use crate::db::Access;
use crate::db_test;
use crate::members::service::{MemberPatch, MemberQuery};
use crate::members::{repository, service};
use crate::tenancy::{Role, TenantId, TenantScope};
use crate::testing::{fixtures, TestDb, TestTenant};
use crate::Error;

db_test! {
    async fn a_tenants_members_are_listed_through_its_scope_only(db: TestDb) {
        let salon = TestTenant::new("salon").with_member(Role::Staff).create(&db).await;
        let spa = TestTenant::new("spa").create(&db).await;
        let scope = salon.scope_of(&db, Role::TenantAdmin).await;
        let (members, total) = service::list(&db, &scope, &MemberQuery::default()).await.unwrap();
        let users: Vec<_> = members.iter().map(|m| (m.user_id, m.role)).collect();
        let staff = salon.members[0].0.id;
        assert_eq!(users, [(salon.admin.id, Role::TenantAdmin), (staff, Role::Staff)]);
        assert_eq!(total, 2);

        // The salon's staff member is not found through the spa's scope.
        let spa_scope = spa.scope_of(&db, Role::TenantAdmin).await;
        let mut tx = spa_scope.begin(&db, Access::Read).await.unwrap();
        assert!(repository::find(&mut tx, staff).await.unwrap().is_none());
        assert_eq!(service::list(&db, &spa_scope, &MemberQuery::default()).await.unwrap().1, 1);
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

db_test! {
    async fn members_are_searched_filtered_and_paged(db: TestDb) {
        let salon = TestTenant::new("salon")
            .with_member(Role::Staff)
            .with_member(Role::Receptionist)
            .create(&db)
            .await;
        let scope = salon.scope_of(&db, Role::TenantAdmin).await;
        let staff = &salon.members[0].0;
        let by_email = MemberQuery { q: Some(staff.email.as_str()[..6].to_owned()), ..Default::default() };
        let (found, total) = service::list(&db, &scope, &by_email).await.unwrap();
        assert_eq!((found[0].user_id, total), (staff.id, 1));
        let receptionists = MemberQuery { role: Some(Role::Receptionist), ..Default::default() };
        let (found, total) = service::list(&db, &scope, &receptionists).await.unwrap();
        assert_eq!((found[0].role, total), (Role::Receptionist, 1));
        let second = MemberQuery { page: crate::values::Page { skip: 1, limit: 1 }, ..Default::default() };
        let (found, total) = service::list(&db, &scope, &second).await.unwrap();
        assert_eq!((found.len(), found[0].user_id, total), (1, staff.id, 3));
    }
}

db_test! {
    async fn a_membership_changes_within_the_rules(db: TestDb) {
        let salon = TestTenant::new("salon").with_member(Role::Staff).create(&db).await;
        let admin = salon.scope_of(&db, Role::TenantAdmin).await;
        let staff = salon.members[0].0.id;
        let outlet = fixtures::outlet(&db, &admin, "Main").await;
        let patch = MemberPatch {
            role: Some("OUTLET_MANAGER".into()),
            position: Some("Senior stylist".into()),
            outlet_ids: Some(vec![outlet, outlet]),
            ..Default::default()
        };
        let changed = service::update(&db, &admin, staff, &patch).await.unwrap();
        assert_eq!(changed.role, Role::OutletManager);
        assert_eq!(changed.position.as_deref(), Some("Senior stylist"));
        assert_eq!(changed.outlet_ids, [outlet]);
        // The manager's scope carries the outlets; it grants no role above its own.
        let manager = TenantScope::resolve(&db, &fixtures::principal(&salon.members[0].0), salon.tenant.id).await.unwrap();
        assert_eq!(manager.outlet_ids(), [outlet]);
        assert!(manager.require_outlet(Some(outlet)).is_ok());
        assert!(matches!(manager.require_outlet(None), Err(Error::Forbidden)));
        let promote = MemberPatch { role: Some("TENANT_ADMIN".into()), ..Default::default() };
        assert!(matches!(service::update(&db, &manager, salon.admin.id, &promote).await, Err(Error::Forbidden)));
        // Another tenant's outlet is refused, and a bad role is named.
        let spa = TestTenant::new("spa").create(&db).await;
        let foreign = fixtures::outlet(&db, &spa.scope_of(&db, Role::TenantAdmin).await, "Far").await;
        let moved = MemberPatch { outlet_ids: Some(vec![foreign]), ..Default::default() };
        let refused = service::update(&db, &admin, staff, &moved).await;
        assert!(matches!(&refused, Err(Error::Invalid { fields }) if fields.contains_key("outlet_ids")), "{refused:?}");
        let bad = MemberPatch { role: Some("OWNER".into()), ..Default::default() };
        assert!(matches!(service::update(&db, &admin, staff, &bad).await, Err(Error::Invalid { .. })));
        // The only admin can be neither demoted, deactivated nor removed.
        let system = crate::tenancy::SystemScope::new().tenant(salon.tenant.id);
        let demote = MemberPatch { role: Some("STAFF".into()), ..Default::default() };
        assert!(matches!(service::update(&db, &system, salon.admin.id, &demote).await, Err(Error::LastAdmin)));
        let off = MemberPatch { is_active: Some(false), ..Default::default() };
        assert!(matches!(service::update(&db, &system, salon.admin.id, &off).await, Err(Error::LastAdmin)));
        assert!(matches!(service::remove(&db, &system, salon.admin.id).await, Err(Error::LastAdmin)));
        // Nor does an admin change their own role.
        assert!(matches!(service::update(&db, &admin, salon.admin.id, &demote).await, Err(Error::Forbidden)));
        // Removing a member leaves their account.
        service::remove(&db, &admin, staff).await.unwrap();
        assert!(matches!(service::get(&db, &admin, staff).await, Err(Error::NotFound)));
        assert_eq!(fixtures::user_by_email(&db, salon.members[0].0.email.as_str()).await.id, staff);
    }
}

db_test! {
    async fn two_concurrent_demotions_leave_one_admin(db: TestDb) {
        let salon = TestTenant::new("salon").with_member(Role::TenantAdmin).create(&db).await;
        let (first, second) = (salon.admin.id, salon.members[0].0.id);
        let system = crate::tenancy::SystemScope::new().tenant(salon.tenant.id);
        let demote = MemberPatch { role: Some("STAFF".into()), ..Default::default() };
        let (a, b) = tokio::join!(
            service::update(&db, &system, first, &demote),
            service::update(&db, &system, second, &demote),
        );
        let outcomes = [a.is_ok(), b.is_ok()];
        assert_eq!(outcomes.iter().filter(|ok| **ok).count(), 1, "{a:?} {b:?}");
        assert!(matches!(a.err().or(b.err()), Some(Error::LastAdmin)));
        let (members, _) = service::list(&db, &system, &MemberQuery::default()).await.unwrap();
        assert_eq!(members.iter().filter(|m| m.role == Role::TenantAdmin).count(), 1);
    }
}

db_test! {
    async fn an_outlet_manager_reaches_only_what_lies_within_their_outlets(db: TestDb) {
        let salon = TestTenant::new("salon").with_member(Role::OutletManager).create(&db).await;
        let admin = salon.scope_of(&db, Role::TenantAdmin).await;
        let north = fixtures::outlet(&db, &admin, "North").await;
        let south = fixtures::outlet(&db, &admin, "South").await;
        let patch = MemberPatch { outlet_ids: Some(vec![north]), ..Default::default() };
        service::update(&db, &admin, salon.members[0].0.id, &patch).await.unwrap();
        let manager = salon.scope_of(&db, Role::OutletManager).await;
        assert!(service::reaches_outlets(&manager, &[north]));
        // Another outlet, one of theirs with another, or every outlet (none named): not theirs.
        assert!(!service::reaches_outlets(&manager, &[south]));
        assert!(!service::reaches_outlets(&manager, &[north, south]));
        assert!(!service::reaches_outlets(&manager, &[]));
        // An admin reaches everything.
        assert!(service::reaches_outlets(&admin, &[south]));
        assert!(service::reaches_outlets(&admin, &[]));
    }
}
