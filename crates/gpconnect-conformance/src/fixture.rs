//! The provider's test data the suite relies on (ATS 1.7–1.8): which NHS numbers, SDS user ids,
//! ODS codes and Location ids to use, which patients are sensitive, deceased and so on, and a
//! pool of people to register.
//!
//! The defaults are this project's demo practice (`gpconnect serve` loads it into an empty
//! database); they equal the official suite's own data maps. A supplier points the suite at
//! their own test data with a TOML or JSON file (`--config`). Keys left out keep their
//! defaults, but a table given for `patients`, `practitioners` or `locations` replaces the
//! default table whole, and a `registration_pool` replaces the default pool.
//! `gpconnect conformance --print-config` prints the defaults in full:
//!
//! ```toml
//! provider_asid = "918999198993"
//! consumer_asid = "200000000359"
//!
//! [organisation]
//! ods_code = "A20047"          # ATS ORG1, the practice under test
//! unknown_ods_code = "INVOC1"  # must not exist
//! other_ods_code = "X12345"    # a requesting organisation other than the booking one
//!
//! [patients]                   # ATS NHSNoMap.csv
//! patient1 = "9658218865"
//! patientNotInSystem = "9999999999"
//!
//! [patient_roles]              # which of the patients above play which part
//! existing = ["patient1", "patient2", "patient3"]
//! sensitive = "patient9"
//!
//! [practitioners.practitioner1]
//! sds_user_id = "G13579135"
//! role_profile_ids = 0
//!
//! [locations.SIT1]
//! logical_id = "1"
//! site_code = "Z26556"
//!
//! [[registration_pool]]        # on PDS, not registered at the practice
//! nhs_number = "9991000006"
//! family = "Ashby"
//! given = "Ada"
//! gender = "female"
//! birth_date = "1970-01-01"
//! ```
//!
//! Registration takes people from the pool in order and skips those a Patient search already
//! finds, so one pool lasts several runs.

use std::collections::BTreeMap;
use std::path::Path;

use gpconnect_demo::fixtures::{
    FIXTURE_PATIENTS, PATIENT_NOT_IN_SYSTEM, PRACTICE_ASID, PRACTICE_ODS,
};
use gpconnect_demo::LocalPds;
use gpconnect_domain::NhsNumber;
use serde::{Deserialize, Serialize};

/// Everything the suite needs to know about the provider's test data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Fixture {
    /// The provider endpoint's ASID, sent as `Ssp-To` (ATS `providerASID`).
    pub provider_asid: String,
    /// The consumer's ASID, sent as `Ssp-From` (ATS `consumerASID`).
    pub consumer_asid: String,
    /// The GP Connect release the CapabilityStatement must state (ATS `gpConnectSpecVersion`).
    pub spec_version: String,
    /// Organisation codes.
    pub organisation: OrganisationFixture,
    /// The consumer identity carried by the JWT (ATS 1.4).
    pub consumer: ConsumerFixture,
    /// The suite's patient keys (`patient1` … `patient21`, `patientNoAppointments`,
    /// `patientNotInSystem`) and their NHS numbers.
    pub patients: BTreeMap<String, String>,
    /// Which patient keys play which part.
    pub patient_roles: PatientRoles,
    /// `practitioner1` … `practitioner3`: SDS user ids and how many role profile ids each has.
    pub practitioners: BTreeMap<String, PractitionerFixture>,
    /// `SIT1` … `SIT3`: Location logical ids and their ODS site codes.
    pub locations: BTreeMap<String, LocationFixture>,
    /// People on the provider's PDS who are not registered at the practice, for
    /// `$gpc.registerpatient`. A run uses about a hundred.
    pub registration_pool: Vec<PoolPerson>,
}

/// The organisation codes the scenarios use (ATS `ODSCodeMap.csv`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OrganisationFixture {
    /// The practice under test (ATS `ORG1`).
    pub ods_code: String,
    /// An ODS code no Organization has (ATS `unknownORG`).
    pub unknown_ods_code: String,
    /// A different requesting organisation, for bookings whose JWT organisation is not the
    /// booking organisation (ATS `ORG3`).
    pub other_ods_code: String,
}

/// The consumer identity of the default JWT (ATS 1.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ConsumerFixture {
    /// `requesting_organization` ODS code.
    pub ods_code: String,
    /// `requesting_organization` name.
    pub name: String,
    /// `aud`.
    pub audience: String,
    /// `iss`.
    pub issuer: String,
}

/// Which patient keys play which part in the scenarios (ATS 1.8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PatientRoles {
    /// Normal patients bookings may pick (ATS `RandomPatient`).
    pub existing: Vec<String>,
    /// Carries the sensitive flag (ATS `patient9`).
    pub sensitive: String,
    /// NHS number superseded on PDS (ATS `patient11`).
    pub superseded: String,
    /// Held by the provider but not on PDS (ATS `patient14`).
    pub not_on_pds: String,
    /// Has dissented from sharing; still searchable and readable (ATS `patient15`).
    pub no_consent: String,
    /// Deceased (ATS `patient18`).
    pub deceased: String,
    /// Registration ended (ATS `patient21`).
    pub inactive: String,
    /// Registered, never has appointments (ATS `patientNoAppointments`).
    pub no_appointments: String,
    /// A valid NHS number the provider does not hold (ATS `patientNotInSystem`).
    pub not_in_system: String,
}

/// One practitioner the scenarios look up (ATS `PractitionerCodeMap.csv`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PractitionerFixture {
    /// SDS user id.
    pub sds_user_id: String,
    /// How many `sds-role-profile-id` identifiers the Practitioner carries.
    pub role_profile_ids: usize,
}

/// One Location the scenarios read (ATS `LocationLogicalIdentifierMap.csv`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocationFixture {
    /// The provider's logical id.
    pub logical_id: String,
    /// Its ODS site code.
    pub site_code: String,
}

/// Someone who can be registered (ATS `RegisterPatients.csv`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PoolPerson {
    /// NHS number.
    pub nhs_number: String,
    /// Official family name.
    pub family: String,
    /// Given name.
    pub given: String,
    /// `male`, `female`, `other` or `unknown`.
    pub gender: String,
    /// `yyyy-mm-dd`.
    pub birth_date: String,
}

/// Why a fixture file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    /// The file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The file is not valid TOML or JSON for a fixture.
    #[error("{path}: {message}")]
    Parse {
        /// The file.
        path: String,
        /// What is wrong.
        message: String,
    },
    /// The file names something the suite needs that is missing or malformed.
    #[error("fixture is incomplete: {0}")]
    Invalid(String),
}

/// Patient keys the scenarios name directly.
const NAMED_PATIENTS: [&str; 6] = [
    "patient1", "patient2", "patient3", "patient4", "patient5", "patient6",
];
/// Practitioner keys the scenarios name directly.
pub(crate) const NAMED_PRACTITIONERS: [&str; 3] =
    ["practitioner1", "practitioner2", "practitioner3"];
/// Location keys the scenarios name directly.
const NAMED_LOCATIONS: [&str; 3] = ["SIT1", "SIT2", "SIT3"];

impl Default for Fixture {
    fn default() -> Self {
        Self::demo()
    }
}

impl Default for OrganisationFixture {
    fn default() -> Self {
        Self {
            ods_code: PRACTICE_ODS.to_owned(),
            unknown_ods_code: "INVOC1".to_owned(),
            other_ods_code: "X12345".to_owned(),
        }
    }
}

impl Default for ConsumerFixture {
    fn default() -> Self {
        Self {
            ods_code: "GPCA0001".to_owned(),
            name: "GP Connect Assurance".to_owned(),
            audience: "https://authorize.fhir.nhs.net/token".to_owned(),
            issuer: "https://ConsumerSystemURL".to_owned(),
        }
    }
}

impl Default for PatientRoles {
    fn default() -> Self {
        let key = |k: &str| k.to_owned();
        Self {
            existing: [
                "patient1",
                "patient2",
                "patient3",
                "patient4",
                "patient5",
                "patient6",
                "patient7",
                "patient8",
                "patient13",
                "patient16",
                "patient17",
            ]
            .map(key)
            .to_vec(),
            sensitive: key("patient9"),
            superseded: key("patient11"),
            not_on_pds: key("patient14"),
            no_consent: key("patient15"),
            deceased: key("patient18"),
            inactive: key("patient21"),
            no_appointments: key("patientNoAppointments"),
            not_in_system: key("patientNotInSystem"),
        }
    }
}

impl Fixture {
    /// This project's demo practice (`gpconnect-demo`), which holds the official suite's data.
    pub fn demo() -> Self {
        let mut patients: BTreeMap<String, String> = FIXTURE_PATIENTS
            .iter()
            .map(|p| (p.key.to_owned(), p.nhs_number.to_owned()))
            .collect();
        patients.insert(
            "patientNotInSystem".to_owned(),
            PATIENT_NOT_IN_SYSTEM.to_owned(),
        );
        let practitioners = [("G13579135", 0), ("G11111116", 1), ("G22345655", 2)]
            .into_iter()
            .zip(NAMED_PRACTITIONERS)
            .map(|((sds, roles), key)| {
                (
                    key.to_owned(),
                    PractitionerFixture {
                        sds_user_id: sds.to_owned(),
                        role_profile_ids: roles,
                    },
                )
            })
            .collect();
        let locations = [("1", "Z26556"), ("8", "Z33432"), ("3", "Z33433")]
            .into_iter()
            .zip(NAMED_LOCATIONS)
            .map(|((id, site), key)| {
                (
                    key.to_owned(),
                    LocationFixture {
                        logical_id: id.to_owned(),
                        site_code: site.to_owned(),
                    },
                )
            })
            .collect();
        let registration_pool = LocalPds::new()
            .registration_candidates()
            .filter_map(|r| {
                Some(PoolPerson {
                    nhs_number: r.nhs_number.as_str().to_owned(),
                    family: r.family.clone(),
                    given: r.given.first()?.clone(),
                    gender: r.gender.code().to_owned(),
                    birth_date: r.birth_date.to_string(),
                })
            })
            .collect();
        Self {
            provider_asid: PRACTICE_ASID.to_owned(),
            consumer_asid: "200000000359".to_owned(),
            spec_version: "1.2.7".to_owned(),
            organisation: OrganisationFixture::default(),
            consumer: ConsumerFixture::default(),
            patients,
            patient_roles: PatientRoles::default(),
            practitioners,
            locations,
            registration_pool,
        }
    }

    /// Reads a `.json` file, or TOML otherwise; missing keys keep the demo defaults.
    pub fn from_file(path: &Path) -> Result<Self, FixtureError> {
        let shown = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| FixtureError::Read {
            path: shown.clone(),
            source,
        })?;
        let parsed = if path.extension().is_some_and(|e| e == "json") {
            serde_json::from_str(&text).map_err(|e| e.to_string())
        } else {
            toml::from_str(&text).map_err(|e| e.to_string())
        };
        let fixture: Self = parsed.map_err(|message| FixtureError::Parse {
            path: shown,
            message,
        })?;
        fixture.validate()?;
        Ok(fixture)
    }

    /// The fixture as TOML (what `--print-config` shows).
    pub fn to_toml(&self) -> Result<String, FixtureError> {
        toml::to_string(self).map_err(|e| FixtureError::Parse {
            path: "fixture".to_owned(),
            message: e.to_string(),
        })
    }

    /// Checks that every key the scenarios use is present and well formed.
    pub fn validate(&self) -> Result<(), FixtureError> {
        let mut problems = Vec::new();
        let roles = &self.patient_roles;
        let mut keys: Vec<&str> = NAMED_PATIENTS.to_vec();
        keys.extend(roles.existing.iter().map(String::as_str));
        keys.extend(
            [
                &roles.sensitive,
                &roles.superseded,
                &roles.not_on_pds,
                &roles.no_consent,
                &roles.deceased,
                &roles.inactive,
                &roles.no_appointments,
                &roles.not_in_system,
            ]
            .map(String::as_str),
        );
        for key in keys {
            match self.patients.get(key) {
                None => problems.push(format!("patients.{key} is missing")),
                Some(nhs) if NhsNumber::parse(nhs).is_err() => {
                    problems.push(format!(
                        "patients.{key} = {nhs:?} is not a valid NHS number"
                    ));
                }
                Some(_) => {}
            }
        }
        if roles.existing.is_empty() {
            problems.push("patient_roles.existing is empty".to_owned());
        }
        for key in NAMED_PRACTITIONERS {
            if !self.practitioners.contains_key(key) {
                problems.push(format!("practitioners.{key} is missing"));
            }
        }
        for key in NAMED_LOCATIONS {
            if !self.locations.contains_key(key) {
                problems.push(format!("locations.{key} is missing"));
            }
        }
        for person in &self.registration_pool {
            if NhsNumber::parse(&person.nhs_number).is_err() {
                problems.push(format!(
                    "registration_pool: {:?} is not a valid NHS number",
                    person.nhs_number
                ));
            }
            if jiff::civil::Date::strptime("%Y-%m-%d", &person.birth_date).is_err() {
                problems.push(format!(
                    "registration_pool: {} has birth_date {:?}, expected yyyy-mm-dd",
                    person.nhs_number, person.birth_date
                ));
            }
        }
        match problems.is_empty() {
            true => Ok(()),
            false => Err(FixtureError::Invalid(problems.join("; "))),
        }
    }

    /// The NHS number of patient `key` (validated to exist).
    pub(crate) fn nhs(&self, key: &str) -> &str {
        self.patients.get(key).map_or("", String::as_str)
    }

    /// The practitioner `key` (validated to exist).
    pub(crate) fn practitioner(&self, key: &str) -> (&str, usize) {
        self.practitioners
            .get(key)
            .map_or(("", 0), |p| (p.sds_user_id.as_str(), p.role_profile_ids))
    }

    /// The Location `key` (validated to exist): logical id and site code.
    pub(crate) fn location(&self, key: &str) -> (&str, &str) {
        self.locations
            .get(key)
            .map_or(("", ""), |l| (l.logical_id.as_str(), l.site_code.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gpconnect_demo::fixtures::{fixture_patient, LocalState, PdsState};

    #[test]
    fn the_demo_defaults_are_complete() {
        let fixture = Fixture::demo();
        fixture.validate().unwrap();
        assert!(fixture.registration_pool.len() >= 300);
    }

    #[test]
    fn the_default_roles_have_the_states_the_demo_gives_them() {
        let roles = PatientRoles::default();
        let state = |key: &str| fixture_patient(key).map(|p| (p.local, p.pds)).unwrap();
        assert_eq!(state(&roles.sensitive).0, LocalState::Sensitive);
        assert!(matches!(
            state(&roles.superseded).1,
            PdsState::Superseded(_)
        ));
        assert_eq!(state(&roles.not_on_pds).1, PdsState::Absent);
        assert_eq!(state(&roles.no_consent).0, LocalState::NoConsent);
        assert!(matches!(state(&roles.deceased).0, LocalState::Deceased(_)));
        assert_eq!(state(&roles.inactive).0, LocalState::Inactive);
        for key in &roles.existing {
            assert_eq!(state(key), (LocalState::Active, PdsState::Normal), "{key}");
        }
        assert!(fixture_patient(&roles.not_in_system).is_none());
    }

    #[test]
    fn a_partial_file_keeps_the_other_defaults() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fixture.toml");
        std::fs::write(
            &path,
            "provider_asid = \"123456789012\"\n[organisation]\nods_code = \"B12345\"\n",
        )
        .unwrap();
        let fixture = Fixture::from_file(&path).unwrap();
        assert_eq!(fixture.provider_asid, "123456789012");
        assert_eq!(fixture.organisation.ods_code, "B12345");
        assert_eq!(fixture.organisation.unknown_ods_code, "INVOC1");
        assert_eq!(fixture.patients, Fixture::demo().patients);
    }

    #[test]
    fn the_printed_defaults_read_back_identically() {
        let fixture = Fixture::demo();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fixture.toml");
        std::fs::write(&path, fixture.to_toml().unwrap()).unwrap();
        assert_eq!(Fixture::from_file(&path).unwrap(), fixture);
        let json = dir.path().join("fixture.json");
        std::fs::write(&json, serde_json::to_string(&fixture).unwrap()).unwrap();
        assert_eq!(Fixture::from_file(&json).unwrap(), fixture);
    }

    #[test]
    fn missing_or_malformed_entries_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("fixture.toml");
        std::fs::write(
            &path,
            "[patients]\npatient1 = \"1234567890\"\n[patient_roles]\nexisting = []\n",
        )
        .unwrap();
        let error = Fixture::from_file(&path).unwrap_err().to_string();
        assert!(error.contains("patients.patient1"), "{error}");
        assert!(error.contains("patients.patient2 is missing"), "{error}");
        assert!(error.contains("patient_roles.existing is empty"), "{error}");
        std::fs::write(&path, "unknown_key = 1\n").unwrap();
        let error = Fixture::from_file(&path).unwrap_err().to_string();
        assert!(error.contains("unknown_key"), "{error}");
    }
}
