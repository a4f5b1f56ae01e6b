//! Word trends: how often chosen words appeared in each crawl of a page, as an SVG line chart
//! (with a `<title>` on every point and a table for screen readers).
//!
//! `GET /pages/{id}/trend?words=election,weather` (up to 8 words; default: the five most
//! frequent words of the latest crawl).

use axum::{
    extract::{Path, Query, State},
    response::Response,
};
use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::{
    budget,
    cloud::PALETTE,
    model::{self, COUNTS, PAGE, Page as WebPage},
};
use crate::web::{AppError, AppState, Page, Result, extract::ClientIp, page::render};

/// Most words on one chart.
const MAX_WORDS: usize = 8;
const WIDTH: f32 = 800.0;
const HEIGHT: f32 = 320.0;
const LEFT: f32 = 48.0;
const RIGHT: f32 = 16.0;
const TOP: f32 = 16.0;
const BOTTOM: f32 = 40.0;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TrendQuery {
    words: Option<String>,
}

/// One word's line.
pub struct Line {
    word: String,
    colour: &'static str,
    points: String,
    dots: Vec<(String, String, String)>,
}

/// An axis label.
pub struct Tick {
    at: String,
    label: String,
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
    lines: Vec<Line>,
    x_ticks: Vec<Tick>,
    y_ticks: Vec<Tick>,
    /// Rows of the data table: time, counts.
    rows: Vec<(String, Vec<i64>)>,
    word_list: Vec<String>,
    problem: Option<String>,
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
    let (mut words, too_many) = parse_words(query.words.as_deref().unwrap_or_default());
    if words.is_empty() {
        words = COUNTS
            .get(&state.cache, &state.db, id)
            .await?
            .map(|c| c.words.into_iter().take(5).map(|(w, _)| w).collect())
            .unwrap_or_default();
    }
    let series = if words.is_empty() {
        Vec::new()
    } else {
        model::trend(&state.db, id, &words).await?
    };
    let (lines, x_ticks, y_ticks) = chart(&series, &words, &page);
    let rows = series
        .iter()
        .map(|(at, counts)| (page.datetime(at).to_string(), counts.clone()))
        .collect();
    let problem = too_many.then(|| page.tn("trend-too-many", "max", &(MAX_WORDS as i64)));
    render(&TrendTemplate {
        path: format!("/pages/{id}"),
        words: words.join(", "),
        word_list: words,
        page,
        entry,
        lines,
        x_ticks,
        y_ticks,
        rows,
        problem,
    })
}

fn chart(
    series: &[(DateTime<Utc>, Vec<i64>)],
    words: &[String],
    page: &Page,
) -> (Vec<Line>, Vec<Tick>, Vec<Tick>) {
    let (Some(first), Some(last)) = (series.first(), series.last()) else {
        return (Vec::new(), Vec::new(), Vec::new());
    };
    let span = (last.0 - first.0).num_seconds().max(1) as f32;
    let max = series
        .iter()
        .flat_map(|(_, c)| c.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1) as f32;
    let x = |t: &DateTime<Utc>| {
        if series.len() == 1 {
            LEFT + (WIDTH - LEFT - RIGHT) / 2.0
        } else {
            LEFT + (*t - first.0).num_seconds() as f32 / span * (WIDTH - LEFT - RIGHT)
        }
    };
    let y = |n: i64| TOP + (1.0 - n as f32 / max) * (HEIGHT - TOP - BOTTOM);
    let lines = words
        .iter()
        .enumerate()
        .map(|(i, word)| {
            let points: Vec<(f32, f32, i64, &DateTime<Utc>)> = series
                .iter()
                .map(|(t, c)| (x(t), y(c[i]), c[i], t))
                .collect();
            Line {
                word: word.clone(),
                colour: PALETTE[i % PALETTE.len()],
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
    let mut x_ticks = vec![Tick {
        at: format!("{:.1}", x(&first.0)),
        label: page.date(&first.0).to_string(),
    }];
    if series.len() > 1 {
        x_ticks.push(Tick {
            at: format!("{:.1}", x(&last.0)),
            label: page.date(&last.0).to_string(),
        });
    }
    let top = max as i64;
    let y_ticks = [0, top / 2, top]
        .into_iter()
        .map(|n| Tick {
            at: format!("{:.1}", y(n)),
            label: n.to_string(),
        })
        .collect();
    (lines, x_ticks, y_ticks)
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
