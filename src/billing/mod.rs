//! Plans, each tenant's subscription, and (in later work) Stripe.

pub mod plans;
pub mod subscriptions;

pub use plans::{BillingCycle, Plan, PlanCatalog, Price};
