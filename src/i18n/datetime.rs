//! Dates and times shown in the reader's timezone, with month and day names in the page language.
//!
//! The pattern itself is a translation (`datetime-format`, `date-format`), so each language
//! orders day, month and year the way its readers expect.

use std::{fmt, sync::LazyLock};

use chrono::{
    DateTime, Datelike, Utc,
    format::{Item, Numeric, Pad, StrftimeItems},
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
    /// A time axis label every few seconds (`14:05:30`).
    AxisSeconds,
    /// A time axis label every few minutes or hours (`14:05`).
    AxisMinutes,
    /// A time axis label every few days or weeks (`3 Dec`).
    AxisDays,
    /// A time axis label every few months (`Dec 2026`).
    AxisMonths,
    /// A time axis label every few years (`2026`).
    AxisYears,
}

impl DateStyle {
    /// Every style, in the order of [`PATTERNS`].
    const ALL: [DateStyle; 7] = [
        DateStyle::DateTime,
        DateStyle::Date,
        DateStyle::AxisSeconds,
        DateStyle::AxisMinutes,
        DateStyle::AxisDays,
        DateStyle::AxisMonths,
        DateStyle::AxisYears,
    ];

    /// The translation holding the pattern.
    fn message(self) -> &'static str {
        match self {
            DateStyle::DateTime => "datetime-format",
            DateStyle::Date => "date-format",
            DateStyle::AxisSeconds => "axis-seconds-format",
            DateStyle::AxisMinutes => "axis-minutes-format",
            DateStyle::AxisDays => "axis-days-format",
            DateStyle::AxisMonths => "axis-months-format",
            DateStyle::AxisYears => "axis-years-format",
        }
    }
}

/// A UTC instant shown in `tz` for readers of `lang`: formatted as it is written out (into
/// the page), so a list of dates costs no string per date.
#[derive(Clone, Copy, Debug)]
pub struct LocalTime {
    /// The instant.
    pub at: DateTime<Utc>,
    /// The reader's timezone.
    pub tz: Tz,
    /// The page language.
    pub lang: Lang,
    /// Which pattern.
    pub style: DateStyle,
}

impl LocalTime {
    fn write_to(&self, out: &mut impl fmt::Write) -> fmt::Result {
        let local = self.at.with_timezone(&self.tz);
        let patterns = &PATTERNS[self.lang.index()][self.style as usize];
        // The first of the month is written as an ordinal in some languages ("1er décembre"):
        // then the pattern is written item by item, its day of the month replaced.
        if local.day() == 1
            && let (Some(first), Some(items)) = (FIRST_DAY[self.lang.index()], patterns)
        {
            for item in items {
                if matches!(item, Item::Numeric(Numeric::Day, Pad::None)) {
                    out.write_str(first)?;
                } else {
                    local
                        .format_localized_with_items(
                            std::slice::from_ref(item).iter(),
                            self.lang.chrono_locale(),
                        )
                        .write_to(out)?;
                }
            }
            return Ok(());
        }
        match patterns {
            // `write_to`, not `Display`: the latter formats into a temporary string and pads it.
            Some(items) => local
                .format_localized_with_items(items.iter(), self.lang.chrono_locale())
                .write_to(out),
            None => out.write_str(&local.to_rfc3339()),
        }
    }
}

impl fmt::Display for LocalTime {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_to(out)
    }
}

/// Format a UTC instant in `tz` for readers of `lang`.
pub fn format_datetime(at: DateTime<Utc>, tz: Tz, lang: Lang, style: DateStyle) -> String {
    LocalTime {
        at,
        tz,
        lang,
        style,
    }
    .to_string()
}

/// Each language's patterns, parsed once (parsing cost more than formatting).
static PATTERNS: LazyLock<[[Option<Vec<Item<'static>>>; DateStyle::ALL.len()]; Lang::ALL.len()]> =
    LazyLock::new(|| {
        Lang::ALL.map(|lang| {
            DateStyle::ALL.map(|style| {
                let id = style.message();
                // A broken pattern in a translation must not break the page: it is found here,
                // once, and such dates are shown in ISO 8601 instead.
                let items = StrftimeItems::new_with_locale(lang.t(id), lang.chrono_locale())
                    .parse_to_owned()
                    .ok()?;
                let probe = DateTime::<Utc>::UNIX_EPOCH.with_timezone(&Tz::Europe__Amsterdam);
                let mut sample = String::new();
                probe
                    .format_localized_with_items(items.iter(), lang.chrono_locale())
                    .write_to(&mut sample)
                    .ok()?;
                Some(items)
            })
        })
    });

/// How each language writes the first day of a month where that is not "1" (French: "1er").
static FIRST_DAY: LazyLock<[Option<&'static str>; Lang::ALL.len()]> = LazyLock::new(|| {
    Lang::ALL.map(|lang| {
        let first = lang.t("first-day-of-month");
        (first != "1").then_some(first)
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

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn remembered_times_read_like_fresh_ones() {
        let at = Utc.with_ymd_and_hms(2026, 3, 29, 0, 30, 0).unwrap();
        let shown = |tz, lang, style| format_datetime(at, tz, lang, style);
        let fresh = |tz, lang, style| {
            let mut text = String::new();
            LocalTime {
                at,
                tz,
                lang,
                style,
            }
            .write_to(&mut text)
            .unwrap();
            text
        };
        for _ in 0..2 {
            for (tz, lang) in [
                (Tz::UTC, Lang::En),
                (Tz::Europe__Amsterdam, Lang::Nl),
                (Tz::Europe__Oslo, Lang::Nb),
                (Tz::America__New_York, Lang::Fr),
            ] {
                for style in DateStyle::ALL {
                    assert_eq!(shown(tz, lang, style), fresh(tz, lang, style));
                    // Every pattern of every language parses (else ISO 8601 is shown).
                    assert!(
                        PATTERNS[lang.index()][style as usize].is_some(),
                        "{style:?} {lang:?}"
                    );
                }
            }
        }
        assert_eq!(
            shown(Tz::UTC, Lang::En, DateStyle::DateTime),
            "29 March 2026, 00:30 UTC"
        );
        assert_eq!(
            shown(Tz::Europe__Amsterdam, Lang::Nl, DateStyle::DateTime),
            "29 maart 2026, 01:30 CET"
        );
    }

    #[test]
    fn the_first_of_the_month_is_an_ordinal_in_french_only() {
        let first = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
        let second = Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap();
        let fr = |at, style| format_datetime(at, Tz::UTC, Lang::Fr, style);
        assert_eq!(
            fr(first, DateStyle::DateTime),
            "1er décembre 2026 à 09:00 UTC"
        );
        assert_eq!(fr(first, DateStyle::AxisDays), "1er déc.");
        assert_eq!(fr(second, DateStyle::Date), "2 décembre 2026");
        assert_eq!(
            format_datetime(first, Tz::UTC, Lang::En, DateStyle::Date),
            "1 December 2026"
        );
        assert_eq!(
            format_datetime(first, Tz::UTC, Lang::Nb, DateStyle::Date),
            "1. desember 2026"
        );
    }
}
