//! Criterion benchmark of captcha generation at the default size (240×80): drawing alone, PNG
//! encoding alone, and the whole `generate` (layout, drawing, encoding). Target: ≤ 10 ms per
//! image. Also the per-issue variant every served image is (decode, shift and warp, new
//! shades and noise, encode), which each image fetch pays. `make bench` runs it; `bench/captcha_ocr.sh` measures the OCR read rate.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use hud::apps::captcha::{
    generate::{self, Size},
    vary,
};
use rand::{SeedableRng, rngs::StdRng};

const SIZE: Size = Size {
    width: 240,
    height: 80,
};

fn captcha(c: &mut Criterion) {
    let mut group = c.benchmark_group("captcha 240x80");
    let mut rng = StdRng::seed_from_u64(42);
    let layout = generate::random_layout(&mut rng);
    group.bench_function("draw", |b| {
        b.iter(|| generate::render(black_box(&layout), SIZE, generate::Style::Captcha, &mut rng));
    });
    let image = generate::render(&layout, SIZE, generate::Style::Captcha, &mut rng);
    group.bench_function("encode PNG", |b| {
        b.iter(|| generate::png(black_box(&image)));
    });
    group.bench_function("generate (layout + draw + PNG)", |b| {
        b.iter(|| generate::generate(SIZE, &mut rng));
    });
    let stored = generate::png(&image);
    let mut seed = 0u64;
    group.bench_function("per-issue variant (decode + vary + PNG)", |b| {
        b.iter(|| {
            seed += 1;
            vary::vary_png(black_box(&stored), seed)
        });
    });
    group.finish();
}

criterion_group!(benches, captcha);
criterion_main!(benches);
