//! The audit trail (SPEC 2.13): every request, accepted or rejected, becomes one
//! [`AuditEvent`]. It cannot be switched off.
//!
//! Events go through a bounded channel to a background writer, so the store write is off the
//! request's critical path; when the channel is full the request waits (back-pressure) rather
//! than dropping the event. The writer stores what is queued in batches of up to 256 events,
//! one store transaction each ([`Store::append_audit_batch`]); after the first event of a batch
//! it waits 5 ms for more, because a statement per event was, on PostgreSQL, most of the
//! database's work for a lightly loaded cached search. During that wait the writer does not
//! listen to the queue, so the events queued meanwhile wake no task and no thread: each is
//! one push onto the queue, and the whole batch is taken when the wait is over. A batch the store refuses even
//! after retries is logged in full at error level, never lost silently. [`AuditLog::shutdown`]
//! writes everything queued before it.

use std::sync::Arc;
use std::time::Duration;

use gpconnect_domain::records::AuditEvent;
use gpconnect_store::Store;
use tokio::sync::{mpsc, oneshot, Mutex, Notify};
use tokio::task::JoinHandle;

/// How many events may wait for the writer before requests wait for it.
pub const DEFAULT_CAPACITY: usize = 4096;
/// The most events the writer takes from the queue at once.
const BATCH: usize = 256;
/// How long the writer waits for more events after the first of a batch, so that a few
/// milliseconds of events are stored with one statement instead of one each (a flush or a
/// stop ends the wait at once).
const LINGER: Duration = Duration::from_millis(5);
/// Attempts per batch before it is given up to the error log.
const ATTEMPTS: u32 = 3;

/// Messages that end the writer's wait at once: a flush and a stop.
type Urgent = Arc<Notify>;

enum Message {
    Event(Box<AuditEvent>),
    Flush(oneshot::Sender<()>),
    Stop,
}

/// The handle requests use to record audit events. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AuditLog {
    sender: mpsc::Sender<Message>,
    urgent: Urgent,
    writer: Arc<Mutex<Option<JoinHandle<()>>>>,
}

impl std::fmt::Debug for Message {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Message::Event(e) => f.debug_tuple("Event").field(e).finish(),
            Message::Flush(_) => f.write_str("Flush"),
            Message::Stop => f.write_str("Stop"),
        }
    }
}

impl AuditLog {
    /// Starts the background writer on the current Tokio runtime.
    pub fn start(store: Arc<dyn Store>, capacity: usize) -> Self {
        let (sender, receiver) = mpsc::channel(capacity.max(1));
        let urgent = Urgent::default();
        let writer = tokio::spawn(write_loop(store, receiver, urgent.clone()));
        Self {
            sender,
            urgent,
            writer: Arc::new(Mutex::new(Some(writer))),
        }
    }

    /// Queues an event, waiting while the queue is full. After [`AuditLog::shutdown`] the event
    /// can no longer be stored and is logged at error level instead.
    pub async fn record(&self, event: AuditEvent) {
        if let Err(mpsc::error::SendError(Message::Event(event))) =
            self.sender.send(Message::Event(Box::new(event))).await
        {
            tracing::error!(?event, "audit writer has stopped; audit event not stored");
        }
    }

    /// Waits until every event queued before this call has been written (or logged as failed).
    pub async fn flush(&self) {
        let (done, wait) = oneshot::channel();
        if self.sender.send(Message::Flush(done)).await.is_ok() {
            self.urgent.notify_one();
            let _ = wait.await;
        }
    }

    /// Writes everything queued, then stops the writer. Later events are logged, not stored.
    pub async fn shutdown(&self) {
        let Some(writer) = self.writer.lock().await.take() else {
            return;
        };
        if self.sender.send(Message::Stop).await.is_ok() {
            self.urgent.notify_one();
            if let Err(error) = writer.await {
                tracing::error!(%error, "audit writer failed");
            }
        }
    }
}

async fn write_loop(store: Arc<dyn Store>, mut receiver: mpsc::Receiver<Message>, urgent: Urgent) {
    let mut messages = Vec::with_capacity(BATCH);
    let mut events = Vec::with_capacity(BATCH);
    while receiver.recv_many(&mut messages, BATCH).await > 0 {
        let deadline = tokio::time::Instant::now() + LINGER;
        let mut lingered = false;
        loop {
            let mut done = false;
            for message in messages.drain(..) {
                match message {
                    Message::Event(event) => events.push(*event),
                    Message::Flush(answer) => {
                        // Everything queued before the flush is stored before it is answered.
                        write_batch(store.as_ref(), &mut events).await;
                        let _ = answer.send(());
                        done = true;
                    }
                    Message::Stop => {
                        // Refuse new events (their senders log them), then write what is
                        // queued.
                        receiver.close();
                        done = true;
                    }
                }
            }
            if done || lingered || events.is_empty() || events.len() >= BATCH {
                break;
            }
            // Wait without polling the queue (so senders wake nobody), unless a flush or a
            // stop arrives; then take at once whatever was queued meanwhile.
            tokio::select! {
                () = tokio::time::sleep_until(deadline) => {}
                () = urgent.notified() => {}
            }
            lingered = true;
            while messages.len() < BATCH - events.len() {
                match receiver.try_recv() {
                    Ok(message) => messages.push(message),
                    Err(_) => break,
                }
            }
        }
        write_batch(store.as_ref(), &mut events).await;
    }
}

/// Stores `events` in one transaction, retrying the whole batch (all or none is stored, so a
/// retry never duplicates an event), and empties it.
async fn write_batch(store: &dyn Store, events: &mut Vec<AuditEvent>) {
    if events.is_empty() {
        return;
    }
    let mut delay = Duration::from_millis(50);
    for attempt in 1..=ATTEMPTS {
        match store.append_audit_batch(events).await {
            Ok(_) => break,
            Err(error) if attempt == ATTEMPTS => {
                for event in events.iter() {
                    tracing::error!(%error, ?event, "audit event could not be stored");
                }
            }
            Err(error) => {
                tracing::warn!(%error, attempt, events = events.len(), "audit write failed; retrying");
                tokio::time::sleep(delay).await;
                delay *= 4;
            }
        }
    }
    events.clear();
}

#[cfg(test)]
mod tests {
    use super::*;
    use gpconnect_store::contract::audit_event;
    use gpconnect_store_sqlite::SqliteStore;

    /// SPEC 2.13: many events from concurrent requests, more than one batch, are all stored,
    /// each request's in the order it recorded them, and a flush waits for them.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_event_is_stored_in_order_across_batches() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("audit.db");
        let store: Arc<dyn Store> =
            Arc::new(SqliteStore::open(path.to_str().unwrap()).await.unwrap());
        let log = AuditLog::start(store.clone(), 64);
        let senders: Vec<_> = (0..4)
            .map(|sender| {
                let log = log.clone();
                tokio::spawn(async move {
                    for n in 0..200 {
                        log.record(AuditEvent {
                            detail: Some(format!("{sender}:{n}")),
                            ..audit_event(None, 200)
                        })
                        .await;
                    }
                })
            })
            .collect();
        for sender in senders {
            sender.await.unwrap();
        }
        log.flush().await;

        let mut stored = store.audit_events(None, 1000).await.unwrap();
        assert_eq!(stored.len(), 800);
        stored.reverse();
        for sender in 0..4 {
            let order: Vec<String> = stored
                .iter()
                .filter_map(|e| e.detail.clone())
                .filter(|d| d.starts_with(&format!("{sender}:")))
                .collect();
            let expected: Vec<String> = (0..200).map(|n| format!("{sender}:{n}")).collect();
            assert_eq!(order, expected);
        }

        // After shutdown nothing more is stored (the event is logged instead).
        log.shutdown().await;
        log.record(audit_event(None, 200)).await;
        assert_eq!(store.audit_events(None, 1000).await.unwrap().len(), 800);
    }
}
