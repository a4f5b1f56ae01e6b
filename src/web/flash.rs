//! One-time messages shown on the next page ("Your preferences were saved").

use serde::{Deserialize, Serialize};
use tower_sessions::Session;

use super::{AppError, Message};

const SESSION_FLASH: &str = "flash";

/// Bootstrap alert style of a flash message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FlashKind {
    /// Something worked.
    Success,
    /// For information.
    Info,
    /// Something went wrong.
    Danger,
}

impl FlashKind {
    /// The Bootstrap contextual class suffix.
    pub fn css(self) -> &'static str {
        match self {
            FlashKind::Success => "success",
            FlashKind::Info => "info",
            FlashKind::Danger => "danger",
        }
    }
}

/// A stored flash message.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Flash {
    /// Alert style.
    pub kind: FlashKind,
    /// What to say (translated when shown).
    pub message: Message,
}

/// Queue a message for the next page this session sees.
pub async fn push(session: &Session, kind: FlashKind, message: Message) -> Result<(), AppError> {
    let mut all: Vec<Flash> = session.get(SESSION_FLASH).await?.unwrap_or_default();
    all.push(Flash { kind, message });
    session.insert(SESSION_FLASH, all).await?;
    Ok(())
}

/// Take (and forget) the queued messages.
pub async fn take(session: &Session) -> Result<Vec<Flash>, AppError> {
    // `remove` marks the session modified (a store write); only call it when there is something.
    if session.get_value(SESSION_FLASH).await?.is_none() {
        return Ok(Vec::new());
    }
    Ok(session.remove(SESSION_FLASH).await?.unwrap_or_default())
}
