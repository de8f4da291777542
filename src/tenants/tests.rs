use crate::db::Access;
use crate::db_test;
use crate::tenancy::{AdminScope, TenantScope};
use crate::tenants::{repository, service, TenantProfile, TenantStatus};
use crate::testing::{fixtures, TestDb, TestTenant};
use crate::values::{Email, Slug};
use crate::Error;

fn profile(name: &str, email: &str) -> TenantProfile {
    TenantProfile {
        name: name.to_owned(),
        business_type: None,
        email: Email::parse(email).unwrap(),
        phone: None,
        website: None,
        description: None,
    }
}

fn slug(s: &str) -> Slug {
    Slug::parse(s).unwrap()
}

db_test! {
    async fn duplicates_are_conflicts_naming_the_field(db: TestDb) {
        let salon = TestTenant::new("salon").create(&db).await;
        let cases = [
            (slug("salon"), profile("Other", "other@x.test"), "slug"),
            // Unique after Unicode normalisation and full case folding, on both databases.
            (slug("other"), profile("SALON Business", "other@x.test"), "name"),
            (slug("other"), profile("Straße", "o@x.test"), "ok"),
            (slug("other2"), profile("STRASSE", "o2@x.test"), "name"),
            (slug("other3"), profile("Other3", "HELLO@Salon.test"), "email"),
        ];
        for (slug, profile, field) in cases {
            let result = service::provision(&db, slug, profile, salon.admin.id).await;
            match field {
                "ok" => assert!(result.is_ok(), "{result:?}"),
                _ => assert!(matches!(&result, Err(Error::Conflict { field: f }) if f == field), "{field}: {result:?}"),
            }
        }
        // Nothing half-written: the failed attempts left only the tenants that succeeded.
        let mut tx = db.begin(Access::Read).await.unwrap();
        assert!(repository::find_by_slug(&mut tx, &slug("other2")).await.unwrap().is_none());
        let found = repository::find_by_slug(&mut tx, &slug("salon")).await.unwrap().unwrap();
        assert_eq!(found.id, salon.tenant.id);
    }
}

db_test! {
    async fn a_failed_membership_leaves_no_tenant_behind(db: TestDb) {
        let ghost = crate::tenancy::UserId::new();
        let err = service::provision(&db, slug("ghost"), profile("Ghost", "g@g.test"), ghost).await;
        assert!(err.is_err(), "a membership for a missing user must fail");
        let mut tx = db.begin(Access::Read).await.unwrap();
        assert!(repository::find_by_slug(&mut tx, &slug("ghost")).await.unwrap().is_none());
    }
}

db_test! {
    async fn only_super_admins_change_a_tenants_status(db: TestDb) {
        let salon = TestTenant::new("salon").create(&db).await;
        assert!(matches!(AdminScope::resolve(&salon.admin_principal()), Err(Error::NotFound)));
        let root = fixtures::super_admin(&db).await;
        let admin = AdminScope::resolve(&root).unwrap();
        let subscription = || async {
            let mut tx = admin.tenant(salon.tenant.id).begin(&db, Access::Read).await.unwrap();
            crate::billing::subscriptions::status(&mut tx).await.unwrap()
        };
        assert_eq!(subscription().await.as_deref(), Some("active"));
        service::set_status(&db, &admin, salon.tenant.id, TenantStatus::Inactive).await.unwrap();
        let resolved = TenantScope::resolve(&db, &salon.admin_principal(), salon.tenant.id).await;
        assert!(matches!(resolved, Err(Error::TenantInactive)), "{resolved:?}");
        assert_eq!(subscription().await.as_deref(), Some("suspended"));
        service::set_status(&db, &admin, salon.tenant.id, TenantStatus::Active).await.unwrap();
        assert_eq!(subscription().await.as_deref(), Some("active"));
        assert!(TenantScope::resolve(&db, &salon.admin_principal(), salon.tenant.id).await.is_ok());
        let unknown = service::set_status(&db, &admin, crate::tenancy::TenantId::new(), TenantStatus::Active).await;
        assert!(matches!(unknown, Err(Error::NotFound)), "{unknown:?}");
    }
}

db_test! {
    async fn the_list_carries_each_tenants_plan_and_active_members_and_filters_by_plan(db: TestDb) {
        use crate::tenancy::Role;
        let salon = TestTenant::new("salon").with_member(Role::Staff).with_member(Role::Staff).create(&db).await;
        TestTenant::new("spa").create(&db).await;
        let admin = AdminScope::resolve(&fixtures::super_admin(&db).await).unwrap();
        // Written as billing and the team page write them: the database keeps the row's
        // figures (on PostgreSQL as the application's role, within the tenant's transaction).
        let mut tx = admin.tenant(salon.tenant.id).begin(&db, Access::Write).await.unwrap();
        let sql = "UPDATE subscriptions SET plan = 'PRO' WHERE tenant_id = $1";
        crate::db::query::execute!(tx, sql, salon.tenant.id).unwrap();
        let staff = salon.members[0].0.id;
        crate::members::repository::update(&mut tx, staff, Role::Staff, false).await.unwrap();
        tx.commit().await.unwrap();

        let all = service::TenantQuery::parse(None, None, None, None, Some("name")).unwrap();
        let (listed, total) = service::list(&db, &admin, &all).await.unwrap();
        let figures: Vec<(&str, &str, i64)> = listed
            .iter()
            .map(|t| (t.tenant.slug.as_str(), t.plan.as_str(), t.member_count))
            .collect();
        assert_eq!((figures, total), (vec![("salon", "PRO", 2), ("spa", "FREE", 1)], 2));

        let pro = all.clone().on_plan(Some(" pro "));
        let (listed, total) = service::list(&db, &admin, &pro).await.unwrap();
        assert_eq!((listed.len(), total, listed[0].tenant.slug.as_str()), (1, 1, "salon"));
        let none = all.on_plan(Some("ENTERPRISE"));
        assert_eq!(service::list(&db, &admin, &none).await.unwrap().1, 0);
    }
}
