//! Invariants of the demo dataset that the assurance suite relies on (ATS 1.7–1.8).

use std::collections::{BTreeMap, BTreeSet};

use gpconnect_demo::fixtures::{
    fixture_patient, ABSENT_SDS_USER_ID, FIXTURE_PATIENTS, PRACTICE_ASID, PRACTICE_ODS,
    SECOND_PRACTICE_ASID, SECOND_PRACTICE_ODS,
};
use gpconnect_demo::{demo_dataset, DemoScale, LocalPds, SDS_JOB_ROLE_SYSTEM};
use gpconnect_domain::pds::{verify, LocalDemographics, Verification};
use gpconnect_domain::records::{
    slot_visible_to, AddressUse, NameUse, PatientRecord, PatientStatus, RegistrationType,
    ScheduleRecord, SlotRecord,
};
use gpconnect_domain::{OdsCode, UkDateTime};
use gpconnect_store::Dataset;
use jiff::civil::{date, Date};
use jiff::ToSpan;

fn today() -> Date {
    date(2026, 3, 27)
}

fn data() -> Dataset {
    demo_dataset(today(), DemoScale::DEFAULT)
}

fn ods(code: &str) -> OdsCode {
    OdsCode::parse(code).expect("valid ODS code")
}

fn day(offset: i32) -> Date {
    today().checked_add(offset.days()).expect("in range")
}

fn midnight(offset: i32) -> UkDateTime {
    UkDateTime::start_of_uk_day(day(offset))
}

fn of<'a, T>(items: &'a [T], practice: &str, practice_of: impl Fn(&T) -> &OdsCode) -> Vec<&'a T> {
    items
        .iter()
        .filter(|i| practice_of(i).as_str() == practice)
        .collect()
}

fn main_slots(data: &Dataset) -> Vec<&SlotRecord> {
    of(&data.slots, PRACTICE_ODS, |s| &s.practice)
}

/// Slots lying fully inside `[from, to]` that a consumer sending `org_type` and `code` may
/// book (SPEC 3.10, 5), seen at 09:00 today.
fn visible<'a>(
    slots: &[&'a SlotRecord],
    from: UkDateTime,
    to: UkDateTime,
    org_type: Option<&str>,
    code: Option<&str>,
) -> Vec<&'a SlotRecord> {
    let now = UkDateTime::parse("2026-03-27T09:00:00+00:00").expect("instant");
    let code = code.map(ods);
    slots
        .iter()
        .copied()
        .filter(|s| s.start >= from && s.end <= to)
        .filter(|s| slot_visible_to(s, org_type, code.as_ref(), now))
        .collect()
}

#[test]
fn practices_are_the_suites_with_both_switches_on() {
    let d = data();
    let by_ods: BTreeMap<_, _> = d.practices.iter().map(|p| (p.ods.as_str(), p)).collect();
    let main = by_ods[PRACTICE_ODS];
    assert_eq!(main.asid.as_str(), PRACTICE_ASID);
    assert!(main.gp_connect_enabled && main.appointments_enabled);
    let second = by_ods[SECOND_PRACTICE_ODS];
    assert_eq!(second.asid.as_str(), SECOND_PRACTICE_ASID);
    assert_ne!(second.asid, main.asid);
    for p in &d.practices {
        let orgs: Vec<_> = d
            .organizations
            .iter()
            .filter(|o| o.practice == p.ods && o.ods_code == p.ods)
            .collect();
        assert_eq!(
            orgs.len(),
            1,
            "{}: one organisation with its ODS code",
            p.ods
        );
        assert_eq!(orgs[0].id, p.organization_id);
        assert!(!orgs[0].name.is_empty() && !orgs[0].telecom.is_empty());
        assert!(!orgs[0].addresses.is_empty());
    }
    let main_orgs: BTreeSet<_> = of(&d.organizations, PRACTICE_ODS, |o| &o.practice)
        .iter()
        .map(|o| o.ods_code.as_str())
        .collect();
    assert_eq!(main_orgs, BTreeSet::from(["A20047", "R1A14", "X12345"]));
}

#[test]
fn every_reference_resolves_within_its_practice() {
    let d = data();
    let has = |set: &BTreeSet<(String, String)>, practice: &OdsCode, id: &str| {
        set.contains(&(practice.to_string(), id.to_owned()))
    };
    let key = |p: &OdsCode, id: &dyn ToString| (p.to_string(), id.to_string());
    let orgs: BTreeSet<_> = d
        .organizations
        .iter()
        .map(|o| key(&o.practice, &o.id))
        .collect();
    let locs: BTreeSet<_> = d
        .locations
        .iter()
        .map(|l| key(&l.practice, &l.id))
        .collect();
    let pracs: BTreeSet<_> = d
        .practitioners
        .iter()
        .map(|p| key(&p.practice, &p.id))
        .collect();
    let scheds: BTreeSet<_> = d
        .schedules
        .iter()
        .map(|s| key(&s.practice, &s.id))
        .collect();
    assert_eq!(orgs.len(), d.organizations.len(), "organisation ids unique");
    assert_eq!(locs.len(), d.locations.len(), "location ids unique");
    assert_eq!(
        pracs.len(),
        d.practitioners.len(),
        "practitioner ids unique"
    );
    assert_eq!(scheds.len(), d.schedules.len(), "schedule ids unique");

    for l in &d.locations {
        assert!(has(&orgs, &l.practice, l.managing_organization.as_str()));
    }
    for p in &d.patients {
        assert!(
            has(&orgs, &p.practice, p.managing_organization.as_str()),
            "{}",
            p.id
        );
        let gp = p.general_practitioner.as_ref().expect("GP");
        assert!(has(&pracs, &p.practice, gp.as_str()), "{}", p.id);
        let branch = p.registration.preferred_branch.as_ref().expect("branch");
        assert!(has(&locs, &p.practice, branch.as_str()), "{}", p.id);
    }
    for s in &d.schedules {
        assert!(has(&locs, &s.practice, s.location.as_str()), "{}", s.id);
        if let Some(p) = &s.practitioner {
            assert!(has(&pracs, &s.practice, p.as_str()), "{}", s.id);
        }
    }
    let mut slot_ids = BTreeSet::new();
    for s in &d.slots {
        assert!(has(&scheds, &s.practice, s.schedule.as_str()), "{}", s.id);
        assert!(
            slot_ids.insert(key(&s.practice, &s.id)),
            "duplicate slot {}",
            s.id
        );
    }
    assert!(d.appointments.is_empty());
}

#[test]
fn locations_are_the_suites_with_full_codings() {
    let d = data();
    let locations = of(&d.locations, PRACTICE_ODS, |l| &l.practice);
    for (id, site) in [("1", "Z26556"), ("8", "Z33432"), ("3", "Z33433")] {
        let l = locations
            .iter()
            .find(|l| l.id.as_str() == id)
            .unwrap_or_else(|| panic!("Location/{id}"));
        assert_eq!(l.ods_site_code.as_deref(), Some(site));
    }
    assert!(locations.len() > 3);
    for l in &d.locations {
        assert!(!l.name.is_empty() && l.address.is_some() && !l.telecom.is_empty());
        for coding in [&l.type_, &l.physical_type] {
            let c = coding.as_ref().expect("coding");
            assert!(!c.system.is_empty() && !c.code.is_empty() && c.display.is_some());
        }
    }
}

#[test]
fn practitioners_carry_the_suites_sds_ids_and_role_counts() {
    let d = data();
    let pracs = of(&d.practitioners, PRACTICE_ODS, |p| &p.practice);
    for (sds, roles) in [
        ("G13579135", 0),
        ("G11111116", 1),
        ("G22345655", 2),
        ("G22222226", 1),
    ] {
        let found: Vec<_> = pracs
            .iter()
            .filter(|p| p.sds_user_id.as_deref() == Some(sds))
            .collect();
        assert_eq!(found.len(), 1, "{sds}");
        assert_eq!(found[0].role_profile_ids.len(), roles, "{sds}");
    }
    let sds_ids: BTreeSet<_> = pracs
        .iter()
        .filter_map(|p| p.sds_user_id.as_deref())
        .collect();
    assert_eq!(
        sds_ids.len(),
        pracs.len(),
        "one practitioner per SDS user id"
    );
    assert!(pracs.len() > 4, "a few more clinicians");
    for p in &d.practitioners {
        assert_ne!(p.sds_user_id.as_deref(), Some(ABSENT_SDS_USER_ID));
        assert!(!p.name.family.is_empty());
    }
}

fn patient<'a>(d: &'a Dataset, key: &str) -> &'a PatientRecord {
    let f = fixture_patient(key).expect("fixture");
    d.patients
        .iter()
        .find(|p| p.practice.as_str() == PRACTICE_ODS && p.nhs_number.as_str() == f.nhs_number)
        .unwrap_or_else(|| panic!("{key}"))
}

#[test]
fn patients_have_the_suites_numbers_and_states() {
    let d = data();
    let main = of(&d.patients, PRACTICE_ODS, |p| &p.practice);
    assert_eq!(main.len(), FIXTURE_PATIENTS.len());
    for i in 1..=21 {
        let key = format!("patient{i}");
        assert_eq!(patient(&d, &key).id.as_str(), i.to_string(), "{key}");
    }
    let no_appointments = patient(&d, "patientNoAppointments");
    assert!(no_appointments.is_active_for_sharing());
    assert!((1..=21).all(|i| no_appointments.id.as_str() != i.to_string()));
    assert!(!main.iter().any(|p| p.nhs_number.as_str() == "9999999999"));

    for key in ["patient9", "patient10"] {
        assert!(patient(&d, key).sensitive, "{key}");
        assert!(!patient(&d, key).is_active_for_sharing(), "{key}");
    }
    assert!(matches!(
        patient(&d, "patient18").status,
        PatientStatus::Deceased { date: Some(_) }
    ));
    assert_eq!(patient(&d, "patient21").status, PatientStatus::Inactive);
    let p15 = patient(&d, "patient15");
    assert!(!p15.consent_to_share && p15.is_active_for_sharing());
    assert!(patient(&d, "patient13").is_active_for_sharing());
    assert!(!patient(&d, "patient14").nhs_number_verified);
    for key in [
        "patient1",
        "patient11",
        "patient12",
        "patient16",
        "patient17",
    ] {
        assert!(patient(&d, key).is_active_for_sharing(), "{key}");
    }
}

#[test]
fn normal_patients_have_the_content_the_suite_checks() {
    let d = data();
    let practice_org = &d
        .practices
        .iter()
        .find(|p| p.ods.as_str() == PRACTICE_ODS)
        .expect("practice")
        .organization_id;
    for p in d.patients.iter().filter(|p| p.is_active_for_sharing()) {
        let official: Vec<_> = p
            .names
            .iter()
            .filter(|n| n.use_ == NameUse::Official)
            .collect();
        assert_eq!(official.len(), 1, "{}", p.id);
        assert!(!official[0].family.is_empty() && !official[0].given.is_empty());
        assert!(p.gender.is_some());
        assert!(!p.telecom.is_empty());
        assert!(p
            .telecom
            .iter()
            .all(|t| !t.value.is_empty() && t.use_.is_some()));
        assert!(p.addresses.iter().any(|a| a.use_ == Some(AddressUse::Home)));
        assert!(p.contacts.is_empty());
        assert_eq!(p.registration.type_, RegistrationType::Regular);
        assert_eq!(
            p.registration.preferred_branch.as_ref().map(|b| b.as_str()),
            Some("1")
        );
        if p.practice.as_str() == PRACTICE_ODS {
            assert_eq!(&p.managing_organization, practice_org);
        }
    }
}

#[test]
fn local_pds_agrees_with_the_practice_records() {
    let d = data();
    let pds = LocalPds::new();
    for p in &d.patients {
        let given = p
            .official_name()
            .map(|n| n.given.clone())
            .unwrap_or_default();
        let family = p.official_name().map(|n| n.family.as_str()).unwrap_or("");
        let local = LocalDemographics {
            family,
            given: &given,
            birth_date: p.birth_date,
        };
        let outcome = verify(&local, pds.get(&p.nhs_number));
        if p.is_active_for_sharing() && p.nhs_number.as_str() != "9658220223" {
            assert_eq!(outcome, Verification::Verified, "{} {}", p.practice, p.id);
        }
    }
    let superseded = patient(&d, "patient11");
    let given = vec![superseded.names[0].given[0].clone()];
    let local = LocalDemographics {
        family: &superseded.names[0].family,
        given: &given,
        birth_date: superseded.birth_date,
    };
    assert!(matches!(
        verify(&local, pds.get(&superseded.nhs_number)),
        Verification::Superseded { .. }
    ));
}

#[test]
fn enough_free_unrestricted_slots_for_a_full_assurance_run() {
    let d = data();
    let slots = main_slots(&d);
    // ATS 1.8: about 150 bookings from tomorrow 00:00 to +14 days; 250 must remain after.
    let window = (midnight(1), midnight(15));
    let open = visible(&slots, window.0, window.1, None, None);
    assert!(open.len() >= 400, "{}", open.len());
    let suite = visible(
        &slots,
        window.0,
        window.1,
        Some("urgent-care"),
        Some("A20047"),
    );
    assert!(suite.len() >= 400, "{}", suite.len());
    // Restricted and practice-only slots exist, and the suite's searches do not see them.
    assert!(slots.iter().any(|s| !s.gpc_bookable));
    assert!(slots.iter().any(|s| !s.restrict_org_types.is_empty()));
    assert!(slots.iter().any(|s| !s.restrict_ods_codes.is_empty()));
    assert!(slots.iter().any(|s| s.booking_window.is_some()));
    assert!(suite.iter().all(|s| s.restrict_org_types.is_empty()));
    // Every filter the suite's slot-search tests send finds slots (ATS 2.3 O22–O25).
    for org_type in [
        None,
        Some("urgent-care"),
        Some("gp-practice"),
        Some("oncology"),
    ] {
        for code in [
            None,
            Some("A20047"),
            Some("B81016"),
            Some("M85015"),
            Some("RNR01"),
        ] {
            assert!(
                !visible(&slots, midnight(0), midnight(14), org_type, code).is_empty(),
                "{org_type:?} {code:?}"
            );
        }
    }
}

#[test]
fn every_day_has_bookable_slots_and_day_two_carries_slot_and_schedule_types() {
    let d = data();
    let slots = main_slots(&d);
    for offset in 0..=28 {
        let found = visible(&slots, midnight(offset), midnight(offset + 1), None, None);
        assert!(found.len() >= 20, "day +{offset}: {}", found.len());
    }
    let schedules: BTreeMap<_, &ScheduleRecord> = of(&d.schedules, PRACTICE_ODS, |s| &s.practice)
        .into_iter()
        .map(|s| (s.id.as_str(), s))
        .collect();
    let day2 = visible(
        &slots,
        midnight(2),
        midnight(3),
        Some("urgent-care"),
        Some("A20047"),
    );
    assert!(day2.len() >= 28, "{}", day2.len());
    assert!(day2
        .iter()
        .all(|s| s.service_type.as_deref().is_some_and(|t| !t.is_empty())));
    assert!(day2.iter().all(|s| schedules[s.schedule.as_str()]
        .service_category
        .as_deref()
        .is_some_and(|c| !c.is_empty())));
}

#[test]
fn some_slots_start_late_today() {
    let d = data();
    let evening = UkDateTime::parse("2026-03-27T20:00:00+00:00").expect("instant");
    let late = visible(&main_slots(&d), evening, midnight(1), None, None);
    assert!(!late.is_empty());
}

#[test]
fn each_schedule_has_one_practitioner_role_from_the_value_set() {
    let allowed = [
        "R0260", "R0270", "R0410", "R0600", "R0610", "R0620", "R0680", "R0690", "R0700", "R0790",
        "R1290", "R1300", "R1310", "R1330", "R1450", "R1480", "R1550", "R1590", "R6200", "R6300",
    ];
    let d = data();
    for s in &d.schedules {
        assert_eq!(s.practitioner_role.system, SDS_JOB_ROLE_SYSTEM);
        assert!(
            allowed.contains(&s.practitioner_role.code.as_str()),
            "{}",
            s.id
        );
        assert!(s.practitioner_role.display.is_some());
        assert!(s.planning_horizon.0 < s.planning_horizon.1);
    }
    assert!(d.schedules.iter().any(|s| s.practitioner.is_none()));
    assert!(d.schedules.iter().any(|s| s.practitioner.is_some()));
}

#[test]
fn planning_horizons_cover_exactly_the_diary_days() {
    let d = data();
    let last_day = DemoScale::DEFAULT.days_ahead();
    for s in &d.schedules {
        assert_eq!(
            s.planning_horizon,
            (midnight(0), midnight(last_day + 1)),
            "schedule {} of {}",
            s.id,
            s.practice
        );
        let slots: Vec<&SlotRecord> = d
            .slots
            .iter()
            .filter(|slot| slot.practice == s.practice && slot.schedule == s.id)
            .collect();
        assert!(!slots.is_empty(), "schedule {} has slots", s.id);
        assert!(slots
            .iter()
            .all(|slot| slot.start >= s.planning_horizon.0 && slot.end <= s.planning_horizon.1));
        assert!(
            slots
                .iter()
                .any(|slot| slot.start.uk_date() == day(last_day)),
            "schedule {} has slots on the horizon's last day",
            s.id
        );
    }
}

#[test]
fn slot_times_carry_the_uk_offset_across_clock_changes() {
    // 2026-03-29 is the spring change, 2026-10-25 the autumn one.
    let at = |d: Date, schedule: &str, hhmm: &str| -> String {
        let data = demo_dataset(d, DemoScale::DEFAULT);
        let id = format!("{schedule}-{}{hhmm}", d.strftime("%Y%m%d"));
        let slot = data
            .slots
            .iter()
            .find(|s| s.practice.as_str() == PRACTICE_ODS && s.id.as_str() == id)
            .unwrap_or_else(|| panic!("slot {id}"));
        format!("{} {}", slot.start, slot.end)
    };
    assert_eq!(
        at(date(2026, 3, 28), "9", "0800"),
        "2026-03-28T08:00:00+00:00 2026-03-28T08:30:00+00:00"
    );
    assert_eq!(
        at(date(2026, 3, 29), "9", "0800"),
        "2026-03-29T08:00:00+01:00 2026-03-29T08:30:00+01:00"
    );
    assert_eq!(
        at(date(2026, 10, 24), "1", "0900"),
        "2026-10-24T09:00:00+01:00 2026-10-24T09:10:00+01:00"
    );
    assert_eq!(
        at(date(2026, 10, 26), "1", "0830"),
        "2026-10-26T08:30:00+00:00 2026-10-26T08:40:00+00:00"
    );
    // Across the change every slot keeps its length and its local start time.
    let spring = demo_dataset(date(2026, 3, 25), DemoScale::DEFAULT);
    for s in &spring.slots {
        let minutes = (s.end.unix_seconds() - s.start.unix_seconds()) / 60;
        assert!([10, 15, 20, 30].contains(&minutes), "{} {minutes}", s.id);
        let local = s.start.to_string();
        let hhmm = &s.id.as_str()[s.id.as_str().len() - 4..];
        assert_eq!(&local[11..13], &hhmm[..2], "{} {local}", s.id);
        assert_eq!(&local[14..16], &hhmm[2..], "{} {local}", s.id);
    }
}

#[test]
fn the_dataset_is_deterministic() {
    assert_eq!(data(), data());
}

#[test]
fn scale_adds_clinicians_and_weeks() {
    let small = data();
    let big = demo_dataset(today(), DemoScale::BENCHMARK);
    let count = |d: &Dataset| of(&d.practitioners, PRACTICE_ODS, |p| &p.practice).len();
    assert_eq!(count(&small), 8);
    assert_eq!(count(&big), 20);
    let last = |d: &Dataset| {
        d.slots
            .iter()
            .map(|s| s.start.uk_date())
            .max()
            .expect("slots")
    };
    assert_eq!(last(&small), day(35));
    assert_eq!(last(&big), day(56));
    assert!(big.slots.len() > 3 * small.slots.len());
    // Fewer than the fixtures or four weeks is raised to them.
    let tiny = demo_dataset(
        today(),
        DemoScale {
            clinicians: 1,
            weeks: 1,
        },
    );
    assert_eq!(count(&tiny), 8);
    assert_eq!(last(&tiny), day(28));
}

#[test]
fn the_second_practice_is_complete_and_separate() {
    let d = data();
    assert!(!of(&d.patients, SECOND_PRACTICE_ODS, |p| &p.practice).is_empty());
    assert!(!of(&d.practitioners, SECOND_PRACTICE_ODS, |p| &p.practice).is_empty());
    let slots = of(&d.slots, SECOND_PRACTICE_ODS, |s| &s.practice);
    assert!(!visible(&slots, midnight(1), midnight(15), None, None).is_empty());
    let main_numbers: BTreeSet<_> = of(&d.patients, PRACTICE_ODS, |p| &p.practice)
        .iter()
        .map(|p| p.nhs_number.clone())
        .collect();
    assert!(of(&d.patients, SECOND_PRACTICE_ODS, |p| &p.practice)
        .iter()
        .all(|p| !main_numbers.contains(&p.nhs_number) && p.is_active_for_sharing()));
}
