//! The waitlist on the pages: a full event's page lets people join the line (working before
//! the app has loaded, like every form), and the organiser opens or closes it in Settings.

use crate::components::{action_error, FormError, Submit};
use crate::error::AppError;
use crate::models::{WaitlistPlace, WaitlistSetting};
use leptos::prelude::*;

#[server(prefix = "/rpc")]
pub async fn join_waitlist(
    event_code: String,
    email: String,
    password: String,
    first_name: String,
    last_name: String,
    organisation: Option<String>,
    role: Option<String>,
) -> Result<WaitlistPlace, AppError> {
    let auth = super::server::auth_session().await?;
    let input = crate::inputs::AttendeeRegistration {
        event_id: None,
        event_code: Some(event_code),
        email,
        password,
        first_name,
        last_name,
        organisation,
        role,
        introduction: None,
    };
    crate::domain::waitlist::join(auth.backend.pool(), input).await
}

#[server(prefix = "/rpc")]
pub async fn load_waitlist(event_id: i32) -> Result<WaitlistSetting, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::waitlist::setting(&mut conn, &actor, event_id).await
}

/// A ticked box arrives as `on`; an unticked one not at all.
#[server(prefix = "/rpc")]
pub async fn save_waitlist(
    event_id: i32,
    enabled: Option<String>,
) -> Result<WaitlistSetting, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::waitlist::set(&mut conn, &actor, event_id, enabled.is_some()).await
}

/// A full event's way in: the same details as registering, and the place in line.
#[component]
pub fn WaitlistForm(code: String) -> impl IntoView {
    let action = ServerAction::<JoinWaitlist>::new();
    let error = action_error(action);
    let place = move || action.value().get().and_then(Result::ok);
    view! {
        <section class="card" aria-labelledby="waitlist-title">
            <h2 id="waitlist-title">"This event is full: join the waitlist"</h2>
            <Show when=move || place().is_some() fallback=move || {
                let code = code.clone();
                view! {
                    <p class="muted">"When a seat frees up it goes to the first in line, who gets their ticket by email at once."</p>
                    <ActionForm action>
                        <FormError error/>
                        <input type="hidden" name="event_code" value=code/>
                        <super::event::PersonFields error password_hint="At least 8 characters, to log in once you have a seat."/>
                        <Submit label="Join the waitlist" busy="Joining…" pending=Signal::from(action.pending()) block=true/>
                    </ActionForm>
                }
            }>
                <p class="saved" role="status">
                    {move || place().map(|p| format!("You're number {} in line. We'll email your ticket as soon as a seat is yours.", p.position))}
                </p>
            </Show>
        </section>
    }
}

/// The organiser's switch, with how many wait.
#[component]
pub fn WaitlistSettings(event_id: i32) -> impl IntoView {
    let save = ServerAction::<SaveWaitlist>::new();
    let now = Resource::new(
        move || save.version().get(),
        move |_| load_waitlist(event_id),
    );
    let error = action_error(save);
    view! {
        <section class="card" aria-labelledby="waitlist-settings-title">
            <h2 id="waitlist-settings-title">"Waitlist"</h2>
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let Ok(now) = now.await else { return ().into_any() };
                    view! {
                        <ActionForm action=save>
                            <FormError error/>
                            <input type="hidden" name="event_id" value=event_id/>
                            <label class="check">
                                <input type="checkbox" name="enabled" checked=now.enabled/>
                                " When the event is full, let people join a waitlist"
                            </label>
                            <p class="muted" role="status">{match now.waiting {
                                0 => "Nobody is waiting.".to_owned(),
                                1 => "1 person is waiting. A freed seat goes to them with their ticket by email.".to_owned(),
                                n => format!("{n} people are waiting. Each freed seat goes to the first in line, with their ticket by email."),
                            }}</p>
                            <Submit label="Save" busy="Saving…" pending=Signal::from(save.pending())/>
                        </ActionForm>
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}
