//! ATS AppointmentRetrieve (SPEC 3.15): the `start` parameter rules, unknown patients, every
//! status returned, today's appointments included and past ones not, in JSON and XML.
#![allow(clippy::unwrap_used)]

mod appointments_support;
mod support;

use appointments_support::*;
use gpconnect_domain::Interaction;
use gpconnect_fhir::Format;
use serde_json::{json, Value};

const NO_APPOINTMENTS: &str = "22";

fn range(from: i64, to: i64) -> String {
    format!("start=ge{}&start=le{}", date(from), date(to))
}

async fn retrieve(app: &Provider, patient: &str, query: &str) -> Value {
    let response = app.send(Call::retrieve(patient, query)).await;
    assert_eq!(response.status, 200, "{query}: {}", text(&response));
    assert_eq!(response.header("cache-control"), Some("no-store"));
    resource(&response, Format::Json)
}

#[tokio::test]
async fn a_patient_without_appointments_gets_an_empty_bundle() {
    let app = Provider::sqlite().await;
    // 1.
    let bundle = retrieve(&app, NO_APPOINTMENTS, &range(0, 1)).await;
    assert!(bundle.get("entry").is_none(), "{bundle}");
}

#[tokio::test]
async fn every_appointment_of_the_patient_in_the_range_is_returned() {
    let app = Provider::sqlite().await;
    // O3: 1 for patient4, 3 for patient5, 2 for patient6.
    for (patient, count) in [("4", 1), ("5", 3), ("6", 2)] {
        let mut booked = Vec::new();
        for _ in 0..count {
            booked.push(app.book_first_free(patient).await);
        }
        let bundle = retrieve(&app, patient, &range(0, 14)).await;
        let appointments = entries(&bundle, "Appointment");
        assert_eq!(appointments.len(), count);
        assert_eq!(bundle["entry"].as_array().unwrap().len(), count);
        for a in &appointments {
            assert_appointment(a);
            // 19: contained resources are the booking Organization, with id, name and telecom.
            for c in a["contained"].as_array().unwrap() {
                assert_eq!(c["resourceType"], "Organization");
                assert!(c["telecom"].is_array());
            }
            assert!(a["participant"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p["actor"]["reference"] == format!("Patient/{patient}")));
            assert!(booked.contains(a));
        }
    }
    // 13: participants can be read.
    let bundle = retrieve(&app, "5", &range(0, 14)).await;
    for a in entries(&bundle, "Appointment") {
        for p in a["participant"].as_array().unwrap() {
            let reference = p["actor"]["reference"].as_str().unwrap();
            let interaction = match reference.split('/').next().unwrap() {
                "Patient" => Interaction::ReadPatient,
                "Location" => Interaction::ReadLocation,
                _ => Interaction::ReadPractitioner,
            };
            let response = app
                .send(Call::new("GET", &format!("/{reference}"), interaction))
                .await;
            assert_eq!(response.status, 200, "{reference}");
        }
    }
    // 15: other parameters are ignored.
    let bundle = retrieve(&app, "5", &format!("{}&_sort=date", range(0, 14))).await;
    assert_eq!(entries(&bundle, "Appointment").len(), 3);
}

#[tokio::test]
async fn statuses_dates_and_the_range() {
    let app = Provider::sqlite().await;
    let patient = "7";
    // A cancelled appointment is returned as well (SPEC 3.15: every status).
    let booked = app.book_first_free(patient).await;
    let response = app
        .send(
            Call::cancel(booked["id"].as_str().unwrap())
                .json(&cancel_body(&booked, "no longer needed")),
        )
        .await;
    assert_eq!(response.status, 200);
    // A day+3 booking, and yesterday's appointment.
    let bundle = app.free_slots(3, 1, true).await;
    let body = booking_body(&bundle, 0, patient);
    let later = app.send(Call::book().json(&body)).await.json();
    let past = past_appointment(&app, patient).await;

    let all = retrieve(&app, patient, &range(0, 30)).await;
    let statuses: Vec<&str> = entries(&all, "Appointment")
        .iter()
        .map(|a| a["status"].as_str().unwrap())
        .collect();
    assert!(
        statuses.contains(&"cancelled") && statuses.contains(&"booked"),
        "{statuses:?}"
    );
    assert!(entries(&all, "Appointment")
        .iter()
        .all(|a| a["id"] != past.as_str()));
    // Both ends are inclusive UK dates.
    let day3 = retrieve(&app, patient, &range(3, 3)).await;
    assert_eq!(entries(&day3, "Appointment"), vec![&later]);
    let before = retrieve(&app, patient, &range(2, 2)).await;
    assert!(entries(&before, "Appointment")
        .iter()
        .all(|a| a["id"] != later["id"]));
    // Another patient's appointments are never included.
    let other = retrieve(&app, "8", &range(0, 30)).await;
    assert!(other.get("entry").is_none());
    // Ascending by start.
    let starts: Vec<&str> = entries(&all, "Appointment")
        .iter()
        .map(|a| a["start"].as_str().unwrap())
        .collect();
    let mut sorted = starts.clone();
    sorted.sort_by_key(|s| gpconnect_domain::UkDateTime::parse(s).unwrap());
    assert_eq!(starts, sorted);
}

#[tokio::test]
async fn todays_appointments_are_returned_even_once_started() {
    let app = Provider::sqlite().await;
    // The first slot of the day (00:00 is before now, except in the first minutes of a day,
    // when it is still today's).
    let practice = gpconnect_domain::OdsCode::parse("A20047").unwrap();
    let store = app.state.store();
    let start = gpconnect_domain::UkDateTime::start_of_uk_day(today());
    let id = past_appointment(&app, "16").await;
    let mut record = store
        .get_appointment(&practice, &gpconnect_domain::FhirId::parse(&id).unwrap())
        .await
        .unwrap()
        .unwrap();
    record.start = start;
    record.end =
        gpconnect_domain::UkDateTime::from_unix_seconds(start.unix_seconds() + 600).unwrap();
    let version = record.version;
    store.update_appointment(&record, version).await.unwrap();
    let bundle = retrieve(&app, "16", &range(0, 0)).await;
    let found = entries(&bundle, "Appointment");
    assert_eq!(found.len(), 1, "{bundle}");
    assert_eq!(found[0]["id"], id.as_str());
}

#[tokio::test]
async fn every_format_combination() {
    let app = Provider::sqlite().await;
    app.book_first_free("4").await;
    // O5-O7.
    for (accept, format_param, expected) in [
        (Some(Format::Json), Some(Format::Json), Format::Json),
        (Some(Format::Json), Some(Format::Xml), Format::Xml),
        (Some(Format::Xml), Some(Format::Json), Format::Json),
        (Some(Format::Xml), Some(Format::Xml), Format::Xml),
        (Some(Format::Xml), None, Format::Xml),
        (Some(Format::Json), None, Format::Json),
        (None, Some(Format::Xml), Format::Xml),
        (None, Some(Format::Json), Format::Json),
    ] {
        let mut query = range(0, 14);
        if let Some(f) = format_param {
            query.push_str(&format!("&_format={}", f.mime().replace('+', "%2B")));
        }
        let mut call = Call::retrieve("4", &query);
        if let Some(f) = accept {
            call = call.accept(f);
        }
        let response = app.send(call).await;
        assert_eq!(response.status, 200);
        let bundle = resource(&response, expected);
        let appointments = entries(&bundle, "Appointment");
        assert_eq!(appointments.len(), 1);
        assert_appointment(appointments[0]);
    }
}

#[tokio::test]
async fn parameter_errors_are_invalid_parameters() {
    let app = Provider::sqlite().await;
    let d = date(1);
    let year = &d[..4];
    let month = &d[..7];
    let time = format!("{d}T10:00:00");
    let zulu = format!("{d}T10:00:00Z");
    let mut queries: Vec<String> = Vec::new();
    // O8: every bad format on either side.
    for bad in [year, month, time.as_str(), zulu.as_str()] {
        queries.push(format!("start=ge{d}&start=le{bad}"));
        queries.push(format!("start=ge{bad}&start=le{d}"));
    }
    // O9: prefixes.
    for (a, b) in [
        ("ge", "lt"),
        ("ge", "gt"),
        ("ge", "eq"),
        ("ge", "ge"),
        ("lt", "le"),
        ("gt", "le"),
        ("eqs", "le"),
        ("le", "le"),
    ] {
        queries.push(format!("start={a}{}&start={b}{}", date(1), date(20)));
    }
    queries.push("start=random123&start=random123".into());
    // O10, O11, 12.
    queries.push("start=le2030-03-03".into());
    queries.push("start=ge2030-03-03".into());
    queries.push(String::new());
    queries.push("start=2010-02-03&start=2010-03-03".into());
    queries.push("start=2010-03-03&start=2030-03-30".into());
    queries.push("start=ge2010-02-03&start=le2030-03-03".into());
    queries.push(format!("start=ge{}&start=le{}", date(-1), date(3)));
    queries.push("start=ge2030-03-03&start=le2030-01-01".into());
    for patient in ["4", "5"] {
        for query in &queries {
            let response = app.send(Call::retrieve(patient, query)).await;
            assert_eq!(response.status, 422, "{query}: {}", text(&response));
            assert_eq!(response.spine_code(), "INVALID_PARAMETER", "{query}");
            assert!(!response.diagnostics().is_empty());
        }
    }
    // No maximum range (the assurance teardown looks 30 days ahead).
    retrieve(&app, "4", "start=ge2030-03-03&start=le2031-03-30").await;
}

#[tokio::test]
async fn unknown_and_hidden_patients_are_not_found() {
    let app = Provider::sqlite().await;
    // O4, and the sensitive (9), deceased (18) and inactive (21) patients (SPEC 1).
    for patient in ["null", "dd", "9999", "9", "18", "21"] {
        let response = app
            .send(Call::retrieve(
                patient,
                "start=ge2030-03-30&start=le2030-04-30",
            ))
            .await;
        response.assert_error(404, "PATIENT_NOT_FOUND");
    }
    // The patient who dissented from sharing is found (SPEC 1).
    retrieve(&app, "15", &range(0, 1)).await;
}

#[tokio::test]
async fn the_jwt_scope_and_interaction_must_be_the_retrieve_ones() {
    let app = Provider::sqlite().await;
    // O14: organization/*.write and patient/*.write.
    for scope in ["organization/*.write", "patient/*.write"] {
        let token = support::JwtBuilder::new(Interaction::SearchPatientAppointments)
            .set("requested_scope", json!(scope))
            .token();
        let response = app
            .send(
                Call::retrieve("4", &range(0, 1))
                    .header("Authorization", &format!("Bearer {token}")),
            )
            .await;
        response.assert_error(400, "BAD_REQUEST");
    }
    // 18: another interaction id (with a trailing space).
    let response = app
        .send(Call::retrieve("4", &range(0, 1)).header(
            "Ssp-InteractionID",
            "urn:nhs:names:services:gpconnect:fhir:rest:search:organization-1 ",
        ))
        .await;
    response.assert_error(400, "BAD_REQUEST");
    assert_eq!(response.header("cache-control"), Some("no-store"));
}
