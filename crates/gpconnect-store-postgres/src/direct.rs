//! Connections for the frequent statements, handed back without a round trip.
//!
//! A connection of sqlx's pool is checked when it is handed back: the pool sends the server a
//! `Sync` and waits for its answer, in a task of its own, after every use. For a booking
//! (three statements) that is three more round trips, each waking the database server and a
//! worker thread of ours. The connections here are taken out of the pool once
//! ([`PoolConnection::detach`](sqlx::pool::PoolConnection::detach)), so they carry the pool's
//! connect options, and are handed back by the statement's own task with no check. What the
//! check guarded against is decided here instead, from how the use ended:
//!
//! - it ended with an answer, or with an error the database reported for the statement (a
//!   unique key, a raised exception): the connection is in a known state and is used again;
//! - it ended with any other error (the database ended the session, the connection broke, the
//!   answer could not be read): the connection is closed, and so is every idle one, which most
//!   likely broke with it (the database restarted), so a break fails at most the uses already
//!   under way;
//! - it did not end (the caller went away half-way, with a statement perhaps still running):
//!   the [`Lease`] is dropped unfinished and its connection closed.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use gpconnect_store::{Result, StoreError};
use sqlx::error::DatabaseError;
use sqlx::postgres::{PgDatabaseError, PgSeverity};
use sqlx::{PgConnection, PgPool};
use tokio::sync::{Semaphore, SemaphorePermit};

/// How long a statement waits for one of the connections to be free (as sqlx's pool does by
/// default) before failing, so that connections stuck on an unreachable database make
/// requests fail rather than queue for ever.
const WAIT_FOR_CONNECTION: Duration = Duration::from_secs(30);

/// Up to `limit` connections in use at once, kept between uses.
pub(crate) struct Direct {
    /// Where new connections come from (and their options).
    pool: PgPool,
    /// Connections between uses, the most recently used last.
    idle: Mutex<Vec<PgConnection>>,
    /// One permit per connection in use.
    permits: Semaphore,
}

impl Direct {
    pub(crate) fn new(pool: PgPool, limit: usize) -> Self {
        Self {
            pool,
            idle: Mutex::new(Vec::new()),
            permits: Semaphore::new(limit),
        }
    }

    fn idle(&self) -> MutexGuard<'_, Vec<PgConnection>> {
        // The list stays consistent whatever panicked while holding it.
        self.idle.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// A connection for one use, waiting while `limit` are in use.
    pub(crate) async fn lease(&self) -> Result<Lease<'_>> {
        let permit = tokio::time::timeout(WAIT_FOR_CONNECTION, self.permits.acquire())
            .await
            .map_err(|_| {
                StoreError::Backend(format!(
                    "no database connection became free within {} s",
                    WAIT_FOR_CONNECTION.as_secs()
                ))
            })?
            .map_err(|_| StoreError::Backend("the store is closed".into()))?;
        let idle = self.idle().pop();
        let conn = match idle {
            Some(conn) => conn,
            None => self
                .pool
                .acquire()
                .await
                .map_err(|e| StoreError::Backend(format!("cannot connect to PostgreSQL: {e}")))?
                .detach(),
        };
        Ok(Lease {
            direct: self,
            conn: Some(conn),
            _permit: permit,
        })
    }
}

/// One use of a connection; see the module documentation for what [`Lease::finish`] keeps.
pub(crate) struct Lease<'a> {
    direct: &'a Direct,
    /// `None` only after `finish`.
    conn: Option<PgConnection>,
    _permit: SemaphorePermit<'a>,
}

impl Lease<'_> {
    /// The connection to run statements on.
    pub(crate) fn conn(&mut self) -> &mut PgConnection {
        self.conn
            .as_mut()
            .expect("a lease holds its connection until it is finished")
    }

    /// Ends the use with its outcome, keeping the connection if the outcome shows it is sound.
    pub(crate) fn finish<T>(
        mut self,
        outcome: std::result::Result<T, sqlx::Error>,
    ) -> std::result::Result<T, sqlx::Error> {
        let sound = match &outcome {
            Ok(_) => true,
            Err(sqlx::Error::Database(e)) => !ends_session(e.as_ref()),
            Err(_) => false,
        };
        if let Some(conn) = self.conn.take() {
            let mut idle = self.direct.idle();
            if sound {
                idle.push(conn);
            } else {
                // Dropped outside the lock: dropping closes the socket.
                let broken = std::mem::take(&mut *idle);
                drop(idle);
                drop(broken);
                drop(conn);
            }
        }
        outcome
    }
}

/// Whether the database ended the session with this error (`FATAL` or `PANIC`: an
/// administrator's command, a shutdown), so the connection is gone.
fn ends_session(e: &dyn DatabaseError) -> bool {
    e.try_downcast_ref::<PgDatabaseError>()
        .is_some_and(|e| matches!(e.severity(), PgSeverity::Fatal | PgSeverity::Panic))
}
