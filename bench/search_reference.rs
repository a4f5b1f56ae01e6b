//! The reference search corpus (`bench/search_corpus.py`) as both search benchmarks read it:
//! its crawl rows, its 10 queries, HUD's index over it, and the digest every correct engine's
//! results hash to. Included with `#[path]` by `bench/search.rs` and
//! `bench/search-peers/src/main.rs`, so the two measure exactly the same input.

use std::{collections::HashMap, path::Path};

use chrono::{DateTime, Utc};
use hud::apps::search::index::{CrawlRow, Index};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// What every correct engine prints for the 10 queries (`shared/bench/README.md`): the SHA-256
/// of the JSON list of each query's `[url, crawl_time, title]` rows, newest first.
pub const DIGEST: &str = "80cc90b45837d87e703aa93a51ae3465e25c5039fe7061ecf83cb8aaf70333dd";

/// One crawl of the corpus, as HUD would load it from PostgreSQL.
pub struct Row {
    pub row: i64,
    pub page: i64,
    pub url: String,
    pub title: String,
    pub crawl_time: DateTime<Utc>,
    pub counts: Vec<(String, u32)>,
}

#[derive(Deserialize)]
struct Line {
    row: i64,
    page: i64,
    url: String,
    title: String,
    crawl_time: i64,
    counts: HashMap<String, u32>,
}

#[derive(Deserialize)]
struct Queries {
    queries: Vec<String>,
}

/// A row's counts as HUD stores and loads them: sorted by word (the crawler's order), each word
/// allocated in that order, as decoding a database array does. (Iterating the JSON's hash map
/// instead scatters the words over the heap and slows any consumer by cache misses.)
fn as_stored(counts: HashMap<String, u32>) -> Vec<(String, u32)> {
    let mut sorted: Vec<(String, u32)> = counts.into_iter().collect();
    sorted.sort_unstable();
    sorted.iter().map(|(word, n)| (word.clone(), *n)).collect()
}

/// The rows of `corpus.jsonl` and the queries of `queries.json` in `dir`.
pub fn load(dir: &Path) -> (Vec<Row>, Vec<String>) {
    let text = std::fs::read_to_string(dir.join("corpus.jsonl")).expect("corpus.jsonl");
    let rows = text
        .lines()
        .map(|line| {
            let line: Line = serde_json::from_str(line).expect("corpus row");
            Row {
                row: line.row,
                page: line.page,
                url: line.url,
                title: line.title,
                crawl_time: DateTime::from_timestamp(line.crawl_time, 0).expect("crawl time"),
                counts: as_stored(line.counts),
            }
        })
        .collect();
    let queries: Queries =
        serde_json::from_str(&std::fs::read_to_string(dir.join("queries.json")).expect("queries"))
            .expect("queries.json");
    (rows, queries.queries)
}

/// HUD's index over the rows.
pub fn build(rows: &[Row]) -> Index {
    Index::build(rows.iter().map(|r| CrawlRow {
        row: r.row,
        page: r.page,
        crawl_time: r.crawl_time,
        language: None,
        url: &r.url,
        title: &r.title,
        counts: &r.counts,
    }))
    .expect("index")
}

/// The hex SHA-256 of the results as JSON (compare with [`DIGEST`]).
pub fn digest(results: &impl Serialize) -> String {
    let json = serde_json::to_string(results).expect("json");
    Sha256::digest(json.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}
