//! ATS PatientRegister (SPEC 3.4) on the demo practice: every assurance row that needs no TLS,
//! with JSON and XML bodies and answers, the check order of ATS §2.2, re-activation of an
//! inactive record, and hostile or malformed bodies.
//!
//! People to register come from the local PDS's registration pool; each test uses its own
//! pool indices (noted on the test), so no test depends on another's registrations.
#![allow(clippy::unwrap_used)]

mod foundations_support;
mod support;

use std::sync::Arc;

use foundations_support::*;
use gpconnect_demo::LocalPds;
use gpconnect_domain::records::PatientRecord;
use gpconnect_domain::{FhirId, Interaction, NhsNumber, OdsCode, UkDateTime};
use gpconnect_fhir::Format;
use gpconnect_server::{AppState, ServerConfig};
use serde_json::{json, Value};
use support::{with_token, DemoApp, JwtBuilder, TestResponse, ODS};
use tower::ServiceExt;

/// A change made to the Patient of a register body.
type Change = Box<dyn Fn(&mut Value)>;

const JSON: Format = Format::Json;
const XML: Format = Format::Xml;

/// ATS PatientRegister's temporary address (`I add a Address element to the Stored Patient`).
fn address(use_: &str) -> Value {
    json!({
        "use": use_,
        "line": ["1 Trevelyan Square", "Boar Lane"],
        "city": "Leeds",
        "postalCode": "LS1 6AE"
    })
}

/// ATS PatientRegister's telecoms by row name (`I add a Telecom element use "…"`).
fn telecom(kind: &str) -> Value {
    match kind {
        "Home" => json!({ "system": "phone", "value": "01234567891", "use": "home" }),
        "Work" => json!({ "system": "phone", "value": "01234567891", "use": "work" }),
        "Mobile" => json!({ "system": "phone", "value": "01234567891", "use": "mobile" }),
        "Temp" => json!({ "system": "phone", "value": "01234567891", "use": "temp" }),
        "Email" => json!({ "system": "email", "value": "abc.d@mail.com", "use": "temp" }),
        other => panic!("no telecom {other}"),
    }
}

/// ATS PatientRegister 26: German, interpreter required.
fn nhs_communication() -> Value {
    json!({
        "url": COMMUNICATION_EXT,
        "extension": [
            {
                "url": "language",
                "valueCodeableConcept": { "coding": [{
                    "system": "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-HumanLanguage-1",
                    "code": "de",
                    "display": "German"
                }]}
            },
            { "url": "interpreterRequired", "valueBoolean": true }
        ]
    })
}

/// The register body for `patient` in JSON.
fn body(patient: &Value) -> Value {
    parameters(std::slice::from_ref(patient))
}

async fn register(app: &DemoApp, patient: &Value) -> TestResponse {
    app.send(register_request(&body(patient), JSON, Ask::JSON))
        .await
}

async fn search(app: &DemoApp, nhs_number: &str) -> Vec<Value> {
    let path = format!("/Patient?{}", identifier_query(NHS_SYSTEM, nhs_number));
    let response = app
        .send(get(&path, Interaction::SearchPatient, Ask::JSON))
        .await;
    searchset(&ok(&response, JSON))
}

/// Pool 0.
#[tokio::test]
async fn a_new_patient_is_registered_as_temporary_once_and_becomes_searchable() {
    let app = DemoApp::start().await;
    let person = pool_person(0);
    let patient = register_patient(&person);
    assert!(search(&app, &person.nhs).await.is_empty());

    // ATS PatientRegister 31 and the success set.
    let response = register(&app, &patient).await;
    let registered = assert_registered(&response, JSON, &patient);
    let id = registered["id"].as_str().unwrap();
    let details = assert_registration_details(&registered, true);
    let start = details["extension"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["url"] == "registrationPeriod")
        .unwrap()["valuePeriod"]["start"]
        .clone();
    assert_eq!(
        start,
        gpconnect_domain::UkDateTime::now().uk_date().to_string()
    );
    // SPEC 4.2: the practice addressed by the URL manages the patient.
    assert_eq!(
        registered["managingOrganization"]["reference"],
        "Organization/1"
    );

    // Searchable and readable now, with the same content.
    let found = search(&app, &person.nhs).await;
    assert_eq!(found, std::slice::from_ref(&registered));
    assert_patient_conforms(&found[0], &person.nhs);
    let response = app
        .send(get(
            &format!("/Patient/{id}"),
            Interaction::ReadPatient,
            Ask::XML,
        ))
        .await;
    assert_eq!(ok(&response, XML), registered);

    // ATS PatientRegister 14: already registered as a temporary patient.
    let response = register(&app, &patient).await;
    let diagnostics = assert_outcome(&response, 409, "DUPLICATE_REJECTED");
    assert!(diagnostics.contains(&person.nhs), "{diagnostics}");

    // SPEC 2.13: provenance of the registration is kept with the audit event.
    app.state.audit().flush().await;
    let events = app
        .store
        .audit_events(Some(&OdsCode::parse(ODS).unwrap()), 20)
        .await
        .unwrap();
    let registration = events
        .iter()
        .find(|e| e.status == 200 && e.path.ends_with("$gpc.registerpatient"))
        .unwrap();
    assert_eq!(registration.patient.as_deref(), Some(id));
    let detail = registration.detail.as_deref().unwrap();
    for expected in [
        person.nhs.as_str(),
        "AssuranceTest AssurancePractitioner",
        "GCASDS0001",
        "GPCA0001",
        "gpc.registerpatient-1",
    ] {
        assert!(detail.contains(expected), "{expected} in {detail}");
    }

    // SPEC 2.13: and with the record itself, taken from the JWT and SSP headers.
    let stored = app
        .store
        .get_patient(&OdsCode::parse(ODS).unwrap(), &FhirId::parse(id).unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_registration_provenance(&stored, registration.trace_id.as_deref());
}

/// The provenance the suite's default token gives a registration (SPEC 2.13: author id, name
/// and role, originating organisation, interaction, time to the second).
fn assert_registration_provenance(stored: &PatientRecord, trace_id: Option<&str>) {
    let provenance = stored.provenance.as_ref().expect("registration provenance");
    assert_eq!(provenance.user_id, "1");
    assert_eq!(
        provenance.user_name,
        "Mr AssuranceTest AssurancePractitioner"
    );
    assert_eq!(provenance.sds_user_id.as_deref(), Some("GCASDS0001"));
    assert_eq!(provenance.role_profile_id.as_deref(), Some("112233445566"));
    assert_eq!(provenance.organization_ods, "GPCA0001");
    assert_eq!(provenance.organization_name, "GP Connect Assurance");
    assert_eq!(provenance.interaction, Interaction::RegisterPatient.id());
    if let Some(trace_id) = trace_id {
        assert_eq!(provenance.trace_id, trace_id);
    }
    let age = UkDateTime::now().unix_seconds() - provenance.at.unix_seconds();
    assert!(
        (0..600).contains(&age),
        "written just now: {}",
        provenance.at
    );
}

/// Pool 10–21.
#[tokio::test]
async fn register_takes_json_or_xml_bodies_and_answers_in_the_format_asked_for() {
    let app = DemoApp::start().await;
    let rows = [
        // ATS PatientRegister O6: Content-Type and Accept alike.
        (XML, Ask::XML, false),
        (JSON, Ask::JSON, false),
        // O7: Content-Type and `_format` alike.
        (XML, Ask::param(XML), false),
        (JSON, Ask::param(JSON), false),
        // O8: all three, with a generic extra identifier.
        (XML, Ask::both(XML, XML), true),
        (XML, Ask::both(XML, JSON), true),
        (JSON, Ask::both(JSON, XML), true),
        (XML, Ask::both(JSON, JSON), true),
        (JSON, Ask::both(XML, XML), true),
        (JSON, Ask::both(JSON, JSON), true),
        (XML, Ask::both(JSON, XML), true),
        (JSON, Ask::both(XML, JSON), true),
    ];
    for (index, (content, ask, generic)) in rows.into_iter().enumerate() {
        let person = pool_person(10 + index);
        let mut patient = register_patient(&person);
        if generic {
            patient["identifier"].as_array_mut().unwrap().push(json!({
                "system": "GenericIdentifierSystem",
                "value": "GenericIdentifierValue"
            }));
        }
        let response = app
            .send(register_request(&body(&patient), content, ask))
            .await;
        let registered = assert_registered(&response, ask.expected(), &patient);
        // ATS 3.1: the NHS number is the only identifier answered.
        assert_eq!(registered["identifier"].as_array().unwrap().len(), 1);
        assert_patient_conforms(&registered, &person.nhs);
    }
}

/// Pool 30–33.
#[tokio::test]
async fn gender_may_be_left_to_pds_and_every_given_name_is_kept() {
    let app = DemoApp::start().await;
    // ATS PatientRegister 3: no gender; PDS supplies it (SPEC 3.4 step 3).
    let person = pool_person(30);
    let mut patient = register_patient(&person);
    patient.as_object_mut().unwrap().remove("gender");
    let registered = assert_registered(&register(&app, &patient).await, JSON, &patient);
    assert_eq!(registered["gender"], person.gender);

    // ATS PatientRegister O17: 1, 2 and 5 extra given names.
    for (index, extra) in [1, 2, 5].into_iter().enumerate() {
        let person = pool_person(31 + index);
        let mut patient = register_patient(&person);
        for n in 1..=extra {
            patient["name"][0]["given"]
                .as_array_mut()
                .unwrap()
                .push(json!(format!("GivenName-{n}")));
        }
        let registered = assert_registered(&register(&app, &patient).await, JSON, &patient);
        assert_eq!(
            registered["name"][0]["given"].as_array().unwrap().len(),
            extra + 1
        );
    }
}

/// Pool 40–46 (JSON bodies) and 50–56 (XML bodies).
#[tokio::test]
async fn optional_elements_are_accepted_and_kept() {
    let app = DemoApp::start().await;
    let rows: Vec<(&str, Change)> = vec![
        // ATS PatientRegister O20.
        (
            "temp address",
            Box::new(|p| p["address"] = json!([address("temp")])),
        ),
        (
            "nickname",
            Box::new(|p| {
                p["name"].as_array_mut().unwrap().push(json!({
                    "use": "nickname", "family": "AdditionalFamily", "given": ["AdditionalGiven"]
                }))
            }),
        ),
        (
            "home phone",
            Box::new(|p| p["telecom"] = json!([telecom("Home")])),
        ),
        // ATS 22.
        (
            "address and telecom",
            Box::new(|p| {
                p["address"] = json!([address("temp")]);
                p["telecom"] = json!([telecom("Home")]);
            }),
        ),
        // ATS 26.
        (
            "nhsCommunication",
            Box::new(|p| {
                p["address"] = json!([address("temp")]);
                p["telecom"] = json!([telecom("Home")]);
                p["extension"] = json!([nhs_communication()]);
            }),
        ),
        // ATS O36.
        (
            "home and temp",
            Box::new(|p| p["address"] = json!([address("home"), address("temp")])),
        ),
        (
            "temp and home",
            Box::new(|p| p["address"] = json!([address("temp"), address("home")])),
        ),
    ];
    for (index, (row, change)) in rows.iter().enumerate() {
        // Each row as a JSON body, then as an XML body for another person.
        for (format, person) in [(JSON, 40 + index), (XML, 50 + index)] {
            let mut patient = register_patient(&pool_person(person));
            change(&mut patient);
            let response = app
                .send(register_request(
                    &body(&patient),
                    format,
                    Ask::accept(format),
                ))
                .await;
            let registered = assert_registered(&response, format, &patient);
            for element in ["address", "telecom"] {
                if let Some(sent) = patient.get(element) {
                    assert_eq!(&registered[element], sent, "{row}: {element}");
                }
            }
            if row == &"nickname" {
                assert_eq!(registered["name"].as_array().unwrap().len(), 2);
            }
            if row == &"nhsCommunication" {
                let communication = extensions(&registered, COMMUNICATION_EXT);
                assert_eq!(communication.len(), 1);
                assert_eq!(*communication[0], nhs_communication());
            }
        }
    }
}

/// Pool 70–89, and 90 for the refused rows.
#[tokio::test]
async fn telecoms_are_one_per_system_and_use() {
    let app = DemoApp::start().await;
    let kinds = ["Home", "Work", "Mobile", "Temp", "Email"];
    let mut next = 70;
    // ATS PatientRegister O24: every ordered pair of different kinds.
    for first in kinds {
        for second in kinds.iter().filter(|k| **k != first) {
            let mut patient = register_patient(&pool_person(next));
            next += 1;
            patient["address"] = json!([address("temp")]);
            patient["telecom"] = json!([telecom(first), telecom(second)]);
            let registered = assert_registered(&register(&app, &patient).await, JSON, &patient);
            assert_eq!(
                registered["telecom"], patient["telecom"],
                "{first} {second}"
            );
        }
    }
    // ATS PatientRegister O25: the same kind twice.
    let person = pool_person(90);
    for kind in kinds {
        let mut patient = register_patient(&person);
        patient["address"] = json!([address("temp")]);
        patient["telecom"] = json!([telecom(kind), telecom(kind)]);
        assert_outcome(&register(&app, &patient).await, 400, "BAD_REQUEST");
    }
    assert!(search(&app, &person.nhs).await.is_empty());
}

/// Pool 91.
#[tokio::test]
async fn addresses_are_at_most_one_home_and_one_temp() {
    let app = DemoApp::start().await;
    let person = pool_person(91);
    let mut rows: Vec<Vec<&str>> = vec![
        // ATS PatientRegister O37.
        vec!["home", "work"],
        vec!["home", "home"],
        vec!["home", "old"],
        vec!["old", "work"],
        vec!["old", "old"],
        vec!["old", "temp"],
        vec!["temp", "work"],
        vec!["temp", "temp"],
        vec!["temp", "old"],
        // O38.
        vec!["work"],
        vec!["old"],
    ];
    // ATS 23: two temporary addresses and a telecom.
    rows.push(vec!["temp", "temp"]);
    for uses in rows {
        let mut patient = register_patient(&person);
        patient["address"] = Value::Array(uses.iter().map(|u| address(u)).collect());
        patient["telecom"] = json!([telecom("Home")]);
        for format in [JSON, XML] {
            let response = app
                .send(register_request(
                    &body(&patient),
                    format,
                    Ask::accept(format),
                ))
                .await;
            assert_eq!(format_of(&response), format);
            assert_outcome(&response, 422, "INVALID_RESOURCE");
        }
    }
    assert!(search(&app, &person.nhs).await.is_empty());
}

/// Pool 92.
#[tokio::test]
async fn the_patient_structure_is_checked() {
    let app = DemoApp::start().await;
    let person = pool_person(92);
    let rows: Vec<(&str, u16, &str, Change)> = vec![
        // ATS PatientRegister 4, 16, 18, 19, 32.
        (
            "no birth date",
            400,
            "BAD_REQUEST",
            Box::new(|p| {
                p.as_object_mut().unwrap().remove("birthDate");
            }),
        ),
        (
            "no official name",
            400,
            "BAD_REQUEST",
            Box::new(|p| p["name"][0]["use"] = json!("anonymous")),
        ),
        (
            "no family name",
            400,
            "BAD_REQUEST",
            Box::new(|p| {
                p["name"][0].as_object_mut().unwrap().remove("family");
            }),
        ),
        (
            "identifier without a system",
            400,
            "BAD_REQUEST",
            Box::new(|p| {
                p["identifier"]
                    .as_array_mut()
                    .unwrap()
                    .push(json!({ "value": "NewIdentifierNoSystem" }))
            }),
        ),
        (
            "no names",
            400,
            "BAD_REQUEST",
            Box::new(|p| {
                p.as_object_mut().unwrap().remove("name");
            }),
        ),
        (
            "two official names",
            400,
            "BAD_REQUEST",
            Box::new(|p| {
                let second = p["name"][0].clone();
                p["name"].as_array_mut().unwrap().push(second);
            }),
        ),
        // ATS O21.
        (
            "active",
            422,
            "INVALID_RESOURCE",
            Box::new(|p| p["active"] = json!(true)),
        ),
        (
            "multiple birth",
            422,
            "INVALID_RESOURCE",
            Box::new(|p| p["multipleBirthBoolean"] = json!(true)),
        ),
        (
            "general practitioner",
            422,
            "INVALID_RESOURCE",
            Box::new(|p| p["generalPractitioner"] = json!([{ "display": "Test Care Provider" }])),
        ),
        (
            "contact",
            422,
            "INVALID_RESOURCE",
            Box::new(
                |p| p["contact"] = json!([{ "name": { "use": "anonymous", "family": "TestFamily", "given": ["TestGiven"] } }]),
            ),
        ),
        (
            "managing organisation",
            422,
            "INVALID_RESOURCE",
            Box::new(|p| p["managingOrganization"] = json!({ "display": "Test Managing Org" })),
        ),
        (
            "marital status",
            422,
            "INVALID_RESOURCE",
            Box::new(
                |p| p["maritalStatus"] = json!({ "coding": [{ "system": "http://hl7.org/fhir/v3/MaritalStatus", "code": "M" }] }),
            ),
        ),
        // ATS O28.
        (
            "animal",
            422,
            "INVALID_RESOURCE",
            Box::new(|p| {
                p["animal"] = json!({ "species": { "coding": [{ "system": "AllSpecies", "code": "Human" }] } })
            }),
        ),
        (
            "communication",
            422,
            "INVALID_RESOURCE",
            Box::new(
                |p| p["communication"] = json!([{ "language": { "coding": [{ "system": "https://tools.ietf.org/html/bcp47", "code": "en" }] } }]),
            ),
        ),
        (
            "photo",
            422,
            "INVALID_RESOURCE",
            Box::new(|p| p["photo"] = json!([{ "url": "Test Photo Element" }])),
        ),
        (
            "photo with a valid url",
            422,
            "INVALID_RESOURCE",
            Box::new(|p| p["photo"] = json!([{ "url": "https://example.org/photo.png" }])),
        ),
        (
            "deceased",
            422,
            "INVALID_RESOURCE",
            Box::new(|p| p["deceasedDateTime"] = json!("2017-09-01T10:00:00+01:00")),
        ),
        // ATS 27.
        (
            "two nhsCommunication",
            422,
            "INVALID_RESOURCE",
            Box::new(|p| p["extension"] = json!([nhs_communication(), nhs_communication()])),
        ),
        // SPEC 3.4: nothing else; a partial birth date cannot be compared with PDS.
        (
            "registration details",
            422,
            "INVALID_RESOURCE",
            Box::new(
                |p| p["extension"] = json!([{ "url": REGISTRATION_EXT, "extension": [{ "url": "preferredBranchSurgery", "valueReference": { "reference": "Location/1" } }] }]),
            ),
        ),
        (
            "partial birth date",
            422,
            "INVALID_RESOURCE",
            Box::new(|p| p["birthDate"] = json!("1970")),
        ),
        (
            "fax",
            422,
            "INVALID_RESOURCE",
            Box::new(|p| {
                p["telecom"] = json!([{ "system": "fax", "value": "01234567891", "use": "work" }])
            }),
        ),
    ];
    for (row, status, code, change) in rows {
        let mut patient = register_patient(&person);
        change(&mut patient);
        // The suite's photo URL is not a valid uri, so that row cannot be written as XML.
        let xml = gpconnect_fhir::json::decode(body(&patient).to_string().as_bytes()).is_ok();
        let formats: &[Format] = if xml { &[JSON, XML] } else { &[JSON] };
        for &format in formats {
            let response = app
                .send(register_request(
                    &body(&patient),
                    format,
                    Ask::accept(format),
                ))
                .await;
            let diagnostics = assert_outcome(&response, status, code);
            assert!(!diagnostics.is_empty(), "{row}");
        }
    }
    assert!(search(&app, &person.nhs).await.is_empty());
}

/// Pool 93.
#[tokio::test]
async fn the_parameters_resource_is_checked() {
    let app = DemoApp::start().await;
    let patient = register_patient(&pool_person(93));
    let send = |body: Value| {
        app.send(register_raw(
            body.to_string().into_bytes(),
            JSON.mime(),
            Ask::JSON,
        ))
    };

    // ATS PatientRegister 9, 10, 11: not valid FHIR resources.
    let mut invalid_bundle = body(&patient);
    invalid_bundle["resourceType"] = json!("InvalidResourceType");
    let mut invalid_patient = body(&patient);
    invalid_patient["parameter"][0]["resource"]["resourceType"] = json!("InvalidResourceType");
    let mut extra_field = body(&patient);
    extra_field["parameter"][0]["resource"]["invalidField"] = json!("Assurance Testing");
    for (body, names) in [
        (invalid_bundle, "InvalidResourceType"),
        (invalid_patient, "InvalidResourceType"),
        (extra_field, "invalidField"),
    ] {
        let diagnostics = assert_outcome(&send(body).await, 422, "INVALID_RESOURCE");
        assert!(diagnostics.contains(names), "{diagnostics}");
    }
    // ATS 12: two registerPatient parameters.
    let response = app
        .send(register_request(
            &parameters(&[patient.clone(), patient.clone()]),
            JSON,
            Ask::JSON,
        ))
        .await;
    assert_outcome(&response, 400, "BAD_REQUEST");
    // Another resource than Parameters, another parameter, no resource in the parameter.
    assert_outcome(&send(patient.clone()).await, 422, "INVALID_RESOURCE");
    let mut renamed = body(&patient);
    renamed["parameter"][0]["name"] = json!("somethingElse");
    assert_outcome(&send(renamed).await, 422, "INVALID_RESOURCE");
    let organisation = json!({ "resourceType": "Parameters", "parameter": [{
        "name": "registerPatient",
        "resource": { "resourceType": "Organization", "name": "Not a patient" }
    }]});
    assert_outcome(&send(organisation).await, 422, "INVALID_RESOURCE");
    let no_resource = json!({ "resourceType": "Parameters", "parameter": [{
        "name": "registerPatient", "valueString": "9658218865"
    }]});
    assert_outcome(&send(no_resource).await, 422, "INVALID_RESOURCE");

    // The same in XML: an unknown element inside the Patient.
    let xml = String::from_utf8(to_xml(&body(&patient)))
        .unwrap()
        .replacen(
            "<birthDate",
            "<invalidField value=\"Assurance Testing\"/><birthDate",
            1,
        );
    let response = app
        .send(register_raw(xml.into_bytes(), XML.mime(), Ask::XML))
        .await;
    let diagnostics = assert_outcome(&response, 422, "INVALID_RESOURCE");
    assert!(diagnostics.contains("invalidField"), "{diagnostics}");
}

#[tokio::test]
async fn a_missing_or_malformed_nhs_number_is_an_invalid_nhs_number() {
    let app = DemoApp::start().await;
    let person = pool_person(94);
    // ATS PatientRegister 2, 30.
    let mut patient = register_patient(&person);
    patient.as_object_mut().unwrap().remove("identifier");
    for format in [JSON, XML] {
        let response = app
            .send(register_request(
                &body(&patient),
                format,
                Ask::accept(format),
            ))
            .await;
        assert_outcome(&response, 400, "INVALID_NHS_NUMBER");
    }
    // ATS O5.
    for bad in [
        "34555##4",
        "hello",
        "999999999",
        "9000000008",
        "90000000090",
    ] {
        let mut patient = register_patient(&person);
        patient["identifier"] = json!([{ "system": NHS_SYSTEM, "value": bad }]);
        let diagnostics =
            assert_outcome(&register(&app, &patient).await, 400, "INVALID_NHS_NUMBER");
        assert!(diagnostics.contains(bad), "{diagnostics}");
    }
}

/// Registers the demo patient `key` with their own demographics.
fn fixture_body(key: &str) -> Value {
    let p = gpconnect_demo::fixtures::fixture_patient(key).unwrap();
    register_patient(&Person {
        nhs: p.nhs_number.to_owned(),
        family: p.family.to_owned(),
        given: p.given.to_owned(),
        gender: p.gender.code(),
        birth_date: p.birth_date.to_string(),
    })
}

/// Pool 95.
#[tokio::test]
async fn pds_and_the_practice_record_decide_who_may_be_registered() {
    let app = DemoApp::start().await;
    let new_person = register_patient(&pool_person(95));
    let with_number = |key: &str| {
        let mut patient = new_person.clone();
        patient["identifier"][0]["value"] = json!(nhs(key));
        patient
    };

    // ATS PatientRegister 13: patient1 as the search answers it (name, gender, birth date).
    let found = search(&app, nhs("patient1")).await;
    let mut patient1 = register_patient(&pool_person(95));
    patient1["identifier"][0]["value"] = json!(nhs("patient1"));
    patient1["name"] = found[0]["name"].clone();
    patient1["gender"] = found[0]["gender"].clone();
    patient1["birthDate"] = found[0]["birthDate"].clone();
    assert_outcome(&register(&app, &patient1).await, 409, "DUPLICATE_REJECTED");

    for (row, patient, code) in [
        // ATS 15: on the practice index but not on PDS.
        (
            "patient14",
            fixture_body("patient14"),
            "INVALID_PATIENT_DEMOGRAPHICS",
        ),
        // ATS 33, 34, 35: deceased, sensitive, superseded (with the new person's details).
        (
            "patient18",
            with_number("patient18"),
            "INVALID_PATIENT_DEMOGRAPHICS",
        ),
        (
            "patient9",
            with_number("patient9"),
            "INVALID_PATIENT_DEMOGRAPHICS",
        ),
        ("patient11", with_number("patient11"), "INVALID_NHS_NUMBER"),
        // The same with their own demographics.
        (
            "patient18 own",
            fixture_body("patient18"),
            "INVALID_PATIENT_DEMOGRAPHICS",
        ),
        (
            "patient9 own",
            fixture_body("patient9"),
            "INVALID_PATIENT_DEMOGRAPHICS",
        ),
        (
            "patient11 own",
            fixture_body("patient11"),
            "INVALID_NHS_NUMBER",
        ),
        // SPEC 3.2: demographics that do not match PDS (patient1's number, the new person).
        (
            "mismatch",
            with_number("patient1"),
            "INVALID_PATIENT_DEMOGRAPHICS",
        ),
    ] {
        let diagnostics = assert_outcome(&register(&app, &patient).await, 400, code);
        assert!(!diagnostics.is_empty(), "{row}");
    }
    // ATS 15 with the suite's own made-up details, and a number nobody holds.
    let mut not_on_spine = with_number("patient14");
    not_on_spine["name"] = json!([{ "use": "official", "family": "GPConnectFamilyName", "given": ["GPConnectGivenName"] }]);
    not_on_spine["gender"] = json!("other");
    not_on_spine["birthDate"] = json!("2017-05-05");
    assert_outcome(
        &register(&app, &not_on_spine).await,
        400,
        "INVALID_PATIENT_DEMOGRAPHICS",
    );
    let mut nobody = new_person.clone();
    nobody["identifier"][0]["value"] = json!("9999999999");
    assert_outcome(
        &register(&app, &nobody).await,
        400,
        "INVALID_PATIENT_DEMOGRAPHICS",
    );
}

#[tokio::test]
async fn an_inactive_patient_is_reactivated_as_a_temporary_registration() {
    let app = DemoApp::start().await;
    // patient21 has left the practice (ATS 1.8) and is not shared.
    assert!(search(&app, nhs("patient21")).await.is_empty());
    let patient = fixture_body("patient21");
    let response = app
        .send(register_request(&body(&patient), XML, Ask::XML))
        .await;
    let registered = assert_registered(&response, XML, &patient);
    // SPEC 3.4: the same record, re-activated, keeping its preferred branch surgery.
    assert_eq!(registered["id"], "21");
    let details = assert_registration_details(&registered, true);
    let branch = details["extension"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["url"] == "preferredBranchSurgery")
        .unwrap()["valueReference"]["reference"]
        .as_str()
        .unwrap()
        .to_owned();
    read_reference(&app, &branch).await;
    assert!(registered["address"].is_array() && registered["telecom"].is_array());
    let stored = app
        .store
        .find_patient_by_nhs_number(
            &OdsCode::parse(ODS).unwrap(),
            &NhsNumber::parse(nhs("patient21")).unwrap(),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.version.to_string(),
        registered["meta"]["versionId"].as_str().unwrap()
    );
    // SPEC 2.13: the re-activation records who made it through the API.
    assert_registration_provenance(&stored, None);
    assert_eq!(search(&app, nhs("patient21")).await, [registered]);
    // And now it is active: a second registration is a duplicate.
    assert_outcome(&register(&app, &patient).await, 409, "DUPLICATE_REJECTED");
}

/// Pool 96.
#[tokio::test]
async fn wrong_urls_and_scopes_are_refused() {
    let app = DemoApp::start().await;
    let patient = register_patient(&pool_person(96));
    let bytes = body(&patient).to_string().into_bytes();
    // ATS PatientRegister O1 (`#ent` is a fragment, so the path ends in `$gpc.registerpati`).
    for operation in ["$gpc.registerpatien", "$gpc.registerpati"] {
        let request = support::request(
            "POST",
            &format!("/Patient/{operation}"),
            Interaction::RegisterPatient,
        )
        .header("Content-Type", JSON.mime())
        .body(axum::body::Body::from(bytes.clone()))
        .unwrap();
        let response = app.send(request).await;
        assert_ne!(response.status, 200);
        assert_eq!(resource(&response)["resourceType"], "OperationOutcome");
    }
    // ATS O29.
    for scope in ["patient/*.read", "organization/*.read"] {
        let token = JwtBuilder::new(Interaction::RegisterPatient)
            .set("requested_scope", json!(scope))
            .token();
        let request = with_token(register_request(&body(&patient), JSON, Ask::JSON), &token);
        assert_outcome(&app.send(request).await, 400, "BAD_REQUEST");
    }
    assert!(search(&app, &pool_person(96).nhs).await.is_empty());
}

/// Pool 100–102.
#[tokio::test]
async fn a_percent_encoded_operation_name_is_the_operation() {
    let app = DemoApp::start().await;
    // SPEC 2.2: URLs are percent-encoded per RFC 3986, so `%24` is the `$` of the operation.
    for (index, operation) in [
        (100, "%24gpc.registerpatient"),
        (101, "%24gpc%2Eregisterpatient"),
    ] {
        let patient = register_patient(&pool_person(index));
        let request = support::request(
            "POST",
            &format!("/Patient/{operation}"),
            Interaction::RegisterPatient,
        )
        .header("Content-Type", JSON.mime())
        .body(axum::body::Body::from(body(&patient).to_string()))
        .unwrap();
        let registered = assert_registered(&app.send(request).await, JSON, &patient);
        assert_eq!(
            search(&app, &pool_person(index).nhs).await,
            [registered],
            "{operation}"
        );
    }
    // Still the exact operation name only; an encoded `/` does not split a segment.
    for path in [
        "/Patient/%24gpc.registerpatien",
        "/Patient/%24gpc.register%2Fpatient",
    ] {
        let request = support::request("POST", path, Interaction::RegisterPatient)
            .header("Content-Type", JSON.mime())
            .body(axum::body::Body::from(
                body(&register_patient(&pool_person(102))).to_string(),
            ))
            .unwrap();
        assert_outcome(&app.send(request).await, 404, "NO_RECORD_FOUND");
    }
    assert!(search(&app, &pool_person(102).nhs).await.is_empty());
}

/// Pool 97.
#[tokio::test]
async fn pds_unavailable_is_an_internal_error() {
    let demo = DemoApp::start().await;
    let pds = Arc::new(LocalPds::new());
    let state = AppState::new(demo.store.clone(), pds.clone(), ServerConfig::default());
    let app = gpconnect_server::app(state);
    let patient = register_patient(&pool_person(97));
    pds.set_available(false);
    let response = TestResponse::read(
        app.clone()
            .oneshot(register_request(&body(&patient), JSON, Ask::JSON))
            .await
            .unwrap(),
    )
    .await;
    assert_outcome(&response, 500, "INTERNAL_SERVER_ERROR");
    pds.set_available(true);
    let response = TestResponse::read(
        app.oneshot(register_request(&body(&patient), JSON, Ask::JSON))
            .await
            .unwrap(),
    )
    .await;
    assert_registered(&response, JSON, &patient);
}

/// Pool 98.
#[tokio::test]
async fn two_registrations_at_once_register_the_patient_once() {
    let app = DemoApp::start().await;
    let patient = register_patient(&pool_person(98));
    let (a, b) = tokio::join!(register(&app, &patient), register(&app, &patient));
    let mut statuses = [a.status, b.status];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);
    let duplicate = if a.status == 409 { a } else { b };
    assert_outcome(&duplicate, 409, "DUPLICATE_REJECTED");
    assert_eq!(search(&app, &pool_person(98).nhs).await.len(), 1);
}

#[tokio::test]
async fn hostile_and_malformed_bodies_are_refused_with_an_outcome() {
    let app = DemoApp::start().await;
    let send =
        |bytes: Vec<u8>, content: Format| app.send(register_raw(bytes, content.mime(), Ask::JSON));
    let deep_json = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let deep_xml = format!(
        "<Parameters xmlns=\"http://hl7.org/fhir\">{}{}</Parameters>",
        "<parameter>".repeat(20_000),
        "</parameter>".repeat(20_000)
    );
    let laughs = concat!(
        "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">",
        "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">",
        "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>",
        "<Parameters xmlns=\"http://hl7.org/fhir\"><parameter><name value=\"&lol3;\"/></parameter></Parameters>"
    );
    let external = concat!(
        "<?xml version=\"1.0\"?><!DOCTYPE p [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>",
        "<Parameters xmlns=\"http://hl7.org/fhir\"><parameter><name value=\"&x;\"/></parameter></Parameters>"
    );
    for (row, bytes, content) in [
        (
            "truncated JSON",
            br#"{"resourceType":"Parameters","parameter":["#.to_vec(),
            JSON,
        ),
        ("not JSON", b"registerPatient=9658218865".to_vec(), JSON),
        ("empty", Vec::new(), JSON),
        ("deep JSON", deep_json.into_bytes(), JSON),
        (
            "truncated XML",
            b"<Parameters xmlns=\"http://hl7.org/fhir\"><parameter>".to_vec(),
            XML,
        ),
        (
            "mismatched XML",
            b"<Parameters xmlns=\"http://hl7.org/fhir\"></Parameter>".to_vec(),
            XML,
        ),
        (
            "JSON sent as XML",
            body(&register_patient(&pool_person(99)))
                .to_string()
                .into_bytes(),
            XML,
        ),
        ("deep XML", deep_xml.into_bytes(), XML),
        ("entity expansion", laughs.as_bytes().to_vec(), XML),
        ("external entity", external.as_bytes().to_vec(), XML),
        (
            "not UTF-8",
            b"<Parameters xmlns=\"http://hl7.org/fhir\">\xff</Parameters>".to_vec(),
            XML,
        ),
    ] {
        let response = send(bytes, content).await;
        assert!(
            (400..500).contains(&response.status),
            "{row}: {} {}",
            response.status,
            String::from_utf8_lossy(&response.body)
        );
        assert_eq!(
            resource(&response)["resourceType"],
            "OperationOutcome",
            "{row}"
        );
    }
    // Syntax errors are malformed requests (SPEC 2.8).
    let response = send(br#"{"resourceType":"Parameters""#.to_vec(), JSON).await;
    assert_outcome(&response, 400, "BAD_REQUEST");
    let response = send(b"<Parameters xmlns=\"http://hl7.org/fhir\">".to_vec(), XML).await;
    assert_outcome(&response, 400, "BAD_REQUEST");

    // Over the body limit: 413 with an OperationOutcome.
    let huge = vec![b' '; 2 * 1024 * 1024];
    let response = send(huge, JSON).await;
    assert_eq!(response.status, 413);
    assert_eq!(resource(&response)["resourceType"], "OperationOutcome");

    // A body whose Content-Type is not FHIR (SPEC 2.6: 415).
    let response = app
        .send(register_raw(
            body(&register_patient(&pool_person(99)))
                .to_string()
                .into_bytes(),
            "text/plain",
            Ask::JSON,
        ))
        .await;
    assert_eq!(response.status, 415);
    assert_eq!(resource(&response)["resourceType"], "OperationOutcome");
    assert!(search(&app, &pool_person(99).nhs).await.is_empty());
}
