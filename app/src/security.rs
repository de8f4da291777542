//! The Content-Security-Policy, shared by the pages (with their nonce) and the server's
//! default for every other response.

/// Scripts only from this origin or carrying the page's nonce; `'wasm-unsafe-eval'` lets the
/// app's own wasm compile without allowing `eval`. No framing (`frame-ancestors 'none'`).
pub fn content_security_policy(nonce: Option<&str>) -> String {
    let script_src = match nonce {
        Some(nonce) => format!("'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"),
        None => "'self' 'wasm-unsafe-eval'".to_owned(),
    };
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

/// Sets this page's CSP, allowing the inline hydration script through its nonce.
#[cfg(feature = "ssr")]
pub fn send_page_csp() {
    use leptos::prelude::use_context;

    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    if let Ok(value) = http::HeaderValue::from_str(&content_security_policy(Some(&nonce))) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[cfg(test)]
mod tests {
    use super::content_security_policy;

    #[test]
    fn the_nonce_is_allowed_only_when_given() {
        let with = content_security_policy(Some("abc123"));
        assert!(with.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        let without = content_security_policy(None);
        assert!(!without.contains("nonce"));
        assert!(without.contains("frame-ancestors 'none'"));
    }
}
