//! HUD's search core against tantivy on the reference corpus: build time, index size and
//! per-query latency of the corpus's 10 AND queries, with both engines' results checked
//! against the corpus contract's digest.
//!
//! The setup, chosen to be fair to tantivy:
//! - one tantivy document per crawl row; its `words` field is the row's words, each repeated
//!   `count` times, split by the `whitespace` tokenizer and indexed with frequencies but no
//!   positions (HUD stores counts, not positions); `crawl_time`, `page` and `row` are fast
//!   fields. The texts are made before the clock starts. tantivy indexes with 2 threads
//!   (HUD's build uses 2) into a directory on disk; its size is the files there after commit.
//! - a query is a `BooleanQuery` of `TermQuery`s that must all match, collected with
//!   `DocSetCollector`; each hit's crawl time and page come from fast-field columns opened once
//!   beforehand, its URL and title from an in-memory page table (as the app would), then the
//!   rows are sorted newest first, ties by page. HUD parses the query text and calls
//!   `Index::matching_rows`, which returns the same rows with URL and title.
//! - latency: the median of 301 runs per query, after a warm-up, one engine after the other.
//!
//! Usage: `search-peers CORPUS_DIR` (see `bench/search-peers.sh`).

use std::{
    collections::HashMap,
    path::Path,
    time::{Duration, Instant},
};

use corpus::DIGEST;
use hud::apps::search::index as hud_search;
use tantivy::{
    DocAddress, Index, IndexWriter, Term,
    collector::DocSetCollector,
    columnar::Column,
    doc,
    query::{BooleanQuery, Occur, Query, TermQuery},
    schema::{FAST, IndexRecordOption, Schema, TextFieldIndexing, TextOptions},
};

#[path = "../../search_reference.rs"]
mod corpus;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const RUNS: usize = 301;

type Hits = Vec<(String, i64, String)>;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    for _ in 0..10 {
        std::hint::black_box(f());
    }
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(f());
                start.elapsed()
            })
            .collect(),
    )
}

fn dir_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .expect("index dir")
        .filter_map(Result::ok)
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

struct Tantivy {
    index: Index,
    words: tantivy::schema::Field,
}

fn tantivy_build(schema: &Schema, texts: &[(i64, i64, i64, String)], dir: &Path) -> Tantivy {
    let words = schema.get_field("words").expect("words");
    let crawl_time = schema.get_field("crawl_time").expect("crawl_time");
    let page = schema.get_field("page").expect("page");
    let row = schema.get_field("row").expect("row");
    let index = Index::create_in_dir(dir, schema.clone()).expect("tantivy index");
    let mut writer: IndexWriter = index
        .writer_with_num_threads(2, 200_000_000)
        .expect("writer");
    for (r, p, t, text) in texts {
        writer
            .add_document(doc!(words => text.as_str(), crawl_time => *t, page => *p, row => *r))
            .expect("add");
    }
    writer.commit().expect("commit");
    writer.wait_merging_threads().expect("merge");
    Tantivy { index, words }
}

fn main() {
    let dir = std::env::args()
        .nth(1)
        .expect("usage: search-peers CORPUS_DIR");
    let dir = Path::new(&dir);
    let (rows, queries) = corpus::load(dir);
    let pages: HashMap<i64, (String, String)> = rows
        .iter()
        .map(|r| (r.page, (r.url.clone(), r.title.clone())))
        .collect();

    // HUD.
    let hud_build = || corpus::build(&rows);
    let hud_build_time = median(
        (0..7)
            .map(|_| {
                let start = Instant::now();
                std::hint::black_box(hud_build());
                start.elapsed()
            })
            .collect(),
    );
    let hud = hud_build();
    let hud_bytes = hud.stats().bytes() as u64;
    let exact = hud_search::Filter {
        typos: false,
        ..hud_search::Filter::default()
    };
    let hud_query = |q: &str| -> Hits {
        let query = hud_search::Query::parse(q).expect("query");
        hud.matching_rows(&query, &exact)
            .into_iter()
            .map(|h| {
                (
                    h.url.to_owned(),
                    h.crawl_time.timestamp(),
                    h.title.to_owned(),
                )
            })
            .collect()
    };
    let hud_results: Vec<Hits> = queries.iter().map(|q| hud_query(q)).collect();
    assert_eq!(
        corpus::digest(&hud_results),
        DIGEST,
        "HUD breaks the corpus contract"
    );

    // tantivy.
    let mut schema = Schema::builder();
    schema.add_text_field(
        "words",
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("whitespace")
                .set_index_option(IndexRecordOption::WithFreqs),
        ),
    );
    schema.add_i64_field("crawl_time", FAST);
    schema.add_i64_field("page", FAST);
    schema.add_i64_field("row", FAST);
    let schema = schema.build();
    let texts: Vec<(i64, i64, i64, String)> = rows
        .iter()
        .map(|r| {
            let mut text = String::new();
            for (word, count) in &r.counts {
                for _ in 0..*count {
                    text.push_str(word);
                    text.push(' ');
                }
            }
            (r.row, r.page, r.crawl_time.timestamp(), text)
        })
        .collect();
    let scratch = std::env::temp_dir().join(format!("search-peers-{}", std::process::id()));
    let mut builds = Vec::new();
    let mut tantivy = None;
    let mut tantivy_bytes = 0;
    for i in 0..5 {
        let path = scratch.join(i.to_string());
        std::fs::create_dir_all(&path).expect("scratch dir");
        let start = Instant::now();
        let built = tantivy_build(&schema, &texts, &path);
        builds.push(start.elapsed());
        tantivy_bytes = dir_bytes(&path);
        tantivy = Some(built);
    }
    let tantivy_build_time = median(builds);
    let tantivy = tantivy.expect("built");
    let reader = tantivy.index.reader().expect("reader");
    let searcher = reader.searcher();
    let columns: Vec<(Column<i64>, Column<i64>)> = searcher
        .segment_readers()
        .iter()
        .map(|s| {
            let fast = s.fast_fields();
            (
                fast.i64("crawl_time").expect("crawl_time"),
                fast.i64("page").expect("page"),
            )
        })
        .collect();
    let tantivy_query = |q: &str| -> Hits {
        let clauses: Vec<(Occur, Box<dyn Query>)> = q
            .split_whitespace()
            .map(|w| {
                let term = Term::from_field_text(tantivy.words, w);
                (
                    Occur::Must,
                    Box::new(TermQuery::new(term, IndexRecordOption::Basic)) as Box<dyn Query>,
                )
            })
            .collect();
        let found = searcher
            .search(&BooleanQuery::new(clauses), &DocSetCollector)
            .expect("search");
        let mut hits: Vec<(i64, i64)> = found
            .into_iter()
            .filter_map(
                |DocAddress {
                     segment_ord,
                     doc_id,
                 }| {
                    let (time, page) = &columns[segment_ord as usize];
                    Some((time.first(doc_id)?, page.first(doc_id)?))
                },
            )
            .collect();
        hits.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        hits.into_iter()
            .map(|(time, page)| {
                let (url, title) = &pages[&page];
                (url.clone(), time, title.clone())
            })
            .collect()
    };
    let tantivy_results: Vec<Hits> = queries.iter().map(|q| tantivy_query(q)).collect();
    assert_eq!(
        corpus::digest(&tantivy_results),
        DIGEST,
        "tantivy breaks the corpus contract"
    );
    let _ = std::fs::remove_dir_all(&scratch);

    // Latency.
    let mut per_query = Vec::new();
    for q in &queries {
        let h = time(RUNS, || hud_query(q));
        let t = time(RUNS, || tantivy_query(q));
        per_query.push((q.clone(), hud_results[per_query.len()].len(), h, t));
    }
    let hud_all = time(RUNS, || {
        queries.iter().map(|q| hud_query(q).len()).sum::<usize>()
    });
    let tantivy_all = time(RUNS, || {
        queries
            .iter()
            .map(|q| tantivy_query(q).len())
            .sum::<usize>()
    });
    let hud_p50 = median(per_query.iter().map(|p| p.2).collect());
    let tantivy_p50 = median(per_query.iter().map(|p| p.3).collect());

    let ratio = |a: f64, b: f64| format!("{:.2}", a / b);
    let us = |d: Duration| format!("{:.1} µs", d.as_secs_f64() * 1e6);
    let ms = |d: Duration| format!("{:.1} ms", d.as_secs_f64() * 1e3);
    println!("both engines' results match the corpus digest {DIGEST}");
    println!();
    println!("| metric | HUD | tantivy | HUD/tantivy |");
    println!("|---|---:|---:|---:|");
    println!(
        "| build (median of 7 / 5) | {} | {} | {} |",
        ms(hud_build_time),
        ms(tantivy_build_time),
        ratio(
            hud_build_time.as_secs_f64(),
            tantivy_build_time.as_secs_f64()
        )
    );
    println!(
        "| index size | {:.2} MB | {:.2} MB | {} |",
        hud_bytes as f64 / 1e6,
        tantivy_bytes as f64 / 1e6,
        ratio(hud_bytes as f64, tantivy_bytes as f64)
    );
    println!(
        "| query latency, median of the 10 queries' medians | {} | {} | {} |",
        us(hud_p50),
        us(tantivy_p50),
        ratio(hud_p50.as_secs_f64(), tantivy_p50.as_secs_f64())
    );
    println!(
        "| the 10 queries in a row | {} | {} | {} |",
        us(hud_all),
        us(tantivy_all),
        ratio(hud_all.as_secs_f64(), tantivy_all.as_secs_f64())
    );
    println!();
    println!("| query | hits | HUD | tantivy | HUD/tantivy |");
    println!("|---|---:|---:|---:|---:|");
    for (q, hits, h, t) in per_query {
        println!(
            "| `{q}` | {hits} | {} | {} | {} |",
            us(h),
            us(t),
            ratio(h.as_secs_f64(), t.as_secs_f64())
        );
    }
}
