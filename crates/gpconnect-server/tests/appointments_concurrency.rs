//! SPEC 3.11, STYLE "integrity is enforced by the database": 32 consumers booking the same slot
//! at the same moment through the whole provider get exactly one 201 and 31 × 409
//! `DUPLICATE_REJECTED`, on SQLite and, when `GPCONNECT_TEST_POSTGRES_URL` is set (e.g.
//! `postgres://postgres@127.0.0.1:5432/test`), on PostgreSQL in a schema of its own.
#![allow(clippy::unwrap_used)]

mod appointments_support;
mod support;

use std::sync::Arc;

use appointments_support::*;

const CONSUMERS: usize = 32;
/// Patients who may book (ATS 1.8), each trying for the same slot.
const PATIENTS: [&str; 8] = ["1", "2", "3", "4", "5", "6", "7", "8"];

async fn race_for_one_slot(app: Arc<Provider>) {
    let bundle = app.free_slots(1, 14, true).await;
    let slot = entries(&bundle, "Slot")[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut tasks = Vec::with_capacity(CONSUMERS);
    let start = Arc::new(tokio::sync::Barrier::new(CONSUMERS));
    for n in 0..CONSUMERS {
        let body = booking_body(&bundle, 0, PATIENTS[n % PATIENTS.len()]);
        let app = app.clone();
        let start = start.clone();
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            app.send(Call::book().json(&body)).await
        }));
    }
    let mut created = 0;
    let mut duplicates = 0;
    for task in tasks {
        let response = task.await.unwrap();
        match response.status {
            201 => created += 1,
            409 => {
                assert_eq!(response.spine_code(), "DUPLICATE_REJECTED");
                duplicates += 1;
            }
            other => panic!("unexpected {other}: {}", text(&response)),
        }
    }
    assert_eq!((created, duplicates), (1, CONSUMERS - 1));
    // One appointment holds the slot, and the slot is no longer offered.
    let again = app.free_slots(1, 14, true).await;
    assert!(entries(&again, "Slot")
        .iter()
        .all(|s| s["id"] != slot.as_str()));
    let mut holders = 0;
    for patient in PATIENTS {
        let bundle = app
            .send(Call::retrieve(
                patient,
                &format!("start=ge{}&start=le{}", date(0), date(14)),
            ))
            .await
            .json();
        holders += entries(&bundle, "Appointment")
            .iter()
            .filter(|a| a["slot"][0]["reference"] == format!("Slot/{slot}"))
            .count();
    }
    assert_eq!(holders, 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_slot_is_booked_once_on_sqlite() {
    race_for_one_slot(Arc::new(Provider::sqlite().await)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn one_slot_is_booked_once_on_postgres() {
    let Some((store, schema)) = PgSchema::store("gpc_race", "PostgreSQL booking race").await else {
        return;
    };
    let app = Arc::new(Provider::on(store).await);
    race_for_one_slot(Arc::clone(&app)).await;
    app.stop().await;
    schema.drop().await;
}
