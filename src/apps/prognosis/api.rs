//! JSON API of the prognosis sub-app: models, samples, and a prognosis for a stored sample or
//! for 30 typed values.

use axum::{Extension, Json, extract::State};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{
    IntoParams, ToSchema,
    openapi::{RefOr, schema::Schema},
};

use super::{
    catalog::ModelMeta,
    input,
    ml::{Diagnosis, FEATURE_COUNT, FEATURES, FeatureError, Row, validate},
    samples::{SAMPLE, SAMPLES},
    service::{self, PredictError},
};
use crate::web::{
    AppError, AppState, Message, Result,
    api_input::{Json as ApiJson, Query},
    auth::RequireUser,
    error::FieldError,
    middleware::context::Ctx,
};

/// Cross-validated (or, for uploaded models, sample-set) quality of a model.
#[derive(Serialize, ToSchema)]
pub struct MetricsOut {
    /// `cross-validation` or `samples`.
    source: String,
    /// Mean accuracy over the folds.
    accuracy: f64,
    /// Its standard deviation.
    accuracy_std: f64,
    precision: f64,
    recall: f64,
    f1: f64,
    roc_auc: f64,
    /// `[[tn, fp], [fn, tp]]`, rows the true class (benign, malignant).
    confusion: [[u32; 2]; 2],
}

/// An active model.
#[derive(Serialize, ToSchema)]
pub struct ModelOut {
    id: i64,
    name: String,
    /// `gradient-boosting`, `random-forest`, `svc`, `knn` or `logistic-regression`.
    algorithm: String,
    /// Hyperparameters.
    #[schema(value_type = Object)]
    params: serde_json::Value,
    metrics: Option<MetricsOut>,
    /// Training time in seconds (trained models).
    train_seconds: Option<f64>,
    created_at: DateTime<Utc>,
}

impl From<ModelMeta> for ModelOut {
    fn from(m: ModelMeta) -> Self {
        ModelOut {
            params: serde_json::from_str(&m.params).unwrap_or_default(),
            metrics: m.metrics.map(|x| MetricsOut {
                source: m.metrics_source.as_str().to_owned(),
                accuracy: x.accuracy_mean,
                accuracy_std: x.accuracy_std,
                precision: x.precision,
                recall: x.recall,
                f1: x.f1,
                roc_auc: x.roc_auc,
                confusion: x.confusion,
            }),
            id: m.id,
            name: m.name,
            algorithm: m.algorithm,
            train_seconds: m.train_seconds,
            created_at: m.created_at,
        }
    }
}

/// The models offered for prognoses, newest first.
#[utoipa::path(get, path = "/api/v1/prognosis/models", tag = "prognosis",
    responses((status = 200, description = "Active models", body = [ModelOut])))]
#[tracing::instrument(skip_all, err)]
pub async fn models(State(state): State<AppState>) -> Result<Json<Vec<ModelOut>>> {
    let models = service::active_models(&state).await?;
    Ok(Json(models.into_iter().map(ModelOut::from).collect()))
}

/// A stored sample.
#[derive(Serialize, ToSchema)]
pub struct SampleOut {
    id: i64,
    name: String,
    /// `malignant` or `benign`, when known.
    diagnosis: Option<&'static str>,
    /// The 30 feature values (with `?features=true`).
    #[serde(skip_serializing_if = "Option::is_none")]
    features: Option<Vec<f64>>,
}

/// Query of the sample list.
#[derive(Deserialize, IntoParams)]
pub struct SamplesQuery {
    /// Only samples whose name contains this (case-insensitive).
    q: Option<String>,
    /// Include the 30 values of each sample (default false; 569 samples ≈ 200 KB).
    #[serde(default)]
    features: bool,
}

/// Stored samples, by name.
#[utoipa::path(get, path = "/api/v1/prognosis/samples", tag = "prognosis", params(SamplesQuery),
    responses((status = 200, description = "Samples", body = [SampleOut])))]
#[tracing::instrument(skip_all, err)]
pub async fn samples(
    State(state): State<AppState>,
    Query(query): Query<SamplesQuery>,
) -> Result<Json<Vec<SampleOut>>> {
    let needle = query.q.as_deref().unwrap_or_default().trim().to_lowercase();
    let mut out = Vec::new();
    for s in SAMPLES.get(&state.cache, &state.db, ()).await? {
        if !needle.is_empty() && !s.name.to_lowercase().contains(&needle) {
            continue;
        }
        let features = if query.features {
            SAMPLE
                .get(&state.cache, &state.db, s.id)
                .await?
                .map(|full| full.features)
        } else {
            None
        };
        out.push(SampleOut {
            id: s.id,
            name: s.name,
            diagnosis: s.diagnosis.map(Diagnosis::slug),
            features,
        });
    }
    Ok(Json(out))
}

/// What to predict: a stored sample or 30 values, with a model.
#[derive(Deserialize)]
pub struct PrognosisIn {
    /// An active model (`GET /api/v1/prognosis/models`).
    model_id: i64,
    /// A stored sample (`GET /api/v1/prognosis/samples`); or give `features`.
    #[serde(default)]
    sample_id: Option<i64>,
    /// The 30 feature values in the data set's column order; or give `sample_id`.
    #[serde(default)]
    features: Option<serde_json::Value>,
}

impl utoipa::PartialSchema for PrognosisIn {
    /// Written out, because what is accepted is exactly one of `sample_id` and `features`, and
    /// each feature has its own range.
    fn schema() -> RefOr<Schema> {
        use utoipa::openapi::{
            ArrayBuilder, ObjectBuilder,
            schema::{ArrayItems, Type},
        };
        let id = |description: &str| {
            serde_json::json!({"type": "integer", "format": "int64", "minimum": 1,
                "maximum": i64::MAX, "description": description})
        };
        let model = id("An active model (`GET /api/v1/prognosis/models`).");
        let sample = id("A stored sample (`GET /api/v1/prognosis/samples`).");
        let schema = serde_json::json!({
            "description": "A model, and either a stored sample or 30 values.",
            "oneOf": [
                {"type": "object", "required": ["model_id", "sample_id"],
                 "properties": {"model_id": model, "sample_id": sample,
                                "features": {"type": "null"}}},
                {"type": "object", "required": ["model_id", "features"],
                 "properties": {"model_id": model, "sample_id": {"type": "null"}}},
            ],
            "example": {"model_id": 1, "sample_id": 17},
        });
        let mut schema: Schema = serde_json::from_value(schema).expect("a valid schema");
        // Built, not parsed: utoipa reads an array schema's `prefixItems` back as an object's.
        let ranges = FEATURES.iter().map(|f| {
            ObjectBuilder::new()
                .schema_type(Type::Number)
                .minimum(Some(f.min))
                .maximum(Some(f.max))
                .description(Some(f.name))
                .build()
        });
        let features = ArrayBuilder::new()
            .prefix_items(ranges)
            .items(ArrayItems::False)
            .min_items(Some(FEATURE_COUNT))
            .max_items(Some(FEATURE_COUNT))
            .description(Some(
                "The 30 feature values in the data set's column order, each in its range.",
            ))
            .build();
        if let Schema::OneOf(one_of) = &mut schema
            && let Some(RefOr::T(Schema::Object(values))) = one_of.items.get_mut(1)
        {
            values
                .properties
                .insert("features".to_owned(), RefOr::T(Schema::Array(features)));
        }
        RefOr::T(schema)
    }
}

impl ToSchema for PrognosisIn {}

/// The prognosis.
#[derive(Serialize, ToSchema)]
pub struct PrognosisOut {
    /// `malignant` or `benign`.
    label: &'static str,
    /// Probability of malignancy, 0–1.
    probability: f64,
    /// The model used.
    model_id: i64,
    /// The features that drove the result most (index, signed contribution toward
    /// malignancy), where the model can tell.
    contributions: Option<Vec<(usize, f64)>>,
    /// Not medical advice.
    disclaimer: String,
}

fn invalid(field: &str, message: Message) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, message)])
}

/// Read `features`: an array of exactly 30 finite numbers within their ranges.
fn features(value: &serde_json::Value) -> Result<Row> {
    let items = value.as_array().ok_or_else(|| {
        invalid(
            "features",
            Message::new("prognosis-wrong-length")
                .arg("count", 0_i64)
                .arg("expected", FEATURE_COUNT),
        )
    })?;
    let mut values = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match item.as_f64() {
            Some(v) => values.push(v),
            None => {
                return Err(invalid(
                    &format!("features[{i}]"),
                    Message::new("prognosis-not-a-number"),
                ));
            }
        }
    }
    validate(&values).map_err(|error| {
        let field = match &error {
            FeatureError::WrongLength(_) => "features".to_owned(),
            other => format!("features[{}]", other.index().unwrap_or(0)),
        };
        invalid(&field, input::feature_error(&error))
    })
}

/// A prognosis, recorded in the caller's history.
#[utoipa::path(post, path = "/api/v1/prognosis", tag = "prognosis",
    security(("bearer" = [])),
    request_body = PrognosisIn,
    responses(
        (status = 200, description = "The prognosis", body = PrognosisOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 404, description = "No such (active) model or sample", content_type = "application/problem+json"),
        (status = 422, description = "Neither or both of `sample_id` and `features`; features not 30 finite numbers in range", content_type = "application/problem+json"),
        (status = 503, description = "The model's file cannot be read", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn prognosis(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    RequireUser(me): RequireUser,
    ApiJson(input): ApiJson<PrognosisIn>,
) -> Result<Json<PrognosisOut>> {
    let (sample_id, row) = match (input.sample_id, &input.features) {
        (Some(id), None) => {
            let sample = SAMPLE
                .get(&state.cache, &state.db, id)
                .await?
                .ok_or_else(|| {
                    AppError::unknown("sample_id", Message::new("prognosis-no-such-sample"))
                })?;
            let row = validate(&sample.features)
                .map_err(|e| invalid("sample_id", input::feature_error(&e)))?;
            (Some(id), row)
        }
        (None, Some(value)) => (None, features(value)?),
        _ => {
            return Err(invalid(
                "features",
                Message::new("prognosis-sample-or-features"),
            ));
        }
    };
    match service::predict(&state, Some(me.id), input.model_id, sample_id, &row).await {
        Ok(outcome) => Ok(Json(PrognosisOut {
            label: outcome.prediction.diagnosis.slug(),
            probability: outcome.prediction.probability_malignant,
            model_id: outcome.model.id,
            contributions: outcome.prediction.contributions,
            disclaimer: Message::new("prognosis-disclaimer").text(ctx.lang),
        })),
        Err(PredictError::NoModel) => Err(AppError::unknown(
            "model_id",
            Message::new("prognosis-choose-model"),
        )),
        Err(PredictError::Unusable(error)) => Err(AppError::Unavailable(error.to_string())),
        Err(PredictError::Db(e)) => Err(e.into()),
    }
}
