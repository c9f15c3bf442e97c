//! Slot search through the client against the real provider (SPEC 3.10), one practice and
//! several at once.
// Tests and their support may unwrap: a panic is a test failure with a clear location.
#![allow(clippy::unwrap_used)]

mod support;

use gpconnect_client::{ClientError, GpConnectClient, ProviderEndpoint, SlotSearch};
use gpconnect_domain::records::OrgType;
use gpconnect_domain::{Asid, OdsCode, SpineCode, UkDateTime};
use jiff::ToSpan;
use support::{config, Provider, CONSUMER_ODS};

/// Tomorrow to a week later, filtered for the consumer (SPEC 3.10 SHOULD).
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

#[tokio::test]
async fn free_slots_come_grouped_with_their_schedule_location_and_organisation() {
    let provider = Provider::start().await;
    let search = next_week();
    let found = provider.client().search_free_slots(&search).await.unwrap();
    assert!(!found.is_empty(), "the demo diary has slots next week");
    let first_day =
        UkDateTime::start_of_uk_day(UkDateTime::now().uk_date().checked_add(1.day()).unwrap());
    for pair in found.slots.windows(2) {
        assert!(pair[0].start <= pair[1].start, "earliest first");
    }
    for slot in &found.slots {
        assert_eq!(slot.slot.status, "free");
        assert!(
            slot.start >= first_day,
            "{} starts before the range",
            slot.id
        );
        assert!(slot.end > slot.start);
        assert_eq!(
            slot.slot.schedule.reference.as_deref(),
            Some(format!("Schedule/{}", slot.schedule_id).as_str())
        );
        let location_id = slot
            .location_id
            .as_ref()
            .expect("schedule names a Location");
        assert_eq!(
            slot.location.as_ref().and_then(|l| l.id.as_deref()),
            Some(location_id.as_str())
        );
        assert!(slot.organization.is_some(), "{}", slot.id);
        assert!(slot.delivery_channel.is_some(), "{}", slot.id);
        assert!(
            slot.slot_type.is_some(),
            "SPEC 3.10: slot type SHALL be given"
        );
        assert_eq!(slot.searched_organisation_type, Some(OrgType::UrgentCare));
    }
    assert!(
        found.slots.iter().any(|s| s.practitioner.is_some()),
        "some schedules are a clinician's"
    );
}

#[tokio::test]
async fn includes_left_out_are_not_returned_but_the_organisation_is() {
    let provider = Provider::start().await;
    let mut search = next_week();
    search.include_location = false;
    search.include_practitioner = false;
    search.include_managing_organization = false;
    let found = provider.client().search_free_slots(&search).await.unwrap();
    assert!(!found.is_empty());
    for slot in &found.slots {
        assert!(slot.location.is_none());
        assert!(slot.practitioner.is_none());
        assert!(slot.location_id.is_some(), "still named by the schedule");
        // SPEC 3.10: the practice Organization is always returned with slots.
        assert!(slot.organization.is_some());
    }
}

#[tokio::test]
async fn a_range_over_two_weeks_is_refused_before_anything_is_sent() {
    // Nothing listens there: a connection attempt would be a Connect error instead.
    let addr = support::closed_port().await;
    let client = GpConnectClient::new(config(&ProviderEndpoint {
        base_url: format!("http://{addr}/A20047/STU3/1/gpconnect"),
        provider_asid: Asid::parse("918999198993").unwrap(),
    }))
    .unwrap();
    let today = UkDateTime::now().uk_date();
    let search = SlotSearch::new(today, today.checked_add(15.days()).unwrap());
    let err = client.search_free_slots(&search).await.unwrap_err();
    assert!(matches!(err, ClientError::InvalidInput(_)), "{err}");
}

#[tokio::test]
async fn several_practices_are_searched_at_once_with_an_answer_for_each() {
    let provider = Provider::start().await;
    let closed = support::closed_port().await;
    let unreachable = ProviderEndpoint {
        base_url: format!("http://{closed}/A81001/STU3/1/gpconnect"),
        provider_asid: Asid::parse("918999190001").unwrap(),
    };
    let unknown = ProviderEndpoint {
        base_url: provider.base_url("B99999"),
        provider_asid: Asid::parse("918999190002").unwrap(),
    };
    let endpoints = [
        provider.main_practice(),
        unreachable.clone(),
        provider.second_practice(),
        unknown.clone(),
    ];
    let results = provider
        .client()
        .search_practices(&endpoints, &next_week(), 2)
        .await;

    let practices: Vec<&ProviderEndpoint> = results.iter().map(|r| &r.endpoint).collect();
    assert_eq!(
        practices,
        endpoints.iter().collect::<Vec<_>>(),
        "input order"
    );

    let main = results[0].result.as_ref().expect("main practice answers");
    let second = results[2].result.as_ref().expect("second practice answers");
    assert!(!main.is_empty() && !second.is_empty());
    let practice_name = |slots: &gpconnect_client::FreeSlots| {
        slots.slots[0]
            .organization
            .as_ref()
            .and_then(|o| o.name.clone())
    };
    assert_ne!(practice_name(main), practice_name(second));

    let down = results[1].result.as_ref().unwrap_err();
    assert!(matches!(down, ClientError::Connect { .. }), "{down}");
    let not_hosted = results[3].result.as_ref().unwrap_err();
    assert_eq!(not_hosted.status(), Some(404), "{not_hosted}");
    assert_eq!(not_hosted.spine_code(), Some(SpineCode::NoRecordFound));
}
