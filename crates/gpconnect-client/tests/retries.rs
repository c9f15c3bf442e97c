//! When the client sends a request again, and when it must not: reads are retried on
//! gateway errors and timeouts with a fresh trace id and JWT; a booking is sent once.
// Tests and their support may unwrap: a panic is a test failure with a clear location.
#![allow(clippy::unwrap_used)]

mod support;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use gpconnect_client::appointments::build_appointment;
use gpconnect_client::{
    BookingDetails, BookingOrganisation, ClientError, GpConnectClient, ProviderEndpoint,
    RetryPolicy, SlotSearch,
};
use gpconnect_demo::fixtures::fixture_patient;
use gpconnect_domain::{Asid, FhirId, UkDateTime};
use jiff::ToSpan;
use support::{config, Provider};
use tokio::io::AsyncReadExt;

#[tokio::test]
async fn a_busy_gateway_is_retried_with_a_fresh_trace_id_each_time() {
    let provider = Provider::start().await;
    let ssp = support::ssp::SspStub::start().await;
    let mut via_ssp = config(&provider.main_practice());
    via_ssp.ssp_url_prefix = Some(ssp.prefix());
    let client = GpConnectClient::new(via_ssp).unwrap();
    let patient1 = fixture_patient("patient1").unwrap();

    ssp.refuse_next(2);
    let read = client
        .read_patient(&FhirId::parse(patient1.logical_id).unwrap())
        .await
        .unwrap();
    assert_eq!(read.resource.id.as_deref(), Some(patient1.logical_id));
    let traces = ssp.trace_ids();
    assert_eq!(traces.len(), 3, "two refusals, then the provider");
    assert!(
        traces[0] != traces[1] && traces[1] != traces[2],
        "{traces:?}"
    );

    // With the attempts used up, the last refusal is the answer.
    ssp.refuse_next(3);
    let err = client
        .read_patient(&FhirId::parse(patient1.logical_id).unwrap())
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(503), "{err}");
}

#[tokio::test]
async fn a_refused_booking_is_not_sent_again() {
    let provider = Provider::start().await;
    let ssp = support::ssp::SspStub::start().await;
    let mut via_ssp = config(&provider.main_practice());
    via_ssp.ssp_url_prefix = Some(ssp.prefix());
    let client = GpConnectClient::new(via_ssp).unwrap();
    let today = UkDateTime::now().uk_date();
    let search = SlotSearch::new(
        today.checked_add(1.day()).unwrap(),
        today.checked_add(2.days()).unwrap(),
    );
    let free = client.search_free_slots(&search).await.unwrap();
    let details = BookingDetails {
        patient_id: FhirId::parse(fixture_patient("patient8").unwrap().logical_id).unwrap(),
        description: "Dressing change".into(),
        comment: None,
        booking_organisation: BookingOrganisation::from_config(&client.config().organisation)
            .unwrap(),
    };

    let before = ssp.trace_ids().len();
    ssp.refuse_next(1);
    let err = client.book(&free.slots[..1], &details).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(
        err.outcome_unknown(),
        "a POST answered 5xx may have been applied"
    );
    assert_eq!(ssp.trace_ids().len(), before + 1, "sent exactly once");
}

/// A server that accepts connections and never answers; counts the connections.
async fn silent_server() -> (ProviderEndpoint, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let accepted = Arc::new(AtomicUsize::new(0));
    let counter = accepted.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            counter.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let mut buffer = [0u8; 4096];
                while matches!(socket.read(&mut buffer).await, Ok(n) if n > 0) {}
            });
        }
    });
    let endpoint = ProviderEndpoint {
        base_url: format!("http://{addr}/A20047/STU3/1/gpconnect"),
        provider_asid: Asid::parse("918999198993").unwrap(),
    };
    (endpoint, accepted)
}

#[tokio::test]
async fn a_silent_provider_times_out_reads_are_retried_and_writes_are_not() {
    let (endpoint, accepted) = silent_server().await;
    let mut quick = config(&endpoint);
    quick.timeout = Duration::from_millis(300);
    quick.retry = RetryPolicy {
        max_attempts: 2,
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(10),
    };
    let client = GpConnectClient::new(quick).unwrap();

    let err = client.metadata().await.unwrap_err();
    assert!(matches!(err, ClientError::Timeout { .. }), "{err}");
    assert_eq!(accepted.load(Ordering::SeqCst), 2, "a read is tried twice");

    let slot_start = UkDateTime::now().timestamp() + jiff::SignedDuration::from_hours(48);
    let slot = gpconnect_client::FreeSlot {
        id: FhirId::parse("10").unwrap(),
        start: UkDateTime::from_timestamp(slot_start),
        end: UkDateTime::from_timestamp(slot_start + jiff::SignedDuration::from_mins(10)),
        schedule_id: FhirId::parse("1").unwrap(),
        location_id: Some(FhirId::parse("1").unwrap()),
        practitioner_id: None,
        delivery_channel: None,
        slot_type: None,
        schedule_type: None,
        practitioner_role: None,
        searched_organisation_type: None,
        slot: gpconnect_fhir::Slot {
            start: UkDateTime::from_timestamp(slot_start).to_string(),
            end: UkDateTime::from_timestamp(slot_start + jiff::SignedDuration::from_mins(10))
                .to_string(),
            ..gpconnect_fhir::Slot::default()
        },
        schedule: gpconnect_fhir::Schedule::default(),
        location: None,
        practitioner: None,
        organization: None,
    };
    let details = BookingDetails {
        patient_id: FhirId::parse("1").unwrap(),
        description: "Dressing change".into(),
        comment: None,
        booking_organisation: BookingOrganisation::from_config(&client.config().organisation)
            .unwrap(),
    };
    let appointment = build_appointment(&[slot], &details, UkDateTime::now()).unwrap();
    let err = client.book_appointment(&appointment).await.unwrap_err();
    assert!(matches!(err, ClientError::Timeout { .. }), "{err}");
    assert!(err.outcome_unknown());
    assert_eq!(
        accepted.load(Ordering::SeqCst),
        3,
        "the booking is sent once"
    );
}
