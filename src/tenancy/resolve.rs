//! Which tenant a request acts in (PRODUCT.md §3), strongest hint first: the subdomain (or
//! `/t/{slug}` in path mode), then `X-Tenant-Slug` / `X-Tenant-ID`, then the session's or
//! token's active tenant. A hint only chooses: the scope is made by
//! [`TenantScope::resolve`], so a principal reaches nothing but its own active memberships.

use super::{Principal, TenantId, TenantScope};
use crate::db::Db;
use crate::values::Slug;
use crate::{Error, Result};

/// What a request says about its tenant.
#[derive(Clone, Debug, Default)]
pub struct TenantHints {
    /// The portal the request was made on (subdomain, or path in path mode).
    pub portal: Option<Slug>,
    /// `X-Tenant-Slug` or `X-Tenant-ID`: a slug or a tenant id.
    pub header: Option<String>,
    /// The workspace the session or access token was opened for.
    pub active: Option<TenantId>,
}

impl TenantHints {
    /// The scope of `principal` in the tenant the strongest hint names. No hint at all is
    /// `TenantRequired`; an unknown tenant `NotFound`; not an active member `TenantMismatch`.
    pub async fn resolve(&self, db: &Db, principal: &Principal) -> Result<TenantScope> {
        match (&self.portal, &self.header, self.active) {
            (Some(slug), _, _) => TenantScope::resolve_slug(db, principal, slug).await,
            (None, Some(header), _) => by_header(db, principal, header).await,
            (None, None, Some(active)) => TenantScope::resolve(db, principal, active).await,
            (None, None, None) => Err(Error::TenantRequired),
        }
    }
}

/// A tenant id, or a slug compared after normalisation.
async fn by_header(db: &Db, principal: &Principal, value: &str) -> Result<TenantScope> {
    if let Ok(id) = value.trim().parse::<TenantId>() {
        return TenantScope::resolve(db, principal, id).await;
    }
    let slug = Slug::parse(value).map_err(|_| Error::NotFound)?;
    TenantScope::resolve_slug(db, principal, &slug).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db_test;
    use crate::testing::{TestDb, TestTenant};

    fn hints(portal: Option<&str>, header: Option<&str>, active: Option<TenantId>) -> TenantHints {
        TenantHints {
            portal: portal.map(|slug| Slug::parse(slug).unwrap()),
            header: header.map(str::to_owned),
            active,
        }
    }

    db_test! {
        async fn the_strongest_hint_names_the_tenant_and_only_memberships_count(db: TestDb) {
            let salon = TestTenant::new("salon").create(&db).await;
            let spa = TestTenant::new("spa").create(&db).await;
            let (a, b) = (salon.tenant.id, spa.tenant.id);
            let ann = salon.admin_principal();
            let scope = |h: TenantHints| {
                let (db, ann) = (db.db(), ann.clone());
                async move { h.resolve(&db, &ann).await.map(|s| s.tenant_id()) }
            };
            assert_eq!(scope(hints(Some("salon"), None, None)).await.unwrap(), a);
            // The portal outranks the header and the active tenant.
            assert_eq!(scope(hints(Some("salon"), Some("spa"), Some(b))).await.unwrap(), a);
            // Headers by slug (normalised) or by id; the active tenant last.
            assert_eq!(scope(hints(None, Some(" SALON "), None)).await.unwrap(), a);
            assert_eq!(scope(hints(None, Some(&a.to_string()), None)).await.unwrap(), a);
            assert_eq!(scope(hints(None, None, Some(a))).await.unwrap(), a);
            // Another tenant, however named, is refused; an unknown one is not found.
            for refused in [
                hints(Some("spa"), None, Some(a)),
                hints(None, Some("spa"), Some(a)),
                hints(None, Some(&b.to_string()), None),
                hints(None, None, Some(b)),
            ] {
                assert!(matches!(scope(refused).await, Err(Error::TenantMismatch)));
            }
            assert!(matches!(scope(hints(Some("nowhere"), None, None)).await, Err(Error::NotFound)));
            assert!(matches!(scope(hints(None, Some("not a slug!"), None)).await, Err(Error::NotFound)));
            assert!(matches!(scope(hints(None, None, None)).await, Err(Error::TenantRequired)));
        }
    }
}
