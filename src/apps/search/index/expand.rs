//! From a query word to the stored words it matches: exactly, by prefix, or with typos.
//!
//! - `word` matches itself. If the index has no such word at all (in any row, whatever the
//!   filters) and the word is long enough ([`super::fuzzy`]), it matches the stored words
//!   within its typo budget instead, and the closest, most common of them becomes the word's
//!   correction for the "did you mean" suggestion. Words that exist are taken as typed: a
//!   rare real word is not "corrected" into a frequent one.
//! - `word*` matches every stored word that starts with `word` (no typos).
//! - Negated words match exactly (a typo must not silently exclude more rows).
//!
//! Expansions are capped so a query's cost stays bounded: at most [`MAX_SCAN`] dictionary
//! entries are read per word, of which the [`MAX_EXPANSION`] most useful are kept (the fewest
//! typos, then the most rows).

use std::sync::Arc;

use fst::{Automaton, IntoStreamer, Streamer, automaton::Str};

use super::{
    ast::Word,
    fuzzy::{Typos, allowed_distance},
    store::{Index, TermRef},
};

/// Stored words kept per query word.
pub const MAX_EXPANSION: usize = 1000;
/// Dictionary entries read per query word before giving up on finding more.
pub const MAX_SCAN: usize = 10_000;

/// A stored word a query word matched.
#[derive(Clone, Debug)]
pub(crate) struct Found {
    pub(crate) term: TermRef,
    pub(crate) word: Arc<str>,
    /// Rows holding it (in the whole index).
    pub(crate) df: u32,
    /// Typos between the query word and this word (0 for exact and prefix matches).
    pub(crate) typos: u8,
}

/// What one query word matched.
#[derive(Clone, Debug, Default)]
pub(crate) struct Expansion {
    pub(crate) found: Vec<Found>,
    /// More words matched than were kept.
    pub(crate) truncated: bool,
    /// The query word was not in the index; this is the closest, most common match.
    pub(crate) correction: Option<Arc<str>>,
}

impl Index {
    /// The stored words `word` matches (`typos`: whether to look for typos when the word
    /// itself is absent).
    pub(crate) fn expand(&self, word: &Word, typos: bool) -> Expansion {
        if word.prefix {
            let automaton = Str::new(&word.text).starts_with();
            return self.collect(false, |map, each| {
                let mut stream = map.search(&automaton).into_stream();
                while let Some((key, offset)) = stream.next() {
                    if !each(key, offset, 0) {
                        break;
                    }
                }
            });
        }
        if let Some(term) = self.lookup(&word.text) {
            return Expansion {
                found: vec![Found {
                    term,
                    word: word.text.as_str().into(),
                    df: self.postings(term).len(),
                    typos: 0,
                }],
                ..Expansion::default()
            };
        }
        let distance = allowed_distance(word.text.chars().count());
        if !typos || distance == 0 {
            return Expansion::default();
        }
        let Some(automaton) = Typos::new(&word.text, distance) else {
            return Expansion::default();
        };
        let mut expansion = self.collect(true, |map, each| automaton.search(map.as_fst(), each));
        expansion.correction = expansion.found.first().map(|f| f.word.clone());
        expansion
    }

    /// The words `walk` finds in each shard (it calls `each(key, offset, typos)` until that
    /// returns false), best first.
    fn collect(
        &self,
        fuzzy: bool,
        walk: impl Fn(&fst::Map<Vec<u8>>, &mut dyn FnMut(&[u8], u64, u8) -> bool),
    ) -> Expansion {
        // Candidates' words go to one buffer; only the kept ones become strings.
        struct Candidate {
            term: TermRef,
            df: u32,
            typos: u8,
            key: std::ops::Range<usize>,
        }
        let mut keys: Vec<u8> = Vec::new();
        let mut candidates: Vec<Candidate> = Vec::new();
        let mut truncated = false;
        for (shard, dictionary) in self.shards.iter().enumerate() {
            walk(&dictionary.map, &mut |key, offset, typos| {
                if candidates.len() >= MAX_SCAN {
                    truncated = true;
                    return false;
                }
                let term = TermRef {
                    shard: shard as u32,
                    offset,
                };
                let start = keys.len();
                keys.extend_from_slice(key);
                candidates.push(Candidate {
                    term,
                    df: self.postings(term).len(),
                    typos,
                    key: start..keys.len(),
                });
                true
            });
            if truncated {
                break;
            }
        }
        if fuzzy || candidates.len() > MAX_EXPANSION {
            // Fewest typos, then most rows, then alphabetical (deterministic).
            candidates.sort_by(|a, b| {
                a.typos
                    .cmp(&b.typos)
                    .then(b.df.cmp(&a.df))
                    .then_with(|| keys[a.key.clone()].cmp(&keys[b.key.clone()]))
            });
        }
        if candidates.len() > MAX_EXPANSION {
            candidates.truncate(MAX_EXPANSION);
            truncated = true;
        }
        let found = candidates
            .into_iter()
            .filter_map(|c| {
                // Keys were inserted from `&str`s, so they are UTF-8.
                let word = std::str::from_utf8(&keys[c.key]).ok()?;
                Some(Found {
                    term: c.term,
                    word: word.into(),
                    df: c.df,
                    typos: c.typos,
                })
            })
            .collect();
        Expansion {
            found,
            truncated,
            correction: None,
        }
    }
}
