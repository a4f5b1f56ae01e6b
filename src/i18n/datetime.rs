//! Dates and times shown in the reader's timezone, with month and day names in the page language.
//!
//! The pattern itself is a translation (`datetime-format`, `date-format`), so each language
//! orders day, month and year the way its readers expect.

use std::sync::LazyLock;

use chrono::{
    DateTime, Utc,
    format::{Item, StrftimeItems},
};
use chrono_tz::Tz;

use super::Lang;

impl Lang {
    fn chrono_locale(self) -> chrono::Locale {
        match self {
            Lang::En => chrono::Locale::en_GB,
            Lang::Nl => chrono::Locale::nl_NL,
            Lang::Sv => chrono::Locale::sv_SE,
            Lang::Nb => chrono::Locale::nb_NO,
            Lang::Fr => chrono::Locale::fr_FR,
        }
    }
}

/// Which pattern to use.
#[derive(Clone, Copy, Debug)]
pub enum DateStyle {
    /// Date, time and zone abbreviation.
    DateTime,
    /// Date only.
    Date,
}

/// Format a UTC instant in `tz` for readers of `lang`.
pub fn format_datetime(at: DateTime<Utc>, tz: Tz, lang: Lang, style: DateStyle) -> String {
    let local = at.with_timezone(&tz);
    // A broken pattern in a translation must not break the page; fall back to ISO 8601.
    let Some(items) = &PATTERNS[lang.index()][style as usize] else {
        return local.to_rfc3339();
    };
    let mut out = String::with_capacity(32);
    // `write_to`, not `Display`: the latter formats into a temporary string and pads it.
    let formatted = local.format_localized_with_items(items.iter(), lang.chrono_locale());
    if formatted.write_to(&mut out).is_err() {
        return local.to_rfc3339();
    }
    out
}

/// Each language's two patterns, parsed once (parsing cost more than formatting).
static PATTERNS: LazyLock<[[Option<Vec<Item<'static>>>; 2]; Lang::ALL.len()]> =
    LazyLock::new(|| {
        Lang::ALL.map(|lang| {
            [DateStyle::DateTime, DateStyle::Date].map(|style| {
                let id = match style {
                    DateStyle::DateTime => "datetime-format",
                    DateStyle::Date => "date-format",
                };
                StrftimeItems::new_with_locale(&lang.t(id), lang.chrono_locale())
                    .parse_to_owned()
                    .ok()
            })
        })
    });

/// Parse an IANA timezone name (`Europe/Amsterdam`); `None` when unknown.
pub fn parse_timezone(name: &str) -> Option<Tz> {
    let name = name.trim();
    if name.is_empty() || name.len() > 64 {
        return None;
    }
    name.parse().ok()
}

/// One entry of the searchable timezone list.
pub struct TimeZoneChoice;

impl TimeZoneChoice {
    /// All IANA zone names, sorted.
    pub fn all() -> &'static [&'static str] {
        static NAMES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
        NAMES.get_or_init(|| {
            let mut names: Vec<&'static str> =
                chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
            names.sort_unstable();
            names
        })
    }
}
