//! Whole-pipeline tests: accuracy targets by 10-fold CV, reproducibility, model files.

use std::sync::OnceLock;
use std::time::Instant;

use super::*;

/// The seed of every test training.
const SEED: u64 = 42;

/// One training per algorithm with the default options, shared by the tests that only read it.
fn trained(algorithm: Algorithm) -> &'static Trained {
    static CACHE: [OnceLock<Trained>; 5] = [const { OnceLock::new() }; 5];
    let slot = Algorithm::ALL
        .iter()
        .position(|&a| a == algorithm)
        .unwrap_or(0);
    CACHE[slot].get_or_init(|| {
        let started = Instant::now();
        let options = TrainOptions {
            seed: SEED,
            ..TrainOptions::default()
        };
        let t = train(algorithm, &Dataset::wdbc(), &options, &mut |_, _| {})
            .unwrap_or_else(|e| panic!("{algorithm}: {e}"));
        eprintln!(
            "{algorithm}: accuracy {:.4} ± {:.4}, AUC {:.4}, trained in {:.2?}",
            t.metrics.accuracy_mean,
            t.metrics.accuracy_std,
            t.metrics.roc_auc,
            started.elapsed()
        );
        t
    })
}

fn assert_accuracy(algorithm: Algorithm, target: f64) {
    let m = &trained(algorithm).metrics;
    assert_eq!(m.folds, 10);
    assert!(
        m.accuracy_mean >= target,
        "{algorithm}: 10-fold CV accuracy {:.4} < {target}",
        m.accuracy_mean
    );
}

#[test]
fn random_forest_reaches_95_percent() {
    assert_accuracy(Algorithm::RandomForest, 0.95);
}

#[test]
fn svc_reaches_97_percent() {
    assert_accuracy(Algorithm::Svc, 0.97);
}

#[test]
fn knn_reaches_96_percent() {
    assert_accuracy(Algorithm::Knn, 0.96);
}

#[test]
fn gradient_boosting_reaches_95_percent() {
    assert_accuracy(Algorithm::GradientBoosting, 0.95);
}

#[test]
fn logistic_regression_reaches_97_percent() {
    assert_accuracy(Algorithm::LogisticRegression, 0.97);
}
