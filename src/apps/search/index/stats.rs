//! How big the index is, counted honestly: every byte it holds on the heap.

use std::{mem::size_of, time::Duration};

use super::store::{Index, PageEntry, RowEntry, Shard};

/// Size and build time of an index.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IndexStats {
    /// Distinct words.
    pub words: u64,
    /// (word, row) pairs.
    pub postings: u64,
    /// Crawl rows.
    pub rows: usize,
    /// Pages.
    pub pages: usize,
    /// Bytes of the term dictionary (the fst shards).
    pub dictionary_bytes: usize,
    /// Bytes of the posting lists.
    pub postings_bytes: usize,
    /// Bytes of the row, page and language tables, URLs and titles included.
    pub table_bytes: usize,
    /// From `IndexBuilder::new` to the end of `finish` (includes the time spent producing the
    /// rows pushed, e.g. streaming them from the database).
    pub build_time: Duration,
}

impl IndexStats {
    /// All bytes the index holds.
    pub fn bytes(&self) -> usize {
        self.dictionary_bytes + self.postings_bytes + self.table_bytes
    }
}

impl Index {
    /// Size and build time.
    pub fn stats(&self) -> IndexStats {
        let dictionary_bytes = self
            .shards
            .iter()
            .map(|s| s.map.as_fst().as_bytes().len() + s.first.len())
            .sum();
        let postings_bytes = self.shards.iter().map(|s| s.postings.capacity()).sum();
        let table_bytes = size_of::<Index>()
            + self.shards.capacity() * size_of::<Shard>()
            + self.rows.capacity() * size_of::<RowEntry>()
            + self.pages.capacity() * size_of::<PageEntry>()
            + self
                .pages
                .iter()
                .map(|p| p.url.len() + p.title.len())
                .sum::<usize>()
            + self
                .languages
                .iter()
                .map(|l| size_of::<Box<str>>() + l.len())
                .sum::<usize>();
        IndexStats {
            words: self.shards.iter().map(|s| s.map.len() as u64).sum(),
            postings: self.postings,
            rows: self.rows.len(),
            pages: self.pages.len(),
            dictionary_bytes,
            postings_bytes,
            table_bytes,
            build_time: self.build_time,
        }
    }
}
