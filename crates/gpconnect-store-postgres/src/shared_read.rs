//! Reads of one key that overlap in time share one database round trip, without ever answering
//! a caller with data read before it asked.
//!
//! Every request reads its practice (and so the diary version the search cache is checked
//! against, and the enablement switches) from the database. Under load many requests for one
//! practice arrive within one round trip of each other. Each caller joins the **next** read of
//! its key, one that has not started yet; one read of a key runs at a time, and when it ends
//! the callers that arrived meanwhile are served by one further read. So a caller's answer is
//! always read after it arrived (what a read of its own would have seen, or later), and with
//! `n` callers waiting the database sees one query instead of `n`.
//!
//! A caller that finds no read of its key running reads at once itself (nothing to wake, so a
//! lone request waits no longer than before); the callers that arrive meanwhile are then read
//! for by a task. A caller that gives up half-way (its client went away) hands its waiting
//! callers to such a task too, so no key is left without a reader; a read that panics in the
//! task answers its callers with an error and lets the next caller start afresh.

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use gpconnect_store::{Result, StoreError};
use tokio::sync::oneshot;

/// Callers waiting for the next read of one key.
struct Waiting<V> {
    callers: Vec<oneshot::Sender<Result<V>>>,
}

/// Shared reads of values `V` by key `K`.
pub(crate) struct SharedReads<K, V> {
    /// Keys with a reader task; the callers each waits to serve next.
    keys: Mutex<HashMap<K, Waiting<V>>>,
}

impl<K, V> SharedReads<K, V>
where
    K: Eq + Hash + Clone + Send + Sync + 'static,
    V: Clone + Send + 'static,
{
    pub(crate) fn new() -> Arc<Self> {
        Arc::new(Self {
            keys: Mutex::new(HashMap::new()),
        })
    }

    fn keys(&self) -> MutexGuard<'_, HashMap<K, Waiting<V>>> {
        // The map is consistent after every statement that changes it: a panic elsewhere
        // while it was held leaves nothing half-done.
        self.keys.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The value of `key`, read by `read` after this call began (possibly together with other
    /// callers of the same key).
    pub(crate) async fn get<F, Fut>(self: &Arc<Self>, key: K, read: F) -> Result<V>
    where
        F: Fn(K) -> Fut + Clone + Send + Sync + 'static,
        Fut: Future<Output = Result<V>> + Send + 'static,
    {
        let waiting = {
            let mut keys = self.keys();
            match keys.get_mut(&key) {
                Some(waiting) => {
                    let (tx, rx) = oneshot::channel();
                    waiting.callers.push(tx);
                    Some(rx)
                }
                None => {
                    keys.insert(key.clone(), Waiting { callers: vec![] });
                    None
                }
            }
        };
        match waiting {
            Some(rx) => rx.await.map_err(|_| {
                StoreError::Backend("the shared database read ended without an answer".into())
            })?,
            // No read of the key is running: this caller reads itself, at once (no task to
            // wake); callers arriving meanwhile are served by a further read.
            None => {
                let handover = Handover {
                    reads: Arc::clone(self),
                    key: Some(key.clone()),
                    read: read.clone(),
                };
                let value = read(key).await;
                drop(handover);
                value
            }
        }
    }

    /// Reads `key` for the callers waiting, again and again while more arrive; then forgets
    /// the key.
    async fn serve<F, Fut>(self: Arc<Self>, key: K, read: F)
    where
        F: Fn(K) -> Fut + Clone + Send + Sync + 'static,
        Fut: Future<Output = Result<V>> + Send + 'static,
    {
        // If a read panics, the guard forgets the key: its callers get an error (their
        // senders are dropped) and the next caller starts afresh.
        let guard = ForgetOnDrop {
            reads: &self,
            key: &key,
        };
        loop {
            let callers = {
                let mut keys = self.keys();
                let Some(waiting) = keys.get_mut(&key) else {
                    return;
                };
                if waiting.callers.is_empty() {
                    keys.remove(&key);
                    std::mem::forget(guard);
                    return;
                }
                std::mem::take(&mut waiting.callers)
            };
            // Every caller in `callers` arrived before this read starts.
            let value = read(key.clone()).await;
            for caller in callers {
                // A caller that went away does not take its answer.
                let _ = caller.send(value.clone());
            }
        }
    }

    /// After a read made by a caller itself: forgets the key if nobody else waits, or leaves
    /// the callers that arrived meanwhile to a reader task.
    fn hand_over<F, Fut>(self: &Arc<Self>, key: K, read: F)
    where
        F: Fn(K) -> Fut + Clone + Send + Sync + 'static,
        Fut: Future<Output = Result<V>> + Send + 'static,
    {
        let mut keys = self.keys();
        let waiting = keys.get(&key).is_some_and(|w| !w.callers.is_empty());
        if !waiting {
            keys.remove(&key);
            return;
        }
        match tokio::runtime::Handle::try_current() {
            Ok(runtime) => {
                drop(keys);
                let reads = Arc::clone(self);
                runtime.spawn(async move { reads.serve(key, read).await });
            }
            // The runtime is gone (shutting down): the waiting callers get an error.
            Err(_) => {
                keys.remove(&key);
            }
        }
    }
}

/// Hands the waiting callers over when a caller's own read ends, also if the caller gives up
/// half-way (its future is dropped) or its read panics: nobody else would read for them.
struct Handover<K, V, F, Fut>
where
    K: Eq + Hash + Clone + Send + Sync + 'static,
    V: Clone + Send + 'static,
    F: Fn(K) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<V>> + Send + 'static,
{
    reads: Arc<SharedReads<K, V>>,
    key: Option<K>,
    read: F,
}

impl<K, V, F, Fut> Drop for Handover<K, V, F, Fut>
where
    K: Eq + Hash + Clone + Send + Sync + 'static,
    V: Clone + Send + 'static,
    F: Fn(K) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = Result<V>> + Send + 'static,
{
    fn drop(&mut self) {
        if let Some(key) = self.key.take() {
            self.reads.hand_over(key, self.read.clone());
        }
    }
}

/// Forgets a key (and drops its waiting callers) when its reader task unwinds.
struct ForgetOnDrop<'a, K: Eq + Hash + Clone + Send + Sync + 'static, V: Clone + Send + 'static> {
    reads: &'a SharedReads<K, V>,
    key: &'a K,
}

impl<K, V> Drop for ForgetOnDrop<'_, K, V>
where
    K: Eq + Hash + Clone + Send + Sync + 'static,
    V: Clone + Send + 'static,
{
    fn drop(&mut self) {
        self.reads.keys().remove(self.key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicI64, AtomicUsize, Ordering};
    use std::time::Duration;

    /// A "database" whose value changes with every write and that counts its reads.
    #[derive(Default)]
    struct Db {
        value: AtomicI64,
        reads: AtomicUsize,
    }

    fn reader(
        db: &Arc<Db>,
        delay: Duration,
    ) -> impl Fn(&'static str) -> std::pin::Pin<Box<dyn Future<Output = Result<i64>> + Send>>
           + Send
           + Sync
           + 'static {
        let db = Arc::clone(db);
        move |_key| {
            let db = Arc::clone(&db);
            Box::pin(async move {
                db.reads.fetch_add(1, Ordering::SeqCst);
                let value = db.value.load(Ordering::SeqCst);
                tokio::time::sleep(delay).await;
                Ok(value)
            })
        }
    }

    /// Whether the reads forget every key within a second: a reader task forgets its key just
    /// after answering its last callers.
    async fn forgotten(reads: &SharedReads<&'static str, i64>) -> bool {
        for _ in 0..1000 {
            if reads.keys().is_empty() {
                return true;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        false
    }

    /// Reads that take the value, say so, and then wait until `open` lets them answer.
    struct Gate {
        open: tokio::sync::watch::Sender<bool>,
        taken: tokio::sync::Notify,
    }

    fn gated_reader(
        db: &Arc<Db>,
        gate: &Arc<Gate>,
    ) -> impl Fn(&'static str) -> std::pin::Pin<Box<dyn Future<Output = Result<i64>> + Send>>
           + Send
           + Sync
           + Clone
           + 'static {
        let (db, gate) = (Arc::clone(db), Arc::clone(gate));
        move |_key| {
            let (db, gate) = (Arc::clone(&db), Arc::clone(&gate));
            Box::pin(async move {
                db.reads.fetch_add(1, Ordering::SeqCst);
                let value = db.value.load(Ordering::SeqCst);
                gate.taken.notify_one();
                let mut open = gate.open.subscribe();
                open.wait_for(|o| *o)
                    .await
                    .map_err(|_| StoreError::Backend("gate dropped".into()))?;
                Ok(value)
            })
        }
    }

    fn gate() -> Arc<Gate> {
        Arc::new(Gate {
            open: tokio::sync::watch::channel(false).0,
            taken: tokio::sync::Notify::new(),
        })
    }

    /// Waits until `n` callers wait for the next read of `key`.
    async fn waiting(reads: &SharedReads<&'static str, i64>, key: &'static str, n: usize) {
        loop {
            if reads.keys().get(key).is_some_and(|w| w.callers.len() == n) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn callers_waiting_together_share_reads() {
        let db = Arc::new(Db::default());
        let gate = gate();
        let reads = SharedReads::<&'static str, i64>::new();
        let read = gated_reader(&db, &gate);
        let mut tasks = Vec::new();
        for _ in 0..50 {
            let reads = Arc::clone(&reads);
            let read = read.clone();
            tasks.push(tokio::spawn(async move { reads.get("A20047", read).await }));
        }
        // One caller reads; the other 49 wait for the next read, which serves them all.
        waiting(&reads, "A20047", 49).await;
        gate.open.send_replace(true);
        for task in tasks {
            assert_eq!(task.await.expect("task"), Ok(0));
        }
        assert_eq!(
            db.reads.load(Ordering::SeqCst),
            2,
            "two reads for 50 callers"
        );
        assert!(forgotten(&reads).await, "the key is forgotten once served");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_caller_never_gets_a_value_read_before_it_asked() {
        let db = Arc::new(Db::default());
        let gate = gate();
        let reads = SharedReads::<&'static str, i64>::new();
        let read = gated_reader(&db, &gate);
        // A read starts and takes its value (0); then the value changes; then a second caller
        // asks while the first read is still running. It must see the new value.
        let first = {
            let (reads, read) = (Arc::clone(&reads), read.clone());
            tokio::spawn(async move { reads.get("A20047", read).await })
        };
        gate.taken.notified().await;
        db.value.store(1, Ordering::SeqCst);
        let second = {
            let (reads, read) = (Arc::clone(&reads), read.clone());
            tokio::spawn(async move { reads.get("A20047", read).await })
        };
        waiting(&reads, "A20047", 1).await;
        gate.open.send_replace(true);
        assert_eq!(first.await.expect("task"), Ok(0));
        assert_eq!(second.await.expect("task"), Ok(1));
        assert_eq!(db.reads.load(Ordering::SeqCst), 2);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_failing_or_panicking_read_does_not_stop_later_ones() {
        let reads = SharedReads::<&'static str, i64>::new();
        let calls = Arc::new(AtomicUsize::new(0));
        let read = {
            let calls = Arc::clone(&calls);
            move |_k: &'static str| {
                let n = calls.fetch_add(1, Ordering::SeqCst);
                async move {
                    match n {
                        0 => Err(StoreError::Backend("connection lost".into())),
                        1 => panic!("a read that panics"),
                        _ => Ok(7),
                    }
                }
            }
        };
        let read = Arc::new(read);
        let r = Arc::clone(&read);
        assert_eq!(
            reads.get("A20047", move |k| r(k)).await,
            Err(StoreError::Backend("connection lost".into()))
        );
        // A read that panics unwinds its caller (as any read of its own would) and leaves the
        // key free for the next one.
        let r = Arc::clone(&read);
        let panicked = {
            let reads = Arc::clone(&reads);
            tokio::spawn(async move { reads.get("A20047", move |k| r(k)).await })
        }
        .await;
        assert!(panicked.is_err_and(|e| e.is_panic()));
        let r = Arc::clone(&read);
        assert_eq!(reads.get("A20047", move |k| r(k)).await, Ok(7));
        assert!(reads.keys().is_empty());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn callers_waiting_on_one_that_goes_away_are_still_served() {
        let db = Arc::new(Db::default());
        let reads = SharedReads::<&'static str, i64>::new();
        let read = Arc::new(reader(&db, Duration::from_millis(30)));
        // The first caller reads itself and gives up half-way; the second waits on it.
        let first = {
            let reads = Arc::clone(&reads);
            let r = Arc::clone(&read);
            tokio::spawn(async move {
                tokio::time::timeout(
                    Duration::from_millis(10),
                    reads.get("A20047", move |k| r(k)),
                )
                .await
            })
        };
        tokio::time::sleep(Duration::from_millis(3)).await;
        db.value.store(5, Ordering::SeqCst);
        let r = Arc::clone(&read);
        let second = reads.get("A20047", move |k| r(k)).await;
        assert!(
            first.await.expect("task").is_err(),
            "the first caller gave up"
        );
        assert_eq!(second, Ok(5), "read for the second caller, after it asked");
        assert!(forgotten(&reads).await);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_caller_that_goes_away_leaves_the_others_served() {
        let db = Arc::new(Db::default());
        let reads = SharedReads::<&'static str, i64>::new();
        let read = Arc::new(reader(&db, Duration::from_millis(20)));
        let r = Arc::clone(&read);
        let gone =
            tokio::time::timeout(Duration::from_millis(5), reads.get("A20047", move |k| r(k)))
                .await;
        assert!(gone.is_err(), "the first caller gave up");
        let r = Arc::clone(&read);
        assert_eq!(reads.get("A20047", move |k| r(k)).await, Ok(0));
    }
}
