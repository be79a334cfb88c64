//! Interests and "People to meet". The organiser names the event's interests (tags); each
//! attendee picks what they offer and what they look for. People to meet ranks the others
//! by complementary picks (what I look for, they offer, and the other way round), then by
//! interests we share, then in name order, so the same picks always give the same list;
//! people I am connected with, people who hid and people a block keeps apart are left out.
//! Each suggestion says why, in words.
//!
//! Ranking runs in memory: an event's picks are held as two 64-bit sets per person (hence
//! at most 64 tags), read once per `(directory_version, interests_version)`, so among
//! 20,000 attendees a ranking is one pass of bit operations.

use super::attendees::rows_by_id;
use super::authorization::{Relation, Visibility};
use super::{connections, events, Actor};
use crate::db::DbConn;
use crate::error::AppError;
use crate::inputs::PageParams;
use crate::models::{
    Attendee, InterestsInput, MyInterests, Page, RequestStatus, Suggestion, Tag, TagsInput,
};
use crate::schema::{attendee_tags, event_tags, events as events_table};
use crate::validate::name_list;
use diesel::prelude::*;
use diesel_async::RunQueryDsl;

/// The most interests an event may have: each person's picks are a 64-bit set.
pub const MAX_TAGS: usize = 64;
pub const MAX_TAG_CHARS: usize = 40;

diesel::define_sql_function!(fn uuid_short() -> diesel::sql_types::Unsigned<diesel::sql_types::BigInt>);

/// The event's tags in the organiser's order.
async fn event_tags_of(conn: &mut DbConn<'_>, event_id: i32) -> Result<Vec<Tag>, AppError> {
    let rows: Vec<(i32, String)> = event_tags::table
        .filter(event_tags::event_id.eq(event_id))
        .order((event_tags::position, event_tags::id))
        .select((event_tags::id, event_tags::name))
        .load(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| Tag { id, name })
        .collect())
}

/// The ranking of this event is stale from now on (a pick, a tag or a block changed).
pub(crate) async fn bump(
    conn: &mut diesel_async::AsyncMysqlConnection,
    event_id: i32,
) -> Result<(), AppError> {
    diesel::update(events_table::table.find(event_id))
        .set(events_table::interests_version.eq(uuid_short()))
        .execute(conn)
        .await?;
    Ok(())
}

/// The event's tags: for its organiser, its attendees and its door staff.
pub async fn tags(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
) -> Result<Vec<Tag>, AppError> {
    match *actor {
        Actor::Anonymous => return Err(AppError::Unauthenticated),
        Actor::Organizer { .. } => {
            events::owned_row(conn, actor, event_id).await?;
        }
        Actor::Attendee { event_id: mine, .. } | Actor::Staff { event_id: mine, .. }
            if mine == event_id => {}
        _ => return Err(AppError::Forbidden),
    }
    event_tags_of(conn, event_id).await
}

/// The names, checked: trimmed, one line of 1–40 characters each, no name twice (letter
/// case aside), at most `MAX_TAGS`.
fn check_names(input: &TagsInput) -> Result<Vec<String>, AppError> {
    name_list(
        &input.tags,
        MAX_TAGS,
        MAX_TAG_CHARS,
        "Each interest",
        &format!("An event has at most {MAX_TAGS} interests."),
    )
    .map_err(|problem| AppError::field("tags", problem))
}

/// Sets the event's tags to these names, in this order (its organiser only). A name kept
/// (letter case aside) keeps its tag and the picks of it; a tag whose name is gone is
/// deleted with every pick of it.
pub async fn set_tags(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    event_id: i32,
    input: TagsInput,
) -> Result<Vec<Tag>, AppError> {
    events::owned_row(conn, actor, event_id).await?;
    let names = check_names(&input)?;
    crate::db::transaction!(conn, async |conn| {
        let existing: Vec<(i32, String)> = event_tags::table
            .filter(event_tags::event_id.eq(event_id))
            .select((event_tags::id, event_tags::name))
            .for_update()
            .load(conn)
            .await?;
        let find = |name: &str| {
            existing
                .iter()
                .find(|(_, old)| old.to_lowercase() == name.to_lowercase())
                .map(|(id, _)| *id)
        };
        let kept: Vec<i32> = names.iter().filter_map(|n| find(n)).collect();
        let gone: Vec<i32> = existing
            .iter()
            .map(|(id, _)| *id)
            .filter(|id| !kept.contains(id))
            .collect();
        if !gone.is_empty() {
            diesel::delete(event_tags::table.filter(event_tags::id.eq_any(&gone)))
                .execute(conn)
                .await?;
        }
        for (position, name) in names.iter().enumerate() {
            let position = position as i32;
            match find(name) {
                Some(id) => {
                    diesel::update(event_tags::table.find(id))
                        .set((event_tags::name.eq(name), event_tags::position.eq(position)))
                        .execute(conn)
                        .await?;
                }
                None => {
                    diesel::insert_into(event_tags::table)
                        .values((
                            event_tags::event_id.eq(event_id),
                            event_tags::name.eq(name),
                            event_tags::position.eq(position),
                        ))
                        .execute(conn)
                        .await?;
                }
            }
        }
        bump(conn, event_id).await
    })
    .await
    .map_err(|error| match error {
        // The database compares names without letter case and accents ("Café", "cafe").
        AppError::Conflict { code, .. } if code == "duplicate" => AppError::field(
            "tags",
            "Two of these are the same name once accents and letter case are set aside.",
        ),
        other => other,
    })?;
    event_tags_of(conn, event_id).await
}

/// What I offer and look for; only mine.
pub async fn mine(conn: &mut DbConn<'_>, actor: &Actor, id: i32) -> Result<MyInterests, AppError> {
    let event_id = actor.attendee_itself(id)?;
    let tags = event_tags_of(conn, event_id).await?;
    let picks: Vec<(String, i32)> = attendee_tags::table
        .filter(attendee_tags::attendee_id.eq(id))
        .select((attendee_tags::kind, attendee_tags::tag_id))
        .load(conn)
        .await?;
    let picked = |kind: &str| -> Vec<Tag> {
        tags.iter()
            .filter(|tag| picks.iter().any(|(k, t)| k == kind && *t == tag.id))
            .cloned()
            .collect()
    };
    Ok(MyInterests {
        offers: picked("offers"),
        seeks: picked("seeks"),
        tags: tags.clone(),
    })
}

/// Replaces what I offer and look for with these of the event's tags. An id not among them
/// is 400, and nothing changes.
pub async fn set_mine(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    id: i32,
    input: InterestsInput,
) -> Result<MyInterests, AppError> {
    let event_id = actor.attendee_itself(id)?;
    let tags = event_tags_of(conn, event_id).await?;
    let check = |field: &str, ids: &[i64]| -> Result<Vec<i32>, AppError> {
        let mut picked = Vec::with_capacity(ids.len());
        for &raw in ids {
            let tag = tags
                .iter()
                .find(|tag| i64::from(tag.id) == raw)
                .ok_or_else(|| AppError::field(field, "Pick from the event's interests."))?;
            if !picked.contains(&tag.id) {
                picked.push(tag.id);
            }
        }
        Ok(picked)
    };
    let offers = check("offers", &input.offers)?;
    let seeks = check("seeks", &input.seeks)?;
    let rows: Vec<_> = offers
        .iter()
        .map(|t| ("offers", *t))
        .chain(seeks.iter().map(|t| ("seeks", *t)))
        .map(|(kind, tag_id)| {
            (
                attendee_tags::attendee_id.eq(id),
                attendee_tags::kind.eq(kind),
                attendee_tags::tag_id.eq(tag_id),
            )
        })
        .collect();
    crate::db::transaction!(conn, async |conn| {
        diesel::delete(attendee_tags::table.filter(attendee_tags::attendee_id.eq(id)))
            .execute(conn)
            .await?;
        if !rows.is_empty() {
            diesel::insert_into(attendee_tags::table)
                .values(&rows)
                .execute(conn)
                .await?;
        }
        bump(conn, event_id).await
    })
    .await?;
    mine(conn, actor, id).await
}

mod ranker;
use ranker::Ranker;

/// Rankings of larger events than this run on the blocking pool. A ranking is one pass
/// keeping the page's best in a small heap: about 90 µs for 20,000 people (measured in
/// release on the 2-core machine), about what handing it to another thread costs.
const RANKED_IN_PLACE: usize = 50_000;

/// People to meet for the attendee logged in, best first, each with the reason.
pub async fn recommendations(
    conn: &mut DbConn<'_>,
    actor: &Actor,
    page: PageParams,
) -> Result<Page<Suggestion>, AppError> {
    let (me, event_id) = actor.attendee()?;
    let ranker = Ranker::of_event(conn, event_id).await?;
    // Everyone I have a connection or request with, in one read: those connected are left
    // out, the others' buttons show where we stand.
    let mut links = connections::all_links(conn, me).await?;
    let mut left_out: Vec<i32> = links
        .iter()
        .filter(|(_, link)| link.status == RequestStatus::Accepted)
        .map(|(id, _)| *id)
        .collect();
    left_out.extend(ranker.apart.get(&me).into_iter().flatten());
    left_out.sort_unstable();
    left_out.dedup();
    let (offset, limit) = (page.offset() as usize, page.limit() as usize);
    let (total, matches) = if ranker.members.len() < RANKED_IN_PLACE {
        ranker.rank(me, &left_out, offset, limit)
    } else {
        let ranker = ranker.clone();
        crate::cpu::DIRECTORY
            .run(move || ranker.rank(me, &left_out, offset, limit))
            .await?
    };
    let ids: Vec<i32> = matches.iter().map(|m| m.id).collect();
    let mut rows = rows_by_id(conn, &ids).await?;
    let items = matches
        .into_iter()
        .filter_map(|m| {
            let row = rows.remove(&m.id)?;
            let first_name = row.first_name.clone();
            let attendee = Attendee {
                connection: links.remove(&m.id),
                ..row.view(Visibility::of(Relation::Unconnected))
            };
            let (they_offer, they_seek, shared) = (
                ranker.names(m.they_offer),
                ranker.names(m.they_seek),
                ranker.names(m.shared),
            );
            let reason = reason(&first_name, &they_offer, &they_seek, &shared);
            Some(Suggestion {
                attendee,
                they_offer,
                they_seek,
                shared,
                reason,
            })
        })
        .collect();
    Ok(Page {
        items,
        total: total as i64,
    })
}

/// "Cy offers Hiring, which you look for; looks for Rust, which you offer; shares your
/// interest in Design."
fn reason(
    first_name: &str,
    they_offer: &[String],
    they_seek: &[String],
    shared: &[String],
) -> String {
    let mut parts = Vec::new();
    if !they_offer.is_empty() {
        parts.push(format!(
            "offers {}, which you look for",
            and_list(they_offer)
        ));
    }
    if !they_seek.is_empty() {
        parts.push(format!(
            "looks for {}, which you offer",
            and_list(they_seek)
        ));
    }
    if !shared.is_empty() {
        parts.push(format!("shares your interest in {}", and_list(shared)));
    }
    format!("{first_name} {}.", parts.join("; "))
}

/// "A", "A and B", "A, B and C".
fn and_list(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [head @ .., last] => format!("{} and {last}", head.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(names: &[&str]) -> Vec<Tag> {
        (1..)
            .zip(names)
            .map(|(id, name)| Tag {
                id,
                name: (*name).to_owned(),
            })
            .collect()
    }

    #[test]
    fn complementary_picks_rank_first_then_shared_then_name_order() {
        // Tags 1 Hiring, 2 Jobs, 3 Rust, 4 Design.
        let tags = tags(&["Hiring", "Jobs", "Rust", "Design"]);
        // Name order: 10 Ada, 11 Bob, 12 Cy, 13 Di, 14 Ed (hidden), 15 Flo (no picks).
        let people = [
            (10, false),
            (11, false),
            (12, false),
            (13, false),
            (14, true),
            (15, false),
        ];
        let pick = |a: i32, kind: &str, t: i32| (a, kind.to_owned(), t);
        let picks = [
            // Me (10): I look for Hiring and Rust, I offer Design.
            pick(10, "seeks", 1),
            pick(10, "seeks", 3),
            pick(10, "offers", 4),
            // Bob shares my wish for Rust only.
            pick(11, "seeks", 3),
            // Cy offers Hiring and seeks Design: two complementary.
            pick(12, "offers", 1),
            pick(12, "seeks", 4),
            // Di offers Rust: one complementary.
            pick(13, "offers", 3),
            // Ed would be best but hid.
            pick(14, "offers", 1),
            pick(14, "offers", 3),
            pick(14, "seeks", 4),
        ];
        let ranker = Ranker::new(&tags, &people, &picks);
        let (total, page) = ranker.rank(10, &[], 0, 10);
        assert_eq!(total, 3);
        assert_eq!(page.iter().map(|m| m.id).collect::<Vec<_>>(), [12, 13, 11]);
        assert_eq!(ranker.names(page[0].they_offer), ["Hiring"]);
        assert_eq!(ranker.names(page[0].they_seek), ["Design"]);
        assert_eq!(ranker.names(page[2].shared), ["Rust"]);
        // Paging cuts the same order; someone left out (a connection) is skipped.
        assert_eq!(ranker.rank(10, &[], 1, 1).1[0].id, 13);
        let (total, page) = ranker.rank(10, &[12], 0, 10);
        assert_eq!(
            (total, page.iter().map(|m| m.id).collect::<Vec<_>>()),
            (2, vec![13, 11])
        );
        // Someone with no picks is suggested nothing.
        assert_eq!(ranker.rank(15, &[], 0, 10), (0, vec![]));
    }

    #[test]
    fn the_reason_is_one_sentence() {
        let s = |v: &[&str]| v.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            reason("Cy", &s(&["Hiring"]), &s(&["Design", "Rust", "Go"]), &[]),
            "Cy offers Hiring, which you look for; looks for Design, Rust and Go, which you offer."
        );
        assert_eq!(
            reason("Bob", &[], &[], &s(&["Rust"])),
            "Bob shares your interest in Rust."
        );
    }
}
