//! The browser entry: hydrates the server-rendered page, if it is of this build.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    if !app::boot::page_is_of_this_build() {
        return;
    }
    // Asynchronously: a page split into its own wasm file (`app::split`) is fetched first,
    // then hydrated. Only once hydration has returned is the page marked hydrated.
    wasm_bindgen_futures::spawn_local(async {
        let body = leptos::prelude::document()
            .body()
            .expect("a page has a body");
        let mounted = leptos::mount::hydrate_from_async(body, app::App).await;
        std::mem::forget(mounted);
        app::boot::mark_hydrated();
    });
}
