//! The whole suite against this project's provider: `gpconnect serve` started in-process on
//! 127.0.0.1 over a fresh SQLite database with the demo practices. Every case must pass.
#![allow(clippy::unwrap_used)]

mod support;

use gpconnect_conformance::{Feature, Fixture, Options};
use support::Provider;

/// Runs `features` (all when empty) and requires every case to pass.
async fn every_case_passes(features: &[Feature]) {
    let provider = Provider::start().await;
    let mut options = Options::new(&provider.base_url, Fixture::demo());
    options.features = features.to_vec();
    let report = gpconnect_conformance::run(&options, |r| {
        if std::env::var_os("CONFORMANCE_LINES").is_some() {
            println!("{} ({} ms)", r.line(), r.duration.as_millis());
        }
    })
    .await
    .unwrap();
    assert!(!report.results.is_empty());
    let failures: Vec<String> = report
        .results
        .iter()
        .filter(|r| !r.passed())
        .map(|r| r.line())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        report.results.len(),
        failures.join("\n")
    );
    assert_eq!(report.teardown.failed, 0, "{:?}", report.teardown);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cross_cutting_and_foundations_pass_against_the_demo_provider() {
    every_case_passes(&[
        Feature::Http,
        Feature::Jwt,
        Feature::Fhir,
        Feature::PatientRead,
        Feature::PatientSearch,
        Feature::PatientRegister,
        Feature::PractitionerRead,
        Feature::PractitionerSearch,
        Feature::OrganizationRead,
        Feature::OrganizationSearch,
        Feature::LocationRead,
    ])
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn appointment_management_passes_against_the_demo_provider() {
    every_case_passes(&[
        Feature::SearchForFreeSlots,
        Feature::AppointmentBook,
        Feature::AppointmentRead,
        Feature::AppointmentAmend,
        Feature::AppointmentCancel,
        Feature::AppointmentRetrieve,
    ])
    .await;
}
