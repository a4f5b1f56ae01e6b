//! A search as asked for (`q`, `from`, `to`, `sort`, `page`, `lang` from the query string) →
//! a checked [`SearchRequest`], or translated messages per parameter. The page and the API
//! share it.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use utoipa::IntoParams;

use super::index::{Order, Query};
use crate::{
    i18n::Lang,
    text::language::stopwords,
    web::{Message, when},
};

/// Results per page.
pub const PER_PAGE: usize = 10;
/// Highest page number served (deeper pages are refused, not computed).
pub const MAX_PAGE: usize = 1000;

/// The query string as sent.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct SearchParams {
    /// The query: words (all must occur), `OR`, `-word` or `NOT word`, parentheses, `word*`.
    pub q: Option<String>,
    /// First day (`2025-12-25`, in the reader's timezone) or an RFC 3339 instant.
    pub from: Option<String>,
    /// Last day, inclusive (`2025-12-31`), or an RFC 3339 instant (exclusive).
    pub to: Option<String>,
    /// `newest` (default) or `relevance`.
    pub sort: Option<String>,
    /// Result page, from 1.
    pub page: Option<String>,
    /// Only pages in this language (ISO 639-1, e.g. `nl`).
    pub lang: Option<String>,
}

/// A checked search.
#[derive(Clone, Debug)]
pub struct SearchRequest {
    /// The parsed query.
    pub query: Query,
    /// Crawls at or after.
    pub from: Option<DateTime<Utc>>,
    /// Crawls before.
    pub to: Option<DateTime<Utc>>,
    /// Order.
    pub order: Order,
    /// Page, from 1.
    pub page: usize,
    /// Language filter.
    pub lang: Option<String>,
}

impl SearchRequest {
    /// The order as the query string spells it.
    pub fn sort(&self) -> &'static str {
        match self.order {
            Order::Newest => "newest",
            Order::Relevance => "relevance",
        }
    }
}

fn filled(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

/// A bound: an RFC 3339 instant as is, or a local date (`from`: its start; `to`: the end of
/// that day, so the last day counts whole).
fn bound(tz: Tz, text: &str, end: bool) -> Result<DateTime<Utc>, Message> {
    if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
        return Ok(instant.with_timezone(&Utc));
    }
    // The shared parser's messages speak of clouds; the search has its own.
    let (start, last) =
        when::days(tz, text, text).map_err(|_| Message::new("search-date-invalid"))?;
    // `days` ends a microsecond before the next day; the index's `to` is exclusive.
    Ok(if end {
        last + chrono::Duration::microseconds(1)
    } else {
        start
    })
}

impl SearchParams {
    /// Whether a query was given at all (an empty search page is not an error).
    pub fn is_empty(&self) -> bool {
        filled(&self.q).is_none()
    }

    /// Check every parameter; all problems are reported, by parameter name. Dates are read in
    /// `tz`. Query words that are stopwords of the language filter, else of the reader's
    /// language `ui`, are dropped: the crawler never stored them, so `the cat` finds cats.
    pub fn check(&self, tz: Tz, ui: Lang) -> Result<SearchRequest, Vec<(&'static str, Message)>> {
        let mut problems = Vec::new();
        let common = stopwords(filled(&self.lang).unwrap_or(ui.code()));
        let query =
            match Query::parse_with_stopwords(self.q.as_deref().unwrap_or_default(), &common) {
                Ok(query) => Some(query),
                Err(error) => {
                    let mut message = Message::new(error.key());
                    if let Some(limit) = error.limit() {
                        message = message.arg("max", limit);
                    }
                    problems.push(("q", message));
                    None
                }
            };
        let mut bounds = [None, None];
        for (i, (name, value, end)) in [("from", &self.from, false), ("to", &self.to, true)]
            .into_iter()
            .enumerate()
        {
            if let Some(text) = filled(value) {
                match bound(tz, text, end) {
                    Ok(at) => bounds[i] = Some(at),
                    Err(message) => problems.push((name, message)),
                }
            }
        }
        if let [Some(from), Some(to)] = bounds
            && from >= to
        {
            problems.push(("to", Message::new("search-window-reversed")));
        }
        let order = match filled(&self.sort) {
            None | Some("newest") => Order::Newest,
            Some("relevance") => Order::Relevance,
            Some(_) => {
                problems.push(("sort", Message::new("search-sort-invalid")));
                Order::Newest
            }
        };
        let page = match filled(&self.page).map(str::parse::<usize>) {
            None => 1,
            Some(Ok(n)) if (1..=MAX_PAGE).contains(&n) => n,
            Some(_) => {
                problems.push((
                    "page",
                    Message::new("search-page-invalid").arg("max", MAX_PAGE),
                ));
                1
            }
        };
        let lang = match filled(&self.lang) {
            None => None,
            Some(code)
                if (2..=3).contains(&code.len())
                    && code.chars().all(|c| c.is_ascii_lowercase()) =>
            {
                Some(code.to_owned())
            }
            Some(_) => {
                problems.push(("lang", Message::new("search-lang-invalid")));
                None
            }
        };
        match query {
            Some(query) if problems.is_empty() => Ok(SearchRequest {
                query,
                from: bounds[0],
                to: bounds[1],
                order,
                page,
                lang,
            }),
            _ => Err(problems),
        }
    }
}
