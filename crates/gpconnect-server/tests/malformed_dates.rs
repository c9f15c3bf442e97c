//! SPEC 2.10 and 2.8: a request body holding a date or time that is not in its FHIR STU3 form
//! (`instant` Appointment.start, `date` Patient.birthDate) is refused with 422
//! `INVALID_RESOURCE` naming the element, in JSON and in XML, and nothing is booked or
//! registered: the same body with the value corrected then succeeds.
#![allow(clippy::unwrap_used)]

mod appointments_support;
mod foundations_support;
mod support;

use appointments_support::{booking_body, Call, Provider};
use foundations_support::{
    assert_outcome, assert_registered, parameters, pool_person, register_patient, register_raw,
    to_xml, Ask,
};
use gpconnect_fhir::Format;
use serde_json::{json, Value};
use support::DemoApp;

/// `body` in `format`, with the `name` element's value `good` replaced by `bad` (in XML after
/// encoding, since the codec cannot write an invalid value).
fn with_value(body: &Value, name: &str, good: &str, bad: &str, format: Format) -> String {
    match format {
        Format::Json => body.to_string().replace(
            &format!(r#""{name}":"{good}""#),
            &format!(r#""{name}":"{bad}""#),
        ),
        Format::Xml => String::from_utf8(to_xml(body)).unwrap().replace(
            &format!(r#"<{name} value="{good}"/>"#),
            &format!(r#"<{name} value="{bad}"/>"#),
        ),
    }
}

#[tokio::test]
async fn a_booking_with_a_malformed_start_is_an_invalid_resource() {
    let app = Provider::sqlite().await;
    let bundle = app.free_slots(1, 14, true).await;
    let body = booking_body(&bundle, 0, "1");
    let start = body["start"].as_str().unwrap().to_owned();
    let bad_values = [
        // A space instead of the `T`.
        start.replacen('T', " ", 1),
        // No time zone.
        start[..19].to_owned(),
        // A day that does not exist.
        format!("{}-02-30{}", &start[..4], &start[10..]),
    ];
    for format in [Format::Json, Format::Xml] {
        for bad in &bad_values {
            let text = with_value(&body, "start", &start, bad, format);
            assert!(text.contains(bad.as_str()), "{text}");
            let response = app.send(Call::book().raw_body(&text, format)).await;
            let diagnostics = assert_outcome(&response, 422, "INVALID_RESOURCE");
            assert!(
                diagnostics.starts_with(&format!(
                    "Appointment.start: '{bad}' is not a valid instant"
                )),
                "{format:?} {bad}: {diagnostics}"
            );
        }
    }
    let response = app.send(Call::book().json(&body)).await;
    assert_eq!(
        response.status,
        201,
        "{}",
        String::from_utf8_lossy(&response.body)
    );
}

#[tokio::test]
async fn a_registration_with_a_malformed_birth_date_is_an_invalid_resource() {
    let app = DemoApp::start().await;
    let person = pool_person(3);
    let patient = register_patient(&person);
    let body = parameters(std::slice::from_ref(&patient));
    let good = person.birth_date.clone();
    for format in [Format::Json, Format::Xml] {
        for bad in [
            "1970-02-30",
            "03/02/1970",
            "1970-02-03T00:00:00+00:00",
            "70",
        ] {
            let text = with_value(&body, "birthDate", &good, bad, format);
            assert!(text.contains(bad), "{text}");
            let response = app
                .send(register_raw(
                    text.into_bytes(),
                    format.mime(),
                    Ask::accept(format),
                ))
                .await;
            let diagnostics = assert_outcome(&response, 422, "INVALID_RESOURCE");
            assert!(
                diagnostics.starts_with(&format!(
                    "Parameters.parameter[0].resource.birthDate: '{bad}' is not a valid date"
                )),
                "{format:?} {bad}: {diagnostics}"
            );
        }
    }
    let response = app
        .send(register_raw(
            body.to_string().into_bytes(),
            Format::Json.mime(),
            Ask::JSON,
        ))
        .await;
    let registered = assert_registered(&response, Format::Json, &patient);
    assert_eq!(registered["birthDate"], json!(good));
}
