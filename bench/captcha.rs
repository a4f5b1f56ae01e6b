//! Criterion benchmark of captcha generation at the default size (240×80): drawing alone, PNG
//! encoding alone, and the whole `generate` (text, drawing, encoding). Target: ≤ 10 ms per
//! image. `make bench` runs it; `bench/captcha_ocr.sh` measures the OCR read rate.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use hud::apps::captcha::generate::{self, Size};
use rand::{SeedableRng, rngs::StdRng};

const SIZE: Size = Size {
    width: 240,
    height: 80,
};

fn captcha(c: &mut Criterion) {
    let mut group = c.benchmark_group("captcha 240x80");
    let mut rng = StdRng::seed_from_u64(42);
    group.bench_function("draw", |b| {
        b.iter(|| generate::render(black_box("aB3kQ7x"), SIZE, &mut rng))
    });
    let image = generate::render("aB3kQ7x", SIZE, &mut rng);
    group.bench_function("encode PNG", |b| {
        b.iter(|| generate::png(black_box(&image)))
    });
    group.bench_function("generate (text + draw + PNG)", |b| {
        b.iter(|| generate::generate(SIZE, &mut rng))
    });
    group.finish();
}

criterion_group!(benches, captcha);
criterion_main!(benches);
