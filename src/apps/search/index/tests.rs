//! Behaviour of the whole core on a small hand-made index: operators, prefixes, typos and
//! suggestions, windows, languages, pagination, orders, and the edge cases.

use chrono::{DateTime, TimeZone, Utc};

use super::*;

fn at(day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, day, hour, 0, 0).unwrap()
}

struct Fixture {
    row: i64,
    page: i64,
    /// (day of November 2026, hour)
    time: (u32, u32),
    language: Option<&'static str>,
    counts: &'static [(&'static str, u32)],
}

/// Three pages; page 1 and 2 crawled twice, page 3 once. Rows 11 and 21 share a time.
const ROWS: &[Fixture] = &[
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

fn url(page: i64) -> &'static str {
    [
        "",
        "https://a.example/",
        "https://b.example/",
        "https://c.example/",
    ][page as usize]
}

fn index() -> Index {
    Index::build(ROWS.iter().map(|r| CrawlRow {
        row: r.row,
        page: r.page,
        crawl_time: at(r.time.0, r.time.1),
        language: r.language,
        url: url(r.page),
        title: "Title",
        counts: r.counts,
    }))
    .expect("fixture index")
}

/// Matching crawl ids, newest first.
fn rows(index: &Index, query: &str) -> Vec<i64> {
    rows_in(index, query, &Filter::default())
}

fn rows_in(index: &Index, query: &str, filter: &Filter<'_>) -> Vec<i64> {
    let query = Query::parse(query).expect("query");
    index
        .matching_rows(&query, filter)
        .iter()
        .map(|h| h.row)
        .collect()
}

fn search(index: &Index, query: &str, options: &SearchOptions<'_>) -> (usize, Vec<i64>) {
    let results = index.search(&Query::parse(query).expect("query"), options);
    (results.total, results.hits.iter().map(|h| h.row).collect())
}

#[test]
fn rows_are_newest_first_with_ties_by_page() {
    let index = index();
    // 11 and 21 share a time: page 1 before page 2.
    assert_eq!(rows(&index, "solar"), [11, 21, 30, 10]);
    let hits = index.matching_rows(&Query::parse("solar").unwrap(), &Filter::default());
    assert_eq!(hits[0].url, "https://a.example/");
    assert_eq!(hits[0].crawl_time, at(3, 10));
    assert_eq!(hits[0].page, 1);
}

#[test]
fn and_or_not_and_parentheses() {
    let index = index();
    assert_eq!(rows(&index, "solar wind"), [21, 10]);
    assert_eq!(rows(&index, "solar AND wind power"), [10]);
    assert_eq!(rows(&index, "wind OR nuclear"), [11, 21, 20, 10]);
    assert_eq!(rows(&index, "solar -wind"), [11, 30]);
    assert_eq!(rows(&index, "solar NOT wind"), [11, 30]);
    assert_eq!(rows(&index, "solar -(wind OR nuclear)"), [30]);
    assert_eq!(
        rows(&index, "(nuclear OR molen) (solar OR power)"),
        [11, 20]
    );
    assert_eq!(rows(&index, "solar -(wind power)"), [11, 21, 30]);
    // A word in no row empties an AND but not an OR.
    assert!(rows(&index, "solar absentword").is_empty());
    assert_eq!(rows(&index, "molen OR absentword"), [20]);
    // Excluding a word nobody has excludes nothing.
    assert_eq!(rows(&index, "molen -absent"), [20]);
}

#[test]
fn prefixes_match_every_word_they_start() {
    let index = index();
    assert_eq!(rows(&index, "astro*"), [11, 30]);
    assert_eq!(rows(&index, "astron*"), [11]);
    assert_eq!(
        rows(&index, "solar*"),
        [11, 21, 30, 10],
        "a prefix matches the word itself"
    );
    assert_eq!(rows(&index, "solar -astro*"), [21, 10]);
    assert!(rows(&index, "zzz*").is_empty());
    let results = index.search(&Query::parse("astro*").unwrap(), &SearchOptions::default());
    let words: Vec<&str> = results.hits.iter().map(|h| &*h.matched[0].word).collect();
    assert_eq!(words, ["astronomy", "astrophysics"]);
    assert!(!results.truncated);
}

#[test]
fn prefix_expansion_is_capped_keeping_the_most_frequent_words() {
    let words: Vec<(String, u32)> = (0..MAX_EXPANSION + 200)
        .map(|i| (format!("pre{}", to_letters(i)), 1))
        .collect();
    // "prezzz" is in two rows, any other word in one: it must survive the cap.
    let common = [("prezzz".to_owned(), 1)];
    let time = at(1, 0);
    let index = Index::build([
        CrawlRow {
            row: 1,
            page: 1,
            crawl_time: time,
            language: None,
            url: "u",
            title: "t",
            counts: &words,
        },
        CrawlRow {
            row: 2,
            page: 2,
            crawl_time: time,
            language: None,
            url: "v",
            title: "t",
            counts: &common,
        },
        CrawlRow {
            row: 3,
            page: 3,
            crawl_time: time,
            language: None,
            url: "w",
            title: "t",
            counts: &common,
        },
    ])
    .unwrap();
    let results = index.search(&Query::parse("pre*").unwrap(), &SearchOptions::default());
    assert!(results.truncated);
    assert_eq!(results.total, 3, "the frequent word was kept");
}

fn to_letters(mut n: usize) -> String {
    let mut s = String::new();
    loop {
        s.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            return s;
        }
    }
}

#[test]
fn typos_match_and_suggest_the_closest_frequent_word() {
    let index = index();
    // 7 characters: one typo allowed.
    let results = index.search(&Query::parse("saturdy").unwrap(), &SearchOptions::default());
    assert_eq!(results.total, 1);
    assert_eq!(results.hits[0].matched[0].word.as_ref(), "saturday");
    assert_eq!(results.hits[0].matched[0].typos, 1);
    let suggestion = results.suggestion.expect("did you mean");
    assert_eq!(suggestion.query, "saturday");
    assert_eq!(
        suggestion.corrections,
        [("saturdy".to_owned(), "saturday".into())]
    );
    // The suggestion keeps the rest of the query.
    let results = index.search(
        &Query::parse("solar saturdy -wind").unwrap(),
        &SearchOptions::default(),
    );
    assert_eq!(results.suggestion.unwrap().query, "solar saturday -wind");
    // Characters, not bytes: one missing "e" in "élément".
    assert_eq!(rows(&index, "élémnt"), [30]);
    // A typo in the first letter costs two: not allowed below nine letters.
    assert!(rows(&index, "caturday").is_empty());
    // Nine letters: two typos.
    assert_eq!(rows(&index, "astronmyy"), [11]);
    // Short words get none; words that exist are not corrected; negated words match exactly.
    assert!(rows(&index, "solr").is_empty());
    assert!(
        index
            .search(&Query::parse("solar").unwrap(), &SearchOptions::default())
            .suggestion
            .is_none()
    );
    assert_eq!(rows(&index, "solar -saturdy"), [11, 21, 30, 10]);
    // Typo tolerance can be switched off.
    let exact = Filter {
        typos: false,
        ..Filter::default()
    };
    assert!(rows_in(&index, "saturdy", &exact).is_empty());
    let options = SearchOptions {
        filter: exact,
        ..SearchOptions::default()
    };
    assert!(
        index
            .search(&Query::parse("saturdy").unwrap(), &options)
            .suggestion
            .is_none()
    );
}

#[test]
fn date_window_is_from_inclusive_to_exclusive() {
    let index = index();
    let window = |from, to| Filter {
        from,
        to,
        ..Filter::default()
    };
    assert_eq!(
        rows_in(&index, "solar", &window(Some(at(3, 10)), None)),
        [11, 21]
    );
    assert_eq!(
        rows_in(&index, "solar", &window(None, Some(at(3, 10)))),
        [30, 10]
    );
    assert_eq!(
        rows_in(&index, "solar", &window(Some(at(1, 12)), Some(at(3, 10)))),
        [30]
    );
    assert!(rows_in(&index, "solar", &window(Some(at(3, 10)), Some(at(3, 10)))).is_empty());
    assert!(rows_in(&index, "solar", &window(Some(at(5, 0)), Some(at(2, 0)))).is_empty());
    assert_eq!(
        rows_in(&index, "solar", &window(Some(at(1, 0)), Some(at(9, 0)))),
        [11, 21, 30, 10]
    );
}

#[test]
fn a_page_is_represented_by_its_latest_crawl_inside_the_window() {
    let index = index();
    let early = SearchOptions {
        filter: Filter {
            to: Some(at(2, 0)),
            ..Filter::default()
        },
        ..SearchOptions::default()
    };
    // Page 1 was crawled on the 1st (inside) and the 3rd (outside): the hit is the 1st.
    let results = index.search(&Query::parse("solar").unwrap(), &early);
    assert_eq!(results.total, 2);
    assert_eq!(
        results.hits.iter().map(|h| h.row).collect::<Vec<_>>(),
        [30, 10]
    );
    assert_eq!(results.hits[1].crawl_time, at(1, 10));
    assert_eq!(
        results.hits[1].matched[0],
        Match {
            word: "solar".into(),
            count: 3,
            typos: 0
        }
    );
    // Without a window page 1 is its crawl of the 3rd.
    assert_eq!(
        search(&index, "solar", &SearchOptions::default()),
        (3, vec![11, 21, 30])
    );
}

#[test]
fn language_filter() {
    let index = index();
    let language = |code| Filter {
        language: Some(code),
        ..Filter::default()
    };
    assert_eq!(rows_in(&index, "solar", &language("en")), [11, 10]);
    assert_eq!(rows_in(&index, "solar", &language("nl")), [21]);
    assert!(rows_in(&index, "solar", &language("fr")).is_empty());
    let results = index.search(&Query::parse("wind").unwrap(), &SearchOptions::default());
    assert_eq!(results.hits[0].language, Some("nl"));
    let results = index.search(
        &Query::parse("saturday").unwrap(),
        &SearchOptions::default(),
    );
    assert_eq!(results.hits[0].language, None);
}

#[test]
fn pagination_keeps_the_total() {
    let index = index();
    let page = |offset, limit| SearchOptions {
        offset,
        limit,
        ..SearchOptions::default()
    };
    assert_eq!(search(&index, "solar", &page(0, 2)), (3, vec![11, 21]));
    assert_eq!(search(&index, "solar", &page(2, 2)), (3, vec![30]));
    assert_eq!(search(&index, "solar", &page(1, 1)), (3, vec![21]));
    assert_eq!(search(&index, "solar", &page(3, 2)), (3, vec![]));
    assert_eq!(search(&index, "solar", &page(0, 0)), (3, vec![]));
    assert_eq!(
        search(&index, "solar", &page(usize::MAX, usize::MAX)),
        (3, vec![])
    );
}

#[test]
fn relevance_orders_by_bm25_then_recency() {
    let index = index();
    let relevance = SearchOptions {
        order: Order::Relevance,
        ..SearchOptions::default()
    };
    // "power": page 2 is newer (row 20) but page 1's crawl has it twice (row 10).
    assert_eq!(
        search(&index, "power", &SearchOptions::default()).1,
        [20, 10]
    );
    assert_eq!(search(&index, "power", &relevance).1, [10, 20]);
    let results = index.search(&Query::parse("power").unwrap(), &relevance);
    assert!(results.hits[0].score > results.hits[1].score && results.hits[1].score > 0.0);
    // Matching more of an OR's words ranks higher.
    assert_eq!(
        search(&index, "astronomy OR nuclear OR saturday", &relevance).1,
        [11, 30]
    );
    // Equal BM25 (same counts, same lengths): the newer crawl wins by the recency bonus.
    let time = at(1, 0);
    let same = [("word", 1)];
    let index = Index::build([
        CrawlRow {
            row: 1,
            page: 1,
            crawl_time: time,
            language: None,
            url: "u",
            title: "t",
            counts: &same,
        },
        CrawlRow {
            row: 2,
            page: 2,
            crawl_time: at(2, 0),
            language: None,
            url: "v",
            title: "t",
            counts: &same,
        },
        CrawlRow {
            row: 3,
            page: 3,
            crawl_time: time,
            language: None,
            url: "w",
            title: "t",
            counts: &same,
        },
    ])
    .unwrap();
    assert_eq!(search(&index, "word", &relevance).1, [2, 1, 3]);
}

#[test]
fn hits_carry_page_metadata_and_matched_words() {
    let index = index();
    let results = index.search(
        &Query::parse("solar wind -nuclear").unwrap(),
        &SearchOptions::default(),
    );
    let hit = &results.hits[0];
    assert_eq!(
        (hit.page, hit.row, hit.url, hit.title),
        (2, 21, "https://b.example/", "Title")
    );
    let words: Vec<(&str, u32)> = hit.matched.iter().map(|m| (&*m.word, m.count)).collect();
    assert_eq!(words, [("solar", 1), ("wind", 1)]);
}

#[test]
fn a_page_shows_the_url_and_title_of_its_newest_crawl() {
    let counts = [("word", 1)];
    let row = |row, time, url, title| CrawlRow {
        row,
        page: 7,
        crawl_time: time,
        language: None,
        url,
        title,
        counts: &counts,
    };
    let index = Index::build([
        row(2, at(3, 0), "https://new/", "New"),
        row(1, at(1, 0), "https://old/", "Old"),
    ])
    .unwrap();
    let hits = index.matching_rows(&Query::parse("word").unwrap(), &Filter::default());
    assert!(
        hits.iter()
            .all(|h| h.url == "https://new/" && h.title == "New")
    );
}

#[test]
fn words_listed_twice_add_up_and_zero_counts_are_skipped() {
    let counts = [("word", 2), ("other", 0), ("word", 3)];
    let index = Index::build([CrawlRow {
        row: 1,
        page: 1,
        crawl_time: at(1, 0),
        language: None,
        url: "u",
        title: "t",
        counts: &counts,
    }])
    .unwrap();
    let results = index.search(&Query::parse("word").unwrap(), &SearchOptions::default());
    assert_eq!(results.hits[0].matched[0].count, 5);
    assert!(rows(&index, "other").is_empty());
    assert_eq!(index.stats().postings, 1);
}

#[test]
fn duplicate_rows_are_refused() {
    let counts = [("word", 1)];
    let row = |page| CrawlRow {
        row: 5,
        page,
        crawl_time: at(1, 0),
        language: None,
        url: "u",
        title: "t",
        counts: &counts,
    };
    assert_eq!(
        Index::build([row(1), row(2)]).err(),
        Some(BuildError::DuplicateRow(5))
    );
}

#[test]
fn an_empty_index_answers_everything_with_nothing() {
    let index = Index::build(std::iter::empty::<CrawlRow<'_>>()).unwrap();
    assert!(index.is_empty());
    for query in [
        "word",
        "word*",
        "saturdayy",
        "a OR b1 OR word",
        "word -other",
    ] {
        let results = index.search(&Query::parse(query).unwrap(), &SearchOptions::default());
        assert_eq!(results.total, 0);
        assert!(results.suggestion.is_none());
        assert!(rows(&index, query).is_empty());
    }
    let stats = index.stats();
    assert_eq!(
        (stats.words, stats.postings, stats.rows, stats.pages),
        (0, 0, 0, 0)
    );
}

#[test]
fn stats_count_what_was_indexed() {
    let stats = index().stats();
    assert_eq!(stats.rows, 5);
    assert_eq!(stats.pages, 3);
    assert_eq!(stats.words, 11);
    assert_eq!(
        stats.postings,
        ROWS.iter().map(|r| r.counts.len() as u64).sum::<u64>()
    );
    assert!(stats.dictionary_bytes > 0 && stats.postings_bytes >= stats.postings as usize);
    assert_eq!(
        stats.bytes(),
        stats.dictionary_bytes + stats.postings_bytes + stats.table_bytes
    );
}

#[test]
fn words_are_found_in_every_dictionary_shard() {
    // Enough words that both shards hold some; each must be found exactly.
    let words: Vec<(String, u32)> = (0..500)
        .map(|i| (format!("w{}", to_letters(i * 7919)), 1))
        .collect();
    let index = Index::build([CrawlRow {
        row: 1,
        page: 1,
        crawl_time: at(1, 0),
        language: None,
        url: "u",
        title: "t",
        counts: &words,
    }])
    .unwrap();
    assert_eq!(index.shards.len(), 2);
    for (word, _) in &words {
        assert!(index.lookup(word).is_some(), "{word}");
    }
    assert!(index.lookup("a").is_none() && index.lookup("zzzz").is_none());
}

#[test]
fn the_index_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync + 'static>() {}
    shareable::<Index>();
    shareable::<Query>();
    let index = std::sync::Arc::new(index());
    let other = std::sync::Arc::clone(&index);
    let total = std::thread::spawn(move || {
        other
            .search(&Query::parse("solar").unwrap(), &SearchOptions::default())
            .total
    })
    .join()
    .unwrap();
    assert_eq!(total, 3);
}

#[test]
fn pushing_rows_one_by_one_builds_the_same_index() {
    let built = index();
    let mut builder = IndexBuilder::new();
    for r in ROWS {
        builder
            .push(CrawlRow {
                row: r.row,
                page: r.page,
                crawl_time: at(r.time.0, r.time.1),
                language: r.language,
                url: url(r.page),
                title: "Title",
                counts: r.counts,
            })
            .unwrap();
    }
    let pushed = builder.finish().unwrap();
    for query in [
        "solar",
        "wind OR nuclear",
        "astro*",
        "saturdy",
        "solar -wind",
    ] {
        assert_eq!(rows(&pushed, query), rows(&built, query), "{query}");
    }
    let (a, b) = (pushed.stats(), built.stats());
    assert_eq!(
        (a.words, a.postings, a.bytes()),
        (b.words, b.postings, b.bytes())
    );
}
