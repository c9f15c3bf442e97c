//! Lexical rules of the FHIR primitive types, shared by the JSON and XML decoders.
//!
//! Dates and times follow the STU3 regular expressions of `date`, `dateTime`, `instant` and
//! `time` (SPEC 2.10), and a day must exist in its month ("Dates SHALL be valid dates"; the
//! regular expressions alone would let `2021-02-30` or day `00` through). The GP Connect
//! rules on top (UK offsets, never `Z` in provider instants) belong to the domain layer.

use serde_json::Number;

use crate::schema::Primitive;

/// Checks a string-valued primitive (everything but boolean, the integers and decimal).
pub(crate) fn check_string(kind: Primitive, value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err("empty string is not allowed".into());
    }
    // FHIR strings exclude control characters other than tab, carriage return and line feed;
    // XML 1.0 cannot carry them either.
    if let Some(c) = value.chars().find(|&c| is_forbidden_control(c)) {
        return Err(format!(
            "control character U+{:04X} is not allowed",
            u32::from(c)
        ));
    }
    match kind {
        Primitive::Id => {
            let ok = value.len() <= 64
                && value
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
            if !ok {
                return Err(format!(
                    "'{value}' is not a valid id (1-64 characters from A-Z, a-z, 0-9, '-', '.')"
                ));
            }
        }
        Primitive::Code => {
            let ok = !value.starts_with(char::is_whitespace)
                && !value.ends_with(char::is_whitespace)
                && !value.contains(|c: char| c.is_whitespace() && c != ' ')
                && !value.contains("  ");
            if !ok {
                return Err(format!(
                    "'{value}' is not a valid code (no leading, trailing or repeated whitespace)"
                ));
            }
        }
        Primitive::Uri | Primitive::Oid if value.contains(char::is_whitespace) => {
            return Err(format!(
                "'{value}' is not a valid uri (contains whitespace)"
            ));
        }
        Primitive::Date | Primitive::DateTime | Primitive::Instant | Primitive::Time => {
            check_temporal(kind, value)?;
        }
        Primitive::Base64Binary => {
            let ok = value.bytes().all(|b| {
                b.is_ascii_alphanumeric()
                    || matches!(b, b'+' | b'/' | b'=' | b' ' | b'\t' | b'\r' | b'\n')
            });
            if !ok {
                return Err("not valid base64".into());
            }
        }
        _ => {}
    }
    Ok(())
}

/// Why a date or time is refused.
enum BadTemporal {
    /// Not in the lexical form of the type.
    Form,
    /// Well formed, but the day does not exist in its month (e.g. `2021-02-30`).
    NoSuchDay,
}

/// Checks the lexical form of a `date`, `dateTime`, `instant` or `time`.
fn check_temporal(kind: Primitive, value: &str) -> Result<(), String> {
    let mut text = Cursor {
        bytes: value.as_bytes(),
        at: 0,
    };
    let (name, form, result) = match kind {
        Primitive::Date => (
            "date",
            "yyyy, yyyy-mm or yyyy-mm-dd, without a time zone",
            text.date().map(drop),
        ),
        Primitive::DateTime => (
            "dateTime",
            "yyyy, yyyy-mm, yyyy-mm-dd or yyyy-mm-ddThh:mm:ss[.fff] with a time zone (Z or +hh:mm)",
            text.date_time(),
        ),
        Primitive::Instant => (
            "instant",
            "yyyy-mm-ddThh:mm:ss[.fff] with a time zone (Z or +hh:mm)",
            text.instant(),
        ),
        _ => ("time", "hh:mm:ss[.fff]", text.time()),
    };
    let result = result.and_then(|()| {
        if text.done() {
            Ok(())
        } else {
            Err(BadTemporal::Form)
        }
    });
    // The value is echoed back to the sender: keep a long one short.
    let shown: String = value.chars().take(40).collect();
    let shown = if shown.len() < value.len() {
        format!("{shown}…")
    } else {
        shown
    };
    result.map_err(|bad| match bad {
        BadTemporal::Form => format!("'{shown}' is not a valid {name} (expected {form})"),
        BadTemporal::NoSuchDay => format!("'{shown}' is not a valid {name}: no such day"),
    })
}

/// Reads dates and times from left to right.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

/// How much of a date was given.
#[derive(PartialEq)]
enum DatePrecision {
    Year,
    Month,
    Day,
}

impl Cursor<'_> {
    fn done(&self) -> bool {
        self.at == self.bytes.len()
    }

    fn eat(&mut self, byte: u8) -> bool {
        let found = self.bytes.get(self.at) == Some(&byte);
        if found {
            self.at += 1;
        }
        found
    }

    /// Exactly `count` ASCII digits, as a number.
    fn digits(&mut self, count: usize) -> Result<u32, BadTemporal> {
        let end = self.at + count;
        let digits = self.bytes.get(self.at..end).ok_or(BadTemporal::Form)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return Err(BadTemporal::Form);
        }
        self.at = end;
        Ok(digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    }

    /// A number of exactly `count` digits in `min..=max`.
    fn number(&mut self, count: usize, min: u32, max: u32) -> Result<u32, BadTemporal> {
        let n = self.digits(count)?;
        if (min..=max).contains(&n) {
            Ok(n)
        } else {
            Err(BadTemporal::Form)
        }
    }

    /// STU3 `-?[0-9]{4}(-(0[1-9]|1[0-2])(-(0[0-9]|[1-2][0-9]|3[0-1]))?)?`, with days that exist.
    fn date(&mut self) -> Result<DatePrecision, BadTemporal> {
        // Years before 1 AD are negative (astronomical numbering, as XML Schema).
        self.eat(b'-');
        let year = self.digits(4)?;
        if !self.eat(b'-') {
            return Ok(DatePrecision::Year);
        }
        let month = self.number(2, 1, 12)?;
        if !self.eat(b'-') {
            return Ok(DatePrecision::Month);
        }
        let day = self.number(2, 0, 31)?;
        // Leap years are symmetric around year 0 in astronomical numbering.
        let leap_year = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let days_in_month = match month {
            2 if leap_year => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        if day == 0 || day > days_in_month {
            return Err(BadTemporal::NoSuchDay);
        }
        Ok(DatePrecision::Day)
    }

    /// STU3 `([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?`.
    fn time(&mut self) -> Result<(), BadTemporal> {
        self.number(2, 0, 23)?;
        for _ in 0..2 {
            if !self.eat(b':') {
                return Err(BadTemporal::Form);
            }
            self.number(2, 0, 59)?;
        }
        if self.eat(b'.') {
            let start = self.at;
            while self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
                self.at += 1;
            }
            if self.at == start {
                return Err(BadTemporal::Form);
            }
        }
        Ok(())
    }

    /// STU3 `Z|(\+|-)((0[0-9]|1[0-3]):[0-5][0-9]|14:00)`.
    fn zone(&mut self) -> Result<(), BadTemporal> {
        if self.eat(b'Z') {
            return Ok(());
        }
        if !self.eat(b'+') && !self.eat(b'-') {
            return Err(BadTemporal::Form);
        }
        let hours = self.number(2, 0, 14)?;
        if !self.eat(b':') {
            return Err(BadTemporal::Form);
        }
        let minutes = self.number(2, 0, 59)?;
        if hours == 14 && minutes != 0 {
            return Err(BadTemporal::Form);
        }
        Ok(())
    }

    /// STU3 `dateTime`: a partial or full date, or a full date with a time and a time zone.
    fn date_time(&mut self) -> Result<(), BadTemporal> {
        let precision = self.date()?;
        if self.done() {
            return Ok(());
        }
        if precision != DatePrecision::Day || !self.eat(b'T') {
            return Err(BadTemporal::Form);
        }
        self.time()?;
        self.zone()
    }

    /// STU3 `instant`: a full date, time and time zone.
    fn instant(&mut self) -> Result<(), BadTemporal> {
        if self.date()? != DatePrecision::Day || !self.eat(b'T') {
            return Err(BadTemporal::Form);
        }
        self.time()?;
        self.zone()
    }
}

/// Whether `c` is a control character FHIR strings may not contain.
pub(crate) fn is_forbidden_control(c: char) -> bool {
    (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFE}' || c == '\u{FFFF}'
}

/// Range check for the integer types (FHIR integers are 32-bit).
pub(crate) fn check_integer(kind: Primitive, value: i64) -> Result<(), String> {
    let (min, name) = match kind {
        Primitive::PositiveInt => (1, "positiveInt"),
        Primitive::UnsignedInt => (0, "unsignedInt"),
        _ => (i64::from(i32::MIN), "integer"),
    };
    if value < min || value > i64::from(i32::MAX) {
        return Err(format!("{value} is out of range for {name}"));
    }
    Ok(())
}

/// Parses the XML lexical form of an integer type.
pub(crate) fn parse_integer(kind: Primitive, text: &str) -> Result<i64, String> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    let value = if canonical {
        text.parse::<i64>().ok()
    } else {
        None
    };
    let value = value.ok_or_else(|| format!("'{text}' is not a valid integer"))?;
    check_integer(kind, value)?;
    Ok(value)
}

/// Parses the XML lexical form of a boolean.
pub(crate) fn parse_boolean(text: &str) -> Result<bool, String> {
    match text {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(format!("'{text}' is not a valid boolean (true or false)")),
    }
}

/// Parses the lexical form of a decimal (the JSON number grammar).
pub(crate) fn parse_decimal(text: &str) -> Result<Number, String> {
    let bad = || format!("'{text}' is not a valid decimal");
    let bytes = text.as_bytes();
    let mut i = usize::from(bytes.first() == Some(&b'-'));
    let int_start = i;
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    let int_len = i - int_start;
    if int_len == 0 || (int_len > 1 && bytes[int_start] == b'0') {
        return Err(bad());
    }
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return Err(bad());
        }
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == start {
            return Err(bad());
        }
    }
    if i != bytes.len() {
        return Err(bad());
    }
    // Typed as serde_json types a JSON number: integers stay integers, anything with a
    // fraction or exponent is a float (parsed exactly, so XML round-trips bit for bit).
    if !text.contains(['.', 'e', 'E']) {
        if let Ok(n) = text.parse::<u64>() {
            return Ok(n.into());
        }
        if let Ok(n) = text.parse::<i64>() {
            return Ok(n.into());
        }
    }
    text.parse::<f64>()
        .ok()
        .and_then(Number::from_f64)
        .ok_or_else(|| format!("'{text}' is out of range for a decimal"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_fhir_id_rule() {
        assert!(check_string(Primitive::Id, "abc-1.2").is_ok());
        assert!(check_string(Primitive::Id, "a b").is_err());
        assert!(check_string(Primitive::Id, &"a".repeat(65)).is_err());
    }

    #[test]
    fn codes_reject_stray_whitespace() {
        assert!(check_string(Primitive::Code, "search-type").is_ok());
        assert!(check_string(Primitive::Code, "a b").is_ok());
        assert!(check_string(Primitive::Code, " a").is_err());
        assert!(check_string(Primitive::Code, "a  b").is_err());
        assert!(check_string(Primitive::Code, "a\tb").is_err());
    }

    #[test]
    fn strings_reject_control_characters() {
        assert!(check_string(Primitive::String, "line\nbreak\ttab").is_ok());
        assert!(check_string(Primitive::String, "bell\u{7}").is_err());
        assert!(check_string(Primitive::String, "").is_err());
    }

    #[test]
    fn dates_are_years_months_or_days_without_a_time_zone() {
        for ok in [
            "2020",
            "2020-02",
            "2020-02-29",
            "2000-02-29",
            "-0044-03-15",
            "0000",
        ] {
            assert_eq!(check_string(Primitive::Date, ok), Ok(()), "{ok}");
        }
        for bad in [
            "20",
            "2020-2",
            "2020-13",
            "2020-00",
            "2020-01-1",
            "2020-01-01T10:00:00+00:00",
            "2020-01-01Z",
            " 2020",
            "2020/01/01",
            "01-01-2020",
            "2020-01-01 ",
            "２０２０",
            "2020-01-32",
        ] {
            let err = check_string(Primitive::Date, bad).unwrap_err();
            assert!(
                err.contains("is not a valid date (expected yyyy"),
                "{bad}: {err}"
            );
        }
        for no_such_day in ["2021-02-29", "1900-02-29", "2020-04-31", "2020-01-00"] {
            let err = check_string(Primitive::Date, no_such_day).unwrap_err();
            assert!(err.ends_with(": no such day"), "{no_such_day}: {err}");
        }
        assert_eq!(
            check_string(Primitive::Date, "2021-02-29"),
            Err("'2021-02-29' is not a valid date: no such day".into())
        );
    }

    #[test]
    fn date_times_are_partial_dates_or_full_with_seconds_and_a_time_zone() {
        for ok in [
            "2020",
            "2020-06",
            "2020-06-01",
            "2020-06-01T09:30:00+01:00",
            "2020-06-01T09:30:00Z",
            "2020-06-01T23:59:59.123-05:30",
            "2020-06-01T00:00:00+14:00",
        ] {
            assert_eq!(check_string(Primitive::DateTime, ok), Ok(()), "{ok}");
        }
        for bad in [
            "2020-06T09:30:00+01:00",
            "2020-06-01T09:30+01:00",
            "2020-06-01T09:30:00",
            "2020-06-01T24:00:00Z",
            "2020-06-01T09:60:00Z",
            "2020-06-01T09:30:60Z",
            "2020-06-01T09:30:00.Z",
            "2020-06-01T09:30:00+0100",
            "2020-06-01T09:30:00+14:30",
            "2020-06-01T09:30:00+15:00",
            "2020-06-01t09:30:00Z",
            "2020-06-01 09:30:00Z",
            "[Provider Software Release Date]",
        ] {
            let err = check_string(Primitive::DateTime, bad).unwrap_err();
            assert!(
                err.contains("is not a valid dateTime (expected"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn instants_are_full_date_times_with_a_time_zone() {
        for ok in ["2017-09-15T11:30:00+01:00", "2017-09-15T10:30:00.5Z"] {
            assert_eq!(check_string(Primitive::Instant, ok), Ok(()), "{ok}");
        }
        for bad in [
            "2017-09-15",
            "2017",
            "2017-09-15T11:30:00",
            "2017-09-15T11:30Z",
        ] {
            let err = check_string(Primitive::Instant, bad).unwrap_err();
            assert!(
                err.contains("is not a valid instant (expected"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn times_have_seconds_and_no_time_zone() {
        for ok in ["00:00:00", "23:59:59", "08:15:00.250"] {
            assert_eq!(check_string(Primitive::Time, ok), Ok(()), "{ok}");
        }
        for bad in [
            "8:15:00",
            "08:15",
            "24:00:00",
            "08:15:00Z",
            "08:15:00+01:00",
        ] {
            let err = check_string(Primitive::Time, bad).unwrap_err();
            assert!(
                err.contains("is not a valid time (expected"),
                "{bad}: {err}"
            );
        }
    }

    #[test]
    fn long_invalid_dates_are_shortened_in_the_message() {
        let long = "9".repeat(10_000);
        let err = check_string(Primitive::Date, &long).unwrap_err();
        assert!(err.len() < 200, "{err}");
    }

    #[test]
    fn integers_are_canonical_and_32_bit() {
        assert_eq!(parse_integer(Primitive::Integer, "-12"), Ok(-12));
        assert!(parse_integer(Primitive::Integer, "012").is_err());
        assert!(parse_integer(Primitive::Integer, "+1").is_err());
        assert!(parse_integer(Primitive::Integer, "2147483648").is_err());
        assert!(parse_integer(Primitive::PositiveInt, "0").is_err());
        assert!(parse_integer(Primitive::UnsignedInt, "-1").is_err());
    }

    #[test]
    fn decimals_use_the_json_grammar() {
        assert_eq!(parse_decimal("1.50").map(|n| n.as_f64()), Ok(Some(1.5)));
        assert!(parse_decimal("-0.1e-3").is_ok());
        assert!(parse_decimal(".5").is_err());
        assert!(parse_decimal("1.").is_err());
        assert!(parse_decimal("01").is_err());
        assert!(parse_decimal("NaN").is_err());
        assert!(parse_decimal("1e400").is_err());
        assert_eq!(parse_decimal("12").ok(), Some(Number::from(12)));
        assert_eq!(parse_decimal("12.0").ok(), Number::from_f64(12.0));
    }

    #[test]
    fn booleans_are_lower_case_words() {
        assert_eq!(parse_boolean("true"), Ok(true));
        assert!(parse_boolean("True").is_err());
        assert!(parse_boolean("1").is_err());
    }
}
