//! The suite must fail a provider that breaks the rules: stub providers with one defect each,
//! this project's provider behind a proxy that removes one response header, and the cases that
//! must catch them.
#![allow(clippy::unwrap_used)]

mod support;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use gpconnect_conformance::{Feature, Fixture, Options, Report};
use support::Provider;

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

/// Forwards every request to `provider` and every answer back without the `dropped` header;
/// returns the proxy's service root.
async fn proxy(provider: &Provider, dropped: &'static str) -> String {
    let (origin, path) = provider
        .base_url
        .strip_prefix("http://")
        .and_then(|rest| rest.split_once('/'))
        .map(|(authority, path)| (format!("http://{authority}"), path.to_owned()))
        .unwrap();
    let client = reqwest::Client::builder().no_gzip().build().unwrap();
    let app = Router::new().fallback(move |request: Request| {
        let (client, origin) = (client.clone(), origin.clone());
        async move {
            let (parts, body) = request.into_parts();
            let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
            let mut headers = parts.headers.clone();
            headers.remove(header::HOST);
            let answer = client
                .request(parts.method, format!("{origin}{}", parts.uri))
                .headers(headers)
                .body(body)
                .send()
                .await
                .unwrap();
            let mut response = Response::builder().status(answer.status());
            for (name, value) in answer.headers() {
                if name != dropped
                    && name != header::CONTENT_LENGTH
                    && name != header::TRANSFER_ENCODING
                {
                    response = response.header(name, value);
                }
            }
            response
                .body(Body::from(answer.bytes().await.unwrap()))
                .unwrap()
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    format!("http://{addr}/{path}")
}

/// Runs every case whose name contains `filter`, in every feature.
async fn run_matching(base_url: &str, filter: &str) -> Report {
    let mut options = Options::new(base_url, Fixture::demo());
    options.filter = Some(filter.to_owned());
    gpconnect_conformance::run(&options, |_| {}).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_provider_without_cache_control_fails_every_caching_case() {
    let provider = Provider::start().await;
    let base_url = proxy(&provider, "cache-control").await;
    // Through the proxy the provider is otherwise unchanged.
    let report = run_matching(
        &base_url,
        "Read patient should contain correct logical identifier",
    )
    .await;
    assert_eq!(report.summary(), "1 passed, 0 failed");
    let report = run_matching(&base_url, "check caching headers exist").await;
    // Every feature but Http, JWT and FHIR has a valid and an invalid caching scenario, except
    // PatientRegister, which has only the invalid one.
    assert_eq!(report.results.len(), 27, "{:#?}", report.results);
    for result in &report.results {
        let reason = result
            .failure
            .as_ref()
            .map(|f| f.reason().to_owned())
            .unwrap_or_default();
        assert!(reason.contains("Cache-Control"), "{}", result.line());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_real_provider_without_etags_fails_the_etag_cases() {
    let provider = Provider::start().await;
    let base_url = proxy(&provider, "etag").await;
    let report = run_matching(&base_url, "ETag header").await;
    assert_eq!(report.results.len(), 2, "{:#?}", report.results);
    assert_eq!(report.failed(), 2, "{:#?}", report.results);
    let report = run_matching(
        &base_url,
        "version id of the cancelled resource is different",
    )
    .await;
    assert_eq!(report.results.len(), 2, "{:#?}", report.results);
    for result in &report.results {
        let reason = result
            .failure
            .as_ref()
            .map(|f| f.reason().to_owned())
            .unwrap_or_default();
        assert!(reason.contains("ETag"), "{}", result.line());
    }
}
