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
use std::sync::Mutex;
use std::time::Duration;

use gpconnect_domain::records::{Practice, ScheduleRecord, SlotRecord};
use gpconnect_domain::{OdsCode, UkDateTime};
use gpconnect_store::body::{decode, Body};
use gpconnect_store::rows::{practice_from_row, slot_from_parts, PracticeRow, PRACTICE_COLUMNS};
use gpconnect_store::sql::{self, Param, Statement};
use gpconnect_store::{FreeSlots, Result, StoreError};
use rusqlite::types::Value;
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

    /// The record a point read by key (`SELECT version, body ...`) finds, read in place; `None`
    /// when every connection is busy.
    pub fn record<R: Body>(&self, statement: &Statement) -> Option<Result<Option<R>>> {
        let conn = self.connections.iter().find_map(|c| c.try_lock().ok())?;
        Some(
            read_one(&conn, statement, |row| {
                let version: i64 = row.get(0)?;
                let body = row.get_ref(1)?.as_str()?;
                Ok((version, body.to_owned()))
            })
            .and_then(|found| found.map(|(v, body)| decode(&body, v)).transpose()),
        )
    }

    /// The slot a point read by key (`SELECT version, status, body ...`) finds, read in place;
    /// `None` when every connection is busy.
    pub fn slot(&self, statement: &Statement) -> Option<Result<Option<SlotRecord>>> {
        let conn = self.connections.iter().find_map(|c| c.try_lock().ok())?;
        Some(
            read_one(&conn, statement, |row| {
                let version: i64 = row.get(0)?;
                let status = row.get_ref(1)?.as_str()?.to_owned();
                let body = row.get_ref(2)?.as_str()?.to_owned();
                Ok((version, status, body))
            })
            .and_then(|found| {
                found
                    .map(|(v, status, body)| slot_from_parts(v, &status, &body))
                    .transpose()
            }),
        )
    }

    /// The practice `ods`, read in place: `None` when every connection is busy (read it
    /// through the pool then), `Some(None)` when there is no such practice.
    pub fn practice(&self, ods: &OdsCode) -> Option<Result<Option<Practice>>> {
        let conn = self.connections.iter().find_map(|c| c.try_lock().ok())?;
        Some(read_practice(&conn, ods))
    }
}

impl HotReads {
    /// [`Store::free_slots`](gpconnect_store::Store::free_slots) read in place, both statements
    /// in one read transaction (one snapshot); `None` when every connection is busy. Blocks
    /// for as long as the read takes: call it on a blocking thread.
    pub fn free_slots(
        &self,
        practice: &OdsCode,
        from: UkDateTime,
        to: UkDateTime,
    ) -> Option<Result<FreeSlots>> {
        let mut conn = self.connections.iter().find_map(|c| c.try_lock().ok())?;
        Some(read_free_slots(&mut conn, practice, from, to))
    }
}

fn read_free_slots(
    conn: &mut Connection,
    practice: &OdsCode,
    from: UkDateTime,
    to: UkDateTime,
) -> Result<FreeSlots> {
    let tx = conn.transaction().map_err(backend)?;
    let mut slots = Vec::new();
    {
        let query = sql::free_slots(practice, from, to);
        let mut statement = tx.prepare_cached(&query.sql).map_err(backend)?;
        let mut rows = statement
            .query(rusqlite::params_from_iter(values(&query)))
            .map_err(backend)?;
        while let Some(row) = rows.next().map_err(backend)? {
            let version: i64 = row.get(0).map_err(backend)?;
            let status = row
                .get_ref(1)
                .and_then(|v| Ok(v.as_str()?))
                .map_err(backend)?;
            let body = row
                .get_ref(2)
                .and_then(|v| Ok(v.as_str()?))
                .map_err(backend)?;
            slots.push(slot_from_parts(version, status, body)?);
        }
    }
    let mut schedules: Vec<ScheduleRecord> = Vec::new();
    {
        let query = sql::free_slot_schedules(practice, from, to);
        let mut statement = tx.prepare_cached(&query.sql).map_err(backend)?;
        let mut rows = statement
            .query(rusqlite::params_from_iter(values(&query)))
            .map_err(backend)?;
        while let Some(row) = rows.next().map_err(backend)? {
            let version: i64 = row.get(0).map_err(backend)?;
            let body = row
                .get_ref(1)
                .and_then(|v| Ok(v.as_str()?))
                .map_err(backend)?;
            schedules.push(decode(body, version)?);
        }
    }
    tx.commit().map_err(backend)?;
    Ok(FreeSlots { slots, schedules })
}

/// A statement's parameters as SQLite values (`$n` are bound by position, as sqlx does).
fn values(statement: &Statement) -> Vec<Value> {
    statement
        .params
        .iter()
        .map(|p| match p {
            Param::Text(v) => Value::Text(v.clone()),
            Param::NullableText(v) => v.clone().map_or(Value::Null, Value::Text),
            Param::Int(v) => Value::Integer(*v),
            Param::Bool(v) => Value::Integer(i64::from(*v)),
        })
        .collect()
}

/// The one row `statement` reads, if any, mapped by `map`.
fn read_one<T>(
    conn: &Connection,
    statement: &Statement,
    map: impl FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Option<T>> {
    let mut prepared = conn.prepare_cached(&statement.sql).map_err(backend)?;
    prepared
        .query_row(rusqlite::params_from_iter(values(statement)), map)
        .optional()
        .map_err(backend)
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
