//! The Content-Security-Policy, shared by the pages (with their nonce) and the server's
//! default for every other response.

/// Scripts only from this origin or carrying the page's nonce; `'wasm-unsafe-eval'` lets the
/// app's own wasm compile without allowing `eval`. No framing (`frame-ancestors 'none'`).
/// Forms post to this origin, whose answer may send them on to a tenant's portal (`portals`,
/// `http://*.oikos.example`: signing in, registering, switching workspaces); in path mode the
/// portals are this origin.
pub fn content_security_policy(nonce: Option<&str>, portals: Option<&str>) -> String {
    let form_action = match portals {
        Some(portals) => format!("'self' {portals}"),
        None => "'self'".to_owned(),
    };
    let script_src = match nonce {
        Some(nonce) => format!("'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"),
        None => "'self' 'wasm-unsafe-eval'".to_owned(),
    };
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action {form_action}; frame-ancestors 'none'"
    )
}

/// Sets this page's CSP, allowing the inline hydration script through its nonce.
#[cfg(feature = "ssr")]
pub fn send_page_csp() {
    use leptos::prelude::use_context;

    let (Some(nonce), Some(response), Some(ctx)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
        use_context::<oikos::AppContext>(),
    ) else {
        return;
    };
    let policy = content_security_policy(Some(&nonce), ctx.links.portals_source().as_deref());
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::content_security_policy;

    #[test]
    fn the_nonce_is_allowed_only_when_given() {
        let portals = Some("http://*.localhost:3000");
        let with = content_security_policy(Some("abc123"), portals);
        assert!(with.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        assert!(with.contains("form-action 'self' http://*.localhost:3000;"));
        let without = content_security_policy(None, portals);
        assert!(!without.contains("nonce"));
        assert!(without.contains("frame-ancestors 'none'"));
        let path_mode = content_security_policy(None, None);
        assert!(path_mode.contains("form-action 'self';"));
    }
}
