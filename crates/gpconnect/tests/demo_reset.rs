//! `gpconnect demo reset` as a separate process: on a database holding changed demo data and an
//! audit trail, it loads the demo practices afresh and keeps every audit event, adding one for
//! the reset (SPEC 2.13). On SQLite always; on PostgreSQL when `GPCONNECT_TEST_POSTGRES_URL` is
//! set, in a schema of its own.
#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::process::Command;
use std::sync::Arc;

use gpconnect_demo::fixtures::PRACTICE_ODS;
use gpconnect_demo::{load_demo_if_empty, DemoScale, RESET_METHOD, RESET_PATH};
use gpconnect_domain::records::{PatientStatus, Practice};
use gpconnect_domain::{FhirId, OdsCode, UkDateTime};
use gpconnect_server::serve::open_store;
use gpconnect_store::contract::audit_event;
use gpconnect_store::Store;
use sqlx::{Connection, PgConnection};

const URL_VAR: &str = "GPCONNECT_TEST_POSTGRES_URL";

/// Runs `gpconnect demo reset --database <database>` and returns its standard output.
fn reset(database: &str) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_gpconnect"))
        .args(["demo", "reset", "--database", database])
        .env("GPCONNECT_LOG", "warn")
        .env_remove("GPCONNECT_DEMO_SCALE")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "gpconnect demo reset failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Loads the demo, changes it as an assurance run and an administrator would, resets it with
/// the binary and checks the outcome through a store that stayed open throughout (as a
/// running server's does).
async fn reset_reloads_the_demo_and_keeps_the_audit_trail(database: &str) {
    let store: Arc<dyn Store> = open_store(database).await.unwrap();
    let today = UkDateTime::now().uk_date();
    assert!(
        load_demo_if_empty(store.as_ref(), today, DemoScale::DEFAULT)
            .await
            .unwrap()
    );
    let ods = OdsCode::parse(PRACTICE_ODS).unwrap();
    let fresh_practices = store.practices().await.unwrap();
    let patient21 = FhirId::parse("21").unwrap();
    let fresh_patient = store.get_patient(&ods, &patient21).await.unwrap().unwrap();
    assert_eq!(fresh_patient.status, PatientStatus::Inactive);

    // An assurance run re-activates patient21; the practice switches GP Connect off.
    let mut changed = fresh_patient.clone();
    changed.status = PatientStatus::Active;
    store.update_patient(&changed, 1).await.unwrap();
    store
        .set_practice_enablement(&ods, false, false)
        .await
        .unwrap();
    let earlier = [
        store
            .append_audit(&audit_event(Some(PRACTICE_ODS), 200))
            .await
            .unwrap(),
        store.append_audit(&audit_event(None, 400)).await.unwrap(),
    ];
    let trail_before = store.audit_events(None, 1000).await.unwrap();

    let printed = reset(database);
    assert!(printed.contains("loaded the demo data afresh"), "{printed}");
    for practice in &fresh_practices {
        assert!(
            printed.contains(&format!("practice {}", practice.ods)),
            "{printed}"
        );
    }

    // The demo data as first loaded: switches on, patient21 inactive at version 1, and free
    // slots in the coming days. Each practice's diary starts at a new version, so no search
    // answer kept from before the reset can be reused.
    let reloaded = store.practices().await.unwrap();
    let versionless = |practices: &[Practice]| {
        practices
            .iter()
            .map(|p| Practice {
                diary_version: 0,
                ..p.clone()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(versionless(&reloaded), versionless(&fresh_practices));
    for (after, before) in reloaded.iter().zip(&fresh_practices) {
        assert_ne!(after.diary_version, before.diary_version, "{}", after.ods);
    }
    assert_eq!(
        store.get_patient(&ods, &patient21).await.unwrap(),
        Some(fresh_patient)
    );
    let now = UkDateTime::now();
    let week = UkDateTime::from_unix_seconds(now.unix_seconds() + 7 * 24 * 60 * 60).unwrap();
    assert!(!store
        .free_slots(&ods, now, week)
        .await
        .unwrap()
        .slots
        .is_empty());

    // SPEC 2.13: every earlier event is kept, and the reset is audited after them.
    let trail = store.audit_events(None, 1000).await.unwrap();
    assert_eq!(trail.len(), trail_before.len() + 1);
    assert_eq!(trail[1..], trail_before[..]);
    let audited = &trail[0];
    assert_eq!(audited.method, RESET_METHOD);
    assert_eq!(audited.path, RESET_PATH);
    assert!(audited.seq > earlier[1]);
    assert!(trail.iter().any(|e| e.seq == earlier[0]));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gpconnect.db");
    let database = format!("sqlite://{}", path.to_str().unwrap());
    reset_reloads_the_demo_and_keeps_the_audit_trail(&database).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_on_postgres() {
    let Ok(url) = std::env::var(URL_VAR) else {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: demo reset on PostgreSQL; set {URL_VAR} to run it"
        );
        return;
    };
    let schema = format!("gpc_reset_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&url).await.unwrap();
    sqlx::query(&format!("CREATE SCHEMA \"{schema}\""))
        .execute(&mut admin)
        .await
        .unwrap();
    let separator = if url.contains('?') { '&' } else { '?' };
    let database = format!("{url}{separator}options%5Bsearch_path%5D={schema}");
    reset_reloads_the_demo_and_keeps_the_audit_trail(&database).await;
    sqlx::query(&format!("DROP SCHEMA \"{schema}\" CASCADE"))
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
}

/// A database that does not exist yet is simply loaded.
#[test]
fn reset_of_a_new_sqlite_file_loads_the_demo() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new").join("gpconnect.db");
    let printed = reset(&format!("sqlite://{}", path.to_str().unwrap()));
    assert!(
        printed.contains(&format!("practice {PRACTICE_ODS}")),
        "{printed}"
    );
    assert!(path.exists());
}
