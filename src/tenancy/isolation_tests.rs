//! The isolation matrix over the services: every tenant-scoped operation is listed once in
//! [`Operation`] (the compiler makes each new variant say how it is called), and the matrix
//! calls each as an outsider, as a member of another tenant, and as a super admin who is not a
//! member: each is refused at the scope, and a scope of tenant B never shows tenant A's rows.

use crate::db::Db;
use crate::db_test;
use crate::tenancy::{Principal, Role, ServiceId, TenantScope};
use crate::testing::{fixtures, Seeded, TestDb, TestTenant};
use crate::{catalog, members, tenants, Error, Result};

/// Declares [`Operation`] and the list the matrix runs from one list of names, so a new
/// operation cannot be declared without being run (and `call` must say how).
macro_rules! operations {
    ($($operation:ident),* $(,)?) => {
        #[derive(Clone, Copy, Debug)]
        enum Operation {
            $($operation),*
        }

        const OPERATIONS: &[Operation] = &[$(Operation::$operation),*];
    };
}

operations!(
    ViewTenant,
    UpdateTenant,
    ViewSettings,
    ListMembers,
    ListServices,
    CatalogPage,
    ViewService,
);

impl Operation {
    /// Calls the operation; what it saw, as ids (of tenants, users, services). An operation
    /// on one row tries the ids of `every` tenant.
    async fn call(self, db: &Db, scope: &TenantScope, every: &Rows) -> Result<Vec<String>> {
        Ok(match self {
            Operation::ViewTenant => vec![tenants::service::get(db, scope).await?.id.to_string()],
            Operation::UpdateTenant => {
                let patch = tenants::service::TenantPatch {
                    description: Some("Changed by the matrix".to_owned()),
                    ..Default::default()
                };
                let (tenant, _) = tenants::service::update(db, scope, &patch).await?;
                vec![tenant.id.to_string()]
            }
            Operation::ViewSettings => {
                tenants::settings::get(db, scope).await?;
                vec![scope.tenant_id().to_string()]
            }
            Operation::ListMembers => members::service::list(db, scope, &Default::default())
                .await?
                .0
                .into_iter()
                .map(|m| m.user_id.to_string())
                .collect(),
            Operation::ListServices => catalog::list(db, scope, &Default::default())
                .await?
                .0
                .into_iter()
                .map(|service| service.id.to_string())
                .collect(),
            Operation::CatalogPage => {
                let page = catalog::page(db, scope, &Default::default()).await?;
                let services = page.services.into_iter().map(|s| s.id.to_string());
                // Its outlets are the scope's tenant's too (none of them is another's id).
                let outlets = page.outlets.into_iter().map(|o| o.id.to_string());
                services.chain(outlets).collect()
            }
            Operation::ViewService => {
                // Whatever id the caller names, only its own tenant's service answers.
                let (own, _) = catalog::list(db, scope, &Default::default()).await?;
                let mut seen = Vec::new();
                for &id in &every.services {
                    match catalog::get(db, scope, id).await {
                        Ok(service) => seen.push(service.id.to_string()),
                        Err(Error::NotFound) => {}
                        Err(other) => return Err(other),
                    }
                }
                assert_eq!(seen.len(), own.len());
                seen
            }
        })
    }
}

/// The rows of every tenant that operations on one row name by id.
#[derive(Default)]
struct Rows {
    services: Vec<ServiceId>,
}

/// A service in `tenant`'s catalog.
async fn service_in(db: &Db, tenant: &Seeded) -> ServiceId {
    let scope = tenant.scope_of(db, Role::TenantAdmin).await;
    let input = serde_json::json!({"name": "Cut", "price_cents": 100, "duration_minutes": 30});
    let input = serde_json::from_value(input).unwrap();
    catalog::create(db, &scope, &input).await.unwrap().id
}

/// Every id of `tenant`'s rows that an operation could show.
fn ids_of(tenant: &Seeded) -> Vec<String> {
    let mut ids = vec![tenant.tenant.id.to_string(), tenant.admin.id.to_string()];
    ids.extend(tenant.members.iter().map(|(user, _)| user.id.to_string()));
    ids
}

db_test! {
    async fn no_tenant_operation_reaches_another_tenants_data(db: TestDb) {
        let salon = TestTenant::new("salon").with_member(Role::Staff).create(&db).await;
        let spa = TestTenant::new("spa").with_member(Role::Receptionist).create(&db).await;
        let outsider = fixtures::principal(&fixtures::user(&db, "outsider@else.test").await);
        let root = fixtures::super_admin(&db).await;
        let strangers: [(&str, Principal); 4] = [
            ("outsider", outsider),
            ("member of another tenant", spa.admin_principal()),
            ("staff of another tenant", spa.principal_of(Role::Receptionist)),
            ("super admin who is not a member", root),
        ];
        for (who, principal) in &strangers {
            let refused = TenantScope::resolve(&db, principal, salon.tenant.id).await;
            assert!(matches!(refused, Err(Error::TenantMismatch)), "{who}: {refused:?}");
        }
        let every = Rows {
            services: vec![service_in(&db, &salon).await, service_in(&db, &spa).await],
        };
        let mut salon_ids = ids_of(&salon);
        salon_ids.push(every.services[0].to_string());
        let salon_admin = salon.scope_of(&db, Role::TenantAdmin).await;
        salon_ids.push(fixtures::outlet(&db, &salon_admin, "Salon only").await.to_string());
        for role in [Role::TenantAdmin, Role::Receptionist] {
            let spa_scope = spa.scope_of(&db, role).await;
            for &operation in OPERATIONS {
                let seen = match operation.call(&db, &spa_scope, &every).await {
                    // What a role may not do at all is the permission matrix's concern.
                    Err(Error::Forbidden) => continue,
                    other => other.unwrap(),
                };
                assert!(!seen.is_empty(), "{operation:?} saw nothing of its own tenant");
                let leaked: Vec<_> = seen.iter().filter(|id| salon_ids.contains(id)).collect();
                assert!(leaked.is_empty(), "{operation:?} as spa's {role} saw salon's {leaked:?}");
            }
        }
        // The salon's own members still see everything of theirs.
        let own = salon.scope_of(&db, Role::TenantAdmin).await;
        let seen = Operation::ListMembers.call(&db, &own, &every).await.unwrap();
        assert!(seen.contains(&salon.admin.id.to_string()));
    }
}
