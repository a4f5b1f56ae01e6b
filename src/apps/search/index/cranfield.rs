//! Ranking quality on the Cranfield collection (`tests/data/cranfield/`, see its README).
//!
//! Each of the 1,400 documents becomes a page with one crawl whose counts are what the crawler
//! would store for its title + abstract: `text::words::count` with the English stopwords
//! (`text::language::stopwords("en")`). All crawls share one time, so the recency factor
//! is the same for every row and the order is plain BM25 (k1 = 1.2, b = 0.75).
//!
//! Queries are natural language. Each becomes an OR of its distinct words, cut by the same
//! tokenizer with English stopwords dropped (the crawler did not store them either); the tree
//! is built directly rather than as `a OR b OR …` text because some queries would exceed the
//! 512-character limit that way. Typo tolerance stays on, as in the app: a query word absent
//! from all documents matches its close spellings with half weight.
//!
//! Judgements: codes 1–4 count as relevant (Cleverdon's scale: complete answer … minimum
//! interest), -1 as not relevant; the query id is the query's ordinal position in `cran.qry`.
//! MAP@100 is the mean over the 225 queries of the average precision of the first 100 results
//! (divided by the number of relevant documents, at most 100); P@10 is the mean precision of
//! the first 10. The bar is the plain BM25 reference of the collection's README (MAP@100 =
//! 0.267, P@10 = 0.226; lowercased alphanumeric tokens without stemming or stopwords).

use std::collections::{HashMap, HashSet};

use chrono::DateTime;

use super::{CrawlRow, Index, Node, Order, Query, SearchOptions, Word, tokens::for_each_word};
use crate::text::{language::stopwords, words};

/// `(id, fields)` of each `.I` record; fields are (letter, text).
fn records(text: &str) -> Vec<(i64, Vec<(char, String)>)> {
    let mut out: Vec<(i64, Vec<(char, String)>)> = Vec::new();
    for line in text.lines() {
        let line = line.trim_end_matches('\r');
        if let Some(id) = line.strip_prefix(".I ") {
            out.push((id.trim().parse().expect("record id"), Vec::new()));
        } else if let Some(field) = line.strip_prefix('.').and_then(|f| f.chars().next())
            && line.len() == 2
        {
            if let Some((_, fields)) = out.last_mut() {
                fields.push((field, String::new()));
            }
        } else if let Some((_, fields)) = out.last_mut()
            && let Some((_, body)) = fields.last_mut()
        {
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

fn field(fields: &[(char, String)], letter: char) -> &str {
    fields
        .iter()
        .find(|(l, _)| *l == letter)
        .map_or("", |(_, body)| body.as_str())
}

#[test]
fn cranfield_map_and_precision_reach_the_bm25_reference() {
    let read = |name: &str| {
        // Read when the test runs (not `env!`, which bakes in the checkout that first built it).
        let root = std::env::var("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR");
        std::fs::read_to_string(format!("{root}/tests/data/cranfield/{name}"))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let english = stopwords("en");

    let documents = records(&read("cran.all.1400"));
    assert_eq!(documents.len(), 1400);
    let counts: Vec<(i64, Vec<(String, u32)>)> = documents
        .iter()
        .map(|(id, fields)| {
            let text = format!("{}\n{}", field(fields, 'T'), field(fields, 'W'));
            let counts = words::count(&text, &english)
                .into_iter()
                .map(|(w, n)| (w, n as u32))
                .collect();
            (*id, counts)
        })
        .collect();
    let time = DateTime::from_timestamp(1_000_000_000, 0).expect("time");
    let urls: Vec<String> = counts.iter().map(|(id, _)| format!("cran:{id}")).collect();
    let index = Index::build(
        counts
            .iter()
            .zip(&urls)
            .map(|((id, counts), url)| CrawlRow {
                row: *id,
                page: *id,
                crawl_time: time,
                language: Some("en"),
                url,
                title: "",
                counts,
            }),
    )
    .expect("index");

    let queries = records(&read("cran.qry"));
    assert_eq!(queries.len(), 225);
    let mut relevant: HashMap<usize, HashSet<i64>> = HashMap::new();
    for line in read("cranqrel").lines() {
        let parts: Vec<i64> = line
            .split_whitespace()
            .map(|p| p.parse().expect("judgement"))
            .collect();
        if let [query, document, code] = parts[..]
            && (1..=4).contains(&code)
        {
            relevant.entry(query as usize).or_default().insert(document);
        }
    }

    let options = SearchOptions {
        order: Order::Relevance,
        limit: 100,
        ..SearchOptions::default()
    };
    let (mut map, mut p10) = (0.0, 0.0);
    for (ordinal, (_, fields)) in queries.iter().enumerate() {
        let mut seen = HashSet::new();
        let mut alternatives = Vec::new();
        for_each_word(field(fields, 'W'), |w| {
            if !english.contains(w) && seen.insert(w.to_owned()) {
                alternatives.push(Node::Word(Word {
                    text: w.to_owned(),
                    prefix: false,
                }));
            }
        });
        let query = Query {
            root: Node::Or(alternatives),
        };
        let results = index.search(&query, &options);
        let ranked: Vec<i64> = results.hits.iter().map(|h| h.page).collect();
        let judged = relevant
            .get(&(ordinal + 1))
            .expect("every query has judgements");
        let (mut hits, mut precision_sum) = (0usize, 0.0);
        for (k, document) in ranked.iter().enumerate() {
            if judged.contains(document) {
                hits += 1;
                precision_sum += hits as f64 / (k + 1) as f64;
            }
        }
        map += precision_sum / judged.len().min(100) as f64;
        p10 += ranked
            .iter()
            .take(10)
            .filter(|d| judged.contains(d))
            .count() as f64
            / 10.0;
    }
    let (map, p10) = (map / 225.0, p10 / 225.0);
    println!("Cranfield, 225 queries: MAP@100 = {map:.4}, P@10 = {p10:.4}");
    assert!(
        map >= 0.267,
        "MAP@100 {map:.4} below the BM25 reference 0.267"
    );
    assert!(p10 >= 0.226, "P@10 {p10:.4} below the BM25 reference 0.226");
}
