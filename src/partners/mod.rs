//! Partners: integrations that provision tenants with a scoped API key (PRODUCT.md §9).

pub mod api_keys;
pub mod idempotency;
pub mod provisioning;
