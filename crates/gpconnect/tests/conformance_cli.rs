//! `gpconnect conformance` as a separate process, against `gpconnect serve` started as another.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};

/// A `gpconnect serve` process on a fresh SQLite database, killed when dropped.
struct Serve {
    child: Child,
    base_url: String,
    _dir: tempfile::TempDir,
}

impl Serve {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_gpconnect"))
            .args([
                "serve",
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--database",
            ])
            .arg(format!(
                "sqlite://{}",
                dir.path().join("db.sqlite").display()
            ))
            .env("GPCONNECT_LOG", "warn")
            .env_remove("GPCONNECT_DEMO_SCALE")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // The practice lines are printed once the listener is bound. The rest of the output is
        // drained by a thread so the server never writes into a closed pipe.
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        stdout.read_line(&mut first).unwrap();
        assert!(first.starts_with("practice "), "{first}");
        std::thread::spawn(move || for _ in stdout.lines() {});
        Self {
            child,
            base_url: format!("http://127.0.0.1:{port}/A20047/STU3/1/gpconnect"),
            _dir: dir,
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn conformance(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gpconnect"))
        .arg("conformance")
        .args(args)
        .env("GPCONNECT_LOG", "warn")
        .output()
        .unwrap()
}

fn lines(output: &Output) -> Vec<String> {
    String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect()
}

#[test]
fn a_conformant_provider_passes_and_the_reports_say_so() {
    let serve = Serve::start();
    let dir = tempfile::tempdir().unwrap();
    let junit = dir.path().join("junit.xml");
    let output = conformance(&[
        "--base-url",
        &serve.base_url,
        "--feature",
        "Http",
        "--feature",
        "jwt",
        "--junit",
        junit.to_str().unwrap(),
    ]);
    let printed = lines(&output);
    assert!(output.status.success(), "{printed:#?}");
    assert_eq!(printed.len(), 30, "{printed:#?}");
    assert!(
        printed[..29].iter().all(|l| l.starts_with("PASS ")),
        "{printed:#?}"
    );
    assert_eq!(printed[0], "PASS Http Http GET from invalid endpoint");
    assert_eq!(printed[29], "29 passed, 0 failed");
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(xml.contains("tests=\"29\" failures=\"0\""), "{xml}");
}

#[test]
fn failures_are_reported_with_a_reason_and_a_non_zero_exit() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base_url = format!("http://127.0.0.1:{port}/A20047/STU3/1/gpconnect");
    let output = conformance(&["--base-url", &base_url, "--feature", "Http"]);
    let printed = lines(&output);
    assert_eq!(output.status.code(), Some(1), "{printed:#?}");
    assert!(
        printed[0].starts_with("FAIL Http Http GET from invalid endpoint: "),
        "{printed:#?}"
    );
    assert_eq!(printed.last().unwrap(), "0 passed, 7 failed");
}

#[test]
fn cases_can_be_listed_and_the_test_data_printed() {
    let output = conformance(&["--list"]);
    assert!(output.status.success());
    assert_eq!(lines(&output).len(), 616);
    let output = conformance(&["--list", "--feature", "PatientRead", "--filter", "404"]);
    assert!(lines(&output).iter().all(|l| l.starts_with("PatientRead ")));
    let output = conformance(&["--print-config"]);
    assert!(output.status.success());
    let printed = String::from_utf8(output.stdout).unwrap();
    assert!(
        printed.contains("provider_asid = \"918999198993\""),
        "{printed}"
    );
    let output = conformance(&["--feature", "Nope", "--list"]);
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown feature"));
}
