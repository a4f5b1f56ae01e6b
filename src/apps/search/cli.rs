//! `hud search "QUERY"` (results from a freshly built index) and `hud search --stats`.

use super::{
    live,
    request::{PER_PAGE, SearchParams},
    results,
};
use crate::web::AppState;

/// `hud search --stats`: build the index and print its size and build time.
pub async fn stats(state: &AppState) -> anyhow::Result<()> {
    live::refresh(state).await?;
    let snapshot = live::current(state).await?;
    let stats = snapshot.index.stats();
    println!(
        "crawls since {}: {} rows of {} pages",
        snapshot.since.format("%Y-%m-%d %H:%M UTC"),
        stats.rows,
        stats.pages
    );
    println!("words {}  postings {}", stats.words, stats.postings);
    println!(
        "bytes {} (dictionary {}, postings {}, tables {})",
        stats.bytes(),
        stats.dictionary_bytes,
        stats.postings_bytes,
        stats.table_bytes
    );
    println!(
        "read from PostgreSQL + build {} ms (index build {} ms)",
        snapshot.load_time.as_millis(),
        stats.build_time.as_millis()
    );
    Ok(())
}

/// `hud search QUERY`: the first page of results, newest first unless `sort` says otherwise.
pub async fn search(state: &AppState, params: SearchParams) -> anyhow::Result<()> {
    let request = params
        .trimmed()
        .check(chrono_tz::UTC, crate::i18n::Lang::En)
        .map_err(|refused| {
            let text: Vec<String> = refused
                .all()
                .iter()
                .map(|(field, m)| format!("{field}: {}", m.text(crate::i18n::Lang::En)))
                .collect();
            anyhow::anyhow!("{}", text.join("; "))
        })?;
    let found = results::run(state, &request).await?;
    if let Some(suggestion) = &found.suggestion {
        println!("did you mean: {suggestion}");
    }
    println!(
        "{} pages (page {} of {}, {PER_PAGE} per page)",
        found.total, found.page, found.pages
    );
    for hit in &found.hits {
        let words: Vec<String> = hit
            .matched
            .iter()
            .map(|m| format!("{}×{}", m.word, m.count))
            .collect();
        println!(
            "{}  {:>7.3}  {}  {}\n    {}",
            hit.crawled_at.format("%Y-%m-%d %H:%M UTC"),
            hit.score,
            hit.title,
            hit.url,
            words.join(" ")
        );
    }
    Ok(())
}
