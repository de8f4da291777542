//! One folder per feature: its pages, components and server functions.

/// A page as a lazy route (a wasm chunk of its own, `cargo leptos build --split`):
/// `lazy_page!(LoginRoute, LoginPage)`.
macro_rules! lazy_page {
    ($route:ident, $page:ident) => {
        pub struct $route;

        #[leptos_router::lazy_route]
        impl leptos_router::LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(_this: Self) -> leptos::prelude::AnyView {
                use leptos::prelude::*;
                view! { <$page /> }.into_any()
            }
        }
    };
}

pub mod account;
pub mod admin;
pub mod landing;
pub mod not_found;
pub mod portal;
pub mod pricing;
pub mod register;
pub mod tenants;
