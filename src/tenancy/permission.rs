//! The permission matrix: the one place that says which role may do what. The UI shows what
//! it allows and the services enforce it (`scope.require(Permission::…)?`).

use super::Role;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Permission {
    ViewTenant,
    UpdateTenant,
    DeleteTenant,
    ViewStats,
    ExportData,
    ManageBilling,
    ViewOutlets,
    ManageOutlets,
    ViewMembers,
    InviteMembers,
    ManageMembers,
    ViewServices,
    ManageServices,
}

impl Permission {
    pub const ALL: [Permission; 13] = [
        Permission::ViewTenant,
        Permission::UpdateTenant,
        Permission::DeleteTenant,
        Permission::ViewStats,
        Permission::ExportData,
        Permission::ManageBilling,
        Permission::ViewOutlets,
        Permission::ManageOutlets,
        Permission::ViewMembers,
        Permission::InviteMembers,
        Permission::ManageMembers,
        Permission::ViewServices,
        Permission::ManageServices,
    ];

    /// The stable name clients see (`GET /api/v1/auth/me`'s `permissions`).
    pub fn as_str(self) -> &'static str {
        use Permission::*;
        match self {
            ViewTenant => "view_tenant",
            UpdateTenant => "update_tenant",
            DeleteTenant => "delete_tenant",
            ViewStats => "view_stats",
            ExportData => "export_data",
            ManageBilling => "manage_billing",
            ViewOutlets => "view_outlets",
            ManageOutlets => "manage_outlets",
            ViewMembers => "view_members",
            InviteMembers => "invite_members",
            ManageMembers => "manage_members",
            ViewServices => "view_services",
            ManageServices => "manage_services",
        }
    }

    /// Every permission `role` has.
    pub fn of(role: Role) -> Vec<Permission> {
        Permission::ALL
            .into_iter()
            .filter(|permission| permission.allowed_for(role))
            .collect()
    }

    pub fn allowed_for(self, role: Role) -> bool {
        use Permission::*;
        match role {
            Role::TenantAdmin => true,
            Role::OutletManager => matches!(
                self,
                ViewTenant
                    | ViewStats
                    | ViewOutlets
                    | ViewMembers
                    | InviteMembers
                    | ViewServices
                    | ManageServices
            ),
            Role::Staff | Role::Receptionist => {
                matches!(self, ViewTenant | ViewOutlets | ViewServices)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The matrix as a Markdown table (permissions down, tenant roles across), as the README
    /// shows it; a test keeps the two the same.
    fn markdown_table() -> String {
        let mut table = String::from("| permission |");
        for role in Role::ALL {
            table.push_str(&format!(" {role} |"));
        }
        table.push_str("\n|---|");
        table.push_str(&"---|".repeat(Role::ALL.len()));
        for permission in Permission::ALL {
            table.push_str(&format!("\n| `{}` |", permission.as_str()));
            for role in Role::ALL {
                table.push_str(if permission.allowed_for(role) {
                    " ✓ |"
                } else {
                    " |"
                });
            }
        }
        table.push('\n');
        table
    }

    #[test]
    fn the_readme_shows_the_matrix_of_the_code() {
        let readme = include_str!("../../README.md");
        let (_, rest) = readme
            .split_once("<!-- permissions:start -->\n")
            .expect("the README's permissions table");
        let (shown, _) = rest
            .split_once("<!-- permissions:end -->")
            .expect("its end");
        assert_eq!(
            shown,
            markdown_table(),
            "regenerate the README's table from the code"
        );
    }

    #[test]
    fn staff_and_receptionists_do_not_see_the_team() {
        for role in [Role::Staff, Role::Receptionist] {
            assert!(!Permission::ViewMembers.allowed_for(role));
        }
        assert!(Permission::ViewMembers.allowed_for(Role::OutletManager));
    }

    #[test]
    fn tenant_admin_may_do_everything() {
        assert!(Permission::ALL
            .iter()
            .all(|p| p.allowed_for(Role::TenantAdmin)));
    }

    #[test]
    fn only_tenant_admins_manage_billing_members_and_the_tenant() {
        for role in [Role::OutletManager, Role::Staff, Role::Receptionist] {
            for permission in [
                Permission::ManageBilling,
                Permission::ManageMembers,
                Permission::UpdateTenant,
                Permission::DeleteTenant,
                Permission::ExportData,
                Permission::ManageOutlets,
            ] {
                assert!(
                    !permission.allowed_for(role),
                    "{role} must not {permission:?}"
                );
            }
        }
    }

    #[test]
    fn outlet_managers_invite_and_manage_services_but_staff_do_not() {
        assert!(Permission::InviteMembers.allowed_for(Role::OutletManager));
        assert!(Permission::ManageServices.allowed_for(Role::OutletManager));
        assert!(!Permission::InviteMembers.allowed_for(Role::Staff));
        assert!(!Permission::ManageServices.allowed_for(Role::Receptionist));
        assert!(Permission::ViewServices.allowed_for(Role::Receptionist));
    }
}
