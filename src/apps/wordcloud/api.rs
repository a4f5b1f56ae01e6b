//! JSON API of the word clouds: pages, word counts, cloud SVG, and ignore lists for admins.
//!
//! Times: `at`, `from` and `to` take RFC 3339 instants (`2025-12-25T15:00:00+01:00`); `at` also
//! takes a local `2025-12-25T15:00` and `from`/`to` local dates (`2025-12-25`, whole days), read
//! in the caller's timezone (their preference, else UTC). Periods as the cloud page reads them
//! ([`view`]): `from` alone until now, `to` alone from the first crawl, a reversed one empty,
//! a longer one than `HUD_CLOUD_MAX_RANGE_DAYS` cut to its most recent days (with a notice).

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
    model::{self, AddError, PAGE, PAGES, Page as WebPage, Registrant},
    pages::{self, AddInput, refusal},
    view::{self, CloudQuery, Selection},
};
use crate::{
    web::form_guard::{self, CaptchaAnswer},
    web::{
        AppError, AppState, Message, Notice, Result,
        api_input::{Id, Json as ApiJson, Query, parse_id},
        auth::{RequireAdmin, RequireUser},
        error::FieldError,
        extract::ClientIp,
        form::FormErrors,
        middleware::context::Ctx,
        openapi,
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

/// Which pages of the list.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Most pages returned (1–500, default 100).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    limit: Option<String>,
    /// Only pages after this one: the `cursor` of the previous answer's `Link: …; rel="next"`
    /// (a page id; pages are listed by id, so the order is stable while pages are added).
    #[param(value_type = Option<i64>, minimum = 1)]
    cursor: Option<String>,
}

/// Pages listed when the request does not say how many.
const LIST_LIMIT: u64 = 100;

/// The registered pages, by id, `limit` at a time.
#[utoipa::path(get, path = "/api/v1/pages", tag = "wordcloud",
    params(ListQuery),
    responses(
        (status = 200, description = "Registered pages by id, at most `limit`", body = [PageOut],
            headers(("link" = String, description = "`</api/v1/pages?limit=…&cursor=…>; rel=\"next\"` when more pages follow"))),
        (status = 422, description = "A bad `limit` or `cursor`", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn list(
    State(state): State<AppState>,
    Query(query): Query<ListQuery>,
) -> Result<Response> {
    let limit = match query.limit.as_deref() {
        None => LIST_LIMIT,
        Some(text) => view::whole(text, 1..=500)
            .ok_or_else(|| invalid("limit", Message::new("api-limit-range").arg("max", 500_i64)))?,
    };
    let after = match query.cursor.as_deref() {
        None => 0,
        Some(text) => {
            parse_id(text).ok_or_else(|| invalid("cursor", Message::new("api-cursor-invalid")))?
        }
    };
    let pages = PAGES.get(&state.cache, &state.db, ()).await?;
    let mut rest = pages.into_iter().filter(|p| p.id > after).peekable();
    let shown: Vec<PageOut> = rest
        .by_ref()
        .take(limit as usize)
        .map(PageOut::from)
        .collect();
    let next = match (rest.peek(), shown.last()) {
        (Some(_), Some(last)) => Some(format!(
            "</api/v1/pages?limit={limit}&cursor={}>; rel=\"next\"",
            last.id
        )),
        _ => None,
    };
    let mut response = Json(shown).into_response();
    if let Some(link) = next.and_then(|l| header::HeaderValue::from_str(&l).ok()) {
        response.headers_mut().insert(header::LINK, link);
    }
    Ok(response)
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
        (status = 403, description = "Wrong or expired captcha (fetch a new one), or as many pages registered as one account may have (`HUD_PAGES_PER_USER`)", content_type = "application/problem+json"),
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
    let by = Registrant::of(&me, state.config.clouds.pages_per_user);
    match crawl::register(
        &state.db,
        &state.cache,
        &new.url,
        new.title.as_deref(),
        Some(by),
    )
    .await
    {
        Ok(id) => {
            let page = PAGE
                .get(&state.cache, &state.db, id)
                .await?
                .ok_or(AppError::NotFound)?;
            Ok((StatusCode::CREATED, Json(PageOut::from(page))).into_response())
        }
        Err(refused) => {
            let full = matches!(refused, AddError::Quota(_));
            let message = refusal(refused)?;
            Err(if full {
                AppError::denied("url", message)
            } else {
                AppError::conflict("url", message)
            })
        }
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

/// Delete a page with its crawls and clouds (the one who registered it, or an admin).
#[utoipa::path(delete, path = "/api/v1/pages/{id}", tag = "wordcloud",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "Page id")),
    responses(
        (status = 204, description = "Deleted, with its crawls; its clouds and search results are gone in every instance"),
        (status = 401, description = "No valid token", content_type = "application/problem+json"),
        (status = 403, description = "Registered by someone else (and the caller is no admin), or a read-only token", content_type = "application/problem+json"),
        (status = 404, description = "No such page", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn delete(
    State(state): State<AppState>,
    RequireUser(me): RequireUser,
    Id(id): Id,
) -> Result<Response> {
    let entry = pages::deletable(&state, &me, id).await?;
    model::delete(&state.db, &state.cache, id).await?;
    Ok(match pages::deletion_audit(&entry, &me) {
        Some(audit) => audit.to(StatusCode::NO_CONTENT),
        None => StatusCode::NO_CONTENT.into_response(),
    })
}

/// Which counts.
#[derive(Deserialize, IntoParams, Default)]
#[serde(default)]
#[into_params(parameter_in = Query)]
pub struct CountsQuery {
    /// The crawl in effect at this instant (RFC 3339; a local `2025-12-25T15:00` is read in the
    /// caller's timezone). Wins over `from`/`to`.
    #[param(format = DateTime)]
    at: Option<String>,
    /// Sum the crawls from this day or instant (alone: until now).
    #[param(schema_with = from_schema)]
    from: Option<String>,
    /// …to this day (inclusive) or instant (alone: from the first crawl).
    #[param(schema_with = to_schema)]
    to: Option<String>,
    /// Most words returned (1–5000, default 100).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 5000)]
    limit: Option<String>,
    /// `1`: the counts before ignore lists; `0` (default): after.
    #[param(schema_with = raw_schema)]
    raw: Option<String>,
}

/// The cloud's parameters (those of the cloud page).
#[derive(IntoParams)]
#[into_params(parameter_in = Query)]
#[expect(
    dead_code,
    reason = "only its OpenAPI description is used; the handler reads CloudQuery"
)]
pub struct SvgQuery {
    /// The crawl in effect at this instant (RFC 3339; a local `2025-12-25T15:00` is read in the
    /// caller's timezone). Wins over `from`/`to`.
    #[param(format = DateTime)]
    at: Option<String>,
    /// Sum the crawls from this day or instant (alone: until now).
    #[param(schema_with = from_schema)]
    from: Option<String>,
    /// …to this day (inclusive) or instant (alone: from the first crawl).
    #[param(schema_with = to_schema)]
    to: Option<String>,
    /// `1`: the counts before ignore lists; `0` (default): after.
    #[param(schema_with = raw_schema)]
    raw: Option<String>,
    /// How counts map to sizes: `linear`, `sqrt` (default) or `log`.
    #[param(schema_with = scale_schema)]
    scale: Option<String>,
    /// Percent of the words set vertically (0–100).
    #[param(value_type = Option<u32>, minimum = 0, maximum = 100)]
    vertical: Option<String>,
    /// Most words drawn (10–300).
    #[param(value_type = Option<u32>, minimum = 10, maximum = 300)]
    words: Option<String>,
}

fn from_schema() -> utoipa::openapi::schema::Schema {
    openapi::day_or_instant(
        "Sum the crawls from this day (`2025-12-25`, in the caller's timezone) or RFC 3339 \
         instant on; alone: until now. A period that ends before it starts holds no crawls (an \
         empty result); one longer than HUD_CLOUD_MAX_RANGE_DAYS is cut to its most recent \
         HUD_CLOUD_MAX_RANGE_DAYS days (with a notice).",
    )
}

fn to_schema() -> utoipa::openapi::schema::Schema {
    openapi::day_or_instant(
        "Sum the crawls up to this day (inclusive, in the caller's timezone) or RFC 3339 \
         instant; alone: from the first crawl.",
    )
}

fn raw_schema() -> utoipa::openapi::schema::Object {
    openapi::one_of_words(
        &["0", "1"],
        "`1`: the counts before ignore lists; `0` (default): after.",
    )
}

fn scale_schema() -> utoipa::openapi::schema::Object {
    openapi::one_of_words(
        &["linear", "sqrt", "log"],
        "How counts map to sizes: `linear`, `sqrt` (default) or `log`.",
    )
}

/// A word and its count.
#[derive(Serialize, ToSchema)]
pub struct WordCount {
    /// The word.
    pub word: String,
    /// How often it was counted.
    pub count: i64,
}

/// Word counts of a page.
#[derive(Serialize, ToSchema)]
pub struct CountsOut {
    page_id: i64,
    /// The (latest) crawl counted; null when a period holds no crawls.
    crawled_at: Option<DateTime<Utc>>,
    /// Crawls summed.
    crawls: i64,
    /// Ignore lists applied.
    filtered: bool,
    /// Largest first.
    words: Vec<WordCount>,
    /// Why the counts are not of the period asked for, though it was valid: it ends before it
    /// starts (`when-range-reversed`: no crawls), or it is longer than HUD_CLOUD_MAX_RANGE_DAYS
    /// (`when-range-clamped`: its most recent days are summed). Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    notice: Option<Notice>,
}

/// The header naming the notice of a cloud's SVG (its `code`), when there is one.
pub const NOTICE_HEADER: &str = "hud-notice";

/// 422 naming the parameter `field` (the API's views use it too).
pub(super) fn invalid(field: &'static str, message: Message) -> AppError {
    AppError::Invalid(vec![FieldError::new(field, message)])
}

fn invalid_at(field: String, message: Message) -> AppError {
    AppError::Invalid(vec![FieldError::new(&field, message)])
}

/// Word counts of the latest crawl, of the crawl at a time, or summed over a period.
#[utoipa::path(get, path = "/api/v1/pages/{id}/wordcounts", tag = "wordcloud",
    params(("id" = i64, Path, description = "Page id"), CountsQuery),
    responses(
        (status = 200, description = "Counts", body = CountsOut),
        (status = 404, description = "No such page, or no successful crawl then (`at`, or the latest)", content_type = "application/problem+json"),
        (status = 422, description = "A parameter the schema forbids (a bad time, limit or `raw`)", content_type = "application/problem+json"),
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
    let limit = match query.limit.as_deref().filter(|v| !v.is_empty()) {
        None => 100,
        Some(text) => match view::whole(text, 1..=5000) {
            Some(n) => n as usize,
            None => {
                return Err(invalid(
                    "limit",
                    Message::new("api-limit-range").arg("max", 5000_i64),
                ));
            }
        },
    };
    let cloud = CloudQuery {
        at: query.at,
        from: query.from,
        to: query.to,
        raw: query.raw,
        ..CloudQuery::default()
    };
    let request = view::request(&state, id, &cloud, ctx.tz).await?;
    refuse(&request)?;
    let counts = match view::counts(&state.db, &state.cache, id, &request).await? {
        Some(counts) => Some(counts),
        None if matches!(request.selection, Selection::Range(..)) => None,
        None => return Err(AppError::NotFound),
    };
    let notice = request
        .notices
        .first()
        .map(|(field, m)| Notice::new(field, m, ctx.lang));
    let Some(counts) = counts else {
        return Ok(Json(CountsOut {
            page_id: id,
            crawled_at: None,
            crawls: 0,
            filtered: request.filtered,
            words: Vec::new(),
            notice,
        }));
    };
    let filtered = request.filtered;
    Ok(Json(CountsOut {
        page_id: id,
        crawled_at: Some(counts.crawled_at),
        crawls: counts.crawls,
        filtered,
        words: counts
            .words
            .into_iter()
            .take(limit)
            .map(|(word, count)| WordCount { word, count })
            .collect(),
        notice,
    }))
}

/// A request's first problem as the API's 422, naming its parameter.
fn refuse(request: &view::Request) -> Result<()> {
    match request.problems.first() {
        Some((field, problem)) => Err(invalid(field, problem.clone())),
        None => Ok(()),
    }
}

/// The cloud as SVG (the cloud page's parameters). A period without crawls is an empty cloud;
/// one longer than HUD_CLOUD_MAX_RANGE_DAYS is cut to its most recent days, and the `HUD-Notice`
/// header says so.
#[utoipa::path(get, path = "/api/v1/pages/{id}/cloud.svg", tag = "wordcloud",
    params(("id" = i64, Path, description = "Page id"), SvgQuery),
    responses(
        (status = 200, description = "The cloud", content_type = "image/svg+xml",
            headers(("HUD-Notice" = String, description = "Set when the period asked for was not the one drawn, though valid: `when-range-reversed` (it ends before it starts: no crawls) or `when-range-clamped` (longer than HUD_CLOUD_MAX_RANGE_DAYS: its most recent days)"))),
        (status = 404, description = "No such page, or no successful crawl then (`at`, or the latest)", content_type = "application/problem+json"),
        (status = 422, description = "A parameter the schema forbids", content_type = "application/problem+json"),
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
    cloud_file(&state, &ctx, &ip, id, &query, false).await
}

/// The cloud as PNG, rendered from the SVG at twice its size (the same parameters and
/// answers as `cloud.svg`).
#[utoipa::path(get, path = "/api/v1/pages/{id}/cloud.png", tag = "wordcloud",
    params(("id" = i64, Path, description = "Page id"), SvgQuery),
    responses(
        (status = 200, description = "The cloud", content_type = "image/png",
            headers(("HUD-Notice" = String, description = "As for `cloud.svg`"))),
        (status = 404, description = "No such page, or no successful crawl then (`at`, or the latest)", content_type = "application/problem+json"),
        (status = 422, description = "A parameter the schema forbids", content_type = "application/problem+json"),
        (status = 429, description = "Too many uncached renders from this client (see Retry-After)", content_type = "application/problem+json"),
    ))]
#[tracing::instrument(skip_all, err)]
pub async fn cloud_png(
    State(state): State<AppState>,
    Extension(ctx): Extension<Ctx>,
    ip: ClientIp,
    Id(id): Id,
    Query(query): Query<CloudQuery>,
) -> Result<Response> {
    cloud_file(&state, &ctx, &ip, id, &query, true).await
}

async fn cloud_file(
    state: &AppState,
    ctx: &Ctx,
    ip: &ClientIp,
    id: i64,
    query: &CloudQuery,
    png: bool,
) -> Result<Response> {
    let page = PAGE
        .get(&state.cache, &state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    budget::spend(state, ip).await?;
    let request = view::request(state, id, query, ctx.tz).await?;
    refuse(&request)?;
    let counts = match view::counts(&state.db, &state.cache, id, &request).await? {
        Some(counts) => counts,
        None if matches!(request.selection, Selection::Range(..)) => view::no_counts(),
        None => return Err(AppError::NotFound),
    };
    let title = ctx
        .lang
        .t_args("cloud-title", &[("page", page.name().into())]);
    let drawn = view::draw(counts, request.options, title, ctx.lang, None)
        .await
        .map_err(anyhow::Error::from)?;
    let (body, content_type) = view::file(drawn.svg, png).await?;
    let mut response = ([(header::CONTENT_TYPE, content_type)], body).into_response();
    if let Some((_, notice)) = request.notices.first()
        && let Ok(value) = header::HeaderValue::from_str(&notice.id)
    {
        response.headers_mut().insert(NOTICE_HEADER, value);
    }
    Ok(response)
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
#[expect(dead_code, reason = "only its schema is used")]
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
