//! The prognosis page (choose a sample from a searchable list or type the 30 values, choose a
//! model, see the result with the features that drove it) and the user's history.

use axum::{
    Form,
    extract::{Query, State},
    response::Response,
};
use serde::Deserialize;

use super::{
    catalog::ModelMeta,
    input::{self, FeatureField},
    ml::{Diagnosis, Prediction, Row},
    samples::{SAMPLE, SAMPLES, SampleSummary},
    service::{self, PredictError},
};
use crate::web::{
    AppState, Message, Page, Result,
    auth::RequireUser,
    form::{FieldMessages, FormErrors, value},
    page::{render, render_form},
    pagination::{PageParam, Pager, paginate},
};

/// A model in the picker.
pub struct ModelOption {
    /// Row id.
    pub id: i64,
    /// Name and algorithm.
    pub label: String,
    /// Preselected.
    pub selected: bool,
}

/// One feature's share in the result.
pub struct ContributionView {
    /// Translated feature name.
    pub feature: String,
    /// Signed contribution, formatted.
    pub value: String,
    /// Pushes toward malignant.
    pub toward_malignant: bool,
    /// Bar width in percent of the largest.
    pub width: f64,
}

/// A prognosis result.
pub struct ResultView {
    /// `malignant` or `benign`.
    pub diagnosis: &'static str,
    /// Translated diagnosis.
    pub label: String,
    /// Probability of malignancy in percent, formatted.
    pub probability: String,
    /// The model's confidence in its answer, in percent, formatted.
    pub confidence: String,
    /// The model.
    pub model_name: String,
    /// Its detail page.
    pub model_path: String,
    /// The sample's known diagnosis, translated, when a labelled sample was used.
    pub known: Option<String>,
    /// The features that drove it, when the model can tell.
    pub contributions: Vec<ContributionView>,
}

#[derive(askama::Template)]
#[template(path = "prognosis/form.html")]
struct FormTemplate {
    page: Page,
    models: Vec<ModelOption>,
    samples: Vec<SampleSummary>,
    sample: String,
    fields: Vec<FeatureField>,
    errors: FieldMessages,
    result: Option<ResultView>,
}

fn diagnosis_label(page: &Page, diagnosis: Diagnosis) -> String {
    page.t(&format!("diagnosis-{}", diagnosis.slug()))
        .to_owned()
}

fn algorithm_label(page: &Page, slug: &str) -> String {
    page.t(&format!("algorithm-{slug}")).to_owned()
}

fn model_options(page: &Page, models: &[ModelMeta], selected: Option<i64>) -> Vec<ModelOption> {
    let selected = selected
        .filter(|id| models.iter().any(|m| m.id == *id))
        .or(models.first().map(|m| m.id));
    models
        .iter()
        .map(|m| ModelOption {
            id: m.id,
            selected: Some(m.id) == selected,
            label: format!("{} · {}", m.name, algorithm_label(page, &m.algorithm)),
        })
        .collect()
}

/// The query of `GET /prognosis`: a sample to fill in and a model to preselect.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct FormQuery {
    sample: Option<String>,
    model: Option<String>,
}

struct Filled {
    model: Option<i64>,
    sample: String,
    values: Vec<String>,
    errors: FormErrors,
    feature_errors: Vec<(usize, Message)>,
    result: Option<ResultView>,
}

async fn show(state: &AppState, page: Page, filled: Filled) -> Result<Response> {
    let models = service::active_models(state).await?;
    let samples = SAMPLES.get(&state.cache, &state.db, ()).await?;
    let invalid = !filled.errors.is_empty() || !filled.feature_errors.is_empty();
    render_form(
        &FormTemplate {
            models: model_options(&page, &models, filled.model),
            samples,
            sample: filled.sample,
            fields: input::fields(&page, &filled.values, &filled.feature_errors),
            errors: filled.errors.translate(page.lang),
            result: filled.result,
            page,
        },
        invalid,
    )
}

fn values_of(row: &[f64]) -> Vec<String> {
    row.iter().map(|v| input::show(*v)).collect()
}

#[tracing::instrument(skip_all, err)]
pub async fn form(
    State(state): State<AppState>,
    _user: RequireUser,
    page: Page,
    Query(query): Query<FormQuery>,
) -> Result<Response> {
    let page = page.with_form().await?;
    let mut filled = Filled {
        model: query.model.and_then(|m| m.parse().ok()),
        sample: String::new(),
        values: Vec::new(),
        errors: FormErrors::new(),
        feature_errors: Vec::new(),
        result: None,
    };
    if let Some(id) = query.sample.and_then(|s| s.parse::<i64>().ok())
        && let Some(sample) = SAMPLE.get(&state.cache, &state.db, id).await?
    {
        filled.sample = sample.name;
        filled.values = values_of(&sample.features);
    }
    show(&state, page, filled).await
}

fn result_view(page: &Page, outcome: &service::Outcome, known: Option<Diagnosis>) -> ResultView {
    let Prediction {
        diagnosis,
        probability_malignant,
        contributions,
    } = &outcome.prediction;
    let confidence = if diagnosis.is_malignant() {
        *probability_malignant
    } else {
        1.0 - probability_malignant
    };
    let contributions = contributions.as_deref().unwrap_or_default();
    let largest = contributions
        .iter()
        .map(|c| c.1.abs())
        .fold(f64::EPSILON, f64::max);
    ResultView {
        diagnosis: diagnosis.slug(),
        label: diagnosis_label(page, *diagnosis),
        probability: format!("{:.1}", probability_malignant * 100.0),
        confidence: format!("{:.1}", confidence * 100.0),
        model_name: outcome.model.name.clone(),
        model_path: format!("/prognosis/models/{}", outcome.model.id),
        known: known.map(|d| diagnosis_label(page, d)),
        contributions: contributions
            .iter()
            .map(|&(index, value)| ContributionView {
                feature: input::feature_name(page, index),
                value: format!("{value:+.3}"),
                toward_malignant: value > 0.0,
                width: (value.abs() / largest * 100.0).clamp(1.0, 100.0),
            })
            .collect(),
    }
}

/// The sample a typed name refers to (exact name, or ignoring case).
fn find_sample<'a>(samples: &'a [SampleSummary], typed: &str) -> Option<&'a SampleSummary> {
    let typed = typed.trim();
    samples
        .iter()
        .find(|s| s.name == typed)
        .or_else(|| samples.iter().find(|s| s.name.eq_ignore_ascii_case(typed)))
}

#[tracing::instrument(skip_all, err)]
pub async fn submit(
    State(state): State<AppState>,
    RequireUser(me): RequireUser,
    page: Page,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let page = page.with_form().await?;
    let get = |name: &str| value(&form, name).trim().to_owned();
    let sample_name = get("sample");
    let mut filled = Filled {
        model: get("model").parse().ok(),
        values: input::typed_values(&form),
        sample: sample_name.clone(),
        errors: FormErrors::new(),
        feature_errors: Vec::new(),
        result: None,
    };
    if filled.model.is_none() {
        filled
            .errors
            .add("model", Message::new("prognosis-choose-model"));
    }
    let mut chosen: Option<(i64, Row, Option<Diagnosis>)> = None;
    if !sample_name.is_empty() {
        let samples = SAMPLES.get(&state.cache, &state.db, ()).await?;
        let found = match find_sample(&samples, &sample_name) {
            Some(summary) => SAMPLE.get(&state.cache, &state.db, summary.id).await?,
            None => None,
        };
        match found.and_then(|s| Some((s.id, Row::try_from(s.features.as_slice()).ok()?, s))) {
            Some((id, row, sample)) => {
                filled.values = values_of(&row);
                filled.sample = sample.name;
                chosen = Some((id, row, sample.diagnosis));
            }
            None => filled
                .errors
                .add("sample", Message::new("prognosis-no-such-sample")),
        }
    } else {
        let typed: Vec<&str> = filled.values.iter().map(String::as_str).collect();
        match input::parse_row(&typed) {
            Ok(row) => chosen = Some((0, row, None)),
            Err(errors) => filled.feature_errors = errors,
        }
    }
    let (Some(model), Some((sample_id, row, known)), true) =
        (filled.model, chosen, filled.errors.is_empty())
    else {
        return show(&state, page, filled).await;
    };
    let sample_id = (sample_id > 0).then_some(sample_id);
    match service::predict(&state, Some(me.id), model, sample_id, &row).await {
        Ok(outcome) => {
            filled.result = Some(result_view(&page, &outcome, known));
            show(&state, page, filled).await
        }
        Err(PredictError::NoModel) => {
            filled
                .errors
                .add("model", Message::new("prognosis-choose-model"));
            show(&state, page, filled).await
        }
        Err(PredictError::Unusable(_)) => {
            filled
                .errors
                .add("model", Message::new("prognosis-model-unusable"));
            show(&state, page, filled).await
        }
        Err(PredictError::Db(e)) => Err(e.into()),
    }
}

/// A past prognosis as listed.
pub struct HistoryView {
    /// When, in the user's time zone.
    pub at: String,
    /// The model's name.
    pub model_name: String,
    /// Its page.
    pub model_path: String,
    /// The sample's name, if one was chosen.
    pub sample: Option<String>,
    /// `malignant` or `benign`.
    pub diagnosis: String,
    /// Translated.
    pub label: String,
    /// Probability of malignancy in percent.
    pub probability: String,
}

#[derive(askama::Template)]
#[template(path = "prognosis/history.html")]
struct HistoryTemplate {
    page: Page,
    rows: Vec<HistoryView>,
    pager: Pager,
}

/// Past prognoses on one page of the history.
const HISTORY_PER_PAGE: i64 = 50;

#[tracing::instrument(skip_all, err)]
pub async fn history(
    State(state): State<AppState>,
    RequireUser(me): RequireUser,
    page: Page,
    Query(query): Query<PageParam>,
) -> Result<Response> {
    let (rows, pager) = paginate(
        query.number(),
        HISTORY_PER_PAGE,
        String::new(),
        |limit, offset| service::history(&state.db, me.id, limit, offset),
    )
    .await?;
    let rows = rows
        .into_iter()
        .map(|r| {
            let diagnosis = if r.diagnosis == "malignant" {
                Diagnosis::Malignant
            } else {
                Diagnosis::Benign
            };
            HistoryView {
                at: page.datetime(&r.created_at).to_string(),
                model_name: r.model_name,
                model_path: format!("/prognosis/models/{}", r.model_id),
                sample: r.sample_name,
                label: diagnosis_label(&page, diagnosis),
                diagnosis: r.diagnosis,
                probability: format!("{:.1}", r.probability * 100.0),
            }
        })
        .collect();
    render(&HistoryTemplate { page, rows, pager })
}
