//! Criterion benchmarks of the word-cloud pipeline on real pages (the UDHR in eleven languages,
//! `demo/udhr/`): visible-text extraction, tokenising and counting (plain, and passage by
//! passage as the crawler counts; target ≥ 50 MB/s per core),
//! and laying out a 200-word cloud (target ≤ 30 ms). `make bench` runs them.

use std::{collections::HashSet, hint::black_box};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hud::{
    apps::wordcloud::{cloud, extract::extract},
    text::{passages, words},
};

const PAGES: [&str; 11] = [
    include_str!("../demo/udhr/eng.html"),
    include_str!("../demo/udhr/nld.html"),
    include_str!("../demo/udhr/swe.html"),
    include_str!("../demo/udhr/nob.html"),
    include_str!("../demo/udhr/nno.html"),
    include_str!("../demo/udhr/fra.html"),
    include_str!("../demo/udhr/dan.html"),
    include_str!("../demo/udhr/fin.html"),
    include_str!("../demo/udhr/ita.html"),
    include_str!("../demo/udhr/pol.html"),
    include_str!("../demo/udhr/spa.html"),
];

fn pipeline(c: &mut Criterion) {
    let html_bytes: usize = PAGES.iter().map(|p| p.len()).sum();
    let mut group = c.benchmark_group("wordcloud");
    group.throughput(Throughput::Bytes(html_bytes as u64));
    group.bench_function("extract visible text (11 UDHR pages)", |b| {
        b.iter(|| {
            PAGES
                .iter()
                .map(|p| extract(black_box(p)).text.len())
                .sum::<usize>()
        });
    });
    let text: String = PAGES
        .iter()
        .map(|p| extract(p).text)
        .collect::<Vec<_>>()
        .join("\n");
    group.throughput(Throughput::Bytes(text.len() as u64));
    let no_stopwords = HashSet::new();
    group.bench_function("tokenise and count (extracted text)", |b| {
        b.iter(|| words::count(black_box(&text), &no_stopwords).len());
    });
    // As the crawler counts: passage by passage, each judged by its own stopwords.
    group.bench_function("count by passages (extracted text)", |b| {
        b.iter(|| passages::count(black_box(&text), Some("en")).len());
    });
    // 200 real words with their real counts.
    let mut counts: Vec<(String, i64)> = words::count(&text, &no_stopwords)
        .into_iter()
        .map(|(w, n)| (w, i64::from(n)))
        .collect();
    counts.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    counts.truncate(200);
    let options = cloud::Options {
        max_words: 200,
        ..cloud::Options::default()
    };
    group.throughput(Throughput::Elements(200));
    group.bench_function("lay out 200 words (800 × 480)", |b| {
        b.iter(|| cloud::layout(black_box(&counts), &options).words.len());
    });
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
