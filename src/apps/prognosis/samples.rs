//! Samples (30 feature values, a name, the known diagnosis if any) in PostgreSQL, read through
//! the model-cache layer: the list (ids, names, diagnoses; ~40 bytes a sample) is one cached
//! value, each sample's values another.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;

use super::ml::{Dataset, Diagnosis, FEATURE_COUNT, Row};
use crate::{
    cache::{Cache, CacheKey, Memo, Ttl},
    web::middleware::response_cache::tag_key,
};

/// The response-cache tag of every page listing samples.
pub const SAMPLES_TAG: &str = "prognosis-samples";

/// Longest sample name.
pub const NAME_MAX: usize = 100;

/// A sample as lists show it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SampleSummary {
    /// Row id.
    pub id: i64,
    /// Unique name.
    pub name: String,
    /// Known diagnosis.
    pub diagnosis: Option<Diagnosis>,
}

/// A sample with its values.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Sample {
    /// Row id.
    pub id: i64,
    /// Unique name.
    pub name: String,
    /// The 30 feature values.
    pub features: Vec<f64>,
    /// Known diagnosis.
    pub diagnosis: Option<Diagnosis>,
    /// `wdbc`, `form` or `csv`.
    pub source: String,
    /// Added at.
    pub created_at: DateTime<Utc>,
}

/// A sample to insert (values already validated).
#[derive(Clone, Debug)]
pub struct NewSample {
    /// Unique name.
    pub name: String,
    /// The 30 feature values.
    pub features: Row,
    /// Known diagnosis.
    pub diagnosis: Option<Diagnosis>,
}

/// Every sample, by name.
pub static SAMPLES: Memo<(), Vec<SampleSummary>> = Memo {
    namespace: "ml_samples",
    ttl: Ttl::minutes(30),
    key: |()| CacheKey::new("ml_samples").field("all", true),
    load: |db, ()| Box::pin(async move { summaries(&db).await }),
};

/// One sample by id.
pub static SAMPLE: Memo<i64, Option<Sample>> = Memo {
    namespace: "ml_sample",
    ttl: Ttl::minutes(30),
    key: |id| CacheKey::new("ml_sample").field("id", id),
    load: |db, id| Box::pin(async move { by_id(&db, id).await }),
};

fn diagnosis(value: Option<&str>) -> Option<Diagnosis> {
    match value? {
        "malignant" => Some(Diagnosis::Malignant),
        "benign" => Some(Diagnosis::Benign),
        _ => None,
    }
}

async fn summaries(db: &PgPool) -> sqlx::Result<Vec<SampleSummary>> {
    let rows = sqlx::query!("SELECT id, name, diagnosis FROM ml_samples ORDER BY name, id")
        .fetch_all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| SampleSummary {
            id: r.id,
            diagnosis: diagnosis(r.diagnosis.as_deref()),
            name: r.name,
        })
        .collect())
}

async fn by_id(db: &PgPool, id: i64) -> sqlx::Result<Option<Sample>> {
    let row = sqlx::query!(
        r#"SELECT id, name, features, diagnosis, source, created_at AS "created_at: DateTime<Utc>"
           FROM ml_samples WHERE id = $1"#,
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Sample {
        id: r.id,
        name: r.name,
        features: r.features,
        diagnosis: diagnosis(r.diagnosis.as_deref()),
        source: r.source,
        created_at: r.created_at,
    }))
}

/// Why samples were not inserted.
#[derive(Debug)]
pub enum InsertError {
    /// These names exist already (nothing was inserted).
    NamesTaken(Vec<String>),
    /// Anything else.
    Db(sqlx::Error),
}

impl From<sqlx::Error> for InsertError {
    fn from(e: sqlx::Error) -> Self {
        InsertError::Db(e)
    }
}

/// Insert samples in one transaction: all or none. Names must be new.
pub async fn insert_all(
    db: &PgPool,
    cache: &Cache,
    samples: &[NewSample],
    source: &str,
    created_by: Option<i64>,
) -> Result<Vec<i64>, InsertError> {
    let names: Vec<String> = samples.iter().map(|s| s.name.clone()).collect();
    let mut tx = db.begin().await?;
    let taken = sqlx::query_scalar!(
        "SELECT name FROM ml_samples WHERE name = ANY($1) ORDER BY name",
        &names
    )
    .fetch_all(&mut *tx)
    .await?;
    if !taken.is_empty() {
        return Err(InsertError::NamesTaken(taken));
    }
    let flat: Vec<f64> = samples.iter().flat_map(|s| s.features).collect();
    let diagnoses: Vec<Option<String>> = samples
        .iter()
        .map(|s| s.diagnosis.map(|d| d.slug().to_owned()))
        .collect();
    // One statement for the whole batch: the flat values are cut back into rows of 30.
    let ids = sqlx::query_scalar!(
        r#"INSERT INTO ml_samples (name, features, diagnosis, source, created_by)
           SELECT n.name, f.features, n.diagnosis, $4, $5
           FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS n(name, diagnosis, i)
           CROSS JOIN LATERAL (
               SELECT array_agg(v ORDER BY j) AS features
               FROM unnest($3::float8[]) WITH ORDINALITY AS x(v, j)
               WHERE j > (n.i - 1) * $6 AND j <= n.i * $6) AS f
           ORDER BY n.i
           RETURNING id"#,
        &names,
        &diagnoses as &[Option<String>],
        &flat,
        source,
        created_by,
        FEATURE_COUNT as i64
    )
    .fetch_all(&mut *tx)
    .await?;
    cache
        .commit(tx, [SAMPLES.key_for(&()), tag_key(SAMPLES_TAG)])
        .await?;
    Ok(ids)
}

/// The name of the `index`th (0-based) WDBC sample.
pub fn wdbc_name(index: usize) -> String {
    format!("WDBC-{:03}", index + 1)
}

/// `hud ml import`: the WDBC samples not stored yet (by name). Returns how many were added.
pub async fn import_wdbc(db: &PgPool, cache: &Cache) -> sqlx::Result<usize> {
    let data = Dataset::wdbc();
    let existing: std::collections::HashSet<String> =
        sqlx::query_scalar!("SELECT name FROM ml_samples WHERE source = 'wdbc'")
            .fetch_all(db)
            .await?
            .into_iter()
            .collect();
    let missing: Vec<NewSample> = data
        .rows
        .iter()
        .zip(&data.labels)
        .enumerate()
        .map(|(i, (row, label))| NewSample {
            name: wdbc_name(i),
            features: *row,
            diagnosis: Some(*label),
        })
        .filter(|s| !existing.contains(&s.name))
        .collect();
    if missing.is_empty() {
        return Ok(0);
    }
    match insert_all(db, cache, &missing, "wdbc", None).await {
        Ok(ids) => Ok(ids.len()),
        // A sample named like a WDBC one by an admin: keep theirs, import the rest.
        Err(InsertError::NamesTaken(taken)) => {
            let rest: Vec<NewSample> = missing
                .into_iter()
                .filter(|s| !taken.contains(&s.name))
                .collect();
            match insert_all(db, cache, &rest, "wdbc", None).await {
                Ok(ids) => Ok(ids.len()),
                Err(InsertError::Db(e)) => Err(e),
                Err(InsertError::NamesTaken(_)) => Ok(0),
            }
        }
        Err(InsertError::Db(e)) => Err(e),
    }
}

/// Labelled samples as a data set (for evaluating uploaded models).
pub async fn labelled(db: &PgPool) -> sqlx::Result<Dataset> {
    let rows = sqlx::query!(
        r#"SELECT features, diagnosis AS "diagnosis!" FROM ml_samples
           WHERE diagnosis IS NOT NULL ORDER BY id"#
    )
    .fetch_all(db)
    .await?;
    let mut data = Dataset {
        rows: Vec::with_capacity(rows.len()),
        labels: Vec::with_capacity(rows.len()),
    };
    for r in rows {
        if let (Ok(row), Some(label)) = (
            Row::try_from(r.features.as_slice()),
            diagnosis(Some(&r.diagnosis)),
        ) {
            data.rows.push(row);
            data.labels.push(label);
        }
    }
    Ok(data)
}
