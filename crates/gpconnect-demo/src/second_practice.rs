//! The second, smaller demo practice, served by the same process as the first to show routing
//! by the ODS code in the URL (SPEC 2.2).

use crate::synthetic::{nhs_numbers_from, person, SyntheticPerson};

/// First nine digits of the second practice's patients' NHS numbers.
const PATIENT_BASE: u32 = 999_200_000;
/// How many patients the second practice holds.
pub(crate) const PATIENT_COUNT: usize = 6;
/// Offset into the synthetic people so these patients differ from the registration pool's.
const PERSON_OFFSET: u32 = 5_000;

/// The second practice's patients, as generated people.
pub(crate) fn people() -> Vec<SyntheticPerson> {
    nhs_numbers_from(PATIENT_BASE)
        .take(PATIENT_COUNT)
        .enumerate()
        .map(|(i, nhs)| person(PERSON_OFFSET + i as u32, nhs))
        .collect()
}
