//! Word trends: how often chosen words appeared in each crawl of a page, as an SVG line chart
//! over a real time axis (see [`super::axis`]), with a `<title>` on every point, a legend beside
//! it and a table for screen readers.
//!
//! `GET /pages/{id}/trend?words=election,weather` (up to 8 words; default: the five most
//! frequent words of the latest crawl).

use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;

use super::{
    axis, budget,
    model::{self, COUNTS, PAGE, Page as WebPage},
};
use crate::{
    graphics::fonts::SANS_FAMILY,
    i18n::DateStyle,
    web::{AppError, AppState, Page, Result, extract::ClientIp, page::render},
};

/// Most words on one chart.
pub const MAX_WORDS: usize = 8;
/// The viewBox widths, heights and label sizes (a wide chart, and a narrow one for phones, whose
/// labels are larger: scaled down to a phone, the wide one's text would be too small to read), and
/// the margins of the plot area.
const WIDE: (f32, f32, f32) = (800.0, 332.0, 11.0);
const NARROW: (f32, f32, f32) = (400.0, 300.0, 13.0);
const LEFT: f32 = 52.0;
/// Room for half of the last time label.
const RIGHT: f32 = 36.0;
const TOP: f32 = 16.0;
const BOTTOM: f32 = 36.0;
/// Half the window shown around a single crawl.
const ALONE: i64 = 30 * 60;
/// One colour per word (eight, so no two lines share one), at least 3:1 on white; the page's
/// stylesheet redraws line `i` in `--hud-series-i`, lighter in the dark mode.
const COLOURS: [&str; MAX_WORDS] = [
    "#0d6efd", "#198754", "#d63384", "#b35c00", "#6f42c1", "#087990", "#dc3545", "#6c757d",
];

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TrendQuery {
    words: Option<String>,
}

/// One word's line.
pub struct Line {
    word: String,
    colour: &'static str,
    /// The colour's index, a class the stylesheet colours by mode.
    series: usize,
    points: String,
    dots: Vec<(String, String, String)>,
}

/// An axis label at a position.
pub struct Tick {
    at: String,
    label: String,
}

/// The drawn chart: lines, axes and the viewBox geometry the template draws them in.
#[derive(Default)]
pub struct Chart {
    /// `trend-wide` or `trend-narrow` (which CSS shows at which width).
    class: &'static str,
    lines: Vec<Line>,
    x_ticks: Vec<Tick>,
    y_ticks: Vec<Tick>,
    view_box: String,
    /// Left, right and bottom edge of the plot area, and where time labels sit.
    plot_left: f32,
    plot_right: f32,
    plot_bottom: f32,
    x_label_y: f32,
    y_label_x: f32,
    label_px: f32,
    family: &'static str,
}

/// The trend page.
#[derive(askama::Template)]
#[template(path = "wordcloud/trend.html")]
struct TrendTemplate {
    page: Page,
    entry: WebPage,
    /// `/pages/ID`.
    path: String,
    words: String,
    /// The same chart, wide and narrow.
    charts: [Chart; 2],
    /// When the crawls shown were made.
    span: Option<String>,
    crawls: usize,
    /// Rows of the data table: time, counts.
    rows: Vec<(String, Vec<i64>)>,
    word_list: Vec<String>,
    problem: Option<String>,
}

/// The words of a trend: those of the `words` parameter (lower-cased, distinct, at most
/// [`MAX_WORDS`]; whether there were more), or when it names none the five most frequent words
/// of the page's latest crawl. The trend page and the API choose alike.
pub async fn chosen_words(
    state: &AppState,
    page: i64,
    text: &str,
) -> sqlx::Result<(Vec<String>, bool)> {
    let (words, too_many) = parse_words(text);
    if !words.is_empty() {
        return Ok((words, too_many));
    }
    let latest = COUNTS
        .get(&state.cache, &state.db, page)
        .await?
        .map(|c| c.words.into_iter().take(5).map(|(w, _)| w).collect())
        .unwrap_or_default();
    Ok((latest, false))
}

/// Parse the `words` parameter: lower-cased, distinct, at most [`MAX_WORDS`].
fn parse_words(text: &str) -> (Vec<String>, bool) {
    let mut words: Vec<String> = Vec::new();
    for word in text
        .split([',', ' '])
        .map(|w| w.trim().to_lowercase())
        .filter(|w| !w.is_empty())
    {
        if !words.contains(&word) && word.chars().count() <= 100 {
            words.push(word);
        }
    }
    let too_many = words.len() > MAX_WORDS;
    words.truncate(MAX_WORDS);
    (words, too_many)
}

#[tracing::instrument(skip_all, err)]
pub async fn trend(
    State(state): State<AppState>,
    ip: ClientIp,
    page: Page,
    Path(id): Path<i64>,
    Query(query): Query<TrendQuery>,
) -> Result<Response> {
    let entry = PAGE
        .get(&state.cache, &state.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    budget::spend(&state, &ip).await?;
    let (words, too_many) =
        chosen_words(&state, id, query.words.as_deref().unwrap_or_default()).await?;
    let series = if words.is_empty() {
        Vec::new()
    } else {
        model::trend(&state.db, id, &words).await?
    };
    let charts = [
        chart(&series, &words, &page, WIDE, "trend-wide"),
        chart(&series, &words, &page, NARROW, "trend-narrow"),
    ];
    let span = match (series.first(), series.last()) {
        (Some(first), Some(last)) if series.len() > 1 => {
            // Within an hour, the end as a time to the second: "… 18:07 UTC to 18:07:36".
            let to = if last.0 - first.0 < Duration::hours(1) {
                page.local_time(&last.0, DateStyle::AxisSeconds)
            } else {
                page.datetime(&last.0)
            };
            Some(page.lang.t_args(
                "trend-span",
                &[
                    ("from", page.datetime(&first.0).to_string().into()),
                    ("to", to.to_string().into()),
                    ("crawls", (series.len() as i64).into()),
                ],
            ))
        }
        (Some(only), _) => Some(page.datetime(&only.0).to_string()),
        _ => None,
    };
    let rows = series
        .iter()
        .map(|(at, counts)| (page.datetime(at).to_string(), counts.clone()))
        .collect();
    let problem = too_many.then(|| page.tn("trend-too-many", "max", &(MAX_WORDS as i64)));
    render(&TrendTemplate {
        path: format!("/pages/{id}"),
        words: words.join(", "),
        word_list: words,
        crawls: series.len(),
        page,
        entry,
        charts,
        span,
        rows,
        problem,
    })
}

/// Lay out the chart: a time axis over the crawls (a window around a single one), counts from 0.
fn chart(
    series: &[(DateTime<Utc>, Vec<i64>)],
    words: &[String],
    page: &Page,
    (width, height, label_px): (f32, f32, f32),
    class: &'static str,
) -> Chart {
    let (Some(first), Some(last)) = (series.first(), series.last()) else {
        return Chart::default();
    };
    let (from, to) = if last.0 > first.0 {
        (first.0, last.0)
    } else {
        (
            first.0 - Duration::seconds(ALONE),
            first.0 + Duration::seconds(ALONE),
        )
    };
    let span = (to - from).num_milliseconds().max(1) as f32;
    let plot_width = width - LEFT - RIGHT;
    let x = |t: &DateTime<Utc>| LEFT + (*t - from).num_milliseconds() as f32 / span * plot_width;
    let max = series
        .iter()
        .flat_map(|(_, c)| c.iter().copied())
        .max()
        .unwrap_or(0);
    let (counts, top) = axis::count_ticks(max);
    let y = |n: i64| TOP + (1.0 - n as f32 / top as f32) * (height - TOP - BOTTOM);
    let lines = words
        .iter()
        .enumerate()
        .map(|(i, word)| {
            let points: Vec<(f32, f32, i64, &DateTime<Utc>)> = series
                .iter()
                .map(|(t, c)| {
                    let n = c.get(i).copied().unwrap_or(0);
                    (x(t), y(n), n, t)
                })
                .collect();
            Line {
                word: word.clone(),
                colour: COLOURS[i % COLOURS.len()],
                series: i % COLOURS.len(),
                points: points
                    .iter()
                    .map(|(px, py, ..)| format!("{px:.1},{py:.1}"))
                    .collect::<Vec<_>>()
                    .join(" "),
                dots: points
                    .iter()
                    .map(|(px, py, n, t)| {
                        let label = page.lang.t_args(
                            "trend-point",
                            &[
                                ("word", word.as_str().into()),
                                ("count", (*n).into()),
                                ("time", page.datetime(t).to_string().into()),
                            ],
                        );
                        (format!("{px:.1}"), format!("{py:.1}"), label)
                    })
                    .collect(),
            }
        })
        .collect();
    let x_ticks = axis::time_ticks(from, to, (page.tz, plot_width, label_px), |t, style| {
        page.local_time(t, style).to_string()
    })
    .into_iter()
    .filter_map(|(t, label)| {
        // A label that would leave the picture is left out rather than cut.
        let (at, half) = (x(&t), axis::label_width(&label, label_px) / 2.0);
        (at - half >= 1.0 && at + half <= width - 1.0).then(|| Tick {
            at: format!("{at:.1}"),
            label,
        })
    })
    .collect();
    let y_ticks = counts
        .into_iter()
        .map(|n| Tick {
            at: format!("{:.1}", y(n)),
            label: n.to_string(),
        })
        .collect();
    Chart {
        class,
        lines,
        x_ticks,
        y_ticks,
        view_box: format!("0 0 {width} {height}"),
        plot_left: LEFT,
        plot_right: width - RIGHT,
        plot_bottom: height - BOTTOM,
        x_label_y: height - BOTTOM + 20.0,
        y_label_x: LEFT - 6.0,
        label_px,
        family: SANS_FAMILY,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_cleaned_and_limited() {
        assert_eq!(
            parse_words(" Election,weather  ELECTION,,").0,
            ["election", "weather"]
        );
        let (many, too_many) = parse_words("a b c d e f g h i j");
        assert_eq!(many.len(), MAX_WORDS);
        assert!(too_many);
    }
}
