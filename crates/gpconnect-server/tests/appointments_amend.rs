//! ATS AppointmentAmend (SPEC 3.13): only description and comment change, everything else the
//! consumer controls is compared with what the provider holds (SPEC 9.16), If-Match, Prefer,
//! and JSON and XML bodies.
#![allow(clippy::unwrap_used)]

mod appointments_support;
mod support;

use appointments_support::*;
use gpconnect_domain::Interaction;
use gpconnect_fhir::Format;
use serde_json::{json, Value};
use support::TestResponse;

async fn amend(app: &Provider, body: &Value) -> TestResponse {
    app.send(Call::amend(body["id"].as_str().unwrap()).json(body))
        .await
}

#[track_caller]
fn amended(response: &TestResponse, format: Format, before: &Value) -> Value {
    assert_eq!(response.status, 200, "{}", text(response));
    assert_eq!(response.header("cache-control"), Some("no-store"));
    let a = resource(response, format);
    assert_appointment(&a);
    etag_matches(response, &a);
    assert_eq!(a["id"], before["id"]);
    assert_ne!(a["meta"]["versionId"], before["meta"]["versionId"]);
    a
}

#[tokio::test]
async fn description_and_comment_are_amended() {
    let app = Provider::sqlite().await;
    // O1: patients 1, 2 and 3.
    for patient in ["1", "2", "3"] {
        let booked = app.book_first_free(patient).await;
        let mut body = booked.clone();
        body["description"] = json!("customDescription");
        let a = amended(&amend(&app, &body).await, Format::Json, &booked);
        assert_eq!(a["description"], "customDescription");
        // Nothing else changed.
        let mut expected = body.clone();
        expected["meta"] = a["meta"].clone();
        assert_eq!(a, expected);
    }
    // 17: both; and a comment removed again.
    let booked = app.book_first_free("1").await;
    let mut body = booked.clone();
    body["description"] = json!("TestChangedDescription");
    body["comment"] = json!("TestChangedComment");
    let a = amended(&amend(&app, &body).await, Format::Json, &booked);
    assert_eq!(a["comment"], "TestChangedComment");
    let mut body = a.clone();
    body.as_object_mut().unwrap().remove("comment");
    let b = amended(&amend(&app, &body).await, Format::Json, &a);
    assert!(b.get("comment").is_none());
    // The change is stored: a read gives it back.
    let read = app.send(Call::read(b["id"].as_str().unwrap())).await.json();
    assert_eq!(read, b);
}

#[tokio::test]
async fn amendments_in_every_format_combination() {
    let app = Provider::sqlite().await;
    // O4-O6, with XML PUT bodies as well.
    for (body_format, accept, format_param, expected) in [
        (Format::Json, None, Some(Format::Json), Format::Json),
        (Format::Json, None, Some(Format::Xml), Format::Xml),
        (Format::Xml, Some(Format::Xml), None, Format::Xml),
        (Format::Json, Some(Format::Json), None, Format::Json),
        (
            Format::Xml,
            Some(Format::Json),
            Some(Format::Xml),
            Format::Xml,
        ),
        (
            Format::Xml,
            Some(Format::Xml),
            Some(Format::Json),
            Format::Json,
        ),
    ] {
        let booked = app.book_first_free("1").await;
        let id = booked["id"].as_str().unwrap();
        let mut body = booked.clone();
        body["description"] = json!("customDescription");
        let path = match format_param {
            Some(f) => format!("/Appointment/{id}?_format={}", f.mime().replace('+', "%2B")),
            None => format!("/Appointment/{id}"),
        };
        let mut call =
            Call::new("PUT", &path, Interaction::AmendAppointment).body(&body, body_format);
        if let Some(f) = accept {
            call = call.accept(f);
        }
        let a = amended(&app.send(call).await, expected, &booked);
        assert_eq!(a["description"], "customDescription");
    }
}

#[tokio::test]
async fn prefer_and_if_match() {
    let app = Provider::sqlite().await;
    let booked = app.book_first_free("1").await;
    let id = booked["id"].as_str().unwrap();
    // 7: representation.
    let mut body = booked.clone();
    body["comment"] = json!("customComment");
    let response = app
        .send(
            Call::amend(id)
                .json(&body)
                .header("Prefer", "return=representation"),
        )
        .await;
    let a = amended(&response, Format::Json, &booked);
    // 8: minimal.
    let response = app
        .send(Call::amend(id).json(&a).header("Prefer", "return=minimal"))
        .await;
    assert_eq!(response.status, 200);
    assert!(response.body.is_empty());
    assert_eq!(response.header("content-type"), None);
    let current = app.send(Call::read(id)).await.json();
    // 9: an If-Match that is not the current version; also the version before the last change.
    for stale in [
        "W/\"invalidEtag\"".to_owned(),
        format!("W/\"{}\"", a["meta"]["versionId"].as_str().unwrap()),
    ] {
        let response = app
            .send(Call::amend(id).json(&current).header("If-Match", &stale))
            .await;
        response.assert_error(409, "FHIR_CONSTRAINT_VIOLATION");
    }
    // 10: the current version.
    let mut body = current.clone();
    body["description"] = json!("customDescription");
    let etag = format!("W/\"{}\"", current["meta"]["versionId"].as_str().unwrap());
    let response = app
        .send(Call::amend(id).json(&body).header("If-Match", &etag))
        .await;
    let a = amended(&response, Format::Json, &current);
    assert_eq!(a["description"], "customDescription");
}

#[tokio::test]
async fn anything_but_description_and_comment_is_refused() {
    let app = Provider::sqlite().await;
    let booked = app.book_first_free("1").await;
    let other_slot = entries(&app.free_slots(1, 14, true).await, "Slot")[0]["id"].clone();
    let rows: Vec<(&str, Change)> = vec![
        ("3 priority", Box::new(|b| b["priority"] = json!(1))),
        (
            "12 status noshow",
            Box::new(|b| b["status"] = json!("noshow")),
        ),
        (
            "16 cancellation reason",
            Box::new(|b| {
                b["extension"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({ "url": CANCELLATION_REASON, "valueString": "Too busy" }))
            }),
        ),
        (
            "18 absolute booking organisation reference",
            Box::new(|b| {
                for e in b["extension"].as_array_mut().unwrap() {
                    if e["url"] == BOOKING_ORGANISATION {
                        e["valueReference"]["reference"] = json!(
                            "https://test1.supplier.thirdparty.nhs.uk/A11111/STU3/1/GPConnect/#1"
                        );
                    }
                }
            }),
        ),
        (
            "11 invalid resource type",
            Box::new(|b| b["resourceType"] = json!("InvalidResourceType")),
        ),
        ("start", Box::new(|b| b["start"] = b["end"].clone())),
        (
            "slot",
            Box::new(move |b| {
                b["slot"] =
                    json!([{ "reference": format!("Slot/{}", other_slot.as_str().unwrap()) }])
            }),
        ),
        (
            "participant",
            Box::new(|b| b["participant"][0]["actor"]["reference"] = json!("Patient/2")),
        ),
        (
            "participant status",
            Box::new(|b| b["participant"][0]["status"] = json!("declined")),
        ),
        (
            "identifier",
            Box::new(|b| {
                b["identifier"] = json!([{ "system": "https://example.org/id", "value": "1" }])
            }),
        ),
        (
            "booking organisation name",
            Box::new(|b| b["contained"][0]["name"] = json!("Another name")),
        ),
        (
            "booking organisation removed",
            Box::new(|b| {
                b.as_object_mut().unwrap().remove("contained");
                b["extension"]
                    .as_array_mut()
                    .unwrap()
                    .retain(|e| e["url"] != BOOKING_ORGANISATION);
            }),
        ),
        (
            "created",
            Box::new(|b| b["created"] = json!("2001-01-01T00:00:00+00:00")),
        ),
        (
            "minutesDuration",
            Box::new(|b| b["minutesDuration"] = json!(10)),
        ),
        (
            "specialty",
            Box::new(|b| b["specialty"] = json!([{ "text": "General practice" }])),
        ),
        (
            "description over 100",
            Box::new(|b| b["description"] = json!("d".repeat(101))),
        ),
        (
            "description removed",
            Box::new(|b| {
                b.as_object_mut().unwrap().remove("description");
            }),
        ),
    ];
    for (row, change) in rows {
        let mut body = booked.clone();
        body["description"] = json!("customDescription");
        change(&mut body);
        let response = amend(&app, &body).await;
        assert_eq!(response.status, 422, "{row}: {}", text(&response));
        assert_eq!(response.spine_code(), "INVALID_RESOURCE", "{row}");
        assert_eq!(response.header("cache-control"), Some("no-store"));
    }
    // Nothing was stored.
    assert_eq!(
        app.send(Call::read(booked["id"].as_str().unwrap()))
            .await
            .json(),
        booked
    );
    // 19: absolute participant references in a cancel.
    let mut body = cancel_body(&booked, "double booked");
    body["participant"] = json!(["Location", "Practitioner", "Patient"]
        .iter()
        .map(|t| json!({
            "actor": { "reference": format!("https://test1.supplier.thirdparty.nhs.uk/A11111/STU3/1/GPConnect/{t}/2") },
            "status": "accepted"
        }))
        .collect::<Vec<_>>());
    let response = app
        .send(Call::cancel(booked["id"].as_str().unwrap()).json(&body))
        .await;
    response.assert_error(422, "INVALID_RESOURCE");
}

#[tokio::test]
async fn provider_populated_fields_may_be_left_out_or_changed() {
    let app = Provider::sqlite().await;
    // 20, 21 (SPEC 9.16): serviceCategory, serviceType, delivery channel, practitioner role and
    // the practitioner participant the provider added are not the consumer's to amend.
    let booked = app.book_first_free("1").await;
    let mut body = booked.clone();
    body["description"] = json!("TestChangedDescription");
    body["comment"] = json!("TestChangedComment");
    body["serviceCategory"] = json!({ "text": "Test-ServiceCategory" });
    body["serviceType"] = json!([{ "text": "Test-ServiceType" }]);
    let a = amended(&amend(&app, &body).await, Format::Json, &booked);
    assert_eq!(a["serviceCategory"], booked["serviceCategory"]);
    assert_eq!(a["serviceType"], booked["serviceType"]);
    let mut body = a.clone();
    let object = body.as_object_mut().unwrap();
    object.remove("serviceCategory");
    object.remove("serviceType");
    body["extension"]
        .as_array_mut()
        .unwrap()
        .retain(|e| e["url"] == BOOKING_ORGANISATION);
    body["participant"].as_array_mut().unwrap().retain(|p| {
        !p["actor"]["reference"]
            .as_str()
            .unwrap()
            .starts_with("Practitioner/")
    });
    body["description"] = json!("Again");
    let b = amended(&amend(&app, &body).await, Format::Json, &a);
    assert_eq!(b["description"], "Again");
    assert_eq!(b["participant"], booked["participant"]);
    assert_eq!(b["extension"], booked["extension"]);
}

#[tokio::test]
async fn cancelled_unknown_mismatched_and_past_appointments() {
    let app = Provider::sqlite().await;
    let booked = app.book_first_free("1").await;
    let id = booked["id"].as_str().unwrap();
    // The body's id must be the URL's (FHIR update).
    let mut body = booked.clone();
    body["id"] = json!("another");
    app.send(Call::amend(id).json(&body))
        .await
        .assert_error(400, "BAD_REQUEST");
    // Unknown appointment.
    app.send(Call::amend("unknown").json(&booked))
        .await
        .assert_error(404, "NO_RECORD_FOUND");
    // Cancel 22: a cancelled appointment cannot be amended.
    let response = app
        .send(Call::cancel(id).json(&cancel_body(&booked, "double booked")))
        .await;
    assert_eq!(response.status, 200);
    let cancelled = response.json();
    let response = app.send(Call::amend(id).json(&cancelled)).await;
    response.assert_error(422, "INVALID_RESOURCE");
    assert!(response.diagnostics().contains("cancelled"));
    // A past appointment (SPEC 9.8).
    let past = past_appointment(&app, "2").await;
    let body = app.send(Call::read(&past)).await;
    assert_eq!(body.status, 422);
    let record = app
        .state
        .store()
        .get_appointment(
            &gpconnect_domain::OdsCode::parse("A20047").unwrap(),
            &gpconnect_domain::FhirId::parse(&past).unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
    let past_body = serde_json::to_value(gpconnect_fhir::Resource::from(
        gpconnect_server::appointment::to_fhir(&record).unwrap(),
    ))
    .unwrap();
    let response = app.send(Call::amend(&past).json(&past_body)).await;
    response.assert_error(422, "INVALID_RESOURCE");
    assert!(
        response.diagnostics().contains("past"),
        "{}",
        response.diagnostics()
    );
}
