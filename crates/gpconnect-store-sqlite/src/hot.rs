//! The point read every request makes (its practice, with the diary version), done in place.
//!
//! sqlx runs each SQLite statement on a worker thread of the connection and hands the rows
//! back through a channel: two thread switches per statement, which cost far more than the
//! read itself (an indexed lookup of one row in pages SQLite has cached, a few microseconds).
//! These read-only connections run that one statement on the calling thread instead. They
//! read the same file, in WAL mode, so every read sees the latest commit of any connection
//! of any process, exactly as a pool read does; they never write, so they never wait for the
//! writer.
//!
//! When every one of them is in use (or the database is in memory), the caller reads through
//! the pool as before.

use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use gpconnect_domain::records::Practice;
use gpconnect_domain::OdsCode;
use gpconnect_store::rows::{practice_from_row, PracticeRow, PRACTICE_COLUMNS};
use gpconnect_store::{Result, StoreError};
use rusqlite::{Connection, OpenFlags, OptionalExtension};

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

    /// The practice `ods`, read in place: `None` when every connection is busy (read it
    /// through the pool then), `Some(None)` when there is no such practice.
    pub fn practice(&self, ods: &OdsCode) -> Option<Result<Option<Practice>>> {
        let conn = self.connections.iter().find_map(|c| c.try_lock().ok())?;
        Some(read_practice(&conn, ods))
    }
}

fn read_practice(conn: &Connection, ods: &OdsCode) -> Result<Option<Practice>> {
    let mut statement = conn
        .prepare_cached(&format!("{PRACTICE_COLUMNS} WHERE ods = ?1"))
        .map_err(backend)?;
    let row: Option<PracticeRow> = statement
        .query_row([ods.as_str()], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })
        .optional()
        .map_err(backend)?;
    row.map(practice_from_row).transpose()
}

fn backend(e: rusqlite::Error) -> StoreError {
    StoreError::Backend(e.to_string())
}
