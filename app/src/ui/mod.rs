//! The small design system pages are built from.

pub mod form;
pub mod panels;
