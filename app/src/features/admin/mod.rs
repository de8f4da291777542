//! The super admin's pages on the main site: the platform overview at `/admin` (figures and
//! charts), the tenants at `/admin/tenants` and each at `/admin/tenants/:id`, and the local
//! mailbox at `/admin/mailbox`. To anyone else they are "not found".

mod charts;
mod mailbox;
mod overview;
mod tenant;
mod tenants;

pub use mailbox::MailboxPage;
pub use overview::OverviewPage;
pub use tenant::TenantPage;
pub use tenants::TenantsPage;

use leptos::prelude::*;
use leptos_router::hooks::use_location;

const SECTIONS: &[(&str, &str)] = &[
    ("/admin", "Overview"),
    ("/admin/tenants", "Tenants"),
    ("/admin/mailbox", "Mailbox"),
];

/// The admin area's sections, as tabs under its heading.
#[component]
fn AdminNav() -> impl IntoView {
    let location = use_location();
    view! {
        <nav aria-label="Admin sections" class="mt-4 flex gap-4 border-b border-slate-200">
            {SECTIONS
                .iter()
                .map(|(href, label)| {
                    let current = move || {
                        let path = location.pathname.get();
                        let here = path == *href || (*href != "/admin" && path.starts_with(&format!("{href}/")));
                        here.then_some("page")
                    };
                    view! {
                        <a
                            href=*href
                            aria-current=current
                            class="-mb-px border-b-2 border-transparent px-1 pb-2 text-sm font-medium text-slate-600 hover:text-slate-900 aria-[current=page]:border-indigo-600 aria-[current=page]:text-indigo-700"
                        >
                            {*label}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// What a refused admin page shows: not found to everyone but super admins.
fn refused(err: crate::error::AppError) -> AnyView {
    if err.code == "not_found" || err.code == "unauthorized" {
        view! { <p class="text-sm text-slate-600">"Page not found."</p> }.into_any()
    } else {
        view! { <p role="alert" class="text-sm text-red-700">{err.message}</p> }.into_any()
    }
}
