//! What the pipeline gives handlers: resource answers with ETag, Location and Prefer, audit of
//! the patient concerned, and the request timeout. Uses handlers defined here.
#![allow(clippy::unwrap_used)]

mod support;

use std::time::Duration;

use axum::body::Body;
use axum::extract::Path;
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use gpconnect_domain::Interaction;
use gpconnect_fhir::{Meta, Patient};
use gpconnect_server::{ApiError, AppState, FhirResponse, RequestContext, ServerConfig};
use support::{request, set_header, TestApp, ODS};

fn patient(id: &str, version: &str) -> Patient {
    Patient {
        id: Some(id.to_owned()),
        meta: Some(Meta {
            version_id: Some(version.to_owned()),
            ..Default::default()
        }),
        birth_date: Some("1970-01-02".to_owned()),
        ..Default::default()
    }
}

async fn read(ctx: RequestContext, Path(id): Path<String>) -> Result<Response, ApiError> {
    ctx.audit_patient(id.clone());
    FhirResponse::ok(patient(&id, "3")).respond(&ctx)
}

async fn create(ctx: RequestContext) -> Result<Response, ApiError> {
    FhirResponse::created(patient("7", "1")).respond(&ctx)
}

async fn broken() -> &'static str {
    let items: Vec<&str> = Vec::new();
    items[3]
}

async fn slow() -> &'static str {
    tokio::time::sleep(Duration::from_secs(30)).await;
    "too late"
}

fn app() -> TestApp {
    let handlers = Router::<AppState>::new()
        .route("/Patient/{id}", get(read))
        .route("/Appointment", post(create))
        .route("/Slot", get(slow))
        .route("/Location/{id}", get(broken));
    TestApp::with_handlers(
        handlers,
        ServerConfig {
            request_timeout: Duration::from_millis(200),
            ..ServerConfig::default()
        },
    )
}

#[tokio::test]
async fn reads_carry_an_etag_matching_the_version_and_name_the_patient_in_the_audit() {
    let app = app();
    let response = app
        .send(
            request("GET", "/Patient/42", Interaction::ReadPatient)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(response.status, 200);
    assert_eq!(response.header("etag"), Some(r#"W/"3""#));
    assert_eq!(response.json()["meta"]["versionId"], "3");
    assert_eq!(response.header("cache-control"), Some("no-store"));
    app.state.audit().flush().await;
    assert_eq!(app.store.audit()[0].patient.as_deref(), Some("42"));
}

fn book(prefer: Option<&str>) -> http::Request<Body> {
    let mut request = request("POST", "/Appointment", Interaction::BookAppointment)
        .header("Content-Type", "application/fhir+json")
        .header("Host", "provider.example")
        .body(Body::from("{}"))
        .unwrap();
    set_header(&mut request, "Prefer", prefer);
    request
}

#[tokio::test]
async fn creates_answer_201_with_location_and_honour_prefer() {
    let app = app();
    let location = format!("http://provider.example/{ODS}/STU3/1/gpconnect/Patient/7/_history/1");
    for prefer in [None, Some("return=representation")] {
        let response = app.send(book(prefer)).await;
        assert_eq!(response.status, 201);
        assert_eq!(response.header("location"), Some(location.as_str()));
        assert_eq!(response.header("etag"), Some(r#"W/"1""#));
        assert!(response.header("last-modified").unwrap().ends_with(" GMT"));
        assert_eq!(
            response.header("content-type"),
            Some("application/fhir+json;charset=utf-8")
        );
        assert_eq!(response.json()["id"], "7");
    }

    // ATS 1.6: an empty body carries no FHIR Content-Type.
    let minimal = app.send(book(Some("return=minimal"))).await;
    assert_eq!(minimal.status, 201);
    assert!(minimal.body.is_empty());
    assert_eq!(minimal.header("content-type"), None);
    assert_eq!(minimal.header("location"), Some(location.as_str()));
    assert_eq!(minimal.header("etag"), Some(r#"W/"1""#));
    assert_eq!(minimal.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn a_request_that_takes_too_long_is_answered_not_left_hanging() {
    let app = app();
    let response = app
        .send(
            request("GET", "/Slot", Interaction::SearchSlots)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    response.assert_error(500, "INTERNAL_SERVER_ERROR");
    assert!(!response.diagnostics().contains("200ms"));
}

#[tokio::test]
async fn a_handler_that_panics_is_a_logged_and_audited_500() {
    let app = app();
    let response = app
        .send(
            request("GET", "/Location/1", Interaction::ReadLocation)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    response.assert_error(500, "INTERNAL_SERVER_ERROR");
    assert!(!response.diagnostics().contains("index out of bounds"));
    app.state.audit().flush().await;
    assert_eq!(app.store.audit()[0].status, 500);
}

#[tokio::test]
async fn routes_without_a_handler_are_not_implemented() {
    let app = app();
    let response = app
        .send(
            request("GET", "/Practitioner/1", Interaction::ReadPractitioner)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    response.assert_error(501, "NOT_IMPLEMENTED");
}

#[tokio::test]
async fn errors_before_the_practice_is_known_use_the_format_asked_for() {
    let app = app();
    let mut request = request("GET", "/metadata", Interaction::ReadMetadata)
        .body(Body::empty())
        .unwrap();
    *request.uri_mut() = "/Q11111/STU3/1/gpconnect/metadata?_format=xml"
        .parse()
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status, 404);
    assert_eq!(
        response.header("content-type"),
        Some("application/fhir+xml;charset=utf-8")
    );
}
