//! Where this site's paths start. A portal in path mode (`OIKOS_TENANT_ROUTING=path`) lives
//! under `/t/{slug}` on the main host; everywhere else the mount is empty. Links, form
//! actions and redirects to pages of this site go through [`href`] or [`redirect`], so the
//! same pages serve both modes. The server reads the mount from the request; the browser
//! reads it back from `<body data-mount>`.

use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::NavigateOptions;

/// This request's mount: `/t/{slug}` or `""`.
#[cfg(feature = "ssr")]
pub fn mount() -> String {
    with_context::<http::request::Parts, _>(|parts| {
        parts
            .extensions
            .get::<crate::context::RequestContext>()
            .map(|request| request.mount.clone())
    })
    .flatten()
    .unwrap_or_default()
}

/// This page's mount: `/t/{slug}` or `""` (an island's server calls go under it).
#[cfg(not(feature = "ssr"))]
pub fn mount() -> String {
    thread_local! {
        static MOUNT: String = document()
            .body()
            .and_then(|body| body.get_attribute("data-mount"))
            .unwrap_or_default();
    }
    MOUNT.with(Clone::clone)
}

/// `path` (`/outlets?saved=1`) on this site.
pub fn href(path: &str) -> String {
    format!("{}{path}", mount())
}

/// After a server function: on to `target`, a path on this site (given without the mount)
/// or a full URL (another site, such as a portal's handoff).
#[cfg(feature = "ssr")]
pub fn redirect(target: &str) {
    if target.starts_with('/') {
        leptos_axum::redirect(&href(target));
    } else {
        leptos_axum::redirect(target);
    }
}

/// Signed out: on to this site's sign-in page, coming back to `back` afterwards.
pub fn to_sign_in(back: &str) -> AnyView {
    let options = NavigateOptions {
        // The path already carries the mount: the router must not add its base again.
        resolve: false,
        ..Default::default()
    };
    view! { <Redirect path=href(&format!("/login?next={back}")) options /> }.into_any()
}
