//! Operator commands: `hud ml import` (the WDBC samples, idempotent) and
//! `hud ml train --algorithm A|all [--grid]` (cross-validate, fit, store file and metrics) with a
//! progress bar.

use std::path::Path;

use indicatif::{ProgressBar, ProgressStyle};
use sqlx::PgPool;

use super::{
    catalog::MODELS,
    ml::{Algorithm, TrainOptions},
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
