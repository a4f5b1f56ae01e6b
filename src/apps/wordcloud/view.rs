//! What a cloud request asks for (which counts, which layout) and the SVG it gets.
//!
//! The same query string drives the page, its SVG and its PNG, and the API's SVG and word
//! counts: `at` (an RFC 3339 instant or a local time), or `from` and/or `to` (RFC 3339 instants
//! or local days), `raw` (`1`: before ignore lists), `scale`, `vertical` (percent of vertical
//! words) and `words` (how many). Bad values are reported ([`Request::problems`]: the page warns
//! and uses the defaults, the API answers 422).
//!
//! Periods: `from` alone runs until now, `to` alone from the first crawl; a period that ends
//! before it starts holds no crawls. A period is bounded ([`bound`]): clamped to the first and
//! last crawl in it, which sums the same crawls (so "1900 to 2100" means "every crawl"), and,
//! when what remains is longer than `HUD_CLOUD_MAX_RANGE_DAYS`, cut to its most recent
//! `HUD_CLOUD_MAX_RANGE_DAYS` days — one render never sums more than that many days of crawls.
//! Both are said in [`Request::notices`] (the page warns, the API has a `notice`).

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Deserialize;
use sqlx::PgPool;

use super::{
    cloud::{self, Cloud, Options, PALETTE, Scale},
    ignore,
    model::{self, COUNTS, Counts},
};
use crate::{
    cache::Cache,
    graphics::fonts::SANS_FAMILY,
    i18n::Lang,
    web::{AppState, Message, when},
};

/// The query string as sent.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct CloudQuery {
    // (Its field names are listed in `CloudQuery::FIELDS` for the response cache's key.)
    /// Local date and time (`2025-12-25T15:00`).
    pub at: Option<String>,
    /// First local day of a range.
    pub from: Option<String>,
    /// Last local day of a range.
    pub to: Option<String>,
    /// `1`: show the counts before ignore lists.
    pub raw: Option<String>,
    /// `linear`, `sqrt` or `log`.
    pub scale: Option<String>,
    /// Percent of vertical words, 0–100.
    pub vertical: Option<String>,
    /// Words shown, 10–300.
    pub words: Option<String>,
}

impl CloudQuery {
    /// The query parameters it reads.
    pub const FIELDS: &'static [&'static str] =
        &["at", "from", "to", "raw", "scale", "vertical", "words"];
}

/// Which counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Selection {
    /// The latest crawl.
    Latest,
    /// The crawl in effect at an instant.
    At(DateTime<Utc>),
    /// The sum over a range.
    Range(DateTime<Utc>, DateTime<Utc>),
}

/// A validated request.
pub struct Request {
    /// Which counts.
    pub selection: Selection,
    /// Ignore lists applied.
    pub filtered: bool,
    /// Layout.
    pub options: Options,
    /// What was wrong with the query, by parameter (defaults were used instead).
    pub problems: Vec<(&'static str, Message)>,
    /// What was answered otherwise than asked, though valid: `(parameter, message)` (a period
    /// that ends before it starts, a period cut to its most recent days).
    pub notices: Vec<(&'static str, Message)>,
}

/// The earliest instant a period can start at (a stored time is never earlier).
fn first_instant() -> DateTime<Utc> {
    NaiveDate::from_ymd_opt(1, 1, 1)
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map_or(DateTime::UNIX_EPOCH, |t| t.and_utc())
}

/// `text` exactly (no surrounding white space: the API's schema says so) as an RFC 3339 instant,
/// else as what `local` reads.
fn instant(
    text: &str,
    local: impl FnOnce(&str) -> Result<DateTime<Utc>, Message>,
    invalid: &str,
) -> Result<DateTime<Utc>, Message> {
    if text.trim() != text {
        return Err(Message::new(invalid));
    }
    match DateTime::parse_from_rfc3339(text) {
        Ok(t) => Ok(t.with_timezone(&Utc)),
        Err(_) => local(text),
    }
}

/// A whole number written with digits only (as the API's integers), in `range`.
pub fn whole(text: &str, range: std::ops::RangeInclusive<u64>) -> Option<u64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok().filter(|n| range.contains(n))
}

impl CloudQuery {
    /// Validate in the reader's timezone.
    pub fn parse(&self, tz: Tz) -> Request {
        let mut problems = Vec::new();
        // Empty means absent; anything else is read exactly as sent.
        fn present(v: &Option<String>) -> Option<&str> {
            v.as_deref().filter(|v| !v.is_empty())
        }
        let mut notices = Vec::new();
        let day = |text: &str, end: bool| {
            when::days(tz, text, text).map(|(start, last)| if end { last } else { start })
        };
        let mut bound = |name: &'static str, text: &str, end: bool| match instant(
            text,
            |t| day(t, end),
            "when-invalid-date",
        ) {
            Ok(t) => Some(t),
            Err(m) => {
                problems.push((name, m));
                None
            }
        };
        let selection = match (present(&self.at), present(&self.from), present(&self.to)) {
            (Some(at), _, _) => match instant(at, |t| when::at(tz, t), "when-invalid-time") {
                Ok(t) => Selection::At(t),
                Err(m) => {
                    problems.push(("at", m));
                    Selection::Latest
                }
            },
            (None, None, None) => Selection::Latest,
            (None, from, to) => {
                let from = from.map(|t| bound("from", t, false));
                let to = to.map(|t| bound("to", t, true));
                match (from, to) {
                    (Some(None), _) | (_, Some(None)) => Selection::Latest,
                    (from, to) => {
                        let from = from.flatten().unwrap_or_else(first_instant);
                        let to = to.flatten().unwrap_or_else(Utc::now);
                        if to < from {
                            notices.push(("to", Message::new("when-range-reversed")));
                        }
                        Selection::Range(from, to)
                    }
                }
            }
        };
        let mut options = Options::default();
        match present(&self.scale) {
            None => {}
            Some("linear") => options.scale = Scale::Linear,
            Some("sqrt") => options.scale = Scale::Sqrt,
            Some("log") => options.scale = Scale::Log,
            Some(_) => problems.push(("scale", Message::new("cloud-bad-scale"))),
        }
        if let Some(v) = present(&self.vertical) {
            match whole(v, 0..=100) {
                Some(p) => options.vertical = p as f32 / 100.0,
                None => problems.push(("vertical", Message::new("cloud-bad-vertical"))),
            }
        }
        if let Some(v) = present(&self.words) {
            match whole(v, 10..=300) {
                Some(n) => options.max_words = n as usize,
                None => problems.push((
                    "words",
                    Message::new("cloud-bad-words")
                        .arg("min", 10_i64)
                        .arg("max", 300_i64),
                )),
            }
        }
        let filtered = match present(&self.raw) {
            None | Some("0") => true,
            Some("1") => false,
            Some(_) => {
                problems.push(("raw", Message::new("cloud-bad-raw")));
                true
            }
        };
        Request {
            selection,
            filtered,
            options,
            problems,
            notices,
        }
    }
}

/// What a cloud of page `page` is rendered from: `query` parsed in `tz`, its range bounded.
pub async fn request(
    state: &AppState,
    page: i64,
    query: &CloudQuery,
    tz: Tz,
) -> sqlx::Result<Request> {
    let mut request = query.parse(tz);
    bound(state, page, &mut request).await?;
    Ok(request)
}

/// Bound a range selection to the crawls it sums: clamped to the first and last crawl in it
/// (the same crawls, so the same counts), then, if those are still more than
/// `HUD_CLOUD_MAX_RANGE_DAYS` apart, cut to the most recent `HUD_CLOUD_MAX_RANGE_DAYS` days
/// before the last one (said in a notice).
pub async fn bound(state: &AppState, page: i64, request: &mut Request) -> sqlx::Result<()> {
    let Selection::Range(from, to) = request.selection else {
        return Ok(());
    };
    let max_days = state.config.clouds.max_range_days;
    let max = chrono::Duration::days(i64::from(max_days));
    match model::crawl_span(&state.db, page, from, to).await? {
        // No crawl in the range (or it ends before it starts): nothing to sum.
        None => {}
        Some((first, last)) if last - first > max => {
            // `last` is in the period, so it has a first crawl.
            let start = model::crawl_span(&state.db, page, last - max, last)
                .await?
                .map_or(last, |(first, _)| first);
            request.notices.push((
                "from",
                Message::new("when-range-clamped").arg("max", i64::from(max_days)),
            ));
            request.selection = Selection::Range(start, last);
        }
        Some((first, last)) => request.selection = Selection::Range(first, last),
    }
    Ok(())
}

/// Counts with nothing in them: what a period without crawls sums to.
pub fn no_counts() -> Counts {
    Counts {
        crawl_id: None,
        crawled_at: DateTime::UNIX_EPOCH,
        crawls: 0,
        words: Vec::new(),
    }
}

/// The counts a request selects, with ignore lists applied unless asked not to.
pub async fn counts(
    db: &PgPool,
    cache: &Cache,
    page: i64,
    request: &Request,
) -> sqlx::Result<Option<Counts>> {
    let counts = match request.selection {
        Selection::Latest => COUNTS.get(cache, db, page).await?,
        Selection::At(t) => model::counts_at(db, page, Some(t)).await?,
        Selection::Range(a, b) => model::counts_between(db, page, a, b).await?,
    };
    let Some(mut counts) = counts else {
        return Ok(None);
    };
    if request.filtered {
        let ignored = ignore::ignored_words(db, cache, page).await?;
        counts.words.retain(|(w, _)| !ignored.contains(w));
    }
    Ok(Some(counts))
}

/// A word as the SVG template draws it.
pub struct SvgWord {
    text: String,
    x: String,
    y: String,
    px: String,
    colour: &'static str,
    /// The palette index, a class the page's stylesheet colours by mode.
    shade: usize,
    rotate: Option<String>,
    /// Tooltip, e.g. "tomatoes: 3 times".
    label: String,
    /// Link to the search for the word.
    href: Option<String>,
}

/// The cloud as SVG.
#[derive(askama::Template)]
#[template(path = "wordcloud/cloud.svg", escape = "html")]
pub struct SvgTemplate {
    /// `x y width height` of the drawn area.
    view_box: String,
    width: String,
    height: String,
    family: &'static str,
    title: String,
    /// Whether the words are links: then the cloud is a group of them, not one image (an
    /// image's content is hidden from assistive technology, links and all).
    linked: bool,
    words: Vec<SvgWord>,
}

/// Render a laid-out cloud; words link to `search` + the word when given (the search sub-app).
pub fn svg(cloud: &Cloud, title: String, lang: Lang, search: Option<&str>) -> String {
    let words = cloud
        .words
        .iter()
        .map(|w| SvgWord {
            text: w.text.clone(),
            x: format!("{:.1}", w.x),
            y: format!("{:.1}", w.y),
            px: format!("{:.1}", w.px),
            colour: PALETTE[w.colour],
            shade: w.colour,
            rotate: w
                .vertical
                .then(|| format!("rotate(-90 {:.1} {:.1})", w.x, w.y)),
            label: lang.t_args(
                "cloud-word-count",
                &[("word", w.text.as_str().into()), ("count", w.count.into())],
            ),
            href: search.map(|base| {
                format!(
                    "{base}{}",
                    form_urlencoded::byte_serialize(w.text.as_bytes()).collect::<String>()
                )
            }),
        })
        .collect();
    // Browsers lay text out slightly differently (hinting, a fallback font while the web font
    // loads): leave a little room in proportion to the largest word.
    let largest = cloud.words.first().map_or(0.0, |w| w.px);
    let (x, y, width, height) = cloud.bounds(6.0 + 0.1 * largest);
    askama::Template::render(&SvgTemplate {
        view_box: format!("{x:.1} {y:.1} {width:.1} {height:.1}"),
        width: format!("{width:.0}"),
        height: format!("{height:.0}"),
        family: SANS_FAMILY,
        title,
        linked: search.is_some(),
        words,
    })
    .unwrap_or_default()
}

/// A drawn cloud.
pub struct Drawn {
    /// The SVG document.
    pub svg: String,
    /// Words not shown.
    pub left_out: usize,
}

/// Lay out and draw counts off the async runtime (layout is CPU work); words link to `search`
/// + the word when given.
pub async fn draw(
    counts: Counts,
    options: Options,
    title: String,
    lang: Lang,
    search: Option<String>,
) -> Result<Drawn, tokio::task::JoinError> {
    tokio::task::spawn_blocking(move || {
        let cloud = cloud::layout(&counts.words, &options);
        Drawn {
            svg: svg(&cloud, title, lang, search.as_deref()),
            left_out: cloud.left_out,
        }
    })
    .await
}

/// A drawn cloud as a file: its SVG, or a PNG rendered from it at twice its size (off the
/// async runtime). The cloud pages' images and the API's alike.
pub async fn file(svg: String, png: bool) -> anyhow::Result<(Vec<u8>, &'static str)> {
    if !png {
        return Ok((svg.into_bytes(), "image/svg+xml"));
    }
    let bytes = tokio::task::spawn_blocking(move || crate::graphics::png::render(&svg, 2.0))
        .await?
        .map_err(|e| anyhow::anyhow!("rendering the cloud: {e}"))?;
    Ok((bytes, "image/png"))
}
