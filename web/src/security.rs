//! The Content-Security-Policy, shared by the pages (with their nonce) and the server's
//! default for every other response; and the headers of a page with a token in its address.

/// Scripts only from this origin or carrying the page's nonce; `'wasm-unsafe-eval'` lets the
/// app's own wasm compile without allowing `eval`. No framing (`frame-ancestors 'none'`).
/// Forms post to this origin, whose answer may send them on to the main site or a tenant's
/// portal (`form_targets`, `http://oikos.example http://*.oikos.example`: signing in,
/// registering, switching workspaces, ending an impersonation); in path mode all of them are
/// this origin.
///
/// With `stripe` (Stripe.js's origin and the API's, when billing pages add cards): Stripe.js
/// loads from its origin, draws its card fields in frames from there (and 3-D Secure in
/// `hooks.stripe.com`'s), and calls the API.
pub fn content_security_policy(
    nonce: Option<&str>,
    form_targets: Option<&str>,
    stripe: Option<(&str, &str)>,
) -> String {
    let form_action = match form_targets {
        Some(targets) => format!("'self' {targets}"),
        None => "'self'".to_owned(),
    };
    let script_src = match nonce {
        Some(nonce) => format!("'self' 'nonce-{nonce}' 'wasm-unsafe-eval'"),
        None => "'self' 'wasm-unsafe-eval'".to_owned(),
    };
    let (script_src, connect_src, frame_src) = match stripe {
        Some((js, api)) => (
            format!("{script_src} {js}"),
            format!("'self' {api} {js}"),
            format!("{js} https://hooks.stripe.com"),
        ),
        None => (script_src, "'self'".to_owned(), "'none'".to_owned()),
    };
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self'; img-src 'self' data:; \
         font-src 'self'; connect-src {connect_src}; frame-src {frame_src}; \
         object-src 'none'; base-uri 'self'; form-action {form_action}; frame-ancestors 'none'"
    )
}

/// Sets this page's CSP, allowing the inline hydration script through its nonce.
pub fn send_page_csp() {
    use leptos::prelude::use_context;

    let (Some(nonce), Some(response), Some(ctx)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
        use_context::<oikos::AppContext>(),
    ) else {
        return;
    };
    let stripe = ctx
        .config
        .stripe
        .as_ref()
        .and_then(|stripe| stripe.browser_origins());
    let policy = content_security_policy(
        Some(&nonce),
        ctx.links.form_targets().as_deref(),
        stripe.as_ref().map(|(js, api)| (js.as_str(), api.as_str())),
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

/// A page whose address carries a secret token (an invitation, a handoff): never cached, and
/// never sent on as a referrer, so the token stays in this tab.
pub fn token_in_address() {
    if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        use http::{header, HeaderValue};
        response.insert_header(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        response.insert_header(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
}

#[cfg(test)]
mod tests {
    use super::content_security_policy;

    #[test]
    fn the_nonce_is_allowed_only_when_given() {
        let portals = Some("http://*.localhost:3000");
        let with = content_security_policy(Some("abc123"), portals, None);
        assert!(with.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval';"));
        assert!(with.contains("form-action 'self' http://*.localhost:3000;"));
        let without = content_security_policy(None, portals, None);
        assert!(!without.contains("nonce"));
        assert!(without.contains("frame-ancestors 'none'"));
        let path_mode = content_security_policy(None, None, None);
        assert!(path_mode.contains("form-action 'self';"));
        assert!(path_mode.contains("frame-src 'none';"));
    }

    #[test]
    fn stripe_js_is_allowed_only_when_cards_are_added_in_the_page() {
        let stripe = Some(("https://js.stripe.com", "https://api.stripe.com"));
        let policy = content_security_policy(Some("n"), None, stripe);
        assert!(policy
            .contains("script-src 'self' 'nonce-n' 'wasm-unsafe-eval' https://js.stripe.com;"));
        assert!(policy.contains("connect-src 'self' https://api.stripe.com https://js.stripe.com;"));
        assert!(policy.contains("frame-src https://js.stripe.com https://hooks.stripe.com;"));
        assert!(!content_security_policy(Some("n"), None, None).contains("stripe"));
    }
}
