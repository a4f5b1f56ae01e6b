//! The public pages: the list of pages, adding one (logged in, captcha), a page's cloud (latest,
//! at a time, over a range; before or after ignore lists) with its counts table and crawl
//! history, and the cloud as SVG or PNG.

use axum::{
    Form,
    extract::{Path, Query, State},
    http::header,
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use super::{
    address, budget, crawl,
    model::{self, AddError, CrawlRow, PAGE, Page as WebPage, Registrant},
    view::{self, CloudQuery, Selection},
};
use crate::{
    web::form_guard::{self as captcha, GuardInput},
    web::{
        AppError, AppState, Message, Page, Result,
        audit::Audit,
        auth::{CurrentUser, RequireUser},
        extract::ClientIp,
        flash::{self, FlashKind},
        form::{FieldMessages, FormErrors},
        page::{render, render_form},
        pagination::{PageParam, Pager, paginate},
    },
};

/// Longest title given to a page.
pub const TITLE_MAX: usize = 200;

/// The list of pages.
#[derive(askama::Template)]
#[template(path = "wordcloud/list.html")]
struct ListTemplate {
    page: Page,
    pages: Vec<WebPage>,
    pager: Pager,
}

/// Pages listed on one page of `/pages` and `/admin/pages`.
pub const PER_PAGE: i64 = 50;

#[tracing::instrument(skip_all, err)]
pub async fn list(
    State(state): State<AppState>,
    page: Page,
    Query(query): Query<PageParam>,
) -> Result<Response> {
    let (pages, pager) = paginate(query.number(), PER_PAGE, String::new(), |limit, offset| {
        model::list_page(&state.cache, &state.db, limit, offset)
    })
    .await?;
    render(&ListTemplate { page, pages, pager })
}

/// The add-a-page form as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct AddInput {
    /// The page's address.
    pub url: String,
    /// An optional title.
    pub title: String,
    /// The captcha.
    #[serde(flatten)]
    pub captcha: GuardInput,
}

/// A valid new page.
pub struct NewPage {
    /// Normalised URL.
    pub url: String,
    /// Trimmed title, if any.
    pub title: Option<String>,
}

impl AddInput {
    /// Validate (the same rules serve the API).
    pub fn parse(&self) -> std::result::Result<NewPage, FormErrors> {
        let mut errors = FormErrors::new();
        let url = address::normalize(&self.url)
            .map_err(|m| errors.add("url", m))
            .ok();
        let title = self.title.trim();
        if title.chars().count() > TITLE_MAX {
            errors.add(
                "title",
                Message::new("page-title-too-long").arg("max", TITLE_MAX as i64),
            );
        }
        if title.chars().any(char::is_control) {
            errors.add("title", Message::new("page-title-invalid"));
        }
        match url {
            Some(url) if errors.is_empty() => Ok(NewPage {
                url: url.to_string(),
                title: (!title.is_empty()).then(|| title.to_owned()),
            }),
            _ => Err(errors),
        }
    }
}

/// The add-a-page form.
#[derive(askama::Template)]
#[template(path = "wordcloud/add.html")]
struct AddTemplate {
    page: Page,
    form: AddInput,
    errors: FieldMessages,
    guards: Vec<String>,
}

#[tracing::instrument(skip_all, err)]
pub async fn add_form(_user: RequireUser, ip: ClientIp, page: Page) -> Result<Response> {
    let page = page.with_form().await?;
    render(&AddTemplate {
        guards: captcha::fields(&page, &ip, None).await?,
        page,
        form: AddInput::default(),
        errors: FieldMessages::default(),
    })
}

async fn add_again(
    page: Page,
    ip: &ClientIp,
    form: AddInput,
    errors: &FormErrors,
    captcha_error: Option<&Message>,
) -> Result<Response> {
    let invalid = !errors.is_empty() || captcha_error.is_some();
    let guards = captcha::fields(&page, ip, captcha_error).await?;
    render_form(
        &AddTemplate {
            errors: errors.translate(page.lang),
            page,
            form,
            guards,
        },
        invalid,
    )
}

#[tracing::instrument(skip_all, err)]
pub async fn add(
    State(state): State<AppState>,
    RequireUser(me): RequireUser,
    ip: ClientIp,
    page: Page,
    Form(input): Form<AddInput>,
) -> Result<Response> {
    let page = page.with_form().await?;
    let new = match captcha::judge(&page, &ip, &input.captcha, input.parse()).await? {
        Ok(new) => new,
        Err(again) => {
            let error = again.guard_error.as_ref();
            return add_again(page, &ip, input, &again.errors, error).await;
        }
    };
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
            flash::push(
                page.session(),
                FlashKind::Success,
                Message::new("page-added"),
            )
            .await?;
            Ok(Redirect::to(&page.url(&format!("/pages/{id}"))).into_response())
        }
        Err(refused) => {
            let message = refusal(refused)?;
            captcha::remember_pass(&page).await?;
            let mut errors = FormErrors::new();
            errors.add("url", message);
            add_again(page, &ip, input, &errors, None).await
        }
    }
}

/// What to tell someone whose page was not registered (the form and the API); a database
/// error stays one.
pub fn refusal(error: AddError) -> std::result::Result<Message, sqlx::Error> {
    match error {
        AddError::Exists(id) => Ok(Message::new("page-exists").arg("id", id)),
        AddError::Quota(max) => Ok(Message::new("page-quota-reached").arg("max", max)),
        AddError::Db(e) => Err(e),
    }
}

/// A page's cloud.
#[derive(askama::Template)]
#[template(path = "wordcloud/detail.html")]
struct DetailTemplate {
    page: Page,
    entry: WebPage,
    /// `/pages/ID` and its images.
    path: String,
    svg_path: String,
    png_path: String,
    compare_path: String,
    trend_path: String,
    query: CloudQuery,
    /// The query string for the SVG/PNG links and the raw/filtered switch.
    query_string: String,
    raw_query_string: String,
    filtered: bool,
    problems: Vec<String>,
    /// The counts shown (None: no successful crawl in the selection).
    counts: Option<model::Counts>,
    svg: Option<String>,
    left_out: usize,
    history: Vec<CrawlRow>,
    /// The reader registered the page or is an administrator.
    can_delete: bool,
}

fn query_string(query: &CloudQuery, raw: bool) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    for (name, value) in [
        ("at", &query.at),
        ("from", &query.from),
        ("to", &query.to),
        ("scale", &query.scale),
        ("vertical", &query.vertical),
        ("words", &query.words),
    ] {
        if let Some(v) = value.as_deref().filter(|v| !v.trim().is_empty()) {
            out.append_pair(name, v);
        }
    }
    if raw {
        out.append_pair("raw", "1");
    }
    out.finish()
}

async fn load(state: &AppState, id: i64) -> Result<WebPage> {
    PAGE.get(&state.cache, &state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

fn search_base(page: &Page) -> Option<String> {
    page.enabled("search").then(|| page.url("/search?q="))
}

/// The compare link: this page a day before the crawl shown (left) against that crawl (right),
/// when it was crawled then; else twice its latest crawl, for the reader to pick times.
fn compare_path(
    id: i64,
    counts: Option<&model::Counts>,
    history: &[CrawlRow],
    page: &Page,
) -> String {
    let plain = format!("/pages/compare?a={id}&b={id}");
    let Some(shown) = counts.map(|c| c.crawled_at) else {
        return plain;
    };
    let day_before = shown - chrono::Duration::days(1);
    if !history
        .iter()
        .any(|h| h.outcome == "ok" && h.crawled_at <= day_before)
    {
        return plain;
    }
    // The form's minutes, rounded up so a crawl within that minute counts as before it.
    let at = (day_before + chrono::Duration::seconds(59)).with_timezone(&page.tz);
    let at_b = (shown + chrono::Duration::seconds(59)).with_timezone(&page.tz);
    format!(
        "{plain}&at_a={}&at_b={}",
        at.format("%Y-%m-%dT%H:%M"),
        at_b.format("%Y-%m-%dT%H:%M")
    )
}

#[tracing::instrument(skip_all, err)]
pub async fn detail(
    State(state): State<AppState>,
    ip: ClientIp,
    page: Page,
    Path(id): Path<i64>,
    Query(query): Query<CloudQuery>,
) -> Result<Response> {
    let item = load(&state, id).await?;
    budget::spend(&state, &ip).await?;
    let request = view::request(&state, id, &query, page.tz).await?;
    let counts = view::counts(&state.db, &state.cache, id, &request).await?;
    let (svg, left_out) = match &counts {
        Some(counts) if !counts.words.is_empty() => {
            let title = page.t1("cloud-title", "page", item.name());
            let search = search_base(&page);
            let drawn = view::draw(
                counts.clone(),
                request.options.clone(),
                title,
                page.lang,
                search,
            )
            .await
            .map_err(anyhow::Error::from)?;
            (Some(drawn.svg), drawn.left_out)
        }
        _ => (None, 0),
    };
    let history = model::history(&state.db, id, 20).await?;
    let problems = request
        .problems
        .iter()
        .chain(&request.notices)
        .map(|(_, m)| m)
        .map(|m| page.message(m))
        .collect();
    let compare_path = compare_path(id, counts.as_ref(), &history, &page);
    let response = render(&DetailTemplate {
        query_string: query_string(&query, !request.filtered),
        raw_query_string: query_string(&query, request.filtered),
        filtered: request.filtered,
        problems,
        counts,
        svg,
        left_out,
        history,
        path: format!("/pages/{id}"),
        svg_path: format!("/pages/{id}/cloud.svg"),
        png_path: format!("/pages/{id}/cloud.png"),
        compare_path,
        trend_path: format!("/pages/{id}/trend"),
        can_delete: page
            .user
            .as_ref()
            .is_some_and(|me| model::may_delete(&item, me)),
        entry: item,
        query,
        page,
    })?;
    Ok(response)
}

/// The question before a page is deleted: what goes with it.
#[derive(askama::Template)]
#[template(path = "wordcloud/delete.html")]
struct DeleteTemplate {
    page: Page,
    entry: WebPage,
    /// Its stored crawls.
    crawls: i64,
}

/// The page `id`, if `me` may delete it (else 403; 404 when there is none): the delete
/// question, the form and the API alike.
pub async fn deletable(state: &AppState, me: &CurrentUser, id: i64) -> Result<WebPage> {
    let entry = load(state, id).await?;
    if model::may_delete(&entry, me) {
        Ok(entry)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The audit record of deleting `entry`: when `me` deletes a page someone else registered
/// (an administrator's action), none for one's own.
pub fn deletion_audit(entry: &WebPage, me: &CurrentUser) -> Option<Audit> {
    (entry.added_by != Some(me.id)).then(|| Audit::new("page.delete", entry.url.clone()))
}

/// `GET /pages/{id}/delete`: for the one who registered the page and administrators.
#[tracing::instrument(skip_all, err)]
pub async fn delete_form(
    State(state): State<AppState>,
    RequireUser(me): RequireUser,
    page: Page,
    Path(id): Path<i64>,
) -> Result<Response> {
    let entry = deletable(&state, &me, id).await?;
    let crawls = model::crawl_count(&state.db, id).await?;
    let page = page.with_form().await?;
    render(&DeleteTemplate {
        page,
        entry,
        crawls,
    })
}

/// `POST /pages/{id}/delete`: the page, its crawls and its clouds go, in every instance.
#[tracing::instrument(skip_all, err)]
pub async fn delete(
    State(state): State<AppState>,
    RequireUser(me): RequireUser,
    page: Page,
    Path(id): Path<i64>,
) -> Result<Response> {
    let entry = deletable(&state, &me, id).await?;
    model::delete(&state.db, &state.cache, id).await?;
    flash::push(
        page.session(),
        FlashKind::Success,
        Message::new("page-deleted").arg("page", entry.name()),
    )
    .await?;
    let done = Redirect::to(&page.url("/pages"));
    Ok(match deletion_audit(&entry, &me) {
        Some(audit) => audit.to(done),
        None => done.into_response(),
    })
}

/// `GET /pages/{id}/cloud.svg` and `/pages/{id}/cloud.png`, with the page's query string.
#[tracing::instrument(skip_all, err)]
pub async fn image(
    State(state): State<AppState>,
    ip: ClientIp,
    page: Page,
    Path((id, file)): Path<(i64, String)>,
    Query(query): Query<CloudQuery>,
) -> Result<Response> {
    let png = match file.as_str() {
        "cloud.svg" => false,
        "cloud.png" => true,
        _ => return Err(AppError::NotFound),
    };
    let item = load(&state, id).await?;
    budget::spend(&state, &ip).await?;
    let request = view::request(&state, id, &query, page.tz).await?;
    if let Some((_, problem)) = request.problems.first() {
        return Err(AppError::BadRequest(problem.clone()));
    }
    let counts = match view::counts(&state.db, &state.cache, id, &request).await? {
        Some(counts) => counts,
        // A period without crawls is an empty cloud (as in the API).
        None if matches!(request.selection, Selection::Range(..)) => view::no_counts(),
        None => return Err(AppError::NotFound),
    };
    let title = page.t1("cloud-title", "page", item.name());
    // Links make no sense in a picture.
    let search = if png { None } else { search_base(&page) };
    let drawn = view::draw(counts, request.options, title, page.lang, search)
        .await
        .map_err(anyhow::Error::from)?;
    let (body, content_type) = view::file(drawn.svg, png).await?;
    Ok(([(header::CONTENT_TYPE, content_type)], body).into_response())
}
