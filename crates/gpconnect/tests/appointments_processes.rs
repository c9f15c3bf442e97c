//! The built `gpconnect serve` binary as separate processes:
//!
//! * two servers on one PostgreSQL database racing for one slot book it once (SPEC 3.11: the
//!   database, not the process, guarantees one booking per slot); runs when
//!   `GPCONNECT_TEST_POSTGRES_URL` is set, in a schema of its own;
//! * a booking acknowledged with 201 survives `kill -9` of the server straight afterwards: the
//!   restarted server, on the same SQLite file, reads it back (nothing acknowledged is lost).
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use sqlx::{Connection, PgConnection};

const URL_VAR: &str = "GPCONNECT_TEST_POSTGRES_URL";
const ODS: &str = "A20047";
const STARTUP: Duration = Duration::from_secs(60);

/// A `gpconnect serve` process, killed (by its own id) when dropped.
struct ServerProcess {
    child: Child,
    /// The A20047 service root, e.g. `http://127.0.0.1:39411/A20047/STU3/1/gpconnect`.
    base: String,
}

impl ServerProcess {
    /// Starts the binary on `database` with a free port and waits until it names its
    /// practices.
    fn start(database: &str) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gpconnect"))
            .args(["serve", "--listen", "127.0.0.1:0", "--database", database])
            .env("GPCONNECT_LOG", "warn")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (found, base) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { return };
                if line.contains(&format!("practice {ODS}")) {
                    let url = line
                        .split_whitespace()
                        .find(|w| w.starts_with("http://"))
                        .map(str::to_owned);
                    let _ = found.send(url);
                }
            }
        });
        let base = base
            .recv_timeout(STARTUP)
            .ok()
            .flatten()
            .unwrap_or_else(|| {
                let _ = child.kill();
                panic!("gpconnect serve did not start on {database}")
            });
        Self { child, base }
    }

    /// `kill -9`: the process gets no chance to flush or shut down.
    fn kill(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The assurance suite's JWT for `scope` (ATS 1.4).
fn token(scope: &str) -> String {
    let iat = jiff::Timestamp::now().as_second() - 2;
    let claims = json!({
        "iss": "https://ConsumerSystemURL",
        "sub": "1",
        "aud": "https://authorize.fhir.nhs.net/token",
        "exp": iat + 300,
        "iat": iat,
        "reason_for_request": "directcare",
        "requested_scope": scope,
        "requesting_device": {
            "resourceType": "Device",
            "identifier": [{ "system": "GPConnectTestSystem", "value": "Client" }],
            "model": "v1",
            "version": "1.1"
        },
        "requesting_organization": {
            "resourceType": "Organization",
            "identifier": [{ "system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "GPCA0001" }],
            "name": "GP Connect Assurance"
        },
        "requesting_practitioner": {
            "resourceType": "Practitioner",
            "id": "1",
            "identifier": [{ "system": "https://fhir.nhs.uk/Id/sds-user-id", "value": "GCASDS0001" }],
            "name": [{ "family": "AssurancePractitioner", "given": ["AssuranceTest"], "prefix": ["Mr"] }]
        }
    });
    format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

/// A request with the SSP headers and JWT of `interaction` (ATS 1.3).
fn request(
    client: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    interaction: &str,
    scope: &str,
) -> reqwest::RequestBuilder {
    client
        .request(method, url)
        .header("Ssp-TraceID", uuid::Uuid::new_v4().to_string())
        .header("Ssp-From", "200000000359")
        .header("Ssp-To", "918999198993")
        .header(
            "Ssp-InteractionID",
            format!("urn:nhs:names:services:gpconnect:fhir:{interaction}"),
        )
        .header("Accept", "application/fhir+json")
        .header("Authorization", format!("Bearer {}", token(scope)))
}

/// UK date `days` from today.
fn uk_date(days: i64) -> String {
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::get("Europe/London").unwrap())
        .date();
    today
        .checked_add(jiff::Span::new().days(days))
        .unwrap()
        .to_string()
}

/// The free slots of the coming week, with their schedules.
async fn free_slots(client: &reqwest::Client, base: &str) -> Value {
    let url = format!(
        "{base}/Slot?start=ge{}&end=le{}&status=free&_include=Slot:schedule",
        uk_date(1),
        uk_date(7)
    );
    let response = request(
        client,
        reqwest::Method::GET,
        url,
        "rest:search:slot-1",
        "organization/*.read",
    )
    .send()
    .await
    .unwrap();
    assert_eq!(response.status(), 200);
    response.json().await.unwrap()
}

/// The assurance suite's default booking body (ATS 3.6) for the first slot of `bundle`.
fn booking_body(bundle: &Value, patient: &str) -> Value {
    let resources: Vec<&Value> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["resource"])
        .collect();
    let slot = resources
        .iter()
        .find(|r| r["resourceType"] == "Slot")
        .unwrap();
    let schedule = resources
        .iter()
        .find(|r| {
            r["resourceType"] == "Schedule"
                && format!("Schedule/{}", r["id"].as_str().unwrap())
                    == slot["schedule"]["reference"]
        })
        .unwrap();
    let location = schedule["actor"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["reference"].as_str().unwrap().starts_with("Location/"))
        .unwrap();
    json!({
        "resourceType": "Appointment",
        "meta": { "profile": ["https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Appointment-1"] },
        "contained": [{
            "resourceType": "Organization",
            "id": "1",
            "identifier": [{ "system": "https://fhir.nhs.uk/Id/ods-organization-code", "value": "A20047" }],
            "name": "Test Suite Validator",
            "telecom": [{ "system": "phone", "value": "01823938938" }]
        }],
        "extension": [{
            "url": "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-BookingOrganisation-1",
            "valueReference": { "reference": "#1" }
        }],
        "status": "booked",
        "description": "Default Description",
        "start": slot["start"],
        "end": slot["end"],
        "slot": [{ "reference": format!("Slot/{}", slot["id"].as_str().unwrap()) }],
        "created": jiff::Timestamp::now().to_string(),
        "participant": [
            { "actor": { "reference": format!("Patient/{patient}") }, "status": "accepted" },
            { "actor": location, "status": "accepted" }
        ]
    })
}

async fn book(client: &reqwest::Client, base: &str, body: &Value) -> (u16, Value) {
    let response = request(
        client,
        reqwest::Method::POST,
        format!("{base}/Appointment"),
        "rest:create:appointment-1",
        "patient/*.write",
    )
    .header("Content-Type", "application/fhir+json")
    .body(body.to_string())
    .send()
    .await
    .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_on_one_postgres_book_a_slot_once() {
    let Ok(url) = std::env::var(URL_VAR) else {
        let _ = writeln!(
            std::io::stderr(),
            "SKIPPED: two-process booking race; set {URL_VAR} to run it"
        );
        return;
    };
    let schema = format!("gpc_procs_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&url).await.unwrap();
    sqlx::query(&format!("CREATE SCHEMA \"{schema}\""))
        .execute(&mut admin)
        .await
        .unwrap();
    let separator = if url.contains('?') { '&' } else { '?' };
    let database = format!("{url}{separator}options%5Bsearch_path%5D={schema}");

    let first = ServerProcess::start(&database);
    let second = ServerProcess::start(&database);
    let client = reqwest::Client::new();
    let bundle = free_slots(&client, &first.base).await;
    let mut attempts = Vec::new();
    for n in 0..16 {
        let base = if n % 2 == 0 {
            &first.base
        } else {
            &second.base
        }
        .clone();
        let body = booking_body(&bundle, &(1 + n % 8).to_string());
        let client = client.clone();
        attempts.push(tokio::spawn(
            async move { book(&client, &base, &body).await },
        ));
    }
    let mut statuses = Vec::new();
    for attempt in attempts {
        let (status, body) = attempt.await.unwrap();
        if status == 409 {
            assert_eq!(
                body["issue"][0]["details"]["coding"][0]["code"],
                "DUPLICATE_REJECTED"
            );
        }
        statuses.push(status);
    }
    statuses.sort_unstable();
    let mut expected = vec![409; 15];
    expected.insert(0, 201);
    assert_eq!(statuses, expected);

    drop(first);
    drop(second);
    sqlx::query(&format!("DROP SCHEMA \"{schema}\" CASCADE"))
        .execute(&mut admin)
        .await
        .unwrap();
    admin.close().await.unwrap();
}

#[tokio::test]
async fn an_acknowledged_booking_survives_kill_9() {
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("gpconnect.db").display());
    let client = reqwest::Client::new();

    let server = ServerProcess::start(&database);
    let bundle = free_slots(&client, &server.base).await;
    let (status, booked) = book(&client, &server.base, &booking_body(&bundle, "1")).await;
    assert_eq!(status, 201, "{booked}");
    server.kill();

    let server = ServerProcess::start(&database);
    let id = booked["id"].as_str().unwrap();
    let response = request(
        &client,
        reqwest::Method::GET,
        format!("{}/Appointment/{id}", server.base),
        "rest:read:appointment-1",
        "patient/*.read",
    )
    .send()
    .await
    .unwrap();
    assert_eq!(response.status(), 200);
    let read: Value = response.json().await.unwrap();
    assert_eq!(read, booked);
    // The slot is still taken.
    let slot = &booked["slot"][0]["reference"];
    let bundle = free_slots(&client, &server.base).await;
    assert!(bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| format!("Slot/{}", e["resource"]["id"].as_str().unwrap()) != *slot));
}
