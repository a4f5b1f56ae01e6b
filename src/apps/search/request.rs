//! A search as asked for (`q`, `from`, `to`, `sort`, `page`, `lang` from the query string) →
//! a checked [`SearchRequest`], or translated messages per parameter. The page and the API
//! share it.
//!
//! Two kinds of problem: a value the API's schema forbids (a bad date, sort, page or language,
//! a query over [`MAX_QUERY_CHARS`] characters) is [`Refused::invalid`] — the API answers 422;
//! a valid request that cannot be searched (a query without searchable words, unbalanced
//! parentheses, only negations; a period that ends before it starts) is a
//! [`Refused::notices`] entry — the API answers 200 with no results and the explanation. The
//! page shows both kinds as it always did.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use utoipa::IntoParams;

use super::index::{MAX_QUERY_CHARS, Order, Query, QueryError};
use crate::{
    i18n::Lang,
    text::language::stopwords,
    web::{Message, openapi, when},
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
    /// At most 512 characters. A query with nothing to search for (only stopwords, numbers or
    /// punctuation, unbalanced parentheses, only negations) is answered with no results and a
    /// `notice` saying why.
    #[param(required = true, min_length = 1, max_length = 512)]
    pub q: Option<String>,
    /// First day (`2025-12-25`, in the reader's timezone) or an RFC 3339 instant.
    #[param(schema_with = from_schema)]
    pub from: Option<String>,
    /// Last day, inclusive (`2025-12-31`), or an RFC 3339 instant (exclusive).
    #[param(schema_with = to_schema)]
    pub to: Option<String>,
    /// `newest` (default) or `relevance`.
    #[param(schema_with = sort_schema)]
    pub sort: Option<String>,
    /// Result page, from 1 (default) to 1000.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    pub page: Option<String>,
    /// Only pages in this language (ISO 639-1, e.g. `nl`).
    #[param(pattern = "^[a-z]{2,3}$")]
    pub lang: Option<String>,
}

fn from_schema() -> utoipa::openapi::schema::Schema {
    openapi::day_or_instant(
        "Crawls from this day (`2025-12-25`, in the reader's timezone: their preference, else \
         UTC) or RFC 3339 instant on. A period that ends before it starts holds no crawls: no \
         results, and a `notice`.",
    )
}

fn to_schema() -> utoipa::openapi::schema::Schema {
    openapi::day_or_instant(
        "Crawls up to this day, inclusive (`2025-12-31`, in the reader's timezone), or before \
         this RFC 3339 instant.",
    )
}

fn sort_schema() -> utoipa::openapi::schema::Object {
    openapi::one_of_words(
        &["newest", "relevance"],
        "`newest` (default) or `relevance`.",
    )
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
    value.as_deref().filter(|v| !v.is_empty())
}

/// Why a search was not run: every problem, by parameter name, in two kinds (see the module
/// docs).
#[derive(Debug, Default)]
pub struct Refused {
    /// Values the API's schema forbids.
    pub invalid: Vec<(&'static str, Message)>,
    /// Valid values that leave nothing to search for.
    pub notices: Vec<(&'static str, Message)>,
}

impl Refused {
    /// Every problem, the invalid values first.
    pub fn all(self) -> Vec<(&'static str, Message)> {
        let mut all = self.invalid;
        all.extend(self.notices);
        all
    }
}

/// A bound: an RFC 3339 instant as is, or a local date (`from`: its start; `to`: the end of
/// that day, so the last day counts whole).
fn bound(tz: Tz, text: &str, end: bool) -> Result<DateTime<Utc>, Message> {
    if let Ok(instant) = DateTime::parse_from_rfc3339(text) {
        return Ok(instant.with_timezone(&Utc));
    }
    // The shared parser's messages speak of clouds; the search has its own. (It trims; the
    // value must be exactly a date.)
    if text.trim() != text {
        return Err(Message::new("search-date-invalid"));
    }
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
        self.q.as_deref().is_none_or(|q| q.trim().is_empty())
    }

    /// The parameters without surrounding white space (the page's form fields: the API takes
    /// values exactly as its schema says).
    pub fn trimmed(&self) -> SearchParams {
        let trim = |v: &Option<String>| v.as_deref().map(|v| v.trim().to_owned());
        SearchParams {
            q: self.q.clone(),
            from: trim(&self.from),
            to: trim(&self.to),
            sort: trim(&self.sort),
            page: trim(&self.page),
            lang: trim(&self.lang),
        }
    }

    /// Check every parameter; all problems are reported, by parameter name. Dates are read in
    /// `tz`. Query words that are stopwords of the language filter, else of the reader's
    /// language `ui`, are dropped: the crawler never stored them, so `the cat` finds cats.
    pub fn check(&self, tz: Tz, ui: Lang) -> Result<SearchRequest, Refused> {
        let mut refused = Refused::default();
        let common = stopwords(filled(&self.lang).unwrap_or(ui.code()));
        let query =
            match Query::parse_with_stopwords(self.q.as_deref().unwrap_or_default(), &common) {
                Ok(query) => Some(query),
                Err(error) => {
                    let mut message = Message::new(error.key());
                    if let Some(limit) = error.limit() {
                        message = message.arg("max", limit);
                    }
                    if error == QueryError::TooLong {
                        refused.invalid.push(("q", message));
                    } else {
                        refused.notices.push(("q", message));
                    }
                    None
                }
            };
        debug_assert_eq!(MAX_QUERY_CHARS, 512, "the schema's maxLength of q");
        let mut bounds = [None, None];
        for (i, (name, value, end)) in [("from", &self.from, false), ("to", &self.to, true)]
            .into_iter()
            .enumerate()
        {
            if let Some(text) = filled(value) {
                match bound(tz, text, end) {
                    Ok(at) => bounds[i] = Some(at),
                    Err(message) => refused.invalid.push((name, message)),
                }
            }
        }
        if let [Some(from), Some(to)] = bounds
            && from >= to
        {
            refused
                .notices
                .push(("to", Message::new("search-window-reversed")));
        }
        let order = match filled(&self.sort) {
            None | Some("newest") => Order::Newest,
            Some("relevance") => Order::Relevance,
            Some(_) => {
                refused
                    .invalid
                    .push(("sort", Message::new("search-sort-invalid")));
                Order::Newest
            }
        };
        // Digits only, as the schema's integer: no sign, no white space.
        let page = match filled(&self.page)
            .filter(|p| p.bytes().all(|b| b.is_ascii_digit()))
            .map(str::parse::<usize>)
        {
            None if filled(&self.page).is_none() => 1,
            Some(Ok(n)) if (1..=MAX_PAGE).contains(&n) => n,
            _ => {
                refused.invalid.push((
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
                refused
                    .invalid
                    .push(("lang", Message::new("search-lang-invalid")));
                None
            }
        };
        match query {
            Some(query) if refused.invalid.is_empty() && refused.notices.is_empty() => {
                Ok(SearchRequest {
                    query,
                    from: bounds[0],
                    to: bounds[1],
                    order,
                    page,
                    lang,
                })
            }
            _ => Err(refused),
        }
    }

    /// The page number asked for, when it is one (for an answer without results).
    pub fn page_number(&self) -> usize {
        filled(&self.page)
            .and_then(|p| p.parse().ok())
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .unwrap_or(1)
    }
}
