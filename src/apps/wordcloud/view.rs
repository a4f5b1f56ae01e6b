//! What a cloud request asks for (which counts, which layout) and the SVG it gets.
//!
//! The same query string drives the page, its SVG and its PNG: `at` (a local time), or `from`
//! and `to` (local dates), `raw=1` (before ignore lists), `scale`, `vertical` (percent of
//! vertical words) and `words` (how many). Bad values are reported, and the defaults used.
//!
//! A range is bounded ([`bound`]): clamped to the first and last crawl in it, which sums the
//! same crawls (so "1900 to 2100" means "every crawl"), and refused when what remains is longer
//! than `HUD_CLOUD_MAX_RANGE_DAYS` — one render never sums an unbounded number of crawls.

use chrono::{DateTime, Utc};
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
    /// What was wrong with the query (defaults were used instead).
    pub problems: Vec<Message>,
}

impl CloudQuery {
    /// Validate in the reader's timezone.
    pub fn parse(&self, tz: Tz) -> Request {
        let mut problems = Vec::new();
        fn present(v: &Option<String>) -> Option<&str> {
            v.as_deref().map(str::trim).filter(|v| !v.is_empty())
        }
        let selection = match (present(&self.at), present(&self.from), present(&self.to)) {
            (Some(at), _, _) => match when::at(tz, at) {
                Ok(t) => Selection::At(t),
                Err(m) => {
                    problems.push(m);
                    Selection::Latest
                }
            },
            (None, Some(from), Some(to)) => match when::days(tz, from, to) {
                Ok((a, b)) => Selection::Range(a, b),
                Err(m) => {
                    problems.push(m);
                    Selection::Latest
                }
            },
            (None, Some(_), None) | (None, None, Some(_)) => {
                problems.push(Message::new("when-range-incomplete"));
                Selection::Latest
            }
            (None, None, None) => Selection::Latest,
        };
        let mut options = Options::default();
        match present(&self.scale) {
            None => {}
            Some("linear") => options.scale = Scale::Linear,
            Some("sqrt") => options.scale = Scale::Sqrt,
            Some("log") => options.scale = Scale::Log,
            Some(_) => problems.push(Message::new("cloud-bad-scale")),
        }
        if let Some(v) = present(&self.vertical) {
            match v.parse::<u8>() {
                Ok(p) if p <= 100 => options.vertical = f32::from(p) / 100.0,
                _ => problems.push(Message::new("cloud-bad-vertical")),
            }
        }
        if let Some(v) = present(&self.words) {
            match v.parse::<usize>() {
                Ok(n) if (10..=300).contains(&n) => options.max_words = n,
                _ => problems.push(
                    Message::new("cloud-bad-words")
                        .arg("min", 10_i64)
                        .arg("max", 300_i64),
                ),
            }
        }
        Request {
            selection,
            filtered: present(&self.raw) != Some("1"),
            options,
            problems,
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
/// (the same crawls, so the same counts), then, if those are still more than `HUD_CLOUD_MAX_RANGE_DAYS` apart,
/// refused like any bad value: a problem is reported and the latest crawl selected.
pub async fn bound(state: &AppState, page: i64, request: &mut Request) -> sqlx::Result<()> {
    let Selection::Range(from, to) = request.selection else {
        return Ok(());
    };
    let max_days = state.config.cloud_max_range_days;
    match model::crawl_span(&state.db, page, from, to).await? {
        // No crawl in the range: nothing to sum.
        None => {}
        Some((first, last)) if last - first > chrono::Duration::days(i64::from(max_days)) => {
            request
                .problems
                .push(Message::new("when-range-too-long").arg("max", i64::from(max_days)));
            request.selection = Selection::Latest;
        }
        Some((first, last)) => request.selection = Selection::Range(first, last),
    }
    Ok(())
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
