//! Criterion benchmarks of the prognosis ML core: single-prediction latency (target ≤ 1 ms)
//! and model-file loading per algorithm, and training time per algorithm (10-fold
//! cross-validation plus the final fit, as `train` does it; also the gradient-boosting grid).
//! Run with `cargo bench --bench prognosis`.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use hud::apps::prognosis::ml::{Algorithm, Dataset, Model, TrainOptions, train};

fn trained(algorithm: Algorithm, data: &Dataset) -> Model {
    train(algorithm, data, &TrainOptions::default(), &mut |_, _| {})
        .unwrap_or_else(|e| panic!("{algorithm}: {e}"))
        .model
}

fn predict(c: &mut Criterion) {
    let data = Dataset::wdbc();
    let mut group = c.benchmark_group("predict");
    for algorithm in Algorithm::ALL {
        let model = trained(algorithm, &data);
        // A malignant sample, so contributions are non-trivial.
        let row = data.rows[0];
        group.bench_function(algorithm.slug(), |b| {
            b.iter(|| model.predict(black_box(&row)));
        });
    }
    group.finish();

    let mut group = c.benchmark_group("load model file");
    for algorithm in Algorithm::ALL {
        let bytes = trained(algorithm, &data).to_bytes();
        group.bench_function(format!("{algorithm} ({} bytes)", bytes.len()), |b| {
            b.iter(|| Model::from_bytes(black_box(&bytes)));
        });
    }
    group.finish();
}

fn training(c: &mut Criterion) {
    let data = Dataset::wdbc();
    let mut group = c.benchmark_group("train (10-fold CV + final fit)");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(20));
    for algorithm in Algorithm::ALL {
        group.bench_function(algorithm.slug(), |b| {
            b.iter(|| trained(algorithm, black_box(&data)));
        });
    }
    let grid = TrainOptions {
        grid: true,
        ..TrainOptions::default()
    };
    group.bench_function("gradient-boosting grid (27 candidates)", |b| {
        b.iter(|| {
            train(
                Algorithm::GradientBoosting,
                black_box(&data),
                &grid,
                &mut |_, _| {},
            )
        });
    });
    group.finish();
}

criterion_group!(benches, predict, training);
criterion_main!(benches);
