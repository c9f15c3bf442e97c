//! The demographics service (PDS) as the provider sees it (SPEC 3.2, 3.4, 9.27), and the NHS
//! number verification rule applied before a record is shared or registered.
//!
//! The transport to the real Personal Demographics Service is left to the supplier (SPEC 9.27),
//! so the provider talks to a [`Demographics`] implementation: a Spine client in production, an
//! in-memory one for demonstrations and tests.

use std::fmt::Debug;

use async_trait::async_trait;
use jiff::civil::Date;

use crate::ids::{NhsNumber, OdsCode};
use crate::records::{Address, ContactPoint, Gender};
use crate::spine::SpineCode;

/// Whether, and when, PDS records the person as dead.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PdsDeceased {
    /// Date of death known.
    On(Date),
    /// Death notified without a usable date.
    DateUnknown,
}

/// The answer to a PDS Retrieval Query for one NHS number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PdsRecord {
    pub nhs_number: NhsNumber,
    pub family: String,
    pub given: Vec<String>,
    /// Title, e.g. `Mrs`.
    pub prefix: Option<String>,
    pub gender: Gender,
    pub birth_date: Date,
    pub deceased: Option<PdsDeceased>,
    /// PDS sensitive ("S") flag: the patient is not supported by GP Connect (SPEC 1).
    pub sensitive: bool,
    /// PDS invalid flag on the record.
    pub invalid: bool,
    /// The number that replaced this one, when this one has been superseded.
    pub superseded_by: Option<NhsNumber>,
    /// Home address (`use_` home).
    pub address: Option<Address>,
    pub telecom: Vec<ContactPoint>,
    /// ODS code of the practice PDS has the person registered with, if any.
    pub registered_practice_ods: Option<OdsCode>,
}

/// Why the demographics service could not answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdsError {
    /// The service could not be reached or failed; the provider answers 500 (SPEC 3.4).
    #[error("demographics service unavailable: {0}")]
    Unavailable(String),
}

/// A Personal Demographics Service the provider can query.
#[async_trait]
pub trait Demographics: Send + Sync + Debug {
    /// PDS Retrieval Query: the record for `nhs_number`, or `None` when PDS does not know it.
    async fn retrieve(&self, nhs_number: &NhsNumber) -> Result<Option<PdsRecord>, PdsError>;
}

/// The demographics the provider holds (or was sent) for the person being verified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalDemographics<'a> {
    pub family: &'a str,
    /// Given names in order; only the first one's initial is compared.
    pub given: &'a [String],
    pub birth_date: Date,
}

/// The outcome of verifying an NHS number against PDS (SPEC 3.2 rules a–c).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verification {
    /// Every check passed; the record may be marked verified.
    Verified,
    /// PDS does not know the number.
    NotOnPds,
    /// PDS marks the number as superseded by another.
    Superseded { by: Option<NhsNumber> },
    /// PDS carries the invalid flag.
    Invalid,
    /// PDS carries the sensitive flag.
    Sensitive,
    /// PDS records the person as deceased.
    Deceased,
    /// Date of birth and names do not match closely enough.
    DemographicsMismatch,
}

impl Verification {
    /// The Spine error a failed verification is reported with (SPEC 3.4): an NHS number PDS
    /// itself disowns is `INVALID_NHS_NUMBER`; every other failure is
    /// `INVALID_PATIENT_DEMOGRAPHICS`. `None` when verification passed.
    pub fn spine_code(&self) -> Option<SpineCode> {
        match self {
            Self::Verified => None,
            Self::Superseded { .. } | Self::Invalid => Some(SpineCode::InvalidNhsNumber),
            Self::NotOnPds | Self::Sensitive | Self::Deceased | Self::DemographicsMismatch => {
                Some(SpineCode::InvalidPatientDemographics)
            }
        }
    }

    /// A sentence for OperationOutcome diagnostics.
    pub fn reason(&self) -> String {
        match self {
            Self::Verified => "NHS number verified against PDS".to_owned(),
            Self::NotOnPds => "NHS number not found on PDS".to_owned(),
            Self::Superseded { by: Some(by) } => {
                format!("NHS number has been superseded on PDS by {by}")
            }
            Self::Superseded { by: None } => "NHS number has been superseded on PDS".to_owned(),
            Self::Invalid => "NHS number is flagged as invalid on PDS".to_owned(),
            Self::Sensitive => "patient is flagged as sensitive on PDS".to_owned(),
            Self::Deceased => "patient is recorded as deceased on PDS".to_owned(),
            Self::DemographicsMismatch => {
                "date of birth and name do not match the PDS record".to_owned()
            }
        }
    }
}

/// Verifies an NHS number against the PDS answer for it (SPEC 3.2, used by Find a patient for
/// unverified records and by Register a patient, SPEC 3.4).
///
/// The flags that disown the number itself (superseded, invalid) are checked before anything
/// else, so that a superseded number is reported as `INVALID_NHS_NUMBER` whatever demographics
/// came with it (ATS register order: not on PDS, then superseded, then the rest).
pub fn verify(local: &LocalDemographics<'_>, pds: Option<&PdsRecord>) -> Verification {
    let Some(pds) = pds else {
        return Verification::NotOnPds;
    };
    if pds.superseded_by.is_some() {
        return Verification::Superseded {
            by: pds.superseded_by.clone(),
        };
    }
    if pds.invalid {
        return Verification::Invalid;
    }
    // SPEC 3.2 (c): no sensitive flag; (b): not deceased.
    if pds.sensitive {
        return Verification::Sensitive;
    }
    if pds.deceased.is_some() {
        return Verification::Deceased;
    }
    if demographics_match(local, pds) {
        Verification::Verified
    } else {
        Verification::DemographicsMismatch
    }
}

/// SPEC 3.2 (a): the date of birth matches exactly, or two of its three parts match and the
/// first three characters of the family name and the first initial of the given name match.
fn demographics_match(local: &LocalDemographics<'_>, pds: &PdsRecord) -> bool {
    let (a, b) = (local.birth_date, pds.birth_date);
    if a == b {
        return true;
    }
    let parts_equal = usize::from(a.year() == b.year())
        + usize::from(a.month() == b.month())
        + usize::from(a.day() == b.day());
    if parts_equal < 2 {
        return false;
    }
    let local_given = local.given.first().map(String::as_str).unwrap_or("");
    let pds_given = pds.given.first().map(String::as_str).unwrap_or("");
    same_prefix(local.family, &pds.family, 3) && same_prefix(local_given, pds_given, 1)
}

/// Whether the first `n` characters agree, ignoring case and surrounding spaces. Names shorter
/// than `n` must agree in full; an empty name never matches.
fn same_prefix(a: &str, b: &str, n: usize) -> bool {
    let fold = |s: &str| -> Vec<char> {
        s.trim()
            .chars()
            .take(n)
            .flat_map(char::to_lowercase)
            .collect()
    };
    let (a, b) = (fold(a), fold(b));
    !a.is_empty() && a == b
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn pds() -> PdsRecord {
        PdsRecord {
            nhs_number: NhsNumber::parse("9658218865").expect("valid NHS number"),
            family: "Thornbury".to_owned(),
            given: vec!["Alice".to_owned(), "May".to_owned()],
            prefix: Some("Mrs".to_owned()),
            gender: Gender::Female,
            birth_date: date(1970, 4, 12),
            deceased: None,
            sensitive: false,
            invalid: false,
            superseded_by: None,
            address: None,
            telecom: Vec::new(),
            registered_practice_ods: None,
        }
    }

    fn check(family: &str, given: &[&str], dob: Date, record: &PdsRecord) -> Verification {
        let given: Vec<String> = given.iter().map(|g| (*g).to_owned()).collect();
        let local = LocalDemographics {
            family,
            given: &given,
            birth_date: dob,
        };
        verify(&local, Some(record))
    }

    #[test]
    fn exact_date_of_birth_verifies_even_with_different_names() {
        let r = pds();
        assert_eq!(
            check("Smith", &["Bob"], date(1970, 4, 12), &r),
            Verification::Verified
        );
    }

    #[test]
    fn two_date_parts_with_matching_names_verify() {
        let r = pds();
        // Day differs.
        assert_eq!(
            check("THORNTON", &["alison"], date(1970, 4, 13), &r),
            Verification::Verified
        );
        // Month differs.
        assert_eq!(
            check("thornbury", &["A"], date(1970, 5, 12), &r),
            Verification::Verified
        );
        // Year differs.
        assert_eq!(
            check("Thorn", &["Anne"], date(1971, 4, 12), &r),
            Verification::Verified
        );
    }

    #[test]
    fn two_date_parts_with_a_different_family_prefix_fail() {
        let r = pds();
        assert_eq!(
            check("Thyme", &["Alice"], date(1970, 4, 13), &r),
            Verification::DemographicsMismatch
        );
    }

    #[test]
    fn two_date_parts_with_a_different_initial_fail() {
        let r = pds();
        assert_eq!(
            check("Thornbury", &["Mary", "Alice"], date(1970, 4, 13), &r),
            Verification::DemographicsMismatch
        );
    }

    #[test]
    fn missing_given_name_cannot_match_on_initials() {
        let r = pds();
        assert_eq!(
            check("Thornbury", &[], date(1970, 4, 13), &r),
            Verification::DemographicsMismatch
        );
    }

    #[test]
    fn only_one_date_part_fails_even_with_matching_names() {
        let r = pds();
        assert_eq!(
            check("Thornbury", &["Alice"], date(1970, 5, 13), &r),
            Verification::DemographicsMismatch
        );
    }

    #[test]
    fn short_family_names_must_match_in_full() {
        let mut r = pds();
        r.family = "Li".to_owned();
        assert_eq!(
            check("Li", &["Alice"], date(1970, 4, 13), &r),
            Verification::Verified
        );
        assert_eq!(
            check("Lim", &["Alice"], date(1970, 4, 13), &r),
            Verification::DemographicsMismatch
        );
    }

    #[test]
    fn absent_from_pds_is_invalid_demographics() {
        let given = vec!["Alice".to_owned()];
        let local = LocalDemographics {
            family: "Thornbury",
            given: &given,
            birth_date: date(1970, 4, 12),
        };
        let v = verify(&local, None);
        assert_eq!(v, Verification::NotOnPds);
        assert_eq!(v.spine_code(), Some(SpineCode::InvalidPatientDemographics));
    }

    #[test]
    fn superseded_is_reported_as_invalid_nhs_number_before_demographics() {
        let mut r = pds();
        let new = NhsNumber::parse("9658218873").expect("valid NHS number");
        r.superseded_by = Some(new.clone());
        r.sensitive = true;
        let v = check("Nobody", &["Zed"], date(2001, 1, 1), &r);
        assert_eq!(v, Verification::Superseded { by: Some(new) });
        assert_eq!(v.spine_code(), Some(SpineCode::InvalidNhsNumber));
        assert!(v.reason().contains("9658218873"));
    }

    #[test]
    fn invalid_flag_is_reported_as_invalid_nhs_number() {
        let mut r = pds();
        r.invalid = true;
        let v = check("Thornbury", &["Alice"], date(1970, 4, 12), &r);
        assert_eq!(v, Verification::Invalid);
        assert_eq!(v.spine_code(), Some(SpineCode::InvalidNhsNumber));
    }

    #[test]
    fn sensitive_is_invalid_demographics_even_when_everything_matches() {
        let mut r = pds();
        r.sensitive = true;
        let v = check("Thornbury", &["Alice"], date(1970, 4, 12), &r);
        assert_eq!(v, Verification::Sensitive);
        assert_eq!(v.spine_code(), Some(SpineCode::InvalidPatientDemographics));
    }

    #[test]
    fn deceased_is_invalid_demographics_with_or_without_a_date() {
        for deceased in [PdsDeceased::On(date(2020, 2, 2)), PdsDeceased::DateUnknown] {
            let mut r = pds();
            r.deceased = Some(deceased);
            let v = check("Thornbury", &["Alice"], date(1970, 4, 12), &r);
            assert_eq!(v, Verification::Deceased);
            assert_eq!(v.spine_code(), Some(SpineCode::InvalidPatientDemographics));
        }
    }

    #[test]
    fn verified_has_no_error_code() {
        let r = pds();
        let v = check("Thornbury", &["Alice"], date(1970, 4, 12), &r);
        assert_eq!(v.spine_code(), None);
    }
}
