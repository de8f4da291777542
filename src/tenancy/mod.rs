//! Who may act on which tenant's data: typed ids, roles, the permission matrix and the
//! scopes ([`TenantScope`] is the only way to reach tenant data).

mod ids;
#[cfg(test)]
mod isolation_tests;
mod permission;
mod resolve;
mod role;
mod scope;
pub(crate) mod visit;

pub use ids::{
    ApiKeyId, ImpersonationId, InvitationId, OutletId, ServiceId, TenantId, UserId, WebhookId,
};
pub use permission::Permission;
pub use resolve::TenantHints;
pub use role::Role;
pub use scope::{AdminScope, Principal, SystemScope, TenantScope};
pub use visit::{visit, PortalVisit};
