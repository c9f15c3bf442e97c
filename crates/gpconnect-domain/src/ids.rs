//! Identifiers parsed once (SPEC 2.2, 2.9). After `parse` succeeds the value is known to be valid.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why an identifier was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("NHS number must be exactly 10 digits")]
    NhsNumberFormat,
    #[error("NHS number check digit is wrong")]
    NhsNumberCheckDigit,
    #[error("ODS code must be 1 to 10 upper-case letters and digits")]
    OdsCode,
    #[error("ASID must be 1 to 20 digits")]
    Asid,
    #[error("logical id must be 1 to 64 characters from A-Z, a-z, 0-9, '-' and '.'")]
    FhirId,
}

/// A 10-digit NHS number with a valid Modulus-11 check digit (SPEC 2.9).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct NhsNumber(String);

impl NhsNumber {
    /// Checks length, digits and the Modulus-11 check digit. A remainder giving 11 means check
    /// digit 0; one giving 10 means the number can never be valid.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let bytes = s.as_bytes();
        if bytes.len() != 10 || !bytes.iter().all(u8::is_ascii_digit) {
            return Err(IdError::NhsNumberFormat);
        }
        let sum: u32 = bytes[..9]
            .iter()
            .zip((2..=10u32).rev())
            .map(|(d, w)| u32::from(d - b'0') * w)
            .sum();
        let check = match 11 - (sum % 11) {
            11 => 0,
            10 => return Err(IdError::NhsNumberCheckDigit),
            c => c,
        };
        if u32::from(bytes[9] - b'0') != check {
            return Err(IdError::NhsNumberCheckDigit);
        }
        Ok(Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An ODS organisation code, e.g. `A20047` (SPEC 2.2: the practice is routed by it).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OdsCode(String);

impl OdsCode {
    /// The identifier system of ODS codes.
    pub const SYSTEM: &'static str = "https://fhir.nhs.uk/Id/ods-organization-code";

    pub fn parse(s: &str) -> Result<Self, IdError> {
        let ok = !s.is_empty()
            && s.len() <= 10
            && s.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(IdError::OdsCode)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A Spine Accredited System ID (SPEC 2.3: `Ssp-From`, `Ssp-To`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Asid(String);

impl Asid {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        if !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(s.to_owned()))
        } else {
            Err(IdError::Asid)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A FHIR logical id: `[A-Za-z0-9\-\.]{1,64}` (SPEC 2.2), case-sensitive.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct FhirId(String);

impl FhirId {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let ok = !s.is_empty()
            && s.len() <= 64
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(IdError::FhirId)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

macro_rules! string_newtype_impls {
    ($($t:ident),*) => {$(
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl TryFrom<String> for $t {
            type Error = IdError;
            fn try_from(s: String) -> Result<Self, IdError> {
                Self::parse(&s)
            }
        }
        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.0
            }
        }
        impl AsRef<str> for $t {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
    )*};
}
string_newtype_impls!(NhsNumber, OdsCode, Asid, FhirId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nhs_numbers_from_the_assurance_fixtures_are_valid() {
        for n in [
            "9658218865",
            "9658220290",
            "9476718943",
            "9999999999",
            "9651258500",
        ] {
            assert!(NhsNumber::parse(n).is_ok(), "{n}");
        }
    }

    #[test]
    fn invalid_nhs_numbers_are_rejected_with_the_reason() {
        assert_eq!(NhsNumber::parse("34555##4"), Err(IdError::NhsNumberFormat));
        assert_eq!(NhsNumber::parse("hello"), Err(IdError::NhsNumberFormat));
        assert_eq!(NhsNumber::parse("999999999"), Err(IdError::NhsNumberFormat));
        assert_eq!(
            NhsNumber::parse("90000000090"),
            Err(IdError::NhsNumberFormat)
        );
        assert_eq!(
            NhsNumber::parse("9000000008"),
            Err(IdError::NhsNumberCheckDigit)
        );
    }

    #[test]
    fn logical_ids_follow_the_stu3_id_rule() {
        assert!(FhirId::parse("z.as.dd").is_ok());
        assert!(FhirId::parse("40-9").is_ok());
        assert!(FhirId::parse("").is_err());
        assert!(FhirId::parse("a/b").is_err());
        assert!(FhirId::parse(&"a".repeat(65)).is_err());
    }

    #[test]
    fn ods_codes_and_asids() {
        assert!(OdsCode::parse("A20047").is_ok());
        assert!(OdsCode::parse("a20047").is_err());
        assert!(Asid::parse("918999198993").is_ok());
        assert!(Asid::parse("12ab").is_err());
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(s in ".{0,80}") {
            let _ = NhsNumber::parse(&s);
            let _ = OdsCode::parse(&s);
            let _ = Asid::parse(&s);
            let _ = FhirId::parse(&s);
        }
    }
}
