//! Whole-pipeline tests: accuracy targets by 10-fold CV, reproducibility, model files.

use std::sync::OnceLock;
use std::time::Instant;

use super::*;

/// The seed of every test training.
const SEED: u64 = 42;

/// One training per algorithm with the default options, shared by the tests that only read it.
pub(super) fn trained(algorithm: Algorithm) -> &'static Trained {
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
fn models_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Model>();
    shareable::<Trained>();
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

#[test]
fn same_seed_gives_identical_metrics_and_model_bytes() {
    let data = Dataset::wdbc();
    let options = TrainOptions {
        seed: SEED,
        ..TrainOptions::default()
    };
    for algorithm in Algorithm::ALL {
        let first = trained(algorithm);
        let again = train(algorithm, &data, &options, &mut |_, _| {}).expect("train");
        assert_eq!(again.metrics, first.metrics, "{algorithm}");
        assert_eq!(again.params, first.params, "{algorithm}");
        assert_eq!(
            again.model.to_bytes(),
            first.model.to_bytes(),
            "{algorithm}"
        );
        assert_eq!(
            again.model.checksum_hex(),
            first.model.checksum_hex(),
            "{algorithm}"
        );
    }
}

#[test]
fn another_seed_gives_other_folds() {
    let options = TrainOptions {
        seed: SEED + 1,
        ..TrainOptions::default()
    };
    let other = train(Algorithm::Knn, &Dataset::wdbc(), &options, &mut |_, _| {}).expect("train");
    assert_ne!(
        other.metrics.fold_accuracies,
        trained(Algorithm::Knn).metrics.fold_accuracies
    );
}

#[test]
fn saved_and_loaded_models_predict_identically_for_every_sample() {
    let data = Dataset::wdbc();
    for algorithm in Algorithm::ALL {
        let model = &trained(algorithm).model;
        let bytes = model.to_bytes();
        let loaded = Model::from_bytes(&bytes).unwrap_or_else(|e| panic!("{algorithm}: {e}"));
        assert_eq!(loaded.algorithm(), algorithm);
        assert_eq!(
            loaded.to_bytes(),
            bytes,
            "{algorithm}: bytes differ after a round trip"
        );
        for (i, row) in data.rows.iter().enumerate() {
            assert_eq!(
                loaded.predict(row),
                model.predict(row),
                "{algorithm}, sample {i}"
            );
        }
    }
}

#[test]
fn predictions_are_consistent_probabilities_with_top_contributions() {
    let data = Dataset::wdbc();
    for algorithm in Algorithm::ALL {
        let model = &trained(algorithm).model;
        let mut hits = 0;
        for (row, &label) in data.rows.iter().zip(&data.labels) {
            let p = model.predict(row);
            assert!(
                (0.0..=1.0).contains(&p.probability_malignant),
                "{algorithm}: {p:?}"
            );
            assert_eq!(p.diagnosis.is_malignant(), p.probability_malignant >= 0.5);
            hits += usize::from(p.diagnosis == label);
            match (algorithm, &p.contributions) {
                (Algorithm::Svc | Algorithm::Knn, None) => {}
                (_, Some(c)) => {
                    assert_eq!(c.len(), TOP_CONTRIBUTIONS, "{algorithm}");
                    assert!(c.windows(2).all(|w| w[0].1.abs() >= w[1].1.abs()));
                    assert!(c.iter().all(|&(j, v)| j < FEATURE_COUNT && v.is_finite()));
                }
                (_, None) => panic!("{algorithm}: no contributions"),
            }
        }
        // Resubstitution accuracy: a sanity check that labels are not flipped.
        assert!(
            hits as f64 / data.len() as f64 > 0.95,
            "{algorithm}: {hits}"
        );
    }
}

#[test]
fn metrics_are_complete() {
    for algorithm in Algorithm::ALL {
        let m = &trained(algorithm).metrics;
        let total: u32 = m.confusion.iter().flatten().sum();
        assert_eq!(total, 569, "{algorithm}");
        assert_eq!(
            m.confusion[1][0] + m.confusion[1][1],
            212,
            "{algorithm}: malignant row"
        );
        assert_eq!(m.fold_accuracies.len(), 10);
        assert!(
            m.roc_auc > 0.98 && m.roc_auc <= 1.0,
            "{algorithm}: {}",
            m.roc_auc
        );
        assert!(
            m.precision > 0.9 && m.recall > 0.9 && m.f1 > 0.9,
            "{algorithm}: {m:?}"
        );
        assert!(m.roc_curve.len() >= 3 && m.roc_curve.len() <= ROC_POINTS);
        assert_eq!(m.roc_curve.first(), Some(&RocPoint { fpr: 0.0, tpr: 0.0 }));
        assert_eq!(m.roc_curve.last(), Some(&RocPoint { fpr: 1.0, tpr: 1.0 }));
        // Every algorithm has importances (k-NN and SVC by permutation).
        let imp = m
            .feature_importances
            .as_ref()
            .unwrap_or_else(|| panic!("{algorithm}: no importances"));
        assert_eq!(imp.len(), FEATURE_COUNT);
        assert!(imp.iter().all(|&v| v >= 0.0));
        assert!((imp.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{algorithm}");
        let json = serde_json::to_value(m).expect("metrics serialise");
        assert!(json["roc_curve"][0]["fpr"].is_number());
    }
}

#[test]
fn progress_counts_every_fit() {
    let mut calls = Vec::new();
    // A grid is asked for but only gradient boosting has one: one candidate, noted.
    let options = TrainOptions {
        seed: SEED,
        folds: 5,
        grid: true,
    };
    let t = train(
        Algorithm::LogisticRegression,
        &Dataset::wdbc(),
        &options,
        &mut |d, n| calls.push((d, n)),
    )
    .expect("train");
    assert_eq!(calls, (1..=6).map(|d| (d, 6)).collect::<Vec<_>>());
    assert!(t.params["grid_search"].is_string());
}

#[test]
fn training_refuses_bad_options_and_data() {
    let data = Dataset::wdbc();
    let one_fold = TrainOptions {
        folds: 1,
        ..TrainOptions::default()
    };
    assert!(matches!(
        train(Algorithm::Knn, &data, &one_fold, &mut |_, _| {}),
        Err(TrainError::Folds(FoldError::TooFewFolds(1)))
    ));
    let mut broken = data.clone();
    broken.labels.pop();
    assert!(matches!(
        train(
            Algorithm::Knn,
            &broken,
            &TrainOptions::default(),
            &mut |_, _| {}
        ),
        Err(TrainError::Data(_))
    ));
}

/// The full 27-candidate grid with 10 folds (≈270 boosted fits) takes a few seconds even in a
/// debug build, since forust-ml itself is optimised there.
#[test]
fn gradient_boosting_grid_search_picks_the_best_candidate() {
    let options = TrainOptions {
        seed: SEED,
        grid: true,
        folds: 10,
    };
    let mut last = (0, 0);
    let t = train(
        Algorithm::GradientBoosting,
        &Dataset::wdbc(),
        &options,
        &mut |d, n| last = (d, n),
    )
    .expect("train");
    assert_eq!(last, (27 * 10 + 1, 27 * 10 + 1));
    let grid = &t.params["grid_search"];
    let candidates = grid["candidates"].as_array().expect("candidates");
    assert_eq!(candidates.len(), 27);
    let score = |c: &serde_json::Value| {
        (
            c["accuracy_mean"].as_f64().unwrap_or(0.0),
            c["roc_auc"].as_f64().unwrap_or(0.0),
        )
    };
    let chosen = grid["chosen"].as_u64().expect("chosen") as usize;
    assert!(
        candidates
            .iter()
            .all(|c| score(c) <= score(&candidates[chosen]))
    );
    assert_eq!(
        t.params["hyperparameters"],
        candidates[chosen]["hyperparameters"]
    );
    assert_eq!(t.metrics.accuracy_mean, score(&candidates[chosen]).0);
    assert!(t.metrics.accuracy_mean >= trained(Algorithm::GradientBoosting).metrics.accuracy_mean);
    eprintln!(
        "grid: chose {} with accuracy {:.4}, AUC {:.4}",
        t.params["hyperparameters"], t.metrics.accuracy_mean, t.metrics.roc_auc
    );
}

/// `hud ml cv` (and with it `bench/ml-parity.sh`) reports what training measured: the same folds
/// and the same per-fold accuracies, and the overrides it is given.
#[test]
fn cross_validation_alone_matches_training_and_applies_overrides() {
    let data = Dataset::wdbc();
    let options = TrainOptions {
        seed: SEED,
        ..TrainOptions::default()
    };
    let cv = cross_validation(Algorithm::Knn, None, &data, &options).expect("cv");
    let t = trained(Algorithm::Knn);
    assert_eq!(cv.metrics.fold_accuracies, t.metrics.fold_accuracies);
    assert_eq!(cv.hyperparameters, t.params["hyperparameters"]);
    assert_eq!(stratified_folds(&data, 10, SEED).expect("folds"), cv.fold);

    let k5 = serde_json::json!({"k": 5});
    let cv5 = cross_validation(Algorithm::Knn, Some(&k5), &data, &options).expect("cv");
    assert_eq!(cv5.hyperparameters, k5);
    for bad in [
        serde_json::json!({"neighbours": 5}),
        serde_json::json!({"k": 0}),
        serde_json::json!({"k": "five"}),
        serde_json::json!([5]),
    ] {
        assert!(
            matches!(
                cross_validation(Algorithm::Knn, Some(&bad), &data, &options),
                Err(TrainError::Hyperparameters { .. })
            ),
            "{bad}"
        );
    }
}
