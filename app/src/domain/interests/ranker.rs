//! The ranking behind People to meet: an event's people in name order with their picks as
//! two 64-bit sets each, and who is kept apart by a block, cached per
//! `(directory_version, interests_version)`.

use super::{event_tags_of, MAX_TAGS};
use crate::db::DbConn;
use crate::error::AppError;
use crate::models::Tag;
use crate::schema::{attendee_tags, attendees, blocks, events as events_table};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::{Arc, LazyLock};

/// Rankings kept at once: the events whose people look right now.
const EVENTS_KEPT: usize = 16;

/// The event, its `directory_version` and its `interests_version`.
type Key = (i32, u64, u64);

static RANKERS: LazyLock<quick_cache::sync::Cache<Key, Arc<Ranker>>> =
    LazyLock::new(|| quick_cache::sync::Cache::new(EVENTS_KEPT));

/// One attendee's picks, as bit sets over the event's tags.
pub(super) struct Member {
    id: i32,
    hidden: bool,
    offers: u64,
    seeks: u64,
}

/// One suggestion before its person is read: who, and the tags behind it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Match {
    pub id: i32,
    pub they_offer: u64,
    pub they_seek: u64,
    pub shared: u64,
}

/// An event's people in name order with their picks, and the tags' names by bit.
pub(crate) struct Ranker {
    pub(super) members: Vec<Member>,
    position: HashMap<i32, usize>,
    names: Vec<String>,
    /// Whom each person is kept apart from by a block, either way (a block bumps
    /// `interests_version`, so the ranking never misses one).
    pub(super) apart: HashMap<i32, Vec<i32>>,
}

impl Ranker {
    pub(super) async fn of_event(
        conn: &mut DbConn<'_>,
        event_id: i32,
    ) -> Result<Arc<Self>, AppError> {
        let (directory, interests): (u64, u64) = events_table::table
            .find(event_id)
            .select((
                events_table::directory_version,
                events_table::interests_version,
            ))
            .first(conn)
            .await?;
        RANKERS
            .get_or_insert_async(
                &(event_id, directory, interests),
                Self::load(conn, event_id),
            )
            .await
    }

    async fn load(conn: &mut DbConn<'_>, event_id: i32) -> Result<Arc<Self>, AppError> {
        // Read after the versions: the rows are at least as new as the key they are kept under.
        let tags = event_tags_of(conn, event_id).await?;
        let people: Vec<(i32, bool)> = attendees::table
            .filter(attendees::event_id.eq(event_id))
            .order((
                attendees::last_name.asc(),
                attendees::first_name.asc(),
                attendees::id.asc(),
            ))
            .select((attendees::id, attendees::hidden))
            .load(conn)
            .await?;
        let picks: Vec<(i32, String, i32)> = attendee_tags::table
            .inner_join(attendees::table.on(attendees::id.eq(attendee_tags::attendee_id)))
            .filter(attendees::event_id.eq(event_id))
            .select((
                attendee_tags::attendee_id,
                attendee_tags::kind,
                attendee_tags::tag_id,
            ))
            .load(conn)
            .await?;
        let blocked: Vec<(i32, i32)> = blocks::table
            .inner_join(attendees::table.on(attendees::id.eq(blocks::blocker_id)))
            .filter(attendees::event_id.eq(event_id))
            .select((blocks::blocker_id, blocks::blocked_id))
            .load(conn)
            .await?;
        let mut ranker = Self::new(&tags, &people, &picks);
        for (a, b) in blocked {
            ranker.apart.entry(a).or_default().push(b);
            ranker.apart.entry(b).or_default().push(a);
        }
        Ok(Arc::new(ranker))
    }

    pub(super) fn new(tags: &[Tag], people: &[(i32, bool)], picks: &[(i32, String, i32)]) -> Self {
        let bit: HashMap<i32, u32> = tags
            .iter()
            .take(MAX_TAGS)
            .enumerate()
            .map(|(b, tag)| (tag.id, b as u32))
            .collect();
        let mut members: Vec<Member> = people
            .iter()
            .map(|&(id, hidden)| Member {
                id,
                hidden,
                offers: 0,
                seeks: 0,
            })
            .collect();
        let position: HashMap<i32, usize> =
            members.iter().enumerate().map(|(p, m)| (m.id, p)).collect();
        for (attendee, kind, tag) in picks {
            let (Some(&p), Some(&b)) = (position.get(attendee), bit.get(tag)) else {
                continue;
            };
            let member = &mut members[p];
            match kind.as_str() {
                "offers" => member.offers |= 1 << b,
                _ => member.seeks |= 1 << b,
            }
        }
        Self {
            members,
            position,
            names: tags.iter().take(MAX_TAGS).map(|t| t.name.clone()).collect(),
            apart: HashMap::new(),
        }
    }

    /// How many people suit `me`, and the page of them, best first. `left_out` is sorted.
    pub(crate) fn rank(
        &self,
        me: i32,
        left_out: &[i32],
        offset: usize,
        limit: usize,
    ) -> (usize, Vec<Match>) {
        let Some(mine) = self.position.get(&me).map(|&p| &self.members[p]) else {
            return (0, Vec::new());
        };
        // Only the best `end` are kept, in a heap whose top is the worst of them: a page
        // near the top costs one pass over the people and no list of every match.
        let end = offset + limit;
        let mut total = 0;
        let mut best: BinaryHeap<(Reverse<u32>, Reverse<u32>, usize)> =
            BinaryHeap::with_capacity(end.min(self.members.len()) + 1);
        for (position, other) in self.members.iter().enumerate() {
            if other.id == me || other.hidden || left_out.binary_search(&other.id).is_ok() {
                continue;
            }
            let complementary =
                (mine.seeks & other.offers).count_ones() + (mine.offers & other.seeks).count_ones();
            let shared = ((mine.offers & other.offers) | (mine.seeks & other.seeks)).count_ones();
            if complementary + shared == 0 {
                continue;
            }
            total += 1;
            // Smaller is better: more complementary, then more shared, then name order.
            let key = (Reverse(complementary), Reverse(shared), position);
            if best.len() < end {
                best.push(key);
            } else if best.peek().is_some_and(|worst| key < *worst) {
                best.pop();
                best.push(key);
            }
        }
        if offset >= best.len() {
            return (total, Vec::new());
        }
        let found = best.into_sorted_vec();
        let page = found[offset..]
            .iter()
            .map(|&(_, _, position)| {
                let other = &self.members[position];
                Match {
                    id: other.id,
                    they_offer: mine.seeks & other.offers,
                    they_seek: mine.offers & other.seeks,
                    shared: (mine.offers & other.offers) | (mine.seeks & other.seeks),
                }
            })
            .collect();
        (total, page)
    }

    pub(super) fn names(&self, bits: u64) -> Vec<String> {
        (0..self.names.len())
            .filter(|b| bits & (1 << b) != 0)
            .map(|b| self.names[b].clone())
            .collect()
    }
}
