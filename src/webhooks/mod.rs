//! Outgoing webhooks (PRODUCT.md §9): super admins register endpoints for tenant lifecycle
//! events. A change writes one delivery per subscribed endpoint in its own transaction, so
//! an event is sent if and only if the change committed; the [`worker`] posts deliveries,
//! signed, and retries failures with exponential backoff for [`deliveries::RETRY_FOR`].
//!
//! A delivery is a POST of `{id, type, created_at, data}` (JSON) with the header
//! `Oikos-Signature: t=<unix time>,v1=<hex>`, the HMAC-SHA256 of `"<t>.<body>"` under the
//! endpoint's secret: Stripe's scheme, checked by [`crate::signature::verify`]. A receiver
//! should refuse timestamps more than five minutes old and drop event ids it has seen.

pub mod deliveries;
pub mod endpoints;
mod events;
pub mod target;
pub mod worker;

pub use events::EventType;
pub(crate) use events::{emit, tenant_data};

#[cfg(test)]
mod tests;
