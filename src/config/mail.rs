//! Outgoing mail (password resets): the SMTP server, the sender, and the public address that
//! links in mail point to.

use clap::Args;

/// Outgoing mail.
#[derive(Clone, Debug, Args)]
pub struct MailConfig {
    /// SMTP server for outgoing mail: `smtp://host:port` (plain; add `?tls=required` for
    /// STARTTLS), `smtps://host:port` (TLS from the start), with `user:password@` for
    /// authentication. Unset: HUD sends no mail, and a password-reset link is written to the
    /// log instead (the page says an administrator can help).
    #[arg(long = "smtp-url", env = "HUD_SMTP_URL", value_parser = parse_smtp_url)]
    pub smtp_url: Option<String>,

    /// The sender of HUD's mail (`Name <address>` or an address).
    #[arg(long = "mail-from", env = "HUD_MAIL_FROM", default_value = "HUD <hud@localhost>", value_parser = parse_mailbox)]
    pub from: String,

    /// The address people reach HUD at (`https://hud.example.org`), for the links in mail.
    /// Never taken from a request's `Host` header, which a client chooses. Unset:
    /// `http://` and `HUD_BIND`.
    #[arg(long = "public-url", env = "HUD_PUBLIC_URL", value_parser = parse_public_url)]
    pub public_url: Option<String>,
}

fn parse_smtp_url(value: &str) -> Result<String, String> {
    let url = url::Url::parse(value).map_err(|e| format!("not a URL: {e}"))?;
    if !matches!(url.scheme(), "smtp" | "smtps") || url.host_str().is_none_or(str::is_empty) {
        return Err("use smtp://host:port or smtps://host:port".to_owned());
    }
    Ok(value.to_owned())
}

fn parse_mailbox(value: &str) -> Result<String, String> {
    value
        .parse::<lettre::message::Mailbox>()
        .map(|_| value.to_owned())
        .map_err(|e| format!("not a mail address: {e}"))
}

fn parse_public_url(value: &str) -> Result<String, String> {
    let url = url::Url::parse(value).map_err(|e| format!("not a URL: {e}"))?;
    if !matches!(url.scheme(), "http" | "https")
        || url.host_str().is_none()
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return Err("use http(s)://host[:port][/path], without query or fragment".to_owned());
    }
    // Links append absolute paths (`/accounts/…`).
    Ok(value.trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_checked_at_start() {
        assert!(parse_smtp_url("smtp://127.0.0.1:2525").is_ok());
        assert!(parse_smtp_url("smtps://user:pw@mail.example.org").is_ok());
        assert!(parse_smtp_url("http://mail.example.org").is_err());
        assert!(parse_smtp_url("mail.example.org:25").is_err());
        assert_eq!(
            parse_public_url("https://hud.example.org/").as_deref(),
            Ok("https://hud.example.org")
        );
        assert!(parse_public_url("https://hud.example.org/?x=1").is_err());
        assert!(parse_public_url("ftp://hud.example.org").is_err());
        assert!(parse_mailbox("HUD <hud@example.org>").is_ok());
        assert!(parse_mailbox("not an address").is_err());
    }
}
