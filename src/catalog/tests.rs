use serde_json::json;

use crate::catalog::{self, ServiceInput, ServiceQuery};
use crate::db::{query, Access};
use crate::db_test;
use crate::tenancy::Role;
use crate::testing::{fixtures, TestDb, TestTenant};
use crate::Error;

fn input(value: serde_json::Value) -> ServiceInput {
    serde_json::from_value(value).unwrap()
}

fn names(services: &[catalog::Service]) -> Vec<&str> {
    services.iter().map(|s| s.name.as_str()).collect()
}

db_test! {
    async fn the_catalog_is_searched_filtered_and_paged(db: TestDb) {
        let salon = TestTenant::new("salon").create(&db).await;
        let admin = salon.scope_of(&db, Role::TenantAdmin).await;
        let downtown = fixtures::outlet(&db, &admin, "Downtown").await;
        let uptown = fixtures::outlet(&db, &admin, "Uptown").await;
        let offers = [
            ("Haircut", "Hair", None),
            ("Hair colour", "Hair", Some(downtown)),
            ("Café massage", "Body", Some(uptown)),
            ("Manicure", "Nails", None),
        ];
        for (name, category, outlet) in offers {
            let body = json!({"name": name, "category": category, "price_cents": 2500,
                              "duration_minutes": 45, "outlet_id": outlet});
            catalog::create(&db, &admin, &input(body)).await.unwrap();
        }
        let list = |query: ServiceQuery| {
            let (db, admin) = (&db, &admin);
            async move { catalog::list(db, admin, &query).await.unwrap() }
        };
        let (all, total) = list(ServiceQuery::default()).await;
        assert_eq!(names(&all), ["Café massage", "Hair colour", "Haircut", "Manicure"]);
        assert_eq!(total, 4);
        let (found, total) = list(ServiceQuery::parse(None, None, Some(" HAIR ".into()), None, None).unwrap()).await;
        assert_eq!((names(&found), total), (vec!["Hair colour", "Haircut"], 2));
        let (found, _) = list(ServiceQuery::parse(None, None, Some("CAFÉ".into()), None, None).unwrap()).await;
        assert_eq!(names(&found), ["Café massage"]);
        let downtown_id = downtown.to_string();
        let (found, _) = list(ServiceQuery::parse(None, None, None, None, Some(&downtown_id)).unwrap()).await;
        assert_eq!(names(&found), ["Hair colour", "Haircut", "Manicure"], "its own and the tenant-wide");
        let (found, _) = list(ServiceQuery::parse(None, None, None, Some("Nails".into()), None).unwrap()).await;
        assert_eq!(names(&found), ["Manicure"]);
        let (page, total) = list(ServiceQuery::parse(Some(1), Some(2), None, None, None).unwrap()).await;
        assert_eq!((names(&page), total), (vec!["Hair colour", "Haircut"], 4));
        let bad = ServiceQuery::parse(Some(-1), Some(0), None, None, Some("x"));
        let fields = bad.unwrap_err().fields();
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["limit", "outlet_id", "skip"]);
    }
}

db_test! {
    async fn bad_input_names_each_field_and_writes_nothing(db: TestDb) {
        let salon = TestTenant::new("salon").create(&db).await;
        let spa = TestTenant::new("spa").create(&db).await;
        let admin = salon.scope_of(&db, Role::TenantAdmin).await;
        let spa_outlet = fixtures::outlet(&db, &spa.scope_of(&db, Role::TenantAdmin).await, "Spa").await;
        let missing = catalog::create(&db, &admin, &input(json!({}))).await.unwrap_err();
        assert_eq!(missing.fields().keys().collect::<Vec<_>>(), ["duration_minutes", "name", "price_cents"]);
        let wrong = json!({"name": "Cut", "price_cents": -1, "duration_minutes": 2000,
                           "category": "x".repeat(51), "outlet_id": spa_outlet});
        let fields = catalog::create(&db, &admin, &input(wrong)).await.unwrap_err().fields();
        assert_eq!(fields["price_cents"], "Use a price from 0 to 10,000,000.");
        assert_eq!(fields["duration_minutes"], "Use 1 to 1,440 minutes.");
        assert_eq!(fields["category"], "This is too long.");
        assert_eq!(fields["outlet_id"], "Choose one of your outlets.", "another tenant's outlet");
        assert_eq!(db.count_rows("services").await, 0);
    }
}

db_test! {
    async fn updates_are_partial_and_only_managers_change_the_catalog(db: TestDb) {
        let salon = TestTenant::new("salon").with_member(Role::Staff).create(&db).await;
        let admin = salon.scope_of(&db, Role::TenantAdmin).await;
        let staff = salon.scope_of(&db, Role::Staff).await;
        let shop = fixtures::outlet(&db, &admin, "Shop").await;
        let body = json!({"name": "Cut", "price_cents": 1000, "duration_minutes": 30,
                          "description": "Wash and cut", "outlet_id": shop});
        let cut = catalog::create(&db, &admin, &input(body)).await.unwrap();
        let changed = catalog::update(&db, &admin, cut.id, &input(json!({"price_cents": 1200}))).await.unwrap();
        assert_eq!((changed.price_cents, changed.outlet_id, changed.description.as_deref()),
                   (1200, Some(shop), Some("Wash and cut")));
        let wide = catalog::update(&db, &admin, cut.id, &input(json!({"outlet_id": null, "description": ""}))).await.unwrap();
        assert_eq!((wide.outlet_id, wide.description), (None, None));
        assert_eq!(catalog::get(&db, &staff, cut.id).await.unwrap().price_cents, 1200);
        let refused = catalog::update(&db, &staff, cut.id, &input(json!({"price_cents": 1}))).await;
        assert!(matches!(refused, Err(Error::Forbidden)), "{refused:?}");
        assert!(matches!(catalog::delete(&db, &staff, cut.id).await, Err(Error::Forbidden)));
        catalog::delete(&db, &admin, cut.id).await.unwrap();
        assert!(matches!(catalog::get(&db, &admin, cut.id).await, Err(Error::NotFound)));
        assert!(matches!(catalog::delete(&db, &admin, cut.id).await, Err(Error::NotFound)));
    }
}

db_test! {
    async fn deleting_an_outlet_removes_its_own_services_only(db: TestDb) {
        let salon = TestTenant::new("salon").create(&db).await;
        let admin = salon.scope_of(&db, Role::TenantAdmin).await;
        let shop = fixtures::outlet(&db, &admin, "Shop").await;
        for (name, outlet) in [("Local", Some(shop)), ("Everywhere", None)] {
            let body = json!({"name": name, "price_cents": 0, "duration_minutes": 10, "outlet_id": outlet});
            catalog::create(&db, &admin, &input(body)).await.unwrap();
        }
        let mut tx = admin.begin(&db, Access::Write).await.unwrap();
        let tenant = tx.tenant_id();
        query::execute!(tx, "DELETE FROM outlets WHERE tenant_id = $1 AND id = $2", tenant, shop).unwrap();
        tx.commit().await.unwrap();
        let (left, _) = catalog::list(&db, &admin, &ServiceQuery::default()).await.unwrap();
        assert_eq!(names(&left), ["Everywhere"]);
    }
}

db_test! {
    async fn a_catalog_page_reads_the_list_with_the_settings_and_outlets_its_forms_offer(db: TestDb) {
        let salon = TestTenant::new("salon").with_member(Role::Staff).create(&db).await;
        let spa = TestTenant::new("spa").create(&db).await;
        let admin = salon.scope_of(&db, Role::TenantAdmin).await;
        let downtown = fixtures::outlet(&db, &admin, "Downtown").await;
        let elsewhere = spa.scope_of(&db, Role::TenantAdmin).await;
        fixtures::outlet(&db, &elsewhere, "Spa only").await;
        let body = json!({"name": "Haircut", "category": "Hair", "price_cents": 2500,
                          "duration_minutes": 45, "outlet_id": downtown});
        catalog::create(&db, &admin, &input(body)).await.unwrap();

        let query = ServiceQuery::default();
        let page = catalog::page(&db, &admin, &query).await.unwrap();
        // The same answers as the three reads one by one, and none of another tenant's.
        let (services, total) = catalog::list(&db, &admin, &query).await.unwrap();
        assert_eq!((names(&page.services), page.total), (names(&services), total));
        let settings = crate::tenants::settings::get(&db, &admin).await.unwrap();
        assert_eq!(page.settings.currency, settings.currency);
        assert_eq!(page.settings.service_category_templates, settings.service_category_templates);
        let outlets: Vec<_> = page.outlets.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(outlets, ["Downtown"]);
        // Staff see the catalog and what its forms offer, as on the page.
        let staff = salon.scope_of(&db, Role::Staff).await;
        assert_eq!(catalog::page(&db, &staff, &query).await.unwrap().total, 1);
    }
}
