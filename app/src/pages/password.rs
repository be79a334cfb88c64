//! "Forgot your password?" for organisers and attendees: ask for a link by mail, then set a
//! new password on the link's page and be logged in.

use crate::components::{action_error, Field, FormError, Submit};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};

#[server(prefix = "/rpc")]
pub async fn request_password_reset(email: String, role: String) -> Result<(), AppError> {
    let caller = crate::domain::Caller::current().await?;
    let role = crate::domain::password_reset::parse_role(&role)?;
    crate::domain::password_reset::request(caller.pool(), role, &email).await
}

#[server(prefix = "/rpc")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    use crate::domain::accounts::{login, Role};
    let mut auth = super::server::auth_session().await?;
    let (role, email) =
        crate::domain::password_reset::confirm(auth.backend.pool(), &token, &password).await?;
    let input = crate::inputs::LoginInput {
        email: email.to_string(),
        password,
        ..Default::default()
    };
    match login(&mut auth, role, input).await? {
        crate::models::Me::Attendee(attendee) => {
            let mut conn = super::server::conn(&auth).await?;
            let event = crate::domain::events::get(&mut conn, attendee.event_id).await?;
            leptos_axum::redirect(&format!("/e/{}", event.code));
        }
        _ if role == Role::Organizer => leptos_axum::redirect("/dashboard"),
        _ => leptos_axum::redirect("/"),
    }
    Ok(())
}

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let query = use_query_map();
    let role = Memo::new(move |_| match query.read().get("role").as_deref() {
        Some("attendee") => "attendee".to_owned(),
        _ => "organizer".to_owned(),
    });
    let back = Memo::new(move |_| match query.read().get("event") {
        Some(code) if role.get() == "attendee" => format!("/e/{code}/login"),
        _ => "/organizer/login".to_owned(),
    });
    let action = ServerAction::<RequestPasswordReset>::new();
    let error = action_error(action);
    let sent = move || matches!(action.value().get(), Some(Ok(())));
    view! {
        <Title text="Reset your password"/>
        <section class="card narrow">
            <h1>"Reset your password"</h1>
            <Show
                when=sent
                fallback=move || view! {
                    <p class="muted">"Enter the email you registered with; we'll mail you a link to choose a new password."</p>
                    <ActionForm action>
                        <FormError error/>
                        <input type="hidden" name="role" value=move || role.get()/>
                        <Field label="Email" name="email" kind="email" autocomplete="email" required=true error/>
                        <Submit label="Send the link" busy="Sending…" pending=Signal::from(action.pending()) block=true/>
                    </ActionForm>
                }
            >
                <p role="status">"Check your inbox: if an account has this email, a link is on its way. It works for one hour."</p>
            </Show>
            <p class="switch"><A href=move || back.get()>"Back to log in"</A></p>
        </section>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let params = use_params_map();
    let token = Memo::new(move |_| params.read().get("token").unwrap_or_default());
    let action = super::session::SessionActions::get().reset_password;
    let error = action_error(action);
    let expired = move || matches!(error.get(), Some(AppError::BadRequest { ref code, .. }) if code == "invalid_token");
    view! {
        <Title text="Choose a new password"/>
        <section class="card narrow">
            <h1>"Choose a new password"</h1>
            <ActionForm action>
                <FormError error/>
                <input type="hidden" name="token" value=move || token.get()/>
                <Field label="New password" name="password" kind="password" autocomplete="new-password" required=true hint="At least 8 characters." error/>
                <Submit label="Set password and log in" busy="Saving…" pending=Signal::from(action.pending()) block=true/>
            </ActionForm>
            <Show when=expired>
                <p class="switch"><A href="/forgot-password">"Ask for a new link"</A></p>
            </Show>
        </section>
    }
}
