//! Free-slot search answers are kept and reused (`search_cache`), yet a search always shows the
//! diary as the database holds it: two providers on one store (two server instances, each with
//! its own cache) see each other's bookings and cancellations at their next search, on SQLite
//! and, when `GPCONNECT_TEST_POSTGRES_URL` is set, on PostgreSQL in a schema of its own.
#![allow(clippy::unwrap_used)]

mod appointments_support;
mod support;

use std::sync::Arc;

use appointments_support::*;
use gpconnect_fhir::Format;
use gpconnect_server::ServerConfig;
use gpconnect_store::Store;
use gpconnect_store_sqlite::SqliteStore;
use serde_json::Value;

fn slot_ids(bundle: &Value) -> Vec<String> {
    entries(bundle, "Slot")
        .iter()
        .map(|s| s["id"].as_str().unwrap().to_owned())
        .collect()
}

async fn changes_through_another_instance_are_seen_at_once(store: Arc<dyn Store>) {
    let searcher = Provider::on(store.clone()).await;
    let booker = Provider::on(store).await;

    let before = searcher.free_slots(1, 14, true).await;
    assert_eq!(searcher.free_slots(1, 14, true).await, before);
    assert_eq!(searcher.state.search_cache().len().await, 1, "kept once");
    let slot = slot_ids(&before)[0].clone();

    // Booked through the other instance: gone from this one's next search.
    let body = booking_body(&before, 0, "1");
    let booked = booker.send(Call::book().json(&body)).await;
    assert_eq!(booked.status, 201, "{}", text(&booked));
    let booked = booked.json();
    let during = searcher.free_slots(1, 14, true).await;
    assert!(!slot_ids(&during).contains(&slot), "{slot} is booked");
    assert_eq!(slot_ids(&during).len() + 1, slot_ids(&before).len());

    // Cancelled through the other instance: offered again.
    let id = booked["id"].as_str().unwrap();
    let cancelled = booker
        .send(Call::cancel(id).json(&cancel_body(&booked, "No longer needed")))
        .await;
    assert_eq!(cancelled.status, 200, "{}", text(&cancelled));
    let after = searcher.free_slots(1, 14, true).await;
    assert_eq!(slot_ids(&after), slot_ids(&before));
    searcher.stop().await;
    booker.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn changes_through_another_instance_are_seen_at_once_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gpconnect.db");
    let store = SqliteStore::open(path.to_str().unwrap()).await.unwrap();
    changes_through_another_instance_are_seen_at_once(Arc::new(store)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn changes_through_another_instance_are_seen_at_once_on_postgres() {
    let Some((store, schema)) = PgSchema::store("gpc_cache", "PostgreSQL search cache").await
    else {
        return;
    };
    changes_through_another_instance_are_seen_at_once(store).await;
    schema.drop().await;
}

/// Each format and each set of filters has an answer of its own; with the cache switched off
/// every answer is the same as with it.
#[tokio::test]
async fn answers_are_kept_per_format_and_filter_and_match_uncached_ones() {
    let cached = Provider::sqlite().await;
    let uncached = Provider::sqlite_with(ServerConfig {
        search_cache_bytes: 0,
        ..ServerConfig::default()
    })
    .await;
    let urgent = format!(
        "{}&searchFilter={ODS_SYSTEM}%7CA20047&searchFilter={ORG_TYPE_SYSTEM}%7Curgent-care",
        slot_query(1, 8)
    );
    let plain = slot_query(1, 8);
    for _ in 0..2 {
        for query in [&urgent, &plain] {
            for format in [Format::Json, Format::Xml] {
                let a = cached.send(Call::search_slots(query).accept(format)).await;
                let b = uncached
                    .send(Call::search_slots(query).accept(format))
                    .await;
                assert_eq!(a.status, 200, "{}", text(&a));
                assert_eq!(a.header("content-type"), b.header("content-type"));
                assert_eq!(resource(&a, format), resource(&b, format), "{query}");
            }
        }
    }
    assert_eq!(cached.state.search_cache().len().await, 4);
    assert!(uncached.state.search_cache().is_empty().await);
}

/// A kept answer needs no turn to be built: it is answered while every turn is taken.
#[tokio::test]
async fn kept_answers_do_not_wait_for_a_search_turn() {
    let app = Provider::sqlite_with(ServerConfig {
        max_concurrent_searches: 1,
        ..ServerConfig::default()
    })
    .await;
    let first = app.free_slots(1, 14, true).await;
    let _turn = app.state.search_permit().await.unwrap();
    let again = tokio::time::timeout(
        std::time::Duration::from_secs(30),
        app.free_slots(1, 14, true),
    )
    .await
    .expect("a kept answer waited for the search turn");
    assert_eq!(again, first);
}
