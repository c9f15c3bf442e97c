//! ATS AppointmentRead (SPEC 3.12): reading booked, cancelled, unknown and past appointments in
//! both formats.
#![allow(clippy::unwrap_used)]

mod appointments_support;
mod support;

use appointments_support::*;
use gpconnect_domain::Interaction;
use gpconnect_fhir::Format;
use serde_json::json;

#[tokio::test]
async fn booked_appointments_are_read_in_either_format() {
    let app = Provider::sqlite().await;
    // O1: patients 1, 2 and 3.
    for patient in ["1", "2", "3"] {
        let booked = app.book_first_free(patient).await;
        let id = booked["id"].as_str().unwrap();
        let response = app.send(Call::read(id)).await;
        assert_eq!(response.status, 200, "{}", text(&response));
        assert_eq!(response.header("cache-control"), Some("no-store"));
        let read = resource(&response, Format::Json);
        assert_appointment(&read);
        etag_matches(&response, &read);
        assert_eq!(read, booked);
    }
    // O5-O7: _format and Accept.
    let booked = app.book_first_free("1").await;
    let id = booked["id"].as_str().unwrap();
    for (accept, format_param, expected) in [
        (None, Some(Format::Json), Format::Json),
        (None, Some(Format::Xml), Format::Xml),
        (Some(Format::Json), Some(Format::Xml), Format::Xml),
        (Some(Format::Xml), Some(Format::Json), Format::Json),
        (Some(Format::Xml), None, Format::Xml),
        (Some(Format::Json), None, Format::Json),
    ] {
        let path = match format_param {
            Some(f) => format!("/Appointment/{id}?_format={}", f.mime().replace('+', "%2B")),
            None => format!("/Appointment/{id}"),
        };
        let mut call = Call::new("GET", &path, Interaction::ReadAppointment);
        if let Some(f) = accept {
            call = call.accept(f);
        }
        let response = app.send(call).await;
        assert_eq!(response.status, 200);
        let read = resource(&response, expected);
        assert_appointment(&read);
        assert_eq!(read, booked);
    }
}

#[tokio::test]
async fn the_booking_organisation_is_the_one_in_the_body_not_the_jwt() {
    let app = Provider::sqlite().await;
    // 3: booked with JWT organisation X12345, read with the default JWT.
    let bundle = app.free_slots(1, 14, true).await;
    let body = booking_body(&bundle, 0, "1");
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
    assert_eq!(response.status, 201);
    let id = response.json()["id"].as_str().unwrap().to_owned();
    let read = app.send(Call::read(&id)).await.json();
    assert_eq!(read["contained"][0]["identifier"][0]["value"], "A20047");
}

#[tokio::test]
async fn unknown_ids_are_not_found() {
    let app = Provider::sqlite().await;
    // O4, 9.
    for id in ["Invalid4321", "8888888888", "", "555555", "a.b-c"] {
        let response = app.send(Call::read(id)).await;
        response.assert_error(404, "NO_RECORD_FOUND");
        assert_eq!(response.header("cache-control"), Some("no-store"));
    }
}

#[tokio::test]
async fn cancelled_appointments_stay_readable_and_past_ones_are_refused() {
    let app = Provider::sqlite().await;
    let booked = app.book_first_free("2").await;
    let id = booked["id"].as_str().unwrap();
    let response = app
        .send(Call::cancel(id).json(&cancel_body(&booked, "double booked")))
        .await;
    assert_eq!(response.status, 200, "{}", text(&response));
    let read = resource(&app.send(Call::read(id)).await, Format::Json);
    assert_eq!(read["status"], "cancelled");
    assert_appointment(&read);
    // SPEC 9.8: an appointment in the past is outside Appointment Management.
    let past = past_appointment(&app, "3").await;
    let response = app.send(Call::read(&past)).await;
    response.assert_error(422, "INVALID_PARAMETER");
}

#[tokio::test]
async fn an_appointment_made_at_the_practice_is_read_from_its_typed_fields() {
    let app = Provider::sqlite().await;
    // SPEC 3.12: appointments not booked through GP Connect have no participants, booking
    // organisation or role stored; the resource is built from the typed fields.
    let id = past_appointment(&app, "4").await;
    let practice = gpconnect_domain::OdsCode::parse("A20047").unwrap();
    let store = app.state.store();
    let fhir_id = gpconnect_domain::FhirId::parse(&id).unwrap();
    let record = store
        .get_appointment(&practice, &fhir_id)
        .await
        .unwrap()
        .unwrap();
    let a = serde_json::to_value(gpconnect_server::appointment::to_fhir(&record).unwrap()).unwrap();
    let refs: Vec<&str> = a["participant"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["actor"]["reference"].as_str().unwrap())
        .collect();
    assert_eq!(refs, ["Patient/4", "Location/1", "Practitioner/1"]);
    assert!(a.get("contained").is_none());
    assert!(extensions(&a, BOOKING_ORGANISATION).is_empty());
    assert_eq!(a["description"], "Booked at the practice");
}
