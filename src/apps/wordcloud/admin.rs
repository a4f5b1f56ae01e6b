//! Admin pages: every page (edit title, pause, re-crawl, attach ignore lists) and the ignore
//! lists themselves.

use axum::{
    Form,
    extract::{Path, Query, State},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

use super::{
    crawl,
    ignore::{self, IgnoreList, LISTS, PAGE_LISTS, SaveError},
    model::{self, PAGE, Page as WebPage},
    pages::{PER_PAGE, TITLE_MAX},
};
use crate::web::{
    AppError, AppState, Message, Page, Result,
    auth::RequireAdmin,
    flash::{self, FlashKind},
    form::{FieldMessages, FormErrors},
    page::{render, render_form},
    pagination::{PageParam, Pager, paginate},
};

/// The pages table.
#[derive(askama::Template)]
#[template(path = "wordcloud/admin_pages.html")]
struct PagesTemplate {
    page: Page,
    pages: Vec<WebPage>,
    pager: Pager,
}

#[tracing::instrument(skip_all, err)]
pub async fn pages(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Query(query): Query<PageParam>,
) -> Result<Response> {
    let page = page.with_form().await?;
    let (pages, pager) = paginate(query.number(), PER_PAGE, String::new(), |limit, offset| {
        model::list_page(&state.cache, &state.db, limit, offset)
    })
    .await?;
    render(&PagesTemplate { page, pages, pager })
}

/// One page's settings.
#[derive(askama::Template)]
#[template(path = "wordcloud/admin_page.html")]
struct PageTemplate {
    page: Page,
    entry: WebPage,
    action: String,
    lists: Vec<(IgnoreList, bool)>,
    title: String,
    active: bool,
    errors: FieldMessages,
}

/// The settings form as typed (`lists` repeats).
#[derive(Debug, Default)]
pub struct PageInput {
    title: String,
    active: bool,
    lists: Vec<i64>,
}

impl PageInput {
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut input = PageInput::default();
        for (name, value) in pairs {
            match name.as_str() {
                "title" => input.title = value,
                "active" => input.active = true,
                "lists" => input.lists.extend(value.parse::<i64>().ok()),
                _ => {}
            }
        }
        input
    }
}

async fn page_form(
    state: &AppState,
    page: Page,
    entry: WebPage,
    input: Option<PageInput>,
    errors: &FormErrors,
) -> Result<Response> {
    let page = page.with_form().await?;
    let attached = match &input {
        Some(input) => input.lists.clone(),
        None => PAGE_LISTS.get(&state.cache, &state.db, entry.id).await?,
    };
    let lists = LISTS
        .get(&state.cache, &state.db, ())
        .await?
        .into_iter()
        .map(|l| {
            let on = attached.contains(&l.id);
            (l, on)
        })
        .collect();
    let (title, active) = match input {
        Some(input) => (input.title, input.active),
        None => (entry.title.clone().unwrap_or_default(), entry.active),
    };
    let invalid = !errors.is_empty();
    render_form(
        &PageTemplate {
            errors: errors.translate(page.lang),
            action: format!("/admin/pages/{}", entry.id),
            page,
            entry,
            lists,
            title,
            active,
        },
        invalid,
    )
}

async fn find(state: &AppState, id: i64) -> Result<WebPage> {
    PAGE.get(&state.cache, &state.db, id)
        .await?
        .ok_or(AppError::NotFound)
}

#[tracing::instrument(skip_all, err)]
pub async fn edit_page(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Path(id): Path<i64>,
) -> Result<Response> {
    let entry = find(&state, id).await?;
    page_form(&state, page, entry, None, &FormErrors::new()).await
}

#[tracing::instrument(skip_all, err)]
pub async fn save_page(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response> {
    let entry = find(&state, id).await?;
    let input = PageInput::from_pairs(pairs);
    let title = input.title.trim();
    let mut errors = FormErrors::new();
    if title.chars().count() > TITLE_MAX || title.chars().any(char::is_control) {
        errors.add(
            "title",
            Message::new("page-title-too-long").arg("max", TITLE_MAX as i64),
        );
    }
    if !errors.is_empty() {
        return page_form(&state, page, entry, Some(input), &errors).await;
    }
    let title = (!title.is_empty()).then_some(title);
    model::update(&state.db, &state.cache, id, title, input.active).await?;
    ignore::set_page_lists(&state.db, &state.cache, id, &input.lists).await?;
    flash::push(
        page.session(),
        FlashKind::Success,
        Message::new("admin-page-saved"),
    )
    .await?;
    Ok(Redirect::to(&page.url("/admin/pages")).into_response())
}

#[tracing::instrument(skip_all, err)]
pub async fn recrawl(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Path(id): Path<i64>,
) -> Result<Response> {
    find(&state, id).await?;
    let message = match crawl::enqueue(&state.db, id).await? {
        Some(_) => Message::new("admin-crawl-queued"),
        None => Message::new("admin-crawl-pending"),
    };
    flash::push(page.session(), FlashKind::Success, message).await?;
    Ok(Redirect::to(&page.url("/admin/pages")).into_response())
}

/// The ignore lists.
#[derive(askama::Template)]
#[template(path = "wordcloud/admin_lists.html")]
struct ListsTemplate {
    page: Page,
    lists: Vec<IgnoreList>,
    /// The create / edit form.
    editing: Option<i64>,
    name: String,
    words: String,
    action: String,
    errors: FieldMessages,
}

/// The list form as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListInput {
    name: String,
    words: String,
}

async fn lists_page(
    state: &AppState,
    page: Page,
    editing: Option<i64>,
    input: ListInput,
    errors: &FormErrors,
) -> Result<Response> {
    let page = page.with_form().await?;
    let lists = LISTS.get(&state.cache, &state.db, ()).await?;
    let invalid = !errors.is_empty();
    render_form(
        &ListsTemplate {
            errors: errors.translate(page.lang),
            action: match editing {
                Some(id) => format!("/admin/ignore-lists/{id}"),
                None => "/admin/ignore-lists".into(),
            },
            page,
            lists,
            editing,
            name: input.name,
            words: input.words,
        },
        invalid,
    )
}

#[tracing::instrument(skip_all, err)]
pub async fn lists(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
) -> Result<Response> {
    lists_page(&state, page, None, ListInput::default(), &FormErrors::new()).await
}

#[tracing::instrument(skip_all, err)]
pub async fn edit_list(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Path(id): Path<i64>,
) -> Result<Response> {
    let list = LISTS
        .get(&state.cache, &state.db, ())
        .await?
        .into_iter()
        .find(|l| l.id == id)
        .ok_or(AppError::NotFound)?;
    let input = ListInput {
        name: list.name,
        words: list.words.join("\n"),
    };
    lists_page(&state, page, Some(id), input, &FormErrors::new()).await
}

/// Validate a list form.
fn parse_list(input: &ListInput) -> std::result::Result<(String, Vec<String>), FormErrors> {
    let mut errors = FormErrors::new();
    let name = input.name.trim();
    if name.is_empty() {
        errors.add("name", Message::new("field-required"));
    } else if name.chars().count() > 100 || name.chars().any(char::is_control) {
        errors.add(
            "name",
            Message::new("ignore-name-invalid").arg("max", 100_i64),
        );
    }
    let words = ignore::parse_words(&input.words)
        .map_err(|m| errors.add("words", m))
        .ok();
    match words {
        Some(words) if errors.is_empty() => Ok((name.to_owned(), words)),
        _ => Err(errors),
    }
}

async fn save_list(
    state: &AppState,
    page: Page,
    id: Option<i64>,
    input: ListInput,
) -> Result<Response> {
    let (name, words) = match parse_list(&input) {
        Ok(valid) => valid,
        Err(errors) => return lists_page(state, page, id, input, &errors).await,
    };
    let saved = match id {
        Some(id) => ignore::update(&state.db, &state.cache, id, &name, &words)
            .await
            .map(|found| found.then_some(id)),
        None => ignore::create(&state.db, &state.cache, &name, &words)
            .await
            .map(Some),
    };
    match saved {
        Ok(Some(_)) => {
            flash::push(
                page.session(),
                FlashKind::Success,
                Message::new("ignore-saved"),
            )
            .await?;
            Ok(Redirect::to(&page.url("/admin/ignore-lists")).into_response())
        }
        Ok(None) => Err(AppError::NotFound),
        Err(SaveError::NameTaken) => {
            let mut errors = FormErrors::new();
            errors.add("name", Message::new("ignore-name-taken"));
            lists_page(state, page, id, input, &errors).await
        }
        Err(SaveError::Db(e)) => Err(e.into()),
    }
}

#[tracing::instrument(skip_all, err)]
pub async fn create_list(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Form(input): Form<ListInput>,
) -> Result<Response> {
    save_list(&state, page, None, input).await
}

#[tracing::instrument(skip_all, err)]
pub async fn update_list(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Path(id): Path<i64>,
    Form(input): Form<ListInput>,
) -> Result<Response> {
    save_list(&state, page, Some(id), input).await
}

#[tracing::instrument(skip_all, err)]
pub async fn delete_list(
    State(state): State<AppState>,
    _admin: RequireAdmin,
    page: Page,
    Path(id): Path<i64>,
) -> Result<Response> {
    if !ignore::delete(&state.db, &state.cache, id).await? {
        return Err(AppError::NotFound);
    }
    flash::push(
        page.session(),
        FlashKind::Success,
        Message::new("ignore-deleted"),
    )
    .await?;
    Ok(Redirect::to(&page.url("/admin/ignore-lists")).into_response())
}
