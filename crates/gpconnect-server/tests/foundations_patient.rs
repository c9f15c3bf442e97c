//! ATS PatientRead and PatientSearch (SPEC 3.2, 3.3, 4.2) on the demo practice: the parameter
//! rules, which patients are shared, the SPEC 3.2 unverified-record rule and the body checks of
//! ATS 3.1, in JSON and XML.
#![allow(clippy::unwrap_used)]

mod foundations_support;
mod support;

use std::sync::Arc;

use foundations_support::*;
use gpconnect_demo::LocalPds;
use gpconnect_domain::{FhirId, Interaction, NhsNumber, OdsCode};
use gpconnect_fhir::Format;
use gpconnect_server::{AppState, ServerConfig};
use serde_json::Value;
use support::{DemoApp, TestResponse, ODS};
use tower::ServiceExt;

const ASKS: [Ask; 8] = [
    Ask::JSON,
    Ask::XML,
    Ask::param(Format::Json),
    Ask::param(Format::Xml),
    Ask::both(Format::Json, Format::Json),
    Ask::both(Format::Json, Format::Xml),
    Ask::both(Format::Xml, Format::Json),
    Ask::both(Format::Xml, Format::Xml),
];

fn search_path(nhs_number: &str) -> String {
    format!("/Patient?{}", identifier_query(NHS_SYSTEM, nhs_number))
}

fn search(nhs_number: &str, ask: Ask) -> http::Request<axum::body::Body> {
    get(&search_path(nhs_number), Interaction::SearchPatient, ask)
}

fn read(id: &str, ask: Ask) -> http::Request<axum::body::Body> {
    get(&format!("/Patient/{id}"), Interaction::ReadPatient, ask)
}

/// The patients a search for `nhs_number` returns (checking the answer is a searchset).
async fn found(app: &DemoApp, nhs_number: &str) -> Vec<Value> {
    let response = app.send(search(nhs_number, Ask::JSON)).await;
    searchset(&ok(&response, Format::Json))
}

/// ATS PatientSearch O13 / PatientRead 9: the body checks, then every reference is read back.
async fn assert_conforms_and_resolves(app: &DemoApp, patient: &Value, nhs_number: &str) {
    let mut references = assert_patient_conforms(patient, nhs_number);
    let details = assert_registration_details(patient, false);
    let branch = details["extension"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["url"] == "preferredBranchSurgery");
    references.extend(branch.map(|b| {
        b["valueReference"]["reference"]
            .as_str()
            .unwrap()
            .to_owned()
    }));
    for reference in references {
        read_reference(app, &reference).await;
    }
}

#[tokio::test]
async fn patient_read_conforms_for_a_normal_and_a_no_consent_patient() {
    let app = DemoApp::start().await;
    // ATS PatientRead 7, 8, 9, 11, 13, 14: the logical id comes from a search, as in the suite.
    for key in ["patient1", "patient15"] {
        let entries = found(&app, nhs(key)).await;
        assert_eq!(entries.len(), 1, "{key}");
        let id = entries[0]["id"].as_str().unwrap();
        let response = app.send(read(id, Ask::JSON)).await;
        let patient = ok(&response, Format::Json);
        assert_eq!(patient["id"], id);
        assert_eq!(
            response.header("etag").unwrap(),
            format!("W/\"{}\"", patient["meta"]["versionId"].as_str().unwrap())
        );
        assert_conforms_and_resolves(&app, &patient, nhs(key)).await;
        assert_eq!(patient, entries[0]);
        let details = extensions(&patient, REGISTRATION_EXT);
        let branches: Vec<_> = details[0]["extension"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|p| p["url"] == "preferredBranchSurgery")
            .collect();
        assert_eq!(branches.len(), 1);
        assert!(branches[0]["valueReference"]["reference"].is_string());
    }
}

#[tokio::test]
async fn patient_read_answers_in_the_format_asked_for() {
    let app = DemoApp::start().await;
    let id = found(&app, nhs("patient1")).await[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // ATS PatientRead O4, O5, O6.
    for ask in ASKS {
        let response = app.send(read(&id, ask)).await;
        let patient = ok(&response, ask.expected());
        assert_eq!(patient["id"], id.as_str());
        assert_patient_conforms(&patient, nhs("patient1"));
    }
}

#[tokio::test]
async fn unknown_or_unshared_patients_are_not_found() {
    let app = DemoApp::start().await;
    // ATS PatientRead O1, O2, 12.
    for id in [
        "SomthingIncorrectWhichIsNotTheOnProviderSystem",
        "4543567638475665845564986758479086840564796854665748763454",
        "4543567638475665845564986758479086840564796854665748763454123456789",
        "aaBA",
        "1ZEc2",
        "z.as.dd",
        "1.1.22",
        "40-9",
        "nd-skdm.mks--s",
        "AABa",
    ] {
        for ask in [Ask::JSON, Ask::XML] {
            let response = app.send(read(id, ask)).await;
            assert_eq!(format_of(&response), ask.expected());
            assert_outcome(&response, 404, "PATIENT_NOT_FOUND");
        }
    }
    // SPEC 3.3: sensitive (patient9), deceased (patient18) and inactive (patient21) patients,
    // and one whose number is not on PDS (patient14), are not shared.
    for id in ["9", "18", "21", "14"] {
        let response = app.send(read(id, Ask::JSON)).await;
        assert_outcome(&response, 404, "PATIENT_NOT_FOUND");
    }
    // ATS PatientRead 3: no id at all.
    let response = app.send(read("", Ask::JSON)).await;
    assert!(response.status == 400 || response.status == 404);
    assert_eq!(resource(&response)["resourceType"], "OperationOutcome");
}

#[tokio::test]
async fn patient_search_conforms_for_the_suite_patients() {
    let app = DemoApp::start().await;
    // ATS PatientSearch 1, O13, 20, 23.
    for key in [
        "patient1",
        "patient2",
        "patient3",
        "patient4",
        "patient5",
        "patient6",
        "patient15",
    ] {
        let entries = found(&app, nhs(key)).await;
        assert_eq!(entries.len(), 1, "{key}");
        assert_conforms_and_resolves(&app, &entries[0], nhs(key)).await;
    }
    // ATS PatientSearch O12: in XML.
    for key in ["patient1", "patient2", "patient3"] {
        let response = app.send(search(nhs(key), Ask::XML)).await;
        let entries = searchset(&ok(&response, Format::Xml));
        assert_eq!(entries.len(), 1);
        assert_patient_conforms(&entries[0], nhs(key));
    }
}

#[tokio::test]
async fn patient_search_answers_in_the_format_asked_for_wherever_format_is_placed() {
    let app = DemoApp::start().await;
    // ATS PatientSearch O8–O11.
    for ask in ASKS {
        for format_first in [false, true] {
            let response = app
                .send(get_ordered(
                    &search_path(nhs("patient2")),
                    Interaction::SearchPatient,
                    ask,
                    format_first,
                ))
                .await;
            let entries = searchset(&ok(&response, ask.expected()));
            assert_eq!(entries.len(), 1);
            assert_patient_conforms(&entries[0], nhs("patient2"));
        }
    }
}

#[tokio::test]
async fn patient_search_parameters_are_checked() {
    let app = DemoApp::start().await;
    let query = |q: String| {
        get(
            &format!("/Patient{q}"),
            Interaction::SearchPatient,
            Ask::JSON,
        )
    };
    let patient2 = identifier_query(NHS_SYSTEM, nhs("patient2"));
    let patient1 = identifier_query(NHS_SYSTEM, nhs("patient1"));
    for (q, status, code) in [
        // ATS PatientSearch 2, 3, 7.
        (
            format!("?identifier={}", nhs("patient1")),
            422,
            "INVALID_PARAMETER",
        ),
        (
            format!(
                "?identifier={}",
                urlencode(&format!("|{}", nhs("patient2")))
            ),
            422,
            "INVALID_PARAMETER",
        ),
        (
            format!("?identifier={}", urlencode(&format!("{NHS_SYSTEM}|"))),
            422,
            "INVALID_PARAMETER",
        ),
        // ATS 5, 6, 19, O16.
        (String::new(), 400, "BAD_REQUEST"),
        (format!("?I{}", &patient2[1..]), 400, "BAD_REQUEST"),
        ("?Identifier=".to_owned(), 400, "BAD_REQUEST"),
        (format!("?{patient2}&{patient2}"), 400, "BAD_REQUEST"),
        (format!("?{patient1}&{patient2}"), 400, "BAD_REQUEST"),
        (format!("?{patient2}&{patient1}"), 400, "BAD_REQUEST"),
        // SPEC 3.2: a system other than the NHS number's.
        (
            format!("?{}", identifier_query(ODS_SYSTEM, nhs("patient1"))),
            400,
            "INVALID_IDENTIFIER_SYSTEM",
        ),
    ] {
        let response = app.send(query(q.clone())).await;
        let diagnostics = assert_outcome(&response, status, code);
        assert!(!diagnostics.is_empty(), "{q}");
    }
    // SPEC 2.9: malformed NHS numbers (ATS's invalid examples).
    for bad in [
        "34555##4",
        "hello",
        "999999999",
        "9000000008",
        "90000000090",
    ] {
        let response = app.send(search(bad, Ask::JSON)).await;
        let diagnostics = assert_outcome(&response, 400, "INVALID_NHS_NUMBER");
        assert!(diagnostics.contains(bad), "{diagnostics}");
    }
    // ATS 17: _count and _sort are ignored.
    let response = app
        .send(query(format!("?{patient2}&_count=1&_sort=status")))
        .await;
    assert_eq!(searchset(&ok(&response, Format::Json)).len(), 1);
}

#[tokio::test]
async fn patients_who_may_not_be_shared_give_an_empty_searchset() {
    let app = DemoApp::start().await;
    // ATS PatientSearch 4 (not held), 14 (deceased), 21 (sensitive), 22 (inactive); patient10
    // is sensitive too and patient14 is not on PDS, so can never be verified (SPEC 3.2).
    for nhs_number in [
        "9999999999",
        nhs("patient18"),
        nhs("patient9"),
        nhs("patient10"),
        nhs("patient21"),
        nhs("patient14"),
    ] {
        for ask in [Ask::JSON, Ask::XML] {
            let response = app.send(search(nhs_number, ask)).await;
            let bundle = ok(&response, ask.expected());
            assert!(searchset(&bundle).is_empty(), "{nhs_number}: {bundle}");
        }
    }
}

/// Marks the demo record of `key` as never verified, optionally with other demographics.
async fn unverify(
    app: &DemoApp,
    id: &str,
    change: impl FnOnce(&mut gpconnect_domain::records::PatientRecord),
) {
    let ods = OdsCode::parse(ODS).unwrap();
    let mut record = app
        .store
        .get_patient(&ods, &FhirId::parse(id).unwrap())
        .await
        .unwrap()
        .unwrap();
    let version = record.version;
    record.nhs_number_verified = false;
    change(&mut record);
    app.store.update_patient(&record, version).await.unwrap();
}

async fn stored(app: &DemoApp, nhs_number: &str) -> gpconnect_domain::records::PatientRecord {
    app.store
        .find_patient_by_nhs_number(
            &OdsCode::parse(ODS).unwrap(),
            &NhsNumber::parse(nhs_number).unwrap(),
        )
        .await
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn an_unverified_record_matching_pds_is_marked_verified_and_shared() {
    let app = DemoApp::start().await;
    // SPEC 3.2 (a): the date of birth matches PDS exactly.
    unverify(&app, "3", |_| {}).await;
    let before = stored(&app, nhs("patient3")).await;
    assert!(!before.nhs_number_verified);
    let entries = found(&app, nhs("patient3")).await;
    assert_eq!(entries.len(), 1);
    assert_patient_conforms(&entries[0], nhs("patient3"));
    let after = stored(&app, nhs("patient3")).await;
    assert!(after.nhs_number_verified);
    assert_eq!(after.version, before.version + 1);
    assert_eq!(entries[0]["meta"]["versionId"], after.version.to_string());

    // Two of three date parts, the first three letters of the family name and the initial.
    unverify(&app, "4", |r| {
        r.birth_date = jiff::civil::date(1975, 1, 29);
        r.names[0].family = "Ramsbottom".into();
        r.names[0].given = vec!["Penelope".into()];
    })
    .await;
    let response = app.send(read("4", Ask::XML)).await;
    assert_patient_conforms(&ok(&response, Format::Xml), nhs("patient4"));
}

#[tokio::test]
async fn an_unverified_record_not_matching_pds_is_not_shared_nor_marked() {
    let app = DemoApp::start().await;
    unverify(&app, "5", |r| {
        r.birth_date = jiff::civil::date(1939, 10, 6);
        r.names[0].family = "Smith".into();
    })
    .await;
    assert!(found(&app, nhs("patient5")).await.is_empty());
    let response = app.send(read("5", Ask::JSON)).await;
    assert_outcome(&response, 404, "PATIENT_NOT_FOUND");
    assert!(!stored(&app, nhs("patient5")).await.nhs_number_verified);
}

#[tokio::test]
async fn pds_unavailable_while_verifying_is_an_internal_error() {
    let demo = DemoApp::start().await;
    unverify(&demo, "6", |_| {}).await;
    let pds = Arc::new(LocalPds::new());
    let state = AppState::new(demo.store.clone(), pds.clone(), ServerConfig::default());
    let app = gpconnect_server::app(state);
    let send = |request| {
        let app = app.clone();
        async move { TestResponse::read(app.oneshot(request).await.unwrap()).await }
    };

    pds.set_available(false);
    let response = send(search(nhs("patient6"), Ask::JSON)).await;
    let diagnostics = assert_outcome(&response, 500, "INTERNAL_SERVER_ERROR");
    assert!(
        !diagnostics.contains("switched off"),
        "the cause is not shown: {diagnostics}"
    );
    // A verified patient needs no PDS query.
    let response = send(search(nhs("patient1"), Ask::JSON)).await;
    assert_eq!(searchset(&ok(&response, Format::Json)).len(), 1);

    pds.set_available(true);
    let response = send(search(nhs("patient6"), Ask::JSON)).await;
    assert_eq!(searchset(&ok(&response, Format::Json)).len(), 1);
}

#[tokio::test]
async fn searches_and_reads_name_the_patient_in_the_audit_trail() {
    let app = DemoApp::start().await;
    app.send(search(nhs("patient2"), Ask::JSON)).await;
    app.send(read("2", Ask::JSON)).await;
    app.state.audit().flush().await;
    let events = app
        .store
        .audit_events(Some(&OdsCode::parse(ODS).unwrap()), 10)
        .await
        .unwrap();
    let patients: Vec<_> = events.iter().filter_map(|e| e.patient.as_deref()).collect();
    assert!(patients.contains(&nhs("patient2")), "{patients:?}");
    assert!(patients.contains(&"2"), "{patients:?}");
}
