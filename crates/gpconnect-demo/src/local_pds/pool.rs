//! The registration pool: synthetic people who are on PDS but not registered at any demo
//! practice, so that `$gpc.registerpatient` can be exercised many times before a reset
//! (ATS 1.8: a full assurance run registers about 45 new patients).

use gpconnect_domain::pds::{PdsDeceased, PdsRecord};
use gpconnect_domain::OdsCode;
use jiff::civil::date;

use crate::synthetic::{nhs_numbers_from, person, SyntheticPerson};

/// First nine digits of the first pool NHS number. The pool lies in the 999 range, which is
/// never issued to real people and holds none of the suite's fixture numbers.
pub const REGISTRATION_POOL_BASE: u32 = 999_100_000;
/// How many people the pool holds, flagged ones included.
pub const REGISTRATION_POOL_SIZE: usize = 340;
/// First nine digits of the numbers that replace the pool's superseded ones.
const REPLACEMENT_BASE: u32 = 999_190_000;
/// Practices the pool's people are registered with instead (invented codes).
const ELSEWHERE: [&str; 3] = ["Y90101", "Y90102", "Y90103"];

/// The kind of pool member at `index`: one in fifty deceased, one in fifty sensitive, one in
/// fifty superseded, one in a hundred invalid; everyone else registrable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Normal,
    Deceased,
    Sensitive,
    Superseded,
    Invalid,
}

fn kind(index: usize) -> Kind {
    match (index % 50, index % 100) {
        (7, _) => Kind::Deceased,
        (17, _) => Kind::Sensitive,
        (27, _) => Kind::Superseded,
        (_, 37) => Kind::Invalid,
        _ => Kind::Normal,
    }
}

pub(crate) fn record_of(p: SyntheticPerson, registered_at: Option<&str>) -> PdsRecord {
    PdsRecord {
        nhs_number: p.nhs_number,
        family: p.family,
        given: vec![p.given],
        prefix: Some(p.prefix.to_owned()),
        gender: p.gender,
        birth_date: p.birth_date,
        deceased: None,
        sensitive: false,
        invalid: false,
        superseded_by: None,
        address: Some(p.address),
        telecom: vec![p.phone],
        registered_practice_ods: registered_at.and_then(|c| OdsCode::parse(c).ok()),
    }
}

/// Every pool record, plus the records that replace the superseded ones.
pub(crate) fn registration_pool() -> Vec<PdsRecord> {
    let mut replacements = nhs_numbers_from(REPLACEMENT_BASE);
    let mut out = Vec::with_capacity(REGISTRATION_POOL_SIZE + REGISTRATION_POOL_SIZE / 50 + 1);
    for (index, nhs) in nhs_numbers_from(REGISTRATION_POOL_BASE)
        .take(REGISTRATION_POOL_SIZE)
        .enumerate()
    {
        let synthetic = person(index as u32, nhs);
        let practice = ELSEWHERE[index % ELSEWHERE.len()];
        let mut record = record_of(synthetic.clone(), Some(practice));
        match kind(index) {
            Kind::Normal => {}
            Kind::Deceased => {
                record.deceased = Some(PdsDeceased::On(date(2021, 1 + (index % 12) as i8, 9)));
                record.registered_practice_ods = None;
            }
            Kind::Sensitive => record.sensitive = true,
            Kind::Invalid => record.invalid = true,
            Kind::Superseded => {
                if let Some(new_number) = replacements.next() {
                    // The same person, now known by a new number.
                    let replacement = SyntheticPerson {
                        nhs_number: new_number.clone(),
                        ..synthetic
                    };
                    out.push(record_of(replacement, Some(practice)));
                    record.superseded_by = Some(new_number);
                }
            }
        }
        out.push(record);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pool_has_over_three_hundred_registrable_people_and_a_few_flagged_ones() {
        let pool = registration_pool();
        let registrable = pool
            .iter()
            .filter(|r| {
                r.deceased.is_none() && !r.sensitive && !r.invalid && r.superseded_by.is_none()
            })
            .count();
        assert!(registrable >= 300, "{registrable}");
        assert!(pool.iter().filter(|r| r.deceased.is_some()).count() >= 3);
        assert!(pool.iter().filter(|r| r.sensitive).count() >= 3);
        assert!(pool.iter().filter(|r| r.invalid).count() >= 2);
        let superseded: Vec<_> = pool.iter().filter(|r| r.superseded_by.is_some()).collect();
        assert!(superseded.len() >= 3);
        for old in superseded {
            let new = pool
                .iter()
                .find(|r| Some(&r.nhs_number) == old.superseded_by.as_ref())
                .expect("replacement record present");
            assert_eq!((&new.family, new.birth_date), (&old.family, old.birth_date));
        }
    }

    #[test]
    fn pool_numbers_are_unique_and_clear_of_the_fixtures() {
        let pool = registration_pool();
        let numbers: std::collections::BTreeSet<_> =
            pool.iter().map(|r| r.nhs_number.as_str()).collect();
        assert_eq!(numbers.len(), pool.len());
        for p in &crate::fixtures::FIXTURE_PATIENTS {
            assert!(!numbers.contains(p.nhs_number), "{}", p.key);
        }
        assert!(!numbers.contains(crate::fixtures::PATIENT_NOT_IN_SYSTEM));
        assert!(pool.iter().all(|r| r
            .registered_practice_ods
            .as_ref()
            .is_none_or(|o| o.as_str() != crate::fixtures::PRACTICE_ODS)));
    }

    #[test]
    fn pool_is_deterministic() {
        assert_eq!(registration_pool(), registration_pool());
    }
}
