//! Who is signed in, for the header. The server writes it into `<body data-viewer>` and the
//! browser reads it back at hydration: every page knows it without a server call (and that
//! call's client code in the main module). A form that changes who is signed in ends with a
//! redirect, which loads the next page afresh (see the frontend's redirect hook).

use leptos::prelude::*;

/// The signed-in person's first name (or address), or `None` for a visitor.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Viewer(pub Option<String>);

/// The value of that attribute for this request.
pub fn body_attribute() -> Option<String> {
    current().0
}

pub fn provide_viewer() {
    provide_context(current());
}

pub fn use_viewer() -> Viewer {
    use_context::<Viewer>().unwrap_or_default()
}

#[cfg(feature = "ssr")]
fn current() -> Viewer {
    let caller = crate::context::request_context()
        .ok()
        .and_then(|request| request.caller);
    Viewer(caller.map(|caller| {
        let user = &caller.auth.user;
        if user.first_name.trim().is_empty() {
            user.email.to_string()
        } else {
            user.first_name.clone()
        }
    }))
}

#[cfg(not(feature = "ssr"))]
fn current() -> Viewer {
    // The attribute the shell writes: `<body data-viewer=…>`.
    Viewer(
        document()
            .body()
            .and_then(|body| body.get_attribute("data-viewer")),
    )
}
