//! Building an [`Index`] from crawl rows, in one pass over them plus a sort.
//!
//! Pushing a row interns its words into one byte arena (a hash table of word numbers, no
//! allocation per word) and appends its postings as (word number, count) pairs. `finish`
//! sorts the rows newest first and hands the rest to [`shards`](super::shards), which builds
//! the term dictionary shards in parallel. Nothing is allocated per posting.

use std::{collections::HashMap, hash::BuildHasher, time::Instant};

use chrono::{DateTime, Utc};
use hashbrown::{DefaultHashBuilder, HashTable};

use super::{
    error::BuildError,
    shards,
    store::{Index, PageEntry, RowEntry},
};

/// One crawl of a page with its word counts, as the index takes it.
///
/// `counts` holds the words exactly as the crawler stored them (folded by
/// `wordcloud::words`); a word listed twice has its counts added, a zero count is skipped.
#[derive(Clone, Copy, Debug)]
pub struct CrawlRow<'a, W = &'a str> {
    /// The crawl's id.
    pub row: i64,
    /// The page's id.
    pub page: i64,
    /// When the page was crawled.
    pub crawl_time: DateTime<Utc>,
    /// The crawl's detected language (ISO 639-1), if any.
    pub language: Option<&'a str>,
    /// The page's URL; a page's newest crawl gives the URL and title shown for all its crawls.
    pub url: &'a str,
    /// The page's title.
    pub title: &'a str,
    /// (word, count) pairs.
    pub counts: &'a [(W, u32)],
}

/// Collects crawl rows, then [`finish`](IndexBuilder::finish)es into an [`Index`].
pub struct IndexBuilder {
    started: Instant,
    hasher: DefaultHashBuilder,
    /// Word numbers, found by hashing the word's bytes in `arena`.
    table: HashTable<u32>,
    arena: Vec<u8>,
    /// Word `i` is `arena[ends[i - 1]..ends[i]]`.
    ends: Vec<usize>,
    hashes: Vec<u64>,
    /// Rows holding each word.
    df: Vec<u32>,
    /// 1 + the index in `postings` of each word's last posting (0: none yet).
    last: Vec<usize>,
    postings: Vec<(u32, u32)>,
    rows: Vec<PendingRow>,
    page_numbers: HashMap<i64, u32>,
    pages: Vec<PendingPage>,
    languages: Vec<Box<str>>,
}

struct PendingRow {
    id: i64,
    page: u32,
    crawl_time: DateTime<Utc>,
    language: u16,
    length: u64,
    /// Its postings: `postings[start..next row's start]`.
    start: usize,
}

struct PendingPage {
    entry: PageEntry,
    newest: DateTime<Utc>,
}

impl Default for IndexBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl IndexBuilder {
    /// An empty builder; the index's build time counts from here.
    pub fn new() -> Self {
        IndexBuilder {
            started: Instant::now(),
            hasher: DefaultHashBuilder::default(),
            table: HashTable::new(),
            arena: Vec::new(),
            ends: Vec::new(),
            hashes: Vec::new(),
            df: Vec::new(),
            last: Vec::new(),
            postings: Vec::new(),
            rows: Vec::new(),
            page_numbers: HashMap::new(),
            pages: Vec::new(),
            languages: Vec::new(),
        }
    }

    /// Add one crawl row.
    pub fn push<W: AsRef<str>>(&mut self, row: CrawlRow<'_, W>) -> Result<(), BuildError> {
        if self.rows.len() >= u32::MAX as usize {
            return Err(BuildError::TooLarge("rows"));
        }
        let page = self.page(&row)?;
        let language = match row.language {
            Some(code) => self.language(code)?,
            None => 0,
        };
        let start = self.postings.len();
        let mut length = 0u64;
        for (word, count) in row.counts {
            let (word, count) = (word.as_ref(), *count);
            if count == 0 || word.is_empty() {
                continue;
            }
            length += u64::from(count);
            let term = self.intern(word)?;
            let last = self.last[term as usize];
            if last > start {
                // The word was listed twice in this row.
                let posting = &mut self.postings[last - 1];
                posting.1 = posting.1.saturating_add(count);
            } else {
                self.postings.push((term, count));
                self.last[term as usize] = self.postings.len();
                self.df[term as usize] += 1;
            }
        }
        self.rows.push(PendingRow {
            id: row.row,
            page,
            crawl_time: row.crawl_time,
            language,
            length,
            start,
        });
        Ok(())
    }

    fn page<W>(&mut self, row: &CrawlRow<'_, W>) -> Result<u32, BuildError> {
        if let Some(&number) = self.page_numbers.get(&row.page) {
            let page = &mut self.pages[number as usize];
            if row.crawl_time >= page.newest {
                page.newest = row.crawl_time;
                if *page.entry.url != *row.url {
                    page.entry.url = row.url.into();
                }
                if *page.entry.title != *row.title {
                    page.entry.title = row.title.into();
                }
            }
            return Ok(number);
        }
        let number = u32::try_from(self.pages.len()).map_err(|_| BuildError::TooLarge("pages"))?;
        self.page_numbers.insert(row.page, number);
        self.pages.push(PendingPage {
            entry: PageEntry {
                id: row.page,
                url: row.url.into(),
                title: row.title.into(),
            },
            newest: row.crawl_time,
        });
        Ok(number)
    }

    fn language(&mut self, code: &str) -> Result<u16, BuildError> {
        // A handful of languages: a scan beats hashing.
        if let Some(i) = self.languages.iter().position(|l| **l == *code) {
            return Ok(i as u16 + 1);
        }
        if self.languages.len() >= usize::from(u16::MAX - 1) {
            return Err(BuildError::TooLarge("languages"));
        }
        self.languages.push(code.into());
        Ok(self.languages.len() as u16)
    }

    fn intern(&mut self, word: &str) -> Result<u32, BuildError> {
        let bytes = word.as_bytes();
        let hash = self.hasher.hash_one(bytes);
        let (arena, ends) = (&self.arena, &self.ends);
        if let Some(&term) = self.table.find(hash, |&t| word_in(arena, ends, t) == bytes) {
            return Ok(term);
        }
        let term = u32::try_from(self.ends.len()).map_err(|_| BuildError::TooLarge("words"))?;
        self.arena.extend_from_slice(bytes);
        self.ends.push(self.arena.len());
        self.hashes.push(hash);
        self.df.push(0);
        self.last.push(0);
        let hashes = &self.hashes;
        self.table
            .insert_unique(hash, term, |&t| hashes[t as usize]);
        Ok(term)
    }

    /// Build the index.
    pub fn finish(self) -> Result<Index, BuildError> {
        // Rows newest first, ties by page id then crawl id (the result order).
        let mut order: Vec<u32> = (0..self.rows.len() as u32).collect();
        let page_id = |r: &PendingRow| self.pages[r.page as usize].entry.id;
        order.sort_unstable_by(|&a, &b| {
            let (a, b) = (&self.rows[a as usize], &self.rows[b as usize]);
            b.crawl_time
                .cmp(&a.crawl_time)
                .then_with(|| page_id(a).cmp(&page_id(b)))
                .then_with(|| a.id.cmp(&b.id))
        });
        let mut ids: Vec<i64> = self.rows.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        if let Some(pair) = ids.windows(2).find(|pair| pair[0] == pair[1]) {
            return Err(BuildError::DuplicateRow(pair[0]));
        }

        let rows_in_order: Vec<std::ops::Range<usize>> = order
            .iter()
            .map(|&input| {
                let input = input as usize;
                let end = self
                    .rows
                    .get(input + 1)
                    .map_or(self.postings.len(), |r| r.start);
                self.rows[input].start..end
            })
            .collect();
        let shards = shards::build(&shards::Input {
            arena: &self.arena,
            ends: &self.ends,
            df: &self.df,
            postings: &self.postings,
            rows: &rows_in_order,
        })?;

        let rows: Vec<RowEntry> = order
            .iter()
            .map(|&input| {
                let row = &self.rows[input as usize];
                RowEntry {
                    id: row.id,
                    crawl_time: row.crawl_time,
                    page: row.page,
                    language: row.language,
                    length: u32::try_from(row.length).unwrap_or(u32::MAX),
                }
            })
            .collect();
        let mean_length = if rows.is_empty() {
            0.0
        } else {
            rows.iter().map(|r| f64::from(r.length)).sum::<f64>() / rows.len() as f64
        };
        Ok(Index {
            shards,
            rows,
            pages: self.pages.into_iter().map(|p| p.entry).collect(),
            languages: self.languages,
            postings: self.postings.len() as u64,
            mean_length,
            build_time: self.started.elapsed(),
        })
    }
}

pub(crate) fn word_in<'a>(arena: &'a [u8], ends: &[usize], term: u32) -> &'a [u8] {
    let term = term as usize;
    let start = if term == 0 { 0 } else { ends[term - 1] };
    &arena[start..ends[term]]
}

impl Index {
    /// Build an index from crawl rows (e.g. streamed from PostgreSQL or read from a file).
    pub fn build<'a, W, I>(rows: I) -> Result<Index, BuildError>
    where
        W: AsRef<str> + 'a,
        I: IntoIterator<Item = CrawlRow<'a, W>>,
    {
        let mut builder = IndexBuilder::new();
        for row in rows {
            builder.push(row)?;
        }
        builder.finish()
    }
}
