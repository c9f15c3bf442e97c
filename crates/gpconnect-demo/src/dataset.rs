//! The demo practices as a [`Dataset`] (ATS 1.7–1.8): the assurance suite's practice `A20047`
//! with its organisations, locations, practitioners, patients and diary, plus a second, smaller
//! practice served by the same process.

use gpconnect_domain::records::{
    Address, AddressUse, BookingLimit, Coding, ContactPoint, ContactSystem, ContactUse, Gender,
    HumanName, LocationRecord, NameUse, NhsCommunication, OrganizationRecord, PatientRecord,
    PatientStatus, Practice, PractitionerRecord, Registration, RegistrationType,
};
use gpconnect_domain::{Asid, FhirId, NhsNumber, OdsCode, UkDateTime};
use gpconnect_store::Dataset;
use jiff::civil::{date, Date};

use crate::diary::{diary_days, extra_clinicians, schedule_plans, DemoScale};
use crate::fixtures::{
    home_address, home_phone, FixturePatient, LocalState, PdsState, FIXTURE_PATIENTS,
    PRACTICE_ASID, PRACTICE_ODS, PRACTICE_ORGANIZATION_ID, SECOND_PRACTICE_ASID,
    SECOND_PRACTICE_ODS,
};
use crate::second_practice;
use crate::synthetic;

/// How many slots a day the neighbouring practice may book at the main demo practice.
pub const NEIGHBOUR_SLOTS_PER_DAY: u32 = 2;

/// `Location.type` codes (`v3-ServiceDeliveryLocationRoleType`).
const LOCATION_TYPE_SYSTEM: &str = "http://hl7.org/fhir/v3/RoleCode";
/// `Location.physicalType` codes.
const PHYSICAL_TYPE_SYSTEM: &str = "http://hl7.org/fhir/location-physical-type";
/// `nhsCommunication.language` codes.
const HUMAN_LANGUAGE_SYSTEM: &str =
    "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-HumanLanguage-1";

/// The demo data as of `today`: both demo practices with every record, and diary slots from
/// `today` to `scale.days_ahead()` days later. Deterministic: the same arguments always give
/// the same dataset.
pub fn demo_dataset(today: Date, scale: DemoScale) -> Dataset {
    let mut data = Dataset::default();
    main_practice(&mut data, scale);
    second_practice(&mut data);
    // SPEC 5: the neighbouring practice may book at most two slots a day, of those kept for it
    // and the open ones together (the assurance suite's organisations are not limited).
    data.booking_limits.push(BookingLimit {
        practice: ods(PRACTICE_ODS),
        id: id("neighbours"),
        name: "Neighbouring practices".to_owned(),
        org_types: Vec::new(),
        ods_codes: vec![ods(SECOND_PRACTICE_ODS)],
        slots_per_day: NEIGHBOUR_SLOTS_PER_DAY,
    });
    for practice in &data.practices {
        let Some(plans) = schedule_plans(practice.ods.as_str(), scale) else {
            continue;
        };
        for plan in &plans {
            data.schedules
                .extend(plan.record(&practice.ods, today, scale));
            for day in diary_days(today, scale) {
                data.slots.extend(plan.day_slots(&practice.ods, day));
            }
        }
    }
    data
}

// The helpers below parse constants of this crate, never outside input; the dataset tests
// build every record, so an invalid constant fails them.

fn ods(code: &str) -> OdsCode {
    OdsCode::parse(code).expect("demo ODS codes are valid")
}

fn id(value: &str) -> FhirId {
    FhirId::parse(value).expect("demo logical ids are valid")
}

fn work_phone(value: &str) -> ContactPoint {
    ContactPoint {
        system: ContactSystem::Phone,
        value: value.to_owned(),
        use_: Some(ContactUse::Work),
    }
}

fn work_address(lines: &[&str], city: &str, postal_code: &str) -> Address {
    Address {
        use_: Some(AddressUse::Work),
        lines: lines.iter().map(|l| (*l).to_owned()).collect(),
        city: Some(city.to_owned()),
        district: Some("West Yorkshire".to_owned()),
        postal_code: Some(postal_code.to_owned()),
        country: None,
    }
}

fn organization(
    practice: &OdsCode,
    logical_id: &str,
    code: &str,
    name: &str,
    address: Address,
    phone: &str,
) -> OrganizationRecord {
    OrganizationRecord {
        practice: practice.clone(),
        id: id(logical_id),
        version: 1,
        ods_code: ods(code),
        name: name.to_owned(),
        telecom: vec![work_phone(phone)],
        addresses: vec![address],
        part_of: None,
    }
}

struct Site {
    id: &'static str,
    site_code: Option<&'static str>,
    name: &'static str,
    lines: &'static [&'static str],
    city: &'static str,
    postal_code: &'static str,
    phone: &'static str,
}

fn location(practice: &OdsCode, organization: &str, site: &Site) -> LocationRecord {
    LocationRecord {
        practice: practice.clone(),
        id: id(site.id),
        version: 1,
        name: site.name.to_owned(),
        ods_site_code: site.site_code.map(str::to_owned),
        address: Some(work_address(site.lines, site.city, site.postal_code)),
        telecom: vec![work_phone(site.phone)],
        managing_organization: id(organization),
        type_: Some(Coding::new(
            LOCATION_TYPE_SYSTEM,
            "FMC",
            "Family Medicine Clinic",
        )),
        physical_type: Some(Coding::new(PHYSICAL_TYPE_SYSTEM, "bu", "Building")),
        part_of: None,
    }
}

/// Sites of `A20047`. Logical ids `1`, `8` and `3` and their site codes are the suite's
/// (ATS 1.7 `LocationLogicalIdentifierMap.csv`).
const MAIN_SITES: [Site; 5] = [
    Site {
        id: "1",
        site_code: Some("Z26556"),
        name: "Larkspur Medical Centre",
        lines: &["1 Larkspur Road", "Headingley"],
        city: "Leeds",
        postal_code: "LS6 4QA",
        phone: "01632 960001",
    },
    Site {
        id: "8",
        site_code: Some("Z33432"),
        name: "Kirkstall Branch Surgery",
        lines: &["40 Foundry Lane", "Kirkstall"],
        city: "Leeds",
        postal_code: "LS5 3AB",
        phone: "01632 960002",
    },
    Site {
        id: "3",
        site_code: Some("Z33433"),
        name: "Horsforth Branch Surgery",
        lines: &["2 Beacon View", "Horsforth"],
        city: "Leeds",
        postal_code: "LS18 5JA",
        phone: "01632 960003",
    },
    Site {
        id: "4",
        site_code: None,
        name: "Meanwood Health Centre",
        lines: &["Rowan Court", "Meanwood"],
        city: "Leeds",
        postal_code: "LS6 2BA",
        phone: "01632 960004",
    },
    Site {
        id: "5",
        site_code: None,
        name: "Otley Community Clinic",
        lines: &["9 Willow Mews", "Otley"],
        city: "Leeds",
        postal_code: "LS21 1QA",
        phone: "01632 960005",
    },
];

struct Clinician {
    id: &'static str,
    sds_user_id: &'static str,
    role_profile_ids: &'static [&'static str],
    prefix: &'static str,
    given: &'static str,
    family: &'static str,
    gender: Gender,
}

/// Clinicians of `A20047`. The first four SDS user ids and their role-profile counts (0, 1, 2,
/// 1) are the suite's (ATS 1.8); the others are invented. `G99999999` must never exist.
const MAIN_CLINICIANS: [Clinician; 8] = [
    Clinician {
        id: "1",
        sds_user_id: "G13579135",
        role_profile_ids: &[],
        prefix: "Dr",
        given: "Helena",
        family: "Marsh",
        gender: Gender::Female,
    },
    Clinician {
        id: "2",
        sds_user_id: "G11111116",
        role_profile_ids: &["100000000201"],
        prefix: "Dr",
        given: "Rupert",
        family: "Ellison",
        gender: Gender::Male,
    },
    Clinician {
        id: "3",
        sds_user_id: "G22345655",
        role_profile_ids: &["100000000301", "100000000302"],
        prefix: "Dr",
        given: "Farah",
        family: "Siddiqui",
        gender: Gender::Female,
    },
    Clinician {
        id: "4",
        sds_user_id: "G22222226",
        role_profile_ids: &["100000000401"],
        prefix: "Dr",
        given: "Owen",
        family: "Pritchard",
        gender: Gender::Male,
    },
    Clinician {
        id: "5",
        sds_user_id: "G40000017",
        role_profile_ids: &["100000000501"],
        prefix: "Ms",
        given: "Bronwen",
        family: "Hale",
        gender: Gender::Female,
    },
    Clinician {
        id: "6",
        sds_user_id: "G40000025",
        role_profile_ids: &["100000000601"],
        prefix: "Mr",
        given: "Jonah",
        family: "Reeve",
        gender: Gender::Male,
    },
    Clinician {
        id: "7",
        sds_user_id: "G40000033",
        role_profile_ids: &["100000000701"],
        prefix: "Mrs",
        given: "Leila",
        family: "Haddad",
        gender: Gender::Female,
    },
    Clinician {
        id: "8",
        sds_user_id: "G40000041",
        role_profile_ids: &["100000000801"],
        prefix: "Dr",
        given: "Tomasz",
        family: "Nowak",
        gender: Gender::Male,
    },
];

fn practitioner(practice: &OdsCode, c: &Clinician) -> PractitionerRecord {
    PractitionerRecord {
        practice: practice.clone(),
        id: id(c.id),
        version: 1,
        sds_user_id: Some(c.sds_user_id.to_owned()),
        role_profile_ids: c.role_profile_ids.iter().map(|r| (*r).to_owned()).collect(),
        name: HumanName {
            use_: NameUse::Usual,
            family: c.family.to_owned(),
            given: vec![c.given.to_owned()],
            prefix: vec![c.prefix.to_owned()],
        },
        gender: Some(c.gender),
    }
}

/// A generated general practitioner of a larger [`DemoScale`].
fn extra_practitioner(practice: &OdsCode, k: u32) -> PractitionerRecord {
    let name = synthetic::name(20_000 + k);
    PractitionerRecord {
        practice: practice.clone(),
        id: id(&k.to_string()),
        version: 1,
        sds_user_id: Some(format!("G5{k:07}")),
        role_profile_ids: vec![format!("{}", 500_000_000_000u64 + u64::from(k))],
        name: HumanName {
            use_: NameUse::Usual,
            family: name.family,
            given: vec![name.given.to_owned()],
            prefix: vec!["Dr".to_owned()],
        },
        gender: Some(name.gender),
    }
}

fn practice_record(code: &str, asid: &str, name: &str) -> Practice {
    Practice {
        ods: ods(code),
        asid: Asid::parse(asid).expect("demo ASIDs are valid"),
        organization_id: id(PRACTICE_ORGANIZATION_ID),
        name: name.to_owned(),
        // The demo is for trying GP Connect out: both switches on (SPEC 2.13 defaults them
        // off for real practices).
        gp_connect_enabled: true,
        appointments_enabled: true,
        diary_version: 0,
    }
}

/// When a fixture patient registered: the later of their birth and 1 April 1999.
fn registered_since(birth_date: Date) -> Date {
    birth_date.max(date(1999, 4, 1))
}

fn fixture_patient_record(practice: &OdsCode, p: &FixturePatient, index: usize) -> PatientRecord {
    let status = match p.local {
        LocalState::Inactive => PatientStatus::Inactive,
        LocalState::Deceased(on) => PatientStatus::Deceased {
            date: Some(UkDateTime::start_of_uk_day(on)),
        },
        LocalState::Active | LocalState::Sensitive | LocalState::NoConsent => PatientStatus::Active,
    };
    let since = registered_since(p.birth_date);
    PatientRecord {
        practice: practice.clone(),
        id: id(p.logical_id),
        version: 1,
        nhs_number: NhsNumber::parse(p.nhs_number).expect("fixture NHS numbers are valid"),
        // A number that is not on Spine (patient14) cannot have been traced (SPEC 3.2).
        nhs_number_verified: p.pds != PdsState::Absent,
        names: vec![HumanName {
            use_: NameUse::Official,
            family: p.family.to_owned(),
            given: vec![p.given.to_owned()],
            prefix: vec![p.prefix.to_owned()],
        }],
        gender: Some(p.gender),
        birth_date: p.birth_date,
        telecom: vec![home_phone(p)],
        addresses: vec![home_address(p)],
        contacts: Vec::new(),
        status,
        sensitive: p.local == LocalState::Sensitive,
        registration: Registration {
            type_: RegistrationType::Regular,
            period_start: Some(since),
            period_end: match p.local {
                LocalState::Inactive => Some(date(2024, 3, 31)),
                _ => None,
            },
            preferred_branch: Some(id("1")),
        },
        general_practitioner: Some(id(MAIN_CLINICIANS[index % 3].id)),
        managing_organization: id(PRACTICE_ORGANIZATION_ID),
        nhs_communication: (p.key == "patient19").then(|| NhsCommunication {
            language: Coding::new(HUMAN_LANGUAGE_SYSTEM, "cy", "Welsh"),
            interpreter_required: Some(false),
            preferred: Some(true),
        }),
        consent_to_share: p.local != LocalState::NoConsent,
        provenance: None,
    }
}

fn main_practice(data: &mut Dataset, scale: DemoScale) {
    let practice = ods(PRACTICE_ODS);
    data.practices.push(practice_record(
        PRACTICE_ODS,
        PRACTICE_ASID,
        "Larkspur Medical Practice",
    ));
    data.organizations.extend([
        organization(
            &practice,
            PRACTICE_ORGANIZATION_ID,
            PRACTICE_ODS,
            "Larkspur Medical Practice",
            work_address(&["1 Larkspur Road", "Headingley"], "Leeds", "LS6 4QA"),
            "01632 960001",
        ),
        organization(
            &practice,
            "2",
            "R1A14",
            "Riverside Community Health Trust",
            work_address(&["Riverside House", "Kirkstall Road"], "Leeds", "LS3 1JA"),
            "01632 960010",
        ),
        organization(
            &practice,
            "3",
            "X12345",
            "Northgate Urgent Treatment Centre",
            work_address(&["Northgate", "Seacroft"], "Leeds", "LS14 6UA"),
            "01632 960020",
        ),
    ]);
    data.locations.extend(
        MAIN_SITES
            .iter()
            .map(|s| location(&practice, PRACTICE_ORGANIZATION_ID, s)),
    );
    data.practitioners
        .extend(MAIN_CLINICIANS.iter().map(|c| practitioner(&practice, c)));
    data.practitioners
        .extend(extra_clinicians(scale).map(|k| extra_practitioner(&practice, k)));
    data.patients.extend(
        FIXTURE_PATIENTS
            .iter()
            .enumerate()
            .map(|(i, p)| fixture_patient_record(&practice, p, i)),
    );
}

fn second_practice(data: &mut Dataset) {
    let practice = ods(SECOND_PRACTICE_ODS);
    data.practices.push(practice_record(
        SECOND_PRACTICE_ODS,
        SECOND_PRACTICE_ASID,
        "Juniper Lane Surgery",
    ));
    let address = || work_address(&["12 Juniper Lane", "Pudsey"], "Leeds", "LS28 7AA");
    data.organizations.push(organization(
        &practice,
        PRACTICE_ORGANIZATION_ID,
        SECOND_PRACTICE_ODS,
        "Juniper Lane Surgery",
        address(),
        "01632 960030",
    ));
    data.locations.push(location(
        &practice,
        PRACTICE_ORGANIZATION_ID,
        &Site {
            id: "1",
            site_code: None,
            name: "Juniper Lane Surgery",
            lines: &["12 Juniper Lane", "Pudsey"],
            city: "Leeds",
            postal_code: "LS28 7AA",
            phone: "01632 960030",
        },
    ));
    data.practitioners.extend([
        practitioner(
            &practice,
            &Clinician {
                id: "1",
                sds_user_id: "G40000106",
                role_profile_ids: &["100000001001"],
                prefix: "Dr",
                given: "Maren",
                family: "Oakley",
                gender: Gender::Female,
            },
        ),
        practitioner(
            &practice,
            &Clinician {
                id: "2",
                sds_user_id: "G40000114",
                role_profile_ids: &["100000001101"],
                prefix: "Mr",
                given: "Kofi",
                family: "Mensah",
                gender: Gender::Male,
            },
        ),
    ]);
    for (i, person) in second_practice::people().into_iter().enumerate() {
        data.patients.push(PatientRecord {
            practice: practice.clone(),
            id: id(&(i + 1).to_string()),
            version: 1,
            nhs_number: person.nhs_number,
            nhs_number_verified: true,
            names: vec![HumanName {
                use_: NameUse::Official,
                family: person.family,
                given: vec![person.given],
                prefix: vec![person.prefix.to_owned()],
            }],
            gender: Some(person.gender),
            birth_date: person.birth_date,
            telecom: vec![person.phone],
            addresses: vec![person.address],
            contacts: Vec::new(),
            status: PatientStatus::Active,
            sensitive: false,
            registration: Registration {
                type_: RegistrationType::Regular,
                period_start: Some(registered_since(person.birth_date)),
                period_end: None,
                preferred_branch: Some(id("1")),
            },
            general_practitioner: Some(id("1")),
            managing_organization: id(PRACTICE_ORGANIZATION_ID),
            nhs_communication: None,
            consent_to_share: true,
            provenance: None,
        });
    }
}
