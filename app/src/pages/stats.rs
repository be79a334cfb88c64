//! The workspace's Check-in section: the scanner, live figures, a check-in chart, the doors
//! and rooms with their counts, top organisations and roles, and how the mail is going.

use crate::components::ErrorNote;
use crate::error::AppError;
use crate::models::{EventStats, NameCount, TimeCount};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use std::time::Duration;

/// How often the open page asks for fresh figures.
const REFRESH: Duration = Duration::from_secs(5);

#[server(prefix = "/rpc")]
pub async fn live_stats(id: i32) -> Result<EventStats, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::stats::for_event(&mut conn, &actor, id).await
}

#[server(prefix = "/rpc")]
pub async fn mail_delivery(id: i32) -> Result<crate::models::MailDelivery, AppError> {
    let (actor, mut conn) = crate::domain::Caller::current().await?.open().await?;
    crate::domain::outbox::delivery(&mut conn, &actor, id).await
}

#[component]
pub fn CheckinSection() -> impl IntoView {
    let id = super::workspace::workspace_event().id;
    let stats = Resource::new(move || id.get(), live_stats);
    let mail = Resource::new(move || id.get(), mail_delivery);
    // Watch the door: refetch while the page is open.
    Effect::new(move |_| {
        if let Ok(handle) = set_interval_with_handle(
            move || {
                stats.refetch();
                mail.refetch();
            },
            REFRESH,
        ) {
            on_cleanup(move || handle.clear());
        }
    });
    view! {
        <Title text="Check-in"/>
        <div class="section-head">
            <h2>"Live check-in"</h2>
            <div class="hero-actions">
                <A href=move || format!("/dashboard/events/{}/scan", id.get()) attr:class="button small">"Open the scanner"</A>
                <a href=move || format!("/api/organizer/events/{}/attendees.csv", id.get()) class="button secondary small" download>"Export CSV"</a>
            </div>
        </div>
        <Transition fallback=|| view! { <p class="muted" aria-busy="true">"Loading figures…"</p> }>
            {move || Suspend::new(async move {
                match stats.await {
                    Ok(stats) => view! { <Figures stats/> }.into_any(),
                    Err(AppError::NotFound(_)) | Err(AppError::Forbidden) => view! { <super::NotFound/> }.into_any(),
                    Err(error) => view! { <ErrorNote error/> }.into_any(),
                }
            })}
        </Transition>
        {move || view! { <super::door_team::DoorLists event_id=id.get()/> }}
        <Transition fallback=|| ()>
            {move || Suspend::new(async move { mail.await.ok().map(|mail| view! { <MailCard mail/> }) })}
        </Transition>
    }
}

/// The event's mail: how much went out, waits for a retry, or was given up on after a day.
#[component]
fn MailCard(mail: crate::models::MailDelivery) -> impl IntoView {
    let undelivered = mail.undelivered;
    view! {
        <section class="card" aria-labelledby="mail-title">
            <h2 id="mail-title">"Mail"</h2>
            <p data-testid="mail-counts">{format!("{} sent · {} waiting · {} undelivered", mail.sent, mail.waiting, mail.failed)}</p>
            {(!undelivered.is_empty()).then(|| view! {
                <p class="muted">"Given up on after 24 hours of retries:"</p>
                <ul class="plain">
                    {undelivered.into_iter().map(|m| view! {
                        <li><strong>{m.recipient}</strong>" · "{m.kind.replace('_', " ")}" · "<span class="muted">{m.error}</span></li>
                    }).collect_view()}
                </ul>
            })}
        </section>
    }
}

#[component]
fn Figures(stats: EventStats) -> impl IntoView {
    let rate = format!("{:.0}%", stats.checkin_rate * 100.0);
    let capacity = stats
        .capacity
        .map(|c| c.to_string())
        .unwrap_or_else(|| "unlimited".to_owned());
    let spots = stats
        .spots_left
        .map(|s| s.to_string())
        .unwrap_or_else(|| "—".to_owned());
    view! {
        <dl class="figures" aria-live="polite">
            <div class="figure"><dt>"Registered"</dt><dd data-testid="stat-registered">{stats.registered}</dd></div>
            <div class="figure"><dt>"Checked in"</dt><dd data-testid="stat-checked-in">{stats.checked_in}</dd></div>
            <div class="figure"><dt>"Check-in rate"</dt><dd>{rate}</dd></div>
            <div class="figure"><dt>"Capacity"</dt><dd>{capacity}</dd></div>
            <div class="figure"><dt>"Spots left"</dt><dd>{spots}</dd></div>
            {stats.no_shows.map(|n| view! { <div class="figure"><dt>"No-shows"</dt><dd>{n}</dd></div> })}
        </dl>
        <section class="card">
            <h2>"Check-ins over time"</h2>
            <TimeChart buckets=stats.checkins_over_time minutes=stats.bucket_minutes noun="check-ins"
                empty="No check-ins yet. The chart fills in as people arrive."/>
        </section>
        {(stats.lists.len() > 1).then(|| view! { <ListCounts lists=stats.lists/> })}
        {telling(&stats.top_organisations, &stats.top_roles).then(|| view! {
            <div class="row">
                <Tally title="Top organisations" rows=stats.top_organisations/>
                <Tally title="Top roles" rows=stats.top_roles/>
            </div>
        })}
    }
}

/// Each check-in list (gate): who came in there, and who is inside now where it counts exits.
/// Shown once the event has more than its default list.
#[component]
fn ListCounts(lists: Vec<crate::models::ListCount>) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="list-counts-title">
            <h2 id="list-counts-title">"Came in, by door"</h2>
            <table class="list-counts">
                <thead><tr><th scope="col">"List"</th><th scope="col">"Came in"</th><th scope="col">"Inside now"</th></tr></thead>
                <tbody>
                    {lists.into_iter().map(|list| view! {
                        <tr>
                            <th scope="row">{list.name}</th>
                            <td>{list.checked_in}</td>
                            <td>{list.inside.map(|n| n.to_string()).unwrap_or_else(|| "—".to_owned())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

/// Bars per period, drawn as SVG in the page: no chart library, no CDN. `minutes` is the
/// period (1440 and more: whole days, labelled by date); `noun` names what is counted.
#[component]
pub(crate) fn TimeChart(
    buckets: Vec<TimeCount>,
    minutes: i64,
    noun: &'static str,
    empty: &'static str,
) -> impl IntoView {
    if buckets.is_empty() {
        return view! { <p class="empty">{empty}</p> }.into_any();
    }
    let max = buckets.iter().map(|b| b.count).max().unwrap_or(1).max(1);
    let total: i64 = buckets.iter().map(|b| b.count).sum();
    // At least a few periods' width, so one early bucket is a bar, not a wall.
    let width = 100.0 / buckets.len().max(16) as f64;
    let days = minutes >= 1440;
    let label_of = move |t: chrono::NaiveDateTime| {
        if days {
            t.format("%-d %b").to_string()
        } else {
            t.format("%H:%M").to_string()
        }
    };
    let first = buckets
        .first()
        .map(|b| label_of(b.start))
        .unwrap_or_default();
    // The axis ends where the last period ends: one period reads 03:45 – 04:00; by day, the
    // last day counted.
    let last = buckets
        .last()
        .map(|b| {
            let end = b.start + chrono::Duration::minutes(minutes);
            label_of(if days {
                end - chrono::Duration::days(1)
            } else {
                end
            })
        })
        .unwrap_or_default();
    let per = match minutes {
        60 => "hour".to_owned(),
        1440 => "day".to_owned(),
        10080 => "week".to_owned(),
        m if m % 60 == 0 => format!("{} hours", m / 60),
        m => format!("{m} minutes"),
    };
    let label = if first == last {
        format!("{total} {noun} on {first}.")
    } else {
        format!("{total} {noun} from {first} to {last}, per {per}; busiest {max}.")
    };
    view! {
        <svg class="chart" viewBox="0 0 100 50" preserveAspectRatio="none" role="img" aria-label=label>
            {buckets.into_iter().enumerate().map(|(i, bucket)| {
                let height = 48.0 * bucket.count as f64 / max as f64;
                view! {
                    <rect x=format!("{:.3}", i as f64 * width + width * 0.1) y=format!("{:.3}", 50.0 - height)
                        width=format!("{:.3}", width * 0.8) height=format!("{height:.3}")>
                        <title>{format!("{}: {}", label_of(bucket.start), bucket.count)}</title>
                    </rect>
                }
            }).collect_view()}
        </svg>
        <div class="chart-axis"><span>{first.clone()}</span>{(last != first).then(|| view! { <span>{last.clone()}</span> })}</div>
    }
    .into_any()
}

/// A distribution says something once this many people filled it in.
const MEANINGFUL: i64 = 5;

/// Whether the distributions say anything yet: enough people gave an organisation or role.
fn telling(organisations: &[NameCount], roles: &[NameCount]) -> bool {
    let filled = |rows: &[NameCount]| rows.iter().map(|r| r.count).sum::<i64>();
    filled(organisations).max(filled(roles)) >= MEANINGFUL
}

#[component]
fn Tally(title: &'static str, rows: Vec<NameCount>) -> impl IntoView {
    let max = rows.iter().map(|r| r.count).max().unwrap_or(1).max(1);
    view! {
        <section class="card">
            <h2>{title}</h2>
            {if rows.is_empty() {
                view! { <p class="empty">"Nobody has filled this in yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="tally">
                        {rows.into_iter().map(|row| view! {
                            <li>
                                <span class="tally-name">{row.name}</span>
                                <span class="tally-bar" style=format!("width: {}%", 100 * row.count / max) aria-hidden="true"></span>
                                <span class="tally-count">{row.count}</span>
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}
