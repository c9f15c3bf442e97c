//! ATS SearchForFreeSlots (SPEC 3.10, 5): the parameter grammar, the SPEC 5 availability rules,
//! the includes and the Slot/Schedule shapes of ATS 3.5, in JSON and XML.
#![allow(clippy::unwrap_used)]

mod appointments_support;
mod support;

use appointments_support::*;
use gpconnect_domain::{Interaction, UkDateTime};
use gpconnect_fhir::Format;
use gpconnect_server::ServerConfig;
use serde_json::{json, Value};

/// The standard parameters of ATS 2.3: midnight tomorrow to midnight `days` later, for A20047 as
/// an urgent-care organisation.
fn std_query(days: i64) -> String {
    format!(
        "{}&searchFilter={ODS_SYSTEM}%7CA20047&searchFilter={ORG_TYPE_SYSTEM}%7Curgent-care",
        slot_query(1, 1 + days)
    )
}

const ALL_INCLUDES: &str = "&_include:recurse=Schedule:actor:Practitioner\
    &_include:recurse=Schedule:actor:Location\
    &_include:recurse=Location:managingOrganization";

async fn search(app: &Provider, query: &str) -> support::TestResponse {
    app.send(Call::search_slots(query)).await
}

async fn search_ok(app: &Provider, query: &str) -> Value {
    let response = search(app, query).await;
    assert_eq!(response.status, 200, "{query}: {}", text(&response));
    assert_eq!(response.header("cache-control"), Some("no-store"));
    resource(&response, Format::Json)
}

/// ATS 3.5: what the suite checks on the bundle, its slots, schedules and includes.
#[track_caller]
fn assert_slot_bundle(bundle: &Value, locations: bool, practitioners: bool) {
    let slots = entries(bundle, "Slot");
    let schedules = entries(bundle, "Schedule");
    assert!(!slots.is_empty(), "{bundle}");
    for slot in &slots {
        assert_eq!(slot["status"], "free");
        assert_eq!(slot["meta"]["profile"], json!([SLOT_PROFILE]));
        assert!(slot["meta"]["versionId"].is_string());
        assert!(slot.get("specialty").is_none() && slot.get("comment").is_none());
        assert!(slot["identifier"].as_array().map_or(0, Vec::len) <= 1);
        let channel = extensions(slot, DELIVERY_CHANNEL);
        assert_eq!(channel.len(), 1, "{slot}");
        assert!(["In-person", "Telephone", "Video"]
            .contains(&channel[0]["valueCode"].as_str().unwrap()));
        assert!(slot["serviceType"][0]["text"].is_string(), "{slot}");
        UkDateTime::parse(slot["start"].as_str().unwrap()).unwrap();
        UkDateTime::parse(slot["end"].as_str().unwrap()).unwrap();
        // Relative and case-sensitive (ATS 1.8: the booking builder matches it exactly).
        let schedule = slot["schedule"]["reference"].as_str().unwrap();
        assert!(
            schedules
                .iter()
                .any(|s| format!("Schedule/{}", s["id"].as_str().unwrap()) == schedule),
            "{schedule} not included"
        );
    }
    for schedule in &schedules {
        assert_eq!(schedule["meta"]["profile"], json!([SCHEDULE_PROFILE]));
        assert!(schedule["meta"]["versionId"].is_string());
        let roles = extensions(schedule, PRACTITIONER_ROLE);
        assert_eq!(roles.len(), 1, "{schedule}");
        assert_eq!(
            roles[0]["valueCodeableConcept"]["coding"][0]["system"],
            "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-SDSJobRoleName-1"
        );
        assert!(extensions(schedule, DELIVERY_CHANNEL_1).is_empty());
        for absent in ["specialty", "comment", "serviceType", "active"] {
            assert!(schedule.get(absent).is_none(), "{absent}: {schedule}");
        }
        assert!(schedule["planningHorizon"]["start"].is_string());
        assert!(schedule["serviceCategory"]["text"].is_string());
        let actors: Vec<&str> = schedule["actor"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["reference"].as_str().unwrap())
            .collect();
        let location = actors.iter().find(|a| a.starts_with("Location/")).unwrap();
        let included = entries(bundle, "Location")
            .iter()
            .any(|l| format!("Location/{}", l["id"].as_str().unwrap()) == *location);
        assert_eq!(included, locations, "{location}");
    }
    assert_eq!(!entries(bundle, "Location").is_empty(), locations);
    assert_eq!(!entries(bundle, "Practitioner").is_empty(), practitioners);
    for location in entries(bundle, "Location") {
        assert!(location["name"].is_string() && location["address"].is_object());
        let managing = location["managingOrganization"]["reference"]
            .as_str()
            .unwrap();
        assert!(managing.starts_with("Organization/"));
    }
    for practitioner in entries(bundle, "Practitioner") {
        assert_eq!(practitioner["name"].as_array().unwrap().len(), 1);
        assert!(practitioner["name"][0]["family"].is_string());
        for absent in ["telecom", "address", "birthDate", "photo", "qualification"] {
            assert!(practitioner.get(absent).is_none());
        }
    }
    // SPEC 3.10: the managing Organization is returned whenever slots are.
    let organizations = entries(bundle, "Organization");
    assert!(!organizations.is_empty(), "{bundle}");
    for organization in organizations {
        assert_eq!(
            organization["meta"]["profile"],
            json!(["https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Organization-1"])
        );
        let ods: Vec<&Value> = organization["identifier"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|i| i["system"] == ODS_SYSTEM)
            .collect();
        assert_eq!(ods.len(), 1);
    }
}

#[tokio::test]
async fn valid_windows_succeed_and_invalid_ones_are_refused() {
    let app = Provider::sqlite().await;
    // O1: 8, 0 and 14 days.
    for days in [8, 14] {
        let bundle = search_ok(&app, &std_query(days)).await;
        assert_slot_bundle(&bundle, false, false);
    }
    // A zero-length range holds no slot: an empty bundle with nothing included.
    let bundle = search_ok(&app, &std_query(0)).await;
    assert!(bundle.get("entry").is_none(), "{bundle}");
    // O2 and 21: 15, 31 and -1 days.
    for days in [15, 31, -1, 30] {
        let response = search(&app, &std_query(days)).await;
        response.assert_error(422, "INVALID_PARAMETER");
        assert_eq!(response.header("cache-control"), Some("no-store"));
    }
}

#[tokio::test]
async fn missing_parameters_are_bad_requests() {
    let app = Provider::sqlite().await;
    let filters = format!("&searchFilter={ODS_SYSTEM}%7CA20047");
    for query in [
        // O3: no start and end; no start; no status; and no _include=Slot:schedule.
        format!("status=free&_include=Slot:schedule{filters}"),
        format!(
            "end=le{}&status=free&_include=Slot:schedule{filters}",
            midnight(4)
        ),
        format!(
            "start=ge{}&end=le{}&_include=Slot:schedule{filters}",
            midnight(1),
            midnight(4)
        ),
        format!(
            "start=ge{}&end=le{}&status=free{filters}",
            midnight(1),
            midnight(4)
        ),
    ] {
        search(&app, &query).await.assert_error(400, "BAD_REQUEST");
    }
}

#[tokio::test]
async fn prefixes_values_and_formats_follow_the_grammar() {
    let app = Provider::sqlite().await;
    let with = |start: &str, end: &str| {
        format!("start={start}&end={end}&status=free&_include=Slot:schedule")
    };
    // O5, O6: wrong and unknown prefixes.
    for (s, e) in [
        ("lt", "gt"),
        ("gt", "gt"),
        ("lt", "lt"),
        ("le", "ge"),
        ("eq", "eq"),
        ("gt", "lt"),
        ("ne", "ne"),
        ("gt", "ne"),
        ("ne", "lt"),
        ("ge", "ne"),
        ("ne", "le"),
    ] {
        let query = with(
            &format!("{s}{}", midnight(1)),
            &format!("{e}{}", midnight(4)),
        );
        search(&app, &query)
            .await
            .assert_error(422, "INVALID_PARAMETER");
    }
    // O7: invalid values and a status other than free.
    for query in [
        with("invalidStartDate", &format!("le{}", midnight(4))),
        with("", &format!("le{}", midnight(4))),
        with(&format!("ge{}", midnight(1)), "invalidEnddate"),
        with(&format!("ge{}", midnight(1)), ""),
        format!(
            "start=ge{}&end=le{}&status=busy&_include=Slot:schedule",
            midnight(1),
            midnight(4)
        ),
    ] {
        search(&app, &query)
            .await
            .assert_error(422, "INVALID_PARAMETER");
    }
    // O9: dates and offset date-times, from now to three days ahead.
    let now = UkDateTime::now();
    let later = UkDateTime::from_unix_seconds(now.unix_seconds() + 3 * 86_400).unwrap();
    let full = |t: UkDateTime| t.to_string().replace('+', "%2B");
    for (s, e) in [
        (date(0), date(3)),
        (full(now), full(later)),
        (full(now), date(3)),
        (date(0), full(later)),
    ] {
        let bundle = search_ok(&app, &with(&format!("ge{s}"), &format!("le{e}"))).await;
        assert_slot_bundle(&bundle, false, false);
    }
    // O10: no offset, Z, and partial dates.
    let local = |t: UkDateTime| t.to_string()[..19].to_owned();
    let zulu = |t: UkDateTime| format!("{}Z", t.timestamp().strftime("%Y-%m-%dT%H:%M:%S"));
    let year = today().year().to_string();
    let month = today().strftime("%Y-%m").to_string();
    for (s, e) in [
        (local(now), local(later)),
        (zulu(now), local(later)),
        (local(now), zulu(later)),
        (year.clone(), month.clone()),
        (month, year),
    ] {
        search(&app, &with(&format!("ge{s}"), &format!("le{e}")))
            .await
            .assert_error(422, "INVALID_PARAMETER");
    }
}

#[tokio::test]
async fn unknown_search_filters_are_ignored() {
    let app = Provider::sqlite().await;
    // 4: from today with foreign filters beside the two GP Connect ones; 8: another system.
    let query = format!(
        "start=ge{}&end=le{}&status=free&_include=Slot:schedule\
         &searchFilter=https://fhir.nhs.uk/STU3/CodeSystem/FilterCategory-7%7COtherConsumerCategory\
         &searchFilter=https://fhir.nhs.uk/Id/otherIdentifier%7CotherID\
         &searchFilter={ODS_SYSTEM}%7CA20047&searchFilter={ORG_TYPE_SYSTEM}%7Curgent-care\
         &searchFilter=TypeCategory%7COtherTypeCategory",
        midnight(0),
        midnight(3)
    );
    assert_slot_bundle(&search_ok(&app, &query).await, false, false);
    let query = format!(
        "{}&searchFilter=TypeCategory%7COtherTypeCategory",
        std_query(3)
    );
    assert_slot_bundle(&search_ok(&app, &query).await, false, false);
}

#[tokio::test]
async fn includes_are_honoured_and_unrequested_actors_left_out() {
    let app = Provider::sqlite().await;
    // 15: every include.
    let bundle = search_ok(&app, &format!("{}{ALL_INCLUDES}", std_query(3))).await;
    assert_slot_bundle(&bundle, true, true);
    // Every included Location's managing Organization can be read (ATS 3.4).
    for location in entries(&bundle, "Location") {
        let managing = location["managingOrganization"]["reference"]
            .as_str()
            .unwrap();
        let read = support::request(
            "GET",
            &format!("/{managing}"),
            Interaction::ReadOrganization,
        )
        .body(axum::body::Body::empty())
        .unwrap();
        let response = support::TestResponse::read(
            tower::ServiceExt::oneshot(app.app.clone(), read)
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(response.status, 200, "{managing}");
    }
    // Each included resource appears once, however many slots refer to it.
    let mut ids: Vec<String> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| format!("{}/{}", e["resource"]["resourceType"], e["resource"]["id"]))
        .collect();
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count);
    // O16, 17, 18: one actor include at a time.
    let practitioners = format!(
        "{}&_include:recurse=Schedule:actor:Practitioner",
        std_query(3)
    );
    assert_slot_bundle(&search_ok(&app, &practitioners).await, false, true);
    let locations = format!("{}&_include:recurse=Schedule:actor:Location", std_query(3));
    assert_slot_bundle(&search_ok(&app, &locations).await, true, false);
    // The managingOrganization include alone is accepted (SPEC 3.10).
    let organization = format!(
        "{}&_include:recurse=Location:managingOrganization",
        std_query(3)
    );
    assert_slot_bundle(&search_ok(&app, &organization).await, false, false);
}

#[tokio::test]
async fn every_format_combination_answers_valid_fhir() {
    let app = Provider::sqlite().await;
    // O12-O14: the format follows _format, then Accept (Content-Type has no say on a GET).
    for (accept, format_param, expected) in [
        (Some(Format::Xml), None, Format::Xml),
        (Some(Format::Json), None, Format::Json),
        (None, Some(Format::Xml), Format::Xml),
        (None, Some(Format::Json), Format::Json),
        (Some(Format::Json), Some(Format::Xml), Format::Xml),
        (Some(Format::Xml), Some(Format::Json), Format::Json),
    ] {
        let mut query = format!("{}{ALL_INCLUDES}", std_query(3));
        if let Some(f) = format_param {
            query.push_str(&format!("&_format={}", f.mime().replace('+', "%2B")));
        }
        let mut call = Call::search_slots(&query).header("Content-Type", Format::Xml.mime());
        if let Some(f) = accept {
            call = call.accept(f);
        }
        let response = app.send(call).await;
        assert_eq!(response.status, 200, "{}", text(&response));
        assert_slot_bundle(&resource(&response, expected), true, true);
    }
}

#[tokio::test]
async fn organisation_filters_never_empty_the_result() {
    let app = Provider::sqlite().await;
    let base = slot_query(0, 14);
    let types = ["urgent-care", "gp-practice", "oncology"];
    let codes = ["A20047", "B81016", "M85015", "RNR01"];
    let mut queries = vec![base.clone()];
    queries.extend(
        types
            .iter()
            .map(|t| format!("{base}&searchFilter={ORG_TYPE_SYSTEM}%7C{t}")),
    );
    queries.extend(
        codes
            .iter()
            .map(|c| format!("{base}&searchFilter={ODS_SYSTEM}%7C{c}")),
    );
    for t in types {
        for c in codes {
            queries.push(format!(
                "{base}&searchFilter={ORG_TYPE_SYSTEM}%7C{t}&searchFilter={ODS_SYSTEM}%7C{c}"
            ));
        }
    }
    // O22-O25.
    for query in queries {
        assert_slot_bundle(&search_ok(&app, &query).await, false, false);
    }
}

#[tokio::test]
async fn service_category_and_type_are_populated_and_there_are_no_comments() {
    let app = Provider::sqlite().await;
    // 27-29 (ATS 1.8: two days from tomorrow, with Locations).
    let query = format!("{}&_include:recurse=Schedule:actor:Location", std_query(2));
    let bundle = search_ok(&app, &query).await;
    assert!(entries(&bundle, "Schedule")
        .iter()
        .any(|s| !s["serviceCategory"]["text"].as_str().unwrap().is_empty()));
    assert!(entries(&bundle, "Slot")
        .iter()
        .any(|s| !s["serviceType"][0]["text"].as_str().unwrap().is_empty()));
    for r in entries(&bundle, "Slot")
        .into_iter()
        .chain(entries(&bundle, "Schedule"))
    {
        assert!(r.get("comment").is_none());
    }
}

/// The local time of day of a slot's start, e.g. `15:30`.
fn local_time(slot: &Value) -> String {
    slot["start"].as_str().unwrap()[11..16].to_owned()
}

/// Whether the slot is on a weekday (Monday to Friday).
fn weekday(slot: &Value) -> bool {
    let date: jiff::civil::Date = slot["start"].as_str().unwrap()[..10].parse().unwrap();
    !matches!(
        date.weekday(),
        jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
    )
}

fn times_on_schedule_1(bundle: &Value) -> Vec<String> {
    entries(bundle, "Slot")
        .into_iter()
        .filter(|s| s["schedule"]["reference"] == "Schedule/1" && weekday(s))
        .map(local_time)
        .collect()
}

#[tokio::test]
async fn availability_follows_the_spec_5_matching_table() {
    let app = Provider::sqlite().await;
    // The demo GP diary (gpconnect-demo): weekday 15:00 and 15:10 are not GP Connect bookable,
    // 15:30 and 15:40 are kept for GP practices, 16:00 and 16:10 for practice Y90001, and
    // 11:00 and 11:10 are offered on the day itself only.
    let base = slot_query(1, 8);
    let none = times_on_schedule_1(&search_ok(&app, &base).await);
    assert!(none.contains(&"09:00".to_owned()), "{none:?}");
    for hidden in [
        "15:00", "15:10", "15:30", "15:40", "16:00", "16:10", "11:00", "11:10",
    ] {
        assert!(!none.contains(&hidden.to_owned()), "{hidden}");
    }
    let gp = times_on_schedule_1(
        &search_ok(
            &app,
            &format!("{base}&searchFilter={ORG_TYPE_SYSTEM}%7Cgp-practice"),
        )
        .await,
    );
    assert!(gp.contains(&"15:30".to_owned()) && !gp.contains(&"16:00".to_owned()));
    let urgent = times_on_schedule_1(
        &search_ok(
            &app,
            &format!("{base}&searchFilter={ORG_TYPE_SYSTEM}%7Curgent-care"),
        )
        .await,
    );
    assert!(!urgent.contains(&"15:30".to_owned()));
    let neighbour = times_on_schedule_1(
        &search_ok(&app, &format!("{base}&searchFilter={ODS_SYSTEM}%7CY90001")).await,
    );
    assert!(neighbour.contains(&"16:00".to_owned()) && !neighbour.contains(&"15:30".to_owned()));
    let both = times_on_schedule_1(
        &search_ok(
            &app,
            &format!(
                "{base}&searchFilter={ODS_SYSTEM}%7CY90001&searchFilter={ORG_TYPE_SYSTEM}%7Cgp-practice"
            ),
        )
        .await,
    );
    assert!(both.contains(&"16:00".to_owned()) && both.contains(&"15:30".to_owned()));
    for times in [&gp, &urgent, &neighbour, &both] {
        assert!(!times.contains(&"15:00".to_owned()));
    }
}

#[tokio::test]
async fn slots_lie_fully_inside_the_range_and_a_date_end_covers_its_day() {
    let app = Provider::sqlite().await;
    // From 09:05 on day 2: the 09:00-09:10 slot straddles the start and is left out.
    let day = today().checked_add(jiff::ToSpan::days(2)).unwrap();
    let from = UkDateTime::start_of_uk_day(day).unix_seconds() + 9 * 3600 + 5 * 60;
    let from = UkDateTime::from_unix_seconds(from).unwrap();
    let query = format!(
        "start=ge{}&end=le{}&status=free&_include=Slot:schedule",
        from.to_string().replace('+', "%2B"),
        date(2)
    );
    let bundle = search_ok(&app, &query).await;
    let end_of_day = UkDateTime::start_of_uk_day(day.tomorrow().unwrap());
    let slots = entries(&bundle, "Slot");
    assert!(!slots.is_empty());
    for slot in &slots {
        let start = UkDateTime::parse(slot["start"].as_str().unwrap()).unwrap();
        let end = UkDateTime::parse(slot["end"].as_str().unwrap()).unwrap();
        assert!(start >= from && end <= end_of_day, "{slot}");
    }
    // The whole of day 2 is searched: the evening extended-hours slots are there.
    assert!(slots.iter().any(|s| local_time(s).as_str() >= "18:30"));
}

#[tokio::test]
async fn slots_that_have_started_are_not_offered() {
    let app = Provider::sqlite().await;
    // Today from midnight: slots earlier in the day may already have started; none of those is
    // offered, and a range wholly in the past is simply empty.
    let now = UkDateTime::now();
    let bundle = search_ok(&app, &slot_query(0, 1)).await;
    for slot in entries(&bundle, "Slot") {
        assert!(UkDateTime::parse(slot["start"].as_str().unwrap()).unwrap() > now);
    }
    let past = format!(
        "start=ge{}&end=le{}&status=free&_include=Slot:schedule",
        date(-3),
        date(-1)
    );
    let bundle = search_ok(&app, &past).await;
    assert!(bundle.get("entry").is_none());
}

/// With one search at a time, concurrent searches queue for their turn and all succeed (none is
/// refused), and a booking never waits for that turn (SPEC 2.14: commands within 250 ms). The
/// answer cache is off, so that every search is built.
#[tokio::test]
async fn searches_beyond_the_limit_queue_and_bookings_do_not_wait_for_them() {
    let app = Provider::sqlite_with(ServerConfig {
        max_concurrent_searches: 1,
        search_cache_bytes: 0,
        ..ServerConfig::default()
    })
    .await;
    let query = format!("{}{ALL_INCLUDES}", std_query(14));
    let alone = search_ok(&app, &query).await;
    let booking = booking_body(&app.free_slots(1, 14, true).await, 0, "1");

    // Take the only turn: searches now wait for it, the booking goes ahead.
    let turn = app.state.search_permit().await.unwrap();
    let first = tokio::spawn({
        let app = app.app.clone();
        let call = Call::search_slots(&query).build();
        async move { tower::ServiceExt::oneshot(app, call).await.unwrap() }
    });
    let second = tokio::spawn({
        let app = app.app.clone();
        let call = Call::search_slots(&query).build();
        async move { tower::ServiceExt::oneshot(app, call).await.unwrap() }
    });
    let booked = tokio::time::timeout(
        std::time::Duration::from_secs(60),
        app.send(Call::book().json(&booking)),
    )
    .await
    .expect("the booking waited for the search turn");
    assert_eq!(booked.status, 201, "{}", text(&booked));
    assert!(!first.is_finished() && !second.is_finished());
    drop(turn);

    for handle in [first, second] {
        let response = support::TestResponse::read(handle.await.unwrap()).await;
        assert_eq!(response.status, 200, "{}", text(&response));
        let bundle = resource(&response, Format::Json);
        assert_slot_bundle(&bundle, true, true);
        // The booked slot is no longer offered; everything else still is.
        assert_eq!(
            entries(&bundle, "Slot").len() + 1,
            entries(&alone, "Slot").len()
        );
    }
}
