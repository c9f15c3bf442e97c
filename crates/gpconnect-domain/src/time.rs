//! UK local time (SPEC 2.10): every instant the provider writes is Europe/London local time with an
//! explicit offset, `yyyy-mm-ddThh:mm:ss+00:00` in GMT and `+01:00` in BST, never `Z`, whatever the
//! machine's own time zone.

use std::fmt;
use std::sync::OnceLock;

use jiff::tz::TimeZone;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The name of the zone all GP Connect times are expressed in.
pub const UK_TZ: &str = "Europe/London";

/// The Europe/London zone, from the bundled tz database so that the answer does not depend on
/// the machine.
pub fn uk_zone() -> &'static TimeZone {
    static ZONE: OnceLock<TimeZone> = OnceLock::new();
    ZONE.get_or_init(|| {
        jiff::tz::db()
            .get(UK_TZ)
            .unwrap_or_else(|_| TimeZone::fixed(jiff::tz::offset(0)))
    })
}

/// An instant, written as UK local time with its offset and second precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct UkDateTime(Timestamp);

/// A date-time string that is not a full FHIR instant with an explicit offset.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{0}' is not a date-time of the form yyyy-mm-ddThh:mm:ss+hh:mm")]
pub struct DateTimeError(pub String);

impl UkDateTime {
    pub fn now() -> Self {
        Self::from_timestamp(Timestamp::now())
    }

    /// Truncates to whole seconds, the precision GP Connect uses.
    pub fn from_timestamp(ts: Timestamp) -> Self {
        Self(Timestamp::from_second(ts.as_second()).unwrap_or(ts))
    }

    pub fn from_unix_seconds(secs: i64) -> Option<Self> {
        Timestamp::from_second(secs).ok().map(Self)
    }

    pub fn timestamp(self) -> Timestamp {
        self.0
    }

    pub fn unix_seconds(self) -> i64 {
        self.0.as_second()
    }

    /// The civil date of this instant in the UK.
    pub fn uk_date(self) -> jiff::civil::Date {
        self.0.to_zoned(uk_zone().clone()).date()
    }

    /// Parses a full date-time that carries an explicit numeric offset (`Z` is refused: SPEC 2.10
    /// asks for UK local time with `+hh:mm`). Fractional seconds are accepted and dropped.
    pub fn parse(s: &str) -> Result<Self, DateTimeError> {
        let err = || DateTimeError(s.to_owned());
        // yyyy-mm-ddThh:mm:ss[.fff]+hh:mm, checked on bytes so that no input can split a
        // multi-byte character.
        let b = s.as_bytes();
        if !s.is_ascii() || b.len() < 25 {
            return Err(err());
        }
        let offset = &b[b.len() - 6..];
        if !(offset[0] == b'+' || offset[0] == b'-') || offset[3] != b':' || b[10] != b'T' {
            return Err(err());
        }
        let ts: Timestamp = s.parse().map_err(|_| err())?;
        Ok(Self::from_timestamp(ts))
    }

    /// The start of a UK civil day as an instant.
    pub fn start_of_uk_day(date: jiff::civil::Date) -> Self {
        let ts = date
            .to_zoned(uk_zone().clone())
            .map(|z| z.timestamp())
            .unwrap_or_else(|_| Timestamp::UNIX_EPOCH);
        Self(ts)
    }
}

impl fmt::Display for UkDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let zoned = self.0.to_zoned(uk_zone().clone());
        let offset_secs = zoned.offset().seconds();
        let sign = if offset_secs < 0 { '-' } else { '+' };
        let abs = offset_secs.unsigned_abs();
        write!(
            f,
            "{}{}{:02}:{:02}",
            zoned.strftime("%Y-%m-%dT%H:%M:%S"),
            sign,
            abs / 3600,
            (abs % 3600) / 60
        )
    }
}

impl TryFrom<String> for UkDateTime {
    type Error = DateTimeError;
    fn try_from(s: String) -> Result<Self, DateTimeError> {
        Self::parse(&s)
    }
}

impl From<UkDateTime> for String {
    fn from(v: UkDateTime) -> String {
        v.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn winter_is_written_with_plus_zero() {
        let t = UkDateTime::parse("2026-01-15T09:30:00+00:00").unwrap();
        assert_eq!(t.to_string(), "2026-01-15T09:30:00+00:00");
    }

    #[test]
    fn summer_is_written_with_plus_one_whatever_offset_was_given() {
        let t = UkDateTime::parse("2026-07-01T08:00:00+00:00").unwrap();
        assert_eq!(t.to_string(), "2026-07-01T09:00:00+01:00");
    }

    #[test]
    fn zulu_partial_and_offsetless_values_are_refused() {
        for bad in [
            "2026-07-01T08:00:00Z",
            "2026-07-01T08:00:00",
            "2026-07-01",
            "2026",
            "2026-07",
            "garbage",
            "",
        ] {
            assert!(UkDateTime::parse(bad).is_err(), "{bad}");
        }
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,40}") {
            let _ = UkDateTime::parse(&s);
        }
    }

    #[test]
    fn non_ascii_input_is_refused_not_a_panic() {
        assert!(UkDateTime::parse("2026-07-01T08:00:00+00:0é").is_err());
        assert!(UkDateTime::parse("ééééééééééééééééééééééééé").is_err());
    }

    #[test]
    fn start_of_uk_day_respects_bst() {
        let d = jiff::civil::date(2026, 7, 1);
        assert_eq!(
            UkDateTime::start_of_uk_day(d).to_string(),
            "2026-07-01T00:00:00+01:00"
        );
    }
}
