//! The browser side: Leptos islands. Pages are rendered on the server; only the `#[island]`
//! components (the form progress, the workspace-address preview, the colour preview) hydrate.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // A portal in path mode: its islands' server functions are called under its mount
    // (`/t/{slug}/api/…`), which names the portal to the server.
    let mount = oikos_app::mount::mount();
    if !mount.is_empty() {
        leptos::server_fn::client::set_server_url(Box::leak(mount.into_boxed_str()));
    }
    leptos::mount::hydrate_islands();
}
