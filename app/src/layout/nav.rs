//! Navigation links, shown inline on wide screens and in a disclosure menu on phones. The
//! menu is a `<details>` element, so it opens and closes without JavaScript too.

use leptos::prelude::*;
use leptos_router::hooks::use_location;

use crate::viewer::use_viewer;

const MAIN_LINKS: &[(&str, &str, &str)] = &[("/", "Home", ""), ("/pricing", "Pricing", "")];
/// A portal's sections, each with the permission that shows it (`""`: every member).
const PORTAL_LINKS: &[(&str, &str, &str)] = &[
    ("/dashboard", "Dashboard", ""),
    ("/outlets", "Outlets", "view_outlets"),
    ("/services", "Services", "view_services"),
    ("/team", "Team", "view_members"),
    ("/billing", "Billing", "manage_billing"),
    ("/settings", "Settings", "update_tenant"),
];

#[component]
pub fn NavLinks() -> impl IntoView {
    let location = use_location();
    let viewer = use_viewer();
    let links = match &viewer.portal {
        Some(_) => PORTAL_LINKS,
        None => MAIN_LINKS,
    };
    links
        .iter()
        .copied()
        .filter(|(_, _, needs)| needs.is_empty() || viewer.may(needs))
        .map(|(href, label, _)| {
            let current = move || {
                (location.pathname.get() == href).then_some("page")
            };
            view! {
                <a
                    href=crate::mount::href(href)
                    aria-current=current
                    class="text-sm font-medium text-slate-600 hover:text-slate-900 aria-[current=page]:text-indigo-600"
                >
                    {label}
                </a>
            }
        })
        .collect_view()
}

/// "Log in" and "Sign up" for a visitor; the account and "Log out" once signed in. "Log out"
/// is a plain form post: the page after it is loaded afresh, as a visitor's.
#[component]
pub fn UserLinks() -> impl IntoView {
    match use_viewer().name {
        Some(name) => view! {
            <a
                href=crate::mount::href("/account")
                aria-label=format!("Your account ({name})")
                class="max-w-40 truncate text-sm font-medium text-slate-600 hover:text-slate-900"
            >
                {name.clone()}
            </a>
            <form method="post" action=crate::mount::href("/api/auth/log_out")>
                <button type="submit" class="text-sm font-medium text-slate-600 hover:text-slate-900">
                    "Log out"
                </button>
            </form>
        }
        .into_any(),
        None => view! {
            <a href=crate::mount::href("/login") class="text-sm font-medium text-slate-600 hover:text-slate-900">"Log in"</a>
            <a
                href=crate::mount::href("/signup")
                class="rounded-md bg-indigo-600 px-3 py-1.5 text-center text-sm font-semibold text-white hover:bg-indigo-500"
            >
                "Sign up"
            </a>
        }
        .into_any(),
    }
}

#[component]
pub fn MobileNav() -> impl IntoView {
    view! {
        <details class="group relative md:hidden">
            <summary
                class="flex cursor-pointer list-none items-center gap-2 rounded-md px-3 py-2 text-sm font-medium text-slate-700 hover:bg-slate-100 [&::-webkit-details-marker]:hidden"
                aria-label="Menu"
            >
                <svg aria-hidden="true" class="h-5 w-5" viewBox="0 0 20 20" fill="currentColor">
                    <path d="M3 5h14v2H3zM3 9h14v2H3zM3 13h14v2H3z" />
                </svg>
                "Menu"
            </summary>
            <nav
                aria-label="Mobile"
                class="absolute right-0 mt-2 flex w-48 flex-col gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-lg"
            >
                <NavLinks />
                <UserLinks />
            </nav>
        </details>
    }
}
