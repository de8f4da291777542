//! Response headers a page asks for while it renders (set on the server only).

/// A page whose address carries a secret token (an invitation, a handoff): never cached, and
/// never sent on as a referrer, so the token stays in this tab.
pub fn token_in_address() {
    #[cfg(feature = "ssr")]
    oikos_web::security::token_in_address();
}
