//! The isolation matrix over the services: every tenant-scoped operation is listed once in
//! [`Operation`] (the compiler makes each new variant say how it is called), and the matrix
//! calls each as an outsider, as a member of another tenant, and as a super admin who is not a
//! member: each is refused at the scope, and a scope of tenant B never shows tenant A's rows.

use crate::db::Db;
use crate::db_test;
use crate::tenancy::{Principal, Role, TenantScope};
use crate::testing::{fixtures, Seeded, TestDb, TestTenant};
use crate::{members, tenants, Error, Result};

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

operations!(ViewTenant, UpdateTenant, ViewSettings, ListMembers);

impl Operation {
    /// Calls the operation; what it saw, as ids (tenant and user ids).
    async fn call(self, db: &Db, scope: &TenantScope) -> Result<Vec<String>> {
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
            Operation::ListMembers => members::service::list(db, scope)
                .await?
                .into_iter()
                .flat_map(|m| [m.tenant_id.to_string(), m.user_id.to_string()])
                .collect(),
        })
    }
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
        let salon_ids = ids_of(&salon);
        for role in [Role::TenantAdmin, Role::Receptionist] {
            let spa_scope = spa.scope_of(&db, role).await;
            for &operation in OPERATIONS {
                let seen = match operation.call(&db, &spa_scope).await {
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
        let own = salon.scope_of(&db, Role::Staff).await;
        let seen = Operation::ListMembers.call(&db, &own).await.unwrap();
        assert!(seen.contains(&salon.admin.id.to_string()));
    }
}
