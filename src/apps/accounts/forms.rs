//! Validated input of the account forms and API: raw input in, typed value or per-field
//! messages out. The same parsers serve the HTML forms and the JSON API.

use chrono_tz::Tz;
use serde::Deserialize;

use super::password;
use crate::{
    i18n::{Lang, parse_timezone},
    web::form_guard::GuardInput,
    web::{Message, form::FormErrors},
};

/// Longest username, in characters.
pub const USERNAME_MAX: usize = 64;

/// The signup form as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct SignupInput {
    /// Desired username.
    pub username: String,
    /// E-mail address.
    pub email: String,
    /// Password.
    pub password: String,
    /// Password again.
    pub password2: String,
    /// The captcha's fields (when the captcha sub-app is on).
    #[serde(flatten)]
    pub captcha: GuardInput,
}

/// A valid signup.
#[derive(Debug)]
pub struct Signup {
    /// Username, trimmed but otherwise as typed (any characters but control characters and `@`).
    pub username: String,
    /// E-mail address, trimmed.
    pub email: String,
    /// The password.
    pub password: String,
}

impl Signup {
    /// Validate a signup form.
    pub fn parse(input: &SignupInput, min_password_len: usize) -> Result<Signup, FormErrors> {
        let mut errors = FormErrors::new();
        let username = input.username.trim();
        if let Err(m) = check_username(username) {
            errors.add("username", m);
        }
        let email = input.email.trim();
        if !valid_email(email) {
            errors.add("email", Message::new("email-invalid"));
        }
        if let Err(m) = password::check_policy(&input.password, username, email, min_password_len) {
            errors.add("password", m);
        } else if input.password != input.password2 {
            errors.add("password2", Message::new("password-mismatch"));
        }
        errors.into_result(Signup {
            username: username.to_owned(),
            email: email.to_owned(),
            password: input.password.clone(),
        })
    }
}

fn check_username(username: &str) -> Result<(), Message> {
    if username.is_empty() {
        return Err(Message::new("field-required"));
    }
    if username.chars().count() > USERNAME_MAX {
        return Err(Message::new("username-too-long").arg("max", USERNAME_MAX));
    }
    if username.chars().any(char::is_control) {
        return Err(Message::new("username-invalid"));
    }
    // The login field takes a username or an e-mail address and tells them apart by the `@`:
    // a username `victim@example.org` would otherwise shadow that address's account.
    if username.contains('@') {
        return Err(Message::new("username-no-at"));
    }
    Ok(())
}

/// The change-password form as typed (the API sends the new password once: `password2` is
/// then set to it).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct PasswordChangeInput {
    /// The password now.
    pub current_password: String,
    /// The new password.
    pub password: String,
    /// The new password again.
    pub password2: String,
}

impl PasswordChangeInput {
    /// The new password, when it meets the policy (for this username and address) and both
    /// copies agree (the current one is checked first, by [`super::change`]).
    pub fn parse(
        &self,
        username: &str,
        email: &str,
        min_password_len: usize,
    ) -> Result<String, FormErrors> {
        let mut errors = FormErrors::new();
        if let Err(m) = password::check_policy(&self.password, username, email, min_password_len) {
            errors.add("password", m);
        } else if self.password != self.password2 {
            errors.add("password2", Message::new("password-mismatch"));
        }
        if errors.is_empty() {
            Ok(self.password.clone())
        } else {
            Err(errors)
        }
    }
}

/// The change-e-mail form as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct EmailChangeInput {
    /// The new address.
    pub email: String,
    /// The password now.
    pub current_password: String,
}

impl EmailChangeInput {
    /// The new address, trimmed, when it looks like one.
    pub fn parse(&self) -> Result<String, FormErrors> {
        let mut errors = FormErrors::new();
        let email = self.email.trim();
        if !valid_email(email) {
            errors.add("email", Message::new("email-invalid"));
        }
        if errors.is_empty() {
            Ok(email.to_owned())
        } else {
            Err(errors)
        }
    }
}

/// A pragmatic address check: one `@`, a non-empty local part, a dotted domain, no spaces.
/// (Whether it receives mail is only known by sending mail.)
fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    email.len() <= 254
        && !local.is_empty()
        && local.len() <= 64
        && !domain.contains('@')
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !email
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
}

/// The login form as typed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(default)]
pub struct LoginInput {
    /// Username or e-mail address.
    pub login: String,
    /// Password.
    pub password: String,
    /// Where to go afterwards.
    pub next: Option<String>,
}

/// Preferences as typed (form or API).
#[derive(Debug, Default, Clone, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct PreferencesInput {
    /// `en`, `nl`, `sv`, `nb`, `fr`, or empty for "automatic".
    #[schema(schema_with = language_schema)]
    pub language: Option<String>,
    /// An IANA timezone such as `Europe/Oslo`, or empty for UTC.
    #[schema(schema_with = timezone_schema)]
    pub timezone: Option<String>,
}

fn choice(
    values: impl Iterator<Item = &'static str>,
    description: &str,
) -> utoipa::openapi::Object {
    use utoipa::openapi::{
        ObjectBuilder,
        schema::{SchemaType, Type},
    };
    let mut values: Vec<serde_json::Value> = std::iter::once("")
        .chain(values)
        .map(serde_json::Value::from)
        .collect();
    values.push(serde_json::Value::Null);
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some(values))
        .description(Some(description))
        .build()
}

fn language_schema() -> utoipa::openapi::Object {
    choice(
        Lang::ALL.into_iter().map(Lang::code),
        "`en`, `nl`, `sv`, `nb`, `fr`, or empty for \"automatic\"; null or absent: unchanged.",
    )
}

fn timezone_schema() -> utoipa::openapi::Object {
    choice(
        crate::i18n::TimeZoneChoice::all().iter().copied(),
        "An IANA timezone such as `Europe/Oslo`, or empty for UTC; null or absent: unchanged.",
    )
}

/// Valid preferences.
#[derive(Debug, PartialEq)]
pub struct Preferences {
    /// Chosen language (None = negotiate).
    pub language: Option<Lang>,
    /// Chosen timezone (None = UTC).
    pub timezone: Option<Tz>,
}

impl Preferences {
    /// Validate preferences.
    pub fn parse(input: &PreferencesInput) -> Result<Preferences, FormErrors> {
        let mut errors = FormErrors::new();
        let language = match input.language.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(code) => match code.parse::<Lang>() {
                Ok(lang) => Some(lang),
                Err(_) => {
                    errors.add("language", Message::new("language-unknown"));
                    None
                }
            },
        };
        let timezone = match input.timezone.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(name) => match parse_timezone(name) {
                Some(tz) => Some(tz),
                None => {
                    errors.add("timezone", Message::new("timezone-unknown"));
                    None
                }
            },
        };
        errors.into_result(Preferences { language, timezone })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert!(valid_email("ann@example.org"));
        assert!(!valid_email("ann@example"));
        assert!(!valid_email("ann example@x.org"));
        assert!(!valid_email("@x.org"));
        assert!(!valid_email("a@b@c.org"));
    }

    #[test]
    fn usernames_keep_metacharacters() {
        let input = SignupInput {
            username: "  <b>O'Brien</b>; DROP TABLE users;--  ".into(),
            email: "ob@example.org".into(),
            password: "a sufficiently long pass".into(),
            password2: "a sufficiently long pass".into(),
            ..SignupInput::default()
        };
        let signup = Signup::parse(&input, 10).unwrap();
        assert_eq!(signup.username, "<b>O'Brien</b>; DROP TABLE users;--");
    }

    #[test]
    fn usernames_cannot_look_like_addresses() {
        for username in ["ann@example.org", "@ann", "ann@"] {
            assert_eq!(
                check_username(username),
                Err(Message::new("username-no-at"))
            );
        }
    }

    #[test]
    fn preferences() {
        let ok = PreferencesInput {
            language: Some("nb".into()),
            timezone: Some("Europe/Oslo".into()),
        };
        assert_eq!(
            Preferences::parse(&ok).unwrap(),
            Preferences {
                language: Some(Lang::Nb),
                timezone: Some(chrono_tz::Europe::Oslo)
            }
        );
        let bad = PreferencesInput {
            language: Some("de".into()),
            timezone: Some("Mars/Olympus".into()),
        };
        assert!(Preferences::parse(&bad).is_err());
    }
}
