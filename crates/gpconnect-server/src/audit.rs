//! The audit trail (SPEC 2.13): every request, accepted or rejected, becomes one
//! [`AuditEvent`]. It cannot be switched off.
//!
//! Events go through a bounded channel to a background writer, so the store write is off the
//! request's critical path; when the channel is full the request waits (back-pressure) rather
//! than dropping the event. An event the store refuses even after retries is logged in full at
//! error level, never lost silently. [`AuditLog::shutdown`] writes everything queued before it.

use std::sync::Arc;
use std::time::Duration;

use gpconnect_domain::records::AuditEvent;
use gpconnect_store::Store;
use tokio::sync::{mpsc, oneshot, Mutex};
use tokio::task::JoinHandle;

/// How many events may wait for the writer before requests wait for it.
pub const DEFAULT_CAPACITY: usize = 4096;
/// The most events the writer takes from the queue at once.
const BATCH: usize = 256;
/// Attempts per event before it is given up to the error log.
const ATTEMPTS: u32 = 3;

enum Message {
    Event(Box<AuditEvent>),
    Flush(oneshot::Sender<()>),
    Stop,
}

/// The handle requests use to record audit events. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AuditLog {
    sender: mpsc::Sender<Message>,
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
        let writer = tokio::spawn(write_loop(store, receiver));
        Self {
            sender,
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
            let _ = wait.await;
        }
    }

    /// Writes everything queued, then stops the writer. Later events are logged, not stored.
    pub async fn shutdown(&self) {
        let Some(writer) = self.writer.lock().await.take() else {
            return;
        };
        if self.sender.send(Message::Stop).await.is_ok() {
            if let Err(error) = writer.await {
                tracing::error!(%error, "audit writer failed");
            }
        }
    }
}

async fn write_loop(store: Arc<dyn Store>, mut receiver: mpsc::Receiver<Message>) {
    let mut batch = Vec::with_capacity(BATCH);
    while receiver.recv_many(&mut batch, BATCH).await > 0 {
        for message in batch.drain(..) {
            match message {
                Message::Event(event) => write_one(store.as_ref(), &event).await,
                Message::Flush(done) => {
                    let _ = done.send(());
                }
                Message::Stop => {
                    // Refuse new events (their senders log them), then write what is queued.
                    receiver.close();
                }
            }
        }
    }
}

async fn write_one(store: &dyn Store, event: &AuditEvent) {
    let mut delay = Duration::from_millis(50);
    for attempt in 1..=ATTEMPTS {
        match store.append_audit(event).await {
            Ok(_) => return,
            Err(error) if attempt == ATTEMPTS => {
                tracing::error!(%error, ?event, "audit event could not be stored");
            }
            Err(error) => {
                tracing::warn!(%error, attempt, "audit write failed; retrying");
                tokio::time::sleep(delay).await;
                delay *= 4;
            }
        }
    }
}
