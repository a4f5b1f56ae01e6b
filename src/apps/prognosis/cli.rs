//! Operator commands: `hud ml import` (the WDBC samples, idempotent) and
//! `hud ml train --algorithm A|all [--grid]` (cross-validate, fit, store file and metrics) with a
//! progress bar; `hud ml folds` and `hud ml cv` print the folds and the cross-validated accuracy
//! on the bundled samples without a database, so `bench/ml-parity.sh` can run scikit-learn on
//! exactly the same folds.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressStyle};
use sqlx::PgPool;

use super::{
    catalog::MODELS,
    ml::{self, Algorithm, Dataset, FEATURES, TrainOptions},
    samples, service,
};
use crate::cache::Cache;

/// `hud ml import`.
pub async fn import(db: &PgPool, cache: &Cache) -> anyhow::Result<()> {
    let added = samples::import_wdbc(db, cache).await?;
    println!("imported {added} WDBC samples (the others were stored already)");
    Ok(())
}

/// Which algorithms `--algorithm` names (`all` or one slug).
pub fn algorithms(name: &str) -> anyhow::Result<Vec<Algorithm>> {
    if name == "all" {
        return Ok(Algorithm::ALL.to_vec());
    }
    let algorithm = name.parse::<Algorithm>().map_err(|_| {
        let known: Vec<&str> = Algorithm::ALL.iter().map(|a| a.slug()).collect();
        anyhow::anyhow!(
            "unknown algorithm {name:?}; use one of {} or all",
            known.join(", ")
        )
    })?;
    Ok(vec![algorithm])
}

/// `hud ml train`.
pub async fn train(
    db: &PgPool,
    cache: &Cache,
    data_dir: &Path,
    algorithms: &[Algorithm],
    options: TrainOptions,
    name: Option<String>,
) -> anyhow::Result<()> {
    for &algorithm in algorithms {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template(&format!(
                "{:<20} {{bar:40}} {{pos}}/{{len}} fits, {{elapsed}}",
                algorithm.slug()
            ))
            .expect("valid template"),
        );
        let shown = bar.clone();
        let (id, trained) = service::train_and_store(
            db,
            cache,
            data_dir,
            algorithm,
            options.clone(),
            // A name given for several algorithms gets the algorithm appended.
            name.as_ref().map(|n| {
                if algorithms.len() > 1 {
                    format!("{n} {}", algorithm.slug())
                } else {
                    n.clone()
                }
            }),
            move |done, total| {
                shown.set_length(total as u64);
                shown.set_position(done as u64);
            },
        )
        .await?;
        bar.finish();
        let m = &trained.metrics;
        println!(
            "model {id}: {} — {}-fold CV accuracy {:.3} ± {:.3}, precision {:.3}, recall {:.3}, \
             F1 {:.3}, ROC AUC {:.3} ({:.1} s)",
            algorithm.slug(),
            m.folds,
            m.accuracy_mean,
            m.accuracy_std,
            m.precision,
            m.recall,
            m.f1,
            m.roc_auc,
            trained.train_seconds
        );
    }
    Ok(())
}

/// For `hud demo` and `make run`: on an empty database, import the samples and train one model
/// of each algorithm (no grid search, so it takes seconds).
pub async fn demo(db: &PgPool, cache: &Cache, data_dir: &Path) -> anyhow::Result<()> {
    import(db, cache).await?;
    if MODELS.get(cache, db, ()).await?.is_empty() {
        train(
            db,
            cache,
            data_dir,
            &Algorithm::ALL,
            TrainOptions::default(),
            None,
        )
        .await?;
    }
    Ok(())
}

/// `hud ml folds`: one CSV line per bundled WDBC sample — its index, stratified fold, diagnosis
/// and 30 features (shortest exact decimal form) — under a header naming the columns.
pub fn folds(folds: usize, seed: u64) -> anyhow::Result<()> {
    let data = Dataset::wdbc();
    let fold = ml::stratified_folds(&data, folds, seed)?;
    let mut out = String::from("sample,fold,diagnosis");
    for feature in &FEATURES {
        write!(out, ",{}", feature.name)?;
    }
    out.push('\n');
    for (i, (row, label)) in data.rows.iter().zip(&data.labels).enumerate() {
        write!(out, "{i},{},{}", fold[i], label.slug())?;
        for value in row {
            write!(out, ",{value}")?;
        }
        out.push('\n');
    }
    // A closed pipe (`| head`) is an error, not a panic (`print!` would panic).
    std::io::stdout().lock().write_all(out.as_bytes())?;
    Ok(())
}

/// `hud ml cv`: cross-validate each algorithm on the bundled WDBC samples as `train` would
/// (same folds, seeds and defaults, or the given hyperparameter overrides for one algorithm) and
/// print a JSON array with each one's per-fold accuracies, mean and population SD.
pub fn cv(
    algorithms: &[Algorithm],
    folds: usize,
    seed: u64,
    hyperparameters: Option<&str>,
) -> anyhow::Result<()> {
    let overrides = hyperparameters
        .map(serde_json::from_str::<serde_json::Value>)
        .transpose()
        .map_err(|e| anyhow::anyhow!("--hyperparameters is not JSON: {e}"))?;
    if overrides.is_some() && algorithms.len() > 1 {
        anyhow::bail!("--hyperparameters needs one algorithm, not all");
    }
    let data = Dataset::wdbc();
    let options = TrainOptions {
        seed,
        folds,
        ..TrainOptions::default()
    };
    let mut results = Vec::with_capacity(algorithms.len());
    for &algorithm in algorithms {
        let started = Instant::now();
        let cv = ml::cross_validation(algorithm, overrides.as_ref(), &data, &options)?;
        let m = &cv.metrics;
        results.push(serde_json::json!({
            "algorithm": algorithm.slug(),
            "seed": seed,
            "folds": folds,
            "hyperparameters": cv.hyperparameters,
            "fold_accuracies": m.fold_accuracies,
            "accuracy_mean": m.accuracy_mean,
            "accuracy_std": m.accuracy_std,
            "roc_auc": m.roc_auc,
            "seconds": started.elapsed().as_secs_f64(),
        }));
    }
    let json = serde_json::to_string_pretty(&results)?;
    writeln!(std::io::stdout().lock(), "{json}")?;
    Ok(())
}
