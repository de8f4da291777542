//! The HTTP request on the server side, in one place for the REST handlers (`oikos-server`)
//! and the server functions (`oikos-app` with `ssr`): what the middleware learns about a
//! request ([`request`]), how a handler takes what it needs from it ([`extract`]), how every
//! core error answers ([`status`]), and the re-fill of a failed plain form post ([`forms`]).

pub mod extract;
pub mod forms;
pub mod request;
pub mod security;
pub mod session;
pub mod status;

pub use extract::{Admin, JsonBody, PartnerKey, PathId, Scoped};
pub use request::{Caller, RequestContext, Site, Via};
pub use status::{status_of, ApiError};
