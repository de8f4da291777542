//! Roles a member can hold within a tenant. SUPER_ADMIN is platform-wide and lives on the
//! user, not here.

use std::fmt;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Role {
    TenantAdmin,
    OutletManager,
    Staff,
    Receptionist,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::TenantAdmin,
        Role::OutletManager,
        Role::Staff,
        Role::Receptionist,
    ];

    /// The wire and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::TenantAdmin => "TENANT_ADMIN",
            Role::OutletManager => "OUTLET_MANAGER",
            Role::Staff => "STAFF",
            Role::Receptionist => "RECEPTIONIST",
        }
    }

    /// In words, for people.
    pub fn label(self) -> &'static str {
        match self {
            Role::TenantAdmin => "Admin",
            Role::OutletManager => "Outlet manager",
            Role::Staff => "Staff",
            Role::Receptionist => "Receptionist",
        }
    }

    /// Higher ranks may grant lower ones, never higher (invitations, role changes).
    pub fn rank(self) -> u8 {
        match self {
            Role::TenantAdmin => 3,
            Role::OutletManager => 2,
            Role::Staff | Role::Receptionist => 1,
        }
    }

    pub fn can_grant(self, other: Role) -> bool {
        self.rank() >= other.rank()
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, thiserror::Error)]
#[error("unknown role {0:?}")]
pub struct UnknownRole(String);

impl FromStr for Role {
    type Err = UnknownRole;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == s)
            .ok_or_else(|| UnknownRole(s.to_owned()))
    }
}

crate::db::query::text_type!(Role);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_from_their_spelling_only() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>().unwrap(), role);
        }
        assert!("tenant_admin".parse::<Role>().is_err());
        assert!("SUPER_ADMIN".parse::<Role>().is_err());
    }

    #[test]
    fn nobody_grants_a_role_above_their_own() {
        assert!(Role::TenantAdmin.can_grant(Role::OutletManager));
        assert!(Role::OutletManager.can_grant(Role::Staff));
        assert!(!Role::OutletManager.can_grant(Role::TenantAdmin));
        assert!(!Role::Staff.can_grant(Role::OutletManager));
        assert!(Role::Staff.can_grant(Role::Receptionist));
    }
}
