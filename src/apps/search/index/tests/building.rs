//! Building: merged and refused input, the empty index, sizes, shards, threads.

use super::*;

#[test]
fn words_listed_twice_add_up_and_zero_counts_are_skipped() {
    let counts = [("word", 2), ("other", 0), ("word", 3)];
    let index = Index::build([bare(1, 1, at(1, 0), &counts)]).unwrap();
    let results = index.search(&Query::parse("word").unwrap(), &SearchOptions::default());
    assert_eq!(results.hits[0].matched[0].count, 5);
    assert!(rows(&index, "other").is_empty());
    assert_eq!(index.stats().postings, 1);
}

#[test]
fn duplicate_rows_are_refused() {
    let counts = [("word", 1)];
    let row = |page| bare(5, page, at(1, 0), &counts);
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
    let index = Index::build([bare(1, 1, at(1, 0), &words)]).unwrap();
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
        builder.push(r.crawl_row()).unwrap();
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
