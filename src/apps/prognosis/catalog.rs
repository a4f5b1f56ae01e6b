//! Algorithms and models in PostgreSQL, read through the model-cache layer.
//!
//! Both tables are small (five algorithms, tens of models), so each is one cached list. Every
//! write here invalidates the list in every process (the cache layer broadcasts it), and the
//! in-memory model registry checks that list before it uses a loaded model, so a retired or
//! replaced model stops being used everywhere at once.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::{PgPool, types::Json};

use super::ml::{Algorithm, Metrics};
use crate::{
    cache::{Cache, CacheKey, Memo, Ttl},
    i18n::Lang,
    web::middleware::response_cache::tag_key,
};

/// The response-cache tag of every page showing models or algorithms.
pub const MODELS_TAG: &str = "prognosis-models";

/// An algorithm with the descriptions admins wrote (language code → text).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AlgorithmRow {
    /// `gradient-boosting`, `random-forest`, …
    pub slug: String,
    /// Admin-written descriptions by language code; missing ones fall back to the built-in
    /// translated description.
    pub descriptions: BTreeMap<String, String>,
}

impl AlgorithmRow {
    /// The admin's description in `lang`, if one was written.
    pub fn custom_description(&self, lang: Lang) -> Option<&str> {
        self.descriptions
            .get(lang.code())
            .map(String::as_str)
            .filter(|d| !d.trim().is_empty())
    }
}

/// Where a model's metrics come from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MetricsSource {
    /// Stratified k-fold cross-validation while training.
    CrossValidation,
    /// The stored labelled samples, evaluated when an admin uploaded the model (the model may
    /// have been trained on them: optimistic).
    Samples,
    /// None (no labelled samples when uploaded).
    None,
}

impl MetricsSource {
    /// Database value.
    pub fn as_str(self) -> &'static str {
        match self {
            MetricsSource::CrossValidation => "cross-validation",
            MetricsSource::Samples => "samples",
            MetricsSource::None => "none",
        }
    }

    fn parse(value: &str) -> Self {
        match value {
            "cross-validation" => MetricsSource::CrossValidation,
            "samples" => MetricsSource::Samples,
            _ => MetricsSource::None,
        }
    }
}

/// A model's metadata (the fitted model itself is in its file).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ModelMeta {
    /// Row id.
    pub id: i64,
    /// Algorithm slug.
    pub algorithm: String,
    /// Unique name.
    pub name: String,
    /// Hyperparameters as JSON text.
    pub params: String,
    /// Quality measures, if known.
    pub metrics: Option<Metrics>,
    /// Where `metrics` come from.
    pub metrics_source: MetricsSource,
    /// File, relative to `HUD_DATA_DIR`.
    pub file_path: String,
    /// BLAKE3 of the file, hex.
    pub checksum: String,
    /// File size.
    pub file_bytes: i32,
    /// Training time (trained models).
    pub train_seconds: Option<f64>,
    /// `trained` or `uploaded`.
    pub source: String,
    /// Offered for prognoses.
    pub active: bool,
    /// Added at.
    pub created_at: DateTime<Utc>,
}

impl ModelMeta {
    /// The algorithm, when the slug is one HUD knows (always, for rows HUD wrote).
    pub fn algorithm(&self) -> Option<Algorithm> {
        self.algorithm.parse().ok()
    }

    /// Hyperparameters as sorted (name, value) pairs for display.
    pub fn param_pairs(&self) -> Vec<(String, String)> {
        match serde_json::from_str::<serde_json::Value>(&self.params) {
            Ok(serde_json::Value::Object(map)) => map
                .into_iter()
                .map(|(k, v)| {
                    let shown = match v {
                        serde_json::Value::String(s) => s,
                        // Nested values (the grid search's report) one field a line: the page
                        // wraps and scrolls them inside their cell.
                        other @ (serde_json::Value::Object(_) | serde_json::Value::Array(_)) => {
                            serde_json::to_string_pretty(&other).unwrap_or_default()
                        }
                        other => other.to_string(),
                    };
                    (k, shown)
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Every algorithm, in the order HUD lists them.
pub static ALGORITHMS: Memo<(), Vec<AlgorithmRow>> = Memo {
    namespace: "ml_algorithms",
    ttl: Ttl::minutes(30),
    key: |()| CacheKey::new("ml_algorithms").field("all", true),
    load: |db, ()| Box::pin(async move { algorithms(&db).await }),
};

/// Every model, retired ones included, newest first.
pub static MODELS: Memo<(), Vec<ModelMeta>> = Memo {
    namespace: "ml_models",
    ttl: Ttl::minutes(30),
    key: |()| CacheKey::new("ml_models").field("all", true),
    load: |db, ()| Box::pin(async move { models(&db).await }),
};

async fn algorithms(db: &PgPool) -> sqlx::Result<Vec<AlgorithmRow>> {
    let rows = sqlx::query!(
        r#"SELECT slug, descriptions AS "descriptions: Json<BTreeMap<String, String>>"
           FROM ml_algorithms"#
    )
    .fetch_all(db)
    .await?;
    let mut list: Vec<AlgorithmRow> = rows
        .into_iter()
        .map(|r| AlgorithmRow {
            slug: r.slug,
            descriptions: r.descriptions.0,
        })
        .collect();
    let order = |slug: &str| {
        Algorithm::ALL
            .iter()
            .position(|a| a.slug() == slug)
            .unwrap_or(usize::MAX)
    };
    list.sort_by_key(|a| order(&a.slug));
    Ok(list)
}

async fn models(db: &PgPool) -> sqlx::Result<Vec<ModelMeta>> {
    let rows = sqlx::query!(
        r#"SELECT id, algorithm, name, params::text AS "params!", metrics AS "metrics: Json<Metrics>",
                  metrics_source, file_path, checksum, file_bytes, train_seconds, source, active,
                  created_at AS "created_at: DateTime<Utc>"
           FROM ml_models ORDER BY created_at DESC, id DESC"#
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| ModelMeta {
            id: r.id,
            algorithm: r.algorithm,
            name: r.name,
            params: r.params,
            metrics: r.metrics.map(|m| m.0),
            metrics_source: MetricsSource::parse(&r.metrics_source),
            file_path: r.file_path,
            checksum: r.checksum,
            file_bytes: r.file_bytes,
            train_seconds: r.train_seconds,
            source: r.source,
            active: r.active,
            created_at: r.created_at,
        })
        .collect())
}

/// Every cached list and page about models and algorithms: what a write to either table
/// invalidates.
pub fn catalog_keys() -> Vec<CacheKey> {
    vec![
        MODELS.key_for(&()),
        ALGORITHMS.key_for(&()),
        tag_key(MODELS_TAG),
    ]
}

/// A model to record (its file is already written).
pub struct NewModel<'a> {
    /// Algorithm.
    pub algorithm: Algorithm,
    /// Unique name.
    pub name: &'a str,
    /// Hyperparameters.
    pub params: &'a serde_json::Value,
    /// Quality measures.
    pub metrics: Option<&'a Metrics>,
    /// Where they come from.
    pub metrics_source: MetricsSource,
    /// Relative to `HUD_DATA_DIR`.
    pub file_path: &'a str,
    /// BLAKE3 of the file, hex.
    pub checksum: &'a str,
    /// File size.
    pub file_bytes: usize,
    /// Training time.
    pub train_seconds: Option<f64>,
    /// `trained` or `uploaded`.
    pub source: &'a str,
    /// Who added it.
    pub created_by: Option<i64>,
}

/// Insert a model row. `Ok(None)` when the name is taken.
pub async fn insert(db: &PgPool, cache: &Cache, model: NewModel<'_>) -> sqlx::Result<Option<i64>> {
    let mut tx = db.begin().await?;
    let id = sqlx::query_scalar!(
        "INSERT INTO ml_models (algorithm, name, params, metrics, metrics_source, file_path,
                                checksum, file_bytes, train_seconds, source, created_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (name) DO NOTHING RETURNING id",
        model.algorithm.slug(),
        model.name,
        model.params,
        model.metrics.map(Json) as _,
        model.metrics_source.as_str(),
        model.file_path,
        model.checksum,
        i32::try_from(model.file_bytes).unwrap_or(i32::MAX),
        model.train_seconds,
        model.source,
        model.created_by
    )
    .fetch_optional(&mut *tx)
    .await?;
    cache.commit(tx, catalog_keys()).await?;
    Ok(id)
}

/// Whether a model name is taken.
pub async fn name_taken(db: &PgPool, name: &str) -> sqlx::Result<bool> {
    Ok(
        sqlx::query_scalar!("SELECT id FROM ml_models WHERE name = $1", name)
            .fetch_optional(db)
            .await?
            .is_some(),
    )
}

/// Offer or retire a model. False when there is no such model.
pub async fn set_active(db: &PgPool, cache: &Cache, id: i64, active: bool) -> sqlx::Result<bool> {
    let mut tx = db.begin().await?;
    let done = sqlx::query!("UPDATE ml_models SET active = $2 WHERE id = $1", id, active)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        > 0;
    cache.commit(tx, catalog_keys()).await?;
    Ok(done)
}

/// Replace an algorithm's admin-written descriptions. False when there is no such algorithm.
pub async fn set_descriptions(
    db: &PgPool,
    cache: &Cache,
    slug: &str,
    descriptions: &BTreeMap<String, String>,
) -> sqlx::Result<bool> {
    let mut tx = db.begin().await?;
    let done = sqlx::query!(
        "UPDATE ml_algorithms SET descriptions = $2, updated_at = now() WHERE slug = $1",
        slug,
        Json(descriptions) as _
    )
    .execute(&mut *tx)
    .await?
    .rows_affected()
        > 0;
    cache.commit(tx, catalog_keys()).await?;
    Ok(done)
}
