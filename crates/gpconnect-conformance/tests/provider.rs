//! The whole suite against this project's provider: `gpconnect serve` started in-process on
//! 127.0.0.1 over a fresh SQLite database with the demo practices. Every case must pass.
#![allow(clippy::unwrap_used)]

use gpconnect_conformance::{Feature, Fixture, Options};
use gpconnect_server::serve::{ServeArgs, Server};
use tokio::sync::oneshot;

/// Logs go to the test output only when `TEST_LOG` is set.
fn init_logs() {
    if let Some(filter) = std::env::var_os("TEST_LOG") {
        let filter = filter
            .into_string()
            .ok()
            .filter(|v| !v.is_empty() && v != "1")
            .unwrap_or_else(|| "debug".into());
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_test_writer()
            .try_init();
    }
}

/// The provider, serving until dropped.
struct Provider {
    base_url: String,
    stop: Option<oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

impl Provider {
    async fn start() -> Self {
        init_logs();
        let dir = tempfile::tempdir().unwrap();
        let mut args = ServeArgs::with_database(format!(
            "sqlite://{}",
            dir.path().join("provider.db").display()
        ));
        args.listen = "127.0.0.1:0".parse().unwrap();
        let server = Server::start(&args).await.unwrap();
        let addr = server.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(server.run(async {
            let _ = stopped.await;
        }));
        Self {
            base_url: format!("http://{addr}/A20047/STU3/1/gpconnect"),
            stop: Some(stop),
            _dir: dir,
        }
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

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
