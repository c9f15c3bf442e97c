//! The suite must fail a provider that breaks the rules: stub providers with one defect each,
//! and the cases that must catch it.
#![allow(clippy::unwrap_used)]

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use gpconnect_conformance::{Feature, Fixture, Options, Report};

/// A CapabilityStatement that passes the suite's metadata checks.
const CAPABILITY: &str = r#"{
  "resourceType": "CapabilityStatement",
  "version": "1.2.7",
  "status": "active",
  "date": "2020-05-05",
  "kind": "capability",
  "software": { "name": "stub", "version": "1" },
  "fhirVersion": "3.0.1",
  "acceptUnknown": "both",
  "format": ["application/fhir+json", "application/fhir+xml"],
  "rest": [{ "mode": "server" }]
}"#;

/// A GP Connect OperationOutcome for an unknown patient.
const PATIENT_NOT_FOUND: &str = r#"{
  "resourceType": "OperationOutcome",
  "meta": { "profile": ["https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1"] },
  "issue": [{
    "severity": "error",
    "code": "not-found",
    "details": { "coding": [{
      "system": "https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1",
      "code": "PATIENT_NOT_FOUND",
      "display": "Patient not found"
    }]}
  }]
}"#;

/// Serves `answer` to every request on 127.0.0.1 and returns the base URL.
async fn stub(answer: fn() -> Response) -> String {
    let app = Router::new().fallback(move || async move { answer() });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}/A20047/STU3/1/gpconnect")
}

async fn run(base_url: &str, feature: Feature, filter: Option<&str>) -> Report {
    let mut options = Options::new(base_url, Fixture::demo());
    options.features = vec![feature];
    options.filter = filter.map(str::to_owned);
    gpconnect_conformance::run(&options, |_| {}).await.unwrap()
}

fn failure_of<'r>(report: &'r Report, scenario: &str) -> Option<&'r str> {
    report
        .results
        .iter()
        .find(|r| r.scenario == scenario)
        .and_then(|r| r.failure.as_ref())
        .map(|f| f.reason())
}

#[tokio::test]
async fn a_provider_that_accepts_any_token_fails_every_rejection_case() {
    let base_url = stub(|| {
        (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "application/fhir+json;charset=utf-8"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            CAPABILITY,
        )
            .into_response()
    })
    .await;
    let report = run(&base_url, Feature::Jwt, None).await;
    assert_eq!(report.results.len(), 22);
    // ATS JWT: 17 tokens must be refused; the 5 acceptable ones pass against the stub.
    assert_eq!(report.failed(), 17, "{:#?}", report.results);
    assert_eq!(report.passed(), 5);
    let reason = failure_of(&report, "JWT Expiry Time - greater than 300 seconds").unwrap();
    assert!(
        reason.contains("expected HTTP 400, got HTTP 200"),
        "{reason}"
    );
    assert!(failure_of(&report, "JWT Everything normal test").is_none());
    assert_eq!(report.summary(), "5 passed, 17 failed");
}

#[tokio::test]
async fn a_provider_without_cache_control_fails_the_caching_cases() {
    let base_url = stub(|| {
        (
            StatusCode::NOT_FOUND,
            [(header::CONTENT_TYPE, "application/fhir+json;charset=utf-8")],
            PATIENT_NOT_FOUND,
        )
            .into_response()
    })
    .await;
    let report = run(&base_url, Feature::PatientRead, Some("404")).await;
    // The 404 answer itself is right, so the not-found cases pass...
    assert!(report.results.len() >= 3, "{:#?}", report.results);
    assert_eq!(report.failed(), 0, "{:#?}", report.results);
    // ...but the caching case notices the missing Cache-Control.
    let report = run(
        &base_url,
        Feature::PatientRead,
        Some("invalid response check caching headers"),
    )
    .await;
    assert_eq!(report.results.len(), 1);
    let reason = failure_of(
        &report,
        "Patient read invalid response check caching headers exist",
    )
    .unwrap();
    assert!(reason.contains("Cache-Control"), "{reason}");
}

#[tokio::test]
async fn a_provider_answering_in_the_wrong_media_type_fails() {
    let base_url = stub(|| {
        (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "application/json"),
                (header::CACHE_CONTROL, "no-store"),
            ],
            CAPABILITY,
        )
            .into_response()
    })
    .await;
    let report = run(&base_url, Feature::Fhir, Some("Fhir Get MetaData")).await;
    assert!(!report.results.is_empty());
    assert_eq!(report.passed(), 0, "{:#?}", report.results);
    let reason = failure_of(&report, "Fhir Get MetaData").unwrap();
    assert!(reason.contains("not a FHIR media type"), "{reason}");
}

#[tokio::test]
async fn an_unreachable_provider_fails_every_case_without_stopping_the_run() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let report = run(
        &format!("http://{addr}/A20047/STU3/1/gpconnect"),
        Feature::Http,
        None,
    )
    .await;
    assert_eq!(report.results.len(), 7);
    assert_eq!(report.failed(), 7);
    assert!(report.junit_xml().contains("failures=\"7\""));
}
