//! A portal page's first read: the active tenant a portal's name names, what its pages show
//! around them, and the signed-in caller's scope there, in one transaction (the page's own
//! reads then use that scope without resolving it again).

use super::{Principal, SystemScope, TenantScope};
use crate::db::{Access, Db, Tx};
use crate::tenants::branding::{self, Portal};
use crate::tenants::{repository, Tenant, TenantStatus};
use crate::values::Slug;
use crate::{Error, Result};

/// See [`visit`].
#[derive(Clone, Debug)]
pub struct PortalVisit {
    pub portal: Portal,
    /// The caller's scope in the tenant; `None` for a visitor or anyone who may not act
    /// there (asking for the scope again then gives the reason).
    pub scope: Option<TenantScope>,
    /// The tenant's row, for the page's own reads to start from.
    pub tenant: Tenant,
}

/// The active tenant `slug`'s frame and `caller`'s scope in it: `NotFound` unless the tenant
/// exists and is active.
pub async fn visit(db: &Db, slug: &Slug, caller: Option<&Principal>) -> Result<PortalVisit> {
    let tx = db.begin(Access::Read).await?;
    visit_in(db, tx, slug, caller).await
}

/// [`visit`], continuing a platform read transaction of the caller's (and ending it).
pub(crate) async fn visit_in(
    db: &Db,
    mut tx: Tx,
    slug: &Slug,
    caller: Option<&Principal>,
) -> Result<PortalVisit> {
    let tenant = repository::find_by_slug(&mut tx, slug)
        .await?
        .filter(|tenant| tenant.status == TenantStatus::Active)
        .ok_or(Error::NotFound)?;
    let mut tx = db
        .enter_tenant(tx, &SystemScope::new().tenant(tenant.id), Access::Read)
        .await?;
    let (frame, payment_failing) = branding::frame(&mut tx).await?;
    let scope = match caller {
        Some(principal) => match TenantScope::of_member(&mut tx, principal, &tenant).await {
            Ok(scope) => Some(scope),
            Err(Error::Internal(err)) => return Err(Error::Internal(err)),
            Err(_) => None,
        },
        None => None,
    };
    tx.rollback().await?;
    Ok(PortalVisit {
        portal: Portal {
            name: tenant.profile.name.clone(),
            branding: frame,
            payment_failing,
        },
        scope,
        tenant,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::members::repository as members;
    use crate::tenancy::Role;
    use crate::testing::fixtures::{deactivate, outlet};
    use crate::testing::{TestDb, TestTenant};

    db_test! {
        async fn a_visit_reads_the_frame_and_the_members_scope_with_its_outlets(db: TestDb) {
            let salon = TestTenant::new("salon").with_member(Role::OutletManager).create(&db).await;
            let spa = TestTenant::new("spa").create(&db).await;
            let admin = salon.scope_of(&db, Role::TenantAdmin).await;
            let (north, south) = (outlet(&db, &admin, "North").await, outlet(&db, &admin, "South").await);
            let manager = salon.principal_of(Role::OutletManager);
            let mut tx = admin.begin(&db, Access::Write).await.unwrap();
            members::set_outlets(&mut tx, manager.user_id(), &[south, north]).await.unwrap();
            tx.commit().await.unwrap();
            let slug = Slug::parse("salon").unwrap();

            let seen = visit(&db, &slug, Some(&manager)).await.unwrap();
            assert_eq!(seen.portal.name, "salon business");
            let scope = seen.scope.expect("a member's scope");
            let mut outlets = [north, south];
            outlets.sort();
            assert_eq!((scope.tenant_id(), scope.role(), scope.outlet_ids()), (salon.tenant.id, Role::OutletManager, &outlets[..]));
            // The same scope as resolving it on its own.
            let resolved = TenantScope::resolve(&db, &manager, salon.tenant.id).await.unwrap();
            assert_eq!((resolved.role(), resolved.outlet_ids()), (scope.role(), scope.outlet_ids()));

            // The frame: the defaults, then the tenant's colours and its failing payment.
            assert_eq!(seen.portal.branding, branding::get(&db, &admin).await.unwrap());
            assert!(seen.portal.branding.version.is_none() && !seen.portal.payment_failing);
            let patch = branding::ColorsPatch { primary_color: Some("#112233".to_owned()), ..Default::default() };
            let saved = branding::set_colors(&db, &admin, &patch).await.unwrap();
            crate::testing::fixtures::subscription_status(&db, salon.tenant.id, "past_due").await;
            let framed = visit(&db, &slug, Some(&manager)).await.unwrap().portal;
            assert_eq!(framed.branding.colors.primary_color, "#112233");
            assert_eq!((framed.branding, framed.payment_failing), (saved, true));

            // Another tenant's admin and a visitor see the frame and get no scope.
            let outsider = visit(&db, &slug, Some(&spa.admin_principal())).await.unwrap();
            assert_eq!((outsider.portal.name.as_str(), outsider.scope.is_none()), ("salon business", true));
            assert!(visit(&db, &slug, None).await.unwrap().scope.is_none());

            // An inactive or unknown portal has no frame at all.
            deactivate(&db, salon.tenant.id).await;
            assert!(matches!(visit(&db, &slug, Some(&manager)).await, Err(Error::NotFound)));
            let nowhere = Slug::parse("nowhere").unwrap();
            assert!(matches!(visit(&db, &nowhere, None).await, Err(Error::NotFound)));
        }
    }
}
