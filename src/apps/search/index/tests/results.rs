//! Date windows, languages, pagination, orders and what a hit carries.

use super::*;

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
        bare(1, 1, time, &same),
        CrawlRow {
            url: "v",
            ..bare(2, 2, at(2, 0), &same)
        },
        CrawlRow {
            url: "w",
            ..bare(3, 3, time, &same)
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
