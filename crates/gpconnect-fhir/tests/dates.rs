//! SPEC 2.10: dates and times follow the STU3 lexical forms. A malformed `date`, `dateTime`,
//! `instant` or `time` anywhere in a document is refused in JSON and in XML, strictly and
//! leniently, with the element path in the error.
// Tests may unwrap: a panic is a test failure with a clear location.
#![allow(clippy::unwrap_used)]

use gpconnect_fhir::{decode, decode_with, encode, json, DecodeOptions, Format, Resource};
use serde_json::{json, Value};

/// A booking request body as a consumer sends it.
fn appointment() -> Value {
    json!({
        "resourceType": "Appointment",
        "meta": { "lastUpdated": "2017-09-14T12:00:00+01:00" },
        "extension": [{
            "url": "https://example.org/reminder",
            "extension": [
                { "url": "at", "valueTime": "08:30:00" },
                { "url": "on", "valueDate": "2017-09-15" },
                { "url": "window", "valuePeriod": { "start": "2017-09-15", "end": "2017-09-15T11:30:00Z" } }
            ]
        }],
        "status": "booked",
        "start": "2017-09-15T11:30:00+01:00",
        "end": "2017-09-15T11:40:00+01:00",
        "created": "2017-09-14T12:00:00+01:00",
        "participant": [{ "actor": { "reference": "Patient/1" }, "status": "accepted" }]
    })
}

fn encoded(value: &Value, format: Format) -> Vec<u8> {
    let resource = json::decode(value.to_string().as_bytes()).unwrap();
    encode(&resource, format).unwrap()
}

#[test]
fn valid_dates_and_times_of_every_type_are_read() {
    for format in [Format::Json, Format::Xml] {
        let bytes = encoded(&appointment(), format);
        let Resource::Appointment(appointment) = decode(&bytes, format).unwrap() else {
            panic!("not an Appointment");
        };
        assert_eq!(
            appointment.start.as_deref(),
            Some("2017-09-15T11:30:00+01:00")
        );
    }
}

#[test]
fn a_malformed_date_or_time_is_refused_with_its_path() {
    let cases = [
        (
            "/start",
            json!("2017-09-15 11:30:00+01:00"),
            "Appointment.start: '2017-09-15 11:30:00+01:00' is not a valid instant",
        ),
        (
            "/end",
            json!("2017-09-15"),
            "Appointment.end: '2017-09-15' is not a valid instant",
        ),
        (
            "/created",
            json!("2017-02-30T12:00:00+01:00"),
            "Appointment.created: '2017-02-30T12:00:00+01:00' is not a valid dateTime: no such day",
        ),
        (
            "/meta/lastUpdated",
            json!("yesterday"),
            "Appointment.meta.lastUpdated: 'yesterday' is not a valid instant",
        ),
        (
            "/extension/0/extension/0/valueTime",
            json!("8:30"),
            "Appointment.extension[0].extension[0].valueTime: '8:30' is not a valid time",
        ),
        (
            "/extension/0/extension/1/valueDate",
            json!("15/09/2017"),
            "Appointment.extension[0].extension[1].valueDate: '15/09/2017' is not a valid date",
        ),
        (
            "/extension/0/extension/2/valuePeriod/end",
            json!("2017-09-15T11:30:00"),
            "Appointment.extension[0].extension[2].valuePeriod.end: '2017-09-15T11:30:00' is not a valid dateTime",
        ),
    ];
    for (pointer, bad, expected) in cases {
        let mut body = appointment();
        *body.pointer_mut(pointer).unwrap() = bad.clone();

        // The XML body is written from the valid document, then the value swapped in.
        let name = pointer.rsplit('/').next().unwrap();
        let original = appointment().pointer(pointer).unwrap().clone();
        let element = format!(r#"<{name} value="{}"/>"#, original.as_str().unwrap());
        let xml = String::from_utf8(encoded(&appointment(), Format::Xml)).unwrap();
        assert_eq!(xml.matches(&element).count(), 1, "{element}");
        let xml = xml.replace(
            &element,
            &format!(r#"<{name} value="{}"/>"#, bad.as_str().unwrap()),
        );

        let documents = [
            (Format::Json, body.to_string().into_bytes()),
            (Format::Xml, xml.into_bytes()),
        ];
        for (format, bytes) in documents {
            for options in [DecodeOptions::STRICT, DecodeOptions::LENIENT] {
                let err = decode_with(&bytes, format, options).unwrap_err();
                assert!(
                    err.to_string().starts_with(expected),
                    "{format:?} {options:?}\n  got: {err}\n want: {expected}"
                );
                assert!(!err.is_syntax(), "{err}");
            }
        }
    }
}
