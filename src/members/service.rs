//! What can be done with a tenant's members.

use crate::db::{Access, Db};
use crate::members::{repository, Membership};
use crate::tenancy::{Permission, TenantScope};
use crate::Result;

/// The tenant's members, oldest first.
pub async fn list(db: &Db, scope: &TenantScope) -> Result<Vec<Membership>> {
    scope.require(Permission::ViewMembers)?;
    let mut tx = scope.begin(db, Access::Read).await?;
    repository::list(&mut tx).await
}
