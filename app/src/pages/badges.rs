//! The organiser's badge sheets: the PDF (downloaded with a progress bar) or the print view,
//! and "mark as printed" once the sheet came off the printer, so that a later sheet of
//! "only badges not printed yet" holds the late registrations.

use leptos::prelude::*;

/// Records the sheet just downloaded as printed: its selection, up to the highest attendee id
/// it held (people who registered since are not on it).
#[server(prefix = "/rpc")]
pub async fn mark_badges_printed(
    event_id: i32,
    only_not_printed: bool,
    up_to_id: i32,
) -> Result<usize, crate::error::AppError> {
    use crate::domain::badges::{mark_printed, Printed, Selection};
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let selection = Selection {
        ids: None,
        not_printed: only_not_printed,
    };
    mark_printed(
        &mut conn,
        &actor,
        event_id,
        Printed::Sheet {
            selection,
            up_to_id,
        },
    )
    .await
}

/// Badge sheets: the PDF (downloaded with a progress bar, since a large event's sheet takes
/// a few seconds) or the print view, on A4 or US Letter stock, everyone or only the badges not
/// printed yet. Without JavaScript the form is a plain GET of the same address.
#[component]
pub fn PrintBadges(event_id: i32, attendees: i64) -> impl IntoView {
    let action = format!("/api/organizer/events/{event_id}/badges");
    let progress = RwSignal::new(None::<Option<u32>>);
    let problem = RwSignal::new(None::<String>);
    // The sheet just downloaded: (badges on it, highest attendee id, only not printed).
    let downloaded = RwSignal::new(None::<(usize, i32, bool)>);
    let mark = ServerAction::<MarkBadgesPrinted>::new();
    let download = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            // Only the PDF button goes through here; the print view opens as a page.
            let pdf = ev
                .submitter()
                .and_then(|b| b.dyn_into::<web_sys::HtmlButtonElement>().ok())
                .is_some_and(|b| b.value() == "pdf");
            if !pdf {
                return;
            }
            ev.prevent_default();
            let Some(form) = ev
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlFormElement>().ok())
            else {
                return;
            };
            let layout = form
                .elements()
                .named_item("layout")
                .and_then(|e| e.dyn_into::<web_sys::HtmlSelectElement>().ok())
                .map(|s| s.value())
                .unwrap_or_default();
            let only = form
                .elements()
                .named_item("only")
                .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
                .is_some_and(|c| c.checked());
            let url = format!(
                "/api/organizer/events/{event_id}/badges?format=pdf&layout={layout}{}",
                if only { "&only=not_printed" } else { "" }
            );
            problem.set(None);
            downloaded.set(None);
            progress.set(Some(None));
            fetch_pdf::start(&url, progress, problem, move |count, last_id| {
                downloaded.set(Some((count, last_id, only)));
            });
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (ev, event_id);
    };
    view! {
        <section class="card" aria-labelledby="badges-title">
            <h2 id="badges-title">"Badges"</h2>
            <p class="muted">{format!("One badge per attendee ({attendees}), sorted by last name, with the check-in QR code.")}</p>
            <form method="get" action=action target="_blank" on:submit=download>
                <div class="row">
                    <div class="field">
                        <label for="badge-layout">"Label stock"</label>
                        <select id="badge-layout" name="layout">
                            {crate::models::BadgeLayout::ALL.into_iter().map(|l| view! { <option value=l.name()>{l.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <label class="check">
                        <input type="checkbox" name="only" value="not_printed"/>
                        " Only badges not printed yet (late registrations)"
                    </label>
                </div>
                <div class="hero-actions">
                    <button type="submit" name="format" value="pdf" class="button" disabled=move || progress.get().is_some()>"Download PDF"</button>
                    <button type="submit" name="format" value="html" class="button secondary">"Open print view"</button>
                </div>
            </form>
            {move || progress.get().map(|percent| view! {
                <div class="progress" class:indeterminate=percent.is_none() role="progressbar" aria-label="Preparing badges"
                    aria-valuemin="0" aria-valuemax="100" aria-valuenow=percent>
                    <span style=format!("width:{}%", percent.unwrap_or(30))></span>
                </div>
                <p class="muted" aria-live="polite">{match percent {
                    None => format!("Preparing {attendees} badges…"),
                    Some(p) => format!("Downloading… {p}%"),
                }}</p>
            })}
            {move || problem.get().map(|message| view! { <p class="form-error" role="alert">{message}</p> })}
            {move || downloaded.get().map(|(count, last_id, only)| view! {
                <MarkPrinted event_id count last_id only mark/>
            })}
        </section>
    }
}

/// After a download: "mark these as printed", then what was recorded.
#[component]
fn MarkPrinted(
    event_id: i32,
    count: usize,
    last_id: i32,
    only: bool,
    mark: ServerAction<MarkBadgesPrinted>,
) -> impl IntoView {
    let error = crate::components::action_error(mark);
    let badges = if count == 1 { "badge" } else { "badges" };
    view! {
        <div class="notice" data-testid="mark-printed" aria-live="polite">
            {move || match mark.value().get() {
                Some(Ok(marked)) => view! {
                    <p>{format!("{marked} {} marked as printed. The next sheet of badges not printed yet holds only people who register from now on.", if marked == 1 { "badge" } else { "badges" })}</p>
                }.into_any(),
                _ => view! {
                    <ActionForm action=mark>
                        <crate::components::FormError error/>
                        <p>{format!("The sheet holds {count} {badges}. Once it has printed well, mark them, so they are left out of \"only badges not printed yet\".")}</p>
                        <input type="hidden" name="event_id" value=event_id/>
                        <input type="hidden" name="only_not_printed" value=only.to_string()/>
                        <input type="hidden" name="up_to_id" value=last_id/>
                        <crate::components::Submit label="Mark as printed" busy="Marking…" pending=Signal::from(mark.pending())/>
                    </ActionForm>
                }.into_any(),
            }}
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod fetch_pdf {
    use leptos::prelude::*;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;

    /// Downloads the PDF with XMLHttpRequest (which reports progress) and saves it.
    pub fn start(
        url: &str,
        progress: RwSignal<Option<Option<u32>>>,
        problem: RwSignal<Option<String>>,
        saved: impl Fn(usize, i32) + 'static,
    ) {
        let fail = move |message: &str| {
            progress.set(None);
            problem.set(Some(message.to_owned()));
        };
        let Ok(xhr) = web_sys::XmlHttpRequest::new() else {
            return fail("Your browser cannot download the sheet here; use the print view.");
        };
        if xhr.open("GET", url).is_err() {
            return fail("The download could not start.");
        }
        xhr.set_response_type(web_sys::XmlHttpRequestResponseType::Blob);
        let on_progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(
            move |event: web_sys::ProgressEvent| {
                if event.length_computable() && event.total() > 0.0 {
                    progress.set(Some(Some((event.loaded() / event.total() * 100.0) as u32)));
                }
            },
        );
        xhr.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
        on_progress.forget();
        let done = xhr.clone();
        let on_load = Closure::<dyn FnMut()>::new(move || {
            progress.set(None);
            if done.status().unwrap_or(0) != 200 {
                problem.set(Some(
                    "The badge sheet could not be made. Please try again.".into(),
                ));
                return;
            }
            let Some(blob) = done
                .response()
                .ok()
                .and_then(|r| r.dyn_into::<web_sys::Blob>().ok())
            else {
                return;
            };
            let Ok(href) = web_sys::Url::create_object_url_with_blob(&blob) else {
                return;
            };
            if let Some(link) = document()
                .create_element("a")
                .ok()
                .and_then(|a| a.dyn_into::<web_sys::HtmlAnchorElement>().ok())
            {
                link.set_href(&href);
                link.set_download("badges.pdf");
                link.click();
            }
            let header = |name: &str| done.get_response_header(name).ok().flatten();
            let count = header("x-badge-count").and_then(|v| v.parse().ok());
            let last_id = header("x-badge-last-id").and_then(|v| v.parse().ok());
            if let (Some(count), Some(last_id)) = (count, last_id) {
                if count > 0 {
                    saved(count, last_id);
                }
            }
        });
        xhr.set_onload(Some(on_load.as_ref().unchecked_ref()));
        on_load.forget();
        let on_error = Closure::<dyn FnMut()>::new(move || {
            progress.set(None);
            problem.set(Some(
                "The download was interrupted. Check your connection and try again.".into(),
            ));
        });
        xhr.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        let _ = xhr.send();
    }
}
