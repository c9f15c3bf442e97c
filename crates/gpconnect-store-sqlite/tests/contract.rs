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
