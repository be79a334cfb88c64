//! The organiser picks the picture at the top of the event's page (and in the previews of
//! its link), uploaded to `POST /api/events/<id>/cover` with its progress shown.

use crate::components::UploadStatus;
use crate::models::Event;
use leptos::prelude::*;

#[component]
pub fn CoverUpload(event: Event, saved: RwSignal<Option<Event>>) -> impl IntoView {
    let id = event.id;
    let current = RwSignal::new(event.cover_image);
    let progress = RwSignal::new(None::<u32>);
    let problem = RwSignal::new(None::<String>);
    // What the server answers is the event as it now is: the workspace's header follows it.
    let answered = move |result: Result<serde_json::Value, String>| {
        progress.set(None);
        match result
            .and_then(|body| serde_json::from_value::<Event>(body).map_err(|e| e.to_string()))
        {
            Ok(event) => {
                current.set(event.cover_image.clone());
                saved.set(Some(event));
            }
            Err(message) => problem.set(Some(message)),
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        #[cfg(feature = "hydrate")]
        crate::uploads::send_picked(
            &ev,
            &format!("/api/events/{id}/cover"),
            "cover",
            progress,
            problem,
            move |body| answered(Ok(body)),
        );
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, id, answered);
    };
    let remove = move |_| {
        problem.set(None);
        #[cfg(feature = "hydrate")]
        crate::uploads::send(
            "DELETE",
            &format!("/api/events/{id}/cover"),
            None,
            progress,
            answered,
        );
    };
    view! {
        <section class="card cover-upload" aria-labelledby="cover-title">
            <h2 id="cover-title">"Cover image"</h2>
            {move || match current.get() {
                Some(src) => view! { <img class="event-cover" src=src alt="The event's cover image" width="1200" height="630"/> }.into_any(),
                None => view! { <p class="cover-empty muted">"No cover yet. A picture makes the invite stand out, on the page and where its link is shared."</p> }.into_any(),
            }}
            <div class="hero-actions">
                <input id="cover-input" class="visually-hidden" type="file" accept="image/jpeg,image/png,image/webp"
                    on:change=on_change aria-describedby="cover-note"/>
                <label for="cover-input" class="button secondary small">
                    {move || if current.get().is_some() { "Replace the cover" } else { "Choose a cover image" }}
                </label>
                {move || current.get().is_some().then(|| view! {
                    <button type="button" class="button secondary small" on:click=remove>"Remove"</button>
                })}
            </div>
            <p class="field-note" id="cover-note">"JPEG, PNG or WebP, up to 5 MB. We cut its centre to 1200×630 (the shape link previews use) and remove its location data."</p>
            <UploadStatus progress problem label="Uploading cover image"/>
        </section>
    }
}
