//! ATS AppointmentBook (SPEC 3.11): what is accepted, every malformed-body row, the slot rules,
//! the SPEC 5 re-check for the booking organisation, provider-populated content, provenance,
//! `Prefer`, and JSON and XML bodies.
#![allow(clippy::unwrap_used)]

mod appointments_support;
mod support;

use appointments_support::*;
use gpconnect_domain::records::{SlotRecord, SlotStatus};
use gpconnect_domain::{FhirId, Interaction, OdsCode, UkDateTime};
use gpconnect_fhir::Format;
use jiff::ToSpan;
use serde_json::{json, Value};
use support::TestResponse;

const PATIENT1: &str = "1";
const PATIENT2: &str = "2";

async fn first_body(app: &Provider, patient: &str) -> (Value, Value) {
    let bundle = app.free_slots(1, 14, true).await;
    let body = booking_body(&bundle, 0, patient);
    (bundle, body)
}

async fn book(app: &Provider, body: &Value) -> TestResponse {
    app.send(Call::book().json(body)).await
}

#[track_caller]
fn created(response: &TestResponse, format: Format) -> Value {
    assert_eq!(response.status, 201, "{}", text(response));
    let a = resource(response, format);
    assert_appointment(&a);
    etag_matches(response, &a);
    let location = response.header("location").unwrap();
    assert!(
        location.ends_with(&format!(
            "/A20047/STU3/1/gpconnect/Appointment/{}/_history/{}",
            a["id"].as_str().unwrap(),
            a["meta"]["versionId"].as_str().unwrap()
        )),
        "{location}"
    );
    assert!(response.header("last-modified").is_some());
    assert_eq!(response.header("cache-control"), Some("no-store"));
    a
}

async fn slot(app: &Provider, id: &str) -> SlotRecord {
    app.state
        .store()
        .get_slot(
            &OdsCode::parse("A20047").unwrap(),
            &FhirId::parse(id).unwrap(),
        )
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn the_default_booking_is_created_with_provider_populated_content() {
    let app = Provider::sqlite().await;
    let (bundle, body) = first_body(&app, PATIENT1).await;
    let response = book(&app, &body).await;
    let a = created(&response, Format::Json);
    assert_eq!(a["status"], "booked");
    assert_eq!(a["slot"], body["slot"]);
    assert_eq!(a["start"], body["start"]);
    assert_eq!(a["description"], "Default Description");
    assert!(a.get("comment").is_none());
    // The contained booking organisation is kept as sent (ATS Read 3).
    assert_eq!(a["contained"], body["contained"]);
    assert_eq!(
        extensions(&a, BOOKING_ORGANISATION)[0]["valueReference"]["reference"],
        "#1"
    );
    // Delivery channel and slot type from the slot, role and schedule type from the schedule.
    let slot_resource = entries(&bundle, "Slot")[0];
    let schedule = entries(&bundle, "Schedule")
        .into_iter()
        .find(|s| {
            format!("Schedule/{}", s["id"].as_str().unwrap())
                == slot_resource["schedule"]["reference"]
        })
        .unwrap();
    assert_eq!(
        extensions(&a, DELIVERY_CHANNEL)[0]["valueCode"],
        extensions(slot_resource, DELIVERY_CHANNEL)[0]["valueCode"]
    );
    assert_eq!(a["serviceType"], slot_resource["serviceType"]);
    assert_eq!(a["serviceCategory"], schedule["serviceCategory"]);
    assert_eq!(
        extensions(&a, PRACTITIONER_ROLE)[0]["valueCodeableConcept"],
        extensions(schedule, PRACTITIONER_ROLE)[0]["valueCodeableConcept"]
    );
    // The schedule's practitioner is a participant although none was sent (SPEC 3.11).
    let practitioner = schedule["actor"].as_array().unwrap().iter().find(|r| {
        r["reference"]
            .as_str()
            .unwrap()
            .starts_with("Practitioner/")
    });
    let refs: Vec<&Value> = a["participant"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["actor"]["reference"])
        .collect();
    if let Some(practitioner) = practitioner {
        assert!(refs.contains(&&practitioner["reference"]));
    }
    // ATS 11, 17: every participant can be read.
    for reference in refs {
        let reference = reference.as_str().unwrap();
        let interaction = match reference.split('/').next().unwrap() {
            "Patient" => Interaction::ReadPatient,
            "Location" => Interaction::ReadLocation,
            _ => Interaction::ReadPractitioner,
        };
        let response = app
            .send(Call::new("GET", &format!("/{reference}"), interaction))
            .await;
        assert_eq!(response.status, 200, "{reference}: {}", text(&response));
    }
    // The slot is taken: busy, and no longer offered.
    let slot_id = slot_resource["id"].as_str().unwrap();
    assert_eq!(slot(&app, slot_id).await.status, SlotStatus::Busy);
    let again = app.free_slots(1, 14, true).await;
    assert!(entries(&again, "Slot").iter().all(|s| s["id"] != slot_id));
    // SPEC 2.13: provenance of the booking.
    let record = app
        .state
        .store()
        .get_appointment(
            &OdsCode::parse("A20047").unwrap(),
            &FhirId::parse(a["id"].as_str().unwrap()).unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
    assert!(record.booked_via_gp_connect);
    assert_eq!(record.provenance.user_id, "1");
    assert_eq!(record.provenance.organization_ods, "GPCA0001");
    assert_eq!(
        record.provenance.interaction,
        Interaction::BookAppointment.id()
    );
    assert_eq!(record.provenance.sds_user_id.as_deref(), Some("GCASDS0001"));
}

#[tokio::test]
async fn optional_elements_and_a_different_jwt_organisation_are_accepted() {
    let app = Provider::sqlite().await;
    // O2, O3: every combination of org type, delivery channel and practitioner role.
    for (org_type, channel, role) in [
        (true, true, true),
        (true, true, false),
        (true, false, true),
        (true, false, false),
        (false, true, true),
        (false, true, false),
        (false, false, true),
        (false, false, false),
    ] {
        let bundle = app.free_slots(1, 14, org_type).await;
        let mut body = booking_body(&bundle, 0, PATIENT1);
        if !org_type {
            body = without_org_type(body);
        }
        let slot_resource = entries(&bundle, "Slot")[0];
        let extension = body["extension"].as_array_mut().unwrap();
        if channel {
            extension.push(extensions(slot_resource, DELIVERY_CHANNEL)[0].clone());
        }
        if role {
            extension.push(json!({
                "url": PRACTITIONER_ROLE,
                "valueCodeableConcept": { "coding": [{
                    "system": "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-SDSJobRoleName-1",
                    "code": "R0260",
                    "display": "General Medical Practitioner"
                }]}
            }));
        }
        let a = created(&book(&app, &body).await, Format::Json);
        assert_eq!(extensions(&a, DELIVERY_CHANNEL).len(), 1);
        assert_eq!(extensions(&a, PRACTITIONER_ROLE).len(), 1);
    }
    // Read 3: the requesting organisation (X12345) is not the booking organisation (A20047).
    let (_, body) = first_body(&app, PATIENT2).await;
    let token = support::JwtBuilder::new(Interaction::BookAppointment)
        .set_in(
            "requesting_organization",
            "identifier",
            json!([{ "system": ODS_SYSTEM, "value": "X12345" }]),
        )
        .token();
    let response = app
        .send(
            Call::book()
                .json(&body)
                .header("Authorization", &format!("Bearer {token}")),
        )
        .await;
    let a = created(&response, Format::Json);
    assert_eq!(a["contained"][0]["identifier"][0]["value"], "A20047");
}

#[tokio::test]
async fn xml_and_json_bodies_in_every_format_combination() {
    let app = Provider::sqlite().await;
    // O6-O8: (Content-Type, Accept, _format) and the format answered.
    for (body_format, accept, format_param, expected) in [
        (
            Format::Json,
            Some(Format::Json),
            Some(Format::Json),
            Format::Json,
        ),
        (
            Format::Json,
            Some(Format::Json),
            Some(Format::Xml),
            Format::Xml,
        ),
        (
            Format::Json,
            Some(Format::Xml),
            Some(Format::Json),
            Format::Json,
        ),
        (
            Format::Xml,
            Some(Format::Xml),
            Some(Format::Xml),
            Format::Xml,
        ),
        (Format::Xml, None, Some(Format::Json), Format::Json),
        (Format::Json, None, Some(Format::Xml), Format::Xml),
        (Format::Xml, Some(Format::Xml), None, Format::Xml),
        (Format::Json, Some(Format::Xml), None, Format::Xml),
    ] {
        let (_, body) = first_body(&app, PATIENT1).await;
        let mut call = Call::book();
        if let Some(f) = format_param {
            call = Call::new(
                "POST",
                &format!("/Appointment?_format={}", f.mime().replace('+', "%2B")),
                Interaction::BookAppointment,
            );
        }
        call = call.body(&body, body_format);
        if let Some(f) = accept {
            call = call.accept(f);
        }
        let a = created(&app.send(call).await, expected);
        assert_eq!(a["slot"], body["slot"]);
        assert_eq!(a["contained"], body["contained"]);
    }
}

#[tokio::test]
async fn prefer_minimal_answers_with_an_empty_body() {
    let app = Provider::sqlite().await;
    // 9: representation.
    let (_, body) = first_body(&app, PATIENT1).await;
    let response = app
        .send(
            Call::book()
                .json(&body)
                .header("Prefer", "return=representation"),
        )
        .await;
    created(&response, Format::Json);
    // 10: minimal: 201, no body, no FHIR Content-Type (ATS 1.6), Location and ETag still set.
    let (_, body) = first_body(&app, PATIENT1).await;
    let response = app
        .send(Call::book().json(&body).header("Prefer", "return=minimal"))
        .await;
    assert_eq!(response.status, 201);
    assert!(response.body.is_empty());
    assert_eq!(response.header("content-type"), None);
    assert!(response
        .header("location")
        .unwrap()
        .contains("/Appointment/"));
    assert!(response.header("etag").unwrap().starts_with("W/\""));
}

/// Applies `change` to a fresh default body and books it.
async fn book_changed(app: &Provider, change: impl FnOnce(&mut Value)) -> TestResponse {
    let (_, mut body) = first_body(app, PATIENT1).await;
    change(&mut body);
    book(app, &body).await
}

fn remove(body: &mut Value, name: &str) {
    body.as_object_mut().unwrap().remove(name);
}

#[tokio::test]
async fn malformed_bodies_are_invalid_resources() {
    let app = Provider::sqlite().await;
    let (_, before) = first_body(&app, PATIENT1).await;
    let participants = |body: &mut Value, keep: &str| {
        body["participant"]
            .as_array_mut()
            .unwrap()
            .retain(|p| p["actor"]["reference"].as_str().unwrap().starts_with(keep));
    };
    let rows: Vec<(&str, Change)> = vec![
        (
            "13 no Patient participant",
            Box::new(move |b| participants(b, "Location/")),
        ),
        (
            "13 no Location participant",
            Box::new(move |b| participants(b, "Patient/")),
        ),
        ("14 no participants", Box::new(|b| remove(b, "participant"))),
        (
            "15 extra field",
            Box::new(|b| b["invalidField"] = json!("Assurance Testing")),
        ),
        (
            "16 Slot/45555g55555",
            Box::new(|b| b["slot"][0]["reference"] = json!("Slot/45555g55555")),
        ),
        (
            "16 Slot/45555555##",
            Box::new(|b| b["slot"][0]["reference"] = json!("Slot/45555555##")),
        ),
        (
            "16 Slot/hello",
            Box::new(|b| b["slot"][0]["reference"] = json!("Slot/hello")),
        ),
        (
            "16 absolute slot",
            Box::new(|b| {
                b["slot"][0]["reference"] = json!(
                    "https://test1.supplier.thirdparty.nhs.uk/A11111/STU3/1/GPConnect/Slot/#12345"
                )
            }),
        ),
        ("18 no start", Box::new(|b| remove(b, "start"))),
        ("19 no end", Box::new(|b| remove(b, "end"))),
        ("20 no status", Box::new(|b| remove(b, "status"))),
        ("21 no slot", Box::new(|b| remove(b, "slot"))),
        (
            "22 identifier without value",
            Box::new(|b| {
                b["identifier"] =
                    json!([{ "system": "https://fhir.nhs.uk/Id/gpconnect-appointment-identifier" }])
            }),
        ),
        (
            "23 participant status removed",
            Box::new(|b| {
                for p in b["participant"].as_array_mut().unwrap() {
                    p.as_object_mut().unwrap().remove("status");
                }
            }),
        ),
        (
            "24 invalid resource type",
            Box::new(|b| b["resourceType"] = json!("InvalidResourceType")),
        ),
        (
            "25 empty appointment",
            Box::new(|b| *b = json!({ "resourceType": "Appointment" })),
        ),
        (
            "29 booking organisation without name",
            Box::new(|b| remove(&mut b["contained"][0], "name")),
        ),
        (
            "30 booking organisation without telecom",
            Box::new(|b| remove(&mut b["contained"][0], "telecom")),
        ),
        (
            "33 reason",
            Box::new(
                |b| b["reason"] = json!([{ "coding": [{ "system": "http://snomed.info/sct", "code": "17436001" }] }]),
            ),
        ),
        (
            "34 specialty",
            Box::new(
                |b| b["specialty"] = json!([{ "coding": [{ "system": "http://snomed.info/sct", "code": "394802001" }] }]),
            ),
        ),
        (
            "38 absolute booking organisation reference",
            Box::new(|b| {
                b["extension"][0]["valueReference"]["reference"] =
                    json!("https://test1.supplier.thirdparty.nhs.uk/A11111/STU3/1/GPConnect/#1")
            }),
        ),
        (
            "status other than booked",
            Box::new(|b| b["status"] = json!("pending")),
        ),
        (
            "no booking organisation",
            Box::new(|b| remove(b, "extension")),
        ),
        (
            "booking organisation without ODS code",
            Box::new(|b| remove(&mut b["contained"][0], "identifier")),
        ),
        ("no description", Box::new(|b| remove(b, "description"))),
        (
            "description over 100",
            Box::new(|b| b["description"] = json!("d".repeat(101))),
        ),
        (
            "comment over 500",
            Box::new(|b| b["comment"] = json!("c".repeat(501))),
        ),
        (
            "start without offset",
            Box::new(|b| b["start"] = json!("2030-01-01T09:00:00")),
        ),
        (
            "cancellation reason on a booking",
            Box::new(|b| {
                b["extension"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({ "url": CANCELLATION_REASON, "valueString": "x" }))
            }),
        ),
        (
            "unknown extension",
            Box::new(|b| {
                b["extension"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({ "url": "https://example.org/ext", "valueString": "x" }))
            }),
        ),
        (
            "a Device participant",
            Box::new(|b| {
                b["participant"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({ "actor": { "reference": "Device/1" }, "status": "accepted" }))
            }),
        ),
    ];
    for (row, change) in rows {
        let response = book_changed(&app, change).await;
        assert_eq!(response.status, 422, "{row}: {}", text(&response));
        assert_eq!(response.spine_code(), "INVALID_RESOURCE", "{row}");
        assert_eq!(response.header("cache-control"), Some("no-store"));
    }
    // None of them took a slot: the first free slot is still the one they all tried.
    let (_, after) = first_body(&app, PATIENT1).await;
    assert_eq!(after["slot"], before["slot"]);
    // The same rows in XML bodies (the suite posts XML too).
    for change in [
        Box::new(|b: &mut Value| remove(b, "slot")) as Change,
        Box::new(|b: &mut Value| remove(&mut b["contained"][0], "name")),
    ] {
        let (_, mut body) = first_body(&app, PATIENT1).await;
        change(&mut body);
        let response = app
            .send(Call::book().body(&body, Format::Xml).accept(Format::Xml))
            .await;
        assert_eq!(response.status, 422, "{}", text(&response));
        let oo = resource(&response, Format::Xml);
        assert_eq!(
            oo["issue"][0]["details"]["coding"][0]["code"],
            "INVALID_RESOURCE"
        );
    }
    // Malformed JSON is a bad request (SPEC 2.8).
    let response = app
        .send(Call::book().raw_body(r#"{"resourceType":"Appointment","#, Format::Json))
        .await;
    response.assert_error(400, "BAD_REQUEST");
}

#[tokio::test]
async fn texts_within_the_limits_are_stored_and_echoed() {
    let app = Provider::sqlite().await;
    // 31, 35, 36, 37.
    for (description, comment) in [
        (Some("customDescription"), None),
        (Some("Default Description"), Some("CustomComment")),
        (None, Some("CustomComment")),
        (None, None),
        (Some(&*"d".repeat(100)), Some(&*"c".repeat(500))),
        (Some("Zoë's appointment — ünïcödé"), Some("Ça va")),
    ] {
        let response = book_changed(&app, |b| {
            if let Some(d) = description {
                b["description"] = json!(d);
            }
            if let Some(c) = comment {
                b["comment"] = json!(c);
            }
        })
        .await;
        let a = created(&response, Format::Json);
        assert_eq!(
            a["description"],
            description.unwrap_or("Default Description")
        );
        assert_eq!(a.get("comment").and_then(Value::as_str), comment);
    }
}

#[tokio::test]
async fn a_booked_slot_is_a_duplicate() {
    let app = Provider::sqlite().await;
    // 32: patient1 books the first free slot, then patient2 the same one.
    let (bundle, body) = first_body(&app, PATIENT1).await;
    created(&book(&app, &body).await, Format::Json);
    let second = booking_body(&bundle, 0, PATIENT2);
    let response = book(&app, &second).await;
    response.assert_error(409, "DUPLICATE_REJECTED");
    // Also when it is one of several slots asked for.
    let slots = entries(&bundle, "Slot");
    let next = slots
        .iter()
        .find(|s| s["start"] == slots[0]["end"] && s["schedule"] == slots[0]["schedule"])
        .unwrap();
    let pair = booking_body_for(&bundle, &[slots[0].clone(), (*next).clone()], PATIENT2);
    book(&app, &pair)
        .await
        .assert_error(409, "DUPLICATE_REJECTED");
}

#[tokio::test]
async fn several_slots_must_be_adjacent_on_one_schedule_channel_and_type() {
    let app = Provider::sqlite().await;
    let bundle = app.free_slots(1, 14, true).await;
    let slots: Vec<Value> = entries(&bundle, "Slot").into_iter().cloned().collect();
    let same = |a: &Value, b: &Value, key: &str| a[key] == b[key];
    let channel = |s: &Value| extensions(s, DELIVERY_CHANNEL)[0]["valueCode"].clone();
    // Two adjacent slots of one schedule with one channel and type.
    let (a, b) = slots
        .iter()
        .flat_map(|a| slots.iter().map(move |b| (a, b)))
        .find(|(a, b)| {
            b["start"] == a["end"]
                && same(a, b, "schedule")
                && same(a, b, "serviceType")
                && channel(a) == channel(b)
        })
        .unwrap();
    let a_id = a["id"].as_str().unwrap();
    // Not adjacent: the slot after next.
    let after_next = slots
        .iter()
        .find(|c| c["start"] == b["end"] && same(b, c, "schedule"))
        .unwrap();
    let response = book(
        &app,
        &booking_body_for(&bundle, &[a.clone(), after_next.clone()], PATIENT1),
    )
    .await;
    response.assert_error(422, "INVALID_RESOURCE");
    assert!(
        response.diagnostics().contains("adjacent"),
        "{}",
        response.diagnostics()
    );
    // Different schedules, at the same time.
    let other = slots
        .iter()
        .find(|c| c["start"] == a["end"] && !same(a, c, "schedule"))
        .or_else(|| slots.iter().find(|c| !same(a, c, "schedule")))
        .unwrap();
    let mut two = booking_body_for(&bundle, &[a.clone(), other.clone()], PATIENT1);
    two["end"] = other["end"].clone();
    let response = book(&app, &two).await;
    response.assert_error(422, "INVALID_RESOURCE");
    assert!(response.diagnostics().contains("different schedules"));
    // A different channel or slot type on the same schedule: in the demo diary the 10:20
    // in-person slot is followed by the 10:30 telephone one.
    if let Some((x, y)) = slots
        .iter()
        .flat_map(|x| slots.iter().map(move |y| (x, y)))
        .find(|(x, y)| y["start"] == x["end"] && same(x, y, "schedule") && channel(x) != channel(y))
    {
        let body = booking_body_for(&bundle, &[x.clone(), y.clone()], PATIENT1);
        book(&app, &body)
            .await
            .assert_error(422, "INVALID_RESOURCE");
    }
    // start/end that are not the slots'.
    let mut body = booking_body_for(&bundle, &[a.clone(), b.clone()], PATIENT1);
    body["end"] = a["end"].clone();
    book(&app, &body)
        .await
        .assert_error(422, "INVALID_RESOURCE");
    // The same slot twice.
    let body = booking_body_for(&bundle, &[a.clone(), a.clone()], PATIENT1);
    book(&app, &body)
        .await
        .assert_error(422, "INVALID_RESOURCE");
    // The adjacent pair, listed in either order, books both.
    let body = booking_body_for(&bundle, &[a.clone(), b.clone()], PATIENT1);
    let mut reversed = body.clone();
    reversed["slot"] = json!([body["slot"][1], body["slot"][0]]);
    let booked = created(&book(&app, &reversed).await, Format::Json);
    assert_eq!(booked["slot"], body["slot"]);
    assert_eq!(booked["start"], a["start"]);
    assert_eq!(booked["end"], b["end"]);
    assert_eq!(slot(&app, a_id).await.status, SlotStatus::Busy);
    assert_eq!(
        slot(&app, b["id"].as_str().unwrap()).await.status,
        SlotStatus::Busy
    );
}

#[tokio::test]
async fn patients_participants_and_time_are_checked_against_the_practice() {
    let app = Provider::sqlite().await;
    // Unknown, sensitive (patient9) and deceased (patient18) patients.
    for patient in ["9999", "9", "18", "21"] {
        let response = book_changed(&app, |b| {
            b["participant"][0]["actor"]["reference"] = json!(format!("Patient/{patient}"))
        })
        .await;
        response.assert_error(422, "REFERENCE_NOT_FOUND");
    }
    // The patient who dissented from sharing can still book (SPEC 1).
    created(
        &book_changed(&app, |b| {
            b["participant"][0]["actor"]["reference"] = json!("Patient/15")
        })
        .await,
        Format::Json,
    );
    // A Location that is not the schedule's.
    let response = book_changed(&app, |b| {
        let location = b["participant"][1]["actor"]["reference"].as_str().unwrap();
        let other = if location == "Location/3" {
            "Location/1"
        } else {
            "Location/3"
        };
        b["participant"][1]["actor"]["reference"] = json!(other)
    })
    .await;
    response.assert_error(422, "INVALID_RESOURCE");
    // A Practitioner that is not the schedule's; the right one is accepted.
    let bundle = app
        .send(Call::search_slots(&format!(
            "{}&_include:recurse=Schedule:actor:Practitioner",
            slot_query(1, 8)
        )))
        .await
        .json();
    let slot_resource = entries(&bundle, "Slot")
        .into_iter()
        .find(|s| s["schedule"]["reference"] == "Schedule/1")
        .unwrap()
        .clone();
    let mut body = booking_body_for(&bundle, &[slot_resource], PATIENT1);
    body = without_org_type(body);
    let participant = |p: &str| json!({ "actor": { "reference": p }, "status": "accepted" });
    let mut wrong = body.clone();
    wrong["participant"]
        .as_array_mut()
        .unwrap()
        .push(participant("Practitioner/2"));
    book(&app, &wrong)
        .await
        .assert_error(422, "INVALID_RESOURCE");
    body["participant"]
        .as_array_mut()
        .unwrap()
        .push(participant("Practitioner/1"));
    let a = created(&book(&app, &body).await, Format::Json);
    assert_eq!(a["participant"].as_array().unwrap().len(), 3);

    // A slot in the past (SPEC 1: future appointments only).
    let practice = OdsCode::parse("A20047").unwrap();
    let yesterday = today().yesterday().unwrap();
    let start = UkDateTime::start_of_uk_day(yesterday);
    let past = app
        .state
        .store()
        .insert_slot(&SlotRecord {
            practice: practice.clone(),
            id: FhirId::parse("past-slot").unwrap(),
            version: 1,
            schedule: FhirId::parse("1").unwrap(),
            start: UkDateTime::from_unix_seconds(start.unix_seconds() + 12 * 3600).unwrap(),
            end: UkDateTime::from_unix_seconds(start.unix_seconds() + 12 * 3600 + 600).unwrap(),
            status: SlotStatus::Free,
            delivery_channel: gpconnect_domain::records::DeliveryChannel::InPerson,
            service_type: Some("Routine appointment".into()),
            gpc_bookable: true,
            restrict_org_types: vec![],
            restrict_ods_codes: vec![],
            booking_window: None,
        })
        .await
        .unwrap();
    let response = book_changed(&app, |b| {
        b["slot"] = json!([{ "reference": "Slot/past-slot" }]);
        b["start"] = json!(past.start.to_string());
        b["end"] = json!(past.end.to_string());
        b["participant"][1]["actor"]["reference"] = json!("Location/1");
    })
    .await;
    response.assert_error(422, "INVALID_RESOURCE");
    assert!(
        response.diagnostics().contains("future"),
        "{}",
        response.diagnostics()
    );
}

#[tokio::test]
async fn availability_is_checked_again_for_the_booking_organisation() {
    let app = Provider::sqlite().await;
    let practice = OdsCode::parse("A20047").unwrap();
    // The next weekday's 15:30 slot of schedule 1 is kept for GP practices (demo diary).
    let day = (1..8)
        .map(|n| today().checked_add(n.days()).unwrap())
        .find(|d| {
            !matches!(
                d.weekday(),
                jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
            )
        })
        .unwrap();
    let id = gpconnect_demo::slot_id("1", day, 15 * 60 + 30).unwrap();
    let restricted = app
        .state
        .store()
        .get_slot(&practice, &id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(restricted.restrict_org_types.len(), 1);
    let bundle = json!({ "resourceType": "Bundle", "type": "searchset", "entry": [
        { "resource": { "resourceType": "Slot", "id": id.as_str(),
          "schedule": { "reference": "Schedule/1" }, "status": "free",
          "start": restricted.start.to_string(), "end": restricted.end.to_string() } },
        { "resource": { "resourceType": "Schedule", "id": "1",
          "actor": [{ "reference": "Location/1" }] } }
    ]});
    let body_for = |org_type: Option<&str>| {
        let body = booking_body(&bundle, 0, PATIENT1);
        match org_type {
            Some(t) => {
                let mut body = body;
                body["contained"][0]["type"][0]["coding"][0]["code"] = json!(t);
                body
            }
            None => without_org_type(body),
        }
    };
    // Urgent care, or no type at all: refused; a GP practice: booked.
    book(&app, &body_for(Some("urgent-care")))
        .await
        .assert_error(422, "INVALID_RESOURCE");
    book(&app, &body_for(None))
        .await
        .assert_error(422, "INVALID_RESOURCE");
    created(
        &book(&app, &body_for(Some("gp-practice"))).await,
        Format::Json,
    );
}

#[tokio::test]
async fn consumer_service_category_and_type_are_ignored() {
    let app = Provider::sqlite().await;
    // 39-43: a day+2 slot; the request carries the schedule's and slot's texts, then test
    // values, then neither.
    for (category, service_type) in [
        (None, None),
        (
            Some(json!({ "text": "Test-ServiceCategory" })),
            Some(json!([{ "text": "Test-ServiceType" }])),
        ),
        (Some(Value::Null), None),
    ] {
        let bundle = app.free_slots(2, 1, true).await;
        let mut body = booking_body(&bundle, 0, PATIENT1);
        let slot_resource = entries(&bundle, "Slot")[0];
        let schedule = entries(&bundle, "Schedule")
            .into_iter()
            .find(|s| {
                format!("Schedule/{}", s["id"].as_str().unwrap())
                    == slot_resource["schedule"]["reference"]
            })
            .unwrap();
        match category {
            // The schedule's and slot's own texts.
            None => {
                body["serviceCategory"] = schedule["serviceCategory"].clone();
                body["serviceType"] = slot_resource["serviceType"].clone();
            }
            Some(Value::Null) => {}
            Some(category) => {
                body["serviceCategory"] = category;
                body["serviceType"] = service_type.unwrap();
            }
        }
        let a = created(&book(&app, &body).await, Format::Json);
        assert_eq!(a["serviceCategory"], schedule["serviceCategory"]);
        assert_eq!(a["serviceType"], slot_resource["serviceType"]);
    }
}

#[tokio::test]
async fn an_invalid_url_is_answered_with_an_operation_outcome() {
    let app = Provider::sqlite().await;
    // O5.
    let (_, body) = first_body(&app, PATIENT1).await;
    let response = app
        .send(Call::new("POST", "/appointmentqq/!", Interaction::BookAppointment).json(&body))
        .await;
    assert_ne!(response.status, 200);
    response.spine_code();
}

/// SPEC 5 organisation access limits: the demo practice lets its neighbour (`Y90001`) book at
/// most `NEIGHBOUR_SLOTS_PER_DAY` slots a day. Beyond that a booking is refused, and a search
/// made for the neighbour offers nothing more that day, until a cancellation makes room.
#[tokio::test]
async fn an_organisation_books_up_to_its_daily_limit_and_searches_show_it() {
    let app = Provider::sqlite().await;
    let neighbour = "Y90001";
    let n = (1..8)
        .find(|n| {
            let d = today().checked_add(n.days()).unwrap();
            !matches!(
                d.weekday(),
                jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
            )
        })
        .unwrap();
    let search_for = |ods: &'static str| {
        let app = &app;
        async move {
            let query: String =
                format!("{}&searchFilter={ODS_SYSTEM}%7C{ods}", slot_query(n, n + 1));
            let response = app.send(Call::search_slots(&query)).await;
            assert_eq!(response.status, 200, "{}", text(&response));
            response.json()
        }
    };
    let for_neighbour = |bundle: &Value, index: usize| {
        let mut body = without_org_type(booking_body(bundle, index, PATIENT1));
        body["contained"][0]["identifier"][0]["value"] = json!(neighbour);
        body
    };
    let offered = search_for(neighbour).await;
    let limit = gpconnect_demo::NEIGHBOUR_SLOTS_PER_DAY as usize;
    assert!(entries(&offered, "Slot").len() > limit + 1);
    let mut booked = Vec::new();
    for index in 0..limit {
        booked.push(created(
            &book(&app, &for_neighbour(&offered, index)).await,
            Format::Json,
        ));
    }
    // One more that day is refused, with the limit named, and takes nothing.
    let refused = book(&app, &for_neighbour(&offered, limit)).await;
    refused.assert_error(422, "INVALID_RESOURCE");
    assert!(
        refused.diagnostics().contains("Neighbouring practices"),
        "{}",
        refused.diagnostics()
    );
    let spare = entries(&offered, "Slot")[limit]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(slot(&app, &spare).await.status, SlotStatus::Free);
    // Searches made for the neighbour offer nothing more that day; others see the day as
    // before, and the same slot books for them.
    assert!(entries(&search_for(neighbour).await, "Slot").is_empty());
    let for_others = search_for("A20047").await;
    assert!(entries(&for_others, "Slot")
        .iter()
        .any(|s| s["id"] == spare.as_str()));
    // A cancellation gives the neighbour its room back.
    let first = &booked[0];
    let response = app
        .send(Call::cancel(first["id"].as_str().unwrap()).json(&cancel_body(first, "Not needed")))
        .await;
    assert_eq!(response.status, 200, "{}", text(&response));
    let again = search_for(neighbour).await;
    assert!(!entries(&again, "Slot").is_empty());
    created(&book(&app, &for_neighbour(&again, 0)).await, Format::Json);
}
