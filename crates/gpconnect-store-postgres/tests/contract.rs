//! The storage contract suite on PostgreSQL, each test in a fresh schema of the database named
//! by `GPCONNECT_TEST_POSTGRES_URL` (e.g. `postgres://postgres@127.0.0.1:5432/test`). Without
//! that variable every test prints a skip line and passes.

use std::io::Write;
use std::sync::{Arc, Once};

use gpconnect_store::Store;
use gpconnect_store_postgres::PostgresStore;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgConnection};

const URL_VAR: &str = "GPCONNECT_TEST_POSTGRES_URL";

/// Drops the test's schema when the test ends.
struct Schema {
    options: PgConnectOptions,
    name: String,
}

impl Drop for Schema {
    fn drop(&mut self) {
        let options = self.options.clone();
        let name = self.name.clone();
        // Drop runs inside the test's runtime, which cannot be blocked on: use a thread.
        let dropped = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let mut conn = options.connect().await.expect("connect");
                sqlx::query(&format!("DROP SCHEMA \"{name}\" CASCADE"))
                    .execute(&mut conn)
                    .await
                    .expect("drop schema");
                conn.close().await.expect("close");
            });
        })
        .join();
        if dropped.is_err() {
            eprintln!("could not drop test schema {}", self.name);
        }
    }
}

/// A new empty schema, and connection options whose `search_path` is that schema; `None`
/// (after a skip line) when no database is configured.
async fn new_schema() -> Option<(Schema, PgConnectOptions)> {
    let Ok(url) = std::env::var(URL_VAR) else {
        // Written past the test harness's output capture so that the skip is seen, once.
        static SKIP_NOTICE: Once = Once::new();
        SKIP_NOTICE.call_once(|| {
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: PostgreSQL contract suite; set {URL_VAR} \
                 (e.g. postgres://postgres@127.0.0.1:5432/test) to run it"
            );
        });
        return None;
    };
    let options: PgConnectOptions = url.parse().expect("a PostgreSQL URL");
    let name = format!("gpc_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::connect_with(&options)
        .await
        .expect("connect to the test database");
    sqlx::query(&format!("CREATE SCHEMA \"{name}\""))
        .execute(&mut admin)
        .await
        .expect("create schema");
    admin.close().await.expect("close");
    let in_schema = options.clone().options([("search_path", name.as_str())]);
    Some((Schema { options, name }, in_schema))
}

async fn connect(options: PgConnectOptions) -> gpconnect_store::Result<PostgresStore> {
    let pool = PgPoolOptions::new()
        .max_connections(5)
        .connect_with(options)
        .await
        .expect("pool");
    PostgresStore::from_pool(pool).await
}

async fn fresh() -> Option<(Arc<dyn Store>, Schema)> {
    let (schema, options) = new_schema().await?;
    let store = connect(options).await.expect("migrate");
    Some((Arc::new(store), schema))
}

gpconnect_store::contract_tests!(fresh);

/// Two instances starting at once on one empty schema both come up (it is migrated once) and
/// see each other's data.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn instances_starting_together_share_one_migrated_schema() {
    let Some((_schema, options)) = new_schema().await else {
        return;
    };
    let (a, b) = tokio::join!(connect(options.clone()), connect(options));
    let (a, b) = (a.expect("first instance"), b.expect("second instance"));
    assert!(a
        .seed(&gpconnect_store::contract::dataset("A20047"))
        .await
        .expect("seed"));
    assert!(!b.is_empty().await.expect("is_empty"));
}

/// The statistics of the tables bookings fill follow the bookings: after a store's 64th
/// booking they are refreshed (so no plan made while the tables were empty keeps scanning them
/// whole).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_booking_tables_are_analysed_as_bookings_add_up() {
    use gpconnect_store::contract::{new_appointment, setup_practice, slot, PRACTICE};
    let Some((_schema, options)) = new_schema().await else {
        return;
    };
    let store = connect(options.clone()).await.expect("migrate");
    setup_practice(&store, PRACTICE).await;
    let slots: Vec<_> = (0..64)
        .map(|i| {
            let at = |m: i32| format!("2030-03-03T{:02}:{:02}:00+00:00", 8 + m / 60, m % 60);
            slot(PRACTICE, &format!("b{i}"), "1", &at(i * 5), &at(i * 5 + 5))
        })
        .collect();
    assert_eq!(store.insert_slots(&slots).await.expect("slots"), 64);
    let mut conn = PgConnection::connect_with(&options).await.expect("connect");
    // Only the store's refresh may analyse the table during the test.
    sqlx::query("ALTER TABLE appointment SET (autovacuum_enabled = false)")
        .execute(&mut conn)
        .await
        .expect("autovacuum off");
    let reltuples = "SELECT reltuples FROM pg_class WHERE oid = 'appointment'::regclass";
    for s in &slots[..63] {
        store
            .book(&new_appointment(PRACTICE, "1", &[s]))
            .await
            .expect("book");
    }
    let before: f32 = sqlx::query_scalar(reltuples)
        .fetch_one(&mut conn)
        .await
        .expect("reltuples");
    assert!(
        before < 63.0,
        "not analysed before the 64th booking: {before}"
    );
    store
        .book(&new_appointment(PRACTICE, "1", &[&slots[63]]))
        .await
        .expect("book");
    // The refresh runs in the background: wait for it (at most ten seconds).
    for _ in 0..100 {
        let counted: f32 = sqlx::query_scalar(reltuples)
            .fetch_one(&mut conn)
            .await
            .expect("reltuples");
        if counted >= 64.0 {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("the appointment table was not analysed after 64 bookings");
}

/// The practice reads' own connection is replaced when it breaks: after the database ends it,
/// at most one read fails and the next ones are answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn practice_reads_recover_from_a_broken_connection() {
    use gpconnect_store::contract::{ods, practice, PRACTICE};
    let Some((_schema, options)) = new_schema().await else {
        return;
    };
    // Named, so that only this test's connections are ended (tests run side by side).
    let options = options.application_name("gpc-practice-reads-recover");
    let store = connect(options.clone()).await.expect("migrate");
    store
        .insert_practice(&practice(PRACTICE))
        .await
        .expect("practice");
    assert!(store
        .get_practice(&ods(PRACTICE))
        .await
        .expect("read")
        .is_some());

    let mut admin = PgConnection::connect_with(&options).await.expect("connect");
    let ended: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE application_name = 'gpc-practice-reads-recover' \
         AND pid <> pg_backend_pid() AND query LIKE '%FROM practice%'",
    )
    .fetch_all(&mut admin)
    .await
    .expect("terminate");
    assert!(
        !ended.is_empty(),
        "the practice read's connection was found"
    );

    let first = store.get_practice(&ods(PRACTICE)).await;
    let second = store.get_practice(&ods(PRACTICE)).await;
    assert!(
        matches!(second, Ok(Some(_))),
        "first read after the break: {first:?}; second: {second:?}"
    );
}

/// Diary changes of one practice on different connections do not wait for each other (each
/// adds to a counter of its own, migration 20261124000000), and the practice's diary version
/// counts every one of them once committed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diary_changes_on_different_connections_do_not_queue_for_one_row() {
    use gpconnect_store::contract::{diary_version, setup_practice, PRACTICE};
    let Some((_schema, options)) = new_schema().await else {
        return;
    };
    let store = connect(options.clone()).await.expect("migrate");
    setup_practice(&store, PRACTICE).await;
    let version = || diary_version(&store, PRACTICE);
    let before = version().await;

    async fn shard(conn: &mut PgConnection) -> sqlx::Result<i32> {
        sqlx::query_scalar("SELECT pg_backend_pid() % 32")
            .fetch_one(conn)
            .await
    }
    let mut a = PgConnection::connect_with(&options).await.expect("connect");
    let a_shard = shard(&mut a).await.expect("pid");
    // A second connection whose counter is not the first one's.
    let mut b = None;
    for _ in 0..64 {
        let mut conn = PgConnection::connect_with(&options).await.expect("connect");
        if shard(&mut conn).await.expect("pid") != a_shard {
            b = Some(conn);
            break;
        }
    }
    let mut b = b.expect("a connection with another backend number");

    let bump = "SELECT bump_diary($1)";
    sqlx::query("BEGIN").execute(&mut a).await.expect("begin");
    sqlx::query(bump)
        .bind(PRACTICE)
        .execute(&mut a)
        .await
        .expect("first change");
    sqlx::query("BEGIN").execute(&mut b).await.expect("begin");
    sqlx::query("SET LOCAL lock_timeout = '5s'")
        .execute(&mut b)
        .await
        .expect("lock timeout");
    sqlx::query(bump)
        .bind(PRACTICE)
        .execute(&mut b)
        .await
        .expect("the second change does not wait for the first one's commit");
    assert_eq!(version().await, before, "nothing committed yet");
    sqlx::query("COMMIT").execute(&mut b).await.expect("commit");
    assert_eq!(version().await, before + 1, "the second change");
    sqlx::query("COMMIT").execute(&mut a).await.expect("commit");
    assert_eq!(version().await, before + 2, "both changes");

    // The older way of moving the version on still moves it.
    sqlx::query("UPDATE practice SET diary_version = diary_version + 1 WHERE ods = $1")
        .bind(PRACTICE)
        .execute(&mut a)
        .await
        .expect("update");
    assert_eq!(version().await, before + 3, "a change made the older way");
}

/// A booking does not wait for another transaction that holds the practice row (a change of
/// the practice's switches in flight, say): bookings no longer update that row.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_booking_does_not_wait_for_the_practice_row() {
    use gpconnect_store::contract::{
        diary_version, new_appointment, setup_practice, slot, PRACTICE,
    };
    let Some((_schema, options)) = new_schema().await else {
        return;
    };
    let store = connect(options.clone()).await.expect("migrate");
    setup_practice(&store, PRACTICE).await;
    let free = slot(
        PRACTICE,
        "held-row",
        "1",
        "2030-03-04T09:00:00+00:00",
        "2030-03-04T09:15:00+00:00",
    );
    assert_eq!(
        store
            .insert_slots(std::slice::from_ref(&free))
            .await
            .expect("slot"),
        1
    );
    let before = diary_version(&store, PRACTICE).await;

    let mut holder = PgConnection::connect_with(&options).await.expect("connect");
    sqlx::query("BEGIN")
        .execute(&mut holder)
        .await
        .expect("begin");
    sqlx::query("SELECT 1 FROM practice WHERE ods = $1 FOR NO KEY UPDATE")
        .bind(PRACTICE)
        .execute(&mut holder)
        .await
        .expect("hold the practice row");
    let booked = tokio::time::timeout(
        std::time::Duration::from_secs(10),
        store.book(&new_appointment(PRACTICE, "1", &[&free])),
    )
    .await
    .expect("the booking does not wait for the practice row");
    booked.expect("book");
    sqlx::query("ROLLBACK")
        .execute(&mut holder)
        .await
        .expect("rollback");
    let after = diary_version(&store, PRACTICE).await;
    assert!(after > before, "the booking moved the diary version on");
}

/// When the database ends every connection (a restart, say), at most the first statement
/// after it fails: the idle connections are dropped with the broken one, not tried in turn.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn statements_recover_when_every_connection_is_ended() {
    use gpconnect_store::contract::{fid, ods, setup_practice, PRACTICE};
    let Some((_schema, options)) = new_schema().await else {
        return;
    };
    let options = options.application_name("gpc-statements-recover");
    let store = connect(options.clone()).await.expect("migrate");
    setup_practice(&store, PRACTICE).await;
    // Several reads at once, so that several connections are kept idle.
    let mut reads = tokio::task::JoinSet::new();
    for _ in 0..6 {
        let store = store.clone();
        reads.spawn(async move { store.get_slot(&ods(PRACTICE), &fid("none")).await });
    }
    while let Some(read) = reads.join_next().await {
        assert!(read.expect("task").expect("read").is_none());
    }

    let mut admin = PgConnection::connect_with(&options).await.expect("connect");
    let ended: Vec<bool> = sqlx::query_scalar(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
         WHERE application_name = 'gpc-statements-recover' AND pid <> pg_backend_pid()",
    )
    .fetch_all(&mut admin)
    .await
    .expect("terminate");
    assert!(
        ended.len() >= 2,
        "several connections were ended: {ended:?}"
    );
    // Ended backends are gone once they are no longer listed.
    for _ in 0..100 {
        let left: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM pg_stat_activity \
             WHERE application_name = 'gpc-statements-recover' AND pid <> pg_backend_pid()",
        )
        .fetch_one(&mut admin)
        .await
        .expect("count");
        if left == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }

    let first = store.get_slot(&ods(PRACTICE), &fid("none")).await;
    let second = store.get_slot(&ods(PRACTICE), &fid("none")).await;
    assert!(
        matches!(second, Ok(None)),
        "first statement after the break: {first:?}; second: {second:?}"
    );
}
