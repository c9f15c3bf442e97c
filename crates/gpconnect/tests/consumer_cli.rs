//! The consumer commands of the built `gpconnect` binary against real `gpconnect serve`
//! processes (each on a free port over its own temporary SQLite file holding the demo
//! practices): a patient's whole journey in tables and in JSON, the errors a user must be able
//! to act on, configuration layering, registration, and a search of several practices at once.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use gpconnect_demo::fixtures::{
    PRACTICE_ASID, PRACTICE_ODS, SECOND_PRACTICE_ASID, SECOND_PRACTICE_ODS,
};
use gpconnect_demo::LocalPds;
use serde_json::Value;
use tempfile::TempDir;

const STARTUP: Duration = Duration::from_secs(60);
/// Patient 7 of the demo practice: Miss Lucy Pemberton.
const NHS_NUMBER: &str = "9658219004";
const PATIENT_ID: &str = "7";

/// A `gpconnect serve` process on a free port, killed (by its own id) when dropped.
struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT`.
    origin: String,
    _dir: TempDir,
}

impl Server {
    fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let database = format!("sqlite://{}", dir.path().join("provider.db").display());
        let mut child = Command::new(env!("CARGO_BIN_EXE_gpconnect"))
            .args(["serve", "--listen", "127.0.0.1:0", "--database", &database])
            .env("GPCONNECT_LOG", log_level())
            .stdout(Stdio::piped())
            .stderr(if std::env::var_os("TEST_LOG").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (found, origin) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                if line.contains(&format!("practice {PRACTICE_ODS}")) {
                    let origin = line
                        .split_whitespace()
                        .find_map(|w| w.strip_suffix(&format!("/{PRACTICE_ODS}/STU3/1/gpconnect")))
                        .map(str::to_owned);
                    let _ = found.send(origin);
                }
            }
        });
        let origin = origin
            .recv_timeout(STARTUP)
            .ok()
            .flatten()
            .unwrap_or_else(|| {
                let _ = child.kill();
                panic!("gpconnect serve did not start")
            });
        Self {
            child,
            origin,
            _dir: dir,
        }
    }

    fn base_url(&self, ods: &str) -> String {
        format!("{}/{ods}/STU3/1/gpconnect", self.origin)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn log_level() -> String {
    std::env::var("TEST_LOG")
        .ok()
        .filter(|v| !v.is_empty() && v != "1")
        .unwrap_or_else(|| "error".into())
}

/// The binary, with none of the caller's GPCONNECT_* variables: each test says what it sets.
fn gpconnect() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gpconnect"));
    for (name, _) in std::env::vars_os() {
        if name.to_string_lossy().starts_with("GPCONNECT_") {
            command.env_remove(name);
        }
    }
    command.env("GPCONNECT_LOG", log_level());
    command
}

/// An address where nothing listens.
fn closed_port() -> std::net::SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

/// A consumer's configuration file in a temporary folder.
struct Consumer {
    config: PathBuf,
    _dir: TempDir,
}

impl Consumer {
    /// The demo consumer organisation calling `base_url` as `provider_asid`.
    fn new(base_url: &str, provider_asid: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("consumer.toml");
        std::fs::write(
            &config,
            format!(
                r#"
base_url = "{base_url}"
consumer_asid = "200000000359"
provider_asid = "{provider_asid}"
timeout_seconds = 20

[user]
id = "42"
sds_user_id = "G13579135"
family = "Jones"
given = ["Sam"]
prefix = ["Dr"]

[organisation]
ods_code = "GPCA0001"
name = "Example Urgent Care Hub"
telephone = "01632 960000"

[system]
issuer = "https://consumer.example/"

[retry]
initial_backoff_ms = 10
max_backoff_ms = 20
"#
            ),
        )
        .unwrap();
        Self { config, _dir: dir }
    }

    /// The demo practice A20047 of `server`.
    fn of(server: &Server) -> Self {
        Self::new(&server.base_url(PRACTICE_ODS), PRACTICE_ASID)
    }

    fn run(&self, args: &[&str]) -> Run {
        self.run_with_env(args, &[])
    }

    /// Runs `gpconnect args… --config FILE` with only `env` among the GPCONNECT_* variables.
    fn run_with_env(&self, args: &[&str], env: &[(&str, &str)]) -> Run {
        let mut command = gpconnect();
        command
            .envs(env.iter().copied())
            .args(args)
            .arg("--config")
            .arg(&self.config);
        Run::of(args, &mut command)
    }

    /// Runs with `--json`, expects success and returns the parsed output.
    fn json(&self, args: &[&str]) -> Value {
        let mut args = args.to_vec();
        args.push("--json");
        self.run(&args).success().json()
    }
}

/// One finished command.
#[derive(Debug)]
struct Run {
    args: String,
    status: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn of(args: &[&str], command: &mut Command) -> Self {
        let output = command.output().unwrap();
        let run = Self {
            args: args.join(" "),
            status: output.status.code(),
            stdout: String::from_utf8(output.stdout).unwrap(),
            stderr: String::from_utf8(output.stderr).unwrap(),
        };
        if std::env::var_os("TEST_LOG").is_some() {
            eprintln!("$ gpconnect {}\n{}{}", run.args, run.stdout, run.stderr);
        }
        run
    }

    fn success(self) -> Self {
        assert_eq!(self.status, Some(0), "gpconnect {}: {self:#?}", self.args);
        self
    }

    fn failure(self, status: i32) -> Self {
        assert_eq!(
            self.status,
            Some(status),
            "gpconnect {}: {self:#?}",
            self.args
        );
        self
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("gpconnect {}: not JSON ({e}): {}", self.args, self.stdout))
    }
}

/// The table row (from the line after the header) whose first column is `id`, split on runs of
/// two or more spaces.
fn row(table: &str, id: &str) -> Vec<String> {
    table
        .lines()
        .skip(1)
        .map(|line| {
            line.split("  ")
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .find(|cells| cells.first().map(String::as_str) == Some(id))
        .unwrap_or_else(|| panic!("no row {id} in\n{table}"))
}

/// The value of the `label: value` line of a listing.
fn field<'t>(listing: &'t str, label: &str) -> &'t str {
    listing
        .lines()
        .find_map(|line| line.strip_prefix(label)?.strip_prefix(':'))
        .map(str::trim)
        .unwrap_or_else(|| panic!("no {label} in\n{listing}"))
}

/// `2026-07-01T09:30:00+01:00` as the tables show it: `2026-07-01 09:30`.
fn shown(instant: &Value) -> String {
    let text = instant.as_str().unwrap();
    format!("{} {}", &text[..10], &text[11..16])
}

#[test]
fn find_search_book_list_amend_reschedule_and_cancel() {
    let server = Server::start();
    let consumer = Consumer::of(&server);

    // Find the patient: a table for people, the same in JSON.
    let found = consumer.run(&["patient", "find", NHS_NUMBER]).success();
    assert!(
        found.stdout.starts_with("ID  NHS NUMBER  NAME"),
        "{}",
        found.stdout
    );
    assert_eq!(
        row(&found.stdout, PATIENT_ID),
        [
            PATIENT_ID,
            NHS_NUMBER,
            "Miss Lucy PEMBERTON",
            "1994-12-08",
            "female"
        ]
    );
    let patients = consumer.json(&["patient", "find", "965 821 9004"]);
    assert_eq!(patients["patients"][0]["id"], PATIENT_ID);
    assert_eq!(patients["patients"][0]["nhs_number"], NHS_NUMBER);

    // Search from tomorrow, so that no slot starts while the test runs.
    let search = consumer.json(&["slots", "search", "--from", "tomorrow", "--to", "+3"]);
    let practice = &search["practices"][0];
    assert_eq!(practice["base_url"], server.base_url(PRACTICE_ODS));
    let slots = practice["slots"].as_array().unwrap();
    let first = &slots[0];
    let other = slots
        .iter()
        .find(|s| s["schedule_id"] != first["schedule_id"] && s["start"] != first["start"])
        .unwrap();
    let slot = first["id"].as_str().unwrap();
    let new_slot = other["id"].as_str().unwrap();
    let table = consumer
        .run(&["slots", "search", "--from", "tomorrow", "--to", "+3"])
        .success()
        .stdout;
    assert!(table.starts_with("SLOT "), "{table}");
    let cells = row(&table, slot);
    assert_eq!(cells[1], shown(&first["start"]));
    assert_eq!(cells[4], first["delivery_channel"].as_str().unwrap());

    // Book: the table names the new appointment and its details.
    let booked = consumer
        .run(&[
            "appointment",
            "book",
            "--slot",
            slot,
            "--patient",
            NHS_NUMBER,
            "--description",
            "Review of sprained ankle",
            "--comment",
            "Booked by the hub",
            "--from",
            "tomorrow",
            "--to",
            "+3",
        ])
        .success()
        .stdout;
    let id = booked
        .strip_prefix("Booked appointment ")
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("{booked}"))
        .to_owned();
    assert_eq!(field(&booked, "status"), "booked");
    assert_eq!(field(&booked, "slots"), slot);
    assert_eq!(field(&booked, "patient"), PATIENT_ID);
    assert_eq!(field(&booked, "description"), "Review of sprained ankle");
    assert_eq!(field(&booked, "comment"), "Booked by the hub");
    let shown_json = consumer.json(&["appointment", "show", &id]);
    let appointment = &shown_json["appointment"];
    assert_eq!(appointment["status"], "booked");
    assert_eq!(appointment["patient_id"], PATIENT_ID);
    assert_eq!(appointment["slot_ids"], serde_json::json!([slot]));
    assert_eq!(appointment["start"], first["start"]);
    assert_eq!(appointment["comment"], "Booked by the hub");
    assert_eq!(appointment["booking_organisation"], "GPCA0001");
    assert_eq!(appointment["version"], "1");
    assert_eq!(shown_json["resource"]["resourceType"], "Appointment");

    // The slot is taken now: booking it again says what happened and what to do.
    let again = consumer
        .run(&[
            "appointment",
            "book",
            "--slot",
            slot,
            "--patient-id",
            PATIENT_ID,
            "--description",
            "Second try",
            "--from",
            "tomorrow",
            "--to",
            "+3",
        ])
        .failure(1);
    assert!(again.stdout.is_empty(), "{again:#?}");
    assert!(
        again
            .stderr
            .starts_with(&format!("error: slot {slot} is not free")),
        "{}",
        again.stderr
    );
    assert!(
        again
            .stderr
            .contains("hint: it may have been taken by someone else: search again"),
        "{}",
        again.stderr
    );

    // List: a row per appointment.
    let list = consumer
        .run(&["appointment", "list", "--patient", NHS_NUMBER])
        .success()
        .stdout;
    let cells = row(&list, &id);
    assert_eq!(cells[1], "booked");
    assert_eq!(cells[2], shown(&first["start"]));
    assert_eq!(cells.last().unwrap(), "Review of sprained ankle");

    // Amend the description and comment.
    let amended = consumer
        .run(&[
            "appointment",
            "amend",
            &id,
            "--description",
            "Review of ankle dressing",
            "--comment",
            "Prefers a morning call",
        ])
        .success()
        .stdout;
    assert!(
        amended.starts_with(&format!("Amended appointment {id}.")),
        "{amended}"
    );
    let read = consumer.json(&["appointment", "show", &id]);
    assert_eq!(
        read["appointment"]["description"],
        "Review of ankle dressing"
    );
    assert_eq!(read["appointment"]["comment"], "Prefers a morning call");
    assert_eq!(read["appointment"]["version"], "2");

    // Reschedule: the new slot is booked, then the old appointment cancelled.
    let moved = consumer.json(&[
        "appointment",
        "reschedule",
        &id,
        "--slot",
        new_slot,
        "--reason",
        "Patient asked for another time",
        "--from",
        "tomorrow",
        "--to",
        "+3",
    ]);
    let new_id = moved["appointment"]["id"].as_str().unwrap().to_owned();
    assert_ne!(new_id, id);
    assert_eq!(
        moved["appointment"]["slot_ids"],
        serde_json::json!([new_slot])
    );
    assert_eq!(
        moved["appointment"]["description"], "Review of ankle dressing",
        "the description is carried over"
    );
    assert_eq!(moved["cancelled"]["id"], id.as_str());
    assert_eq!(moved["cancelled"]["status"], "cancelled");
    assert_eq!(
        moved["cancelled"]["cancellation_reason"],
        "Patient asked for another time"
    );

    // Cancel the new one.
    let cancelled = consumer
        .run(&[
            "appointment",
            "cancel",
            &new_id,
            "--reason",
            "Patient feels better",
        ])
        .success()
        .stdout;
    assert!(
        cancelled.starts_with(&format!(
            "Cancelled appointment {new_id}; its slots are free again."
        )),
        "{cancelled}"
    );
    assert_eq!(field(&cancelled, "status"), "cancelled");
    assert_eq!(
        field(&cancelled, "cancelled because"),
        "Patient feels better"
    );
    let all = consumer.json(&["appointment", "list", "--patient-id", PATIENT_ID]);
    let statuses: Vec<(&str, &str)> = all["appointments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["id"].as_str().unwrap(), a["status"].as_str().unwrap()))
        .collect();
    assert!(
        statuses.contains(&(id.as_str(), "cancelled")),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&(new_id.as_str(), "cancelled")),
        "{statuses:?}"
    );
    // Both slots are offered again.
    let search = consumer.json(&["slots", "search", "--from", "tomorrow", "--to", "+3"]);
    let free: Vec<&str> = search["practices"][0]["slots"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert!(free.contains(&slot) && free.contains(&new_slot));

    // Cancelling twice is refused before anything is sent, with the reason.
    let twice = consumer
        .run(&["appointment", "cancel", &new_id, "--reason", "Again"])
        .failure(1);
    assert!(
        twice.stderr.contains(&format!(
            "appointment {new_id} is already cancelled (Patient feels better)"
        )),
        "{}",
        twice.stderr
    );
}

#[test]
fn provider_refusals_carry_their_spine_code_and_advice_in_text_and_json() {
    let server = Server::start();
    let consumer = Consumer::of(&server);

    let text = consumer.run(&["appointment", "show", "nosuch"]).failure(1);
    assert!(text.stdout.is_empty());
    assert!(
        text.stderr.starts_with(
            "error: read an appointment: HTTP 404 NO_RECORD_FOUND: There is no Appointment with id 'nosuch'\n\
             hint: no appointment with that id at this practice"
        ),
        "{}",
        text.stderr
    );

    let json = consumer
        .run(&["appointment", "show", "nosuch", "--json"])
        .failure(1)
        .json();
    assert_eq!(json["error"]["http_status"], 404);
    assert_eq!(json["error"]["spine_code"], "NO_RECORD_FOUND");
    assert!(json["error"]["hint"]
        .as_str()
        .unwrap()
        .contains("gpconnect appointment list"));

    // An NHS number with a wrong check digit never leaves the machine: clap refuses it.
    let bad = consumer.run(&["patient", "find", "9658219005"]).failure(2);
    assert!(
        bad.stderr.contains("NHS number check digit is wrong"),
        "{}",
        bad.stderr
    );

    // A patient who is not registered: the booking stops and says how to register them.
    let unregistered = consumer
        .run(&[
            "appointment",
            "book",
            "--slot",
            "1",
            "--patient",
            "9999999999",
            "--description",
            "Review",
        ])
        .failure(1);
    assert!(
        unregistered
            .stderr
            .contains("no patient with NHS number 9999999999 is registered at"),
        "{}",
        unregistered.stderr
    );
    assert!(unregistered
        .stderr
        .contains("hint: register them temporarily first: gpconnect patient register 9999999999"));
}

#[test]
fn settings_come_from_the_file_then_the_environment_then_the_flags() {
    let server = Server::start();
    // The file names the wrong endpoint ASID for A20047 ...
    let consumer = Consumer::new(&server.base_url(PRACTICE_ODS), SECOND_PRACTICE_ASID);
    let refused = consumer.run(&["patient", "find", NHS_NUMBER]).failure(1);
    assert!(
        refused.stderr.contains("HTTP 400 BAD_REQUEST"),
        "{}",
        refused.stderr
    );
    // ... the environment puts it right ...
    let env = [("GPCONNECT_PROVIDER_ASID", PRACTICE_ASID)];
    let found = consumer.run_with_env(&["patient", "find", NHS_NUMBER, "--json"], &env);
    assert_eq!(found.success().json()["patients"][0]["id"], PATIENT_ID);
    // ... and a flag overrides both.
    let flagged = consumer.run_with_env(
        &[
            "patient",
            "find",
            NHS_NUMBER,
            "--base-url",
            &server.base_url(SECOND_PRACTICE_ODS),
            "--provider-asid",
            SECOND_PRACTICE_ASID,
            "--json",
        ],
        &env,
    );
    assert_eq!(
        flagged.success().json()["patients"],
        serde_json::json!([]),
        "patient 7 is not registered at the second practice"
    );

    // A setting missing everywhere names the three places it can be given.
    let empty = tempfile::tempdir().unwrap();
    let bare = empty.path().join("bare.toml");
    std::fs::write(&bare, "").unwrap();
    let missing = Run::of(
        &["slots", "search"],
        gpconnect().args(["slots", "search", "--config"]).arg(&bare),
    )
    .failure(1);
    let stderr = missing.stderr;
    assert!(
        stderr.contains("missing setting base_url")
            && stderr.contains("GPCONNECT_BASE_URL")
            && stderr.contains("--base-url"),
        "{stderr}"
    );
}

#[test]
fn a_new_patient_is_registered_then_found_and_registering_again_is_refused() {
    let server = Server::start();
    let consumer = Consumer::of(&server);
    let pds = LocalPds::new();
    let person = pds.registration_candidates().next().unwrap();
    let nhs = person.nhs_number.as_str().to_owned();
    let birth_date = person.birth_date.to_string();
    let mut args = vec![
        "patient",
        "register",
        nhs.as_str(),
        "--family",
        person.family.as_str(),
        "--birth-date",
        birth_date.as_str(),
    ];
    for given in &person.given {
        args.extend(["--given", given.as_str()]);
    }

    let registered = consumer.run(&args).success().stdout;
    assert!(
        registered.starts_with("Registered temporarily at "),
        "{registered}"
    );
    let found = consumer.json(&["patient", "find", &nhs]);
    assert_eq!(found["patients"][0]["nhs_number"], nhs.as_str());
    assert_eq!(found["patients"][0]["birth_date"], birth_date.as_str());

    let again = consumer.run(&args).failure(1);
    assert!(
        again.stderr.contains("HTTP 409 DUPLICATE_REJECTED"),
        "{}",
        again.stderr
    );
    assert!(
        again
            .stderr
            .contains("hint: the patient is already registered at this practice"),
        "{}",
        again.stderr
    );
}

#[test]
fn several_practices_are_searched_at_once_each_with_its_own_result() {
    let first = Server::start();
    let second = Server::start();
    let consumer = Consumer::of(&first);
    let closed = closed_port();
    let a = format!("{}={PRACTICE_ASID}", first.base_url(PRACTICE_ODS));
    let b = format!(
        "{}={SECOND_PRACTICE_ASID}",
        second.base_url(SECOND_PRACTICE_ODS)
    );
    let down =
        format!("http://{closed}/{SECOND_PRACTICE_ODS}/STU3/1/gpconnect={SECOND_PRACTICE_ASID}");
    let window = ["--from", "tomorrow", "--to", "+2"];

    let mut args = vec!["slots", "search", "--practice", &a, "--practice", &b];
    args.extend(window);
    let both = consumer.json(&args);
    let practices = both["practices"].as_array().unwrap();
    assert_eq!(practices.len(), 2);
    for (practice, ods) in practices.iter().zip([PRACTICE_ODS, SECOND_PRACTICE_ODS]) {
        let slots = practice["slots"].as_array().unwrap();
        assert!(!slots.is_empty(), "{ods}: {practice}");
        assert!(
            slots.iter().all(|s| s["practice_ods"] == ods),
            "{ods}: {practice}"
        );
    }

    // One practice down: the others' slots still come, its error is reported, and the exit
    // status says the answer is partial.
    args.extend(["--practice", &down]);
    let mut json_args = args.clone();
    json_args.push("--json");
    let partial = consumer.run(&json_args).failure(3);
    let json = partial.json();
    let practices = json["practices"].as_array().unwrap();
    assert_eq!(practices.len(), 3);
    assert!(!practices[0]["slots"].as_array().unwrap().is_empty());
    assert!(!practices[1]["slots"].as_array().unwrap().is_empty());
    assert_eq!(practices[2]["base_url"], down.rsplit_once('=').unwrap().0);
    assert!(
        practices[2]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("could not connect"),
        "{}",
        practices[2]
    );

    let table = consumer.run(&args).failure(3).stdout;
    let headings: Vec<&str> = table.lines().filter(|l| l.starts_with("http://")).collect();
    assert_eq!(headings.len(), 3, "{table}");
    assert!(headings[0].starts_with(&format!(
        "{} (ASID {PRACTICE_ASID}): ",
        first.base_url(PRACTICE_ODS)
    )));
    assert!(headings[0].ends_with(" free slots"), "{}", headings[0]);
    assert!(headings[1].starts_with(&second.base_url(SECOND_PRACTICE_ODS)));
    assert!(
        headings[2].ends_with("could not be searched"),
        "{}",
        headings[2]
    );
}

/// The README's commands use this configuration for the demo practice.
#[test]
fn the_demo_consumer_configuration_is_complete() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("demo-consumer.toml");
    let base_url = format!("http://{}/A20047/STU3/1/gpconnect", closed_port());
    let args = ["appointment", "show", "1", "--base-url", &base_url];
    let run = Run::of(
        &args,
        gpconnect()
            .args(args)
            .arg("--config")
            .arg(&path)
            .env("GPCONNECT_RETRY_MAX_ATTEMPTS", "1"),
    )
    .failure(1);
    // Every setting loads; only the closed port stops the command.
    assert!(
        run.stderr
            .starts_with("error: read an appointment: could not connect"),
        "{}",
        run.stderr
    );
}
