//! Appointment Management through the client and its workflows against the real provider
//! (SPEC 3.11–3.15): the patient journey, the errors a consumer must handle, and recovery from
//! a lost booking answer.
// Tests and their support may unwrap: a panic is a test failure with a clear location.
#![allow(clippy::unwrap_used)]

mod support;

use gpconnect_client::appointments::{cancellation_reason, participant_id, slot_ids};
use gpconnect_client::{
    Amendment, BookingDetails, BookingOrganisation, ClientError, FreeSlot, GpConnectClient,
    SlotSearch, WorkflowError,
};
use gpconnect_demo::fixtures::fixture_patient;
use gpconnect_domain::records::OrgType;
use gpconnect_domain::{FhirId, NhsNumber, OdsCode, SpineCode, UkDateTime};
use jiff::ToSpan;
use support::{config, Provider, CONSUMER_ODS};

fn next_week() -> SlotSearch {
    let today = UkDateTime::now().uk_date();
    SlotSearch::new(
        today.checked_add(1.day()).unwrap(),
        today.checked_add(8.days()).unwrap(),
    )
    .for_consumer(
        OdsCode::parse(CONSUMER_ODS).unwrap(),
        Some(OrgType::UrgentCare),
    )
}

/// The logical id of the fixture patient `key`, found by NHS number as a consumer would.
async fn patient_id(client: &GpConnectClient, key: &str) -> FhirId {
    let nhs = NhsNumber::parse(fixture_patient(key).unwrap().nhs_number).unwrap();
    let found = client.find_patient(&nhs).await.unwrap();
    FhirId::parse(found[0].resource.id.as_deref().unwrap()).unwrap()
}

fn details(client: &GpConnectClient, patient: &FhirId) -> BookingDetails {
    BookingDetails {
        patient_id: patient.clone(),
        description: "Review after urgent care visit".into(),
        comment: Some("Booked by the hub".into()),
        booking_organisation: BookingOrganisation::from_config(&client.config().organisation)
            .unwrap(),
    }
}

/// Two free slots on different schedules, so the second can replace the first.
fn two_slots(slots: &[FreeSlot]) -> (FreeSlot, FreeSlot) {
    let first = slots[0].clone();
    let second = slots
        .iter()
        .find(|s| s.schedule_id != first.schedule_id)
        .unwrap()
        .clone();
    (first, second)
}

#[tokio::test]
async fn find_search_book_read_amend_rebook_and_cancel() {
    let provider = Provider::start().await;
    let client = provider.client();
    let patient = patient_id(&client, "patient7").await;
    let search = next_week();
    let free = client.search_free_slots(&search).await.unwrap();
    let (slot, replacement) = two_slots(&free.slots);
    let details = details(&client, &patient);

    // Book, checked and read back.
    let booked = client
        .book_and_confirm(std::slice::from_ref(&slot), &details, &search)
        .await
        .unwrap();
    assert!(!booked.recovered);
    let appointment = &booked.appointment;
    assert_eq!(appointment.resource.status, "booked");
    assert_eq!(
        slot_ids(&appointment.resource),
        std::slice::from_ref(&slot.id)
    );
    assert_eq!(
        participant_id(&appointment.resource, "Patient"),
        Some(patient.clone())
    );
    assert_eq!(
        appointment
            .resource
            .start
            .as_deref()
            .map(|s| UkDateTime::parse(s).unwrap()),
        Some(slot.start)
    );
    let id = FhirId::parse(appointment.resource.id.as_deref().unwrap()).unwrap();
    let first_version = appointment.version_id.clone().unwrap();

    // The slot is no longer offered.
    let again = client.search_free_slots(&search).await.unwrap();
    assert!(again.get(slot.id.as_str()).is_none());

    // Amend the version held.
    let amended = client
        .amend_latest(
            &id,
            &Amendment {
                description: Some("Review of wound dressing".into()),
                comment: Some("Patient asked for a female clinician".into()),
            },
        )
        .await
        .unwrap();
    assert_eq!(
        amended.resource.description.as_deref(),
        Some("Review of wound dressing")
    );
    assert_ne!(amended.version_id.as_deref(), Some(first_version.as_str()));
    let read = client.read_appointment(&id).await.unwrap();
    assert_eq!(read.resource.comment, amended.resource.comment);
    assert_eq!(read.version_id, amended.version_id);

    // Move it: the new slot is booked first, then the old appointment cancelled.
    let moved = client
        .rebook(
            &read,
            std::slice::from_ref(&replacement),
            &details,
            &search,
            "Patient asked for another time",
        )
        .await
        .unwrap();
    assert_eq!(moved.cancelled.resource.status, "cancelled");
    assert_eq!(
        cancellation_reason(&moved.cancelled.resource),
        Some("Patient asked for another time")
    );
    let new_appointment = &moved.new_appointment.appointment;
    assert_eq!(
        slot_ids(&new_appointment.resource),
        std::slice::from_ref(&replacement.id)
    );

    // The patient's appointments show both, cancelled included (SPEC 3.15).
    let today = UkDateTime::now().uk_date();
    let all = client
        .patient_appointments(&patient, today, today.checked_add(14.days()).unwrap())
        .await
        .unwrap();
    let status_of = |wanted: &str| {
        all.iter()
            .find(|a| a.resource.id.as_deref() == Some(wanted))
            .map(|a| a.resource.status.clone())
    };
    assert_eq!(status_of(id.as_str()).as_deref(), Some("cancelled"));
    assert_eq!(
        status_of(new_appointment.resource.id.as_deref().unwrap()).as_deref(),
        Some("booked")
    );

    // The cancelled slot is offered again (SPEC 3.14: a 200 leaves the slot consistent).
    let freed = client.search_free_slots(&search).await.unwrap();
    assert!(freed.get(slot.id.as_str()).is_some());

    // Cancel the new one directly.
    let cancelled = client
        .cancel_appointment(new_appointment, "No longer needed")
        .await
        .unwrap();
    assert_eq!(cancelled.resource.status, "cancelled");
    assert_ne!(cancelled.version_id, new_appointment.version_id);
}

#[tokio::test]
async fn a_slot_booked_by_someone_else_is_duplicate_rejected() {
    let provider = Provider::start().await;
    let client = provider.client();
    let first_patient = patient_id(&client, "patient2").await;
    let second_patient = patient_id(&client, "patient3").await;
    let search = next_week();
    let free = client.search_free_slots(&search).await.unwrap();
    let slot = free.slots[0].clone();

    client
        .book(
            std::slice::from_ref(&slot),
            &details(&client, &first_patient),
        )
        .await
        .unwrap();

    let err = client
        .book(
            std::slice::from_ref(&slot),
            &details(&client, &second_patient),
        )
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(409), "{err}");
    assert_eq!(
        err.spine_code(),
        Some(SpineCode::DuplicateRejected),
        "{err}"
    );
    assert!(!err.outcome_unknown());

    // The workflow notices before sending anything.
    let err = client
        .book_and_confirm(
            std::slice::from_ref(&slot),
            &details(&client, &second_patient),
            &search,
        )
        .await
        .unwrap_err();
    match err {
        WorkflowError::SlotNoLongerFree { slot_ids } => {
            assert_eq!(slot_ids, [slot.id.to_string()])
        }
        other => panic!("{other}"),
    }
}

#[tokio::test]
async fn an_out_of_date_version_cannot_amend_or_cancel() {
    let provider = Provider::start().await;
    let client = provider.client();
    let patient = patient_id(&client, "patient4").await;
    let free = client.search_free_slots(&next_week()).await.unwrap();
    let booked = client
        .book(&free.slots[..1], &details(&client, &patient))
        .await
        .unwrap();
    client
        .amend_appointment(
            &booked,
            &Amendment {
                description: Some("Changed elsewhere".into()),
                comment: None,
            },
        )
        .await
        .unwrap();

    let stale_amend = client
        .amend_appointment(
            &booked,
            &Amendment {
                description: None,
                comment: Some("Would overwrite the change".into()),
            },
        )
        .await
        .unwrap_err();
    assert_eq!(stale_amend.status(), Some(409), "{stale_amend}");

    let stale_cancel = client
        .cancel_appointment(&booked, "Too late")
        .await
        .unwrap_err();
    assert_eq!(stale_cancel.status(), Some(409), "{stale_cancel}");
    assert_eq!(
        stale_cancel.spine_code(),
        Some(SpineCode::FhirConstraintViolation),
        "{stale_cancel}"
    );
}

#[tokio::test]
async fn a_lost_booking_answer_is_recovered_without_booking_twice() {
    let provider = Provider::start().await;
    let ssp = support::ssp::SspStub::start().await;
    let mut via_ssp = config(&provider.main_practice());
    via_ssp.ssp_url_prefix = Some(ssp.prefix());
    let client = GpConnectClient::new(via_ssp).unwrap();
    let patient = patient_id(&client, "patient5").await;
    let search = next_week();
    let free = client.search_free_slots(&search).await.unwrap();
    let slot = free.slots[0].clone();

    ssp.lose_next_booking_answer();
    let booked = client
        .book_and_confirm(
            std::slice::from_ref(&slot),
            &details(&client, &patient),
            &search,
        )
        .await
        .unwrap();
    assert!(booked.recovered);
    assert_eq!(
        slot_ids(&booked.appointment.resource),
        std::slice::from_ref(&slot.id)
    );

    let create = "urn:nhs:names:services:gpconnect:fhir:rest:create:appointment-1";
    let retrieve = "urn:nhs:names:services:gpconnect:fhir:rest:search:patient_appointments-1";
    let forwarded = ssp.forwarded();
    let creates = forwarded.iter().filter(|i| *i == create).count();
    assert_eq!(creates, 1, "the booking was not sent again: {forwarded:?}");
    let create_at = forwarded.iter().position(|i| i == create).unwrap();
    assert_eq!(
        forwarded.get(create_at + 1).map(String::as_str),
        Some(retrieve)
    );

    let today = UkDateTime::now().uk_date();
    let held = client
        .patient_appointments(&patient, today, today.checked_add(14.days()).unwrap())
        .await
        .unwrap();
    assert_eq!(held.len(), 1, "exactly one appointment");
}

#[tokio::test]
async fn a_lost_answer_to_a_plain_booking_is_reported_as_ambiguous() {
    let provider = Provider::start().await;
    let ssp = support::ssp::SspStub::start().await;
    let mut via_ssp = config(&provider.main_practice());
    via_ssp.ssp_url_prefix = Some(ssp.prefix());
    let client = GpConnectClient::new(via_ssp).unwrap();
    let patient = patient_id(&client, "patient6").await;
    let free = client.search_free_slots(&next_week()).await.unwrap();

    ssp.lose_next_booking_answer();
    let err = client
        .book(&free.slots[..1], &details(&client, &patient))
        .await
        .unwrap_err();
    assert!(
        matches!(err, ClientError::Http { status: 504, .. }),
        "{err}"
    );
    assert!(err.outcome_unknown());
    let creates = ssp
        .forwarded()
        .iter()
        .filter(|i| i.ends_with(":create:appointment-1"))
        .count();
    assert_eq!(creates, 1, "a POST is never retried blindly");
}
