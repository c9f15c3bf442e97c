//! Lexical rules of the FHIR primitive types, shared by the JSON and XML decoders.
//!
//! Date and time forms are not checked here: the GP Connect capability statement example carries
//! placeholder text in `software.releaseDate`, and the domain layer parses the dates it uses.

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
