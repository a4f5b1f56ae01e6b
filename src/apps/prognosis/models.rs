//! Model pages: a table comparing every active model (with the algorithms' descriptions) and
//! each model's details — parameters, metrics, confusion matrix, ROC curve and feature
//! importances as SVG, training time and date in the reader's time zone.

use axum::{
    extract::{Path, State},
    response::Response,
};

use super::{
    catalog::{ALGORITHMS, AlgorithmRow, MODELS, MetricsSource, ModelMeta},
    charts::{self, RocLabels},
    input,
    ml::FEATURE_COUNT,
};
use crate::web::{AppError, AppState, Page, Result, page::render};

/// Metrics of a model, formatted for a table.
pub struct MetricsRow {
    /// Accuracy (mean over folds) in percent.
    pub accuracy: String,
    /// Its standard deviation, in percentage points.
    pub accuracy_std: String,
    /// Precision.
    pub precision: String,
    /// Recall.
    pub recall: String,
    /// F1.
    pub f1: String,
    /// ROC AUC.
    pub roc_auc: String,
}

/// A model as the comparison table shows it.
pub struct ModelRow {
    /// Row id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// Translated algorithm name.
    pub algorithm: String,
    /// Formatted metrics, if any.
    pub metrics: Option<MetricsRow>,
    /// Where the metrics come from (translated).
    pub metrics_source: String,
    /// Best accuracy among the listed models.
    pub best: bool,
    /// Training time, formatted.
    pub train_time: String,
    /// Created, in the reader's time zone.
    pub created: String,
    /// Detail page.
    pub path: String,
    /// Still offered.
    pub active: bool,
}

/// An algorithm with its description.
pub struct AlgorithmView {
    /// Slug.
    pub slug: String,
    /// Translated name.
    pub name: String,
    /// The admin's description, else the built-in one.
    pub description: String,
}

fn pct(v: f64) -> String {
    format!("{:.1}", v * 100.0)
}

fn metrics_row(meta: &ModelMeta) -> Option<MetricsRow> {
    let m = meta.metrics.as_ref()?;
    Some(MetricsRow {
        accuracy: pct(m.accuracy_mean),
        accuracy_std: pct(m.accuracy_std),
        precision: format!("{:.3}", m.precision),
        recall: format!("{:.3}", m.recall),
        f1: format!("{:.3}", m.f1),
        roc_auc: format!("{:.3}", m.roc_auc),
    })
}

/// Where the metrics come from; cross-validation says with how many folds (the CLI trains with
/// any number, so "10-fold" beside "each of the 3 folds" would contradict the page).
fn source_label(page: &Page, meta: &ModelMeta) -> String {
    match meta.metrics_source {
        MetricsSource::CrossValidation => {
            let folds = meta.metrics.as_ref().map_or(0, |m| m.folds) as i64;
            page.tn("model-metrics-cv", "folds", &folds)
        }
        MetricsSource::Samples => page.t("model-metrics-samples").to_owned(),
        MetricsSource::None => page.t("model-metrics-none").to_owned(),
    }
}

fn train_time(page: &Page, meta: &ModelMeta) -> String {
    meta.train_seconds.map_or_else(
        || page.t("model-uploaded").to_owned(),
        |s| page.t1("model-seconds", "seconds", &format!("{s:.2}")),
    )
}

fn model_row(page: &Page, meta: &ModelMeta, best: Option<f64>) -> ModelRow {
    ModelRow {
        id: meta.id,
        name: meta.name.clone(),
        algorithm: page.t(&format!("algorithm-{}", meta.algorithm)).to_owned(),
        metrics: metrics_row(meta),
        metrics_source: source_label(page, meta),
        best: best.is_some_and(|b| {
            meta.metrics
                .as_ref()
                .is_some_and(|m| (m.accuracy_mean - b).abs() < 1e-12)
        }),
        train_time: train_time(page, meta),
        created: page.datetime(&meta.created_at).to_string(),
        path: format!("/prognosis/models/{}", meta.id),
        active: meta.active,
    }
}

/// The algorithms with their descriptions in the page's language.
pub fn algorithm_views(page: &Page, rows: &[AlgorithmRow]) -> Vec<AlgorithmView> {
    rows.iter()
        .map(|a| AlgorithmView {
            slug: a.slug.clone(),
            name: page.t(&format!("algorithm-{}", a.slug)).to_owned(),
            description: a.custom_description(page.lang).map_or_else(
                || {
                    page.t(&format!("algorithm-{}-description", a.slug))
                        .to_owned()
                },
                str::to_owned,
            ),
        })
        .collect()
}

#[derive(askama::Template)]
#[template(path = "prognosis/models.html")]
struct ListTemplate {
    page: Page,
    models: Vec<ModelRow>,
    algorithms: Vec<AlgorithmView>,
}

/// `GET /prognosis/models`: every active model side by side.
#[tracing::instrument(skip_all, err)]
pub async fn list(State(state): State<AppState>, page: Page) -> Result<Response> {
    let models: Vec<ModelMeta> = MODELS
        .get(&state.cache, &state.db, ())
        .await?
        .into_iter()
        .filter(|m| m.active)
        .collect();
    let best = models
        .iter()
        .filter_map(|m| m.metrics.as_ref().map(|x| x.accuracy_mean))
        .reduce(f64::max);
    let algorithms = ALGORITHMS.get(&state.cache, &state.db, ()).await?;
    let response = render(&ListTemplate {
        models: models.iter().map(|m| model_row(&page, m, best)).collect(),
        algorithms: algorithm_views(&page, &algorithms),
        page,
    })?;
    Ok(response)
}

#[derive(askama::Template)]
#[template(path = "prognosis/model.html")]
struct DetailTemplate {
    page: Page,
    model: ModelRow,
    algorithm: Option<AlgorithmView>,
    params: Vec<(String, String)>,
    folds: usize,
    fold_accuracies: Vec<String>,
    /// `[[tn, fp], [fn, tp]]`.
    confusion: Option<[[u32; 2]; 2]>,
    roc_svg: Option<String>,
    importance_svg: Option<String>,
    /// How the importances were measured, when not by the model itself.
    importance_note: Option<String>,
    checksum: String,
    file_kib: String,
    prognosis_path: String,
}

/// `GET /prognosis/models/{id}`.
#[tracing::instrument(skip_all, err)]
pub async fn detail(
    State(state): State<AppState>,
    page: Page,
    Path(id): Path<i64>,
) -> Result<Response> {
    let meta = MODELS
        .get(&state.cache, &state.db, ())
        .await?
        .into_iter()
        .find(|m| m.id == id)
        .ok_or(AppError::NotFound)?;
    let algorithms = ALGORITHMS.get(&state.cache, &state.db, ()).await?;
    let algorithm = algorithm_views(&page, &algorithms)
        .into_iter()
        .find(|a| a.slug == meta.algorithm);
    let metrics = meta.metrics.as_ref();
    let roc_svg = metrics.filter(|m| m.roc_curve.len() >= 2).map(|m| {
        charts::roc_curve(
            &m.roc_curve,
            m.roc_auc,
            &RocLabels {
                title: page.t("model-roc"),
                fpr: page.t("model-fpr"),
                tpr: page.t("model-tpr"),
            },
        )
    });
    let importance_svg = metrics
        .and_then(|m| m.feature_importances.as_ref())
        .filter(|v| v.len() == FEATURE_COUNT)
        .map(|values| {
            let items: Vec<(String, f64)> = values
                .iter()
                .enumerate()
                .map(|(i, v)| (input::feature_name(&page, i), *v))
                .collect();
            charts::importance_bars(&items, page.t("model-importances"), 15)
        });
    // k-NN and SVC have no importances of their own: theirs are by permutation.
    let importance_note = (importance_svg.is_some()
        && matches!(meta.algorithm.as_str(), "knn" | "svc"))
    .then(|| page.t("model-importances-permutation").to_owned());
    let response = render(&DetailTemplate {
        importance_note,
        params: meta.param_pairs(),
        folds: metrics.map_or(0, |m| m.folds),
        fold_accuracies: metrics
            .map(|m| m.fold_accuracies.iter().map(|a| pct(*a)).collect())
            .unwrap_or_default(),
        confusion: metrics.map(|m| m.confusion),
        roc_svg,
        importance_svg,
        checksum: meta.checksum.clone(),
        file_kib: format!("{:.1}", f64::from(meta.file_bytes) / 1024.0),
        prognosis_path: format!("/prognosis?model={}", meta.id),
        model: model_row(&page, &meta, None),
        algorithm,
        page,
    })?;
    Ok(response)
}
