//! AND, OR, NOT, parentheses, prefixes, typos and suggestions.

use super::*;

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
        bare(1, 1, time, &words),
        CrawlRow {
            url: "v",
            ..bare(2, 2, time, &common)
        },
        CrawlRow {
            url: "w",
            ..bare(3, 3, time, &common)
        },
    ])
    .unwrap();
    let results = index.search(&Query::parse("pre*").unwrap(), &SearchOptions::default());
    assert!(results.truncated);
    assert_eq!(results.total, 3, "the frequent word was kept");
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
