//! Admin pages: models (upload a model file, retire, reactivate), the algorithms' descriptions,
//! and samples (a form with the 30 validated values, or a CSV upload checked row by row).

use std::collections::BTreeMap;

use axum::{
    Form,
    extract::{Multipart, Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};

use super::{
    catalog::{self, ALGORITHMS, MODELS, ModelMeta},
    csv_import::{self, LineError},
    input::{self, FeatureField},
    ml::{Algorithm, Diagnosis, Model},
    models::{AlgorithmView, algorithm_views},
    samples::{self, InsertError, NewSample, SAMPLES},
    service,
};
use crate::{
    i18n::Lang,
    web::{
        AppError, AppState, Message, Page, Result,
        auth::RequireAdmin,
        flash::{self, FlashKind},
        form::{ActiveInput, FieldMessages, FormErrors, value},
        image_upload::read_field,
        page::{render, render_form},
    },
};

/// Longest admin-written algorithm description.
const DESCRIPTION_MAX: usize = 2000;
/// Longest model name.
const MODEL_NAME_MAX: usize = 100;

/// An algorithm with its description fields per language.
pub struct AlgorithmForm {
    view: AlgorithmView,
    /// (language code, field name, current custom text).
    fields: Vec<(&'static str, String, String)>,
}

/// A CSV problem, translated.
pub struct LineProblem {
    line: u64,
    column: Option<&'static str>,
    text: String,
}

#[derive(askama::Template)]
#[template(path = "prognosis/admin.html")]
struct AdminTemplate {
    page: Page,
    models: Vec<ModelMeta>,
    algorithms: Vec<AlgorithmForm>,
    sample_count: usize,
    upload_error: Option<String>,
    upload_name: String,
    csv_problems: Vec<LineProblem>,
    /// The algorithms the training form offers (slugs).
    trainable: Vec<&'static str>,
}

struct Problems {
    upload_error: Option<Message>,
    upload_name: String,
    csv: Vec<LineError>,
}

async fn overview_with(state: &AppState, page: Page, problems: Problems) -> Result<Response> {
    let models = MODELS.get(&state.cache, &state.db, ()).await?;
    let rows = ALGORITHMS.get(&state.cache, &state.db, ()).await?;
    let views = algorithm_views(&page, &rows);
    let algorithms = rows
        .iter()
        .zip(views)
        .map(|(row, view)| AlgorithmForm {
            fields: Lang::ALL
                .iter()
                .map(|lang| {
                    (
                        lang.code(),
                        format!("description_{}", lang.code()),
                        row.descriptions
                            .get(lang.code())
                            .cloned()
                            .unwrap_or_default(),
                    )
                })
                .collect(),
            view,
        })
        .collect();
    let sample_count = SAMPLES.get(&state.cache, &state.db, ()).await?.len();
    let invalid = problems.upload_error.is_some() || !problems.csv.is_empty();
    render_form(
        &AdminTemplate {
            trainable: Algorithm::ALL.iter().map(|a| a.slug()).collect(),
            models,
            algorithms,
            sample_count,
            upload_error: problems.upload_error.map(|m| page.message(&m)),
            upload_name: problems.upload_name,
            csv_problems: problems
                .csv
                .iter()
                .map(|e| LineProblem {
                    line: e.line,
                    column: e.column,
                    text: page.message(&e.message),
                })
                .collect(),
            page,
        },
        invalid,
    )
}

/// `GET /admin/prognosis`.
#[tracing::instrument(skip_all, err)]
pub async fn overview(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
) -> Result<Response> {
    let page = page.with_form().await?;
    overview_with(
        &state,
        page,
        Problems {
            upload_error: None,
            upload_name: String::new(),
            csv: Vec::new(),
        },
    )
    .await
}

fn back(page: &Page) -> Response {
    Redirect::to(&page.url("/admin/prognosis")).into_response()
}

/// Read the upload form: a name and the file.
async fn read_model_upload(
    mut multipart: Multipart,
    max_bytes: usize,
) -> (String, Result<Vec<u8>, Message>) {
    let (mut name, mut bytes) = (String::new(), None);
    while let Ok(Some(field)) = multipart.next_field().await {
        match field.name() {
            Some("name") => {
                if let Ok(value) = read_field(field, 1024).await {
                    name = String::from_utf8_lossy(&value).trim().to_owned();
                }
            }
            Some("file") => bytes = Some(read_field(field, max_bytes).await),
            _ => {}
        }
    }
    let bytes = match bytes {
        Some(Ok(b)) if !b.is_empty() => Ok(b),
        Some(Err(message)) => Err(message),
        _ => Err(Message::new("model-file-missing")),
    };
    (name, bytes)
}

/// `POST /admin/prognosis/models`: upload a model file. Nothing is stored unless the file is a
/// valid HUD model file with 30 features and an intact checksum, and the name is free.
#[tracing::instrument(skip_all, err)]
pub async fn upload_model(
    State(state): State<AppState>,
    RequireAdmin(me): RequireAdmin,
    page: Page,
    multipart: Multipart,
) -> Result<Response> {
    let page = page.with_form().await?;
    let (name, bytes) = read_model_upload(multipart, state.config.server.body_limit_bytes).await;
    let refuse = |page, message: Message, name: String| {
        let state = state.clone();
        async move {
            overview_with(
                &state,
                page,
                Problems {
                    upload_error: Some(message),
                    upload_name: name,
                    csv: Vec::new(),
                },
            )
            .await
        }
    };
    if name.is_empty()
        || name.chars().count() > MODEL_NAME_MAX
        || name.chars().any(char::is_control)
    {
        return refuse(
            page,
            Message::new("model-name-invalid").arg("max", MODEL_NAME_MAX),
            name,
        )
        .await;
    }
    let bytes = match bytes {
        Ok(bytes) => bytes,
        Err(message) => return refuse(page, message, name).await,
    };
    let model = match tokio::task::spawn_blocking(move || Model::from_bytes(&bytes))
        .await
        .map_err(anyhow::Error::from)?
    {
        Ok(model) => model,
        Err(error) => return refuse(page, service::file_error_message(&error), name).await,
    };
    match service::store_upload(&state, model, &name, me.id).await? {
        Some(_) => {
            flash::push(
                page.session(),
                FlashKind::Success,
                Message::new("model-uploaded-flash"),
            )
            .await?;
            Ok(back(&page))
        }
        None => refuse(page, Message::new("model-name-taken"), name).await,
    }
}

/// `POST /admin/prognosis/models/{id}/active`: retire or reactivate.
#[tracing::instrument(skip_all, err)]
pub async fn set_active(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Path(id): Path<i64>,
    Form(input): Form<ActiveInput>,
) -> Result<Response> {
    let active = input.wanted();
    if !catalog::set_active(&state.db, &state.cache, id, active).await? {
        return Err(AppError::NotFound);
    }
    let message = if active {
        "model-activated"
    } else {
        "model-retired-flash"
    };
    flash::push(page.session(), FlashKind::Success, Message::new(message)).await?;
    Ok(back(&page))
}

/// `POST /admin/prognosis/algorithms/{slug}`: the descriptions in each language (empty: the
/// built-in one).
#[tracing::instrument(skip_all, err)]
pub async fn describe(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Path(slug): Path<String>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let mut descriptions = BTreeMap::new();
    for lang in Lang::ALL {
        let field = format!("description_{}", lang.code());
        let text = value(&form, &field).trim().to_owned();
        if text.chars().count() > DESCRIPTION_MAX {
            flash::push(
                page.session(),
                FlashKind::Danger,
                Message::new("algorithm-description-too-long").arg("max", DESCRIPTION_MAX),
            )
            .await?;
            return Ok(back(&page));
        }
        if !text.is_empty() {
            descriptions.insert(lang.code().to_owned(), text);
        }
    }
    if !catalog::set_descriptions(&state.db, &state.cache, &slug, &descriptions).await? {
        return Err(AppError::NotFound);
    }
    flash::push(
        page.session(),
        FlashKind::Success,
        Message::new("algorithm-description-saved"),
    )
    .await?;
    Ok(back(&page))
}

/// `POST /admin/prognosis/samples/csv`: all rows or none.
#[tracing::instrument(skip_all, err)]
pub async fn upload_csv(
    State(state): State<AppState>,
    RequireAdmin(me): RequireAdmin,
    page: Page,
    mut multipart: Multipart,
) -> Result<Response> {
    let page = page.with_form().await?;
    let mut bytes = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            bytes = Some(read_field(field, csv_import::MAX_BYTES).await);
        }
    }
    let parsed = match bytes {
        Some(Ok(bytes)) if !bytes.is_empty() => csv_import::parse(&bytes),
        Some(Err(message)) => Err(vec![whole_file(message)]),
        _ => Err(vec![whole_file(Message::new("csv-empty"))]),
    };
    let problems = match parsed {
        Ok(new) => {
            match samples::insert_all(&state.db, &state.cache, &new, "csv", Some(me.id)).await {
                Ok(ids) => {
                    flash::push(
                        page.session(),
                        FlashKind::Success,
                        Message::new("samples-imported").arg("count", ids.len()),
                    )
                    .await?;
                    return Ok(back(&page));
                }
                Err(InsertError::NamesTaken(names)) => names
                    .into_iter()
                    .map(|name| whole_file(Message::new("sample-name-taken").arg("name", name)))
                    .collect(),
                Err(InsertError::Db(e)) => return Err(e.into()),
            }
        }
        Err(problems) => problems,
    };
    overview_with(
        &state,
        page,
        Problems {
            upload_error: None,
            upload_name: String::new(),
            csv: problems,
        },
    )
    .await
}

fn whole_file(message: Message) -> LineError {
    LineError {
        line: 0,
        column: None,
        message,
    }
}

#[derive(askama::Template)]
#[template(path = "prognosis/sample_form.html")]
struct SampleFormTemplate {
    page: Page,
    name: String,
    diagnosis: String,
    fields: Vec<FeatureField>,
    errors: FieldMessages,
}

/// `GET /admin/prognosis/samples/new`.
#[tracing::instrument(skip_all, err)]
pub async fn new_sample(_admin: RequireAdmin, page: Page) -> Result<Response> {
    let page = page.with_form().await?;
    render(&SampleFormTemplate {
        fields: input::fields(&page, &[], &[]),
        name: String::new(),
        diagnosis: String::new(),
        errors: FieldMessages::default(),
        page,
    })
}

/// `POST /admin/prognosis/samples`.
#[tracing::instrument(skip_all, err)]
pub async fn create_sample(
    State(state): State<AppState>,
    RequireAdmin(me): RequireAdmin,
    page: Page,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let page = page.with_form().await?;
    let (typed_name, typed_diagnosis) = (value(&form, "name"), value(&form, "diagnosis"));
    let values = input::typed_values(&form);
    let mut errors = FormErrors::new();
    let name = csv_import::check_name(&typed_name)
        .map_err(|m| errors.add("name", m))
        .ok();
    let diagnosis = match typed_diagnosis.as_str() {
        "" => None,
        "malignant" => Some(Diagnosis::Malignant),
        "benign" => Some(Diagnosis::Benign),
        _ => {
            errors.add("diagnosis", Message::new("sample-diagnosis-invalid"));
            None
        }
    };
    let typed: Vec<&str> = values.iter().map(String::as_str).collect();
    let row = input::parse_row(&typed);
    let mut feature_errors = match &row {
        Ok(_) => Vec::new(),
        Err(problems) => problems.clone(),
    };
    if let (Some(name), Ok(features), true) = (&name, &row, errors.is_empty()) {
        let new = NewSample {
            name: name.clone(),
            features: *features,
            diagnosis,
        };
        match samples::insert_all(&state.db, &state.cache, &[new], "form", Some(me.id)).await {
            Ok(_) => {
                flash::push(
                    page.session(),
                    FlashKind::Success,
                    Message::new("sample-added"),
                )
                .await?;
                return Ok(back(&page));
            }
            Err(InsertError::NamesTaken(_)) => errors.add(
                "name",
                Message::new("sample-name-taken").arg("name", name.clone()),
            ),
            Err(InsertError::Db(e)) => return Err(e.into()),
        }
        feature_errors.clear();
    }
    let mut response = render(&SampleFormTemplate {
        fields: input::fields(&page, &values, &feature_errors),
        name: typed_name,
        diagnosis: typed_diagnosis,
        errors: errors.translate(page.lang),
        page,
    })?;
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    Ok(response)
}
