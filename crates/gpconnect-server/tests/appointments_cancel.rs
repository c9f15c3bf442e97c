//! ATS AppointmentCancel (SPEC 3.14): only status and the cancellation reason change, the echo
//! is field for field the booked appointment, the slots are freed, the version moves on, and
//! the reason and extension rules, in JSON and XML.
#![allow(clippy::unwrap_used)]

mod appointments_support;
mod support;

use appointments_support::*;
use gpconnect_domain::Interaction;
use gpconnect_fhir::Format;
use serde_json::{json, Value};
use support::TestResponse;

async fn cancel(app: &Provider, body: &Value) -> TestResponse {
    app.send(Call::cancel(body["id"].as_str().unwrap()).json(body))
        .await
}

/// ATS AppointmentCancel O1: the answer is the booked appointment with status `cancelled`, the
/// reason extension and a new version, and nothing else changed.
#[track_caller]
fn assert_cancelled(
    response: &TestResponse,
    format: Format,
    booked: &Value,
    reason: &str,
) -> Value {
    assert_eq!(response.status, 200, "{}", text(response));
    assert_eq!(response.header("cache-control"), Some("no-store"));
    let a = resource(response, format);
    assert_appointment(&a);
    etag_matches(response, &a);
    assert_eq!(a["status"], "cancelled");
    assert_eq!(
        extensions(&a, CANCELLATION_REASON)[0]["valueString"],
        reason
    );
    assert_ne!(a["meta"]["versionId"], booked["meta"]["versionId"]);
    let mut expected = booked.clone();
    expected["status"] = json!("cancelled");
    expected["meta"] = a["meta"].clone();
    expected["extension"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "url": CANCELLATION_REASON, "valueString": reason }));
    assert_eq!(a, expected);
    a
}

#[tokio::test]
async fn a_cancellation_echoes_the_booking_and_frees_its_slots() {
    let app = Provider::sqlite().await;
    // O1, O11, O18: patients 1, 2 and 3 with several reasons.
    for (patient, reason) in [
        ("1", "double booked"),
        ("2", "Test cancellation reason 1"),
        ("3", "test reason for cancel 2"),
    ] {
        let bundle = app.free_slots(1, 14, true).await;
        let slot = entries(&bundle, "Slot")[0]["id"]
            .as_str()
            .unwrap()
            .to_owned();
        let booked = app.book_first_free(patient).await;
        let response = cancel(&app, &cancel_body(&booked, reason)).await;
        assert_cancelled(&response, Format::Json, &booked, reason);
        // The slot is free again: offered, and bookable by someone else.
        let again = app.free_slots(1, 14, true).await;
        assert_eq!(entries(&again, "Slot")[0]["id"], slot.as_str());
        let rebooked = app.book_first_free("4").await;
        assert_eq!(rebooked["slot"][0]["reference"], format!("Slot/{slot}"));
        // And the cancelled appointment reads back as answered.
        let read = app
            .send(Call::read(booked["id"].as_str().unwrap()))
            .await
            .json();
        assert_eq!(read["status"], "cancelled");
    }
}

#[tokio::test]
async fn cancellations_in_every_format_combination() {
    let app = Provider::sqlite().await;
    // O7-O10: (Content-Type, Accept, _format) with XML PUT bodies.
    for (body_format, accept, format_param, expected) in [
        (
            Format::Xml,
            Some(Format::Xml),
            Some(Format::Xml),
            Format::Xml,
        ),
        (
            Format::Json,
            Some(Format::Json),
            Some(Format::Json),
            Format::Json,
        ),
        (
            Format::Xml,
            Some(Format::Xml),
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
            Format::Xml,
            Some(Format::Json),
            Some(Format::Json),
            Format::Json,
        ),
        (
            Format::Json,
            Some(Format::Xml),
            Some(Format::Xml),
            Format::Xml,
        ),
        (
            Format::Xml,
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
        (Format::Xml, Some(Format::Xml), None, Format::Xml),
        (Format::Json, None, Some(Format::Xml), Format::Xml),
    ] {
        let booked = app.book_first_free("1").await;
        let id = booked["id"].as_str().unwrap();
        let path = match format_param {
            Some(f) => format!("/Appointment/{id}?_format={}", f.mime().replace('+', "%2B")),
            None => format!("/Appointment/{id}"),
        };
        let mut call = Call::new("PUT", &path, Interaction::CancelAppointment)
            .body(&cancel_body(&booked, "double booked"), body_format);
        if let Some(f) = accept {
            call = call.accept(f);
        }
        assert_cancelled(&app.send(call).await, expected, &booked, "double booked");
    }
}

#[tokio::test]
async fn only_status_and_reason_may_change() {
    let app = Provider::sqlite().await;
    let booked = app.book_first_free("1").await;
    let rows: Vec<(&str, Change)> = vec![
        (
            "3 comment",
            Box::new(|b| b["comment"] = json!("customComment")),
        ),
        (
            "4 description",
            Box::new(|b| b["description"] = json!("customDescription")),
        ),
        (
            "5 participants added",
            Box::new(|b| {
                let participants = b["participant"].as_array_mut().unwrap();
                for r in ["location/2", "Patient/2", "Practitioner/2"] {
                    participants.push(json!({ "actor": { "reference": r }, "status": "declined" }));
                }
            }),
        ),
        (
            "6 appointmentType",
            Box::new(|b| b["appointmentType"] = json!({ "text": "Test type" })),
        ),
        (
            "23 absolute booking organisation reference",
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
            "24 absolute participants",
            Box::new(|b| {
                for p in b["participant"].as_array_mut().unwrap() {
                    let r = p["actor"]["reference"].as_str().unwrap().to_owned();
                    p["actor"]["reference"] = json!(format!(
                        "https://test1.supplier.thirdparty.nhs.uk/A11111/STU3/1/GPConnect/{r}"
                    ));
                }
            }),
        ),
        (
            "O12 misspelt extension url",
            Box::new(|b| {
                let last = b["extension"].as_array_mut().unwrap().last_mut().unwrap();
                last["url"] = json!("http://fhir.nhs.uk/StructuraeDefinition/extension-gpconnect-appointment-cancellation-reason-1-010");
                last["valueString"] = json!("Too busy");
            }),
        ),
        (
            "O12 empty extension url",
            Box::new(|b| {
                let last = b["extension"].as_array_mut().unwrap().last_mut().unwrap();
                last["url"] = json!("");
                last["valueString"] = json!("Too busy");
            }),
        ),
        (
            "status not cancelled",
            Box::new(|b| b["status"] = json!("booked")),
        ),
        ("start", Box::new(|b| b["start"] = b["end"].clone())),
        ("priority", Box::new(|b| b["priority"] = json!(1))),
        (
            "reason",
            Box::new(|b| b["reason"] = json!([{ "text": "Unwell" }])),
        ),
    ];
    for (row, change) in rows {
        let mut body = cancel_body(&booked, "double booked");
        change(&mut body);
        let response = cancel(&app, &body).await;
        assert_eq!(response.status, 422, "{row}: {}", text(&response));
        assert_eq!(response.spine_code(), "INVALID_RESOURCE", "{row}");
    }
    // Still booked.
    let read = app
        .send(Call::read(booked["id"].as_str().unwrap()))
        .await
        .json();
    assert_eq!(read, booked);
}

#[tokio::test]
async fn the_reason_must_be_given() {
    let app = Provider::sqlite().await;
    let booked = app.book_first_free("1").await;
    let id = booked["id"].as_str().unwrap();
    // 13, 21: an empty reason, in JSON and in XML.
    let empty = cancel_body(&booked, "");
    let response = cancel(&app, &empty).await;
    response.assert_error(422, "INVALID_PARAMETER");
    assert_eq!(response.header("cache-control"), Some("no-store"));
    let mut xml = String::from_utf8(to_xml(&cancel_body(&booked, "PLACEHOLDER"))).unwrap();
    xml = xml.replace("value=\"PLACEHOLDER\"", "value=\"\"");
    let response = app.send(Call::cancel(id).raw_body(&xml, Format::Xml)).await;
    response.assert_error(422, "INVALID_PARAMETER");
    // Blank, or no reason at all.
    cancel(&app, &cancel_body(&booked, "   "))
        .await
        .assert_error(422, "INVALID_PARAMETER");
    let mut no_reason = booked.clone();
    no_reason["status"] = json!("cancelled");
    cancel(&app, &no_reason)
        .await
        .assert_error(422, "INVALID_PARAMETER");
    // An empty string elsewhere is still an invalid resource.
    let mut body = cancel_body(&booked, "double booked");
    body["description"] = json!("");
    cancel(&app, &body)
        .await
        .assert_error(422, "INVALID_RESOURCE");
}

#[tokio::test]
async fn if_match_prefer_and_repeated_cancellations() {
    let app = Provider::sqlite().await;
    let booked = app.book_first_free("1").await;
    let id = booked["id"].as_str().unwrap();
    let body = cancel_body(&booked, "double booked");
    // 15: out of date.
    app.send(
        Call::cancel(id)
            .json(&body)
            .header("If-Match", "W/\"invalidEtag\""),
    )
    .await
    .assert_error(409, "FHIR_CONSTRAINT_VIOLATION");
    // 14: the current version.
    let etag = format!("W/\"{}\"", booked["meta"]["versionId"].as_str().unwrap());
    let response = app
        .send(Call::cancel(id).json(&body).header("If-Match", &etag))
        .await;
    let cancelled = assert_cancelled(&response, Format::Json, &booked, "double booked");
    // Cancelling again.
    cancel(&app, &cancel_body(&cancelled, "again"))
        .await
        .assert_error(422, "INVALID_RESOURCE");
    // 16, 17: Prefer.
    let booked = app.book_first_free("2").await;
    let response = app
        .send(
            Call::cancel(booked["id"].as_str().unwrap())
                .json(&cancel_body(&booked, "double booked"))
                .header("Prefer", "return=representation"),
        )
        .await;
    assert_cancelled(&response, Format::Json, &booked, "double booked");
    let booked = app.book_first_free("3").await;
    let response = app
        .send(
            Call::cancel(booked["id"].as_str().unwrap())
                .json(&cancel_body(&booked, "double booked"))
                .header("Prefer", "return=minimal"),
        )
        .await;
    assert_eq!(response.status, 200);
    assert!(response.body.is_empty());
    assert_eq!(response.header("content-type"), None);
}

#[tokio::test]
async fn service_category_and_type_in_the_body_are_ignored() {
    let app = Provider::sqlite().await;
    // 25-27: a day+2 booking; the cancel body carries other texts, then none.
    for texts in [true, false] {
        let bundle = app.free_slots(2, 1, true).await;
        let body = booking_body(&bundle, 0, "1");
        let response = app.send(Call::book().json(&body)).await;
        assert_eq!(response.status, 201);
        let booked = response.json();
        let mut body = cancel_body(&booked, "Test-Cancel-Reason");
        if texts {
            body["serviceCategory"] = json!({ "text": "Test-ServiceCategory" });
            body["serviceType"] = json!([{ "text": "Test-ServiceType" }]);
        } else {
            let object = body.as_object_mut().unwrap();
            object.remove("serviceCategory");
            object.remove("serviceType");
        }
        let response = cancel(&app, &body).await;
        assert_cancelled(&response, Format::Json, &booked, "Test-Cancel-Reason");
    }
}

#[tokio::test]
async fn past_and_unknown_appointments() {
    let app = Provider::sqlite().await;
    let booked = app.book_first_free("1").await;
    let mut body = cancel_body(&booked, "double booked");
    body["id"] = json!("unknown");
    app.send(Call::cancel("unknown").json(&body))
        .await
        .assert_error(404, "NO_RECORD_FOUND");
    let past = past_appointment(&app, "2").await;
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
    let response = cancel(&app, &cancel_body(&past_body, "too late")).await;
    response.assert_error(422, "INVALID_RESOURCE");
    assert!(
        response.diagnostics().contains("past"),
        "{}",
        response.diagnostics()
    );
}
