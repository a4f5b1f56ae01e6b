//! The search engine's pure core: an immutable in-memory index over crawl rows and a query
//! language over it. No database, no web code: the app loads rows, builds an [`Index`],
//! shares it behind an `Arc` (swapping in a rebuilt one atomically: the index is immutable and
//! `Send + Sync`), and renders the results.
//!
//! # API
//!
//! - Build: [`Index::build`] from an iterator of [`CrawlRow`]s, or push them one by one into an
//!   [`IndexBuilder`] as they stream in. Words are stored exactly as given (the crawler's
//!   folded words); a page's newest crawl gives its URL and title. Fails only with a
//!   [`BuildError`] (duplicate crawl id, tables overflowing).
//! - Query: [`Query::parse`] (or [`Query::parse_with_stopwords`]) turns user text into a
//!   [`Query`] or a [`QueryError`], whose [`key`](QueryError::key) names the fluent message.
//! - Search: [`Index::search`] gives [`SearchResults`]: the total number of matching pages and
//!   the requested slice of [`Hit`]s (one per page: its latest matching crawl in the window,
//!   with the [`Match`]ed words and counts for highlighting), ordered by [`Order::Newest`] or
//!   [`Order::Relevance`], plus a "did you mean" [`Suggestion`]. [`SearchOptions`] holds the
//!   [`Filter`] (date window `from` inclusive / `to` exclusive, language, typo tolerance) and
//!   offset / limit. [`Index::matching_rows`] lists every matching crawl newest first.
//! - Size: [`Index::stats`] ([`IndexStats`]: words, postings, bytes, build time).
//!
//! ```ignore
//! let index = Index::build(rows.iter().map(|r| CrawlRow {
//!     row: r.id, page: r.page_id, crawl_time: r.crawled_at, language: r.language.as_deref(),
//!     url: &r.url, title: &r.title, counts: &r.counts, // &[(String, u32)] or &[(&str, u32)]
//! }))?;
//! let query = Query::parse("solar (wind OR power) -nuclear")?;
//! let results = index.search(&query, &SearchOptions { order: Order::Relevance, ..Default::default() });
//! ```
//!
//! The query language is documented in [`parse`], typo tolerance and prefixes in [`expand`],
//! `fuzzy` and `walk`, relevance in [`rank`], the storage layout in `store`, `postings`,
//! `shards` and `words`.

mod ast;
mod build;
mod error;
mod eval;
pub mod expand;
mod fuzzy;
mod lex;
pub mod parse;
mod postings;
pub mod rank;
mod result;
mod search;
mod shards;
mod stats;
mod store;
mod tokens;
mod walk;
mod words;

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
