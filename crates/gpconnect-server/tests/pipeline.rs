//! The pipeline on `GET /metadata`: SSP headers, routing (ATS Http.feature), practices,
#![allow(clippy::unwrap_used)]
//! enablement, content negotiation, response headers and audit.

mod support;

use std::time::Duration;

use axum::body::Body;
use gpconnect_domain::records::Practice;
use gpconnect_domain::{Asid, Interaction, OdsCode};
use http::Request;
use support::{metadata, practice, request, set_header, TestApp, ODS, PROVIDER_ASID};

fn get_metadata() -> Request<Body> {
    metadata().body(Body::empty()).unwrap()
}

#[tokio::test]
async fn metadata_is_a_json_capability_statement_with_no_store() {
    let app = TestApp::new();
    let response = app.send(get_metadata()).await;
    assert_eq!(response.status, 200);
    assert_eq!(
        response.header("content-type"),
        Some("application/fhir+json;charset=utf-8")
    );
    assert_eq!(response.header("cache-control"), Some("no-store"));
    assert_eq!(response.header("content-encoding"), None);
    let body = response.json();
    assert_eq!(body["resourceType"], "CapabilityStatement");
    assert_eq!(body["version"], "1.2.7");
    assert_eq!(body["fhirVersion"], "3.0.1");
}

#[tokio::test]
async fn every_ssp_header_is_required_and_named_when_wrong() {
    let app = TestApp::new();
    for name in ["Ssp-TraceID", "Ssp-From", "Ssp-To", "Ssp-InteractionID"] {
        for value in [None, Some(""), Some("   ")] {
            let mut request = get_metadata();
            set_header(&mut request, name, value);
            let response = app.send(request).await;
            response.assert_error(400, "BAD_REQUEST");
            assert!(
                response.diagnostics().contains(name),
                "{name} {value:?}: {}",
                response.diagnostics()
            );
            assert_eq!(response.header("cache-control"), Some("no-store"));
        }
    }
}

#[tokio::test]
async fn ssp_header_values_are_checked() {
    let app = TestApp::new();
    let rows = [
        // SSP.feature: another ASID in Ssp-To.
        ("Ssp-To", "123456789123", "ASID of this practice"),
        ("Ssp-To", "not-an-asid", "ASID"),
        ("Ssp-From", "consumer", "ASID"),
        ("Ssp-TraceID", "not a guid", "GUID"),
        (
            "Ssp-InteractionID",
            "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata",
            "not a GP Connect interaction",
        ),
        // ATS: a known id with a trailing space is not the id.
        (
            "Ssp-InteractionID",
            "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1 ",
            "not a GP Connect interaction",
        ),
        (
            "Ssp-InteractionID",
            "URN:NHS:NAMES:SERVICES:GPCONNECT:FHIR:REST:READ:METADATA-1",
            "not a GP Connect interaction",
        ),
        // A real interaction that is not this route (ATS: 6 features test this).
        (
            "Ssp-InteractionID",
            Interaction::ReadLocation.id(),
            "does not match",
        ),
    ];
    for (name, value, why) in rows {
        let mut request = get_metadata();
        set_header(&mut request, name, Some(value));
        let response = app.send(request).await;
        response.assert_error(400, "BAD_REQUEST");
        let diagnostics = response.diagnostics();
        assert!(
            diagnostics.contains(name) && diagnostics.contains(why),
            "{name}={value:?}: {diagnostics}"
        );
    }
}

#[tokio::test]
async fn amend_and_cancel_share_a_route_and_read_does_not() {
    let app = TestApp::new();
    for (interaction, method, expected) in [
        (Interaction::AmendAppointment, "PUT", 501),
        (Interaction::CancelAppointment, "PUT", 501),
        (Interaction::ReadAppointment, "PUT", 400),
        (Interaction::CancelAppointment, "GET", 400),
    ] {
        let response = app
            .send(
                request(method, "/Appointment/1", interaction)
                    .header("Content-Type", "application/fhir+json")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        // 501: the checks passed and no Appointment handler is mounted in this crate's tests.
        assert_eq!(response.status, expected, "{interaction:?} {method}");
    }
}

#[tokio::test]
async fn http_feature_rows_answer_operation_outcomes() {
    let app = TestApp::new();
    let rows = [
        ("GET", "/metadatas", 404, "NO_RECORD_FOUND"),
        ("POST", "/metadatas", 404, "NO_RECORD_FOUND"),
        ("PUT", "/metadatas", 404, "NO_RECORD_FOUND"),
        ("PATCH", "/metadata", 400, "BAD_REQUEST"),
        ("DELETE", "/metadata", 400, "BAD_REQUEST"),
        ("OPTIONS", "/metadata", 400, "BAD_REQUEST"),
        ("POST", "/metadata", 400, "BAD_REQUEST"),
        ("GET", "/Metadata", 404, "NO_RECORD_FOUND"),
        ("GET", "/Patient/", 404, "NO_RECORD_FOUND"),
        ("GET", "/Appointment/", 404, "NO_RECORD_FOUND"),
        (
            "POST",
            "/Patient/$gpc.registerpatien",
            404,
            "NO_RECORD_FOUND",
        ),
        ("GET", "", 404, "NO_RECORD_FOUND"),
        ("GET", "/metadata/", 404, "NO_RECORD_FOUND"),
    ];
    for (method, path, status, code) in rows {
        let response = app
            .send(
                request(method, path, Interaction::ReadMetadata)
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        response.assert_error(status, code);
        assert_eq!(response.header("allow"), None, "{method} {path}");
        assert_eq!(response.header("cache-control"), Some("no-store"));
    }
}

#[tokio::test]
async fn paths_outside_a_hosted_practice_are_404() {
    let app = TestApp::new();
    for uri in [
        "/B12345/STU3/1/gpconnect/metadata",
        "/a20047/STU3/1/gpconnect/metadata",
        "/A20047/STU3/2/gpconnect/metadata",
        "/A20047/stu3/1/gpconnect/metadata",
        "/metadata",
        "/",
        "/A20047",
    ] {
        let mut request = get_metadata();
        *request.uri_mut() = uri.parse().unwrap();
        let response = app.send(request).await;
        response.assert_error(404, "NO_RECORD_FOUND");
    }
}

fn second_practice() -> Practice {
    Practice {
        ods: OdsCode::parse("B82005").unwrap(),
        asid: Asid::parse("918999198994").unwrap(),
        ..practice()
    }
}

#[tokio::test]
async fn one_process_hosts_many_practices_each_with_its_own_asid() {
    let app = TestApp::with_practices(vec![practice(), second_practice()]);
    let mut request = get_metadata();
    *request.uri_mut() = "/B82005/STU3/1/gpconnect/metadata".parse().unwrap();
    set_header(&mut request, "Ssp-To", Some("918999198994"));
    assert_eq!(app.send(request).await.status, 200);

    // The first practice's ASID does not open the second practice.
    let mut request = get_metadata();
    *request.uri_mut() = "/B82005/STU3/1/gpconnect/metadata".parse().unwrap();
    set_header(&mut request, "Ssp-To", Some(PROVIDER_ASID));
    app.send(request).await.assert_error(400, "BAD_REQUEST");
}

#[tokio::test]
async fn a_disabled_practice_denies_access_but_keeps_its_metadata() {
    let disabled = Practice {
        gp_connect_enabled: false,
        appointments_enabled: false,
        ..practice()
    };
    let app = TestApp::with_practices(vec![disabled]);
    assert_eq!(app.send(get_metadata()).await.status, 200);
    let response = app
        .send(
            request("GET", "/Patient/1", Interaction::ReadPatient)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    response.assert_error(403, "ACCESS_DENIED");
    assert!(response.diagnostics().contains("GP Connect is disabled"));
}

#[tokio::test]
async fn appointment_management_can_be_switched_off_alone() {
    let foundations_only = Practice {
        appointments_enabled: false,
        ..practice()
    };
    let app = TestApp::with_practices(vec![foundations_only]);
    for (method, path, interaction) in [
        ("GET", "/Slot", Interaction::SearchSlots),
        ("POST", "/Appointment", Interaction::BookAppointment),
        ("GET", "/Appointment/1", Interaction::ReadAppointment),
        ("PUT", "/Appointment/1", Interaction::AmendAppointment),
        ("PUT", "/Appointment/1", Interaction::CancelAppointment),
        (
            "GET",
            "/Patient/1/Appointment",
            Interaction::SearchPatientAppointments,
        ),
    ] {
        let response = app
            .send(
                request(method, path, interaction)
                    .header("Content-Type", "application/fhir+json")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        response.assert_error(403, "ACCESS_DENIED");
        assert!(response.diagnostics().contains("Appointment Management"));
    }
    // Foundations still pass the pipeline (501: no Patient handler in this crate's tests).
    let response = app
        .send(
            request("GET", "/Patient/1", Interaction::ReadPatient)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(response.status, 501);
}

#[tokio::test]
async fn format_precedence_rows() {
    let app = TestApp::new();
    let json = "application/fhir+json";
    let xml = "application/fhir+xml";
    // (_format, Accept, Content-Type) -> answer format; ATS FHIR.feature #7-#16.
    let rows = [
        (None, Some(json), Some(xml), json),
        (None, Some(xml), Some(json), xml),
        (Some(json), None, Some(json), json),
        (Some(json), None, Some(xml), json),
        (Some(xml), None, Some(xml), xml),
        (Some(xml), None, Some(json), xml),
        (Some(xml), Some(xml), None, xml),
        (Some(json), Some(xml), None, json),
        (Some(json), Some(json), None, json),
        (Some(xml), Some(json), None, xml),
        (None, None, None, json),
        (None, Some("*/*"), None, json),
        (Some("json"), None, None, json),
        (Some("xml"), None, None, xml),
        (Some("application/json"), None, None, json),
        (Some("application/xml"), None, None, xml),
        (None, None, Some(xml), xml),
    ];
    for (format, accept, content_type, expected) in rows {
        let path = match format {
            Some(f) => format!("/metadata?_format={}", f.replace('+', "%2B")),
            None => "/metadata".to_owned(),
        };
        let mut request = request("GET", &path, Interaction::ReadMetadata)
            .body(Body::empty())
            .unwrap();
        set_header(&mut request, "Accept", accept);
        set_header(&mut request, "Content-Type", content_type);
        let response = app.send(request).await;
        assert_eq!(
            response.header("content-type"),
            Some(format!("{expected};charset=utf-8").as_str()),
            "{format:?} {accept:?} {content_type:?}"
        );
        assert_eq!(response.status, 200);
        let format = if expected == json {
            gpconnect_fhir::Format::Json
        } else {
            gpconnect_fhir::Format::Xml
        };
        let resource = gpconnect_fhir::decode(&response.body, format).unwrap();
        assert_eq!(resource.resource_type(), "CapabilityStatement");
    }
}

#[tokio::test]
async fn the_format_parameter_may_come_after_others() {
    let app = TestApp::new();
    let mut request = request(
        "GET",
        "/metadata?_count=1&_format=application%2Ffhir%2Bxml",
        Interaction::ReadMetadata,
    )
    .body(Body::empty())
    .unwrap();
    set_header(&mut request, "Accept", Some("application/fhir+json"));
    let response = app.send(request).await;
    assert_eq!(
        response.header("content-type"),
        Some("application/fhir+xml;charset=utf-8")
    );
}

#[tokio::test]
async fn unsupported_formats_are_415_operation_outcomes() {
    let app = TestApp::new();
    for (format, accept) in [
        (Some("text/html"), None),
        (None, Some("text/html")),
        (None, Some("application/pdf, text/plain;q=0.5")),
    ] {
        let path = match format {
            Some(f) => format!("/metadata?_format={f}"),
            None => "/metadata".to_owned(),
        };
        let mut request = request("GET", &path, Interaction::ReadMetadata)
            .body(Body::empty())
            .unwrap();
        set_header(&mut request, "Accept", accept);
        let response = app.send(request).await;
        response.assert_error(415, "BAD_REQUEST");
        assert_eq!(response.header("cache-control"), Some("no-store"));
    }
}

#[tokio::test]
async fn bodies_must_be_fhir_json_or_xml() {
    let app = TestApp::new();
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
    ] {
        let mut request = request("POST", "/Appointment", Interaction::BookAppointment)
            .body(Body::from("{}"))
            .unwrap();
        set_header(&mut request, "Content-Type", content_type);
        let response = app.send(request).await;
        response.assert_error(415, "BAD_REQUEST");
    }
}

#[tokio::test]
async fn errors_are_written_in_the_negotiated_format() {
    let app = TestApp::new();
    let mut request = get_metadata();
    set_header(&mut request, "Accept", Some("application/fhir+xml"));
    set_header(&mut request, "Ssp-To", Some("123456789123"));
    let response = app.send(request).await;
    assert_eq!(response.status, 400);
    assert_eq!(
        response.header("content-type"),
        Some("application/fhir+xml;charset=utf-8")
    );
    let body = String::from_utf8(response.body.clone()).unwrap();
    assert!(
        body.starts_with(r#"<OperationOutcome xmlns="http://hl7.org/fhir">"#),
        "{body}"
    );
    assert!(body.contains(r#"<code value="BAD_REQUEST"/>"#), "{body}");
}

#[tokio::test]
async fn gzip_only_when_asked() {
    let app = TestApp::new();
    let plain = app.send(get_metadata()).await;
    assert_eq!(plain.header("content-encoding"), None);

    let mut request = get_metadata();
    set_header(&mut request, "Accept-Encoding", Some("gzip"));
    let zipped = app.send(request).await;
    assert_eq!(zipped.status, 200);
    assert_eq!(zipped.header("content-encoding"), Some("gzip"));
    assert_eq!(zipped.header("cache-control"), Some("no-store"));
    let mut decoded = Vec::new();
    std::io::Read::read_to_end(
        &mut flate2::read::GzDecoder::new(zipped.body.as_slice()),
        &mut decoded,
    )
    .unwrap();
    assert_eq!(decoded, plain.body);
}

#[tokio::test]
async fn oversized_bodies_are_413_operation_outcomes() {
    let app = TestApp::new();
    let big = vec![b' '; 2 * 1024 * 1024];
    let response = app
        .send(
            request("POST", "/Appointment", Interaction::BookAppointment)
                .header("Content-Type", "application/fhir+json")
                .header("Content-Length", big.len())
                .body(Body::from(big))
                .unwrap(),
        )
        .await;
    response.assert_error(413, "BAD_REQUEST");
    assert_eq!(response.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn store_failures_are_500_without_the_cause() {
    let app = TestApp::new();
    *app.store.fail_practice_lookup.lock().unwrap() = true;
    let response = app.send(get_metadata()).await;
    response.assert_error(500, "INTERNAL_SERVER_ERROR");
    assert!(!response.diagnostics().contains("fire"));
    assert!(response.diagnostics().contains("Ssp-TraceID"));
}

#[tokio::test]
async fn every_request_is_audited_accepted_or_rejected() {
    let app = TestApp::new();
    let ok = get_metadata();
    let trace = ok.headers()["Ssp-TraceID"].to_str().unwrap().to_owned();
    app.send(ok).await;
    let mut bad_asid = get_metadata();
    set_header(&mut bad_asid, "Ssp-To", Some("123456789123"));
    app.send(bad_asid).await;
    let mut bad_jwt = get_metadata();
    set_header(&mut bad_jwt, "Authorization", Some("Bearer nonsense"));
    app.send(bad_jwt).await;
    app.send(
        request("GET", "/metadatas", Interaction::ReadMetadata)
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    let mut unknown_practice = get_metadata();
    *unknown_practice.uri_mut() = "/Z99999/STU3/1/gpconnect/metadata".parse().unwrap();
    app.send(unknown_practice).await;

    app.state.audit().flush().await;
    let audit = app.store.audit();
    assert_eq!(audit.len(), 5);
    let ok = &audit[0];
    assert_eq!(ok.status, 200);
    assert_eq!(ok.trace_id.as_deref(), Some(trace.as_str()));
    assert_eq!(ok.practice.as_ref().map(|p| p.as_str()), Some(ODS));
    assert_eq!(
        ok.interaction.as_deref(),
        Some(Interaction::ReadMetadata.id())
    );
    assert_eq!(ok.from_asid.as_deref(), Some(support::CONSUMER_ASID));
    assert_eq!(ok.to_asid.as_deref(), Some(PROVIDER_ASID));
    assert_eq!(ok.jwt_user.as_deref(), Some("1"));
    assert_eq!(ok.jwt_sds_user_id.as_deref(), Some("GCASDS0001"));
    assert_eq!(ok.jwt_organization_ods.as_deref(), Some("GPCA0001"));
    assert_eq!(ok.method, "GET");
    assert_eq!(ok.spine_code, None);

    let statuses: Vec<(u16, Option<&str>)> = audit
        .iter()
        .map(|e| (e.status, e.spine_code.as_deref()))
        .collect();
    assert_eq!(
        statuses,
        [
            (200, None),
            (400, Some("BAD_REQUEST")),
            (400, Some("BAD_REQUEST")),
            (404, Some("NO_RECORD_FOUND")),
            (404, Some("NO_RECORD_FOUND")),
        ]
    );
    assert_eq!(audit[1].to_asid.as_deref(), Some("123456789123"));
    assert_eq!(audit[2].jwt_user, None);
    assert_eq!(audit[4].practice, None);
    assert!(audit[4].path.contains("Z99999"));
}

#[tokio::test]
async fn audit_shutdown_writes_what_is_queued() {
    let app = TestApp::new();
    for _ in 0..20 {
        app.send(get_metadata()).await;
    }
    app.state.audit().shutdown().await;
    assert_eq!(app.store.audit().len(), 20);
    // After shutdown requests are still answered; their events are logged instead.
    assert_eq!(app.send(get_metadata()).await.status, 200);
    tokio::time::sleep(Duration::from_millis(10)).await;
    assert_eq!(app.store.audit().len(), 20);
}
