//! A server function's request, as `oikos-web` holds it: its context and caller, the core's
//! context, its session, and what a failed plain form post typed.

pub use oikos_web::forms::{typed, typed_ticked, Typed};
pub use oikos_web::request::{
    app_context, plain_form_post, request_context, Caller, RequestContext, Site, Via,
};
pub use oikos_web::session::{
    keep_to_show_once, session, session_error, start_session, take_shown_once,
};
pub use oikos_web::Scoped;
