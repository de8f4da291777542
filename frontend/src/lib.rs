//! Hydrates the server-rendered page in the browser.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy routes (split wasm chunks) need hydrate_lazy; hydrate_body panics on them.
    leptos::mount::hydrate_lazy(oikos_app::App);
}
