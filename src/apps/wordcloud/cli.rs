//! Operator commands: `hud pages add URL [--title T]`, `hud pages list`, and
//! `hud crawl PAGE|--all`, which queues crawls, runs them with local workers (others may help)
//! and returns when every one is stored, with a progress bar.

use std::time::Duration;

use anyhow::{Context, bail};
use indicatif::{ProgressBar, ProgressStyle};

use super::{address, crawl, model};
use crate::web::AppState;

/// `hud pages add`.
pub async fn add(state: &AppState, url: &str, title: Option<&str>) -> anyhow::Result<()> {
    let url = address::normalize(url)
        .map_err(|m| anyhow::anyhow!("{}", m.text(crate::i18n::Lang::En)))?;
    match crawl::register(&state.db, &state.cache, url.as_str(), title, None).await {
        Ok(id) => {
            println!("added page {id}: {url} (first crawl queued)");
            Ok(())
        }
        Err(e) => bail!("{url}: {e}"),
    }
}

/// `hud pages list`.
pub async fn list(state: &AppState) -> anyhow::Result<()> {
    for page in model::PAGES.get(&state.cache, &state.db, ()).await? {
        println!(
            "{:>6}  {:<8}  {:<12}  {:<25}  {}",
            page.id,
            if page.active { "active" } else { "inactive" },
            page.last_outcome.as_deref().unwrap_or("-"),
            page.last_crawl_at.map_or_else(
                || "never crawled".into(),
                |t| t.format("%Y-%m-%d %H:%M UTC").to_string()
            ),
            page.url
        );
    }
    Ok(())
}

/// Find a page by id or URL.
async fn find(state: &AppState, page: &str) -> anyhow::Result<i64> {
    if let Ok(id) = page.parse::<i64>() {
        return Ok(id);
    }
    let url = address::normalize(page)
        .map_err(|m| anyhow::anyhow!("{}", m.text(crate::i18n::Lang::En)))?;
    model::PAGES
        .get(&state.cache, &state.db, ())
        .await?
        .into_iter()
        .find(|p| p.url == url.as_str())
        .map(|p| p.id)
        .with_context(|| format!("no page with URL {url}"))
}

/// `hud crawl PAGE|--all`.
pub async fn crawl_now(state: &AppState, page: Option<&str>, all: bool) -> anyhow::Result<()> {
    let ids: Vec<i64> = match (page, all) {
        (Some(page), false) => vec![find(state, page).await?],
        (None, true) => model::PAGES
            .get(&state.cache, &state.db, ())
            .await?
            .into_iter()
            .filter(|p| p.active)
            .map(|p| p.id)
            .collect(),
        _ => bail!("name one page (id or URL) or --all"),
    };
    let mut jobs = Vec::with_capacity(ids.len());
    for id in &ids {
        match crawl::enqueue(&state.db, *id).await? {
            Some(job) => jobs.push(job),
            // Already queued or running: wait for that one.
            None => jobs.extend(
                crate::jobs::queue::pending(&state.db, crawl::CRAWL.name, &format!("page:{id}"))
                    .await?,
            ),
        }
    }
    let bar = ProgressBar::new(jobs.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} pages crawled, {elapsed}")
            .expect("valid template"),
    );
    let workers = crate::workers::start(state, state.config.jobs.workers.max(1), false);
    let (done, failed) = loop {
        let states = crate::jobs::queue::state_of(&state.db, &jobs).await?;
        let done = states.iter().filter(|(_, s)| s == "done").count();
        let failed = states.iter().filter(|(_, s)| s == "failed").count();
        bar.set_position((done + failed) as u64);
        if done + failed >= jobs.len() {
            break (done, failed);
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    bar.finish();
    workers.stop().await;
    println!("{done} crawls stored, {failed} failed (see /admin/jobs)");
    Ok(())
}

/// The word-cloud part of `hud demo` (wired in `crate::cli`): serve the bundled demo pages on
/// `site`, start HUD's state with that site allowed to the crawler, and register and crawl the
/// pages when no page is registered yet: first the front page as it was on each of the last two
/// weeks' days (dated on those days), then every page now.
/// Returns the state and the demo site's server task (abort it when HUD stops).
pub async fn demo(
    mut config: crate::config::Config,
    pool: sqlx::PgPool,
    site: std::net::SocketAddr,
) -> anyhow::Result<(crate::AppState, tokio::task::JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind(site)
        .await
        .with_context(|| format!("cannot serve the demo pages on {site} (set HUD_DEMO_BIND)"))?;
    let site = listener.local_addr()?;
    let server = super::demo::serve(listener);
    config.crawl.allow.push(site.to_string());
    let state = crate::state(config, pool).await?;
    if model::PAGES
        .get(&state.cache, &state.db, ())
        .await?
        .is_empty()
    {
        let urls = super::demo::urls(site);
        println!(
            "registering {} demo pages served on http://{site}/",
            urls.len()
        );
        let mut front_page = None;
        for url in &urls {
            match crawl::register(&state.db, &state.cache, url, None, None).await {
                Ok(id) => {
                    front_page.get_or_insert(id);
                }
                Err(model::AddError::Exists(_)) => {}
                Err(e) => return Err(e.into()),
            }
        }
        if let Some(id) = front_page {
            let days = super::demo::history(site, chrono::Utc::now());
            println!(
                "crawling the front page of each of the last {} days",
                days.len()
            );
            for (url, at) in days {
                let url = reqwest::Url::parse(&url)?;
                crawl::fetch_and_store(&state, id, &url, at, None)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            }
        }
        crawl_now(&state, None, true).await?;
    }
    println!(
        "demo site: http://{site}/news — HUD: http://{}/pages",
        state.config.server.bind
    );
    Ok((state, server))
}
