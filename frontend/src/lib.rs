//! Hydrates the server-rendered page in the browser.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // A server function redirects after a form changed something (signed in, signed out,
    // saved): load that page afresh, so that the header and every resource show the new
    // state. Set before the router's own hook, which navigates in place (the first one wins).
    let _ = leptos::server_fn::redirect::set_redirect_hook(|location: &str| {
        let _ = leptos::prelude::window().location().assign(location);
    });
    // A portal in path mode: its server functions are called under its mount
    // (`/t/{slug}/api/…`), which names the portal to the server.
    let mount = oikos_app::mount::mount();
    if !mount.is_empty() {
        leptos::server_fn::client::set_server_url(Box::leak(mount.into_boxed_str()));
    }
    // Lazy routes (split wasm chunks) need hydrate_lazy; hydrate_body panics on them.
    leptos::mount::hydrate_lazy(oikos_app::App);
}
