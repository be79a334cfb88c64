//! The organiser's choice of how long attendees' personal data is kept after the event
//! (Settings), `retention::put` behind it.

use crate::components::{action_error, FormError, Submit};
use crate::error::AppError;
use crate::models::Retention;
use leptos::prelude::*;

#[server(prefix = "/rpc")]
pub async fn event_retention(event_id: i32) -> Result<Retention, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::retention::get(&mut conn, &actor, event_id).await
}

/// Empty keeps the data until the event is deleted.
#[server(prefix = "/rpc")]
pub async fn save_retention(event_id: i32, retention_days: String) -> Result<Retention, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let retention_days = match retention_days.trim() {
        "" => None,
        days => Some(days.parse::<i64>().map_err(|_| {
            AppError::field(
                "retention_days",
                "Enter a number of days, or leave it empty.",
            )
        })?),
    };
    let input = crate::models::RetentionInput { retention_days };
    crate::domain::retention::put(&mut conn, &actor, event_id, input).await
}

#[component]
pub fn RetentionSettings(event_id: i32) -> impl IntoView {
    let save = ServerAction::<SaveRetention>::new();
    let now = Resource::new(
        move || save.version().get(),
        move |_| event_retention(event_id),
    );
    let error = action_error(save);
    let problem = move || error.get().and_then(|e| e.field_error("retention_days"));
    view! {
        <section class="card" aria-labelledby="retention-title">
            <h2 id="retention-title">"Attendees' personal data"</h2>
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let Ok(now) = now.await else { return ().into_any() };
                    let status = match (now.erased_at, now.erase_after) {
                        (Some(at), _) => format!("Erased on {} (UTC). The counts stay in the stats.", at.format("%-d %b %Y %H:%M")),
                        (None, Some(after)) => format!("To be erased after {} (UTC).", after.format("%-d %b %Y %H:%M")),
                        (None, None) => "Kept until you delete the event.".to_owned(),
                    };
                    view! {
                        <p class="muted" role="status">{status}</p>
                        <ActionForm action=save>
                            <FormError error/>
                            <input type="hidden" name="event_id" value=event_id/>
                            <div class="field" class:invalid=move || problem().is_some()>
                                <label for="field-retention_days">"Erase names, contacts, photos and networking this many days after the event ends"</label>
                                <input id="field-retention_days" name="retention_days" type="number" min="0" max="3650" inputmode="numeric"
                                    value=now.retention_days.map(|d| d.to_string()).unwrap_or_default()
                                    aria-describedby="field-retention_days-note"/>
                                <p class="field-note" id="field-retention_days-note">{move || problem().unwrap_or_else(|| "Empty: keep them. Registrations and check-ins stay as anonymous counts.".into())}</p>
                            </div>
                            <Submit label="Save" busy="Saving…" pending=Signal::from(save.pending())/>
                        </ActionForm>
                    }.into_any()
                })}
            </Suspense>
        </section>
    }
}
