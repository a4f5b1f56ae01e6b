//! Building an [`Index`] from crawl rows, in one pass over them plus a sort.
//!
//! Pushing a row records its page, language and length here and interns its words
//! ([`words`](super::words): (word number, count) postings, no allocation per word or
//! posting). `finish` sorts the rows newest first and hands the rest to
//! [`shards`](super::shards), which builds the term dictionary shards in parallel.
//! [`Index::build`], which has all rows up front, also interns on two threads.

use std::{collections::HashMap, time::Instant};

use chrono::{DateTime, Utc};
use hashbrown::DefaultHashBuilder;

use super::{
    error::BuildError,
    shards,
    store::{Index, PageEntry, RowEntry},
    words::Words,
};

/// One crawl of a page with its word counts, as the index takes it.
///
/// `counts` holds the words exactly as the crawler stored them (folded by
/// `text::words`); a word listed twice has its counts added, a zero count is skipped.
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
    /// The vocabulary: one part when rows are pushed, two when [`Index::build`] splits it.
    words: Vec<Words>,
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
            words: vec![Words::new(DefaultHashBuilder::default(), None)],
            rows: Vec::new(),
            page_numbers: HashMap::new(),
            pages: Vec::new(),
            languages: Vec::new(),
        }
    }

    /// Add one crawl row.
    pub fn push<W: AsRef<str>>(&mut self, row: CrawlRow<'_, W>) -> Result<(), BuildError> {
        self.record(&row)?;
        for words in &mut self.words {
            words.add_row(row.counts)?;
        }
        Ok(())
    }

    /// Everything about a row but its words.
    fn record<W: AsRef<str>>(&mut self, row: &CrawlRow<'_, W>) -> Result<(), BuildError> {
        if self.rows.len() >= u32::MAX as usize {
            return Err(BuildError::TooLarge("rows"));
        }
        let page = self.page(row)?;
        let language = match row.language {
            Some(code) => self.language(code)?,
            None => 0,
        };
        let length = row
            .counts
            .iter()
            .filter(|(word, _)| !word.as_ref().is_empty())
            .map(|(_, count)| u64::from(*count))
            .sum();
        self.rows.push(PendingRow {
            id: row.row,
            page,
            crawl_time: row.crawl_time,
            language,
            length,
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

        let shards = shards::build(&self.words, &order)?;

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
            postings: self.words.iter().map(|w| w.postings() as u64).sum(),
            mean_length,
            build_time: self.started.elapsed(),
        })
    }
}

impl Index {
    /// Build an index from crawl rows (e.g. read from a file, or a batch of database rows).
    /// Holding all rows, it interns the two halves of the vocabulary on two threads; to build
    /// while rows stream in, push them into an [`IndexBuilder`] instead.
    pub fn build<'a, W, I>(rows: I) -> Result<Index, BuildError>
    where
        W: AsRef<str> + Sync + 'a,
        I: IntoIterator<Item = CrawlRow<'a, W>>,
    {
        let mut builder = IndexBuilder::new();
        let rows: Vec<CrawlRow<'a, W>> = rows.into_iter().collect();
        for row in &rows {
            builder.record(row)?;
        }
        let intern = |mut words: Words| -> Result<Words, BuildError> {
            for row in &rows {
                words.add_row(row.counts)?;
            }
            Ok(words)
        };
        let hasher = DefaultHashBuilder::default();
        let part = |p| Words::new(hasher.clone(), Some(p));
        builder.words = std::thread::scope(|scope| {
            let other = std::thread::Builder::new()
                .name("search-index-words".into())
                .spawn_scoped(scope, || intern(part(1)));
            let first = intern(part(0))?;
            let second = match other {
                Ok(handle) => match handle.join() {
                    Ok(words) => words?,
                    Err(panic) => std::panic::resume_unwind(panic),
                },
                // No thread to be had: intern the other half here.
                Err(_) => intern(part(1))?,
            };
            Ok::<_, BuildError>(vec![first, second])
        })?;
        builder.finish()
    }
}
