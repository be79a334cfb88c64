//! A door link opened on a phone: the page says which event's door it opens and for whom,
//! and only its button logs the phone in (`POST /api/auth/staff/login`). Opening the link
//! itself changes nothing, so a link sent to someone cannot log their browser in unasked.

use crate::components::ErrorNote;
use crate::error::AppError;
use crate::models::StaffLinkPreview;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

#[server(prefix = "/rpc")]
pub async fn staff_link(token: String) -> Result<StaffLinkPreview, AppError> {
    let (_, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::staff::preview(&mut conn, &token).await
}

#[component]
pub fn StaffLinkPage() -> impl IntoView {
    let params = use_params_map();
    let token = Memo::new(move |_| params.read().get("token").unwrap_or_default());
    let link = Resource::new(move || token.get(), staff_link);
    view! {
        <Title text="Door link — NetEvent"/>
        <section class="card narrow" aria-labelledby="door-link-title">
            <Suspense fallback=|| view! { <p class="muted">"Loading the door link…"</p> }>
                {move || link.get().map(|answer| match answer {
                    Ok(link) => view! {
                        <h1 id="door-link-title">{format!("Door of {}", link.event_name)}</h1>
                        <p class="muted">{link.event_when.clone()}</p>
                        <p>{format!("This link is for {}: it opens the check-in scanner of this event, and nothing else, on this phone.", link.staff_name)}</p>
                        // A plain form: it works before the page's script has loaded.
                        <form method="post" action="/api/auth/staff/login">
                            <input type="hidden" name="token" value=token.get_untracked()/>
                            <button type="submit" class="button block">"Open the door scanner"</button>
                        </form>
                        <p class="muted">"Opening it ends any other NetEvent login in this browser."</p>
                    }.into_any(),
                    Err(error) => view! {
                        <h1 id="door-link-title">"This door link does not work"</h1>
                        <ErrorNote error/>
                        <p>"It may have been revoked. Ask the organiser for a new link."</p>
                    }.into_any(),
                })}
            </Suspense>
        </section>
    }
}
