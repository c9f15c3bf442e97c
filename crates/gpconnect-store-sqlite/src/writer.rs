//! The write path: one read-write connection on a thread of its own, committing in groups.
//!
//! Every write of the store is a job sent to this thread. The thread takes the jobs waiting
//! (up to [`MAX_GROUP`]), opens one `BEGIN IMMEDIATE` transaction, runs each job inside a
//! savepoint of its own (a job that fails is rolled back to its savepoint and leaves the
//! others be), commits once and only then answers every job of the group. A job therefore
//! never hears "done" before its changes are committed (`synchronous=FULL`: on disk), and
//! jobs that arrive while a commit is being written share the next commit and its fsync
//! instead of each waiting for one of their own.
//!
//! A write may be marked relaxed ([`Writer::write_relaxed`]): the audit trail, whose events
//! are queued in memory before they are written, so a crash loses the queue whatever the
//! commit does. A group of relaxed writes only is committed with `synchronous=NORMAL`: no
//! fsync; it survives the process being killed (the pages are in the operating system's
//! cache) and is on disk with the next full commit or checkpoint. A group holding any other
//! write is committed with `synchronous=FULL`, which also makes every earlier commit durable.
//!
//! The statements run on the thread itself: no hop to a driver's worker thread per
//! statement, which under load cost more than the statements (a booking is six of them).
//! SQLite has one writer at a time anyway; other processes on the same file queue for the
//! write lock through the busy timeout.

use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use gpconnect_store::{Result, StoreError};
use rusqlite::Connection;
use tokio::sync::oneshot;

use crate::lite::backend;

/// The most jobs one transaction carries.
const MAX_GROUP: usize = 64;

/// A write waiting for the writer thread.
trait Job: Send {
    /// Whether the caller must not hear "done" before the write is on disk.
    fn durable(&self) -> bool;
    /// Runs the work on `conn` (inside the group's transaction); whether it succeeded.
    fn run(&mut self, conn: &Connection) -> bool;
    /// Answers the caller once the group's transaction has ended: `committed` is `Ok` if it
    /// was committed.
    fn finish(self: Box<Self>, committed: Result<()>);
}

struct Pending<T, F> {
    durable: bool,
    work: Option<F>,
    out: Option<Result<T>>,
    reply: oneshot::Sender<Result<T>>,
}

impl<T, F> Job for Pending<T, F>
where
    T: Send,
    F: FnOnce(&Connection) -> Result<T> + Send,
{
    fn durable(&self) -> bool {
        self.durable
    }

    fn run(&mut self, conn: &Connection) -> bool {
        let Some(work) = self.work.take() else {
            return false;
        };
        // A bug in one write must not take the writer thread (and every later write) down.
        let out = std::panic::catch_unwind(AssertUnwindSafe(|| work(conn))).unwrap_or_else(|_| {
            Err(StoreError::Backend(
                "a database write failed unexpectedly".to_owned(),
            ))
        });
        let ok = out.is_ok();
        self.out = Some(out);
        ok
    }

    fn finish(self: Box<Self>, committed: Result<()>) {
        let out = self.out.unwrap_or_else(|| {
            Err(StoreError::Backend(
                "the write was not carried out".to_owned(),
            ))
        });
        // A job that failed keeps its own error; one that succeeded is only done once its
        // group is committed.
        let result = match out {
            Ok(value) => committed.map(|()| value),
            Err(e) => Err(e),
        };
        // The caller may have gone (a request timed out): the write stands all the same.
        let _ = self.reply.send(result);
    }
}

/// The handle of the writer thread; the thread ends when this is dropped.
#[derive(Debug)]
pub(crate) struct Writer {
    jobs: mpsc::Sender<Box<dyn Job>>,
}

impl Writer {
    /// Opens the read-write connection on the database file `path` (already created and
    /// migrated, in WAL mode) and starts the thread that owns it.
    pub(crate) fn start(path: &Path, busy_timeout: Duration) -> Result<Self> {
        if path.as_os_str().is_empty() || path.as_os_str() == ":memory:" {
            return Err(StoreError::Backend(
                "an in-memory SQLite database is not supported: give a file path".to_owned(),
            ));
        }
        let conn = Connection::open(path).map_err(backend)?;
        conn.busy_timeout(busy_timeout).map_err(backend)?;
        // Per-connection settings: a commit is on disk before it is acknowledged, the
        // foreign keys hold, and the savepoints' sub-journals (a job's changes, kept to roll
        // it back alone) stay in memory instead of going to a temporary file.
        conn.execute_batch(
            "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA temp_store = MEMORY;",
        )
        .map_err(backend)?;
        let (jobs, queue) = mpsc::channel::<Box<dyn Job>>();
        std::thread::Builder::new()
            .name("sqlite-writer".to_owned())
            .spawn(move || serve(&conn, &queue))
            .map_err(|e| StoreError::Backend(format!("cannot start the SQLite writer: {e}")))?;
        Ok(Self { jobs })
    }

    /// Runs `work` in the next group's transaction and returns its result once that is
    /// committed and on disk. If `work` fails, nothing it wrote is kept.
    pub(crate) async fn write<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        self.submit(true, work).await
    }

    /// [`Writer::write`] for a write that may be answered once committed, before it is on
    /// disk (see the module documentation).
    pub(crate) async fn write_relaxed<T, F>(&self, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        self.submit(false, work).await
    }

    async fn submit<T, F>(&self, durable: bool, work: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&Connection) -> Result<T> + Send + 'static,
    {
        let (reply, answer) = oneshot::channel();
        let job = Pending {
            durable,
            work: Some(work),
            out: None,
            reply,
        };
        self.jobs
            .send(Box::new(job))
            .map_err(|_| StoreError::Backend("the SQLite writer has stopped".to_owned()))?;
        answer.await.map_err(|_| {
            StoreError::Backend("the SQLite writer stopped before answering".to_owned())
        })?
    }
}

/// The writer thread: groups of waiting jobs, one transaction each, until every handle is
/// dropped.
fn serve(conn: &Connection, queue: &mpsc::Receiver<Box<dyn Job>>) {
    // The connection was opened with synchronous=FULL.
    let mut durable_commits = true;
    while let Ok(first) = queue.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match queue.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        let durable = group.iter().any(|job| job.durable());
        let committed = set_durability(conn, &mut durable_commits, durable)
            .and_then(|()| run_group(conn, &mut group));
        for job in group {
            job.finish(committed.clone());
        }
    }
}

/// Sets `synchronous` (outside any transaction) for the next commit, if it changes.
fn set_durability(conn: &Connection, current: &mut bool, durable: bool) -> Result<()> {
    if *current != durable {
        let pragma = if durable {
            "PRAGMA synchronous = FULL"
        } else {
            "PRAGMA synchronous = NORMAL"
        };
        conn.execute_batch(pragma).map_err(backend)?;
        *current = durable;
    }
    Ok(())
}

/// Runs `group` in one transaction, each job in a savepoint; `Ok` once committed. On an
/// error outside the jobs' own work, nothing of the group is kept.
fn run_group(conn: &Connection, group: &mut [Box<dyn Job>]) -> Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE").map_err(backend)?;
    let ran = run_in_transaction(conn, group);
    if ran.is_err() && !conn.is_autocommit() {
        // The error is what the callers hear; a failed rollback leaves SQLite to roll the
        // transaction back when the connection next starts one.
        let _ = conn.execute_batch("ROLLBACK");
    }
    ran
}

fn run_in_transaction(conn: &Connection, group: &mut [Box<dyn Job>]) -> Result<()> {
    for job in group.iter_mut() {
        conn.execute_batch("SAVEPOINT job").map_err(backend)?;
        if !job.run(conn) {
            conn.execute_batch("ROLLBACK TO job").map_err(backend)?;
        }
        conn.execute_batch("RELEASE job").map_err(backend)?;
        // Some errors (a full disk, an I/O error) make SQLite roll the whole transaction
        // back by itself: then none of the group's work is there to commit.
        if conn.is_autocommit() {
            return Err(StoreError::Backend(
                "the transaction was rolled back by the database".to_owned(),
            ));
        }
    }
    conn.execute_batch("COMMIT").map_err(backend)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn writer(dir: &tempfile::TempDir) -> (Writer, std::path::PathBuf) {
        let path = dir.path().join("w.db");
        let conn = Connection::open(&path).expect("open");
        conn.execute_batch("PRAGMA journal_mode = WAL; CREATE TABLE t (k TEXT PRIMARY KEY);")
            .expect("schema");
        (
            Writer::start(&path, Duration::from_secs(5)).expect("writer"),
            path,
        )
    }

    /// The savepoints' sub-journals are kept in memory on the writer's connection.
    #[tokio::test]
    async fn the_writer_keeps_temporary_data_in_memory() {
        let dir = tempfile::tempdir().expect("dir");
        let (writer, _path) = writer(&dir);
        let temp_store = writer
            .write(|conn| {
                conn.query_row("PRAGMA temp_store", [], |r| r.get::<_, i64>(0))
                    .map_err(backend)
            })
            .await;
        assert_eq!(temp_store, Ok(2), "temp_store = MEMORY");
    }

    fn keys(path: &Path) -> Vec<String> {
        let conn = Connection::open(path).expect("open");
        let mut s = conn.prepare("SELECT k FROM t ORDER BY k").expect("prepare");
        let rows = s.query_map([], |r| r.get(0)).expect("query");
        rows.collect::<std::result::Result<_, _>>().expect("rows")
    }

    fn insert(conn: &Connection, key: &str) -> Result<()> {
        conn.execute("INSERT INTO t (k) VALUES (?1)", [key])
            .map(|_| ())
            .map_err(backend)
    }

    /// Jobs that wait while a commit is under way share the next transaction; one that
    /// fails there is rolled back alone, and every caller hears its own outcome.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_failed_job_is_rolled_back_alone_within_its_group() {
        let dir = tempfile::tempdir().expect("dir");
        let (writer, path) = writer(&dir);
        let writer = std::sync::Arc::new(writer);
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let (started, running) = oneshot::channel::<()>();
        // The first job writes "a", then holds the thread until the others are queued.
        let first = tokio::spawn({
            let writer = writer.clone();
            async move {
                writer
                    .write(move |conn| {
                        let written = insert(conn, "a");
                        let _ = started.send(());
                        hold.recv().ok();
                        written
                    })
                    .await
            }
        });
        running.await.expect("the first job runs");
        let spawn = |work: fn(&Connection) -> Result<()>| {
            let writer = writer.clone();
            tokio::spawn(async move { writer.write(work).await })
        };
        let kept = spawn(|conn| insert(conn, "b"));
        let failed = spawn(|conn| {
            insert(conn, "c")?;
            Err(StoreError::Invalid("refused after writing".to_owned()))
        });
        // "a" is written by the first job, which runs before any of these (they run in any
        // order among themselves).
        let duplicate = spawn(|conn| insert(conn, "a"));
        let panicked = spawn(|conn| {
            insert(conn, "d")?;
            panic!("a bug in a write");
        });
        let after = spawn(|conn| insert(conn, "e"));
        tokio::time::sleep(Duration::from_millis(100)).await;
        release.send(()).expect("release");

        assert_eq!(first.await.expect("join"), Ok(()));
        assert_eq!(kept.await.expect("join"), Ok(()));
        assert_eq!(
            failed.await.expect("join"),
            Err(StoreError::Invalid("refused after writing".to_owned()))
        );
        assert_eq!(duplicate.await.expect("join"), Err(StoreError::Duplicate));
        assert!(matches!(
            panicked.await.expect("join"),
            Err(StoreError::Backend(_))
        ));
        assert_eq!(after.await.expect("join"), Ok(()));
        assert_eq!(keys(&path), ["a", "b", "e"]);
        // The writer goes on after a panic.
        assert_eq!(writer.write(|conn| insert(conn, "f")).await, Ok(()));
        assert_eq!(keys(&path), ["a", "b", "e", "f"]);
    }

    /// Many concurrent writes are all committed, each acknowledged once its group is.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn concurrent_writes_are_all_committed() {
        let dir = tempfile::tempdir().expect("dir");
        let (writer, path) = writer(&dir);
        let writer = std::sync::Arc::new(writer);
        let tasks: Vec<_> = (0..200)
            .map(|i| {
                let writer = writer.clone();
                tokio::spawn(async move {
                    writer
                        .write(move |conn| insert(conn, &format!("{i:03}")))
                        .await
                })
            })
            .collect();
        for task in tasks {
            assert_eq!(task.await.expect("join"), Ok(()));
        }
        assert_eq!(keys(&path).len(), 200);
    }

    fn synchronous(conn: &Connection) -> Result<i64> {
        conn.query_row("PRAGMA synchronous", [], |r| r.get(0))
            .map_err(backend)
    }

    /// Relaxed writes alone commit without fsync (NORMAL = 1); any other write commits
    /// with fsync (FULL = 2), before and after them.
    #[tokio::test]
    async fn only_relaxed_groups_skip_the_fsync() {
        let dir = tempfile::tempdir().expect("dir");
        let (writer, path) = writer(&dir);
        assert_eq!(writer.write(synchronous).await, Ok(2));
        assert_eq!(
            writer
                .write_relaxed(|conn| {
                    insert(conn, "audit")?;
                    synchronous(conn)
                })
                .await,
            Ok(1)
        );
        assert_eq!(writer.write(synchronous).await, Ok(2));
        assert_eq!(keys(&path), ["audit"]);
    }

    #[test]
    fn an_in_memory_database_is_refused() {
        let err = Writer::start(Path::new(":memory:"), Duration::from_secs(1)).unwrap_err();
        assert!(matches!(err, StoreError::Backend(m) if m.contains("file path")));
    }
}
