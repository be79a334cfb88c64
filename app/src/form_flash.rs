//! Forms that work before the app's script has arrived. On a slow phone people submit a form
//! long before hydration: the browser posts it to the server function as a plain HTML form,
//! and the server answers with a redirect back to the page. When the function failed, the
//! server (`server/src/form_posts.rs`) sends along, in a cookie that lives a minute, which
//! function failed, its error and what was typed (never a password). The page rendered next
//! reads the cookie once (and clears it): its forms show the error and keep the values, and
//! once the app runs, focus moves to the first invalid field.

use crate::error::AppError;
use serde::{Deserialize, Serialize};

/// The cookie's name.
pub const COOKIE: &str = "netevent_form";

/// At most this many bytes of typed values go back (a cookie holds about 4 KB, hex doubles).
const VALUES_BUDGET: usize = 1500;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormFlash {
    /// The server function's path, e.g. `/rpc/login_organizer…`.
    pub path: String,
    pub error: AppError,
    /// Field name and what was typed, in the form's order.
    pub values: Vec<(String, String)>,
}

impl FormFlash {
    /// What a failed form post brings back: its fields but passwords, within the budget.
    pub fn new(path: &str, error: AppError, fields: Vec<(String, String)>) -> Self {
        let mut used = 0;
        let values = fields
            .into_iter()
            .filter(|(name, _)| !name.contains("password") && !name.contains("token"))
            .filter(|(name, value)| {
                used += name.len() + value.len();
                used <= VALUES_BUDGET
            })
            .collect();
        Self {
            path: path.to_owned(),
            error,
            values,
        }
    }

    /// The cookie's value: the JSON in hex (no character a cookie may not hold).
    pub fn encode(&self) -> String {
        serde_json::to_vec(self)
            .unwrap_or_default()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }

    pub fn decode(raw: &str) -> Option<Self> {
        if raw.len() % 2 != 0 || raw.len() > 8192 {
            return None;
        }
        let bytes: Option<Vec<u8>> = (0..raw.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(raw.get(i..i + 2)?, 16).ok())
            .collect();
        serde_json::from_slice(&bytes?).ok()
    }

    pub fn value(&self, name: &str) -> Option<String> {
        self.values
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, value)| value.clone())
    }
}

/// The failed form post this page was rendered after, if any (provided by `App`).
#[derive(Debug, Clone)]
pub struct Flash(pub Option<FormFlash>);

/// Reads the flash of the request being rendered and asks the browser to forget it; in the
/// browser, the same value comes with the page (`SharedValue`).
pub fn provide() {
    use leptos::prelude::*;
    let flash = SharedValue::new(|| {
        #[cfg(feature = "ssr")]
        {
            from_request()
        }
        #[cfg(not(feature = "ssr"))]
        {
            None
        }
    });
    provide_context(Flash(flash.into_inner()));
}

#[cfg(feature = "ssr")]
fn from_request() -> Option<FormFlash> {
    use leptos::prelude::use_context;
    let parts = use_context::<axum::http::request::Parts>()?;
    let raw = parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(&format!("{COOKIE}=")))?
        .to_owned();
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        // The page holds what someone typed: no cache, no service worker keeps it.
        response.insert_header(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
        if let Ok(clear) = axum::http::HeaderValue::from_str(&format!(
            "{COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax"
        )) {
            response.append_header(axum::http::header::SET_COOKIE, clear);
        }
    }
    FormFlash::decode(&raw)
}

/// The flash of this page, if it is for the server function at `path`.
pub fn for_function(path: &str) -> Option<FormFlash> {
    leptos::prelude::use_context::<Flash>()
        .and_then(|flash| flash.0)
        .filter(|flash| flash.path == path)
}

/// What was typed into `name` before a failed post, whichever form it was.
pub fn typed(name: &str) -> Option<String> {
    leptos::prelude::use_context::<Flash>()
        .and_then(|flash| flash.0)
        .and_then(|flash| flash.value(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_flash_survives_its_cookie_and_never_carries_a_password() {
        let flash = FormFlash::new(
            "/rpc/login",
            AppError::Unauthenticated,
            vec![
                ("email".into(), "zoë@example.com; x=1".into()),
                ("password".into(), "secret".into()),
                ("name".into(), "x".repeat(5000)),
            ],
        );
        let raw = flash.encode();
        assert!(raw.bytes().all(|b| b.is_ascii_hexdigit()));
        let back = FormFlash::decode(&raw).unwrap();
        assert_eq!(back.value("email").as_deref(), Some("zoë@example.com; x=1"));
        assert_eq!(back.value("password"), None);
        assert_eq!(back.value("name"), None, "beyond the budget");
        assert_eq!(FormFlash::decode("zz"), None);
    }
}
