//! Form validation results shared by every sub-app: per-field messages, translated when shown.

use super::{AppError, Message, error::FieldError};
use crate::i18n::Lang;

/// Problems found in submitted input, by field.
#[derive(Debug, Default)]
pub struct FormErrors {
    errors: Vec<(&'static str, Message)>,
}

impl FormErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Record a problem with `field` (the first one per field is shown).
    pub fn add(&mut self, field: &'static str, message: Message) {
        self.errors.push((field, message));
    }

    /// Whether nothing was recorded.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok(value)` if there were no errors.
    pub fn into_result<T>(self, value: T) -> Result<T, FormErrors> {
        if self.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }

    /// Translated messages for a template.
    pub fn translate(&self, lang: Lang) -> FieldMessages {
        FieldMessages(
            self.errors
                .iter()
                .map(|(f, m)| (*f, m.text(lang)))
                .collect(),
        )
    }
}

/// For the JSON API: 422 with one entry per field.
impl From<FormErrors> for AppError {
    fn from(errors: FormErrors) -> Self {
        AppError::Invalid(
            errors
                .errors
                .into_iter()
                .map(|(field, message)| FieldError::new(field, message))
                .collect(),
        )
    }
}

/// A field of a form read as name/value pairs (forms with computed field names, e.g. one field
/// per feature); empty when absent.
pub fn value(form: &[(String, String)], name: &str) -> String {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

/// The retire/activate buttons' form: `active=true` or `active=false`.
#[derive(Debug, Default, serde::Deserialize)]
pub struct ActiveInput {
    #[serde(default)]
    active: String,
}

impl ActiveInput {
    /// Whether the item should be active.
    pub fn wanted(&self) -> bool {
        self.active == "true"
    }
}

/// Translated field messages, as templates read them.
#[derive(Debug, Default)]
pub struct FieldMessages(Vec<(&'static str, String)>);

impl FieldMessages {
    /// The message for `field`, if any.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, m)| m.as_str())
    }

    /// Whether any field has a message.
    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }
}
