//! An in-memory Personal Demographics Service for demonstrations and tests (SPEC 9.27).

mod assurance_csv;
mod pool;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use async_trait::async_trait;
use gpconnect_domain::pds::{Demographics, PdsDeceased, PdsError, PdsRecord};
use gpconnect_domain::{NhsNumber, OdsCode};

pub use assurance_csv::{PdsLoadError, PDS_FILE, REGISTER_PATIENTS_FILE};
pub use pool::{REGISTRATION_POOL_BASE, REGISTRATION_POOL_SIZE};

use crate::fixtures::{
    FixturePatient, LocalState, PdsState, FIXTURE_PATIENTS, PRACTICE_ODS, SECOND_PRACTICE_ODS,
};
use crate::second_practice;

/// An in-memory PDS.
///
/// [`LocalPds::new`] holds every demo patient who should be on PDS (with the same
/// demographics as the practice holds), the suite's special cases (`patient9` and `patient10`
/// sensitive, `patient11` superseded, `patient18` deceased; `patient14` absent), the patients
/// of the second demo practice and a registration pool of synthetic people who are on PDS but
/// not registered at any demo practice. [`LocalPds::load_dir`] adds the assurance suite's own
/// CSV files.
#[derive(Debug)]
pub struct LocalPds {
    records: BTreeMap<NhsNumber, PdsRecord>,
    available: AtomicBool,
}

impl Default for LocalPds {
    fn default() -> Self {
        Self::new()
    }
}

impl LocalPds {
    /// The built-in demo records.
    pub fn new() -> Self {
        let mut pds = Self::empty();
        for record in FIXTURE_PATIENTS.iter().flat_map(fixture_records) {
            pds.insert(record);
        }
        for person in second_practice::people() {
            pds.insert(pool::record_of(person, Some(SECOND_PRACTICE_ODS)));
        }
        for record in pool::registration_pool() {
            pds.insert(record);
        }
        pds
    }

    /// A PDS that knows nobody.
    pub fn empty() -> Self {
        Self {
            records: BTreeMap::new(),
            available: AtomicBool::new(true),
        }
    }

    /// The built-in records plus those of the assurance suite's `RegisterPatients.csv` and
    /// `PDS.csv` found in `dir` (at least one must be there). A file row replaces a built-in
    /// record with the same NHS number, and `PDS.csv` rows replace `RegisterPatients.csv` ones.
    pub fn load_dir(dir: &Path) -> Result<Self, PdsLoadError> {
        let mut pds = Self::new();
        let records = assurance_csv::read_dir(dir)?;
        tracing::info!(
            folder = %dir.display(),
            records = records.len(),
            "loaded demographics files"
        );
        for record in records {
            pds.insert(record);
        }
        Ok(pds)
    }

    /// Adds or replaces the record for its NHS number.
    pub fn insert(&mut self, record: PdsRecord) {
        self.records.insert(record.nhs_number.clone(), record);
    }

    /// The record for `nhs_number`, if any.
    pub fn get(&self, nhs_number: &NhsNumber) -> Option<&PdsRecord> {
        self.records.get(nhs_number)
    }

    /// How many records are held.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether no record is held.
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// People who can be registered at a demo practice as new patients: on PDS with no flag,
    /// alive, not registered at a demo practice and not one of the practice's fixture patients.
    pub fn registration_candidates(&self) -> impl Iterator<Item = &PdsRecord> + '_ {
        self.records.values().filter(|r| {
            !r.sensitive
                && !r.invalid
                && r.superseded_by.is_none()
                && r.deceased.is_none()
                && r.registered_practice_ods
                    .as_ref()
                    .is_none_or(|o| o.as_str() != PRACTICE_ODS && o.as_str() != SECOND_PRACTICE_ODS)
                && !FIXTURE_PATIENTS
                    .iter()
                    .any(|p| p.nhs_number == r.nhs_number.as_str())
        })
    }

    /// Makes every later query fail with [`PdsError::Unavailable`] (or succeed again), to
    /// exercise the provider's 500 path (SPEC 3.4: PDS unavailable).
    pub fn set_available(&self, available: bool) {
        self.available.store(available, Ordering::SeqCst);
    }
}

#[async_trait]
impl Demographics for LocalPds {
    async fn retrieve(&self, nhs_number: &NhsNumber) -> Result<Option<PdsRecord>, PdsError> {
        if !self.available.load(Ordering::SeqCst) {
            return Err(PdsError::Unavailable(
                "the local demographics service has been switched off".to_owned(),
            ));
        }
        Ok(self.records.get(nhs_number).cloned())
    }
}

/// The PDS records of one fixture patient: none when absent from PDS, two when superseded
/// (the old number pointing at the new, and the new one).
fn fixture_records(p: &FixturePatient) -> Vec<PdsRecord> {
    let Ok(nhs_number) = NhsNumber::parse(p.nhs_number) else {
        return Vec::new();
    };
    let registered_practice_ods = match p.local {
        LocalState::Inactive | LocalState::Deceased(_) => None,
        _ => OdsCode::parse(PRACTICE_ODS).ok(),
    };
    let base = PdsRecord {
        nhs_number,
        family: p.family.to_owned(),
        given: vec![p.given.to_owned()],
        prefix: Some(p.prefix.to_owned()),
        gender: p.gender,
        birth_date: p.birth_date,
        deceased: None,
        sensitive: false,
        invalid: false,
        superseded_by: None,
        address: Some(crate::fixtures::home_address(p)),
        telecom: vec![crate::fixtures::home_phone(p)],
        registered_practice_ods,
    };
    match p.pds {
        PdsState::Absent => Vec::new(),
        PdsState::Normal => vec![base],
        PdsState::Sensitive => vec![PdsRecord {
            sensitive: true,
            ..base
        }],
        PdsState::Deceased(on) => vec![PdsRecord {
            deceased: Some(PdsDeceased::On(on)),
            ..base
        }],
        PdsState::Superseded(by) => match NhsNumber::parse(by) {
            Ok(by) => vec![
                PdsRecord {
                    nhs_number: by.clone(),
                    ..base.clone()
                },
                PdsRecord {
                    superseded_by: Some(by),
                    ..base
                },
            ],
            Err(_) => vec![base],
        },
    }
}

#[cfg(test)]
mod tests;
