//! Criterion micro-benchmarks of the model-cache layer's hot pure parts: key building (short
//! keys and long ones that get hashed), value encoding (postcard + LZ4 above the threshold)
//! and chunking of values larger than memcached's item limit. `make bench` runs them.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hud::cache::{
    CacheKey,
    codec::{self, Item, Manifest},
};

const PREFIX: &str = "hud1.2.0:";
const CHUNK: usize = 1000 * 1000;

fn keys(c: &mut Criterion) {
    let mut group = c.benchmark_group("key");
    group.bench_function("short (page:id=10)", |b| {
        b.iter(|| {
            CacheKey::new("page")
                .field("id", black_box(10))
                .full(PREFIX)
        });
    });
    let spaced = "a search query with spaces, ünïcödé and \u{1} controls";
    group.bench_function("escaped (spaces, Unicode)", |b| {
        b.iter(|| {
            CacheKey::new("search")
                .field("q", black_box(spaced))
                .field("page", 2)
                .full(PREFIX)
        });
    });
    let long = "x".repeat(10_000);
    group.bench_function("10 kB value (hashed)", |b| {
        b.iter(|| {
            CacheKey::new("search")
                .field("q", black_box(&long))
                .full(PREFIX)
        });
    });
    group.finish();
}

/// Word-count-like rows: compressible, like real cached values.
fn rows(n: usize) -> Vec<(String, u32)> {
    (0..n)
        .map(|i| (format!("word{}", i % 997), i as u32))
        .collect()
}

fn values(c: &mut Criterion) {
    let mut group = c.benchmark_group("value");
    for n in [10, 10_000] {
        let payload = codec::to_payload(&rows(n)).unwrap();
        let item = Item::new(1, payload);
        let encoded = codec::encode(&item, 1024);
        group.throughput(Throughput::Bytes(item.payload.len() as u64));
        group.bench_function(format!("encode {n} rows"), |b| {
            b.iter(|| codec::encode(black_box(&item), 1024));
        });
        group.bench_function(format!("decode {n} rows"), |b| {
            b.iter(|| codec::decode(black_box(&encoded)));
        });
    }
    group.finish();
}

fn chunks(c: &mut Criterion) {
    let mut group = c.benchmark_group("chunks");
    // 5 MB of incompressible bytes: five chunks.
    let big: Vec<u8> = (0..5_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8)
        .collect();
    let parts: Vec<Option<Vec<u8>>> = big.chunks(CHUNK).map(|c| Some(c.to_vec())).collect();
    let manifest = Manifest::for_item(&big, CHUNK, 7);
    group.throughput(Throughput::Bytes(big.len() as u64));
    group.bench_function("split 5 MB", |b| {
        b.iter(|| {
            let manifest = Manifest::for_item(black_box(&big), CHUNK, 7);
            let pieces: Vec<&[u8]> = big.chunks(CHUNK).collect();
            (manifest.encode(), pieces.len())
        });
    });
    group.bench_function("reassemble 5 MB", |b| {
        b.iter(|| manifest.reassemble(black_box(&parts)));
    });
    group.finish();
}

criterion_group!(benches, keys, values, chunks);
criterion_main!(benches);
