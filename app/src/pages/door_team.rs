//! The people and places at an event's door, in its organiser's workspace: the check-in
//! lists (doors and rooms, in Check-in) and the staff links that open the scanner, each
//! steward or supervisor, optionally bound to one list (in Staff).

use crate::components::{action_error, ErrorNote, Field, FormError, Submit};
use crate::error::AppError;
use leptos::prelude::*;

#[server(prefix = "/rpc")]
pub async fn staff_links(event_id: i32) -> Result<Vec<crate::models::StaffAccess>, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    // The newest 50 links; a door team is never that large.
    let page = crate::inputs::PageParams::default();
    Ok(
        crate::domain::staff::list(&mut conn, &actor, event_id, page)
            .await?
            .items,
    )
}

#[server(prefix = "/rpc")]
pub async fn add_staff(
    event_id: i32,
    staff_name: String,
    staff_role: String,
    staff_list: String,
) -> Result<crate::models::StaffAccess, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let list_id = match staff_list.trim() {
        "" => None,
        raw => Some(
            raw.parse()
                .map_err(|_| AppError::field("staff_list", "Choose one of the lists."))?,
        ),
    };
    // The form calls its field `staff_name` (the event form on the same page has `name`).
    let input = crate::inputs::StaffInput {
        name: staff_name,
        role: Some(staff_role),
        list_id,
    };
    crate::domain::staff::create(&mut conn, &actor, event_id, input)
        .await
        .map_err(|error| {
            if let Some(problem) = error.field_error("name") {
                AppError::field("staff_name", problem)
            } else if let Some(problem) = error.field_error("list_id") {
                AppError::field("staff_list", problem)
            } else {
                error
            }
        })
}

/// The event's check-in lists, the default first (an event has at most 50).
#[server(prefix = "/rpc")]
pub async fn checkin_lists(event_id: i32) -> Result<Vec<crate::models::CheckinList>, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    use crate::domain::checkin_lists::{list, MAX_LISTS};
    let page = crate::inputs::PageParams {
        limit: Some(MAX_LISTS),
        offset: None,
    };
    Ok(list(&mut conn, &actor, event_id, page).await?.items)
}

/// A new check-in list; `counts_exits` is the checkbox, present when ticked.
#[server(prefix = "/rpc")]
pub async fn add_checkin_list(
    event_id: i32,
    list_name: String,
    counts_exits: Option<String>,
) -> Result<crate::models::CheckinList, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let input = crate::inputs::ListInput {
        name: list_name,
        counts_exits: counts_exits.is_some(),
    };
    // The form calls its field `list_name` (the event form on the same page has `name`).
    crate::domain::checkin_lists::create(&mut conn, &actor, event_id, input)
        .await
        .map_err(|error| match error.field_error("name") {
            Some(problem) => AppError::field("list_name", problem),
            None => error,
        })
}

#[server(prefix = "/rpc")]
pub async fn revoke_staff(event_id: i32, staff_id: i32) -> Result<(), AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::staff::revoke(&mut conn, &actor, event_id, staff_id).await
}

/// The event's doors and rooms (check-in lists): every event has its main entrance; the
/// organiser adds others, each optionally counting exits so it knows who is inside.
#[component]
pub fn DoorLists(event_id: i32) -> impl IntoView {
    let add_list = ServerAction::<AddCheckinList>::new();
    let error = action_error(add_list);
    let lists = Resource::new(
        move || add_list.version().get(),
        move |_| checkin_lists(event_id),
    );
    view! {
        <section class="card" aria-labelledby="lists-title">
            <h2 id="lists-title">"Doors and rooms"</h2>
            <p class="muted">"Each door or room keeps its own check-in list. Scans without one go to the main entrance."</p>
            <Transition fallback=|| view! { <p class="muted" aria-busy="true">"Loading lists…"</p> }>
                {move || Suspend::new(async move {
                    match lists.await {
                        Ok(lists) => view! {
                            <ul class="plain-list" data-testid="checkin-lists">
                                {lists.into_iter().map(|list| view! {
                                    <li>
                                        <strong>{list.name}</strong>
                                        {list.is_default.then(|| view! { " " <span class="tag">"Default"</span> })}
                                        {list.counts_exits.then(|| view! { " " <span class="tag ok">"Counts who is inside"</span> })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Transition>
            <ActionForm action=add_list>
                <FormError error/>
                <input type="hidden" name="event_id" value=event_id/>
                <Field label="New list" name="list_name" hint="e.g. Workshop room A" required=true error/>
                <div class="choice">
                    <input type="checkbox" id="field-counts_exits" name="counts_exits" value="on"/>
                    <label for="field-counts_exits">"Also scan people out, to count who is inside"</label>
                </div>
                <Submit label="Add list" busy="Adding…" pending=Signal::from(add_list.pending())/>
            </ActionForm>
        </section>
    }
}

/// Links for the people at the door: each opens the scanner for this event only, and can be
/// revoked at once. The QR code lets a staff phone open its link without typing.
#[component]
pub fn DoorStaff(event_id: i32) -> impl IntoView {
    let add = ServerAction::<AddStaff>::new();
    let revoke = ServerAction::<RevokeStaff>::new();
    let error = action_error(add);
    let links = Resource::new(
        move || (add.version().get(), revoke.version().get()),
        move |_| staff_links(event_id),
    );
    let lists = Resource::new(|| (), move |_| checkin_lists(event_id));
    let list_problem = move || error.get().and_then(|e| e.field_error("staff_list"));
    view! {
        <section class="card" aria-labelledby="staff-title">
            <h2 id="staff-title">"Check-in staff"</h2>
            <p class="muted">"Give each person at the door their own link. It opens the scanner for this event and nothing else; revoke it when they are done."</p>
            <ActionForm action=add>
                <FormError error/>
                <input type="hidden" name="event_id" value=event_id/>
                <div class="row">
                    <Field label="Name" name="staff_name" hint="e.g. Door 1 — Sam" required=true error/>
                    <div class="field">
                        <label for="field-staff_role">"Role"</label>
                        <select id="field-staff_role" name="staff_role" aria-describedby="field-staff_role-note">
                            <option value="steward" selected>"Steward"</option>
                            <option value="supervisor">"Supervisor"</option>
                        </select>
                        <p class="field-note" id="field-staff_role-note">"Stewards only scan tickets; supervisors also find people by name, check in by hand and see the counts."</p>
                    </div>
                </div>
                <div class="field" class:invalid=move || list_problem().is_some()>
                    <label for="field-staff_list">"Door or room"</label>
                    <Transition fallback=|| view! { <select id="field-staff_list" name="staff_list" disabled=true><option value="">"Loading…"</option></select> }>
                        {move || Suspend::new(async move {
                            let lists = lists.await.unwrap_or_default();
                            view! {
                                <select id="field-staff_list" name="staff_list" aria-describedby="field-staff_list-note">
                                    <option value="">"Any — they choose on the scanner"</option>
                                    {lists.into_iter().map(|list| view! {
                                        <option value=list.id>{list.name}</option>
                                    }).collect_view()}
                                </select>
                            }
                        })}
                    </Transition>
                    <p class="field-note" id="field-staff_list-note">{move || list_problem().unwrap_or_else(|| "A link for one door scans into that list only.".to_owned())}</p>
                </div>
                <Submit label="Create link" busy="Creating…" pending=Signal::from(add.pending())/>
            </ActionForm>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match links.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">"No staff links yet."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="person-list">
                                {list.into_iter().map(|access| {
                                    let staff_id = access.id;
                                    let link = access.token.clone().map(|t| format!("/staff/{t}"));
                                    view! {
                                        <li class="person-row staff-link">
                                            {link.clone().map(|l| view! { <img class="qr" src=format!("{l}/qr.svg") alt=format!("QR code of {}'s link", access.name) width="96" height="96"/> })}
                                            <div class="person-text">
                                                <p class="person-name">{access.name.clone()}</p>
                                                <p class="muted">{match access.role {
                                                    crate::models::StaffRole::Steward => "Steward · scans tickets",
                                                    crate::models::StaffRole::Supervisor => "Supervisor · search, check in by hand, counts",
                                                    crate::models::StaffRole::Kiosk => "Self check-in kiosk · prints badges",
                                                }}{access.list_id.map(|_| " · one door")}</p>
                                                {match link {
                                                    Some(l) => view! { <p><a href=l.clone()>{l.clone()}</a></p> }.into_any(),
                                                    None => view! { <p class="muted">"Revoked"</p> }.into_any(),
                                                }}
                                            </div>
                                            {access.revoked_at.is_none().then(|| view! {
                                                <ActionForm action=revoke>
                                                    <input type="hidden" name="event_id" value=event_id/>
                                                    <input type="hidden" name="staff_id" value=staff_id/>
                                                    <button type="submit" class="button secondary small">"Revoke"</button>
                                                </ActionForm>
                                            })}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(error) => view! { <ErrorNote error/> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
