//! Typed ids, so a user id can never be passed where a tenant id is expected.

use std::fmt;
use std::str::FromStr;

use uuid::Uuid;

macro_rules! typed_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, sqlx::Type)]
        #[derive(serde::Serialize, serde::Deserialize)]
        #[sqlx(transparent)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new id; UUIDv7, so ids sort by creation time and index well.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }

            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

typed_id!(
    /// A tenant (business workspace).
    TenantId
);
typed_id!(
    /// A partner's API key.
    ApiKeyId
);
typed_id!(
    /// An endpoint outgoing webhooks are delivered to.
    WebhookId
);
typed_id!(
    /// A super admin's impersonation of a tenant admin.
    ImpersonationId
);
typed_id!(
    /// A user account; one user may belong to several tenants.
    UserId
);
typed_id!(
    /// An outlet (physical location) of a tenant.
    OutletId
);
typed_id!(
    /// A service in a tenant's catalog.
    ServiceId
);
typed_id!(
    /// An invitation to join a tenant.
    InvitationId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_through_text_and_sort_by_creation() {
        let first = TenantId::new();
        let second = TenantId::new();
        assert_eq!(first.to_string().parse::<TenantId>().unwrap(), first);
        assert!(first < second);
        assert!("not-a-uuid".parse::<UserId>().is_err());
    }
}
