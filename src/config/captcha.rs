//! Captchas: the images, the pool, the audio alternative and the rate limits of issuing and answering.

use clap::Args;

/// Captchas: the images, the pool, the audio alternative and the rate limits of issuing and answering.
#[derive(Clone, Debug, Args)]
pub struct CaptchaConfig {
    /// How long an issued captcha can be answered, in seconds.
    #[arg(
        long = "captcha-ttl-secs",
        env = "HUD_CAPTCHA_TTL_SECS",
        default_value_t = 600
    )]
    pub ttl_secs: u64,

    /// Width of generated captcha images in pixels (at least 120).
    #[arg(long = "captcha-width", env = "HUD_CAPTCHA_WIDTH", default_value_t = 240, value_parser = clap::value_parser!(u32).range(120..=1200))]
    pub width: u32,

    /// Height of generated captcha images in pixels (at least 40).
    #[arg(long = "captcha-height", env = "HUD_CAPTCHA_HEIGHT", default_value_t = 80, value_parser = clap::value_parser!(u32).range(40..=400))]
    pub height: u32,

    /// Active captcha images `hud serve` keeps in stock (it generates more when there are fewer).
    #[arg(long = "captcha-pool", env = "HUD_CAPTCHA_POOL", default_value_t = 200)]
    pub pool: i64,

    /// How many times one captcha image is handed out before it is retired and replaced (so a
    /// table of solved images is worth almost nothing).
    #[arg(long = "captcha-max-issues", env = "HUD_CAPTCHA_MAX_ISSUES", default_value_t = 3, value_parser = clap::value_parser!(i32).range(1..=100))]
    pub max_issues: i32,

    /// Captcha answers allowed per client IP per 10 minutes.
    #[arg(
        long = "captcha-attempts-per-ip",
        env = "HUD_CAPTCHA_ATTEMPTS_PER_IP",
        default_value_t = 30
    )]
    pub attempts_per_ip: i32,

    /// Captcha answers allowed per browser session (or API client) per 10 minutes.
    #[arg(
        long = "captcha-attempts-per-session",
        env = "HUD_CAPTCHA_ATTEMPTS_PER_SESSION",
        default_value_t = 10
    )]
    pub attempts_per_session: i32,

    /// Captchas (and audio renderings) issued per client IP per 10 minutes.
    #[arg(
        long = "captcha-issue-limit-per-ip",
        env = "HUD_CAPTCHA_ISSUE_LIMIT_PER_IP",
        default_value_t = 300
    )]
    pub issue_limit_per_ip: i32,

    /// The `espeak-ng` program for audio captchas (empty: no audio alternative).
    #[arg(long = "espeak", env = "HUD_ESPEAK", default_value = "espeak-ng")]
    pub espeak: String,
}
