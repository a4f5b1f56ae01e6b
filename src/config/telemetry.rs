//! Logs, metrics and diagnostic headers.

use clap::Args;

use super::LogFormat;

/// Logs, metrics and diagnostic headers.
#[derive(Clone, Debug, Args)]
pub struct TelemetryConfig {
    /// Log format: auto, human or json.
    #[arg(long = "log-format", env = "HUD_LOG_FORMAT", value_enum, default_value_t = LogFormat::Auto)]
    pub log_format: LogFormat,

    /// Log filter in `tracing` syntax, e.g. `info,hud=debug`.
    #[arg(
        long = "log-filter",
        env = "HUD_LOG",
        default_value = "info,sqlx::postgres::notice=warn"
    )]
    pub log_filter: String,

    /// Bearer token that `/metrics` requires (`Authorization: Bearer …`); unset: `/metrics` is
    /// off (404). The counters name routes and memcached servers, so they are not public.
    #[arg(
        long = "metrics-token",
        env = "HUD_METRICS_TOKEN",
        hide_env_values = true
    )]
    pub metrics_token: Option<String>,

    /// Send the `Server-Timing` and `X-Hud-Cache` headers on every response (for load tests
    /// and debugging); off: only admins' responses carry them, as they tell an outsider which
    /// pages are cached and how long the database takes.
    #[arg(long = "diagnostic-headers", env = "HUD_DIAGNOSTIC_HEADERS", default_value_t = false, action = clap::ArgAction::Set)]
    pub diagnostic_headers: bool,
}
