//! JSON API of the word clouds: pages, word counts, cloud SVG, and ignore lists for admins.
//!
//! Times: `at`, `from` and `to` take RFC 3339 instants (`2025-12-25T15:00:00+01:00`); `at` also
//! takes a local `2025-12-25T15:00` and `from`/`to` local dates (`2025-12-25`, whole days), read
//! in the caller's timezone (their preference, else UTC).

use axum::{
    Extension, Json,
    extract::State,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{
    budget, crawl,
    ignore::{self, LISTS, SaveError},
    model::{self, AddError, PAGE, PAGES, Page as WebPage},
    pages::AddInput,
    view::{self, CloudQuery, Selection},
};
use crate::{
    web::form_guard::{self, CaptchaAnswer},
    web::{
        AppError, AppState, Message, Result,
        api_input::{Id, Json as ApiJson, Query},
        auth::{RequireAdmin, RequireUser},
        error::FieldError,
        extract::ClientIp,
        form::FormErrors,
        middleware::context::Ctx,
        when,
    },
};

/// A page.
#[derive(Serialize, ToSchema)]
pub struct PageOut {
    id: i64,
    /// Normalised URL.
    url: String,
    /// What to call it (given title, else crawled title, else URL).
    name: String,
    /// Detected language (ISO 639-1), once crawled.
    language: Option<String>,
    /// Crawled on schedule.
    active: bool,
    /// Last crawl, any outcome.
    last_crawl_at: Option<DateTime<Utc>>,
    /// `ok`, `not_modified`, `http_error`, `timeout`, `too_large`, `not_html`, `blocked`, `unreachable`.
    last_outcome: Option<String>,
    created_at: DateTime<Utc>,
}

impl From<WebPage> for PageOut {
    fn from(p: WebPage) -> Self {
        PageOut {
            name: p.name().to_owned(),
            id: p.id,
            url: p.url,
            language: p.language,
            active: p.active,
            last_crawl_at: p.last_crawl_at,
            last_outcome: p.last_outcome,
            created_at: p.created_at,
        }
    }
}

/// All pages.
#[utoipa::path(get, path = "/api/v1/pages", tag = "wordcloud",
    responses((status = 200, description = "Every registered page", body = [PageOut])))]
#[tracing::instrument(skip_all, err)]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<PageOut>>> {
    let pages = PAGES.get(&state.cache, &state.db, ()).await?;
    Ok(Json(pages.into_iter().map(PageOut::from).collect()))
}

/// A page to register.
#[derive(Deserialize, ToSchema)]
pub struct NewPageIn {
    /// Its address (`https://` is assumed when missing).
    url: String,
    /// A title to show instead of the page's own.
    #[serde(default)]
    title: Option<String>,
    /// The captcha of `GET /api/v1/captcha`.
    #[serde(flatten)]
    captcha: CaptchaAnswer,
}

/// Register a page (its first crawl is queued).
#[utoipa::path(post, path = "/api/v1/pages", tag = "wordcloud",
    security(("bearer" = [])),
    request_body = NewPageIn,
    responses(
        (status = 201, description = "Registered", body = PageOut),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Wrong or expired captcha (fetch a new one)", content_type = "application/problem+json"),
        (status = 409, description = "Already registered", content_type = "application/problem+json"),
        (status = 422, description = "Bad URL or title", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn add(
    State(state): State<AppState>,
    RequireUser(me): RequireUser,
    ip: ClientIp,
    ApiJson(input): ApiJson<NewPageIn>,
) -> Result<Response> {
    let form = AddInput {
        url: input.url,
        title: input.title.unwrap_or_default(),
        ..AddInput::default()
    };
    // The captcha first, as for a signup: a request without a solved one learns nothing more.
    form_guard::require(&state, &ip, &input.captcha).await?;
    let new = form.parse()?;
    match model::add(
        &state.db,
        &state.cache,
        &new.url,
        new.title.as_deref(),
        Some(me.id),
    )
    .await
    {
        Ok(id) => {
            crawl::enqueue(&state.db, id).await?;
            let page = PAGE
                .get(&state.cache, &state.db, id)
                .await?
                .ok_or(AppError::NotFound)?;
            Ok((StatusCode::CREATED, Json(PageOut::from(page))).into_response())
        }
        Err(AddError::Exists(id)) => Err(AppError::conflict(
            "url",
            Message::new("page-exists").arg("id", id),
        )),
        Err(AddError::Db(e)) => Err(e.into()),
    }
}

/// One page.
#[utoipa::path(get, path = "/api/v1/pages/{id}", tag = "wordcloud",
    params(("id" = i64, Path, description = "Page id")),
    responses(
        (status = 200, description = "The page", body = PageOut),
        (status = 404, description = "No such page", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn get(State(state): State<AppState>, Id(id): Id) -> Result<Json<PageOut>> {
    let page = PAGE
        .get(&state.cache, &state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(page.into()))
}

/// Which counts.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct CountsQuery {
    /// The crawl in effect at this time.
    at: Option<String>,
    /// Sum from this time or day…
    from: Option<String>,
    /// …to this time or day (inclusive).
    to: Option<String>,
    /// Most words returned (1–5000, default 100).
    limit: Option<String>,
    /// `1`: before ignore lists.
    raw: Option<String>,
}

/// A word and its count.
#[derive(Serialize, ToSchema)]
pub struct WordCount {
    word: String,
    count: i64,
}

/// Word counts of a page.
#[derive(Serialize, ToSchema)]
pub struct CountsOut {
    page_id: i64,
    /// The (latest) crawl counted.
    crawled_at: DateTime<Utc>,
    /// Crawls summed.
    crawls: i64,
    /// Ignore lists applied.
    filtered: bool,
    /// Largest first.
    words: Vec<WordCount>,
}

fn invalid(field: &'static str, message: Message) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, message)])
}

fn invalid_at(field: String, message: Message) -> AppError {
    AppError::Invalid(vec![FieldError::new(&field, message)])
}

fn instant(
    tz: chrono_tz::Tz,
    field: &'static str,
    text: &str,
    end_of_day: bool,
) -> Result<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text.trim()) {
        return Ok(t.with_timezone(&Utc));
    }
    if field == "at" {
        return when::at(tz, text).map_err(|m| invalid(field, m));
    }
    let (start, end) = when::days(tz, text, text).map_err(|m| invalid(field, m))?;
    Ok(if end_of_day { end } else { start })
}

/// Word counts of the latest crawl, of the crawl at a time, or summed over a period.
#[utoipa::path(get, path = "/api/v1/pages/{id}/wordcounts", tag = "wordcloud",
    params(("id" = i64, Path, description = "Page id"), CountsQuery),
    responses(
        (status = 200, description = "Counts", body = CountsOut),
        (status = 404, description = "No such page, or no successful crawl then", content_type = "application/problem+json"),
        (status = 422, description = "Bad time or limit, or a period longer than HUD_CLOUD_MAX_RANGE_DAYS", content_type = "application/problem+json"),
        (status = 429, description = "Too many uncached renders from this client (see Retry-After)", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn wordcounts(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ip: ClientIp,
    Id(id): Id,
    Query(query): Query<CountsQuery>,
) -> Result<Json<CountsOut>> {
    PAGE.get(&state.cache, &state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    budget::spend(&state, &ip).await?;
    let present = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    let selection = match (present(&query.at), present(&query.from), present(&query.to)) {
        (Some(at), _, _) => Selection::At(instant(ctx.tz, "at", &at, false)?),
        (None, Some(from), Some(to)) => {
            let (a, b) = (
                instant(ctx.tz, "from", &from, false)?,
                instant(ctx.tz, "to", &to, true)?,
            );
            if b < a {
                return Err(invalid("to", Message::new("when-range-reversed")));
            }
            Selection::Range(a, b)
        }
        (None, None, None) => Selection::Latest,
        _ => return Err(invalid("from", Message::new("when-range-incomplete"))),
    };
    let limit = match present(&query.limit) {
        None => 100,
        Some(text) => match text.parse::<usize>() {
            Ok(n) if (1..=5000).contains(&n) => n,
            _ => {
                return Err(invalid(
                    "limit",
                    Message::new("api-limit-range").arg("max", 5000_i64),
                ));
            }
        },
    };
    let filtered = present(&query.raw).as_deref() != Some("1");
    let mut request = view::Request {
        selection,
        filtered,
        options: Default::default(),
        problems: Vec::new(),
    };
    view::bound(&state, id, &mut request).await?;
    if let Some(problem) = request.problems.first() {
        return Err(invalid("to", problem.clone()));
    }
    let counts = view::counts(&state.db, &state.cache, id, &request)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(Json(CountsOut {
        page_id: id,
        crawled_at: counts.crawled_at,
        crawls: counts.crawls,
        filtered,
        words: counts
            .words
            .into_iter()
            .take(limit)
            .map(|(word, count)| WordCount { word, count })
            .collect(),
    }))
}

/// The cloud as SVG (same parameters as the cloud page: `at` local time, `from`/`to` local days,
/// `raw`, `scale`, `vertical`, `words`).
#[utoipa::path(get, path = "/api/v1/pages/{id}/cloud.svg", tag = "wordcloud",
    params(("id" = i64, Path, description = "Page id")),
    responses(
        (status = 200, description = "The cloud", content_type = "image/svg+xml"),
        (status = 404, description = "No such page, or no successful crawl then", content_type = "application/problem+json"),
        (status = 422, description = "Bad parameters, or a period longer than HUD_CLOUD_MAX_RANGE_DAYS", content_type = "application/problem+json"),
        (status = 429, description = "Too many uncached renders from this client (see Retry-After)", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn cloud_svg(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ip: ClientIp,
    Id(id): Id,
    Query(query): Query<CloudQuery>,
) -> Result<Response> {
    let page = PAGE
        .get(&state.cache, &state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    budget::spend(&state, &ip).await?;
    let request = view::request(&state, id, &query, ctx.tz).await?;
    if let Some(problem) = request.problems.first() {
        return Err(invalid("query", problem.clone()));
    }
    let counts = view::counts(&state.db, &state.cache, id, &request)
        .await?
        .ok_or(AppError::NotFound)?;
    let title = ctx
        .lang
        .t_args("cloud-title", &[("page", page.name().into())]);
    let drawn = view::draw(counts, request.options, title, ctx.lang, None)
        .await
        .map_err(anyhow::Error::from)?;
    let svg = drawn.svg;
    Ok(([(header::CONTENT_TYPE, "image/svg+xml")], svg).into_response())
}

/// An ignore list.
#[derive(Serialize, ToSchema)]
pub struct IgnoreListOut {
    id: i64,
    name: String,
    /// Lower case, sorted.
    words: Vec<String>,
}

/// An ignore list to save.
#[derive(Deserialize, ToSchema)]
pub struct IgnoreListIn {
    /// 1–100 characters, not only white space, no control characters; unique. (The pattern
    /// says "no control characters, and one character that is not white space".)
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = "^[^\\u0000-\\u001f\\u007f-\\u009f]*[^\\u0000-\\u0020\\u007f-\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000][^\\u0000-\\u001f\\u007f-\\u009f]*$"
    )]
    name: String,
    /// Words to leave out of clouds (at most 5000), one per item: 1–100 characters, no white
    /// space, commas or control characters.
    #[schema(max_items = 5000, inline, value_type = Vec<IgnoreWord>)]
    words: Vec<String>,
}

/// A word of an ignore list (no control characters, white space or commas: what separates
/// words in the list form).
#[derive(ToSchema)]
#[schema(value_type = String, min_length = 1, max_length = 100, pattern = "^[^\\u0000-\\u0020,\\u007f-\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]*$")]
#[expect(
    dead_code,
    reason = "a schema-only type: it describes the items of `words`"
)]
struct IgnoreWord(String);

impl IgnoreListIn {
    fn parse(&self) -> Result<(String, Vec<String>)> {
        let mut errors = FormErrors::new();
        let name = self.name.trim();
        if name.is_empty()
            || self.name.chars().count() > 100
            || self.name.chars().any(char::is_control)
        {
            errors.add(
                "name",
                Message::new("ignore-name-invalid").arg("max", 100_i64),
            );
        }
        // One word per item: what the list form splits, the API refuses (so the document can say
        // exactly what is accepted).
        let bad_word = self.words.iter().position(|w| {
            w.is_empty()
                || w.chars().count() > 100
                || w.chars()
                    .any(|c| c.is_control() || c.is_whitespace() || c == ',')
        });
        if self.words.len() > 5000 {
            return Err(invalid(
                "words",
                Message::new("ignore-too-many").arg("max", 5000_i64),
            ));
        }
        if let Some(i) = bad_word {
            return Err(invalid_at(
                format!("words[{i}]"),
                Message::new("ignore-word-invalid").arg("max", 100_i64),
            ));
        }
        let words = ignore::parse_words(&self.words.join("\n"))
            .map_err(|m| errors.add("words", m))
            .ok();
        match words {
            Some(words) if errors.is_empty() => Ok((name.to_owned(), words)),
            _ => Err(errors.into()),
        }
    }
}

fn list_out(l: ignore::IgnoreList) -> IgnoreListOut {
    IgnoreListOut {
        id: l.id,
        name: l.name,
        words: l.words,
    }
}

fn save_error(e: SaveError) -> AppError {
    match e {
        SaveError::NameTaken => AppError::conflict("name", Message::new("ignore-name-taken")),
        SaveError::Db(e) => e.into(),
    }
}

/// Every ignore list (admins).
#[utoipa::path(get, path = "/api/v1/ignore-lists", tag = "wordcloud",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The lists", body = [IgnoreListOut]),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Not an admin", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn lists(
    State(state): State<AppState>,
    _admin: RequireAdmin,
) -> Result<Json<Vec<IgnoreListOut>>> {
    let lists = LISTS.get(&state.cache, &state.db, ()).await?;
    Ok(Json(lists.into_iter().map(list_out).collect()))
}

/// Create an ignore list (admins).
#[utoipa::path(post, path = "/api/v1/ignore-lists", tag = "wordcloud",
    security(("bearer" = [])),
    request_body = IgnoreListIn,
    responses(
        (status = 201, description = "Created", body = IgnoreListOut),
        (status = 403, description = "Not an admin", content_type = "application/problem+json"),
        (status = 409, description = "Name taken", content_type = "application/problem+json"),
        (status = 422, description = "Bad name or words", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn create_list(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    ApiJson(input): ApiJson<IgnoreListIn>,
) -> Result<Response> {
    let (name, words) = input.parse()?;
    let id = ignore::create(&state.db, &state.cache, &name, &words)
        .await
        .map_err(save_error)?;
    Ok((StatusCode::CREATED, Json(IgnoreListOut { id, name, words })).into_response())
}

/// Replace an ignore list's name and words (admins); every page using it changes at once.
#[utoipa::path(put, path = "/api/v1/ignore-lists/{id}", tag = "wordcloud",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "List id")),
    request_body = IgnoreListIn,
    responses(
        (status = 200, description = "Saved", body = IgnoreListOut),
        (status = 404, description = "No such list", content_type = "application/problem+json"),
        (status = 409, description = "Name taken", content_type = "application/problem+json"),
        (status = 422, description = "Bad name or words", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn update_list(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    Id(id): Id,
    ApiJson(input): ApiJson<IgnoreListIn>,
) -> Result<Json<IgnoreListOut>> {
    let (name, words) = input.parse()?;
    if !ignore::update(&state.db, &state.cache, id, &name, &words)
        .await
        .map_err(save_error)?
    {
        return Err(AppError::NotFound);
    }
    Ok(Json(IgnoreListOut { id, name, words }))
}

/// Delete an ignore list (admins).
#[utoipa::path(delete, path = "/api/v1/ignore-lists/{id}", tag = "wordcloud",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "List id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such list", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn delete_list(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    Id(id): Id,
) -> Result<StatusCode> {
    if !ignore::delete(&state.db, &state.cache, id).await? {
        return Err(AppError::NotFound);
    }
    Ok(StatusCode::NO_CONTENT)
}
