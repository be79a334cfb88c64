pub mod agenda;
pub mod attendee_home;
pub mod attendee_table;
pub mod badges;
pub mod door_team;
pub mod event;
pub mod event_cover;
pub mod home;
pub mod interests;
pub mod manage;
pub mod meetings;
pub mod my_badge;
pub mod network;
pub mod organizer;
pub mod password;
pub mod people;
pub mod profile;
pub mod requests;
pub mod retention;
pub mod scan;
pub mod session;
pub mod settings;
pub mod staff;
pub mod stats;
pub mod ticket;
pub mod waitlist;
pub mod workspace;

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;

/// The numeric `:id` of the route (0 when it is not a number, which no record has).
pub(crate) fn id_param() -> Memo<i32> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse().ok())
            .unwrap_or_default()
    })
}

/// The event `:code` of the route, upper-cased as codes are kept.
pub(crate) fn code_param() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get("code")
            .unwrap_or_default()
            .to_ascii_uppercase()
    })
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(axum::http::StatusCode::NOT_FOUND);
        }
    }
    view! {
        <section class="card narrow">
            <h1>"Page not found"</h1>
            <p>"The link may be mistyped, or the event may have been removed."</p>
            <a class="button" href="/">"Back to the events"</a>
        </section>
    }
}

/// Server-side plumbing for the server functions that change the session itself (logins,
/// logout, password reset); the others take `domain::Caller::current()`.
#[cfg(feature = "ssr")]
pub(crate) mod server {
    use crate::auth::AuthSession;
    use crate::db::DbConn;
    use crate::error::AppError;

    pub async fn auth_session() -> Result<AuthSession, AppError> {
        leptos_axum::extract::<AuthSession>()
            .await
            .map_err(|error| {
                tracing::error!(%error, "auth layer missing");
                AppError::Internal
            })
    }

    pub async fn conn(auth: &AuthSession) -> Result<DbConn<'_>, AppError> {
        Ok(auth.backend.pool().get().await?)
    }
}
