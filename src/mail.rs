//! Sending mail over SMTP (`HUD_SMTP_URL`), with a plain-text and an HTML part.
//!
//! The transport is built per message: HUD sends little mail (password resets), and a fresh
//! connection per message is what the SMTP server sees from any small sender.

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, MultiPart},
};

use crate::config::MailConfig;

/// One message to one recipient.
#[derive(Debug, Clone)]
pub struct Mail {
    /// The recipient's address.
    pub to: String,
    /// Subject line.
    pub subject: String,
    /// The plain-text part.
    pub text: String,
    /// The HTML part (the same content).
    pub html: String,
}

/// Whether HUD can send mail at all.
pub fn configured(config: &MailConfig) -> bool {
    config.smtp_url.is_some()
}

/// Send `mail`; an error when no SMTP server is configured, the addresses are not valid, or
/// the server refuses it.
pub async fn send(config: &MailConfig, mail: Mail) -> anyhow::Result<()> {
    let Some(url) = config.smtp_url.as_deref() else {
        anyhow::bail!("no SMTP server configured (HUD_SMTP_URL)");
    };
    let from: Mailbox = config.from.parse()?;
    let to: Mailbox = mail.to.parse()?;
    let message = Message::builder()
        .from(from)
        .to(to)
        .subject(mail.subject)
        .multipart(MultiPart::alternative_plain_html(mail.text, mail.html))?;
    let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)?.build();
    transport.send(message).await?;
    Ok(())
}
