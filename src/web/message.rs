//! A reference to a translated message: an id in `locales/` plus its arguments.
//!
//! Errors, form errors and flash messages carry a [`Message`] rather than text, so they are
//! translated when shown, in the language of the page that shows them.

use serde::{Deserialize, Serialize};

use crate::i18n::{FluentArg, Lang};

/// A message id and its named arguments.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Message {
    /// The fluent message id.
    pub id: String,
    /// Named arguments for the message's placeables.
    pub args: Vec<(String, FluentArg)>,
}

impl Message {
    /// A message without arguments.
    pub fn new(id: &str) -> Self {
        Message {
            id: id.to_owned(),
            args: Vec::new(),
        }
    }

    /// Add a named argument.
    pub fn arg(mut self, name: &str, value: impl Into<FluentArg>) -> Self {
        self.args.push((name.to_owned(), value.into()));
        self
    }

    /// The text in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        if self.args.is_empty() {
            return lang.t(&self.id).to_owned();
        }
        let args: Vec<(&str, FluentArg)> = self
            .args
            .iter()
            .map(|(k, v)| (k.as_str(), v.clone()))
            .collect();
        lang.t_args(&self.id, &args)
    }
}

/// Why the API answered otherwise than asked, though the request was valid (a query without
/// searchable words: no search; a period longer than allowed: its most recent part): the
/// `notice` field of an answer, translated like a problem's messages.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Notice {
    /// The query parameter it is about (`q`, `from`, `to`).
    pub field: String,
    /// A stable code: the message id (e.g. `search-error-no-words`, `when-range-clamped`).
    pub code: String,
    /// The explanation, in the caller's language.
    pub message: String,
}

impl Notice {
    /// `message` about `field`, in `lang`.
    pub fn new(field: &str, message: &Message, lang: Lang) -> Self {
        Notice {
            field: field.to_owned(),
            code: message.id.clone(),
            message: message.text(lang),
        }
    }
}
