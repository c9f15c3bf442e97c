//! The reads that run in place: point reads by key (the practice every request reads, with
//! its diary version; the patient, slots and schedule of a booking; a search's locations,
//! practitioners and organisations) and the free-slot range read.
//!
//! sqlx runs each SQLite statement on a worker thread of the connection and hands every row
//! back through a channel as an owned copy: two thread switches per statement, which cost far
//! more than a point read itself (an indexed lookup of one row in pages SQLite has cached, a
//! few microseconds), and a copy and a free per row, which are most of the cost of reading
//! the thousands of rows of a two-week search. These read-only connections run the statements
//! on the calling thread instead (the range read on a blocking thread), reading each row where
//! SQLite holds it. They
//! read the same file, in WAL mode, so every read sees the latest commit of any connection
//! of any process, exactly as a pool read does; they never write, so they never wait for the
//! writer.
//!
//! When every one of them is in use (or the database is in memory), the caller reads through
//! the pool as before.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use gpconnect_domain::records::{Practice, SlotRecord};
use gpconnect_domain::{OdsCode, UkDateTime};
use gpconnect_store::body::{decode, Body};
use gpconnect_store::rows::{practice_from_row, slot_from_parts};
use gpconnect_store::sql::{self, Statement};
use gpconnect_store::{FreeSlots, Result};
use rusqlite::{Connection, OpenFlags, Row};

use crate::lite::{backend, int, read_first, read_rows, text};

/// Read-only connections for in-place point reads.
#[derive(Debug)]
pub struct HotReads {
    connections: Vec<Mutex<Connection>>,
}

impl HotReads {
    /// Opens `count` read-only connections on the database file `path` (none for an
    /// in-memory database, whose connections would each see a database of their own).
    pub fn open(path: &Path, count: usize, busy_timeout: Duration) -> Result<Self> {
        let in_memory = path.as_os_str().is_empty() || path.as_os_str() == ":memory:";
        let mut connections = Vec::new();
        if !in_memory {
            for _ in 0..count {
                let conn = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )
                .map_err(backend)?;
                conn.busy_timeout(busy_timeout).map_err(backend)?;
                connections.push(Mutex::new(conn));
            }
        }
        Ok(Self { connections })
    }

    /// The record a point read by key (`SELECT version, body ...`) finds, read in place; `None`
    /// when every connection is busy.
    pub fn record<R: Body>(&self, statement: &Statement) -> Option<Result<Option<R>>> {
        let conn = self.idle()?;
        Some(read_first(&conn, statement, |row| {
            decode(text(row, 1)?, int(row, 0)?)
        }))
    }

    /// The slot a point read by key (`SELECT version, status, body ...`) finds, read in place;
    /// `None` when every connection is busy.
    pub fn slot(&self, statement: &Statement) -> Option<Result<Option<SlotRecord>>> {
        let conn = self.idle()?;
        Some(read_first(&conn, statement, slot_row))
    }

    /// The practice `ods`, read in place: `None` when every connection is busy (read it
    /// through the pool then), `Some(None)` when there is no such practice.
    pub fn practice(&self, ods: &OdsCode) -> Option<Result<Option<Practice>>> {
        let conn = self.idle()?;
        Some(read_first(&conn, &sql::practice(ods), |row| {
            let cell = |i| row.get(i).map_err(backend);
            practice_from_row((
                cell(0)?,
                cell(1)?,
                cell(2)?,
                cell(3)?,
                row.get(4).map_err(backend)?,
                row.get(5).map_err(backend)?,
                int(row, 6)?,
            ))
        }))
    }

    /// [`Store::free_slots`](gpconnect_store::Store::free_slots) read in place, both statements
    /// in one read transaction (one snapshot); `None` when every connection is busy. Blocks
    /// for as long as the read takes: call it on a blocking thread.
    pub fn free_slots(
        &self,
        practice: &OdsCode,
        from: UkDateTime,
        to: UkDateTime,
    ) -> Option<Result<FreeSlots>> {
        let mut conn = self.idle()?;
        Some(read_free_slots(&mut conn, practice, from, to))
    }

    /// A connection no one is using.
    fn idle(&self) -> Option<MutexGuard<'_, Connection>> {
        self.connections.iter().find_map(|c| c.try_lock().ok())
    }
}

fn read_free_slots(
    conn: &mut Connection,
    practice: &OdsCode,
    from: UkDateTime,
    to: UkDateTime,
) -> Result<FreeSlots> {
    let tx = conn.transaction().map_err(backend)?;
    let slots = read_rows(&tx, &sql::free_slots(practice, from, to), slot_row)?;
    let schedules = read_rows(&tx, &sql::free_slot_schedules(practice, from, to), |row| {
        decode(text(row, 1)?, int(row, 0)?)
    })?;
    tx.commit().map_err(backend)?;
    Ok(FreeSlots { slots, schedules })
}

/// A `(version, status, body)` slot row.
fn slot_row(row: &Row<'_>) -> Result<SlotRecord> {
    slot_from_parts(int(row, 0)?, text(row, 1)?, text(row, 2)?)
}
