//! The behaviour every [`Store`] back end must show, as a suite of async checks.
//!
//! A back-end crate runs the whole suite from its `tests/` directory with
//! [`contract_tests!`](crate::contract_tests), passing an async factory that returns a fresh,
//! empty store (and a guard kept alive for the test), or `None` to skip:
//!
//! ```ignore
//! async fn fresh() -> Option<(Arc<dyn Store>, tempfile::TempDir)> { ... }
//! gpconnect_store::contract_tests!(fresh);
//! ```
//!
//! Each check panics with a message on failure. The fixture builders are public so that other
//! tests can reuse the same practice.

use std::collections::BTreeSet;
use std::sync::Arc;

use gpconnect_domain::records::{
    Address, AddressUse, AppointmentRecord, AppointmentStatus, AuditEvent, BookingLimit,
    BookingParty, BookingWindow, Coding, ContactPoint, ContactSystem, ContactUse, DeliveryChannel,
    Gender, HumanName, Identifier, LocationRecord, NameUse, NewAppointment, NhsCommunication,
    OrgType, OrganizationRecord, PatientContact, PatientRecord, PatientStatus, Practice,
    PractitionerRecord, Provenance, Registration, RegistrationType, ScheduleRecord, SlotRecord,
    SlotStatus,
};
use gpconnect_domain::{Asid, FhirId, NhsNumber, OdsCode, UkDateTime};
use jiff::civil::date;
use serde_json::json;

use crate::{BookingRecords, Dataset, Store, StoreError};

/// Expands one `#[tokio::test]` per contract check for a back end. `$factory` is an async fn
/// returning `Option<(Arc<dyn Store>, G)>`: a fresh empty store and a guard dropped after the
/// test, or `None` to skip the test (after printing why).
#[macro_export]
macro_rules! contract_tests {
    ($factory:path) => {
        $crate::contract_tests!(
            @each $factory,
            practices_round_trip_and_enablement_switches,
            the_diary_version_moves_with_every_diary_change,
            organizations_round_trip_and_are_found_by_ods_code,
            locations_round_trip,
            practitioners_round_trip_and_are_found_by_sds_user_id,
            patients_round_trip_and_are_found_by_nhs_number,
            a_patient_nhs_number_is_unique_per_practice,
            patient_updates_bump_the_version_and_detect_conflicts,
            ids_are_scoped_by_practice,
            schedules_and_slots_round_trip,
            inserting_a_batch_of_slots_adds_only_new_ids,
            a_batch_of_slots_is_added_whole_or_not_at_all,
            schedule_updates_bump_the_version_and_detect_conflicts,
            free_slots_lie_fully_inside_the_range,
            booking_takes_the_slots_and_a_second_booking_fails,
            a_booking_takes_all_its_slots_or_none,
            cancelling_frees_the_slots_for_a_new_booking,
            free_slot_reads_see_every_change_between_them,
            a_booking_reads_its_patient_slots_and_schedules_together,
            amending_bumps_the_version_and_keeps_slots_and_status,
            patient_appointments_are_selected_by_uk_start_date,
            concurrent_bookings_of_one_slot_have_exactly_one_winner,
            booking_limits_round_trip_and_move_the_diary_on,
            a_booking_limit_refuses_bookings_beyond_it_for_the_organisations_it_covers,
            seeded_and_cancelled_bookings_count_as_they_hold_slots,
            concurrent_bookings_never_go_beyond_a_limit_together,
            seeding_loads_everything_once,
            concurrent_seeding_loads_once,
            resetting_deletes_every_practice_record_and_keeps_the_audit_trail,
            resets_and_seedings_racing_leave_one_whole_dataset,
            bookings_racing_a_reset_are_refused_or_deleted,
            audit_sequence_numbers_increase,
            audit_batches_are_numbered_in_order_after_earlier_events,
        );
    };
    (@each $factory:path, $($name:ident),+ $(,)?) => {
        $(
            #[::tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $name() {
                if let Some((store, _guard)) = $factory().await {
                    $crate::contract::$name(store).await;
                }
            }
        )+
    };
}

// ---------------------------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------------------------

/// The ODS code of the practice the checks use.
pub const PRACTICE: &str = "A20047";
/// A second practice, to check that data does not leak between practices.
pub const OTHER_PRACTICE: &str = "B82617";

/// Parses a fixture ODS code.
pub fn ods(s: &str) -> OdsCode {
    OdsCode::parse(s).expect("fixture ODS code")
}

/// Parses a fixture logical id.
pub fn fid(s: &str) -> FhirId {
    FhirId::parse(s).expect("fixture logical id")
}

/// Parses a fixture instant.
pub fn at(s: &str) -> UkDateTime {
    UkDateTime::parse(s).expect("fixture date-time")
}

/// A practice with both capabilities enabled, whose organisation has id `1`.
pub fn practice(code: &str) -> Practice {
    Practice {
        ods: ods(code),
        asid: Asid::parse("918999198993").expect("fixture ASID"),
        organization_id: fid("1"),
        name: format!("Practice {code}"),
        gp_connect_enabled: true,
        appointments_enabled: true,
        diary_version: 0,
    }
}

fn address() -> Address {
    Address {
        use_: Some(AddressUse::Work),
        lines: vec!["1 Trevelyan Square".into(), "Boar Lane".into()],
        city: Some("Leeds".into()),
        district: Some("West Yorkshire".into()),
        postal_code: Some("LS1 6AE".into()),
        country: None,
    }
}

fn phone() -> ContactPoint {
    ContactPoint {
        system: ContactSystem::Phone,
        value: "0300 303 5678".into(),
        use_: Some(ContactUse::Work),
    }
}

/// The practice's own organisation.
pub fn organization(practice: &str, id: &str) -> OrganizationRecord {
    OrganizationRecord {
        practice: ods(practice),
        id: fid(id),
        version: 1,
        ods_code: ods(practice),
        name: "The Trevelyan Practice".into(),
        telecom: vec![phone()],
        addresses: vec![address()],
        part_of: None,
    }
}

/// A surgery managed by organisation `1`.
pub fn location(practice: &str, id: &str) -> LocationRecord {
    LocationRecord {
        practice: ods(practice),
        id: fid(id),
        version: 1,
        name: "Trevelyan Square Surgery".into(),
        ods_site_code: Some("Z33432".into()),
        address: Some(address()),
        telecom: vec![phone()],
        managing_organization: fid("1"),
        type_: None,
        physical_type: Some(Coding::new(
            "http://hl7.org/fhir/location-physical-type",
            "bu",
            "Building",
        )),
        part_of: None,
    }
}

/// A GP with an SDS user id and two role profiles.
pub fn practitioner(practice: &str, id: &str, sds_user_id: &str) -> PractitionerRecord {
    PractitionerRecord {
        practice: ods(practice),
        id: fid(id),
        version: 1,
        sds_user_id: Some(sds_user_id.into()),
        role_profile_ids: vec!["112233445566".into(), "223344556677".into()],
        name: HumanName {
            use_: NameUse::Usual,
            family: "Gilbert".into(),
            given: vec!["Nichole".into()],
            prefix: vec!["Dr".into()],
        },
        gender: Some(Gender::Female),
    }
}

/// An active, verified, regular patient with every optional part filled in.
pub fn patient(practice: &str, id: &str, nhs_number: &str) -> PatientRecord {
    PatientRecord {
        practice: ods(practice),
        id: fid(id),
        version: 1,
        nhs_number: NhsNumber::parse(nhs_number).expect("fixture NHS number"),
        nhs_number_verified: true,
        names: vec![HumanName {
            use_: NameUse::Official,
            family: "Dawes".into(),
            given: vec!["Minnie".into()],
            prefix: vec!["Miss".into()],
        }],
        gender: Some(Gender::Female),
        birth_date: date(1952, 5, 31),
        telecom: vec![ContactPoint {
            system: ContactSystem::Phone,
            value: "01454587554".into(),
            use_: Some(ContactUse::Home),
        }],
        addresses: vec![Address {
            use_: Some(AddressUse::Home),
            ..address()
        }],
        contacts: vec![PatientContact {
            relationships: vec!["Next of kin".into()],
            name: Some(HumanName {
                use_: NameUse::Official,
                family: "Dawes".into(),
                given: vec!["Ann".into()],
                prefix: vec![],
            }),
            telecom: vec![],
            address: None,
            gender: Some(Gender::Female),
        }],
        status: PatientStatus::Active,
        sensitive: false,
        registration: Registration {
            type_: RegistrationType::Regular,
            period_start: Some(date(1962, 7, 13)),
            period_end: None,
            preferred_branch: Some(fid("1")),
        },
        general_practitioner: Some(fid("1")),
        managing_organization: fid("1"),
        nhs_communication: Some(NhsCommunication {
            language: Coding::new(
                "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-HumanLanguage-1",
                "bn",
                "Bengali",
            ),
            interpreter_required: Some(true),
            preferred: Some(false),
        }),
        consent_to_share: true,
        provenance: Some(provenance(REGISTER)),
    }
}

/// A GP schedule at location `1` with practitioner `1`.
pub fn schedule(practice: &str, id: &str) -> ScheduleRecord {
    ScheduleRecord {
        practice: ods(practice),
        id: fid(id),
        version: 1,
        location: fid("1"),
        practitioner: Some(fid("1")),
        practitioner_role: Coding::new(
            "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-SDSJobRoleName-1",
            "R0260",
            "General Medical Practitioner",
        ),
        service_category: Some("GP Surgery".into()),
        planning_horizon: (
            at("2030-01-01T00:00:00+00:00"),
            at("2030-12-31T23:59:59+00:00"),
        ),
    }
}

/// A free, unrestricted, in-person slot in schedule `schedule_id`.
pub fn slot(practice: &str, id: &str, schedule_id: &str, start: &str, end: &str) -> SlotRecord {
    SlotRecord {
        practice: ods(practice),
        id: fid(id),
        version: 1,
        schedule: fid(schedule_id),
        start: at(start),
        end: at(end),
        status: SlotStatus::Free,
        delivery_channel: DeliveryChannel::InPerson,
        service_type: Some("Routine GP appointment".into()),
        gpc_bookable: true,
        restrict_org_types: vec![],
        restrict_ods_codes: vec![],
        booking_window: None,
    }
}

/// Who the checks book as.
pub fn provenance(interaction: &str) -> Provenance {
    Provenance {
        user_id: "1".into(),
        user_name: "Dr Kenneth Saunders".into(),
        sds_user_id: Some("111222333444".into()),
        role_profile_id: Some("444555666777".into()),
        organization_ods: "A1001".into(),
        organization_name: "Urgent Care Centre".into(),
        trace_id: "5a1e1a6f-3c2b-4f42-9b1c-0e6f1b0c2d3e".into(),
        interaction: interaction.into(),
        at: at("2029-12-01T10:00:00+00:00"),
    }
}

const REGISTER: &str = "urn:nhs:names:services:gpconnect:fhir:operation:gpc.registerpatient-1";
const BOOK: &str = "urn:nhs:names:services:gpconnect:fhir:rest:create:appointment-1";
const AMEND: &str = "urn:nhs:names:services:gpconnect:fhir:rest:update:appointment-1";
const CANCEL: &str = "urn:nhs:names:services:gpconnect:fhir:rest:cancel:appointment-1";

/// A booking of `slots` (which must be adjacent) for `patient_id` at location `1`, as a
/// consumer would send it.
pub fn new_appointment(practice: &str, patient_id: &str, slots: &[&SlotRecord]) -> NewAppointment {
    let start = slots
        .first()
        .map(|s| s.start)
        .unwrap_or_else(UkDateTime::now);
    let end = slots.last().map(|s| s.end).unwrap_or(start);
    NewAppointment {
        practice: ods(practice),
        status: AppointmentStatus::Booked,
        start,
        end,
        created: at("2029-12-01T10:00:00+00:00"),
        slots: slots.iter().map(|s| s.id.clone()).collect(),
        patient: fid(patient_id),
        location: fid("1"),
        practitioner: Some(fid("1")),
        description: "Knee pain".into(),
        comment: Some("Patient prefers mornings".into()),
        priority: Some(0),
        minutes_duration: None,
        identifiers: vec![Identifier {
            system: "https://consumer.example/appointment-id".into(),
            value: "a-123".into(),
        }],
        booking_organization: json!({
            "resourceType": "Organization",
            "id": "1",
            "meta": {"profile": ["https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Organization-1"]},
            "identifier": [{"system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "A1001"}],
            "name": "Urgent Care Centre",
            "telecom": [{"system": "phone", "value": "01234 567890"}]
        }),
        participants: vec![
            json!({"actor": {"reference": format!("Patient/{patient_id}")}, "status": "accepted"}),
            json!({"actor": {"reference": "Location/1"}, "status": "accepted"}),
        ],
        delivery_channel: Some(DeliveryChannel::InPerson),
        practitioner_role: Some(Coding::new(
            "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-SDSJobRoleName-1",
            "R0260",
            "General Medical Practitioner",
        )),
        service_type: Some("Routine GP appointment".into()),
        service_category: Some("GP Surgery".into()),
        booked_via_gp_connect: true,
        provenance: provenance(BOOK),
        booked_for: Some(BookingParty {
            ods_code: Some(ods("A1001")),
            org_type: None,
        }),
    }
}

/// One practice with an organisation, a location, a practitioner, two patients, a schedule,
/// a day of ten-minute slots on 2 March 2030 (ids `s1`..`s6`, 09:00-10:00 GMT, `s6` restricted
/// to urgent care) and one booked appointment `a1` holding `s1`.
pub fn dataset(code: &str) -> Dataset {
    let slots: Vec<SlotRecord> = (0..6)
        .map(|i| {
            let start = format!("2030-03-02T09:{:02}:00+00:00", i * 10);
            let end = if i == 5 {
                "2030-03-02T10:00:00+00:00".to_owned()
            } else {
                format!("2030-03-02T09:{:02}:00+00:00", (i + 1) * 10)
            };
            let mut s = slot(code, &format!("s{}", i + 1), "1", &start, &end);
            if i == 5 {
                s.restrict_org_types = vec![OrgType::UrgentCare];
                s.restrict_ods_codes = vec![ods("A1001")];
                s.booking_window = Some(BookingWindow {
                    min_lead_minutes: 30,
                    max_days_ahead: 28,
                });
            }
            s
        })
        .collect();
    let mut s1_busy = slots[0].clone();
    s1_busy.status = SlotStatus::Busy;
    let mut slots = slots;
    slots[0] = s1_busy;
    let booked = new_appointment(code, "1", &[&slots[0]]).into_record(fid("a1"), 1);
    Dataset {
        practices: vec![practice(code)],
        organizations: vec![organization(code, "1")],
        locations: vec![location(code, "1")],
        practitioners: vec![practitioner(code, "1", "G13579135")],
        patients: vec![
            patient(code, "1", "9658218865"),
            patient(code, "2", "9658220290"),
        ],
        schedules: vec![schedule(code, "1")],
        slots,
        appointments: vec![booked],
        booking_limits: vec![],
    }
}

/// Inserts a practice with its organisation, location, practitioner, patients `1` and `2` and
/// schedule `1`, through the ordinary insert methods.
pub async fn setup_practice(store: &dyn Store, code: &str) {
    let d = dataset(code);
    store
        .insert_practice(&d.practices[0])
        .await
        .expect("insert practice");
    store
        .insert_organization(&d.organizations[0])
        .await
        .expect("insert organisation");
    store
        .insert_location(&d.locations[0])
        .await
        .expect("insert location");
    store
        .insert_practitioner(&d.practitioners[0])
        .await
        .expect("insert practitioner");
    for p in &d.patients {
        store.insert_patient(p).await.expect("insert patient");
    }
    store
        .insert_schedule(&d.schedules[0])
        .await
        .expect("insert schedule");
}

async fn insert_slot(
    store: &dyn Store,
    code: &str,
    id: &str,
    start: &str,
    end: &str,
) -> SlotRecord {
    store
        .insert_slot(&slot(code, id, "1", start, end))
        .await
        .expect("insert slot")
}

fn ids<'a>(it: impl IntoIterator<Item = &'a SlotRecord>) -> Vec<String> {
    it.into_iter().map(|s| s.id.to_string()).collect()
}

// ---------------------------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------------------------

/// Practices are stored, listed in ODS order, unique, and their switches can be flipped.
pub async fn practices_round_trip_and_enablement_switches(store: Arc<dyn Store>) {
    assert!(store.is_empty().await.expect("is_empty"));
    let b = practice(OTHER_PRACTICE);
    let a = Practice {
        gp_connect_enabled: false,
        appointments_enabled: false,
        ..practice(PRACTICE)
    };
    store.insert_practice(&b).await.expect("insert");
    store.insert_practice(&a).await.expect("insert");
    assert!(!store.is_empty().await.expect("is_empty"));
    // The store assigns the diary version; everything else comes back as given.
    let listed = store.practices().await.expect("list");
    assert_eq!(
        listed.iter().cloned().map(unversioned).collect::<Vec<_>>(),
        vec![a.clone(), b]
    );
    assert!(listed.iter().all(|p| p.diary_version >= 0));
    let a = listed[0].clone();
    assert_eq!(
        store.get_practice(&ods(PRACTICE)).await.expect("get"),
        Some(a.clone())
    );
    assert_eq!(store.get_practice(&ods("Y99999")).await.expect("get"), None);
    assert_eq!(
        store.insert_practice(&a).await,
        Err(StoreError::Duplicate),
        "a second practice with the same ODS code"
    );

    let enabled = store
        .set_practice_enablement(&ods(PRACTICE), true, false)
        .await
        .expect("enable");
    assert!(enabled.gp_connect_enabled && !enabled.appointments_enabled);
    assert_eq!(
        store.get_practice(&ods(PRACTICE)).await.expect("get"),
        Some(enabled)
    );
    assert_eq!(
        store
            .set_practice_enablement(&ods("Y99999"), true, true)
            .await,
        Err(StoreError::NotFound)
    );
}

/// `p` with the diary version the fixtures give (0).
fn unversioned(p: Practice) -> Practice {
    Practice {
        diary_version: 0,
        ..p
    }
}

/// The practice's diary version now.
pub async fn diary_version(store: &dyn Store, code: &str) -> i64 {
    store
        .get_practice(&ods(code))
        .await
        .expect("get practice")
        .expect("practice")
        .diary_version
}

/// The diary version moves on with every change to what a free-slot search returns (diary
/// records, bookings, cancellations), for that practice only, and stays put otherwise
/// (patients, amendments, refused changes). A practice loaded again does not start where it
/// started before.
pub async fn the_diary_version_moves_with_every_diary_change(store: Arc<dyn Store>) {
    setup_practice(&*store, PRACTICE).await;
    setup_practice(&*store, OTHER_PRACTICE).await;
    let other = diary_version(&*store, OTHER_PRACTICE).await;
    let mut last = diary_version(&*store, PRACTICE).await;
    fn moved(last: &mut i64, now: i64, what: &str) {
        assert!(
            now > *last,
            "{what}: the diary version moves on ({last} -> {now})"
        );
        *last = now;
    }

    store
        .insert_organization(&organization(PRACTICE, "9"))
        .await
        .expect("organisation");
    moved(
        &mut last,
        diary_version(&*store, PRACTICE).await,
        "organisation added",
    );
    store
        .insert_location(&location(PRACTICE, "9"))
        .await
        .expect("location");
    moved(
        &mut last,
        diary_version(&*store, PRACTICE).await,
        "location added",
    );
    store
        .insert_practitioner(&practitioner(PRACTICE, "9", "G99999999"))
        .await
        .expect("practitioner");
    moved(
        &mut last,
        diary_version(&*store, PRACTICE).await,
        "practitioner added",
    );
    let added = store
        .insert_schedule(&schedule(PRACTICE, "9"))
        .await
        .expect("schedule");
    moved(
        &mut last,
        diary_version(&*store, PRACTICE).await,
        "schedule added",
    );
    store
        .update_schedule(&added, added.version)
        .await
        .expect("schedule update");
    moved(
        &mut last,
        diary_version(&*store, PRACTICE).await,
        "schedule changed",
    );
    let s1 = insert_slot(
        &*store,
        PRACTICE,
        "s1",
        "2030-03-02T09:00:00+00:00",
        "2030-03-02T09:10:00+00:00",
    )
    .await;
    moved(
        &mut last,
        diary_version(&*store, PRACTICE).await,
        "slot added",
    );
    let batch = [slot(
        PRACTICE,
        "s2",
        "1",
        "2030-03-02T09:10:00+00:00",
        "2030-03-02T09:20:00+00:00",
    )];
    assert_eq!(store.insert_slots(&batch).await.expect("batch"), 1);
    moved(
        &mut last,
        diary_version(&*store, PRACTICE).await,
        "slots added",
    );
    let booked = store
        .book(&new_appointment(PRACTICE, "1", &[&s1]))
        .await
        .expect("book");
    moved(&mut last, diary_version(&*store, PRACTICE).await, "booking");

    // Refused changes and records a search never shows leave it alone.
    assert_eq!(
        store.book(&new_appointment(PRACTICE, "2", &[&s1])).await,
        Err(StoreError::SlotUnavailable)
    );
    store
        .insert_patient(&patient(PRACTICE, "77", "9000000009"))
        .await
        .expect("patient");
    let mut amended = booked.clone();
    amended.comment = Some("Amended".into());
    store
        .update_appointment(&amended, booked.version)
        .await
        .expect("amend");
    assert_eq!(diary_version(&*store, PRACTICE).await, last, "unchanged");

    store
        .cancel_appointment(
            &ods(PRACTICE),
            &booked.id,
            "Feeling better",
            booked.version + 1,
            &provenance("urn:nhs:names:services:gpconnect:fhir:rest:cancel:appointment-1"),
        )
        .await
        .expect("cancel");
    moved(
        &mut last,
        diary_version(&*store, PRACTICE).await,
        "cancellation",
    );
    assert_eq!(
        diary_version(&*store, OTHER_PRACTICE).await,
        other,
        "another practice's changes leave it alone"
    );

    // Loaded again after a reset, the practice starts somewhere else.
    store.reset_practice_data().await.expect("reset");
    assert!(store.seed(&dataset(PRACTICE)).await.expect("seed"));
    assert_ne!(diary_version(&*store, PRACTICE).await, last);
}

/// Organisations come back as stored, at version 1, and are found by ODS code.
pub async fn organizations_round_trip_and_are_found_by_ods_code(store: Arc<dyn Store>) {
    store
        .insert_practice(&practice(PRACTICE))
        .await
        .expect("practice");
    let mut org = organization(PRACTICE, "1");
    org.version = 42;
    let stored = store.insert_organization(&org).await.expect("insert");
    assert_eq!(stored.version, 1, "inserts are stored at version 1");
    let expected = OrganizationRecord { version: 1, ..org };
    assert_eq!(stored, expected);
    let mut parent = organization(PRACTICE, "2");
    parent.ods_code = ods("Y12345");
    parent.telecom.clear();
    parent.addresses.clear();
    store.insert_organization(&parent).await.expect("insert");
    let mut child = organization(PRACTICE, "3");
    child.ods_code = ods("Y23456");
    child.part_of = Some(fid("2"));
    store.insert_organization(&child).await.expect("insert");

    assert_eq!(
        store
            .get_organization(&ods(PRACTICE), &fid("1"))
            .await
            .expect("get"),
        Some(expected.clone())
    );
    assert_eq!(
        store
            .get_organization(&ods(PRACTICE), &fid("3"))
            .await
            .expect("get")
            .and_then(|o| o.part_of),
        Some(fid("2"))
    );
    assert_eq!(
        store
            .get_organization(&ods(PRACTICE), &fid("9"))
            .await
            .expect("get"),
        None
    );
    assert_eq!(
        store
            .find_organizations_by_ods_code(&ods(PRACTICE), &ods(PRACTICE))
            .await
            .expect("find"),
        vec![expected.clone()]
    );
    assert_eq!(
        store
            .find_organizations_by_ods_code(&ods(PRACTICE), &ods("Y23456"))
            .await
            .expect("find")
            .len(),
        1
    );
    assert!(store
        .find_organizations_by_ods_code(&ods(PRACTICE), &ods("Z00000"))
        .await
        .expect("find")
        .is_empty());
    assert_eq!(
        store.insert_organization(&expected).await,
        Err(StoreError::Duplicate)
    );
}

/// Locations come back as stored.
pub async fn locations_round_trip(store: Arc<dyn Store>) {
    store
        .insert_practice(&practice(PRACTICE))
        .await
        .expect("practice");
    let full = location(PRACTICE, "1");
    let bare = LocationRecord {
        ods_site_code: None,
        address: None,
        telecom: vec![],
        type_: None,
        physical_type: None,
        part_of: Some(fid("1")),
        ..location(PRACTICE, "2")
    };
    assert_eq!(store.insert_location(&full).await.expect("insert"), full);
    assert_eq!(store.insert_location(&bare).await.expect("insert"), bare);
    assert_eq!(
        store
            .get_location(&ods(PRACTICE), &fid("1"))
            .await
            .expect("get"),
        Some(full.clone())
    );
    assert_eq!(
        store
            .get_location(&ods(PRACTICE), &fid("2"))
            .await
            .expect("get"),
        Some(bare.clone())
    );
    // Several at once: those that exist, in the order asked for.
    assert_eq!(
        store
            .get_locations(&ods(PRACTICE), &[fid("2"), fid("3"), fid("1")])
            .await
            .expect("get several"),
        vec![bare, full.clone()]
    );
    assert!(store
        .get_locations(&ods(OTHER_PRACTICE), &[fid("1")])
        .await
        .expect("get several")
        .is_empty());
    assert_eq!(
        store
            .get_location(&ods(PRACTICE), &fid("3"))
            .await
            .expect("get"),
        None
    );
    assert_eq!(
        store.insert_location(&full).await,
        Err(StoreError::Duplicate)
    );
}

/// Practitioners come back as stored and are found by SDS user id, exactly (case-sensitive).
pub async fn practitioners_round_trip_and_are_found_by_sds_user_id(store: Arc<dyn Store>) {
    store
        .insert_practice(&practice(PRACTICE))
        .await
        .expect("practice");
    let gp = practitioner(PRACTICE, "1", "G13579135");
    let nurse = PractitionerRecord {
        sds_user_id: None,
        role_profile_ids: vec![],
        gender: None,
        ..practitioner(PRACTICE, "2", "unused")
    };
    assert_eq!(store.insert_practitioner(&gp).await.expect("insert"), gp);
    assert_eq!(
        store.insert_practitioner(&nurse).await.expect("insert"),
        nurse
    );
    assert_eq!(
        store
            .get_practitioner(&ods(PRACTICE), &fid("2"))
            .await
            .expect("get"),
        Some(nurse.clone())
    );
    // Several at once: those that exist, in the order asked for.
    assert_eq!(
        store
            .get_practitioners(&ods(PRACTICE), &[fid("2"), fid("9"), fid("1")])
            .await
            .expect("get several"),
        vec![nurse, gp.clone()]
    );
    assert!(store
        .get_practitioners(&ods(PRACTICE), &[])
        .await
        .expect("get none")
        .is_empty());
    assert_eq!(
        store
            .find_practitioners_by_sds_user_id(&ods(PRACTICE), "G13579135")
            .await
            .expect("find"),
        vec![gp.clone()]
    );
    assert!(store
        .find_practitioners_by_sds_user_id(&ods(PRACTICE), "g13579135")
        .await
        .expect("find")
        .is_empty());
    assert_eq!(
        store.insert_practitioner(&gp).await,
        Err(StoreError::Duplicate)
    );
}

/// Patients come back as stored, every field included, and are found by NHS number whatever
/// their status.
pub async fn patients_round_trip_and_are_found_by_nhs_number(store: Arc<dyn Store>) {
    store
        .insert_practice(&practice(PRACTICE))
        .await
        .expect("practice");
    let full = patient(PRACTICE, "1", "9658218865");
    let deceased = PatientRecord {
        status: PatientStatus::Deceased {
            date: Some(at("2021-06-30T14:05:00+01:00")),
        },
        sensitive: true,
        nhs_number_verified: false,
        gender: None,
        telecom: vec![],
        addresses: vec![],
        contacts: vec![],
        registration: Registration {
            type_: RegistrationType::Temporary,
            period_start: Some(date(2020, 1, 1)),
            period_end: Some(date(2020, 3, 31)),
            preferred_branch: None,
        },
        general_practitioner: None,
        nhs_communication: None,
        consent_to_share: false,
        provenance: None,
        ..patient(PRACTICE, "2", "9658220290")
    };
    assert_eq!(store.insert_patient(&full).await.expect("insert"), full);
    assert_eq!(
        store.insert_patient(&deceased).await.expect("insert"),
        deceased
    );
    assert_eq!(
        store
            .get_patient(&ods(PRACTICE), &fid("1"))
            .await
            .expect("get"),
        Some(full.clone())
    );
    assert_eq!(
        store
            .find_patient_by_nhs_number(&ods(PRACTICE), &deceased.nhs_number)
            .await
            .expect("find"),
        Some(deceased)
    );
    let unknown = NhsNumber::parse("9476718943").expect("fixture");
    assert_eq!(
        store
            .find_patient_by_nhs_number(&ods(PRACTICE), &unknown)
            .await
            .expect("find"),
        None
    );
    assert_eq!(
        store
            .get_patient(&ods(PRACTICE), &fid("3"))
            .await
            .expect("get"),
        None
    );
}

/// One record per NHS number per practice: the database refuses a second (SPEC 3.4), even when
/// two registrations race.
pub async fn a_patient_nhs_number_is_unique_per_practice(store: Arc<dyn Store>) {
    store
        .insert_practice(&practice(PRACTICE))
        .await
        .expect("practice");
    store
        .insert_practice(&practice(OTHER_PRACTICE))
        .await
        .expect("practice");
    store
        .insert_patient(&patient(PRACTICE, "1", "9658218865"))
        .await
        .expect("insert");
    assert_eq!(
        store
            .insert_patient(&patient(PRACTICE, "2", "9658218865"))
            .await,
        Err(StoreError::Duplicate),
        "same NHS number, new id"
    );
    assert_eq!(
        store
            .insert_patient(&patient(PRACTICE, "1", "9658220290"))
            .await,
        Err(StoreError::Duplicate),
        "same id, new NHS number"
    );
    store
        .insert_patient(&patient(OTHER_PRACTICE, "1", "9658218865"))
        .await
        .expect("the same patient may be registered at another practice");

    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                store
                    .insert_patient(&patient(PRACTICE, &format!("r{i}"), "9476718943"))
                    .await
            })
        })
        .collect();
    let mut created = 0;
    for t in tasks {
        match t.await.expect("task") {
            Ok(_) => created += 1,
            Err(StoreError::Duplicate) => {}
            Err(e) => panic!("unexpected error from a racing registration: {e}"),
        }
    }
    assert_eq!(created, 1, "exactly one racing registration succeeds");
}

/// Every update stores a new version; a stale expected version is refused with the current one.
pub async fn patient_updates_bump_the_version_and_detect_conflicts(store: Arc<dyn Store>) {
    setup_practice(&*store, PRACTICE).await;
    let v1 = store
        .get_patient(&ods(PRACTICE), &fid("1"))
        .await
        .expect("get")
        .expect("patient 1");
    let mut changed = v1.clone();
    changed.status = PatientStatus::Inactive;
    changed.telecom.clear();
    changed.provenance = Some(Provenance {
        user_name: "Dr Alice Ng".into(),
        at: at("2030-01-02T11:00:00+00:00"),
        ..provenance(REGISTER)
    });
    let v2 = store.update_patient(&changed, 1).await.expect("update");
    assert_eq!(v2.version, 2);
    assert_eq!(
        v2,
        PatientRecord {
            version: 2,
            ..changed.clone()
        }
    );
    assert_eq!(
        store
            .get_patient(&ods(PRACTICE), &fid("1"))
            .await
            .expect("get"),
        Some(v2.clone())
    );
    assert_eq!(
        store.update_patient(&changed, 1).await,
        Err(StoreError::VersionConflict { current: 2 })
    );
    let v3 = store.update_patient(&v2, 2).await.expect("update");
    assert_eq!(v3.version, 3);

    let mut taken = v3.clone();
    taken.nhs_number = NhsNumber::parse("9658220290").expect("fixture");
    assert_eq!(
        store.update_patient(&taken, 3).await,
        Err(StoreError::Duplicate),
        "the NHS number belongs to patient 2"
    );
    let ghost = patient(PRACTICE, "99", "9476718943");
    assert_eq!(
        store.update_patient(&ghost, 1).await,
        Err(StoreError::NotFound)
    );
}

/// The same logical id may exist in two practices; each practice sees only its own record.
pub async fn ids_are_scoped_by_practice(store: Arc<dyn Store>) {
    setup_practice(&*store, PRACTICE).await;
    setup_practice(&*store, OTHER_PRACTICE).await;
    let mine = store
        .get_patient(&ods(PRACTICE), &fid("1"))
        .await
        .expect("get")
        .expect("patient");
    let theirs = store
        .get_patient(&ods(OTHER_PRACTICE), &fid("1"))
        .await
        .expect("get")
        .expect("patient");
    assert_eq!(mine.practice, ods(PRACTICE));
    assert_eq!(theirs.practice, ods(OTHER_PRACTICE));
    store
        .update_patient(
            &PatientRecord {
                sensitive: true,
                ..mine
            },
            1,
        )
        .await
        .expect("update");
    assert_eq!(
        store
            .get_patient(&ods(OTHER_PRACTICE), &fid("1"))
            .await
            .expect("get"),
        Some(theirs),
        "an update in one practice leaves the other alone"
    );
    assert_eq!(
        store
            .get_organization(&ods("Y99999"), &fid("1"))
            .await
            .expect("get"),
        None
    );
}

/// Schedules and slots come back as stored; a slot needs an existing schedule.
pub async fn schedules_and_slots_round_trip(store: Arc<dyn Store>) {
    setup_practice(&*store, PRACTICE).await;
    let s = schedule(PRACTICE, "1");
    assert_eq!(
        store
            .get_schedule(&ods(PRACTICE), &fid("1"))
            .await
            .expect("get"),
        Some(s)
    );
    let bare = ScheduleRecord {
        practitioner: None,
        service_category: None,
        ..schedule(PRACTICE, "2")
    };
    assert_eq!(store.insert_schedule(&bare).await.expect("insert"), bare);
    assert_eq!(
        store.insert_schedule(&bare).await,
        Err(StoreError::Duplicate)
    );

    let mut restricted = slot(
        PRACTICE,
        "x1",
        "2",
        "2030-07-01T09:00:00+01:00",
        "2030-07-01T09:15:00+01:00",
    );
    restricted.delivery_channel = DeliveryChannel::Telephone;
    restricted.service_type = None;
    restricted.restrict_org_types = vec![OrgType::GpPractice, OrgType::UrgentCare];
    restricted.restrict_ods_codes = vec![ods("A1001"), ods("B2002")];
    restricted.booking_window = Some(BookingWindow {
        min_lead_minutes: 60,
        max_days_ahead: 14,
    });
    restricted.gpc_bookable = false;
    restricted.status = SlotStatus::BusyUnavailable;
    assert_eq!(
        store.insert_slot(&restricted).await.expect("insert"),
        restricted
    );
    assert_eq!(
        store
            .get_slot(&ods(PRACTICE), &fid("x1"))
            .await
            .expect("get"),
        Some(restricted.clone())
    );
    assert_eq!(
        store.insert_slot(&restricted).await,
        Err(StoreError::Duplicate)
    );
    let orphan = slot(
        PRACTICE,
        "x2",
        "nope",
        "2030-07-01T09:00:00+01:00",
        "2030-07-01T09:15:00+01:00",
    );
    assert_eq!(
        store.insert_slot(&orphan).await,
        Err(StoreError::NotFound),
        "a slot's schedule must exist"
    );
}

/// A batch of slots adds the new ids at version 1 and leaves existing slots, booked ones
/// included, exactly as stored; running it again adds nothing.
pub async fn inserting_a_batch_of_slots_adds_only_new_ids(store: Arc<dyn Store>) {
    setup_practice(&*store, PRACTICE).await;
    setup_practice(&*store, OTHER_PRACTICE).await;
    assert_eq!(store.insert_slots(&[]).await, Ok(0));
    let s1 = insert_slot(
        &*store,
        PRACTICE,
        "s1",
        "2030-03-02T09:00:00+00:00",
        "2030-03-02T09:10:00+00:00",
    )
    .await;
    store
        .book(&new_appointment(PRACTICE, "1", &[&s1]))
        .await
        .expect("book s1");
    let booked = store
        .get_slot(&ods(PRACTICE), &fid("s1"))
        .await
        .expect("get")
        .expect("s1");

    let mut s1_again = s1.clone();
    s1_again.service_type = Some("Changed".into());
    let mut s2 = slot(
        PRACTICE,
        "s2",
        "1",
        "2030-03-02T09:10:00+00:00",
        "2030-03-02T09:20:00+00:00",
    );
    s2.version = 7;
    let s3 = slot(
        PRACTICE,
        "s3",
        "1",
        "2030-03-02T09:20:00+00:00",
        "2030-03-02T09:30:00+00:00",
    );
    let theirs = slot(
        OTHER_PRACTICE,
        "s1",
        "1",
        "2030-03-02T09:00:00+00:00",
        "2030-03-02T09:10:00+00:00",
    );
    let batch = vec![s1_again, s2.clone(), s3.clone(), s2.clone(), theirs.clone()];
    assert_eq!(
        store.insert_slots(&batch).await,
        Ok(3),
        "s2, s3 and the other practice's s1 are new"
    );
    assert_eq!(
        store
            .get_slot(&ods(PRACTICE), &fid("s1"))
            .await
            .expect("get"),
        Some(booked),
        "the booked slot is untouched"
    );
    assert_eq!(
        store
            .get_slot(&ods(PRACTICE), &fid("s2"))
            .await
            .expect("get"),
        Some(SlotRecord { version: 1, ..s2 })
    );
    assert_eq!(
        store
            .get_slot(&ods(OTHER_PRACTICE), &fid("s1"))
            .await
            .expect("get"),
        Some(theirs)
    );
    assert_eq!(
        ids(&store
            .free_slots(
                &ods(PRACTICE),
                at("2030-03-02T00:00:00+00:00"),
                at("2030-03-03T00:00:00+00:00")
            )
            .await
            .expect("free")
            .slots),
        vec!["s2", "s3"]
    );
    assert_eq!(
        store.insert_slots(&batch).await,
        Ok(0),
        "a second run adds nothing"
    );
    store
        .book(&new_appointment(PRACTICE, "2", &[&s3]))
        .await
        .expect("a batch-inserted slot can be booked");
}

/// A batch holding a slot whose schedule does not exist adds nothing.
pub async fn a_batch_of_slots_is_added_whole_or_not_at_all(store: Arc<dyn Store>) {
    setup_practice(&*store, PRACTICE).await;
    let good = slot(
        PRACTICE,
        "s1",
        "1",
        "2030-03-02T09:00:00+00:00",
        "2030-03-02T09:10:00+00:00",
    );
    let orphan = slot(
        PRACTICE,
        "s2",
        "nope",
        "2030-03-02T09:10:00+00:00",
        "2030-03-02T09:20:00+00:00",
    );
    assert_eq!(
        store.insert_slots(&[good.clone(), orphan]).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store
            .get_slot(&ods(PRACTICE), &fid("s1"))
            .await
            .expect("get"),
        None,
        "the valid slot of a refused batch is not added"
    );
    assert_eq!(store.insert_slots(&[good]).await, Ok(1));
}

/// A schedule update (e.g. moving its planning horizon) stores a new version, seen by reads
/// and free-slot searches; a stale version is refused with the current one; its slots stay.
pub async fn schedule_updates_bump_the_version_and_detect_conflicts(store: Arc<dyn Store>) {
    setup_practice(&*store, PRACTICE).await;
    setup_practice(&*store, OTHER_PRACTICE).await;
    let s1 = insert_slot(
        &*store,
        PRACTICE,
        "s1",
        "2030-03-02T09:00:00+00:00",
        "2030-03-02T09:10:00+00:00",
    )
    .await;
    let mut moved = schedule(PRACTICE, "1");
    moved.version = 9;
    moved.planning_horizon = (
        at("2030-03-02T00:00:00+00:00"),
        at("2030-04-07T00:00:00+01:00"),
    );
    moved.service_category = Some("Extended hours".into());
    let v2 = store.update_schedule(&moved, 1).await.expect("update");
    let expected = ScheduleRecord {
        version: 2,
        ..moved.clone()
    };
    assert_eq!(v2, expected);
    assert_eq!(
        store
            .get_schedule(&ods(PRACTICE), &fid("1"))
            .await
            .expect("get"),
        Some(expected.clone())
    );
    let free = store
        .free_slots(
            &ods(PRACTICE),
            at("2030-03-02T00:00:00+00:00"),
            at("2030-03-03T00:00:00+00:00"),
        )
        .await
        .expect("free");
    assert_eq!(free.slots, vec![s1]);
    assert_eq!(free.schedules, vec![expected.clone()]);
    assert_eq!(
        store.update_schedule(&moved, 1).await,
        Err(StoreError::VersionConflict { current: 2 })
    );
    assert_eq!(
        store
            .get_schedule(&ods(OTHER_PRACTICE), &fid("1"))
            .await
            .expect("get"),
        Some(schedule(OTHER_PRACTICE, "1")),
        "the other practice's schedule 1 is untouched"
    );
    let ghost = schedule(PRACTICE, "9");
    assert_eq!(
        store.update_schedule(&ghost, 1).await,
        Err(StoreError::NotFound)
    );
    let v3 = store.update_schedule(&v2, 2).await.expect("update");
    assert_eq!(v3.version, 3);
}

/// SPEC 3.10: only free slots lying fully inside the range are returned, with their schedules.
pub async fn free_slots_lie_fully_inside_the_range(store: Arc<dyn Store>) {
    setup_practice(&*store, PRACTICE).await;
    setup_practice(&*store, OTHER_PRACTICE).await;
    store
        .insert_schedule(&schedule(PRACTICE, "2"))
        .await
        .expect("schedule 2");
    // The range is 09:00-10:00 BST on 1 July 2030.
    let from = at("2030-07-01T09:00:00+01:00");
    let to = at("2030-07-01T10:00:00+01:00");
    insert_slot(
        &*store,
        PRACTICE,
        "before",
        "2030-07-01T08:40:00+01:00",
        "2030-07-01T08:50:00+01:00",
    )
    .await;
    insert_slot(
        &*store,
        PRACTICE,
        "straddles-start",
        "2030-07-01T08:55:00+01:00",
        "2030-07-01T09:05:00+01:00",
    )
    .await;
    insert_slot(
        &*store,
        PRACTICE,
        "at-start",
        "2030-07-01T09:00:00+01:00",
        "2030-07-01T09:10:00+01:00",
    )
    .await;
    insert_slot(
        &*store,
        PRACTICE,
        "middle",
        "2030-07-01T09:20:00+01:00",
        "2030-07-01T09:30:00+01:00",
    )
    .await;
    store
        .insert_slot(&slot(
            PRACTICE,
            "other-schedule",
            "2",
            "2030-07-01T09:30:00+01:00",
            "2030-07-01T09:40:00+01:00",
        ))
        .await
        .expect("slot");
    insert_slot(
        &*store,
        PRACTICE,
        "at-end",
        "2030-07-01T09:50:00+01:00",
        "2030-07-01T10:00:00+01:00",
    )
    .await;
    insert_slot(
        &*store,
        PRACTICE,
        "straddles-end",
        "2030-07-01T09:55:00+01:00",
        "2030-07-01T10:05:00+01:00",
    )
    .await;
    insert_slot(
        &*store,
        PRACTICE,
        "after",
        "2030-07-01T10:00:00+01:00",
        "2030-07-01T10:10:00+01:00",
    )
    .await;
    let mut busy = slot(
        PRACTICE,
        "busy",
        "1",
        "2030-07-01T09:40:00+01:00",
        "2030-07-01T09:50:00+01:00",
    );
    busy.status = SlotStatus::Busy;
    store.insert_slot(&busy).await.expect("slot");
    insert_slot(
        &*store,
        OTHER_PRACTICE,
        "elsewhere",
        "2030-07-01T09:10:00+01:00",
        "2030-07-01T09:20:00+01:00",
    )
    .await;

    let found = store
        .free_slots(&ods(PRACTICE), from, to)
        .await
        .expect("free slots");
    assert_eq!(
        ids(&found.slots),
        vec!["at-start", "middle", "other-schedule", "at-end"],
        "ordered by start; straddling, busy, outside and other-practice slots excluded"
    );
    assert_eq!(
        found
            .schedules
            .iter()
            .map(|s| s.id.to_string())
            .collect::<Vec<_>>(),
        vec!["1", "2"],
        "each referenced schedule once"
    );
    assert_eq!(found.schedules[0], schedule(PRACTICE, "1"));

    let none = store
        .free_slots(
            &ods(PRACTICE),
            at("2030-07-02T09:00:00+01:00"),
            at("2030-07-02T10:00:00+01:00"),
        )
        .await
        .expect("free slots");
    assert!(none.slots.is_empty() && none.schedules.is_empty());
}

/// SPEC 3.11: booking stores the appointment, makes its slot busy (new slot version), and a
/// second booking of that slot is refused.
pub async fn booking_takes_the_slots_and_a_second_booking_fails(store: Arc<dyn Store>) {
    setup_practice(&*store, PRACTICE).await;
    let s1 = insert_slot(
        &*store,
        PRACTICE,
        "s1",
        "2030-03-02T09:00:00+00:00",
        "2030-03-02T09:10:00+00:00",
    )
    .await;
    let s2 = insert_slot(
        &*store,
        PRACTICE,
        "s2",
        "2030-03-02T09:10:00+00:00",
        "2030-03-02T09:20:00+00:00",
    )
    .await;
    let request = new_appointment(PRACTICE, "1", &[&s1, &s2]);
    let booked = store.book(&request).await.expect("book");
    assert_eq!(booked.version, 1);
    assert_eq!(booked, request.clone().into_record(booked.id.clone(), 1));
    assert_eq!(
        store
            .get_appointment(&ods(PRACTICE), &booked.id)
            .await
            .expect("get"),
        Some(booked.clone())
    );
    for id in ["s1", "s2"] {
        let s = store
            .get_slot(&ods(PRACTICE), &fid(id))
            .await
            .expect("get")
            .expect("slot");
        assert_eq!(s.status, SlotStatus::Busy, "{id}");
        assert_eq!(s.version, 2, "{id}: a booked slot gets a new version");
    }
    assert!(store
        .free_slots(
            &ods(PRACTICE),
            at("2030-03-02T00:00:00+00:00"),
            at("2030-03-03T00:00:00+00:00")
        )
        .await
        .expect("free")
        .slots
        .is_empty());

    assert_eq!(
        store.book(&new_appointment(PRACTICE, "2", &[&s2])).await,
        Err(StoreError::SlotUnavailable)
    );
    let mut unknown = new_appointment(PRACTICE, "2", &[&s1]);
    unknown.slots = vec![fid("nope")];
    assert_eq!(store.book(&unknown).await, Err(StoreError::NotFound));
    let mut elsewhere = new_appointment(PRACTICE, "2", &[&s1]);
    elsewhere.practice = ods(OTHER_PRACTICE);
    assert_eq!(
        store.book(&elsewhere).await,
        Err(StoreError::NotFound),
        "slots are looked up in the booking's practice"
    );
    let mut empty = new_appointment(PRACTICE, "2", &[&s1]);
    empty.slots.clear();
    assert!(matches!(
        store.book(&empty).await,
        Err(StoreError::Invalid(_))
    ));

    let mut unavailable = slot(
        PRACTICE,
        "s3",
        "1",
        "2030-03-02T09:20:00+00:00",
        "2030-03-02T09:30:00+00:00",
    );
    unavailable.status = SlotStatus::BusyUnavailable;
    let unavailable = store.insert_slot(&unavailable).await.expect("slot");
    assert_eq!(
        store
            .book(&new_appointment(PRACTICE, "2", &[&unavailable]))
            .await,
        Err(StoreError::SlotUnavailable),
        "a slot the practice made busy cannot be booked"
    );
}

/// A booking whose second slot is taken leaves its first slot free and stores nothing.
pub async fn a_booking_takes_all_its_slots_or_none(store: Arc<dyn Store>) {
    setup_practice(&*store, PRACTICE).await;
    let s1 = insert_slot(
        &*store,
        PRACTICE,
        "s1",
        "2030-03-02T09:00:00+00:00",
        "2030-03-02T09:10:00+00:00",
    )
    .await;
    let s2 = insert_slot(
        &*store,
        PRACTICE,
        "s2",
        "2030-03-02T09:10:00+00:00",
        "2030-03-02T09:20:00+00:00",
    )
    .await;
    store
        .book(&new_appointment(PRACTICE, "2", &[&s2]))
        .await
        .expect("book s2");
    assert_eq!(
        store
            .book(&new_appointment(PRACTICE, "1", &[&s1, &s2]))
            .await,
        Err(StoreError::SlotUnavailable)
    );
    let s1_now = store
        .get_slot(&ods(PRACTICE), &fid("s1"))
        .await
        .expect("get")
        .expect("slot");
    assert_eq!(s1_now, s1, "the failed booking left s1 untouched");
    assert!(store
        .patient_appointments(
            &ods(PRACTICE),
            &fid("1"),
            date(2030, 1, 1),
            date(2030, 12, 31)
        )
        .await
        .expect("search")
        .is_empty());
    store
        .book(&new_appointment(PRACTICE, "1", &[&s1]))
        .await
        .expect("s1 is still bookable");
}

/// SPEC 3.14: cancelling sets the status and reason, bumps the version, records who cancelled,
/// and frees the slots so they can be booked again.
pub async fn cancelling_frees_the_slots_for_a_new_booking(store: Arc<dyn Store>) {
    setup_practice(&*store, PRACTICE).await;
    let s1 = insert_slot(
        &*store,
        PRACTICE,
        "s1",
        "2030-03-02T09:00:00+00:00",
        "2030-03-02T09:10:00+00:00",
    )
    .await;
    let booked = store
        .book(&new_appointment(PRACTICE, "1", &[&s1]))
        .await
        .expect("book");
    let who = provenance(CANCEL);
    assert_eq!(
        store
            .cancel_appointment(&ods(PRACTICE), &booked.id, "Feeling better", 7, &who)
            .await,
        Err(StoreError::VersionConflict { current: 1 })
    );
    assert_eq!(
        store
            .cancel_appointment(&ods(PRACTICE), &fid("nope"), "x", 1, &who)
            .await,
        Err(StoreError::NotFound)
    );
    let cancelled = store
        .cancel_appointment(&ods(PRACTICE), &booked.id, "Feeling better", 1, &who)
        .await
        .expect("cancel");
    let expected = AppointmentRecord {
        version: 2,
        status: AppointmentStatus::Cancelled,
        cancellation_reason: Some("Feeling better".into()),
        last_changed_by: Some(who.clone()),
        ..booked.clone()
    };
    assert_eq!(cancelled, expected);
    assert_eq!(
        store
            .get_appointment(&ods(PRACTICE), &booked.id)
            .await
            .expect("get"),
        Some(expected)
    );
    let freed = store
        .get_slot(&ods(PRACTICE), &fid("s1"))
        .await
        .expect("get")
        .expect("slot");
    assert_eq!(freed.status, SlotStatus::Free);
    assert_eq!(freed.version, 3, "booked then freed: two new versions");
    assert_eq!(
        ids(&store
            .free_slots(
                &ods(PRACTICE),
                at("2030-03-02T00:00:00+00:00"),
                at("2030-03-03T00:00:00+00:00")
            )
            .await
            .expect("free")
            .slots),
        vec!["s1"]
    );
    assert!(matches!(
        store
            .cancel_appointment(&ods(PRACTICE), &booked.id, "again", 2, &who)
            .await,
        Err(StoreError::Invalid(_))
    ));
    let rebooked = store
        .book(&new_appointment(PRACTICE, "2", &[&s1]))
        .await
        .expect("a freed slot can be booked again");
    assert_ne!(rebooked.id, booked.id);
    assert!(matches!(
        store
            .cancel_appointment(&ods(PRACTICE), &booked.id, "again", 2, &who)
            .await,
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(
        store
            .get_slot(&ods(PRACTICE), &fid("s1"))
            .await
            .expect("get")
            .map(|s| s.status),
        Some(SlotStatus::Busy),
        "re-cancelling the old appointment does not free the new booking's slot"
    );
}

/// Free-slot reads, one after another, each show the slots as they are then: unchanged ones
/// the same, a booked slot gone, a cancelled one back with its new version, and a slot
/// rewritten with the same id and version (a reset and a new seed) as it is now.
pub async fn free_slot_reads_see_every_change_between_them(store: Arc<dyn Store>) {
    let mut data = dataset(PRACTICE);
    assert!(store.seed(&data).await.expect("seed"));
    let p = ods(PRACTICE);
    let (from, to) = (
        at("2030-03-02T00:00:00+00:00"),
        at("2030-03-03T00:00:00+00:00"),
    );
    let free = || async { store.free_slots(&p, from, to).await.expect("free").slots };

    let first = free().await;
    assert_eq!(ids(&first), ["s2", "s3", "s4", "s5", "s6"]);
    assert_eq!(free().await, first, "nothing changed");

    let booked = store
        .book(&new_appointment(PRACTICE, "1", &[&first[0]]))
        .await
        .expect("book s2");
    assert_eq!(ids(&free().await), ["s3", "s4", "s5", "s6"]);

    store
        .cancel_appointment(&p, &booked.id, "Feeling better", 1, &provenance(CANCEL))
        .await
        .expect("cancel");
    let after = free().await;
    assert_eq!(ids(&after), ["s2", "s3", "s4", "s5", "s6"]);
    assert_eq!(after[0].version, 3, "booked then freed: two new versions");
    assert_eq!(after[1..], first[1..]);

    // Slot s3 moves to 11:00 in the new data, keeping its id and version 1.
    store.reset_practice_data().await.expect("reset");
    data.slots[2].start = at("2030-03-02T11:00:00+00:00");
    data.slots[2].end = at("2030-03-02T11:10:00+00:00");
    assert!(store.seed(&data).await.expect("seed again"));
    let reseeded = free().await;
    assert_eq!(ids(&reseeded), ["s2", "s4", "s5", "s6", "s3"]);
    assert_eq!(reseeded[4], data.slots[2]);
}

/// What a booking checks comes back together: the patient whatever their status, each slot in
/// the order asked for (`None` for an unknown id), and the slots' schedules once each.
pub async fn a_booking_reads_its_patient_slots_and_schedules_together(store: Arc<dyn Store>) {
    let mut data = dataset(PRACTICE);
    let mut second = schedule(PRACTICE, "2");
    second.practitioner = None;
    data.schedules.push(second.clone());
    data.slots[4].schedule = fid("2");
    data.patients[1].status = PatientStatus::Inactive;
    assert!(store.seed(&data).await.expect("seed"));
    assert!(store.seed(&dataset(OTHER_PRACTICE)).await.is_ok());
    let p = ods(PRACTICE);

    let found = store
        .booking_records(
            &p,
            &fid("2"),
            &[fid("s5"), fid("nope"), fid("s1"), fid("s3")],
        )
        .await
        .expect("read");
    assert_eq!(found.patient, Some(data.patients[1].clone()));
    let slots: Vec<Option<&str>> = found
        .slots
        .iter()
        .map(|s| s.as_ref().map(|s| s.id.as_str()))
        .collect();
    assert_eq!(slots, [Some("s5"), None, Some("s1"), Some("s3")]);
    assert_eq!(found.slots[0], Some(data.slots[4].clone()));
    assert_eq!(
        found.slots[2].as_ref().map(|s| s.status),
        Some(SlotStatus::Busy),
        "booked in the data set"
    );
    assert_eq!(found.schedules, [data.schedules[0].clone(), second]);

    let none = store
        .booking_records(&p, &fid("9"), &[fid("nope")])
        .await
        .expect("read");
    assert_eq!(
        none,
        BookingRecords {
            patient: None,
            slots: vec![None],
            schedules: vec![],
        }
    );
}

/// SPEC 3.13: an amend stores a new version; slots and status are not changed by it; a stale
/// version is refused.
pub async fn amending_bumps_the_version_and_keeps_slots_and_status(store: Arc<dyn Store>) {
    setup_practice(&*store, PRACTICE).await;
    let s1 = insert_slot(
        &*store,
        PRACTICE,
        "s1",
        "2030-03-02T09:00:00+00:00",
        "2030-03-02T09:10:00+00:00",
    )
    .await;
    let booked = store
        .book(&new_appointment(PRACTICE, "1", &[&s1]))
        .await
        .expect("book");
    let mut amended = booked.clone();
    amended.description = "Knee pain, worse on stairs".into();
    amended.comment = None;
    amended.last_changed_by = Some(provenance(AMEND));
    amended.slots = vec![fid("s9")];
    amended.status = AppointmentStatus::Cancelled;
    let v2 = store.update_appointment(&amended, 1).await.expect("amend");
    let expected = AppointmentRecord {
        version: 2,
        slots: booked.slots.clone(),
        status: AppointmentStatus::Booked,
        ..amended.clone()
    };
    assert_eq!(v2, expected);
    assert_eq!(
        store
            .get_appointment(&ods(PRACTICE), &booked.id)
            .await
            .expect("get"),
        Some(expected)
    );
    assert_eq!(
        store.update_appointment(&amended, 1).await,
        Err(StoreError::VersionConflict { current: 2 })
    );
    let mut ghost = amended.clone();
    ghost.id = fid("nope");
    assert_eq!(
        store.update_appointment(&ghost, 1).await,
        Err(StoreError::NotFound)
    );
    assert_eq!(
        store
            .get_slot(&ods(PRACTICE), &fid("s1"))
            .await
            .expect("get")
            .map(|s| s.status),
        Some(SlotStatus::Busy)
    );
}

/// SPEC 3.15: appointments are selected by the UK date of their start (BST-aware), all
/// statuses, only the patient's own.
pub async fn patient_appointments_are_selected_by_uk_start_date(store: Arc<dyn Store>) {
    setup_practice(&*store, PRACTICE).await;
    let slots = [
        (
            "early",
            "2030-06-30T23:30:00+01:00",
            "2030-06-30T23:50:00+01:00",
        ),
        // 00:10 BST on 1 July is still 30 June in UTC.
        (
            "first",
            "2030-07-01T00:10:00+01:00",
            "2030-07-01T00:20:00+01:00",
        ),
        (
            "mid",
            "2030-07-02T10:00:00+01:00",
            "2030-07-02T10:10:00+01:00",
        ),
        (
            "last",
            "2030-07-03T23:50:00+01:00",
            "2030-07-04T00:00:00+01:00",
        ),
        (
            "late",
            "2030-07-04T00:00:00+01:00",
            "2030-07-04T00:10:00+01:00",
        ),
        (
            "theirs",
            "2030-07-02T11:00:00+01:00",
            "2030-07-02T11:10:00+01:00",
        ),
    ];
    let mut booked = Vec::new();
    for (id, start, end) in slots {
        let s = insert_slot(&*store, PRACTICE, id, start, end).await;
        let who = if id == "theirs" { "2" } else { "1" };
        booked.push(
            store
                .book(&new_appointment(PRACTICE, who, &[&s]))
                .await
                .expect("book"),
        );
    }
    let cancelled = store
        .cancel_appointment(
            &ods(PRACTICE),
            &booked[2].id,
            "No longer needed",
            1,
            &provenance(CANCEL),
        )
        .await
        .expect("cancel");

    let found = store
        .patient_appointments(
            &ods(PRACTICE),
            &fid("1"),
            date(2030, 7, 1),
            date(2030, 7, 3),
        )
        .await
        .expect("search");
    let expected: Vec<AppointmentRecord> = vec![booked[1].clone(), cancelled, booked[3].clone()];
    assert_eq!(found, expected);
    assert!(store
        .patient_appointments(
            &ods(PRACTICE),
            &fid("3"),
            date(2030, 1, 1),
            date(2030, 12, 31)
        )
        .await
        .expect("search")
        .is_empty());
    assert_eq!(
        store
            .patient_appointments(
                &ods(PRACTICE),
                &fid("1"),
                date(2030, 7, 4),
                date(2030, 7, 4)
            )
            .await
            .expect("search")
            .len(),
        1,
        "a single-day range"
    );
}

/// 32 tasks booking the same slot at once: exactly one wins, the rest get `SlotUnavailable`,
/// and exactly one appointment exists.
pub async fn concurrent_bookings_of_one_slot_have_exactly_one_winner(store: Arc<dyn Store>) {
    setup_practice(&*store, PRACTICE).await;
    let s1 = insert_slot(
        &*store,
        PRACTICE,
        "s1",
        "2030-03-02T09:00:00+00:00",
        "2030-03-02T09:10:00+00:00",
    )
    .await;
    let barrier = Arc::new(tokio::sync::Barrier::new(32));
    let tasks: Vec<_> = (0..32)
        .map(|_| {
            let store = Arc::clone(&store);
            let barrier = Arc::clone(&barrier);
            let request = new_appointment(PRACTICE, "1", &[&s1]);
            tokio::spawn(async move {
                barrier.wait().await;
                store.book(&request).await
            })
        })
        .collect();
    let mut winners = Vec::new();
    for t in tasks {
        match t.await.expect("task") {
            Ok(a) => winners.push(a),
            Err(StoreError::SlotUnavailable) => {}
            Err(e) => panic!("a losing booking must fail with SlotUnavailable, got {e}"),
        }
    }
    assert_eq!(winners.len(), 1, "exactly one booking wins");
    let stored = store
        .patient_appointments(
            &ods(PRACTICE),
            &fid("1"),
            date(2030, 3, 2),
            date(2030, 3, 2),
        )
        .await
        .expect("search");
    assert_eq!(stored, winners);
}

/// Seeding loads every record kind once, holds the booked slots, and does nothing when the
/// store already has a practice.
pub async fn seeding_loads_everything_once(store: Arc<dyn Store>) {
    assert!(store.is_empty().await.expect("is_empty"));
    let mut d = dataset(PRACTICE);
    let other = dataset(OTHER_PRACTICE);
    d.practices.extend(other.practices);
    d.patients.extend(other.patients);
    assert!(
        store.seed(&d).await.expect("seed"),
        "an empty store is seeded"
    );
    assert!(!store.is_empty().await.expect("is_empty"));
    assert_eq!(store.practices().await.expect("list").len(), 2);
    let p = ods(PRACTICE);
    assert_eq!(
        store.get_organization(&p, &fid("1")).await.expect("get"),
        Some(d.organizations[0].clone())
    );
    assert_eq!(
        store.get_location(&p, &fid("1")).await.expect("get"),
        Some(d.locations[0].clone())
    );
    assert_eq!(
        store.get_practitioner(&p, &fid("1")).await.expect("get"),
        Some(d.practitioners[0].clone())
    );
    assert_eq!(
        store
            .get_patient(&ods(OTHER_PRACTICE), &fid("2"))
            .await
            .expect("get"),
        Some(patient(OTHER_PRACTICE, "2", "9658220290"))
    );
    assert_eq!(
        store.get_schedule(&p, &fid("1")).await.expect("get"),
        Some(d.schedules[0].clone())
    );
    assert_eq!(
        store.get_slot(&p, &fid("s6")).await.expect("get"),
        Some(d.slots[5].clone())
    );
    assert_eq!(
        store.get_appointment(&p, &fid("a1")).await.expect("get"),
        Some(d.appointments[0].clone())
    );
    let free = store
        .free_slots(
            &p,
            at("2030-03-02T00:00:00+00:00"),
            at("2030-03-03T00:00:00+00:00"),
        )
        .await
        .expect("free");
    assert_eq!(ids(&free.slots), vec!["s2", "s3", "s4", "s5", "s6"]);
    assert_eq!(
        store
            .book(&new_appointment(PRACTICE, "2", &[&d.slots[0]]))
            .await,
        Err(StoreError::SlotUnavailable),
        "the seeded appointment holds its slot"
    );

    let mut again = dataset(PRACTICE);
    again.practices[0].name = "Changed".into();
    assert!(
        !store.seed(&again).await.expect("seed"),
        "a non-empty store is not seeded"
    );
    assert_eq!(
        store.get_practice(&p).await.expect("get").map(|x| x.name),
        Some(format!("Practice {PRACTICE}"))
    );
}

/// Two instances starting at once on one empty database load the dataset exactly once.
pub async fn concurrent_seeding_loads_once(store: Arc<dyn Store>) {
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let store = Arc::clone(&store);
            tokio::spawn(async move { store.seed(&dataset(PRACTICE)).await })
        })
        .collect();
    let mut loaded = 0;
    for t in tasks {
        if t.await.expect("task").expect("seed") {
            loaded += 1;
        }
    }
    assert_eq!(loaded, 1, "exactly one seeding loads");
    assert_eq!(store.practices().await.expect("list").len(), 1);
}

/// An audit event of a read at `practice` (or at no hosted practice).
pub fn audit_event(practice: Option<&str>, status: u16) -> AuditEvent {
    AuditEvent {
        seq: 0,
        at: at("2030-03-02T09:00:00+00:00"),
        practice: practice.map(ods),
        trace_id: Some("09a01679-2564-0fb4-5129-aecc81ea2706".into()),
        interaction: Some("urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1".into()),
        method: "GET".into(),
        path: "/A20047/STU3/1/gpconnect/metadata".into(),
        from_asid: Some("200000000359".into()),
        to_asid: Some("918999198993".into()),
        jwt_user: Some("1".into()),
        jwt_sds_user_id: Some("111222333444".into()),
        jwt_organization_ods: Some("A1001".into()),
        patient: None,
        status,
        spine_code: (status != 200).then(|| "BAD_REQUEST".to_owned()),
        detail: None,
    }
}

/// Seeds [`dataset`] for [`PRACTICE`] with [`OTHER_PRACTICE`]'s practice and patients added.
async fn seed_two_practices(store: &dyn Store) -> Dataset {
    let mut d = dataset(PRACTICE);
    let other = dataset(OTHER_PRACTICE);
    d.practices.extend(other.practices);
    d.patients.extend(other.patients);
    assert!(
        store.seed(&d).await.expect("seed"),
        "an empty store is seeded"
    );
    d
}

/// A reset deletes every record of every practice, bookings included, so that the same data
/// can be seeded again; the audit trail stays whole and its numbering carries on (SPEC 2.13).
pub async fn resetting_deletes_every_practice_record_and_keeps_the_audit_trail(
    store: Arc<dyn Store>,
) {
    store
        .reset_practice_data()
        .await
        .expect("resetting an empty store");
    let d = seed_two_practices(&*store).await;
    let p = ods(PRACTICE);
    let booked = store
        .book(&new_appointment(PRACTICE, "2", &[&d.slots[1]]))
        .await
        .expect("book s2");
    store
        .insert_patient(&patient(PRACTICE, "3", "9476718943"))
        .await
        .expect("register");
    store
        .insert_slots(&[slot(
            PRACTICE,
            "s7",
            "1",
            "2030-03-02T10:00:00+00:00",
            "2030-03-02T10:10:00+00:00",
        )])
        .await
        .expect("add a slot");
    for (practice, status) in [
        (Some(PRACTICE), 200),
        (None, 400),
        (Some(OTHER_PRACTICE), 200),
    ] {
        store
            .append_audit(&audit_event(practice, status))
            .await
            .expect("append");
    }
    let audit_before = store.audit_events(None, 100).await.expect("read");
    let practice_audit_before = store.audit_events(Some(&p), 100).await.expect("read");

    store.reset_practice_data().await.expect("reset");

    assert!(store.is_empty().await.expect("is_empty"));
    assert_eq!(store.practices().await.expect("list"), vec![]);
    for code in [PRACTICE, OTHER_PRACTICE] {
        assert_eq!(store.get_practice(&ods(code)).await.expect("get"), None);
        assert_eq!(
            store.get_patient(&ods(code), &fid("1")).await.expect("get"),
            None
        );
    }
    assert_eq!(store.get_patient(&p, &fid("3")).await.expect("get"), None);
    assert_eq!(
        store
            .find_patient_by_nhs_number(&p, &d.patients[0].nhs_number)
            .await
            .expect("find"),
        None
    );
    assert_eq!(
        store.get_organization(&p, &fid("1")).await.expect("get"),
        None
    );
    assert!(store
        .find_organizations_by_ods_code(&p, &p)
        .await
        .expect("find")
        .is_empty());
    assert_eq!(store.get_location(&p, &fid("1")).await.expect("get"), None);
    assert_eq!(
        store.get_practitioner(&p, &fid("1")).await.expect("get"),
        None
    );
    assert_eq!(store.get_schedule(&p, &fid("1")).await.expect("get"), None);
    assert_eq!(store.get_slot(&p, &fid("s1")).await.expect("get"), None);
    assert_eq!(store.get_slot(&p, &fid("s7")).await.expect("get"), None);
    assert_eq!(
        store.get_appointment(&p, &fid("a1")).await.expect("get"),
        None
    );
    assert_eq!(
        store.get_appointment(&p, &booked.id).await.expect("get"),
        None
    );
    assert!(store
        .patient_appointments(&p, &fid("2"), date(2030, 1, 1), date(2030, 12, 31))
        .await
        .expect("search")
        .is_empty());
    assert_eq!(
        store
            .free_slots(
                &p,
                at("2030-03-02T00:00:00+00:00"),
                at("2030-03-03T00:00:00+00:00")
            )
            .await
            .expect("free"),
        crate::FreeSlots::default()
    );

    assert_eq!(
        store.audit_events(None, 100).await.expect("read"),
        audit_before,
        "the audit trail survives a reset"
    );
    assert_eq!(
        store.audit_events(Some(&p), 100).await.expect("read"),
        practice_audit_before
    );
    let next = store
        .append_audit(&audit_event(Some(PRACTICE), 200))
        .await
        .expect("append");
    assert!(
        audit_before.iter().all(|e| e.seq < next),
        "sequence numbers carry on after a reset"
    );

    seed_two_practices(&*store).await;
    assert_eq!(
        store.get_appointment(&p, &fid("a1")).await.expect("get"),
        Some(d.appointments[0].clone())
    );
    assert_eq!(
        store.get_slot(&p, &fid("s2")).await.expect("get"),
        Some(d.slots[1].clone()),
        "the slot booked before the reset is free in the fresh data"
    );
    store
        .book(&new_appointment(PRACTICE, "2", &[&d.slots[1]]))
        .await
        .expect("s2 can be booked again");
    store
        .insert_patient(&patient(PRACTICE, "3", "9476718943"))
        .await
        .expect("the same patient can register again");
}

/// Instances resetting and seeding at once never fail and never leave half a dataset: at the
/// end the store holds the dataset exactly once.
pub async fn resets_and_seedings_racing_leave_one_whole_dataset(store: Arc<dyn Store>) {
    let barrier = Arc::new(tokio::sync::Barrier::new(4));
    let tasks: Vec<_> = (0..4)
        .map(|_| {
            let store = Arc::clone(&store);
            let barrier = Arc::clone(&barrier);
            tokio::spawn(async move {
                barrier.wait().await;
                store.reset_practice_data().await?;
                store.seed(&dataset(PRACTICE)).await
            })
        })
        .collect();
    for t in tasks {
        t.await.expect("task").expect("reset and seed");
    }
    let d = dataset(PRACTICE);
    let p = ods(PRACTICE);
    let practices: Vec<Practice> = store
        .practices()
        .await
        .expect("list")
        .into_iter()
        .map(unversioned)
        .collect();
    assert_eq!(practices, d.practices);
    assert_eq!(
        store.get_appointment(&p, &fid("a1")).await.expect("get"),
        Some(d.appointments[0].clone())
    );
    assert_eq!(
        ids(&store
            .free_slots(
                &p,
                at("2030-03-02T00:00:00+00:00"),
                at("2030-03-03T00:00:00+00:00")
            )
            .await
            .expect("free")
            .slots),
        vec!["s2", "s3", "s4", "s5", "s6"]
    );
}

/// Bookings racing a reset either complete before it (and are deleted by it) or find their
/// patient gone afterwards (`NotFound`); the reset itself never fails because of them.
pub async fn bookings_racing_a_reset_are_refused_or_deleted(store: Arc<dyn Store>) {
    let d = seed_two_practices(&*store).await;
    let barrier = Arc::new(tokio::sync::Barrier::new(d.slots.len()));
    let bookings: Vec<_> = d.slots[1..]
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let store = Arc::clone(&store);
            let barrier = Arc::clone(&barrier);
            let request = new_appointment(PRACTICE, if i % 2 == 0 { "1" } else { "2" }, &[s]);
            tokio::spawn(async move {
                barrier.wait().await;
                store.book(&request).await
            })
        })
        .collect();
    let reset = {
        let store = Arc::clone(&store);
        let barrier = Arc::clone(&barrier);
        tokio::spawn(async move {
            barrier.wait().await;
            store.reset_practice_data().await
        })
    };
    for b in bookings {
        match b.await.expect("task") {
            Ok(_) | Err(StoreError::NotFound) => {}
            Err(e) => panic!("a booking racing a reset must succeed or find nothing, got {e}"),
        }
    }
    reset.await.expect("task").expect("reset");
    assert!(store.is_empty().await.expect("is_empty"));
    for s in &d.slots {
        assert_eq!(
            store.get_slot(&ods(PRACTICE), &s.id).await.expect("get"),
            None
        );
    }
    seed_two_practices(&*store).await;
}

/// SPEC 2.13: audit events get strictly increasing sequence numbers and are read back newest
/// first, per practice.
pub async fn audit_sequence_numbers_increase(store: Arc<dyn Store>) {
    store
        .insert_practice(&practice(PRACTICE))
        .await
        .expect("practice");
    let mut seqs = Vec::new();
    for (p, status) in [
        (Some(PRACTICE), 200),
        (None, 400),
        (Some(PRACTICE), 400),
        (Some(OTHER_PRACTICE), 200),
    ] {
        seqs.push(
            store
                .append_audit(&audit_event(p, status))
                .await
                .expect("append"),
        );
    }
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "strictly increasing: {seqs:?}"
    );

    let tasks: Vec<_> = (0..16)
        .map(|_| {
            let store = Arc::clone(&store);
            let e = audit_event(Some(PRACTICE), 200);
            tokio::spawn(async move { store.append_audit(&e).await })
        })
        .collect();
    let mut concurrent = BTreeSet::new();
    for t in tasks {
        concurrent.insert(t.await.expect("task").expect("append"));
    }
    assert_eq!(
        concurrent.len(),
        16,
        "concurrent appends get distinct numbers"
    );
    assert!(concurrent.iter().all(|s| *s > seqs[3]));

    let latest = store
        .audit_events(Some(&ods(PRACTICE)), 100)
        .await
        .expect("read");
    assert_eq!(latest.len(), 18);
    assert!(
        latest.windows(2).all(|w| w[0].seq > w[1].seq),
        "newest first"
    );
    let oldest = latest.last().expect("events");
    assert_eq!(
        *oldest,
        AuditEvent {
            seq: seqs[0],
            ..audit_event(Some(PRACTICE), 200)
        }
    );
    let two = store
        .audit_events(Some(&ods(PRACTICE)), 2)
        .await
        .expect("read");
    assert_eq!(two, latest[..2].to_vec());
    let all = store.audit_events(None, 1000).await.expect("read");
    assert_eq!(all.len(), 20);
    assert_eq!(all.last().map(|e| e.seq), Some(seqs[0]));
}

/// SPEC 2.13: a batch of audit events (the server's audit writer) is stored in order, with
/// sequence numbers that go on from earlier events, and reads back exactly as single appends
/// would; concurrent batches and single appends never share a number.
pub async fn audit_batches_are_numbered_in_order_after_earlier_events(store: Arc<dyn Store>) {
    store
        .insert_practice(&practice(PRACTICE))
        .await
        .expect("practice");
    let first = store
        .append_audit(&audit_event(Some(PRACTICE), 200))
        .await
        .expect("append");
    assert_eq!(
        store.append_audit_batch(&[]).await.expect("empty batch"),
        Vec::<i64>::new()
    );

    let batch: Vec<AuditEvent> = [
        (Some(PRACTICE), 200),
        (None, 400),
        (Some(OTHER_PRACTICE), 404),
        (Some(PRACTICE), 409),
        (Some(PRACTICE), 200),
    ]
    .into_iter()
    .enumerate()
    .map(|(i, (p, status))| AuditEvent {
        // A seq sent in is ignored, as for a single append.
        seq: 1000 + i as i64,
        detail: Some(format!("event {i} of the batch")),
        ..audit_event(p, status)
    })
    .collect();
    let seqs = store.append_audit_batch(&batch).await.expect("batch");
    assert_eq!(seqs.len(), batch.len(), "one number per event: {seqs:?}");
    assert!(
        seqs.windows(2).all(|w| w[0] < w[1]),
        "numbered in batch order: {seqs:?}"
    );
    assert!(seqs[0] > first, "after the earlier event: {seqs:?}");
    let after = store
        .append_audit(&audit_event(Some(PRACTICE), 200))
        .await
        .expect("append");
    assert!(after > seqs[4], "numbering carries on after the batch");

    let mut stored = store.audit_events(None, 100).await.expect("read");
    stored.reverse();
    let expected: Vec<AuditEvent> = std::iter::once(AuditEvent {
        seq: first,
        ..audit_event(Some(PRACTICE), 200)
    })
    .chain(batch.iter().zip(&seqs).map(|(e, seq)| AuditEvent {
        seq: *seq,
        ..e.clone()
    }))
    .chain(std::iter::once(AuditEvent {
        seq: after,
        ..audit_event(Some(PRACTICE), 200)
    }))
    .collect();
    assert_eq!(stored, expected, "read back whole, oldest to newest");
    let at_practice = store
        .audit_events(Some(&ods(PRACTICE)), 100)
        .await
        .expect("read");
    assert_eq!(
        at_practice.iter().map(|e| e.seq).collect::<Vec<_>>(),
        [after, seqs[4], seqs[3], seqs[0], first],
        "the batch's events are found by practice"
    );

    // A batch larger than a back end's statement size keeps its order across statements.
    let big: Vec<AuditEvent> = (0..300)
        .map(|i| AuditEvent {
            detail: Some(format!("big {i}")),
            ..audit_event(Some(PRACTICE), 200)
        })
        .collect();
    let big_seqs = store.append_audit_batch(&big).await.expect("big batch");
    assert_eq!(big_seqs.len(), big.len());
    assert!(big_seqs.windows(2).all(|w| w[0] < w[1]), "{big_seqs:?}");
    let mut stored = store.audit_events(None, 300).await.expect("read");
    stored.reverse();
    let expected: Vec<AuditEvent> = big
        .iter()
        .zip(&big_seqs)
        .map(|(e, seq)| AuditEvent {
            seq: *seq,
            ..e.clone()
        })
        .collect();
    assert_eq!(stored, expected, "each event under its own number");

    // Batches and single appends racing each other.
    let tasks: Vec<_> = (0..8)
        .map(|t| {
            let store = Arc::clone(&store);
            tokio::spawn(async move {
                if t % 2 == 0 {
                    let events = vec![audit_event(Some(PRACTICE), 200); 20];
                    store.append_audit_batch(&events).await
                } else {
                    let e = audit_event(None, 200);
                    store.append_audit(&e).await.map(|seq| vec![seq])
                }
            })
        })
        .collect();
    let mut all = BTreeSet::new();
    for task in tasks {
        let seqs = task.await.expect("task").expect("append");
        assert!(
            seqs.windows(2).all(|w| w[0] < w[1]),
            "each batch in order: {seqs:?}"
        );
        assert!(seqs.iter().all(|s| *s > after));
        all.extend(seqs);
    }
    assert_eq!(all.len(), 4 * 20 + 4, "every event has its own number");
    assert_eq!(
        store.audit_events(None, 1000).await.expect("read").len(),
        7 + 300 + 4 * 20 + 4
    );
}

// ---------------------------------------------------------------------------------------------
// Organisation access limits (SPEC 5)
// ---------------------------------------------------------------------------------------------

/// An organisation access limit of `per_day` slots for the given types and codes.
pub fn booking_limit(
    practice: &str,
    id: &str,
    org_types: &[OrgType],
    codes: &[&str],
    per_day: u32,
) -> BookingLimit {
    BookingLimit {
        practice: ods(practice),
        id: fid(id),
        name: format!("limit {id}"),
        org_types: org_types.to_vec(),
        ods_codes: codes.iter().map(|c| ods(c)).collect(),
        slots_per_day: per_day,
    }
}

/// A booking of `slots` made for the organisation with `code` and `org_type`.
fn booking_for(slots: &[&SlotRecord], code: &str, org_type: Option<OrgType>) -> NewAppointment {
    NewAppointment {
        booked_for: Some(BookingParty {
            ods_code: Some(ods(code)),
            org_type: org_type.map(|t| t.code().to_owned()),
        }),
        ..new_appointment(PRACTICE, "1", slots)
    }
}

/// Ten-minute slots `s1`..`s{n}` from 09:00 GMT on 2 March 2030 in the practice set up by
/// `setup_practice`.
async fn morning_slots(store: &dyn Store, n: u32) -> Vec<SlotRecord> {
    let mut slots = Vec::new();
    for i in 0..n {
        let start = at("2030-03-02T09:00:00+00:00").unix_seconds() + i64::from(i) * 600;
        let at_unix = |secs: i64| {
            UkDateTime::from_unix_seconds(secs)
                .expect("fixture instant")
                .to_string()
        };
        slots.push(
            insert_slot(
                store,
                PRACTICE,
                &format!("s{}", i + 1),
                &at_unix(start),
                &at_unix(start + 600),
            )
            .await,
        );
    }
    slots
}

pub async fn booking_limits_round_trip_and_move_the_diary_on(store: Arc<dyn Store>) {
    setup_practice(&*store, PRACTICE).await;
    let version = |store: Arc<dyn Store>| async move {
        store
            .get_practice(&ods(PRACTICE))
            .await
            .expect("read")
            .expect("practice")
            .diary_version
    };
    let before = version(Arc::clone(&store)).await;
    let b = booking_limit(PRACTICE, "b", &[], &["A1001", "B2002"], 3);
    let a = booking_limit(PRACTICE, "a", &[OrgType::UrgentCare], &[], 0);
    store.insert_booking_limit(&b).await.expect("insert");
    store.insert_booking_limit(&a).await.expect("insert");
    assert!(version(Arc::clone(&store)).await > before);
    assert_eq!(
        store.booking_limits(&ods(PRACTICE)).await.expect("read"),
        vec![a.clone(), b]
    );
    assert_eq!(
        store.insert_booking_limit(&a).await,
        Err(StoreError::Duplicate)
    );
    assert_eq!(
        store
            .insert_booking_limit(&booking_limit(OTHER_PRACTICE, "a", &[], &[], 1))
            .await,
        Err(StoreError::NotFound)
    );
    assert!(store
        .booking_limits(&ods(OTHER_PRACTICE))
        .await
        .expect("read")
        .is_empty());
    // Removing one moves the diary on too; removing it again finds nothing.
    let before_removal = version(Arc::clone(&store)).await;
    store
        .delete_booking_limit(&ods(PRACTICE), &fid("a"))
        .await
        .expect("delete");
    assert!(version(Arc::clone(&store)).await > before_removal);
    assert_eq!(
        store
            .booking_limits(&ods(PRACTICE))
            .await
            .expect("read")
            .iter()
            .map(|l| l.id.as_str())
            .collect::<Vec<_>>(),
        vec!["b"]
    );
    assert_eq!(
        store.delete_booking_limit(&ods(PRACTICE), &fid("a")).await,
        Err(StoreError::NotFound)
    );
}

pub async fn a_booking_limit_refuses_bookings_beyond_it_for_the_organisations_it_covers(
    store: Arc<dyn Store>,
) {
    setup_practice(&*store, PRACTICE).await;
    let s = morning_slots(&*store, 6).await;
    // Urgent care services, and the organisation A1001 whatever its type: 3 slots a day.
    store
        .insert_booking_limit(&booking_limit(
            PRACTICE,
            "111",
            &[OrgType::UrgentCare],
            &["A1001"],
            3,
        ))
        .await
        .expect("insert");
    // Two adjacent slots for A1001, one for another urgent care service: 3 of 3.
    store
        .book(&booking_for(&[&s[0], &s[1]], "A1001", None))
        .await
        .expect("within the limit");
    store
        .book(&booking_for(&[&s[2]], "C3003", Some(OrgType::UrgentCare)))
        .await
        .expect("within the limit");
    // A fourth slot for an organisation the limit covers is refused, and nothing is kept.
    let refused = store
        .book(&booking_for(&[&s[3]], "D4004", Some(OrgType::UrgentCare)))
        .await;
    match refused {
        Err(StoreError::Invalid(reason)) => assert!(reason.contains("limit 111"), "{reason}"),
        other => panic!("a booking beyond the limit must be Invalid, got {other:?}"),
    }
    // So is one for an urgent care service whose ODS code is not known (not well formed).
    let no_code = NewAppointment {
        booked_for: Some(BookingParty {
            ods_code: None,
            org_type: Some("urgent-care".into()),
        }),
        ..new_appointment(PRACTICE, "1", &[&s[3]])
    };
    assert!(matches!(
        store.book(&no_code).await,
        Err(StoreError::Invalid(_))
    ));
    let s4 = store
        .get_slot(&ods(PRACTICE), &fid("s4"))
        .await
        .expect("read")
        .expect("slot");
    assert_eq!(
        s4.status,
        SlotStatus::Free,
        "a refused booking takes no slot"
    );
    // Organisations it does not cover book as before.
    let other = store
        .book(&booking_for(&[&s[3]], "E5005", Some(OrgType::GpPractice)))
        .await
        .expect("not covered");
    let practice_system = NewAppointment {
        booked_for: None,
        booked_via_gp_connect: false,
        ..new_appointment(PRACTICE, "1", &[&s[4]])
    };
    store
        .book(&practice_system)
        .await
        .expect("the practice's own bookings are not limited");
    // What the limits count: every slot booked for an organisation that day.
    let mut booked = store
        .booked_slots(&ods(PRACTICE), date(2030, 3, 2), date(2030, 3, 2))
        .await
        .expect("read");
    booked.sort_by_key(|b| b.start);
    let seen: Vec<(String, &str, Option<&str>)> = booked
        .iter()
        .map(|b| {
            (
                b.start.to_string(),
                b.party.ods_code.as_ref().map_or("", OdsCode::as_str),
                b.party.org_type.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            ("2030-03-02T09:00:00+00:00".to_owned(), "A1001", None),
            ("2030-03-02T09:10:00+00:00".to_owned(), "A1001", None),
            (
                "2030-03-02T09:20:00+00:00".to_owned(),
                "C3003",
                Some("urgent-care")
            ),
            (
                "2030-03-02T09:30:00+00:00".to_owned(),
                "E5005",
                Some("gp-practice")
            ),
        ]
    );
    // Cancelling gives the covered organisations their slot back.
    store
        .cancel_appointment(
            &ods(PRACTICE),
            &other.id,
            "Not needed",
            1,
            &provenance(CANCEL),
        )
        .await
        .expect("cancel");
    let first = store
        .patient_appointments(
            &ods(PRACTICE),
            &fid("1"),
            date(2030, 3, 2),
            date(2030, 3, 2),
        )
        .await
        .expect("read")
        .into_iter()
        .find(|a| a.slots.contains(&fid("s1")))
        .expect("the A1001 booking");
    store
        .cancel_appointment(
            &ods(PRACTICE),
            &first.id,
            "Not needed",
            1,
            &provenance(CANCEL),
        )
        .await
        .expect("cancel");
    store
        .book(&booking_for(&[&s[3]], "D4004", Some(OrgType::UrgentCare)))
        .await
        .expect("room again after a cancellation");
    // Another day is counted apart.
    let next_day = insert_slot(
        &*store,
        PRACTICE,
        "t1",
        "2030-03-03T09:00:00+00:00",
        "2030-03-03T09:10:00+00:00",
    )
    .await;
    store
        .book(&booking_for(&[&next_day], "A1001", None))
        .await
        .expect("another day");
}

pub async fn seeded_and_cancelled_bookings_count_as_they_hold_slots(store: Arc<dyn Store>) {
    // The dataset's appointment a1 holds s1 and was booked through GP Connect for A1001.
    let mut data = dataset(PRACTICE);
    data.booking_limits = vec![booking_limit(PRACTICE, "l", &[], &["A1001"], 2)];
    assert!(store.seed(&data).await.expect("seed"));
    assert_eq!(
        store.booking_limits(&ods(PRACTICE)).await.expect("read"),
        data.booking_limits
    );
    let slot = |id: &str| {
        data.slots
            .iter()
            .find(|s| s.id.as_str() == id)
            .expect("fixture slot")
            .clone()
    };
    let (s2, s3) = (slot("s2"), slot("s3"));
    store
        .book(&booking_for(&[&s2], "A1001", None))
        .await
        .expect("second of two");
    assert!(matches!(
        store.book(&booking_for(&[&s3], "A1001", None)).await,
        Err(StoreError::Invalid(_))
    ));
}

pub async fn concurrent_bookings_never_go_beyond_a_limit_together(store: Arc<dyn Store>) {
    setup_practice(&*store, PRACTICE).await;
    let slots = morning_slots(&*store, 12).await;
    store
        .insert_booking_limit(&booking_limit(
            PRACTICE,
            "111",
            &[OrgType::UrgentCare],
            &[],
            4,
        ))
        .await
        .expect("insert");
    let barrier = Arc::new(tokio::sync::Barrier::new(slots.len()));
    let tasks: Vec<_> = slots
        .iter()
        .enumerate()
        .map(|(i, slot)| {
            let store = Arc::clone(&store);
            let barrier = Arc::clone(&barrier);
            let request = booking_for(&[slot], &format!("U{i:04}"), Some(OrgType::UrgentCare));
            tokio::spawn(async move {
                barrier.wait().await;
                store.book(&request).await
            })
        })
        .collect();
    let mut booked = 0;
    for t in tasks {
        match t.await.expect("task") {
            Ok(_) => booked += 1,
            Err(StoreError::Invalid(_)) => {}
            Err(e) => panic!("a booking beyond the limit must be Invalid, got {e}"),
        }
    }
    assert_eq!(booked, 4, "exactly the limit is booked");
    let held = store
        .booked_slots(&ods(PRACTICE), date(2030, 3, 2), date(2030, 3, 2))
        .await
        .expect("read");
    assert_eq!(held.len(), 4);
}
