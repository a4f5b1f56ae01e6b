//! Times typed by readers ("3 PM on 25 December", a date range) in their own timezone, to UTC.
//!
//! Daylight-saving changes are handled as people expect: a wall-clock time that happens twice
//! (the autumn hour) means its first occurrence; one that does not exist (the spring gap) means
//! the first moment after the gap. A date range covers whole local days, however long they are.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc,
};
use chrono_tz::Tz;

use crate::web::Message;

/// A local wall-clock time as a UTC instant.
pub fn local_to_utc(tz: Tz, local: NaiveDateTime) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(first, _) => first.with_timezone(&Utc),
        LocalResult::None => {
            // Inside a spring-forward gap: walk forward to the first valid minute.
            let mut probe = local;
            for _ in 0..(24 * 60) {
                probe += Duration::minutes(1);
                if let Some(t) = tz.from_local_datetime(&probe).earliest() {
                    return t.with_timezone(&Utc);
                }
            }
            Utc.from_utc_datetime(&local)
        }
    }
}

/// Parse `2025-12-25T15:00` (what `<input type=datetime-local>` sends; seconds optional), in
/// years 1–9999 like [`parse_date`].
pub fn parse_local_datetime(text: &str) -> Result<NaiveDateTime, Message> {
    let text = text.trim();
    ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .filter(|t| (1..=9999).contains(&t.year()))
        .ok_or_else(|| Message::new("when-invalid-time"))
}

/// Parse `2025-12-25` (what `<input type=date>` sends). Years outside 1–9999 are refused:
/// chrono reads `+262143-12-31`, and day arithmetic at its limits would overflow.
pub fn parse_date(text: &str) -> Result<NaiveDate, Message> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (1..=9999).contains(&d.year()))
        .ok_or_else(|| Message::new("when-invalid-date"))
}

/// The instant a typed local time means.
pub fn at(tz: Tz, text: &str) -> Result<DateTime<Utc>, Message> {
    Ok(local_to_utc(tz, parse_local_datetime(text)?))
}

/// Whole local days `from` to `to` (inclusive) as a UTC interval.
pub fn days(tz: Tz, from: &str, to: &str) -> Result<(DateTime<Utc>, DateTime<Utc>), Message> {
    let (from, to) = (parse_date(from)?, parse_date(to)?);
    if to < from {
        return Err(Message::new("when-range-reversed"));
    }
    let start = local_to_utc(tz, from.and_time(NaiveTime::MIN));
    let end = local_to_utc(tz, (to + Duration::days(1)).and_time(NaiveTime::MIN))
        - Duration::microseconds(1);
    Ok((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_across_daylight_saving_changes() {
        let oslo: Tz = "Europe/Oslo".parse().unwrap();
        // Winter: UTC+1.
        assert_eq!(
            at(oslo, "2025-12-25T15:00").unwrap().to_rfc3339(),
            "2025-12-25T14:00:00+00:00"
        );
        // Summer: UTC+2.
        assert_eq!(
            at(oslo, "2025-07-01T15:00").unwrap().to_rfc3339(),
            "2025-07-01T13:00:00+00:00"
        );
        // 02:30 on 30 March 2025 does not exist in Oslo: the first moment after the gap.
        assert_eq!(
            at(oslo, "2025-03-30T02:30").unwrap().to_rfc3339(),
            "2025-03-30T01:00:00+00:00"
        );
        // 02:30 on 26 October 2025 happens twice: the first one (still summer time).
        assert_eq!(
            at(oslo, "2025-10-26T02:30").unwrap().to_rfc3339(),
            "2025-10-26T00:30:00+00:00"
        );
    }

    #[test]
    fn years_beyond_four_digits_are_refused_not_overflowed() {
        let utc: Tz = "UTC".parse().unwrap();
        for text in ["+262143-12-31", "+10000-01-01", "0000-12-31", "-0001-01-01"] {
            assert!(parse_date(text).is_err(), "{text}");
            assert!(days(utc, "2025-01-01", text).is_err(), "{text}");
            assert!(at(utc, &format!("{text}T12:00")).is_err(), "{text}");
        }
        assert!(days(utc, "0001-01-01", "9999-12-31").is_ok());
    }

    #[test]
    fn day_ranges_cover_whole_local_days() {
        let oslo: Tz = "Europe/Oslo".parse().unwrap();
        // The autumn day is 25 hours long.
        let (start, end) = days(oslo, "2025-10-26", "2025-10-26").unwrap();
        assert_eq!(start.to_rfc3339(), "2025-10-25T22:00:00+00:00");
        assert_eq!((end - start).num_hours(), 24, "25 h minus a microsecond");
        assert_eq!(
            days(oslo, "2025-10-27", "2025-10-26").unwrap_err().id,
            "when-range-reversed"
        );
        assert_eq!(
            days(oslo, "yesterday", "2025-10-26").unwrap_err().id,
            "when-invalid-date"
        );
        assert_eq!(at(oslo, "3 PM").unwrap_err().id, "when-invalid-time");
    }
}
