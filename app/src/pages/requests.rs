//! My connections: requests waiting for my answer, my contacts, and requests I sent.

use super::network::AttendeeGate;
use crate::components::{action_error, either_error, AnswerButtons, Avatar, FormError, Pager};
use crate::error::AppError;
use crate::inputs::PageParams;
use crate::models::{Connection, Direction, Page, RequestStatus};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[server(prefix = "/rpc")]
pub async fn my_connections(offset: i64) -> Result<Page<Connection>, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let page = PageParams {
        limit: Some(PageParams::MAX_LIMIT),
        offset: Some(offset),
    };
    crate::domain::connections::list_mine(&mut conn, &actor, None, page).await
}

#[server(prefix = "/rpc")]
pub async fn answer_connection(id: i32, status: String) -> Result<Connection, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    let input = crate::inputs::StatusInput { status };
    crate::domain::connections::respond(&mut conn, &actor, id, input).await
}

#[server(prefix = "/rpc")]
pub async fn remove_connection(id: i32) -> Result<(), AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::connections::remove(&mut conn, &actor, id).await
}

#[component]
pub fn ConnectionsPage() -> impl IntoView {
    let answer = ServerAction::<AnswerConnection>::new();
    let remove = ServerAction::<RemoveConnection>::new();
    let offset = RwSignal::new(0i64);
    let list = Resource::new(
        move || (offset.get(), answer.version().get(), remove.version().get()),
        |(offset, _, _)| my_connections(offset),
    );
    let error = either_error(action_error(answer), action_error(remove));
    view! {
        <Title text="Contacts"/>
        <div class="page-head"><h1>"Contacts"</h1></div>
        <FormError error/>
        <Transition fallback=|| view! { <p class="muted" aria-busy="true">"Loading connections…"</p> }>
            {move || Suspend::new(async move {
                match list.await {
                    Ok(page) => {
                        let total = page.total;
                        let (waiting, rest): (Vec<_>, Vec<_>) = page.items.into_iter().partition(|c| {
                            c.status == RequestStatus::Pending && c.direction == Direction::Incoming
                        });
                        let (contacts, rest): (Vec<_>, Vec<_>) = rest.into_iter().partition(|c| c.status == RequestStatus::Accepted);
                        let sent: Vec<_> = rest.into_iter().filter(|c| c.status == RequestStatus::Pending).collect();
                        view! {
                            <ConnectionGroup title="Waiting for your answer" empty="No requests waiting." items=waiting answer remove/>
                            <ConnectionGroup title="Your contacts" empty="No contacts yet. Find people in the directory and connect." items=contacts answer remove/>
                            <ConnectionGroup title="Sent" empty="No requests waiting for others." items=sent answer remove/>
                            {(total > PageParams::MAX_LIMIT).then(|| view! {
                                <Pager offset page_size=PageParams::MAX_LIMIT total/>
                            })}
                        }.into_any()
                    }
                    Err(error) => view! { <AttendeeGate error/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ConnectionGroup(
    title: &'static str,
    empty: &'static str,
    items: Vec<Connection>,
    answer: ServerAction<AnswerConnection>,
    remove: ServerAction<RemoveConnection>,
) -> impl IntoView {
    let count = items.len();
    view! {
        <section class="card" aria-label=title>
            <h2>{title}{(count > 0).then(|| view! { <span class="count">{count}</span> })}</h2>
            {if items.is_empty() {
                view! { <p class="empty">{empty}</p> }.into_any()
            } else {
                view! {
                    <ul class="person-list">
                        {items.into_iter().map(|c| view! { <ConnectionRow connection=c answer remove/> }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn ConnectionRow(
    connection: Connection,
    answer: ServerAction<AnswerConnection>,
    remove: ServerAction<RemoveConnection>,
) -> impl IntoView {
    let other = connection.other;
    let name = other.full_name();
    let id = connection.id;
    let detail = [other.role.clone(), other.organisation.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ");
    let (accept_label, decline_label) = (format!("Accept {name}"), format!("Decline {name}"));
    let actions = match (connection.status, connection.direction) {
        (RequestStatus::Pending, Direction::Incoming) => view! {
            <ActionForm action=answer>
                <input type="hidden" name="id" value=id/>
                <AnswerButtons accept_label decline_label/>
            </ActionForm>
        }
        .into_any(),
        (RequestStatus::Pending, Direction::Outgoing) => view! {
            <ActionForm action=remove>
                <input type="hidden" name="id" value=id/>
                <button type="submit" class="link-button">"Withdraw"</button>
            </ActionForm>
        }
        .into_any(),
        _ => ().into_any(),
    };
    view! {
        <li class="person-row">
            <Avatar name=name.clone() photo=other.profile_picture.clone() size=44/>
            <div class="person-text">
                <A href=format!("/me/people/{}", other.id) attr:class="person-name">{name.clone()}</A>
                {(!detail.is_empty()).then(|| view! { <p class="muted">{detail}</p> })}
                {other.email.clone().map(|email| view! { <p><a href=format!("mailto:{email}")>{email.clone()}</a></p> })}
            </div>
            <div class="answer-buttons">{actions}</div>
        </li>
    }
}
