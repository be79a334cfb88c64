//! The browser entry: hydrates the server-rendered page, if it is of this build.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    if !app::boot::page_is_of_this_build() {
        return;
    }
    leptos::mount::hydrate_body(app::App);
    app::boot::mark_hydrated();
}
