//! Who is signed in and on which site, for the header. The server writes both into
//! `<body data-viewer data-portal>` and the browser reads them back at hydration: every page
//! knows them without a server call (and that call's client code in the main module). A
//! form that changes who is signed in ends with a redirect, which loads the next page afresh
//! (see the frontend's redirect hook).

use leptos::prelude::*;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Viewer {
    /// The signed-in person's first name (or address), or `None` for a visitor.
    pub name: Option<String>,
    /// On a tenant's portal, the tenant's name; `None` on the main site.
    pub portal: Option<String>,
}

/// The values of those attributes for this request.
pub fn body_attributes() -> Viewer {
    current()
}

pub fn provide_viewer() {
    provide_context(current());
}

pub fn use_viewer() -> Viewer {
    use_context::<Viewer>().unwrap_or_default()
}

#[cfg(feature = "ssr")]
fn current() -> Viewer {
    let Ok(request) = crate::context::request_context() else {
        return Viewer::default();
    };
    let name = request.caller.map(|caller| {
        let user = &caller.auth.user;
        if user.first_name.trim().is_empty() {
            user.email.to_string()
        } else {
            user.first_name.clone()
        }
    });
    Viewer {
        name,
        portal: request.portal_name,
    }
}

#[cfg(not(feature = "ssr"))]
fn current() -> Viewer {
    let body = document().body();
    let attribute = |name: &str| body.as_ref().and_then(|body| body.get_attribute(name));
    Viewer {
        name: attribute("data-viewer"),
        portal: attribute("data-portal"),
    }
}
