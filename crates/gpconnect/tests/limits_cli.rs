//! `gpconnect limits` as a separate process on a SQLite database holding the demo data: list,
//! add and remove a practice's organisation access limits (SPEC 5), with clear refusals, and
//! every change audited (SPEC 2.13).
#![allow(clippy::unwrap_used)]

use std::process::{Command, Output};

use gpconnect_domain::OdsCode;
use gpconnect_server::serve::open_store;

fn gpconnect(database: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gpconnect"))
        .args(args)
        .args(["--database", database])
        .env("GPCONNECT_LOG", "warn")
        .env_remove("GPCONNECT_DEMO_SCALE")
        .output()
        .unwrap()
}

#[track_caller]
fn succeeded(output: &Output) -> String {
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

#[track_caller]
fn refused(output: &Output, says: &str) {
    assert!(!output.status.success(), "expected a refusal");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains(says), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn limits_are_listed_added_and_removed_and_every_change_is_audited() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("gpconnect.db").display());
    succeeded(&gpconnect(&database, &["demo", "reset"]));

    let list = succeeded(&gpconnect(
        &database,
        &["limits", "list", "--practice", "A20047"],
    ));
    assert_eq!(
        list.trim(),
        "limit neighbours 'Neighbouring practices': 2 slot(s) a day for Y90001"
    );
    let added = succeeded(&gpconnect(
        &database,
        &[
            "limits",
            "add",
            "--practice",
            "A20047",
            "--id",
            "111",
            "--name",
            "NHS 111",
            "--org-type",
            "urgent-care",
            "--ods-code",
            "X12345",
            "--slots-per-day",
            "4",
        ],
    ));
    assert_eq!(
        added.trim(),
        "added limit 111 'NHS 111': 4 slot(s) a day for urgent-care, X12345"
    );
    let list = succeeded(&gpconnect(
        &database,
        &["limits", "list", "--practice", "A20047"],
    ));
    assert_eq!(list.lines().count(), 2, "{list}");
    assert!(list.starts_with("limit 111 'NHS 111'"), "{list}");

    // Refusals: the same id again, a limit covering nobody, an unknown type or practice.
    let add = |id: &'static str, extra: &'static [&'static str]| {
        let mut args = vec![
            "limits",
            "add",
            "--practice",
            "A20047",
            "--id",
            id,
            "--name",
            "L",
            "--slots-per-day",
            "1",
        ];
        args.extend_from_slice(extra);
        gpconnect(&database, &args)
    };
    refused(
        &add("111", &["--org-type", "gp-practice"]),
        "already has a limit '111'",
    );
    refused(&add("new", &[]), "at least one organisation type");
    refused(
        &add("new", &["--org-type", "oncology"]),
        "not a GPConnect-OrganisationType-1 code",
    );
    refused(
        &gpconnect(&database, &["limits", "list", "--practice", "B99999"]),
        "no practice B99999",
    );

    succeeded(&gpconnect(
        &database,
        &["limits", "remove", "--practice", "A20047", "--id", "111"],
    ));
    refused(
        &gpconnect(
            &database,
            &["limits", "remove", "--practice", "A20047", "--id", "111"],
        ),
        "has no limit '111'",
    );
    let list = succeeded(&gpconnect(
        &database,
        &["limits", "list", "--practice", "A20047"],
    ));
    assert_eq!(list.lines().count(), 1, "{list}");

    let store = open_store(&database).await.unwrap();
    let practice = OdsCode::parse("A20047").unwrap();
    let audited: Vec<(String, String)> = store
        .audit_events(Some(&practice), 100)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.method == "ADMIN")
        .map(|e| (e.path, e.detail.unwrap_or_default()))
        .collect();
    assert_eq!(
        audited,
        vec![
            (
                "gpconnect limits remove".to_owned(),
                "removed limit 111 of practice A20047".to_owned()
            ),
            (
                "gpconnect limits add".to_owned(),
                "added limit 111 'NHS 111': 4 slot(s) a day for urgent-care, X12345".to_owned()
            ),
        ]
    );
}
