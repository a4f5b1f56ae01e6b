//! Training: stratified k-fold cross-validation for the metrics, then the final model on all
//! the data.
//!
//! Everything random derives from [`TrainOptions::seed`] — the folds, each fold's model and the
//! final model — and every learner runs single-threaded, so the same seed gives identical
//! metrics and an identical model file. Scalers are fitted inside each learner, i.e. on the
//! training folds only; the held-out fold never leaks into its own preprocessing.

use std::time::Instant;

use serde_json::json;

use super::algorithm::Algorithm;
use super::data::Dataset;
use super::folds::{self, FoldError};
use super::grid;
use super::learners::{Fitted, Params};
use super::metrics::Metrics;
use super::model::Model;
use super::platt::Platt;

/// How to train.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainOptions {
    /// Seed of every random choice.
    pub seed: u64,
    /// Grid-search gradient boosting's hyperparameters (see [`super::grid`]); the other
    /// algorithms use their defaults either way.
    pub grid: bool,
    /// Number of cross-validation folds.
    pub folds: usize,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            seed: 42,
            grid: false,
            folds: 10,
        }
    }
}

/// A trained model with its cross-validated quality.
#[derive(Debug)]
pub struct Trained {
    /// The final model, fitted on all the data.
    pub model: Model,
    /// Cross-validated metrics of the chosen hyperparameters.
    pub metrics: Metrics,
    /// What was trained: algorithm, seed, folds, hyperparameters and, for a grid search, every
    /// candidate's scores.
    pub params: serde_json::Value,
    /// Wall-clock seconds of the whole run (grid search, cross-validation, final fit).
    pub train_seconds: f64,
}

/// Why training failed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrainError {
    #[error("the data set is malformed: {0}")]
    Data(String),
    #[error(transparent)]
    Folds(#[from] FoldError),
    #[error("bad hyperparameters for {algorithm}: {message}")]
    Hyperparameters {
        algorithm: Algorithm,
        message: String,
    },
    #[error("{algorithm} failed to fit: {message}")]
    Fit {
        algorithm: Algorithm,
        message: String,
    },
    #[error("the model could not be encoded: {0}")]
    Encode(String),
}

/// Train `algorithm` on `data`. `progress(done, total)` is called after each fitted model
/// (every fold of every candidate, then the final fit).
pub fn train(
    algorithm: Algorithm,
    data: &Dataset,
    options: &TrainOptions,
    progress: &mut dyn FnMut(usize, usize),
) -> Result<Trained, TrainError> {
    let started = Instant::now();
    check(data)?;
    let labels = data.positives();
    let fold = folds::stratified(&labels, options.folds, options.seed)?;

    let candidates = if options.grid && algorithm == Algorithm::GradientBoosting {
        grid::candidates()
    } else {
        vec![Params::default_for(algorithm)]
    };
    let total = candidates.len() * options.folds + 1;
    let mut done = 0;
    let mut step = || {
        done += 1;
        progress(done, total);
    };

    let mut results = Vec::with_capacity(candidates.len());
    for params in &candidates {
        let cv = cross_validate(algorithm, params, data, &labels, &fold, options, &mut step)?;
        results.push(cv);
    }
    let best = grid::best(&results);
    let chosen = &results[best];

    let mut fitted = fit(algorithm, &chosen.params, &data.rows, &labels, options.seed)?;
    if let (Fitted::Svc(svc), Some(platt)) = (&mut fitted, chosen.platt) {
        svc.set_platt(platt);
    }
    step();

    // Every model gets importances: its own, else by permutation on the samples.
    let importances = fitted.importances().unwrap_or_else(|| {
        super::importance::permutation(&fitted, &data.rows, &labels, options.seed)
    });
    let metrics = Metrics::from_out_of_fold(
        &labels,
        &chosen.probabilities,
        &fold,
        options.folds,
        Some(importances),
    );
    let mut params = json!({
        "algorithm": algorithm.slug(),
        "seed": options.seed,
        "folds": options.folds,
        "hyperparameters": chosen.params,
    });
    if let Some(platt) = chosen.platt {
        params["platt"] = json!({ "a": platt.a, "b": platt.b });
    }
    if candidates.len() > 1 {
        params["grid_search"] = grid::report(&results, best);
    } else if options.grid {
        params["grid_search"] = json!("not applicable: only gradient boosting has a grid");
    }
    let model = Model::new(fitted).map_err(|e| TrainError::Encode(e.to_string()))?;
    Ok(Trained {
        model,
        metrics,
        params,
        train_seconds: started.elapsed().as_secs_f64(),
    })
}

/// Cross-validation alone, without the final fit: what `hud ml cv` reports, so HUD's accuracy
/// can be compared with another library's on the same folds (`bench/ml-parity.sh`).
#[derive(Debug)]
pub struct CrossValidation {
    /// The hyperparameters used: the algorithm's defaults with the overrides applied.
    pub hyperparameters: serde_json::Value,
    /// The fold of each sample ([`stratified_folds`] of the labels, folds and seed).
    pub fold: Vec<usize>,
    /// The cross-validated metrics (no feature importances: there is no final model).
    pub metrics: Metrics,
}

/// Cross-validate `algorithm` exactly as [`train`] does for one candidate — same folds, same
/// per-fold seeds, same Platt step for the SVC — with its default hyperparameters, or those
/// named in `overrides` (a JSON object such as `{"k": 5}`) replaced.
pub fn cross_validation(
    algorithm: Algorithm,
    overrides: Option<&serde_json::Value>,
    data: &Dataset,
    options: &TrainOptions,
) -> Result<CrossValidation, TrainError> {
    check(data)?;
    let params = match overrides {
        Some(overrides) => Params::with_overrides(algorithm, overrides)
            .map_err(|message| TrainError::Hyperparameters { algorithm, message })?,
        None => Params::default_for(algorithm),
    };
    let labels = data.positives();
    let fold = folds::stratified(&labels, options.folds, options.seed)?;
    let cv = cross_validate(
        algorithm,
        &params,
        data,
        &labels,
        &fold,
        options,
        &mut || {},
    )?;
    let metrics = Metrics::from_out_of_fold(&labels, &cv.probabilities, &fold, options.folds, None);
    Ok(CrossValidation {
        hyperparameters: json!(params),
        fold,
        metrics,
    })
}

/// The stratified fold (`0..folds`) of each sample of `data`, by diagnosis: the assignment
/// [`train`] and [`cross_validation`] use for the same folds and seed.
pub fn stratified_folds(data: &Dataset, folds: usize, seed: u64) -> Result<Vec<usize>, TrainError> {
    check(data)?;
    Ok(folds::stratified(&data.positives(), folds, seed)?)
}

fn check(data: &Dataset) -> Result<(), TrainError> {
    if data.rows.len() != data.labels.len() {
        return Err(TrainError::Data(format!(
            "{} rows but {} labels",
            data.rows.len(),
            data.labels.len()
        )));
    }
    Ok(())
}

/// One candidate's cross-validation.
pub(crate) struct CvResult {
    pub params: Params,
    /// Out-of-fold probability of each sample.
    pub probabilities: Vec<f64>,
    /// The Platt curve fitted on the out-of-fold decision values (SVC only).
    pub platt: Option<Platt>,
    pub accuracy_mean: f64,
    pub roc_auc: f64,
}

fn cross_validate(
    algorithm: Algorithm,
    params: &Params,
    data: &Dataset,
    labels: &[bool],
    fold: &[usize],
    options: &TrainOptions,
    step: &mut dyn FnMut(),
) -> Result<CvResult, TrainError> {
    let mut raw = vec![0.0; data.len()];
    for f in 0..options.folds {
        let (train, test): (Vec<usize>, Vec<usize>) = (0..data.len()).partition(|&i| fold[i] != f);
        let subset = data.subset(&train);
        let train_labels: Vec<bool> = train.iter().map(|&i| labels[i]).collect();
        let seed = fold_seed(options.seed, f);
        let model = fit(algorithm, params, &subset.rows, &train_labels, seed)?;
        for i in test {
            raw[i] = model.raw_output(&data.rows[i]);
        }
        step();
    }
    // The SVC pooled decision values; its probabilities come from a Platt curve fitted on them
    // (two parameters on all the held-out values: a negligible optimism, see `platt.rs`).
    let (probabilities, platt) = if algorithm == Algorithm::Svc {
        let platt = Platt::fit(&raw, labels);
        (
            raw.iter().map(|&d| platt.probability(d)).collect(),
            Some(platt),
        )
    } else {
        (raw, None)
    };
    let metrics = Metrics::from_out_of_fold(labels, &probabilities, fold, options.folds, None);
    Ok(CvResult {
        params: *params,
        probabilities,
        platt,
        accuracy_mean: metrics.accuracy_mean,
        roc_auc: metrics.roc_auc,
    })
}

fn fit(
    algorithm: Algorithm,
    params: &Params,
    rows: &[super::data::Row],
    labels: &[bool],
    seed: u64,
) -> Result<Fitted, TrainError> {
    Fitted::fit(params, rows, labels, seed)
        .map_err(|message| TrainError::Fit { algorithm, message })
}

/// A distinct, reproducible seed for fold `f`'s model (the final model uses the seed itself).
fn fold_seed(seed: u64, f: usize) -> u64 {
    folds::SplitMix64::new(seed ^ (f as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15)).next_u64()
}
