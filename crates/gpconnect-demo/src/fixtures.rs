//! The identifiers and patient states the official assurance suite expects a provider to hold
//! (ATS 1.7, 1.8). Names, addresses and telephone numbers are invented for this project; NHS
//! numbers, ODS codes, SDS user ids and location ids are the suite's.

use gpconnect_domain::records::{
    Address, AddressUse, ContactPoint, ContactSystem, ContactUse, Gender,
};
use jiff::civil::{date, Date};

/// ODS code of the demo practice (ATS 1.7 `ORG1`).
pub const PRACTICE_ODS: &str = "A20047";
/// ASID of the demo practice, the suite's default `Ssp-To` (ATS 1.2 `providerASID`).
pub const PRACTICE_ASID: &str = "918999198993";
/// Logical id of the demo practice's Organization.
pub const PRACTICE_ORGANIZATION_ID: &str = "1";
/// Other organisations the suite names (ATS 1.7 `ORG2`, `ORG3`).
pub const OTHER_ORGANIZATIONS: [&str; 2] = ["R1A14", "X12345"];
/// ODS code of the second, smaller demo practice, served by the same process.
pub const SECOND_PRACTICE_ODS: &str = "Y90001";
/// ASID of the second demo practice.
pub const SECOND_PRACTICE_ASID: &str = "918999198994";
/// SDS user id the suite expects to find no Practitioner for (ATS 1.7 `practitioner4`).
pub const ABSENT_SDS_USER_ID: &str = "G99999999";
/// NHS number the suite expects to find no Patient for (ATS 1.7 `patientNotInSystem`).
pub const PATIENT_NOT_IN_SYSTEM: &str = "9999999999";

/// How the practice itself holds a fixture patient (ATS 1.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalState {
    /// Registered, active, shareable.
    Active,
    /// Carries the sensitive flag locally as well; never shared.
    Sensitive,
    /// Has dissented from data sharing, which Appointment Management does not apply (SPEC 1):
    /// still searchable and readable.
    NoConsent,
    /// Died on the given date.
    Deceased(Date),
    /// Registration has ended (left the practice).
    Inactive,
}

/// How PDS holds a fixture patient (ATS 1.8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PdsState {
    /// On PDS with the same demographics as the practice.
    Normal,
    /// On PDS with the sensitive flag.
    Sensitive,
    /// On PDS, superseded by the given NHS number.
    Superseded(&'static str),
    /// Not on PDS (not on Spine).
    Absent,
    /// On PDS, dead since the given date.
    Deceased(Date),
}

/// One patient of the demo practice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixturePatient {
    /// The suite's name for the patient (`patient1`, `patientNoAppointments`).
    pub key: &'static str,
    /// Logical id of the Patient resource.
    pub logical_id: &'static str,
    pub nhs_number: &'static str,
    pub prefix: &'static str,
    pub given: &'static str,
    pub family: &'static str,
    pub gender: Gender,
    pub birth_date: Date,
    /// Street lines: house and street, then locality.
    pub address_lines: [&'static str; 2],
    pub city: &'static str,
    pub district: &'static str,
    pub postal_code: &'static str,
    pub phone: &'static str,
    pub local: LocalState,
    pub pds: PdsState,
}

/// The NHS number that replaces `patient11`'s superseded one on PDS.
pub const PATIENT11_REPLACEMENT: &str = "9993000035";

macro_rules! patient {
    ($key:literal, $id:literal, $nhs:literal, $prefix:literal, $given:literal, $family:literal,
     $gender:ident, ($y:literal, $m:literal, $d:literal), [$l1:literal, $l2:literal], $city:literal,
     $district:literal, $post:literal, $phone:literal, $local:expr, $pds:expr) => {
        FixturePatient {
            key: $key,
            logical_id: $id,
            nhs_number: $nhs,
            prefix: $prefix,
            given: $given,
            family: $family,
            gender: Gender::$gender,
            birth_date: date($y, $m, $d),
            address_lines: [$l1, $l2],
            city: $city,
            district: $district,
            postal_code: $post,
            phone: $phone,
            local: $local,
            pds: $pds,
        }
    };
}

use LocalState as L;
use PdsState as P;

/// Every patient of the demo practice, with the NHS numbers and states of ATS 1.7–1.8.
/// `patient19` and `patient20` have no role in the suite; they fill the logical-id sequence
/// with ordinary patients. Telephone numbers are in Ofcom's range reserved for fiction.
#[rustfmt::skip]
pub const FIXTURE_PATIENTS: [FixturePatient; 22] = [
    patient!("patient1", "1", "9658218865", "Mr", "Harold", "Penberthy", Male, (1948, 3, 14),
        ["14 Larkspur Road", "Headingley"], "Leeds", "West Yorkshire", "LS6 4QT", "01632 960101",
        L::Active, P::Normal),
    patient!("patient2", "2", "9658218873", "Mrs", "Gwendolyn", "Tregarthen", Female, (1952, 11, 2),
        ["3 Quarry Hill Close", "Chapel Allerton"], "Leeds", "West Yorkshire", "LS7 3PN",
        "01632 960102", L::Active, P::Normal),
    patient!("patient3", "3", "9658218881", "Mr", "Samuel", "Whitlock", Male, (1961, 7, 23),
        ["27 Foundry Lane", "Kirkstall"], "Leeds", "West Yorkshire", "LS5 3AR", "01632 960103",
        L::Active, P::Normal),
    patient!("patient4", "4", "9658218903", "Ms", "Priya", "Ramsden", Female, (1975, 1, 30),
        ["8 Beacon View", "Horsforth"], "Leeds", "West Yorkshire", "LS18 5JD", "01632 960104",
        L::Active, P::Normal),
    patient!("patient5", "5", "9658218989", "Mrs", "Eleanor", "Fairclough", Female, (1939, 9, 5),
        ["112 Kestrel Avenue", "Roundhay"], "Leeds", "West Yorkshire", "LS8 1EH", "01632 960105",
        L::Active, P::Normal),
    patient!("patient6", "6", "9658218997", "Mr", "Dominic", "Hargreaves", Male, (1983, 5, 17),
        ["Flat 4, Rowan Court", "Meanwood"], "Leeds", "West Yorkshire", "LS6 2BW", "01632 960106",
        L::Active, P::Normal),
    patient!("patient7", "7", "9658219004", "Miss", "Lucy", "Pemberton", Female, (1994, 12, 8),
        ["56 Orchard Street", "Armley"], "Leeds", "West Yorkshire", "LS12 2LF", "01632 960107",
        L::Active, P::Normal),
    patient!("patient8", "8", "9658219012", "Mr", "Callum", "Ostrowski", Male, (1968, 2, 29),
        ["19 Juniper Crescent", "Pudsey"], "Leeds", "West Yorkshire", "LS28 7RT", "01632 960108",
        L::Active, P::Normal),
    patient!("patient9", "9", "9658220142", "Ms", "Rosalind", "Tennant", Female, (1990, 6, 11),
        ["2 Willow Mews", "Otley"], "Leeds", "West Yorkshire", "LS21 1QD", "01632 960109",
        L::Sensitive, P::Sensitive),
    patient!("patient10", "10", "9658220150", "Mrs", "Judith", "Ainsworth", Female, (1957, 4, 21),
        ["41 Harbour Road", "Wetherby"], "Leeds", "West Yorkshire", "LS22 6NX", "01632 960110",
        L::Sensitive, P::Sensitive),
    patient!("patient11", "11", "9658220223", "Mr", "Graham", "Kettlewell", Male, (1971, 10, 10),
        ["7 Meadow Bank", "Garforth"], "Leeds", "West Yorkshire", "LS25 1HE", "01632 960111",
        L::Active, P::Superseded(PATIENT11_REPLACEMENT)),
    patient!("patient12", "12", "9658220215", "Mrs", "Bernadette", "Quayle", Female, (1966, 8, 19),
        ["88 Alder Grove", "Rothwell"], "Leeds", "West Yorkshire", "LS26 0TS", "01632 960112",
        L::Active, P::Normal),
    patient!("patient13", "13", "9658219691", "Ms", "Naomi", "Fitzwilliam", Female, (1988, 3, 3),
        ["15 Chapel Fold", "Bramley"], "Leeds", "West Yorkshire", "LS13 3DP", "01632 960113",
        L::Active, P::Normal),
    patient!("patient14", "14", "9476718943", "Mr", "Desmond", "Yardley", Male, (1930, 1, 25),
        ["30 Beacon Street", "Morley"], "Leeds", "West Yorkshire", "LS27 9AG", "01632 960114",
        L::Active, P::Absent),
    patient!("patient15", "15", "9658220169", "Mrs", "Margaret", "Lonsdale", Female, (1945, 12, 12),
        ["6 Quarry Mount", "Hyde Park"], "Leeds", "West Yorkshire", "LS6 2JB", "01632 960115",
        L::NoConsent, P::Normal),
    patient!("patient16", "16", "9658219705", "Mr", "Tobias", "Merriweather", Male, (2001, 9, 9),
        ["23 Kestrel Close", "Seacroft"], "Leeds", "West Yorkshire", "LS14 6UF", "01632 960116",
        L::Active, P::Normal),
    patient!("patient17", "17", "9658219713", "Miss", "Hannah", "Castellano", Female, (1999, 4, 4),
        ["9 Orchard Way", "Guiseley"], "Leeds", "West Yorkshire", "LS20 8BX", "01632 960117",
        L::Active, P::Normal),
    patient!("patient18", "18", "9658220290", "Mr", "Reginald", "Bellamy", Male, (1935, 7, 7),
        ["4 Foundry Walk", "Beeston"], "Leeds", "West Yorkshire", "LS11 8QS", "01632 960118",
        L::Deceased(date(2023, 2, 14)), P::Deceased(date(2023, 2, 14))),
    patient!("patient19", "19", "9993000019", "Mr", "Aled", "Prydderch", Male, (1979, 11, 11),
        ["61 Rowan Road", "Farsley"], "Leeds", "West Yorkshire", "LS28 5HY", "01632 960119",
        L::Active, P::Normal),
    patient!("patient20", "20", "9993000027", "Ms", "Imogen", "Sutcliffe", Female, (1985, 8, 8),
        ["12 Willow Lane", "Alwoodley"], "Leeds", "West Yorkshire", "LS17 7PA", "01632 960120",
        L::Active, P::Normal),
    patient!("patient21", "21", "9658219748", "Mrs", "Patricia", "Hollingworth", Female, (1962, 5, 5),
        ["77 Harbour Street", "Pudsey"], "Leeds", "West Yorkshire", "LS28 9EQ", "01632 960121",
        L::Inactive, P::Normal),
    patient!("patientNoAppointments", "22", "9658219721", "Mr", "Victor", "Abernethy", Male,
        (1955, 2, 2), ["5 Meadow Croft", "Calverley"], "Leeds", "West Yorkshire", "LS28 5NG",
        "01632 960122", L::Active, P::Normal),
];

/// The fixture patient the suite calls `key`.
pub fn fixture_patient(key: &str) -> Option<&'static FixturePatient> {
    FIXTURE_PATIENTS.iter().find(|p| p.key == key)
}

/// The fixture patient's home address.
pub fn home_address(p: &FixturePatient) -> Address {
    Address {
        use_: Some(AddressUse::Home),
        lines: p.address_lines.iter().map(|l| (*l).to_owned()).collect(),
        city: Some(p.city.to_owned()),
        district: Some(p.district.to_owned()),
        postal_code: Some(p.postal_code.to_owned()),
        country: None,
    }
}

/// The fixture patient's home telephone number.
pub fn home_phone(p: &FixturePatient) -> ContactPoint {
    ContactPoint {
        system: ContactSystem::Phone,
        value: p.phone.to_owned(),
        use_: Some(ContactUse::Home),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gpconnect_domain::NhsNumber;

    #[test]
    fn suite_numbers_are_exact() {
        let expected = [
            ("patient1", "9658218865"),
            ("patient2", "9658218873"),
            ("patient3", "9658218881"),
            ("patient4", "9658218903"),
            ("patient5", "9658218989"),
            ("patient6", "9658218997"),
            ("patient7", "9658219004"),
            ("patient8", "9658219012"),
            ("patient9", "9658220142"),
            ("patient10", "9658220150"),
            ("patient11", "9658220223"),
            ("patient12", "9658220215"),
            ("patient13", "9658219691"),
            ("patient14", "9476718943"),
            ("patient15", "9658220169"),
            ("patient16", "9658219705"),
            ("patient17", "9658219713"),
            ("patient18", "9658220290"),
            ("patientNoAppointments", "9658219721"),
            ("patient21", "9658219748"),
        ];
        for (key, nhs) in expected {
            assert_eq!(
                fixture_patient(key).map(|p| p.nhs_number),
                Some(nhs),
                "{key}"
            );
        }
    }

    #[test]
    fn numbers_and_ids_are_valid_and_unique() {
        let mut numbers = std::collections::BTreeSet::new();
        let mut ids = std::collections::BTreeSet::new();
        for p in &FIXTURE_PATIENTS {
            assert!(NhsNumber::parse(p.nhs_number).is_ok(), "{}", p.key);
            assert!(numbers.insert(p.nhs_number), "{}", p.key);
            assert!(ids.insert(p.logical_id), "{}", p.key);
            assert_ne!(p.nhs_number, PATIENT_NOT_IN_SYSTEM);
        }
        assert!(NhsNumber::parse(PATIENT11_REPLACEMENT).is_ok());
        assert!(!numbers.contains(PATIENT11_REPLACEMENT));
    }
}
