//! robots.txt: fetched through the same guarded fetcher, parsed by `texting_robots`, kept per
//! origin for an hour in this process.
//!
//! Only a successfully fetched robots.txt restricts: a missing one (4xx) allows everything, and
//! so does one that cannot be fetched (HUD crawls a page a few times a day, not a site).

use std::{
    sync::{Arc, LazyLock},
    time::{Duration, Instant},
};

use reqwest::Url;

use super::fetch::{self, Expect, FetchSettings, Outcome};

/// How long a robots.txt is trusted.
const KEEP: Duration = Duration::from_secs(3600);
/// Largest robots.txt read (Google reads 500 KiB).
const MAX_BYTES: usize = 512 * 1024;

type Rules = Option<Arc<texting_robots::Robot>>;

static CACHE: LazyLock<quick_cache::sync::Cache<String, (Instant, Rules)>> =
    LazyLock::new(|| quick_cache::sync::Cache::new(10_000));

/// The token robots.txt groups address: the first word of the User-Agent, without version.
fn agent_token(user_agent: &str) -> &str {
    user_agent
        .split_whitespace()
        .next()
        .unwrap_or(user_agent)
        .split('/')
        .next()
        .unwrap_or(user_agent)
}

async fn rules_for(settings: &FetchSettings, url: &Url) -> Rules {
    let origin = url.origin().ascii_serialization();
    if let Some((fetched, rules)) = CACHE.get(&origin)
        && fetched.elapsed() < KEEP
    {
        return rules;
    }
    let Ok(robots_url) = url.join("/robots.txt") else {
        return None;
    };
    let rules = match fetch::get(settings, &robots_url, None, MAX_BYTES, Expect::Any).await {
        Outcome::Ok { body, .. } => {
            texting_robots::Robot::new(agent_token(&settings.user_agent), &body)
                .ok()
                .map(Arc::new)
        }
        _ => None,
    };
    CACHE.insert(origin, (Instant::now(), rules.clone()));
    rules
}

/// Whether robots.txt lets HUD fetch `url`.
pub async fn allowed(settings: &FetchSettings, url: &Url) -> bool {
    match rules_for(settings, url).await {
        Some(rules) => rules.allowed(url.as_str()),
        None => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_is_the_product_name() {
        assert_eq!(
            agent_token("HUD-wordcloud/0.1 (+https://x)"),
            "HUD-wordcloud"
        );
        assert_eq!(agent_token("hud"), "hud");
    }

    #[test]
    fn rules_are_matched_for_our_token() {
        let txt = b"User-agent: HUD-wordcloud\nDisallow: /private\n\nUser-agent: *\nDisallow: /";
        let robot = texting_robots::Robot::new("HUD-wordcloud", txt).unwrap();
        assert!(robot.allowed("https://example.org/public"));
        assert!(!robot.allowed("https://example.org/private/x"));
    }
}
