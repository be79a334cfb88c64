//! Interests on the pages: the organiser names the event's (Settings), the attendee picks
//! what they offer and look for (their profile), and People to meet suggests whom to talk
//! to, each with the reason (the People page).

use super::network::{AttendeeGate, ConnectButton};
use crate::components::{action_error, Avatar, FormError, Submit};
use crate::error::AppError;
use crate::models::{Page, Suggestion, Tag};
use leptos::prelude::*;
use leptos_router::components::A;

#[server(prefix = "/rpc")]
pub async fn event_interests(event_id: i32) -> Result<Vec<Tag>, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::interests::tags(&mut conn, &actor, event_id).await
}

/// The names as typed: one per line (commas also part them).
#[server(prefix = "/rpc")]
pub async fn save_event_interests(event_id: i32, tags: String) -> Result<Vec<Tag>, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let tags = tags
        .split(['\n', ','])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect();
    let input = crate::models::TagsInput { tags };
    crate::domain::interests::set_tags(&mut conn, &actor, event_id, input).await
}

#[server(prefix = "/rpc")]
pub async fn load_my_interests() -> Result<crate::models::MyInterests, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let (me, _) = actor.attendee()?;
    crate::domain::interests::mine(&mut conn, &actor, me).await
}

/// Ticked boxes arrive as `offers[<n>]=<tag id>`; none ticked, not at all.
#[server(prefix = "/rpc")]
pub async fn save_my_interests(
    offers: Option<Vec<i64>>,
    seeks: Option<Vec<i64>>,
) -> Result<crate::models::MyInterests, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let (me, _) = actor.attendee()?;
    let input = crate::models::InterestsInput {
        offers: offers.unwrap_or_default(),
        seeks: seeks.unwrap_or_default(),
    };
    crate::domain::interests::set_mine(&mut conn, &actor, me, input).await
}

#[server(prefix = "/rpc")]
pub async fn people_to_meet(offset: i64) -> Result<Page<Suggestion>, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    // The best few, shown at once on the People page.
    let page = crate::inputs::PageParams {
        limit: Some(5),
        offset: Some(offset),
    };
    crate::domain::interests::recommendations(&mut conn, &actor, page).await
}

/// The organiser's list of the event's interests, one per line.
#[component]
pub fn InterestsEditor(event_id: i32) -> impl IntoView {
    let save = ServerAction::<SaveEventInterests>::new();
    let tags = Resource::new(
        move || save.version().get(),
        move |_| event_interests(event_id),
    );
    let error = action_error(save);
    let saved = move || matches!(save.value().get(), Some(Ok(_)));
    view! {
        <section class="card" aria-labelledby="interests-title">
            <h2 id="interests-title">"Interests"</h2>
            <p class="muted">"Attendees pick what they offer and what they look for among these; People to meet pairs them up. One per line, at most 64."</p>
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    let now = tags.await.unwrap_or_default();
                    let lines = now.iter().map(|t| t.name.as_str()).collect::<Vec<_>>().join("\n");
                    view! {
                        <ActionForm action=save>
                            <FormError error/>
                            <input type="hidden" name="event_id" value=event_id/>
                            <div class="field">
                                <label for="field-tags">"The event's interests"</label>
                                <textarea id="field-tags" name="tags" rows="6" placeholder="Hiring\nJobs\nRust\nDesign"
                                    aria-describedby="field-tags-note">{lines}</textarea>
                                <p class="field-note" id="field-tags-note">{move || error.get().and_then(|e| e.field_error("tags")).unwrap_or_else(|| "Renaming keeps everyone's picks; removing a line removes its picks.".into())}</p>
                            </div>
                            {move || saved().then(|| view! { <p class="saved" role="status">"Saved."</p> })}
                            <Submit label="Save interests" busy="Saving…" pending=Signal::from(save.pending())/>
                        </ActionForm>
                    }
                })}
            </Suspense>
        </section>
    }
}

/// What I offer and what I look for, as two sets of boxes over the event's interests.
#[component]
pub fn InterestPicker() -> impl IntoView {
    let save = ServerAction::<SaveMyInterests>::new();
    let mine = Resource::new(|| (), |_| load_my_interests());
    let error = action_error(save);
    let saved = move || matches!(save.value().get(), Some(Ok(_)));
    view! {
        <section class="card" aria-labelledby="my-interests-title">
            <h2 id="my-interests-title">"My interests"</h2>
            <Suspense fallback=|| view! { <p class="muted" aria-busy="true">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match mine.await {
                        Err(error) => view! { <AttendeeGate error/> }.into_any(),
                        Ok(now) if now.tags.is_empty() => view! {
                            <p class="muted">"The organiser has not named this event's interests yet."</p>
                        }.into_any(),
                        Ok(now) => {
                            let boxes = |field: &'static str, picked: Vec<Tag>| {
                                now.tags.iter().enumerate().map(|(n, tag)| {
                                    let checked = picked.iter().any(|p| p.id == tag.id);
                                    view! {
                                        <label class="check chip">
                                            <input type="checkbox" name=format!("{field}[{n}]") value=tag.id checked=checked/>
                                            " " {tag.name.clone()}
                                        </label>
                                    }
                                }).collect_view()
                            };
                            let offers = boxes("offers", now.offers.clone());
                            let seeks = boxes("seeks", now.seeks.clone());
                            view! {
                                <ActionForm action=save>
                                    <FormError error/>
                                    <fieldset class="choices chips">
                                        <legend>"I offer"</legend>
                                        {offers}
                                    </fieldset>
                                    <fieldset class="choices chips">
                                        <legend>"I'm looking for"</legend>
                                        {seeks}
                                    </fieldset>
                                    {move || saved().then(|| view! { <p class="saved" role="status">"Saved. " <A href="/me/people">"See people to meet"</A></p> })}
                                    <Submit label="Save interests" busy="Saving…" pending=Signal::from(save.pending())/>
                                </ActionForm>
                            }.into_any()
                        }
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The best few people for me to meet, with why; nothing when I picked no interests.
#[component]
pub fn SuggestedPeople(
    connect: ServerAction<super::people::Connect>,
    answer: ServerAction<super::requests::AnswerConnection>,
) -> impl IntoView {
    let suggested = Resource::new(
        move || (connect.version().get(), answer.version().get()),
        |_| people_to_meet(0),
    );
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match suggested.await {
                    Ok(page) if !page.items.is_empty() => view! {
                        <section class="card suggestions" aria-labelledby="suggested-title">
                            <h2 id="suggested-title">"People to meet"</h2>
                            <ul class="plain-list">
                                {page.items.into_iter().map(|s| {
                                    let name = s.attendee.full_name();
                                    let href = format!("/me/people/{}", s.attendee.id);
                                    let name_href = href.clone();
                                    view! {
                                        <li class="suggestion" data-testid="suggestion">
                                            <Avatar name=name.clone() photo=s.attendee.profile_picture.clone() size=44/>
                                            <div class="person-text">
                                                <A href=name_href>{name}</A>
                                                <p class="muted reason">{s.reason.clone()}</p>
                                            </div>
                                            <ConnectButton person=s.attendee connect answer/>
                                            <A href=format!("{href}#meet") attr:class="button secondary small">"Book a meeting"</A>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                    Ok(_) => view! {
                        <p class="muted">"Pick your interests on " <A href="/me/profile">"your profile"</A> " to see whom to meet."</p>
                    }.into_any(),
                    Err(_) => ().into_any(),
                }
            })}
        </Transition>
    }
}
