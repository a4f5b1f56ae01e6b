//! The crawl job: fetch a page, count its words, store the crawl, drop stale cache entries.
//!
//! Idempotent: a job that finds its crawl already stored (its worker died after the commit)
//! does nothing; storing is one transaction keyed by the job, so a retried job never counts a
//! page twice. Transient failures (timeouts, 5xx, unreachable — which includes a host with no
//! public address) are retried with back-off and only recorded as the crawl's outcome when the
//! last attempt fails too; definitive ones (404, not HTML, too large, blocked) are recorded at
//! once.

use std::sync::OnceLock;

use chrono::{DateTime, Utc};
use reqwest::Url;

use super::{
    extract,
    fetch::{self, Expect, FetchSettings, Outcome, Validators},
    guard::Allow,
    model::{self, NewCrawl},
    robots,
};
use crate::{
    config::Config,
    jobs::{Job, JobError, JobKind, Schedule},
    text::{language, passages},
    web::AppState,
};

/// The job kind.
pub static CRAWL: JobKind<AppState> = JobKind {
    name: "crawl",
    run: |state, job| Box::pin(run(state, job)),
};

/// Queue crawls of due pages every minute.
pub static SCHEDULE_CRAWLS: Schedule<AppState> = Schedule {
    name: "crawl due pages",
    every: std::time::Duration::from_secs(60),
    run: |state| {
        Box::pin(async move {
            model::enqueue_due(&state.db, state.config.crawl.interval.as_secs_f64()).await
        })
    },
};

/// Delete crawls past the retention period, hourly.
pub static PRUNE_CRAWLS: Schedule<AppState> = Schedule {
    name: "prune old crawls",
    every: std::time::Duration::from_secs(3600),
    run: |state| {
        Box::pin(async move {
            match state.config.crawl.retention_days {
                0 => Ok(0),
                days => model::prune(&state.db, days as i32).await,
            }
        })
    },
};

/// Attempts of a crawl job.
pub const ATTEMPTS: i32 = 4;

/// The fetch settings of a configuration (cheap: the TLS roots are built once per process).
pub fn settings(config: &Config) -> Result<FetchSettings, String> {
    static TLS: OnceLock<std::sync::Arc<rustls::ClientConfig>> = OnceLock::new();
    let timeout = std::time::Duration::from_secs(config.crawl.timeout_secs.max(1));
    Ok(FetchSettings {
        timeout,
        total_timeout: timeout * 8,
        max_bytes: config.crawl.max_bytes,
        max_redirects: config.crawl.max_redirects,
        user_agent: config.crawl.user_agent.clone(),
        allow: Allow::parse(&config.crawl.allow)?,
        tls: TLS.get_or_init(fetch::tls_config).clone(),
    })
}

/// Register a page and queue its first crawl (forms, API and CLI alike).
pub async fn register(
    db: &sqlx::PgPool,
    cache: &crate::cache::Cache,
    url: &str,
    title: Option<&str>,
    by: Option<model::Registrant>,
) -> Result<i64, model::AddError> {
    let id = model::add(db, cache, url, title, by).await?;
    enqueue(db, id).await.map_err(model::AddError::Db)?;
    Ok(id)
}

/// Queue a crawl of one page now (unless one is queued or running). Returns the job id.
pub async fn enqueue(db: &sqlx::PgPool, page_id: i64) -> sqlx::Result<Option<i64>> {
    crate::jobs::queue::enqueue(
        db,
        CRAWL.name,
        &format!("page:{page_id}"),
        &serde_json::json!({ "page_id": page_id }),
        ATTEMPTS,
    )
    .await
}

/// What the words of a fetched HTML body are (CPU work: run off the async runtime).
struct Counted {
    title: Option<String>,
    language: Option<String>,
    counts: Vec<(String, i32)>,
}

fn count_words(body: &[u8], content_type: Option<&str>) -> Counted {
    let html = extract::decode(body, content_type);
    let page = extract::extract(&html);
    let language = language::detect(&page.text, page.lang.as_deref());
    Counted {
        counts: passages::count(&page.text, language.as_deref()),
        title: page.title.map(|t| t.chars().take(200).collect()),
        language,
    }
}

fn outcome_name(outcome: &Outcome) -> &'static str {
    match outcome {
        Outcome::Ok { .. } => "ok",
        Outcome::NotModified => "not_modified",
        Outcome::HttpError(_) => "http_error",
        Outcome::Timeout => "timeout",
        Outcome::TooLarge => "too_large",
        Outcome::NotHtml(_) => "not_html",
        Outcome::Blocked(_) => "blocked",
        Outcome::Unreachable(_) => "unreachable",
    }
}

#[tracing::instrument(skip_all, err, fields(job = job.id))]
async fn run(state: AppState, job: Job) -> Result<(), JobError> {
    let page_id = job
        .payload
        .get("page_id")
        .and_then(serde_json::Value::as_i64)
        .ok_or_else(|| JobError::Fail("payload without page_id".into()))?;
    if model::crawl_of_job(&state.db, job.id).await? {
        return Ok(());
    }
    let Some(page) = model::PAGE.get(&state.cache, &state.db, page_id).await? else {
        return Ok(()); // deleted since
    };
    let url = Url::parse(&page.url).map_err(|e| JobError::Fail(format!("stored URL: {e}")))?;
    fetch_and_store(&state, page_id, &url, Utc::now(), Some(&job)).await
}

/// Fetch `url` for page `page_id` and store what came back as the page's crawl at `crawled_at`.
/// In a job (`job`), a transient failure before the last attempt is only noted and retried;
/// without one (the demo's past front pages) every outcome is stored at once.
pub async fn fetch_and_store(
    state: &AppState,
    page_id: i64,
    url: &Url,
    crawled_at: DateTime<Utc>,
    job: Option<&Job>,
) -> Result<(), JobError> {
    let settings = &settings(&state.config).map_err(JobError::Fail)?;
    let outcome = if robots::allowed(settings, url).await {
        let (etag, last_modified) = model::validators(&state.db, page_id).await?;
        let validators = Validators {
            etag,
            last_modified,
        };
        fetch::get(
            settings,
            url,
            Some(&validators),
            settings.max_bytes,
            Expect::Html,
        )
        .await
    } else {
        Outcome::Blocked("robots.txt".into())
    };
    let name = outcome_name(&outcome);
    if outcome.is_transient() && job.is_some_and(|j| !j.is_last_attempt()) {
        model::note_outcome(&state.db, &state.cache, page_id, name).await?;
        return Err(JobError::Retry(format!("{outcome:?}")));
    }
    let mut crawl = NewCrawl {
        page_id,
        job_id: job.map(|j| j.id),
        crawled_at,
        outcome: name,
        http_status: None,
        detail: None,
        language: None,
        page_title: None,
        counts: None,
        etag: None,
        last_modified: None,
    };
    match outcome {
        Outcome::Ok {
            url: final_url,
            content_type,
            body,
            validators,
        } => {
            let counted =
                tokio::task::spawn_blocking(move || count_words(&body, content_type.as_deref()))
                    .await
                    .map_err(|e| JobError::Fail(format!("counting words: {e}")))?;
            crawl.http_status = Some(200);
            crawl.language = counted.language;
            crawl.page_title = counted.title;
            crawl.counts = Some(counted.counts);
            crawl.etag = validators.etag;
            crawl.last_modified = validators.last_modified;
            if final_url != *url {
                crawl.detail = Some(final_url.to_string());
            }
        }
        Outcome::NotModified => crawl.http_status = Some(304),
        Outcome::HttpError(status) => crawl.http_status = Some(i32::from(status)),
        Outcome::NotHtml(content_type) => crawl.detail = Some(content_type),
        Outcome::Blocked(why) | Outcome::Unreachable(why) => crawl.detail = Some(why),
        Outcome::Timeout | Outcome::TooLarge => {}
    }
    model::store_crawl(&state.db, &state.cache, crawl).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The real Dutch declaration with its first ten articles left in English, as a partly
    /// translated page is.
    fn partly_translated() -> String {
        let dutch = include_str!("../../../demo/udhr/nld.html");
        let english = include_str!("../../../demo/udhr/eng.html");
        let articles =
            |html: &'static str| -> Vec<&'static str> { html.split("<article").skip(1).collect() };
        let (nl, en) = (articles(dutch), articles(english));
        assert_eq!(nl.len(), en.len());
        let head = dutch.split("<article").next().unwrap();
        let mut page = head.to_owned();
        for (i, (nl, en)) in nl.iter().zip(&en).enumerate() {
            page.push_str("<article");
            page.push_str(if i < 10 { en } else { nl });
        }
        page
    }

    fn top(counts: &[(String, i32)], n: usize) -> Vec<&str> {
        let mut sorted: Vec<&(String, i32)> = counts.iter().collect();
        sorted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        sorted.iter().take(n).map(|(w, _)| w.as_str()).collect()
    }

    #[test]
    fn a_partly_translated_page_loses_the_stopwords_of_both_languages() {
        let html = partly_translated();
        let counted = count_words(html.as_bytes(), Some("text/html; charset=utf-8"));
        assert_eq!(
            counted.language.as_deref(),
            Some("nl"),
            "the page's main language"
        );
        let english = language::stopwords("en");
        let dutch = language::stopwords("nl");
        let biggest = top(&counted.counts, 30);
        for word in &biggest {
            assert!(
                !english.contains(*word),
                "{word:?} is an English stopword: {biggest:?}"
            );
            assert!(
                !dutch.contains(*word),
                "{word:?} is a Dutch stopword: {biggest:?}"
            );
        }
        // The English passages' own words are counted, the Dutch ones' too.
        let has = |word: &str| counted.counts.iter().any(|(w, _)| w == word);
        for word in ["dignity", "slavery", "torture", "tribunal"] {
            assert!(has(word), "{word} (English, articles 1–10)");
        }
        for word in ["huwelijk", "eigendom", "onderwijs"] {
            assert!(has(word), "{word} (Dutch, articles 11–30)");
        }
        // Counted with the page's stopwords only, as before, "the" and "and" top the cloud.
        let page = extract::extract(&html);
        let naive = crate::text::words::count(&page.text, &dutch);
        let naive_top = top(&naive, 5);
        assert!(
            naive_top.contains(&"the") && naive_top.contains(&"and"),
            "{naive_top:?}"
        );
    }

    #[test]
    fn single_language_pages_count_as_before() {
        for html in [
            include_str!("../../../demo/udhr/eng.html"),
            include_str!("../../../demo/udhr/fra.html"),
            include_str!("../../../demo/udhr/nob.html"),
        ] {
            let counted = count_words(html.as_bytes(), None);
            let language = counted.language.clone().unwrap();
            let page = extract::extract(html);
            let whole = crate::text::words::count(&page.text, &language::stopwords(&language));
            assert_eq!(top(&counted.counts, 10), top(&whole, 10), "{language}");
        }
    }
}
