//! Tenants: the businesses that own workspaces. The table is platform-level (tenant
//! resolution reads it before any scope exists); everything a tenant owns is scoped.

mod provision;
pub mod repository;

use std::fmt;

use chrono::{DateTime, Utc};

use crate::tenancy::TenantId;

pub use provision::{provision, NewTenant};

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct Tenant {
    pub id: TenantId,
    pub slug: String,
    pub name: String,
    pub business_type: Option<String>,
    pub email: String,
    pub phone: Option<String>,
    pub website: Option<String>,
    pub description: Option<String>,
    #[sqlx(try_from = "String")]
    pub status: TenantStatus,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TenantStatus {
    Active,
    Inactive,
}

impl TenantStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            TenantStatus::Active => "active",
            TenantStatus::Inactive => "inactive",
        }
    }
}

impl fmt::Display for TenantStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown tenant status {0:?}")]
pub struct UnknownStatus(String);

impl TryFrom<String> for TenantStatus {
    type Error = UnknownStatus;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        match value.as_str() {
            "active" => Ok(TenantStatus::Active),
            "inactive" => Ok(TenantStatus::Inactive),
            _ => Err(UnknownStatus(value)),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::db::Access;
    use crate::db_test;
    use crate::tenants::{provision, repository, NewTenant};
    use crate::testing::{fixtures, TestDb};
    use crate::Error;

    fn new_tenant(slug: &str, name: &str, email: &str) -> NewTenant {
        NewTenant {
            slug: slug.to_owned(),
            name: name.to_owned(),
            business_type: None,
            email: email.to_owned(),
            phone: None,
            website: None,
            description: None,
        }
    }

    db_test! {
        async fn duplicates_are_conflicts_naming_the_field(db: TestDb) {
            let (salon, owner) = fixtures::tenant_with_admin(&db, "salon").await;
            let cases = [
                (new_tenant("salon", "Other", "other@x.test"), "slug"),
                (new_tenant("other", "SALON business", "other@x.test"), "name"),
                (new_tenant("other", "Other", "HELLO@salon.test"), "email"),
            ];
            for (new, field) in cases {
                let err = provision(&db, new, owner.id).await.unwrap_err();
                assert!(matches!(&err, Error::Conflict { field: f } if f == field), "{field}: {err:?}");
            }
            // Nothing half-written: the failed attempts left only the first tenant.
            let mut tx = db.begin(Access::Read).await.unwrap();
            assert!(repository::find_by_slug(&mut tx, "other").await.unwrap().is_none());
            let found = repository::find_by_slug(&mut tx, "salon").await.unwrap().unwrap();
            assert_eq!(found.id, salon.id);
        }
    }

    db_test! {
        async fn a_failed_membership_leaves_no_tenant_behind(db: TestDb) {
            let ghost = crate::tenancy::UserId::new();
            let err = provision(&db, new_tenant("ghost", "Ghost", "g@g.test"), ghost).await;
            assert!(err.is_err(), "a membership for a missing user must fail");
            let mut tx = db.begin(Access::Read).await.unwrap();
            assert!(repository::find_by_slug(&mut tx, "ghost").await.unwrap().is_none());
        }
    }
}
