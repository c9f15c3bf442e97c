//! The storage contract suite on a fresh SQLite file per test.

use std::sync::Arc;

use gpconnect_store::Store;
use gpconnect_store_sqlite::SqliteStore;

async fn fresh() -> Option<(Arc<dyn Store>, tempfile::TempDir)> {
    let dir = tempfile::tempdir().expect("temp dir");
    // A folder that does not exist yet: opening creates it.
    let path = dir.path().join("data").join("gpconnect.db");
    let store = SqliteStore::open(path.to_str().expect("utf-8 path"))
        .await
        .expect("open");
    Some((Arc::new(store), dir))
}

gpconnect_store::contract_tests!(fresh);

/// The same suite with no in-place readers: every read through the sqlx pool, as happens when
/// the in-place readers are all busy.
mod through_the_pool {
    use super::*;

    async fn fresh() -> Option<(Arc<dyn Store>, tempfile::TempDir)> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("gpconnect.db");
        let store = SqliteStore::open_with_in_place_readers(path.to_str().expect("utf-8 path"), 0)
            .await
            .expect("open");
        Some((Arc::new(store), dir))
    }

    gpconnect_store::contract_tests!(fresh);
}

#[tokio::test]
async fn reopening_a_file_keeps_its_data_and_accepts_sqlite_urls() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("gp.db");
    let path = path.to_str().expect("utf-8 path");
    {
        let store = SqliteStore::open(path).await.expect("open");
        assert!(store
            .seed(&gpconnect_store::contract::dataset("A20047"))
            .await
            .expect("seed"));
    }
    let again = SqliteStore::open(&format!("sqlite://{path}"))
        .await
        .expect("reopen");
    assert!(!again.is_empty().await.expect("is_empty"));
    assert_eq!(again.practices().await.expect("list").len(), 1);
}

#[tokio::test]
async fn a_path_that_cannot_be_created_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, b"not a folder").expect("write");
    let path = blocker.join("gp.db");
    let err = SqliteStore::open(path.to_str().expect("utf-8 path"))
        .await
        .expect_err("a file is in the way");
    assert!(err.to_string().contains("cannot create folder"), "{err}");
}

/// The practice lookup (read in place on read-only connections) sees at once what another
/// connection to the same file (here another store, as another process would be) commits.
#[tokio::test]
async fn the_practice_lookup_sees_other_connections_commits_at_once() {
    use gpconnect_store::contract::{dataset, ods, slot};
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("gp.db");
    let path = path.to_str().expect("utf-8 path");
    let reader = SqliteStore::open(path).await.expect("open");
    let writer = SqliteStore::open(path).await.expect("open");
    assert!(writer.seed(&dataset("A20047")).await.expect("seed"));
    let code = ods("A20047");
    let mut last = reader
        .get_practice(&code)
        .await
        .expect("get")
        .expect("practice")
        .diary_version;
    for n in 0..20 {
        let added = slot(
            "A20047",
            &format!("hot{n}"),
            "1",
            "2030-03-02T09:00:00+00:00",
            "2030-03-02T09:10:00+00:00",
        );
        writer.insert_slot(&added).await.expect("slot");
        let now = reader
            .get_practice(&code)
            .await
            .expect("get")
            .expect("practice")
            .diary_version;
        assert_eq!(now, last + 1, "change {n} seen at once");
        last = now;
    }
    writer
        .set_practice_enablement(&code, false, false)
        .await
        .expect("switch off");
    let practice = reader
        .get_practice(&code)
        .await
        .expect("get")
        .expect("practice");
    assert!(!practice.gp_connect_enabled && !practice.appointments_enabled);
    assert_eq!(
        reader.get_practice(&ods("Y99999")).await.expect("get"),
        None
    );
}
