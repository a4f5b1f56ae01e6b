//! Accounts: passwords, sessions, API tokens and the rate limits of logging in and signing up.

use std::time::Duration;

use clap::Args;

use super::parse_duration;

/// Accounts: passwords, sessions, API tokens and the rate limits of logging in and signing up.
#[derive(Clone, Debug, Args)]
pub struct AccountsConfig {
    /// Failed or successful login attempts allowed per client IP per 5 minutes.
    #[arg(
        long = "login-limit-per-ip",
        env = "HUD_LOGIN_LIMIT_PER_IP",
        default_value_t = 20
    )]
    pub login_limit_per_ip: i32,

    /// Failed logins allowed per account and client per 15 minutes (a successful login forgets
    /// them; other clients' failures never count, so an attacker cannot lock the owner out).
    #[arg(
        long = "login-limit-per-account",
        env = "HUD_LOGIN_LIMIT_PER_ACCOUNT",
        default_value_t = 10
    )]
    pub login_limit_per_account: i32,

    /// Sign-ups allowed per client IP per hour.
    #[arg(
        long = "signup-limit-per-ip",
        env = "HUD_SIGNUP_LIMIT_PER_IP",
        default_value_t = 10
    )]
    pub signup_limit_per_ip: i32,

    /// Avatar uploads allowed per user per hour (each one is an image decode).
    #[arg(
        long = "avatar-uploads-per-hour",
        env = "HUD_AVATAR_UPLOADS_PER_HOUR",
        default_value_t = 20
    )]
    pub avatar_uploads_per_hour: i32,

    /// Minimum password length in characters.
    #[arg(
        long = "password-min-length",
        env = "HUD_PASSWORD_MIN_LENGTH",
        default_value_t = 10
    )]
    pub password_min_length: usize,

    /// How long an anonymous session lives without being used (seconds, or with a unit: `30m`,
    /// `1h`). Logged-in sessions live 14 days of inactivity.
    #[arg(long = "anon-session-ttl", env = "HUD_ANON_SESSION_TTL", default_value = "1h", value_parser = parse_duration)]
    pub anon_session_ttl: Duration,

    /// How long a password-reset link works (seconds, or with a unit: `30m`, `1h`).
    #[arg(long = "password-reset-ttl", env = "HUD_PASSWORD_RESET_TTL", default_value = "1h", value_parser = parse_duration)]
    pub password_reset_ttl: Duration,

    /// Password-reset requests allowed per client IP per hour, and per e-mail address per hour.
    #[arg(
        long = "password-reset-limit",
        env = "HUD_PASSWORD_RESET_LIMIT",
        default_value_t = 5
    )]
    pub password_reset_limit: i32,

    /// Longest lifetime of an API token in days: the default for new tokens and the cap of the
    /// lifetime a client asks for.
    #[arg(long = "api-token-max-days", env = "HUD_API_TOKEN_MAX_DAYS", default_value_t = 90, value_parser = clap::value_parser!(i64).range(1..=3650))]
    pub api_token_max_days: i64,
}
