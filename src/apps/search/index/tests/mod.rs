//! Behaviour of the whole core on a small hand-made index (this file: the fixture): operators,
//! prefixes and typos (`query`), windows, languages, pagination and orders (`results`), and
//! building and its edge cases (`building`).

mod building;
mod query;
mod results;

use chrono::{DateTime, TimeZone, Utc};

use super::*;

pub(super) fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

pub(super) struct Fixture {
    pub(super) row: i64,
    pub(super) page: i64,
    /// (day of November 2026, hour)
    pub(super) time: (u32, u32),
    pub(super) language: Option<&'static str>,
    pub(super) counts: &'static [(&'static str, u32)],
}

/// Three pages; page 1 and 2 crawled twice, page 3 once. Rows 11 and 21 share a time.
pub(super) const ROWS: &[Fixture] = &[
    Fixture {
        row: 10,
        page: 1,
        time: (1, 10),
        language: Some("en"),
        counts: &[("solar", 3), ("wind", 1), ("power", 2)],
    },
    Fixture {
        row: 11,
        page: 1,
        time: (3, 10),
        language: Some("en"),
        counts: &[("solar", 1), ("nuclear", 1), ("astronomy", 2)],
    },
    Fixture {
        row: 20,
        page: 2,
        time: (2, 10),
        language: Some("nl"),
        counts: &[
            ("wind", 5),
            ("power", 1),
            ("molen", 2),
            ("zonne", 1),
            ("energie", 1),
        ],
    },
    Fixture {
        row: 21,
        page: 2,
        time: (3, 10),
        language: Some("nl"),
        counts: &[("wind", 1), ("solar", 1)],
    },
    Fixture {
        row: 30,
        page: 3,
        time: (1, 12),
        language: None,
        counts: &[
            ("astrophysics", 1),
            ("solar", 1),
            ("saturday", 2),
            ("élément", 1),
        ],
    },
];

pub(super) fn url(page: i64) -> &'static str {
    [
        "",
        "https://a.example/",
        "https://b.example/",
        "https://c.example/",
    ][page as usize]
}

/// A crawl row with only what a test varies: no language, a placeholder URL and title.
pub(super) fn bare<W>(
    row: i64,
    page: i64,
    crawl_time: DateTime<Utc>,
    counts: &[(W, u32)],
) -> CrawlRow<'_, W> {
    CrawlRow {
        row,
        page,
        crawl_time,
        language: None,
        url: "u",
        title: "t",
        counts,
    }
}

impl Fixture {
    pub(super) fn crawl_row(&self) -> CrawlRow<'static> {
        CrawlRow {
            row: self.row,
            page: self.page,
            crawl_time: at(self.time.0, self.time.1),
            language: self.language,
            url: url(self.page),
            title: "Title",
            counts: self.counts,
        }
    }
}

pub(super) fn index() -> Index {
    Index::build(ROWS.iter().map(Fixture::crawl_row)).expect("fixture index")
}

/// Matching crawl ids, newest first.
pub(super) fn rows(index: &Index, query: &str) -> Vec<i64> {
    rows_in(index, query, &Filter::default())
}

pub(super) fn rows_in(index: &Index, query: &str, filter: &Filter<'_>) -> Vec<i64> {
    let query = Query::parse(query).expect("query");
    index
        .matching_rows(&query, filter)
        .iter()
        .map(|h| h.row)
        .collect()
}

pub(super) fn search(index: &Index, query: &str, options: &SearchOptions<'_>) -> (usize, Vec<i64>) {
    let results = index.search(&Query::parse(query).expect("query"), options);
    (results.total, results.hits.iter().map(|h| h.row).collect())
}

/// A distinct string of letters for each number.
pub(super) fn to_letters(mut n: usize) -> String {
    let mut s = String::new();
    loop {
        s.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            return s;
        }
    }
}
