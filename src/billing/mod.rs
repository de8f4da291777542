//! Plans and (in later work) subscriptions and Stripe.

pub mod plans;

pub use plans::{BillingCycle, Plan, PlanCatalog, Price};
