//! Languages: the five supported locales, fluent message lookup, negotiation and date formatting.
//!
//! Messages live in `locales/<lang>/*.ftl` and are compiled into the binary. Code never holds a
//! user-visible string: it passes message ids (and arguments) to [`Lang::t`] / [`Lang::t_args`].

mod datetime;
mod negotiate;
mod plain;

use std::{borrow::Cow, collections::HashMap, fmt, str::FromStr};

use fluent_templates::{LanguageIdentifier, Loader, fluent_bundle::FluentValue, langid};

pub use datetime::{DateStyle, LocalTime, TimeZoneChoice, format_datetime, parse_timezone};
pub use negotiate::from_accept_language;

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./locales",
        fallback_language: "en",
        // Isolation marks around arguments would end up in HTML attributes and JSON.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// A language HUD is translated into.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// English (default, served without URL prefix).
    #[default]
    En,
    /// Dutch.
    Nl,
    /// Swedish.
    Sv,
    /// Norwegian Bokmål.
    Nb,
    /// French.
    Fr,
}

static EN: LanguageIdentifier = langid!("en");
static NL: LanguageIdentifier = langid!("nl");
static SV: LanguageIdentifier = langid!("sv");
static NB: LanguageIdentifier = langid!("nb");
static FR: LanguageIdentifier = langid!("fr");

impl Lang {
    /// Every supported language, in the order shown in the language switcher.
    pub const ALL: [Lang; 5] = [Lang::En, Lang::Nl, Lang::Sv, Lang::Nb, Lang::Fr];

    /// The BCP 47 code (`en`, `nl`, …), also used as URL prefix and cookie value.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
            Lang::Sv => "sv",
            Lang::Nb => "nb",
            Lang::Fr => "fr",
        }
    }

    /// The language's own name for itself, shown in the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Nl => "Nederlands",
            Lang::Sv => "Svenska",
            Lang::Nb => "Norsk bokmål",
            Lang::Fr => "Français",
        }
    }

    /// The URL prefix of pages in this language (`""` for English).
    pub fn url_prefix(self) -> &'static str {
        match self {
            Lang::En => "",
            Lang::Nl => "/nl",
            Lang::Sv => "/sv",
            Lang::Nb => "/nb",
            Lang::Fr => "/fr",
        }
    }

    /// Position in [`Lang::ALL`].
    fn index(self) -> usize {
        self as usize
    }

    fn langid(self) -> &'static LanguageIdentifier {
        match self {
            Lang::En => &EN,
            Lang::Nl => &NL,
            Lang::Sv => &SV,
            Lang::Nb => &NB,
            Lang::Fr => &FR,
        }
    }

    /// Translate a message id.
    pub fn t(self, id: &str) -> &'static str {
        plain::lookup(self, id, || LOCALES.lookup(self.langid(), id))
    }

    /// Translate a message id with named arguments.
    pub fn t_args(self, id: &str, args: &[(&str, FluentArg)]) -> String {
        let map: HashMap<Cow<'static, str>, FluentValue> = args
            .iter()
            .map(|(k, v)| (Cow::Owned((*k).to_owned()), v.to_fluent()))
            .collect();
        LOCALES.lookup_with_args(self.langid(), id, &map)
    }

    /// The translation of `id` in exactly this language, without falling back to English.
    pub fn t_exact(self, id: &str) -> Option<String> {
        LOCALES
            .lookup_single_language::<&str>(self.langid(), id, None)
            .ok()
    }
}

/// An argument value for a translated message.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum FluentArg {
    /// A number (plural rules apply).
    Num(f64),
    /// A text.
    Str(String),
}

impl FluentArg {
    fn to_fluent(&self) -> FluentValue<'static> {
        match self {
            FluentArg::Num(n) => FluentValue::from(*n),
            FluentArg::Str(s) => FluentValue::from(s.clone()),
        }
    }
}

impl From<&str> for FluentArg {
    fn from(s: &str) -> Self {
        FluentArg::Str(s.to_owned())
    }
}
impl From<String> for FluentArg {
    fn from(s: String) -> Self {
        FluentArg::Str(s)
    }
}
impl From<i64> for FluentArg {
    fn from(n: i64) -> Self {
        FluentArg::Num(n as f64)
    }
}
impl From<f64> for FluentArg {
    fn from(n: f64) -> Self {
        FluentArg::Num(n)
    }
}
impl From<usize> for FluentArg {
    fn from(n: usize) -> Self {
        FluentArg::Num(n as f64)
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The input was not one of the five language codes.
#[derive(Debug, thiserror::Error)]
#[error("unknown language code")]
pub struct UnknownLang;

impl FromStr for Lang {
    type Err = UnknownLang;

    /// Exact codes only (`en`, `nl`, `sv`, `nb`, `fr`), case-insensitive.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(s.trim()))
            .ok_or(UnknownLang)
    }
}
