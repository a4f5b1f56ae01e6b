//! The built, immutable index: term dictionary shards, postings, row and page tables.
//!
//! Rows are numbered newest first: row 0 is the most recent crawl, ties broken by page id,
//! then crawl id. So posting lists (ascending row numbers) are already in the result order the
//! corpus contract asks for, and a date window is one contiguous range of row numbers.
//!
//! The term dictionary is split into [`SHARDS`] `fst::Map`s over consecutive word ranges so the
//! two halves build on two cores; each maps a word to the offset of its posting list in that
//! shard's postings buffer ([`super::postings`]).

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::postings::Postings;

/// Term dictionary shards (each built on its own thread).
pub(crate) const SHARDS: usize = 2;

/// A search index over crawl rows. Immutable, `Send + Sync`: share it behind an `Arc` and swap
/// in a rebuilt one.
pub struct Index {
    pub(crate) shards: Vec<Shard>,
    /// Newest first (see the module docs).
    pub(crate) rows: Vec<RowEntry>,
    pub(crate) pages: Vec<PageEntry>,
    /// Language codes; `RowEntry::language` is 1 + an index here, 0 for none.
    pub(crate) languages: Vec<Box<str>>,
    pub(crate) postings: u64,
    /// Mean row length in words (BM25's avgdl).
    pub(crate) mean_length: f64,
    pub(crate) build_time: Duration,
}

/// One range of the term dictionary.
pub(crate) struct Shard {
    /// The shard's first word: words from here up to the next shard's first word live here.
    pub(crate) first: Box<[u8]>,
    pub(crate) map: fst::Map<Vec<u8>>,
    pub(crate) postings: Vec<u8>,
}

/// A crawl row.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RowEntry {
    pub(crate) id: i64,
    pub(crate) crawl_time: DateTime<Utc>,
    /// Index into `Index::pages`.
    pub(crate) page: u32,
    /// 0 = unknown, else 1 + index into `Index::languages`.
    pub(crate) language: u16,
    /// Words in the row (sum of its counts), for BM25.
    pub(crate) length: u32,
}

/// A page, stored once for all its crawls.
#[derive(Clone, Debug)]
pub(crate) struct PageEntry {
    pub(crate) id: i64,
    pub(crate) url: Box<str>,
    pub(crate) title: Box<str>,
}

/// Where a word's posting list is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TermRef {
    pub(crate) shard: u32,
    pub(crate) offset: u64,
}

impl Index {
    /// The shard that would hold `word`.
    pub(crate) fn shard_of(&self, word: &[u8]) -> Option<usize> {
        self.shards
            .partition_point(|s| &*s.first <= word)
            .checked_sub(1)
    }

    /// The posting list of exactly `word`.
    pub(crate) fn lookup(&self, word: &str) -> Option<TermRef> {
        let shard = self.shard_of(word.as_bytes())?;
        let offset = self.shards[shard].map.get(word)?;
        Some(TermRef {
            shard: shard as u32,
            offset,
        })
    }

    /// The postings of a term found by [`Index::lookup`] or a dictionary search.
    pub(crate) fn postings(&self, term: TermRef) -> Postings<'_> {
        match self.shards.get(term.shard as usize) {
            Some(shard) => Postings::at(&shard.postings, term.offset),
            None => Postings::at(&[], 0),
        }
    }

    /// The rows `[lo, hi)` crawled in `from <= crawl_time < to`.
    pub(crate) fn window(
        &self,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
    ) -> (u32, u32) {
        // Newest first: the rows at or after a time form a prefix of the table.
        let at_or_after = |t: DateTime<Utc>| self.rows.partition_point(|r| r.crawl_time >= t);
        let lo = to.map_or(0, at_or_after);
        let hi = from.map_or(self.rows.len(), at_or_after);
        (lo as u32, hi.max(lo) as u32)
    }

    /// The table number of a language code (`None`: the code is not in the index).
    pub(crate) fn language_id(&self, code: &str) -> Option<u16> {
        self.languages
            .iter()
            .position(|l| &**l == code)
            .map(|i| i as u16 + 1)
    }

    pub(crate) fn language_code(&self, id: u16) -> Option<&str> {
        let index = usize::from(id).checked_sub(1)?;
        self.languages.get(index).map(|l| &**l)
    }

    /// Number of crawl rows.
    pub fn rows(&self) -> usize {
        self.rows.len()
    }

    /// Whether the index holds no row.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}
