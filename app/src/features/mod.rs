//! One folder per feature: its pages, components and server functions.

pub mod account;
pub mod admin;
pub mod landing;
pub mod not_found;
pub mod portal;
pub mod pricing;
pub mod register;
pub mod tenants;
