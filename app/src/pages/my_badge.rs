//! My badge before it is printed: the attendee sees it at its printed size and chooses
//! whether their organisation and role appear on it; printing follows the choice.

use super::network::AttendeeGate;
use crate::components::{action_error, FormError, Submit};
use crate::error::AppError;
use crate::models::MyBadge;
use leptos::prelude::*;

#[server(prefix = "/rpc")]
pub async fn badge_preview() -> Result<MyBadge, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let (me, _) = actor.attendee()?;
    crate::domain::badges::mine(&mut conn, &actor, me).await
}

/// A ticked box arrives as `on`; an unticked one not at all.
#[server(prefix = "/rpc")]
pub async fn choose_badge(
    organisation: Option<String>,
    role: Option<String>,
) -> Result<MyBadge, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let (me, _) = actor.attendee()?;
    let choice = crate::models::BadgeChoice {
        show_organisation: organisation.is_some(),
        show_role: role.is_some(),
    };
    crate::domain::badges::choose(&mut conn, &actor, me, choice).await
}

#[component]
pub fn YourBadge() -> impl IntoView {
    let choose = ServerAction::<ChooseBadge>::new();
    let badge = Resource::new(|| (), |_| badge_preview());
    let error = action_error(choose);
    view! {
        <section class="card my-badge" aria-labelledby="badge-title">
            <h2 id="badge-title">"Your badge"</h2>
            <p class="muted">"As it will print for the event. Choose what it shows beside your name."</p>
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading your badge…"</p> }>
                {move || Suspend::new(async move {
                    match badge.await {
                        Err(error) => view! { <AttendeeGate error/> }.into_any(),
                        Ok(first) => {
                            // The badge as last saved, else as it was loaded.
                            let now = move || match choose.value().get() {
                                Some(Ok(saved)) => saved,
                                _ => first.clone(),
                            };
                            let current = now();
                            view! {
                                // At its printed size, scaled down where the screen is narrower.
                                <div class="badge-frame" style=format!("--w:{}mm;--h:{}mm", current.width_mm, current.height_mm)>
                                    <iframe class="badge-preview" title="Your badge as it will print" data-testid="badge-preview"
                                        srcdoc=move || now().preview></iframe>
                                </div>
                                <ActionForm action=choose>
                                    <FormError error/>
                                    <label class="check">
                                        <input type="checkbox" name="organisation" checked=current.shows_organisation disabled=current.organisation.is_none()/>
                                        <span>" Show my organisation"
                                            {current.organisation.clone().map(|o| view! { <span class="muted">" (" {o} ")"</span> })}</span>
                                    </label>
                                    <label class="check">
                                        <input type="checkbox" name="role" checked=current.shows_role disabled=current.role.is_none()/>
                                        <span>" Show my role"
                                            {current.role.clone().map(|r| view! { <span class="muted">" (" {r} ")"</span> })}</span>
                                    </label>
                                    {move || matches!(choose.value().get(), Some(Ok(_))).then(|| view! { <p class="saved" role="status">"Saved. Your badge will print like this."</p> })}
                                    <Submit label="Save badge" busy="Saving…" pending=Signal::from(choose.pending())/>
                                </ActionForm>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}
