//! Tenants as the public and their members see them.

mod public;

pub use public::{public_tenant, PublicProfile};
