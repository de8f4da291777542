//! The super admin's pages on the main site: the platform overview at `/admin` (figures and
//! charts), the tenants at `/admin/tenants` and each at `/admin/tenants/:id`, and the local
//! mailbox at `/admin/mailbox`. To anyone else they are "not found".

mod api_keys;
mod charts;
mod mailbox;
mod outbox;
mod overview;
mod tenant;
mod tenants;
mod webhooks;

pub use api_keys::ApiKeysPage;
pub use mailbox::MailboxPage;
pub use outbox::OutboxPage;
pub use overview::OverviewPage;
pub use tenant::TenantPage;
pub use tenants::TenantsPage;
pub use webhooks::{WebhookPage, WebhooksPage};

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;
use serde::{de::DeserializeOwned, Serialize};

use crate::error::AppError;
use crate::ui::panels::QueryNotice;

const SECTIONS: &[(&str, &str)] = &[
    ("/admin", "Overview"),
    ("/admin/tenants", "Tenants"),
    ("/admin/api-keys", "API keys"),
    ("/admin/webhooks", "Webhooks"),
    ("/admin/outbox", "Outbox"),
    ("/admin/mailbox", "Mailbox"),
];

/// The admin area's sections, as tabs under its heading.
#[component]
fn AdminNav() -> impl IntoView {
    let location = use_location();
    view! {
        <nav aria-label="Admin sections" class="mt-4 flex flex-wrap gap-x-4 gap-y-2 border-b border-slate-200">
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
                            class="-mb-px whitespace-nowrap border-b-2 border-transparent px-1 pb-2 text-sm font-medium text-slate-600 hover:text-slate-900 aria-[current=page]:border-indigo-600 aria-[current=page]:text-indigo-700"
                        >
                            {*label}
                        </a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// A super admin's server-function call: the core's context, the request, and the admin's
/// scope. Anyone else is refused (not found; unauthorised for a visitor).
#[cfg(feature = "ssr")]
struct Admin {
    ctx: oikos::AppContext,
    request: crate::context::RequestContext,
    scope: oikos::tenancy::AdminScope,
}

#[cfg(feature = "ssr")]
impl Admin {
    fn of_request() -> Result<Admin, crate::error::AppError> {
        let ctx = crate::context::app_context()?;
        let request = crate::context::request_context()?;
        let scope = oikos::tenancy::AdminScope::resolve(&request.caller()?.auth.principal)?;
        Ok(Admin {
            ctx,
            request,
            scope,
        })
    }
}

/// The row a form or path names; none, or text that is no id, finds nothing.
#[cfg(feature = "ssr")]
fn parsed_id<T: std::str::FromStr>(id: Option<String>) -> Result<T, crate::error::AppError> {
    id.unwrap_or_default()
        .trim()
        .parse()
        .map_err(|_| oikos::Error::NotFound.into())
}

/// The frame of an admin page: its title and heading, the tabs, the notices its address
/// may carry, and `body` once `data` has loaded (anyone but a super admin: not found).
#[component]
fn AdminFrame<T>(
    title: &'static str,
    loading: &'static str,
    data: Resource<Result<T, AppError>>,
    body: fn(T) -> AnyView,
    #[prop(default = &[])] notices: &'static [(&'static str, &'static str)],
    /// (href, label) of the page one level up.
    #[prop(optional)]
    back: Option<(&'static str, &'static str)>,
) -> impl IntoView
where
    T: Clone + Send + Sync + Serialize + DeserializeOwned + 'static,
{
    view! {
        <Title text=title />
        <section class="mx-auto w-full max-w-5xl space-y-6 px-4 py-10 sm:py-14">
            {back.map(|(href, label)| view! { <p><a href=href class="text-sm font-medium text-indigo-700">{label}</a></p> })}
            <h1 class="text-2xl font-bold tracking-tight sm:text-3xl">{title}</h1>
            <Suspense fallback=move || view! { <p role="status" class="text-sm text-slate-500">{loading}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(found) => view! { <AdminNav /> <QueryNotice notices /> {body(found)} }.into_any(),
                        Err(err) => refused(err),
                    }
                })}
            </Suspense>
        </section>
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
