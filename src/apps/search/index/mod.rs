//! The search engine's pure core: an immutable in-memory index over crawl rows and a query
//! language over it. No database, no web code: the app loads rows, builds an [`Index`],
//! shares it behind an `Arc` (swapping in a rebuilt one atomically), and renders the results.
//!
//! # Building
//!
//! ```ignore
//! let index = Index::build(rows.iter().map(|r| CrawlRow {
//!     row: r.id, page: r.page_id, crawl_time: r.crawled_at, language: r.language.as_deref(),
//!     url: &r.url, title: &r.title, counts: &r.counts, // &[(String, u32)] or &[(&str, u32)]
//! }))?;
//! ```
//!
//! or push rows one by one into an [`IndexBuilder`] as they stream in. Words are stored
//! exactly as given (the crawler's folded words); [`Index::stats`] reports sizes and build time.
//!
//! # Searching
//!
//! ```ignore
//! let query = Query::parse("solar (wind OR power) -nuclear")?; // Err: QueryError, see key()
//! let results = index.search(&query, &SearchOptions { order: Order::Relevance, ..Default::default() });
//! // results.total, results.hits (one per page: url, title, crawl time, score, matched words),
//! // results.suggestion ("did you mean", when a word was corrected)
//! let rows = index.matching_rows(&query, &Filter::default()); // every matching crawl
//! ```
//!
//! The query language is documented in [`parse`], typo tolerance and prefixes in [`expand`],
//! relevance in [`rank`], the storage layout in `store` and `postings`.

mod ast;
mod build;
mod error;
mod eval;
pub mod expand;
mod fuzzy;
pub mod parse;
mod postings;
pub mod rank;
mod result;
mod search;
mod shards;
mod stats;
mod store;
mod tokens;

#[cfg(test)]
mod cranfield;
#[cfg(test)]
mod tests;

pub use ast::{Node, Query, Word};
pub use build::{CrawlRow, IndexBuilder};
pub use error::{BuildError, QueryError};
pub use expand::{MAX_EXPANSION, MAX_SCAN};
pub use parse::{MAX_DEPTH, MAX_QUERY_CHARS};
pub use result::{Filter, Hit, Match, Order, RowHit, SearchOptions, SearchResults, Suggestion};
pub use stats::IndexStats;
pub use store::Index;
