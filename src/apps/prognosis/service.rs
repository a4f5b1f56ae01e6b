//! What pages, the API and the command line do with models: find a usable model, predict and
//! record the prognosis, train and store a model, accept an uploaded model file.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sqlx::PgPool;

use super::{
    catalog::{self, MODELS, MetricsSource, ModelMeta, NewModel},
    files::{self, LoadError},
    ml::{self, Algorithm, Model, ModelFileError, Prediction, Row, TrainOptions},
    registry::Registry,
    samples,
};
use crate::{
    cache::Cache,
    web::{AppState, Message},
};

/// Why a prognosis could not be made.
#[derive(Debug, thiserror::Error)]
pub enum PredictError {
    /// No active model with that id.
    #[error("no such model")]
    NoModel,
    /// The model's file is missing, damaged or replaced.
    #[error(transparent)]
    Unusable(#[from] LoadError),
    /// The database failed.
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// The active models, newest first (also drops retired models from this process's registry).
pub async fn active_models(state: &AppState) -> sqlx::Result<Vec<ModelMeta>> {
    let models = MODELS.get(&state.cache, &state.db, ()).await?;
    state.local::<Registry>().retain(&models);
    Ok(models.into_iter().filter(|m| m.active).collect())
}

/// An active model with its decoded form.
pub async fn usable_model(
    state: &AppState,
    id: i64,
) -> Result<(ModelMeta, Arc<Model>), PredictError> {
    let meta = active_models(state)
        .await?
        .into_iter()
        .find(|m| m.id == id)
        .ok_or(PredictError::NoModel)?;
    match state
        .local::<Registry>()
        .get(&state.config.data_dir, &meta)
        .await
    {
        Ok(model) => Ok((meta, model)),
        Err(error) => {
            tracing::error!(model = meta.id, %error, "a stored model cannot be used");
            Err(error.into())
        }
    }
}

/// A prognosis made.
pub struct Outcome {
    /// The model used.
    pub model: ModelMeta,
    /// What it said.
    pub prediction: Prediction,
}

/// Predict `row` with model `model_id`; recorded in the user's history when there is a user.
pub async fn predict(
    state: &AppState,
    user: Option<i64>,
    model_id: i64,
    sample_id: Option<i64>,
    row: &Row,
) -> Result<Outcome, PredictError> {
    let (meta, model) = usable_model(state, model_id).await?;
    // ≤ 0.2 ms for every algorithm (bench/prognosis.rs): cheaper than a trip to a thread pool.
    let prediction = model.predict(row);
    if let Some(user) = user {
        sqlx::query!(
            "INSERT INTO ml_prognoses (user_id, model_id, sample_id, features, diagnosis, probability)
             VALUES ($1, $2, $3, $4, $5, $6)",
            user,
            meta.id,
            sample_id,
            row.as_slice(),
            prediction.diagnosis.slug(),
            prediction.probability_malignant
        )
        .execute(&state.db)
        .await?;
    }
    Ok(Outcome {
        model: meta,
        prediction,
    })
}

/// A past prognosis.
pub struct HistoryRow {
    /// Row id.
    pub id: i64,
    /// When.
    pub created_at: DateTime<Utc>,
    /// The model.
    pub model_id: i64,
    /// Its name.
    pub model_name: String,
    /// The sample, when one was chosen (and still exists).
    pub sample_id: Option<i64>,
    /// Its name.
    pub sample_name: Option<String>,
    /// The result.
    pub diagnosis: String,
    /// Probability of malignancy.
    pub probability: f64,
}

/// A user's prognoses, newest first. Personal and written on every prognosis, so read directly
/// rather than cached.
pub async fn history(
    db: &PgPool,
    user: i64,
    limit: i64,
    offset: i64,
) -> sqlx::Result<(Vec<HistoryRow>, i64)> {
    let total = sqlx::query_scalar!(
        r#"SELECT count(*) AS "n!" FROM ml_prognoses WHERE user_id = $1"#,
        user
    )
    .fetch_one(db)
    .await?;
    let rows = sqlx::query_as!(
        HistoryRow,
        r#"SELECT p.id, p.created_at AS "created_at: DateTime<Utc>", p.model_id,
                  m.name AS model_name, p.sample_id, s.name AS "sample_name?",
                  p.diagnosis, p.probability
           FROM ml_prognoses p
           JOIN ml_models m ON m.id = p.model_id
           LEFT JOIN ml_samples s ON s.id = p.sample_id
           WHERE p.user_id = $1
           ORDER BY p.created_at DESC, p.id DESC LIMIT $2 OFFSET $3"#,
        user,
        limit,
        offset
    )
    .fetch_all(db)
    .await?;
    Ok((rows, total))
}

/// The default name of a model trained or uploaded now.
pub fn default_name(algorithm: Algorithm, at: DateTime<Utc>) -> String {
    format!("{} {}", algorithm.slug(), at.format("%Y-%m-%d %H:%M:%S"))
}

/// Train `algorithm` on the stored labelled samples and store the model. `progress(done, total)`
/// follows the cross-validation.
pub async fn train_and_store(
    db: &PgPool,
    cache: &Cache,
    data_dir: &std::path::Path,
    algorithm: Algorithm,
    options: TrainOptions,
    name: Option<String>,
    progress: impl FnMut(usize, usize) + Send + 'static,
) -> anyhow::Result<(i64, ml::Trained)> {
    let data = samples::labelled(db).await?;
    anyhow::ensure!(
        data.len() >= options.folds * 2,
        "only {} labelled samples are stored; run `hud ml import` first",
        data.len()
    );
    let trained = tokio::task::spawn_blocking(move || {
        let mut progress = progress;
        ml::train(algorithm, &data, &options, &mut progress)
    })
    .await??;
    let name = name.unwrap_or_else(|| default_name(algorithm, Utc::now()));
    anyhow::ensure!(
        !catalog::name_taken(db, &name).await?,
        "a model named {name:?} exists already"
    );
    let (path, checksum, bytes) = files::write(data_dir, &trained.model)?;
    let id = catalog::insert(
        db,
        cache,
        NewModel {
            algorithm,
            name: &name,
            params: &trained.params,
            metrics: Some(&trained.metrics),
            metrics_source: MetricsSource::CrossValidation,
            file_path: &path,
            checksum: &checksum,
            file_bytes: bytes,
            train_seconds: Some(trained.train_seconds),
            source: "trained",
            created_by: None,
        },
    )
    .await?
    .ok_or_else(|| anyhow::anyhow!("a model named {name:?} exists already"))?;
    Ok((id, trained))
}

/// The translated reason a model file was refused.
pub fn file_error_message(error: &ModelFileError) -> Message {
    match error {
        ModelFileError::BadMagic => Message::new("model-file-not-hud"),
        ModelFileError::UnsupportedVersion(v) => {
            Message::new("model-file-version").arg("version", i64::from(*v))
        }
        ModelFileError::Truncated | ModelFileError::TrailingBytes(_) => {
            Message::new("model-file-truncated")
        }
        ModelFileError::BadChecksum => Message::new("model-file-checksum"),
        ModelFileError::UnknownAlgorithm(slug) => {
            Message::new("model-file-algorithm").arg("algorithm", slug.clone())
        }
        ModelFileError::WrongFeatureCount(n) => Message::new("model-file-features")
            .arg("count", i64::from(*n))
            .arg("expected", ml::FEATURE_COUNT as i64),
        ModelFileError::UndecodablePayload(_) | ModelFileError::InvalidModel => {
            Message::new("model-file-invalid")
        }
    }
}

/// Store an uploaded model file (already decoded and verified) under `name`, with metrics on
/// the stored labelled samples. `Ok(None)` when the name is taken.
pub async fn store_upload(
    state: &AppState,
    model: Model,
    name: &str,
    created_by: i64,
) -> anyhow::Result<Option<i64>> {
    if catalog::name_taken(&state.db, name).await? {
        return Ok(None);
    }
    let data = samples::labelled(&state.db).await?;
    let data_dir = state.config.data_dir.clone();
    let (model, metrics, (path, checksum, bytes)) = tokio::task::spawn_blocking(move || {
        let metrics = (!data.is_empty()).then(|| ml::Metrics::of_model(&model, &data));
        let written = files::write(&data_dir, &model)?;
        anyhow::Ok((model, metrics, written))
    })
    .await??;
    let params = serde_json::json!({});
    catalog::insert(
        &state.db,
        &state.cache,
        NewModel {
            algorithm: model.algorithm(),
            name,
            params: &params,
            metrics: metrics.as_ref(),
            metrics_source: if metrics.is_some() {
                MetricsSource::Samples
            } else {
                MetricsSource::None
            },
            file_path: &path,
            checksum: &checksum,
            file_bytes: bytes,
            train_seconds: None,
            source: "uploaded",
            created_by: Some(created_by),
        },
    )
    .await
    .map_err(Into::into)
}
