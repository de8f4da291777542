//! Plans, each tenant's subscription, and Stripe: the client, the plans it knows, the
//! tenant's customer and subscription state, webhooks, and what admins do with them.

pub mod account;
pub mod payments;
pub mod plans;
pub mod printed;
pub mod provider;
pub mod service;
pub mod stripe;
pub mod subscriptions;
pub mod webhooks;

pub use plans::{BillingCycle, Plan, PlanCatalog, Price};
