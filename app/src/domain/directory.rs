//! The people directory of an event, held in memory for search-as-you-type.
//!
//! Searching 20,000 attendees in MariaDB cost 10–26 ms per query (a broad word such as
//! "engineer" matches thousands, each fetched and sorted, twice: for the count and for the
//! page). Here the event's names, organisations and roles are kept in name order, folded
//! for matching and indexed by word: a word's beginning is a binary search, the page a walk
//! over the matches in order, and the page's rows are then read by primary key.
//!
//! Always current, also with several server instances: triggers give
//! `events.directory_version` a new value whenever an attendee arrives, leaves or changes a
//! searched field, and every search reads it first; a directory of another version is never
//! used.

use crate::db::DbConn;
use crate::error::AppError;
use crate::schema::{attendees, events};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock};
use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// Directories kept at once: the events being searched right now.
const EVENTS_KEPT: usize = 16;

/// The event and its `directory_version`.
type Key = (i32, u64);

static DIRECTORIES: LazyLock<quick_cache::sync::Cache<Key, Arc<Directory>>> =
    LazyLock::new(|| quick_cache::sync::Cache::new(EVENTS_KEPT));

/// One attendee as the substring search sees them.
struct Person {
    id: i32,
    /// Hidden from other attendees' searches (the organiser and the door still find them).
    hidden: bool,
    /// The four folded fields, separated by NUL so that a substring never spans two.
    fields: Box<str>,
}

/// An event's attendees in name order (the database's collation: last name, first name).
pub struct Directory {
    people: Vec<Person>,
    /// Every folded word of a name, organisation or role, in byte order, with the positions
    /// in `people` of those who have it: the words beginning with a prefix are one range.
    words: Vec<(Box<str>, Vec<u32>)>,
}

impl Directory {
    /// The event's directory as of now (read through the version, built at most once per
    /// version however many ask at the same moment).
    pub async fn of_event(conn: &mut DbConn<'_>, event_id: i32) -> Result<Arc<Self>, AppError> {
        let version: u64 = events::table
            .find(event_id)
            .select(events::directory_version)
            .first(conn)
            .await?;
        DIRECTORIES
            .get_or_insert_async(&(event_id, version), Self::load(conn, event_id))
            .await
    }

    async fn load(conn: &mut DbConn<'_>, event_id: i32) -> Result<Arc<Self>, AppError> {
        // Read after the version: the rows are at least as new as the key they are kept under.
        let rows: Vec<(i32, String, String, Option<String>, Option<String>, bool)> =
            attendees::table
                .filter(attendees::event_id.eq(event_id))
                .order((
                    attendees::last_name.asc(),
                    attendees::first_name.asc(),
                    attendees::id.asc(),
                ))
                .select((
                    attendees::id,
                    attendees::first_name,
                    attendees::last_name,
                    attendees::organisation,
                    attendees::role,
                    attendees::hidden,
                ))
                .load(conn)
                .await?;
        // Folding and indexing thousands of names is CPU work: off the async workers.
        let directory = crate::cpu::DIRECTORY
            .run(move || {
                Self::new(
                    rows.iter()
                        .map(|(id, first, last, organisation, role, hidden)| {
                            (
                                *id,
                                [
                                    first.as_str(),
                                    last,
                                    organisation.as_deref().unwrap_or(""),
                                    role.as_deref().unwrap_or(""),
                                ],
                                *hidden,
                            )
                        }),
                )
            })
            .await?;
        Ok(Arc::new(directory))
    }

    /// `search_among`, off the async workers when the directory is large enough for it to
    /// matter.
    pub(crate) async fn search_in_turn(
        self: Arc<Self>,
        q: String,
        offset: usize,
        limit: usize,
        left_out: Arc<LeftOut>,
    ) -> Result<(usize, Vec<i32>), AppError> {
        if self.people.len() < SEARCHED_IN_PLACE {
            return Ok(self.search_among(&q, offset, limit, &left_out));
        }
        crate::cpu::DIRECTORY
            .run(move || self.search_among(&q, offset, limit, &left_out))
            .await
    }

    /// The directory of these people, given in name order, each with whether they hid.
    fn new<'a>(people: impl Iterator<Item = (i32, [&'a str; 4], bool)>) -> Self {
        let mut postings: HashMap<String, Vec<u32>> = HashMap::new();
        let people = people
            .enumerate()
            .map(|(position, (id, fields, hidden))| {
                let fields = fields.map(fold);
                for word in fields.iter().flat_map(|f| words_of(f)) {
                    let list = postings.entry(word.to_owned()).or_default();
                    if list.last() != Some(&(position as u32)) {
                        list.push(position as u32);
                    }
                }
                Person {
                    id,
                    hidden,
                    fields: fields.join("\0").into(),
                }
            })
            .collect();
        let mut words: Vec<(Box<str>, Vec<u32>)> = postings
            .into_iter()
            .map(|(word, list)| (word.into(), list))
            .collect();
        words.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        Self { people, words }
    }

    /// `search_among` everyone, hidden or not.
    #[cfg(test)]
    fn search(&self, q: &str, offset: usize, limit: usize) -> (usize, Vec<i32>) {
        self.search_among(q, offset, limit, &LeftOut::nobody())
    }

    /// How many match `q`, and the ids of those on the page, in name order, but for those
    /// `left_out`. Word beginnings first; when nothing begins so (or a word is too
    /// short), anywhere inside a field, as the database search of the organiser's lists does.
    fn search_among(
        &self,
        q: &str,
        offset: usize,
        limit: usize,
        left_out: &LeftOut,
    ) -> (usize, Vec<i32>) {
        let q = fold(q);
        if searches_by_words(&q) {
            let mut found = vec![true; self.people.len()];
            for prefix in words_of(&q) {
                let mut has_word = vec![false; self.people.len()];
                let first = self
                    .words
                    .partition_point(|(word, _)| word.as_ref() < prefix);
                for (_, positions) in self.words[first..]
                    .iter()
                    .take_while(|(word, _)| word.starts_with(prefix))
                {
                    for &position in positions {
                        has_word[position as usize] = true;
                    }
                }
                found.iter_mut().zip(has_word).for_each(|(f, h)| *f &= h);
            }
            let page = self.page(|position, _| found[position], offset, limit, left_out);
            if page.0 > 0 {
                return page;
            }
        }
        self.page(
            |_, p| p.fields.contains(q.as_str()),
            offset,
            limit,
            left_out,
        )
    }

    fn page(
        &self,
        matches: impl Fn(usize, &Person) -> bool,
        offset: usize,
        limit: usize,
        left_out: &LeftOut,
    ) -> (usize, Vec<i32>) {
        let mut total = 0;
        let mut page = Vec::new();
        for (position, person) in self.people.iter().enumerate() {
            if left_out.leaves(person) || !matches(position, person) {
                continue;
            }
            if total >= offset && page.len() < limit {
                page.push(person.id);
            }
            total += 1;
        }
        (total, page)
    }
}

/// Whom a reader of the directory does not find: people who hid from it (unless the reader
/// is the organiser or the door), and people kept apart from the reader by a block.
#[derive(Debug, Default)]
pub(crate) struct LeftOut {
    pub hidden: bool,
    /// Sorted ids.
    pub apart: Vec<i32>,
}

impl LeftOut {
    /// Everyone is found.
    pub fn nobody() -> Self {
        Self::default()
    }

    fn leaves(&self, person: &Person) -> bool {
        (self.hidden && person.hidden) || self.apart.binary_search(&person.id).is_ok()
    }
}

/// Directories smaller than this are searched on the async worker (well under a
/// millisecond); larger ones on the blocking pool.
const SEARCHED_IN_PLACE: usize = 2_000;

/// The longest search, in characters, and the most different words in one.
pub const MAX_SEARCH_CHARS: usize = 100;
pub const MAX_SEARCH_WORDS: usize = 8;

/// A search as typed, checked once for every path (REST, server functions, the organiser's
/// lists): trimmed; empty is no search; at most `MAX_SEARCH_CHARS` characters and
/// `MAX_SEARCH_WORDS` different words (400 beyond); a word typed twice counts once.
pub fn search_text(q: Option<&str>) -> Result<Option<String>, AppError> {
    let Some(q) = q.map(str::trim).filter(|q| !q.is_empty()) else {
        return Ok(None);
    };
    if q.chars().count() > MAX_SEARCH_CHARS {
        return Err(AppError::field(
            "q",
            format!("Search with at most {MAX_SEARCH_CHARS} characters."),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    let parts: Vec<&str> = q
        .split_whitespace()
        .filter(|part| seen.insert(fold(part)))
        .collect();
    let q = parts.join(" ");
    let words: std::collections::HashSet<String> = words_of(&fold(&q)).map(str::to_owned).collect();
    if words.len() > MAX_SEARCH_WORDS {
        return Err(AppError::field(
            "q",
            format!("Search with at most {MAX_SEARCH_WORDS} different words."),
        ));
    }
    Ok(Some(q))
}

/// Whether `q` is searched by word beginnings: every word has three characters or more
/// (the shortest word MariaDB's full-text index keeps, innodb_ft_min_token_size).
pub(crate) fn searches_by_words(q: &str) -> bool {
    let mut words = words_of(q).peekable();
    words.peek().is_some() && words.all(|w| w.chars().count() >= 3)
}

/// Words as the query splits them: runs of letters and digits.
pub(crate) fn words_of(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Lower case without accents, as the database's collation compares (utf8mb4_unicode_ci
/// weighs "Zoë" as "zoe", "Łukasz" as "lukasz", "Straße" as "strasse").
/// `text` as MariaDB's utf8mb4_unicode_ci compares it: case and accents folded.
pub(crate) fn fold(text: &str) -> String {
    let mut folded = String::with_capacity(text.len());
    for c in text.nfd().filter(|c| !is_combining_mark(*c)) {
        match c {
            'ß' | 'ẞ' => folded.push_str("ss"),
            'æ' | 'Æ' => folded.push_str("ae"),
            'œ' | 'Œ' => folded.push_str("oe"),
            'ø' | 'Ø' => folded.push('o'),
            'ł' | 'Ł' => folded.push('l'),
            'đ' | 'Đ' => folded.push('d'),
            'ı' => folded.push('i'),
            c => folded.extend(c.to_lowercase()),
        }
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::{fold, Directory, LeftOut};

    fn directory(people: &[[&str; 4]]) -> Directory {
        hiding(people, &[])
    }

    /// The directory of `people` (ids from 1) with those of `hidden` hidden.
    fn hiding(people: &[[&str; 4]], hidden: &[i32]) -> Directory {
        Directory::new(
            (1..)
                .zip(people.iter().copied())
                .map(|(id, fields)| (id, fields, hidden.contains(&id))),
        )
    }

    #[test]
    fn folding_ignores_case_and_accents_as_the_collation_does() {
        assert_eq!(fold("Zoë NGUYỄN"), "zoe nguyen");
        assert_eq!(fold("Łukasz Straße"), "lukasz strasse");
        assert_eq!(fold("Søren Ærø"), "soren aero");
        assert_eq!(fold("王小明"), "王小明");
    }

    #[test]
    fn word_beginnings_first_then_anywhere_in_one_field() {
        let people = directory(&[
            ["Ada", "Lovelace", "Analytical Engines", "Engineer"],
            ["Zoë", "Turing", "Acme", "Software engineer"],
            ["Grace", "Hopper", "Navy", "Admiral"],
        ]);
        assert_eq!(people.search("engin", 0, 10), (2, vec![1, 2]));
        assert_eq!(people.search("ZOE Engineer", 0, 10), (1, vec![2]));
        // Nothing begins with "ngineer": found inside the words instead.
        assert_eq!(people.search("ngineer", 0, 10), (2, vec![1, 2]));
        // Two letters are too short for word beginnings: anywhere.
        assert_eq!(people.search("ce", 0, 10), (2, vec![1, 3]));
        // A substring never joins the end of one field to the start of the next.
        assert_eq!(people.search("hoppernavy", 0, 10), (0, vec![]));
        assert_eq!(people.search("nobody", 0, 10), (0, vec![]));
    }

    #[test]
    fn who_hid_is_found_only_by_those_who_may_see_hidden_people() {
        let people = hiding(
            &[
                ["Ada", "Lovelace", "Analytical Engines", "Engineer"],
                ["Zoë", "Turing", "Acme", "Software engineer"],
                ["Grace", "Hopper", "Navy", "Engineer"],
            ],
            &[2],
        );
        let others = LeftOut {
            hidden: true,
            apart: vec![],
        };
        assert_eq!(
            people.search_among("engineer", 0, 10, &others),
            (2, vec![1, 3])
        );
        assert_eq!(people.search_among("engineer", 1, 1, &others), (2, vec![3]));
        assert_eq!(people.search_among("zoe", 0, 10, &others), (0, vec![]));
        assert_eq!(people.search_among("uring", 0, 10, &others), (0, vec![]));
        assert_eq!(
            people.search_among("engineer", 0, 10, &LeftOut::nobody()),
            (3, vec![1, 2, 3])
        );
    }

    #[test]
    fn people_kept_apart_by_a_block_are_not_found_by_words_or_inside_words() {
        let people = directory(&[
            ["Ada", "Lovelace", "Analytical Engines", "Engineer"],
            ["Zoë", "Turing", "Acme", "Software engineer"],
            ["Grace", "Hopper", "Navy", "Engineer"],
        ]);
        let apart = LeftOut {
            hidden: true,
            apart: vec![1, 3],
        };
        assert_eq!(people.search_among("engineer", 0, 10, &apart), (1, vec![2]));
        assert_eq!(people.search_among("ngineer", 0, 10, &apart), (1, vec![2]));
        assert_eq!(people.search_among("grace", 0, 10, &apart), (0, vec![]));
        assert_eq!(people.search("grace", 0, 10), (1, vec![3]));
    }

    #[test]
    fn pages_count_every_match_and_keep_the_order() {
        let people = directory(&[
            ["A", "A", "Acme", ""],
            ["B", "B", "", ""],
            ["C", "C", "Acme", ""],
            ["D", "D", "Acme", ""],
        ]);
        assert_eq!(people.search("acme", 1, 1), (3, vec![3]));
        assert_eq!(people.search("acme", 3, 5), (3, vec![]));
    }
}
