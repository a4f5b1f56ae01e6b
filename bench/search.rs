//! Criterion benchmarks of the search core on the reference corpus (`bench/search_corpus.py`:
//! 160 crawl rows of 79 pages, 173,693 distinct words, 923,371 postings, 10 queries).
//! Targets (release, 2 cores): build ≤ 150 ms, index ≤ 4 MB, 2-word AND p50 ≤ 2 µs, typo search
//! at edit distance 2 p50 ≤ 200 µs.
//!
//! Before measuring it checks the corpus contract: the 10 queries' matching rows, as
//! `[url, crawl_time, title]` newest first (ties by page id), must hash to the reference digest.
//! The corpus is generated into `target/search-corpus` on first use (`python3`), or read from
//! `$HUD_SEARCH_CORPUS`. Last, for reference, fst's own Levenshtein automaton at distance 2
//! (what the typo automaton replaced). Run with `cargo bench --bench search`.

use std::{
    hint::black_box,
    path::PathBuf,
    time::{Duration, Instant},
};

use criterion::{Criterion, criterion_group, criterion_main};
use fst::{IntoStreamer, Streamer};
use hud::apps::search::index::{Filter, Index, Order, Query, SearchOptions};

#[path = "search_reference.rs"]
mod corpus;
use corpus::Row;

// The app runs with mimalloc (src/main.rs); measure with the same allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn corpus_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("HUD_SEARCH_CORPUS") {
        return dir.into();
    }
    // Read at run time: `env!` would bake in whichever checkout first built the bench.
    let root = PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"),
    );
    let dir = root.join("target/search-corpus");
    if !dir.join("corpus.jsonl").exists() {
        let status = std::process::Command::new("python3")
            .arg(root.join("bench/search_corpus.py"))
            .arg("--out")
            .arg(&dir)
            .status()
            .expect("python3 runs bench/search_corpus.py");
        assert!(status.success(), "bench/search_corpus.py failed");
    }
    dir
}

/// The corpus contract: every row holding all query words, `[url, crawl_time, title]`.
fn check_contract(index: &Index, queries: &[String]) {
    let exact = Filter {
        typos: false,
        ..Filter::default()
    };
    let results: Vec<Vec<(&str, i64, &str)>> = queries
        .iter()
        .map(|q| {
            let query = Query::parse(q).expect("corpus query parses");
            index
                .matching_rows(&query, &exact)
                .into_iter()
                .map(|hit| (hit.url, hit.crawl_time.timestamp(), hit.title))
                .collect()
        })
        .collect();
    let digest = corpus::digest(&results);
    let counts: Vec<usize> = results.iter().map(Vec::len).collect();
    assert_eq!(
        digest,
        corpus::DIGEST,
        "corpus contract broken; hits per query {counts:?}"
    );
    println!("contract: the 10 queries' rows match the reference digest ({counts:?} hits)");
}

/// `word` with its character at `at` replaced by another letter.
fn substitute(word: &str, at: usize) -> String {
    word.chars()
        .enumerate()
        .map(|(i, c)| match (i == at, c) {
            (true, 'q') => 'x',
            (true, _) => 'q',
            (false, c) => c,
        })
        .collect()
}

/// A misspelling of `word` by `typos` substitutions that never touch its first letter (and
/// keep its length, hence its typo budget).
fn misspell(word: &str, typos: usize) -> String {
    let once = substitute(word, 3);
    if typos == 1 {
        return once;
    }
    substitute(&once, 5)
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Per-word latency of typo search at distance 2 over many words (criterion measures one).
fn typo_distribution(index: &Index, rows: &[Row]) {
    let mut words: Vec<&str> = rows
        .iter()
        .step_by(8)
        .flat_map(|r| r.counts.iter().map(|(w, _)| w.as_str()))
        .filter(|w| w.chars().count() >= 9 && w.chars().count() <= 12)
        .collect();
    words.sort_unstable();
    words.dedup();
    let step = (words.len() / 40).max(1);
    let mut per_word: Vec<Duration> = words
        .iter()
        .step_by(step)
        .map(|w| {
            let query = Query::parse(&misspell(w, 2)).expect("query");
            let options = SearchOptions::default();
            median(
                (0..101)
                    .map(|_| {
                        let start = Instant::now();
                        black_box(index.search(&query, &options));
                        start.elapsed()
                    })
                    .collect(),
            )
        })
        .collect();
    per_word.sort();
    let at = |q: f64| per_word[((per_word.len() - 1) as f64 * q) as usize];
    println!(
        "typo search at distance 2 over {} misspelt words (9–12 letters): p50 {:?}, p90 {:?}, max {:?}",
        per_word.len(),
        at(0.5),
        at(0.9),
        at(1.0)
    );
}

fn search(c: &mut Criterion) {
    let (rows, queries) = corpus::load(&corpus_dir());
    let index = corpus::build(&rows);
    check_contract(&index, &queries);
    let stats = index.stats();
    println!(
        "index: {} words, {} postings, {} rows, {} pages; {} bytes (dictionary {}, postings {}, tables {})",
        stats.words,
        stats.postings,
        stats.rows,
        stats.pages,
        stats.bytes(),
        stats.dictionary_bytes,
        stats.postings_bytes,
        stats.table_bytes
    );
    // `cargo test` runs benches once each in criterion's test mode: skip the long survey there.
    if std::env::args().any(|arg| arg == "--bench") {
        typo_distribution(&index, &rows);
    }

    let mut group = c.benchmark_group("search build");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("build (160 rows, 923,371 postings)", |b| {
        b.iter(|| corpus::build(black_box(&rows)));
    });
    group.finish();

    let words: Vec<&str> = queries.iter().flat_map(|q| q.split(' ')).collect();
    let two = &queries[0];
    let three = &queries[1];
    let first = two.split(' ').collect::<Vec<_>>();
    let d1 = words
        .iter()
        .find(|w| (5..=8).contains(&w.chars().count()))
        .expect("a 5–8 letter query word");
    let d2 = words
        .iter()
        .find(|w| w.chars().count() >= 9)
        .expect("a 9+ letter query word");
    let prefix: String = first[0].chars().take(4).collect();
    let cases = [
        ("1 word", first[0].to_owned()),
        ("2-word AND", two.clone()),
        ("3-word AND", three.clone()),
        ("OR", format!("{} OR {}", first[0], first[1])),
        ("NOT", format!("{} -{}", first[0], first[1])),
        ("prefix", format!("{prefix}*")),
        ("typo, distance 1", misspell(d1, 1)),
        ("typo, distance 2", misspell(d2, 2)),
    ];
    let newest = SearchOptions::default();
    for (name, text) in &cases[6..] {
        let query = Query::parse(text).expect("query");
        let suggestion = index.search(&query, &newest).suggestion;
        let expected = if *name == "typo, distance 1" { d1 } else { d2 };
        assert_eq!(
            suggestion.map(|s| s.query).as_deref(),
            Some(*expected),
            "{name}: {text}"
        );
    }
    let mut group = c.benchmark_group("search query");
    for (name, text) in &cases {
        let query = Query::parse(text).expect("query");
        group.bench_function(format!("{name} ({text})"), |b| {
            b.iter(|| index.search(black_box(&query), &newest));
        });
    }
    let relevance = SearchOptions {
        order: Order::Relevance,
        ..SearchOptions::default()
    };
    let query = Query::parse(two).expect("query");
    group.bench_function(format!("2-word AND, relevance order ({two})"), |b| {
        b.iter(|| index.search(black_box(&query), &relevance));
    });
    group.bench_function(format!("parse a 3-word query ({three})"), |b| {
        b.iter(|| Query::parse(black_box(three)));
    });
    group.bench_function("10 queries: parse + all matching rows", |b| {
        b.iter(|| {
            queries
                .iter()
                .map(|q| {
                    let query = Query::parse(black_box(q)).expect("query");
                    index.matching_rows(&query, &Filter::default()).len()
                })
                .sum::<usize>()
        });
    });
    group.finish();

    // The reference the typo automaton replaced (src/apps/search/index/fuzzy.rs): fst's own
    // Levenshtein automaton at distance 2 over the same words, without the first-letter rule.
    let mut all: Vec<&str> = rows
        .iter()
        .flat_map(|r| r.counts.iter().map(|(w, _)| w.as_str()))
        .collect();
    all.sort_unstable();
    all.dedup();
    let dictionary = fst::Set::from_iter(all).expect("fst set");
    let misspelt = misspell(d2, 2);
    let mut group = c.benchmark_group("search reference");
    group.sample_size(20);
    group.bench_function(
        format!("fst::automaton::Levenshtein, distance 2: construct ({misspelt})"),
        |b| b.iter(|| fst::automaton::Levenshtein::new(black_box(&misspelt), 2).is_ok()),
    );
    let automaton = fst::automaton::Levenshtein::new(&misspelt, 2).expect("automaton");
    group.bench_function(
        format!("fst::automaton::Levenshtein, distance 2: search the dictionary ({misspelt})"),
        |b| {
            b.iter(|| {
                let mut stream = dictionary.search(&automaton).into_stream();
                let mut found = 0;
                while stream.next().is_some() {
                    found += 1;
                }
                found
            });
        },
    );
    group.finish();
}

criterion_group!(benches, search);
criterion_main!(benches);
