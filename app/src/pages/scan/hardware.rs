//! USB and Bluetooth barcode scanners type what they read as keystrokes, then Enter. The
//! door takes such a burst anywhere on the page while no field has focus, and tells it from
//! a person typing by the time between keys: a scanner sends a key every few milliseconds,
//! people take a tenth of a second or more; 60 ms leaves room for a busy phone.

use leptos::prelude::*;

/// The longest pause between two keys of one burst, in milliseconds.
const MAX_GAP_MS: f64 = 60.0;
/// The shortest code a burst must carry to count (ticket codes are 40 characters), and the
/// longest kept: a key held down repeats fast and would otherwise grow the burst forever.
const MIN_LENGTH: usize = 8;
const MAX_LENGTH: usize = 256;

/// Calls `on_code` with each burst read while the page is open.
pub fn listen(on_code: impl Fn(String) + 'static) {
    // (characters so far, time of the last key)
    let burst = StoredValue::new_local((String::new(), f64::NEG_INFINITY));
    let handle = window_event_listener(leptos::ev::keydown, move |event| {
        if typed_into_a_field(&event) || event.ctrl_key() || event.alt_key() || event.meta_key() {
            return;
        }
        let now = event.time_stamp();
        let key = event.key();
        let finished = burst
            .try_update_value(|(code, last)| {
                if now - *last > MAX_GAP_MS || code.len() >= MAX_LENGTH {
                    code.clear();
                }
                *last = now;
                if key == "Enter" {
                    let code = std::mem::take(code);
                    (code.chars().count() >= MIN_LENGTH).then_some(code)
                } else {
                    if key.chars().count() == 1 {
                        code.push_str(&key);
                    }
                    None
                }
            })
            .flatten();
        if let Some(code) = finished {
            event.prevent_default();
            on_code(code);
        }
    });
    on_cleanup(move || handle.remove());
}

/// Keys a person types into a field (the name search, the code box) are theirs.
fn typed_into_a_field(event: &web_sys::KeyboardEvent) -> bool {
    use wasm_bindgen::JsCast;
    event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|element| {
            matches!(element.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || element
                    .closest("[contenteditable]")
                    .ok()
                    .flatten()
                    .is_some()
        })
}
