//! What a portal's dashboard shows, read in one transaction: on PostgreSQL each scoped
//! transaction sets the tenant and role first, so one read instead of one per part keeps the
//! dashboard's database round trips few.

use crate::db::{Access, Db};
use crate::members::UserTenant;
use crate::tenancy::{Permission, TenantScope};
use crate::tenants::onboarding::{self, Step};
use crate::tenants::stats::{self, TenantStats};
use crate::tenants::tally;
use crate::tenants::{repository, Tenant};
use crate::users::User;
use crate::{Error, Result};

#[derive(Clone, Debug)]
pub struct Overview {
    pub tenant: Tenant,
    /// For the roles that see the statistics.
    pub stats: Option<TenantStats>,
    /// For the roles that manage the workspace: the onboarding checklist of `user`.
    pub checklist: Option<Vec<Step>>,
    /// `user`'s other active workspaces, to go to; none while a super admin impersonates
    /// `user` (an impersonation stays in its one workspace).
    pub elsewhere: Vec<UserTenant>,
}

/// The tenant, the statistics and checklist where the caller's role sees them, and where
/// else `user` works. `known` is the tenant's row if the request read it already (a portal
/// page's visit did): it is not read again.
pub async fn overview(
    db: &Db,
    scope: &TenantScope,
    user: &User,
    known: Option<Tenant>,
) -> Result<Overview> {
    scope.require(Permission::ViewTenant)?;
    let mut tx = db.begin(Access::Read).await?;
    let elsewhere = match scope.impersonator() {
        None => db.user_tenants_in(&mut tx, user.id).await?,
        Some(_) => Vec::new(),
    };
    let mut tx = scope.enter(db, tx, Access::Read).await?;
    let tenant = match known.filter(|tenant| tenant.id == scope.tenant_id()) {
        Some(tenant) => tenant,
        None => repository::find_by_id(tx.platform(), scope.tenant_id())
            .await?
            .ok_or(Error::NotFound)?,
    };
    let sees_stats = scope.require(Permission::ViewStats).is_ok();
    let sees_checklist = scope.require(Permission::UpdateTenant).is_ok();
    let tally = match sees_stats || sees_checklist {
        true => Some(tally::read(&mut tx).await?),
        false => None,
    };
    tx.rollback().await?;
    let stats = tally
        .as_ref()
        .filter(|_| sees_stats)
        .map(|tally| stats::of(tenant.clone(), tally));
    let checklist = tally
        .as_ref()
        .filter(|_| sees_checklist)
        .map(|tally| onboarding::of(&tenant, tally, user));
    let elsewhere = elsewhere
        .into_iter()
        .filter(|workspace| workspace.tenant != tenant.id)
        .collect();
    Ok(Overview {
        tenant,
        stats,
        checklist,
        elsewhere,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::tenancy::Role;
    use crate::testing::{fixtures, TestDb, TestTenant};

    db_test! {
        async fn each_role_sees_its_own_parts_of_the_same_reading(db: TestDb) {
            let salon = TestTenant::new("salon").with_member(Role::Staff).create(&db).await;
            let admin = salon.scope_of(&db, Role::TenantAdmin).await;
            fixtures::outlet(&db, &admin, "Main").await;
            let seen = overview(&db, &admin, &salon.admin, None).await.unwrap();
            assert_eq!(seen.tenant.slug.as_str(), "salon");
            let stats = seen.stats.expect("admins see the figures");
            assert_eq!((stats.outlets.total, stats.users.total), (1, 2));
            // The same answers as the parts asked one by one.
            assert_eq!(stats.outlets, stats::get(&db, &admin).await.unwrap().outlets);
            let steps = onboarding::checklist(&db, &admin, &salon.admin).await.unwrap();
            assert_eq!(seen.checklist, Some(steps));
            assert!(seen.elsewhere.is_empty(), "the admin works nowhere else");
            // A member of two workspaces is offered the other one, unless impersonated.
            let spa = TestTenant::new("spa").create(&db).await;
            fixtures::add_member(&db, "spa", salon.admin.id, Role::Staff).await;
            let seen = overview(&db, &admin, &salon.admin, None).await.unwrap();
            let elsewhere: Vec<_> = seen.elsewhere.iter().map(|w| w.tenant).collect();
            assert_eq!(elsewhere, [spa.tenant.id]);
            // The row a visit read serves as it is; another tenant's is not taken for it.
            let mut known = salon.tenant.clone();
            known.profile.name = "As the visit read it".to_owned();
            let seen = overview(&db, &admin, &salon.admin, Some(known)).await.unwrap();
            assert_eq!(seen.tenant.profile.name, "As the visit read it");
            let seen = overview(&db, &admin, &salon.admin, Some(spa.tenant.clone())).await.unwrap();
            assert_eq!(seen.tenant.id, salon.tenant.id);
            let root = fixtures::super_admin(&db).await;
            let acting = crate::tenancy::Principal::impersonated(salon.admin.id, root.user_id(), salon.tenant.id);
            let impersonated = TenantScope::resolve(&db, &acting, salon.tenant.id).await.unwrap();
            assert!(impersonated.impersonator().is_some());
            let seen = overview(&db, &impersonated, &salon.admin, None).await.unwrap();
            assert!(seen.elsewhere.is_empty(), "an impersonation stays in its workspace");
            let staff = salon.scope_of(&db, Role::Staff).await;
            let seen = overview(&db, &staff, &salon.members[0].0, None).await.unwrap();
            assert_eq!(seen.tenant.id, salon.tenant.id);
            assert!(seen.stats.is_none() && seen.checklist.is_none(), "staff see neither");
        }
    }
}
