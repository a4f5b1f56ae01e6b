//! What a search takes and gives back: options, hits, suggestions. Plain data, no HTML; the
//! web layer highlights with [`Hit::matched`] and translates nothing here (there is no text).

use std::sync::Arc;

use chrono::{DateTime, Utc};

/// Which rows may match.
#[derive(Clone, Copy, Debug)]
pub struct Filter<'a> {
    /// Crawls at or after this time (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Crawls before this time (exclusive), so consecutive windows never share a crawl.
    pub to: Option<DateTime<Utc>>,
    /// Only crawls detected as this language (ISO 639-1); crawls of unknown language never
    /// match a language filter.
    pub language: Option<&'a str>,
    /// Let a word missing from the index match its typo variants (see `expand`); on by default.
    pub typos: bool,
}

impl Default for Filter<'_> {
    fn default() -> Self {
        Filter {
            from: None,
            to: None,
            language: None,
            typos: true,
        }
    }
}

/// Result order.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Order {
    /// Latest crawl first; ties by page id ascending.
    #[default]
    Newest,
    /// BM25 with a mild recency bonus (see `rank`); ties by latest crawl, then page id.
    Relevance,
}

/// A search request.
#[derive(Clone, Copy, Debug)]
pub struct SearchOptions<'a> {
    /// Which rows may match.
    pub filter: Filter<'a>,
    /// Result order.
    pub order: Order,
    /// Hits to skip (pagination).
    pub offset: usize,
    /// Hits to return at most.
    pub limit: usize,
}

impl Default for SearchOptions<'_> {
    fn default() -> Self {
        SearchOptions {
            filter: Filter::default(),
            order: Order::Newest,
            offset: 0,
            limit: 20,
        }
    }
}

/// One page of results, and how many there are in all.
#[derive(Clone, Debug)]
pub struct SearchResults<'i> {
    /// Matching pages (each counted once) in the filter's window.
    pub total: usize,
    /// The requested slice of them, in the requested order.
    pub hits: Vec<Hit<'i>>,
    /// Set when a query word was not in the index and was matched by its typo variants.
    pub suggestion: Option<Suggestion>,
    /// A prefix or typo expansion matched more words than were kept (`MAX_EXPANSION`).
    pub truncated: bool,
}

/// A matching page, represented by its latest matching crawl inside the window.
#[derive(Clone, Debug)]
pub struct Hit<'i> {
    /// The page's id.
    pub page: i64,
    /// The page's URL.
    pub url: &'i str,
    /// The page's title.
    pub title: &'i str,
    /// The crawl's id.
    pub row: i64,
    /// When that crawl happened.
    pub crawl_time: DateTime<Utc>,
    /// The crawl's language, if detected.
    pub language: Option<&'i str>,
    /// Relevance score (BM25 × recency), also computed for `Order::Newest`.
    pub score: f64,
    /// The stored words that matched non-negated query words, with their counts in this crawl.
    pub matched: Vec<Match>,
}

/// A stored word found in a hit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Match {
    /// The word as stored (what to highlight).
    pub word: Arc<str>,
    /// Its count in the crawl.
    pub count: u32,
    /// Typos between the query word and this word (0: exact or prefix match).
    pub typos: u8,
}

/// "Did you mean": the query with each misspelt word replaced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Suggestion {
    /// The corrected query, in canonical query syntax (parse it to search it).
    pub query: String,
    /// (query word, stored word it was corrected to), in query order.
    pub corrections: Vec<(String, Arc<str>)>,
}

/// A matching crawl row (the row-level result: every matching crawl, not one per page).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowHit<'i> {
    /// The crawl's id.
    pub row: i64,
    /// The page's id.
    pub page: i64,
    /// The page's URL.
    pub url: &'i str,
    /// The page's title.
    pub title: &'i str,
    /// When the crawl happened.
    pub crawl_time: DateTime<Utc>,
}
