//! `gpconnect serve` keeps serving when whoever started it stops reading its output.
#![allow(clippy::unwrap_used)]

use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

#[tokio::test]
async fn a_closed_stdout_does_not_stop_the_server() {
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
        .env("GPCONNECT_LOG", "error")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Close the read end before the server prints its practice list.
    drop(child.stdout.take());

    let deadline = Instant::now() + Duration::from_secs(60);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(child.try_wait().unwrap().is_none(), "the server exited");
        assert!(Instant::now() < deadline, "the server never listened");
        std::thread::sleep(Duration::from_millis(50));
    }
    // Give it time to print (and fail to print) both practice lines, then ask it something.
    std::thread::sleep(Duration::from_millis(500));
    let answer = reqwest::get(format!(
        "http://127.0.0.1:{port}/A20047/STU3/1/gpconnect/metadata"
    ))
    .await
    .unwrap();
    // No Spine headers: a 400 OperationOutcome, answered by a live server.
    assert_eq!(answer.status(), 400);
    assert!(answer.text().await.unwrap().contains("OperationOutcome"));
    assert!(child.try_wait().unwrap().is_none(), "the server exited");
    let _ = child.kill();
    let _ = child.wait();
}
