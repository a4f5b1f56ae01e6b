//! The trend chart's axes. Time ticks fall on round instants of the reader's clock (every 5 s,
//! every 15 minutes, each midnight, each Monday, the first of a month…), the step chosen for the
//! span — from seconds to years — as the smallest one whose labels, measured in the bundled font
//! the chart is drawn in, leave room between them; within a day, midnight is labelled with the
//! date. Count ticks are 1, 2 or 5 times a power of ten.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

use crate::{
    graphics::fonts::{SANS_BOLD, measure},
    i18n::DateStyle,
};

/// Least room between two time labels.
const GAP: f32 = 12.0;

/// What a tick step counts in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    Second,
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

/// Tick steps, smallest first.
const STEPS: [(Unit, u32); 32] = [
    (Unit::Second, 1),
    (Unit::Second, 2),
    (Unit::Second, 5),
    (Unit::Second, 10),
    (Unit::Second, 15),
    (Unit::Second, 30),
    (Unit::Minute, 1),
    (Unit::Minute, 2),
    (Unit::Minute, 5),
    (Unit::Minute, 10),
    (Unit::Minute, 15),
    (Unit::Minute, 30),
    (Unit::Hour, 1),
    (Unit::Hour, 2),
    (Unit::Hour, 3),
    (Unit::Hour, 6),
    (Unit::Hour, 12),
    (Unit::Day, 1),
    (Unit::Day, 2),
    (Unit::Week, 1),
    (Unit::Week, 2),
    (Unit::Month, 1),
    (Unit::Month, 2),
    (Unit::Month, 3),
    (Unit::Month, 6),
    (Unit::Year, 1),
    (Unit::Year, 2),
    (Unit::Year, 5),
    (Unit::Year, 10),
    (Unit::Year, 20),
    (Unit::Year, 50),
    (Unit::Year, 100),
];

/// A step's rough length in seconds (months of 30 days), to skip steps far too small.
fn rough_seconds((unit, n): (Unit, u32)) -> i64 {
    let one = match unit {
        Unit::Second => 1,
        Unit::Minute => 60,
        Unit::Hour => 3600,
        Unit::Day => 86_400,
        Unit::Week => 7 * 86_400,
        Unit::Month => 30 * 86_400,
        Unit::Year => 365 * 86_400,
    };
    one * i64::from(n)
}

/// How a tick of this step is labelled.
fn style(unit: Unit) -> DateStyle {
    match unit {
        Unit::Second => DateStyle::AxisSeconds,
        Unit::Minute | Unit::Hour => DateStyle::AxisMinutes,
        Unit::Day | Unit::Week => DateStyle::AxisDays,
        Unit::Month => DateStyle::AxisMonths,
        Unit::Year => DateStyle::AxisYears,
    }
}

/// The first round local time of the step at or before `local`.
fn floor((unit, n): (Unit, u32), local: NaiveDateTime) -> NaiveDateTime {
    let date = local.date();
    let midnight = |d: NaiveDate| d.and_hms_opt(0, 0, 0).unwrap_or(local);
    match unit {
        Unit::Second => local
            .with_nanosecond(0)
            .and_then(|t| t.with_second(t.second() - t.second() % n))
            .unwrap_or(local),
        Unit::Minute => local
            .with_nanosecond(0)
            .and_then(|t| t.with_second(0))
            .and_then(|t| t.with_minute(t.minute() - t.minute() % n))
            .unwrap_or(local),
        Unit::Hour => date
            .and_hms_opt(local.hour() - local.hour() % n, 0, 0)
            .unwrap_or(local),
        Unit::Day => midnight(date),
        Unit::Week => {
            midnight(date - Duration::days(i64::from(date.weekday().num_days_from_monday())))
        }
        Unit::Month => {
            let month0 = date.month0() - date.month0() % n;
            midnight(NaiveDate::from_ymd_opt(date.year(), month0 + 1, 1).unwrap_or(date))
        }
        Unit::Year => {
            let year = date.year() - date.year().rem_euclid(n as i32);
            midnight(NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(date))
        }
    }
}

/// The next tick after `local`.
fn next((unit, n): (Unit, u32), local: NaiveDateTime) -> Option<NaiveDateTime> {
    let n64 = i64::from(n);
    match unit {
        Unit::Second => local.checked_add_signed(Duration::seconds(n64)),
        Unit::Minute => local.checked_add_signed(Duration::minutes(n64)),
        Unit::Hour => local.checked_add_signed(Duration::hours(n64)),
        Unit::Day => local.checked_add_signed(Duration::days(n64)),
        Unit::Week => local.checked_add_signed(Duration::weeks(n64)),
        Unit::Month => local.checked_add_months(chrono::Months::new(n)),
        Unit::Year => local.checked_add_months(chrono::Months::new(12 * n)),
    }
}

/// The ticks of one step between `from` and `to` (local times that do not exist, in a DST gap,
/// are left out; an ambiguous one is its first occurrence).
fn ticks_of(
    step: (Unit, u32),
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    tz: Tz,
) -> Vec<DateTime<Utc>> {
    let mut local = floor(step, from.with_timezone(&tz).naive_local());
    let mut ticks = Vec::new();
    // More would never fit; the bound also ends the loop whatever the clock does.
    while ticks.len() < 200 {
        if let Some(at) = tz.from_local_datetime(&local).earliest() {
            let at = at.with_timezone(&Utc);
            if at > to {
                break;
            }
            if at >= from {
                ticks.push(at);
            }
        }
        match next(step, local) {
            Some(n) => local = n,
            None => break,
        }
    }
    ticks
}

/// Time ticks for `from..=to` on an axis `width` pixels wide, labelled at `px` pixels: instants
/// with their labels. `label` formats an instant in a style (the reader's language and timezone).
pub fn time_ticks(
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    (tz, width, px): (Tz, f32, f32),
    label: impl Fn(&DateTime<Utc>, DateStyle) -> String,
) -> Vec<(DateTime<Utc>, String)> {
    let span = (to - from).num_milliseconds().max(1) as f32 / 1000.0;
    let mut last = Vec::new();
    for step in STEPS {
        // A step giving over 40 ticks cannot leave room for its labels.
        if span / rough_seconds(step) as f32 > 40.0 {
            continue;
        }
        let ticks = ticks_of(step, from, to, tz);
        let labelled: Vec<(DateTime<Utc>, String)> = ticks
            .into_iter()
            .map(|t| {
                // Within a day, a midnight tick says which day begins.
                let local = t.with_timezone(&tz);
                let midnight = (local.hour(), local.minute(), local.second()) == (0, 0, 0);
                let style = match step.0 {
                    Unit::Second | Unit::Minute | Unit::Hour if midnight => DateStyle::AxisDays,
                    unit => style(unit),
                };
                let text = label(&t, style);
                (t, text)
            })
            .collect();
        let widest = labelled
            .iter()
            .map(|(_, l)| label_width(l, px))
            .fold(0.0f32, f32::max);
        let room = width * rough_seconds(step) as f32 / span;
        // Steps of months and years are uneven; a tenth to spare covers February.
        if room * 0.9 >= widest + GAP {
            return labelled;
        }
        last = labelled;
    }
    last
}

/// Width of a label in the chart's font at `px` pixels.
pub fn label_width(text: &str, px: f32) -> f32 {
    measure(&SANS_BOLD, px, text).0
}

/// Count ticks from 0: a round step (1, 2 or 5 × 10ⁿ) giving at most five intervals, and the
/// top of the axis (a multiple of the step at or above `max`).
pub fn count_ticks(max: i64) -> (Vec<i64>, i64) {
    let max = max.max(1);
    // Counts are positive: ceiling division without the (signed, unstable) `div_ceil`.
    let steps = |s: i64| max.saturating_add(s - 1) / s;
    let mut step = 1i64;
    'search: loop {
        for factor in [1, 2, 5] {
            let s = step.saturating_mul(factor);
            if steps(s) <= 5 {
                step = s;
                break 'search;
            }
        }
        step = step.saturating_mul(10);
    }
    let top = steps(step) * step;
    ((0..=top / step).map(|i| i * step).collect(), top)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text)
            .unwrap()
            .with_timezone(&Utc)
    }

    fn plain(t: &DateTime<Utc>, style: DateStyle) -> String {
        let pattern = match style {
            DateStyle::AxisSeconds => "%H:%M:%S",
            DateStyle::AxisMinutes => "%H:%M",
            DateStyle::AxisDays => "%-d %b",
            DateStyle::AxisMonths => "%b %Y",
            _ => "%Y",
        };
        t.with_timezone(&Tz::Europe__Amsterdam)
            .format(pattern)
            .to_string()
    }

    fn labels(from: &str, to: &str) -> Vec<String> {
        time_ticks(
            at(from),
            at(to),
            (Tz::Europe__Amsterdam, 736.0, 11.0),
            plain,
        )
        .into_iter()
        .map(|(_, l)| l)
        .collect()
    }

    #[test]
    fn the_step_follows_the_span_from_seconds_to_years() {
        assert_eq!(
            labels("2026-12-03T10:00:01Z", "2026-12-03T10:00:16Z"),
            [
                "11:00:02", "11:00:04", "11:00:06", "11:00:08", "11:00:10", "11:00:12", "11:00:14",
                "11:00:16"
            ]
        );
        let hours = labels("2026-12-03T06:10:00Z", "2026-12-03T17:50:00Z");
        assert_eq!(hours.first().map(String::as_str), Some("08:00"));
        assert!(hours.iter().all(|l| l.ends_with(":00")), "{hours:?}");
        let days = labels("2026-11-19T12:00:00Z", "2026-12-03T12:00:00Z");
        assert!(days.contains(&"1 Dec".to_owned()), "{days:?}");
        assert!(days.len() >= 5 && days.len() <= 15, "{days:?}");
        let months = labels("2025-01-15T12:00:00Z", "2026-12-03T12:00:00Z");
        assert!(months.iter().all(|l| l.len() == 8), "{months:?}");
        let years = labels("2001-01-15T12:00:00Z", "2026-12-03T12:00:00Z");
        assert!(years.iter().all(|l| l.len() == 4), "{years:?}");
    }

    #[test]
    fn ticks_are_local_midnights_across_a_dst_change() {
        let ticks = time_ticks(
            at("2026-03-23T12:00:00Z"),
            at("2026-04-02T12:00:00Z"),
            (Tz::Europe__Amsterdam, 736.0, 11.0),
            plain,
        );
        for (t, _) in &ticks {
            let local = t.with_timezone(&Tz::Europe__Amsterdam);
            assert_eq!((local.hour(), local.minute()), (0, 0), "{local}");
        }
        // 24 March to 2 April; the night of 29 March is an hour shorter.
        assert_eq!(ticks.len(), 10);
    }

    #[test]
    fn labels_never_crowd_and_odd_input_gives_no_panic() {
        for (from, to) in [
            ("2026-12-03T10:00:00Z", "2026-12-03T10:00:00Z"),
            ("2026-12-03T10:00:00Z", "2026-12-03T10:00:00.300Z"),
            ("1970-01-01T00:00:00Z", "2262-01-01T00:00:00Z"),
        ] {
            let ticks = time_ticks(at(from), at(to), (Tz::UTC, 300.0, 11.0), plain);
            let xs: Vec<f32> = ticks
                .iter()
                .map(|(t, _)| (*t - at(from)).num_milliseconds() as f32)
                .collect();
            assert!(xs.windows(2).all(|w| w[0] < w[1]));
        }
    }

    #[test]
    fn count_ticks_are_round() {
        assert_eq!(count_ticks(0), (vec![0, 1], 1));
        assert_eq!(count_ticks(7), (vec![0, 2, 4, 6, 8], 8));
        assert_eq!(count_ticks(23), (vec![0, 5, 10, 15, 20, 25], 25));
        assert_eq!(count_ticks(1234).1, 1500);
    }
}
