//! Typed configuration, read from environment variables (or the matching command-line flags),
//! in one section per concern (`server`, `database`, `cache`, …), each in its own module.
//!
//! Every field names its environment variable; `hud --help` (one heading per section) and the
//! README's configuration table list them all (a test fails when the table misses one).
//! Defaults are chosen so that `hud serve` needs no configuration at all.

mod accounts;
mod cache;
mod captcha;
mod clouds;
mod crawl;
mod database;
mod jobs;
mod mail;
mod search;
mod server;
mod telemetry;

use std::{path::PathBuf, time::Duration};

use clap::{Args, ValueEnum};

pub use self::{
    accounts::AccountsConfig, cache::CacheConfig, captcha::CaptchaConfig, clouds::CloudsConfig,
    crawl::CrawlConfig, database::DatabaseConfig, jobs::JobsConfig, mail::MailConfig,
    search::SearchConfig, server::ServerConfig, telemetry::TelemetryConfig,
};

/// How log lines are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// Human-readable when stderr is a terminal, JSON otherwise.
    Auto,
    /// Human-readable, coloured lines.
    Human,
    /// One JSON object per line (for log shippers).
    Json,
}

/// All run-time settings of a HUD process.
#[derive(Clone, Debug, Args)]
pub struct Config {
    /// Directory for the private PostgreSQL cluster, the generated secret key and model files.
    #[arg(long, env = "HUD_DATA_DIR", default_value = "./data")]
    pub data_dir: PathBuf,

    /// Comma-separated list of enabled sub-apps (default: all of them).
    #[arg(long, env = "HUD_APPS", value_delimiter = ',')]
    pub apps: Option<Vec<String>>,

    /// Serving HTTP.
    #[command(flatten, next_help_heading = "Serving HTTP")]
    pub server: ServerConfig,

    /// Logs, metrics and diagnostic headers.
    #[command(flatten, next_help_heading = "Logs and metrics")]
    pub telemetry: TelemetryConfig,

    /// The PostgreSQL database.
    #[command(flatten, next_help_heading = "PostgreSQL")]
    pub database: DatabaseConfig,

    /// The model-cache layer.
    #[command(flatten, next_help_heading = "Cache")]
    pub cache: CacheConfig,

    /// Accounts and sessions.
    #[command(flatten, next_help_heading = "Accounts")]
    pub accounts: AccountsConfig,

    /// Outgoing mail.
    #[command(flatten, next_help_heading = "Mail")]
    pub mail: MailConfig,

    /// Captchas.
    #[command(flatten, next_help_heading = "Captchas")]
    pub captcha: CaptchaConfig,

    /// The crawler.
    #[command(flatten, next_help_heading = "Crawling")]
    pub crawl: CrawlConfig,

    /// Word clouds.
    #[command(flatten, next_help_heading = "Word clouds")]
    pub clouds: CloudsConfig,

    /// The search index.
    #[command(flatten, next_help_heading = "Search")]
    pub search: SearchConfig,

    /// The job workers.
    #[command(flatten, next_help_heading = "Job workers")]
    pub jobs: JobsConfig,
}

/// A duration: plain seconds, or a number with `s`, `m`, `h` or `d`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let (number, unit) = match text.find(|c: char| !c.is_ascii_digit()) {
        Some(at) => text.split_at(at),
        None => (text, "s"),
    };
    let n: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a duration like 90s, 30m, 6h or 1d"))?;
    let secs = match unit.trim() {
        "s" => n,
        "m" => n * 60,
        "h" => n * 3600,
        "d" => n * 86_400,
        _ => return Err(format!("{text:?}: the unit must be s, m, h or d")),
    };
    if secs == 0 {
        return Err("the interval must be longer than zero".into());
    }
    Ok(Duration::from_secs(secs))
}

impl Config {
    /// A configuration with every default, for tests and tools.
    pub fn defaults() -> Self {
        use clap::Parser;
        #[derive(Parser)]
        struct Only {
            #[command(flatten)]
            config: Config,
        }
        Only::parse_from(["hud"]).config
    }
}

/// `HUD_CACHE_VERSION`: refused at start unless it can be part of a memcached key (1–32
/// characters of `A-Z a-z 0-9 . _ -`).
pub(crate) fn parse_cache_version(value: &str) -> Result<String, String> {
    let valid = (1..=32).contains(&value.len())
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if valid {
        Ok(value.to_owned())
    } else {
        Err("use 1 to 32 characters of A-Z, a-z, 0-9, '.', '_' or '-'".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn every_setting_has_its_own_name() {
        // clap checks ids, flags and env names for clashes between the sections and with the
        // command line's own flags (`--version`).
        crate::cli::Cli::command().debug_assert();
    }
}
