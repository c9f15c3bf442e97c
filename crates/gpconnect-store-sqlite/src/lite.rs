//! Running the shared statements ([`gpconnect_store::sql`]) on a rusqlite connection.

use gpconnect_store::sql::{Param, Statement};
use gpconnect_store::{Result, StoreError};
use rusqlite::types::Value;
use rusqlite::{Connection, Row};

/// Runs a statement that returns no rows; how many rows it changed.
pub(crate) fn execute(conn: &Connection, statement: &Statement) -> Result<usize> {
    let mut prepared = conn.prepare_cached(&statement.sql).map_err(backend)?;
    prepared
        .execute(rusqlite::params_from_iter(values(statement)))
        .map_err(backend)
}

/// The rows `statement` reads, each turned into a `T` by `map` where SQLite holds it.
pub(crate) fn read_rows<T>(
    conn: &Connection,
    statement: &Statement,
    mut map: impl FnMut(&Row<'_>) -> Result<T>,
) -> Result<Vec<T>> {
    let mut prepared = conn.prepare_cached(&statement.sql).map_err(backend)?;
    let mut rows = prepared
        .query(rusqlite::params_from_iter(values(statement)))
        .map_err(backend)?;
    let mut out = Vec::new();
    while let Some(row) = rows.next().map_err(backend)? {
        out.push(map(row)?);
    }
    Ok(out)
}

/// The first row `statement` reads, if any, turned into a `T` by `map`.
pub(crate) fn read_first<T>(
    conn: &Connection,
    statement: &Statement,
    map: impl FnOnce(&Row<'_>) -> Result<T>,
) -> Result<Option<T>> {
    let mut prepared = conn.prepare_cached(&statement.sql).map_err(backend)?;
    let mut rows = prepared
        .query(rusqlite::params_from_iter(values(statement)))
        .map_err(backend)?;
    match rows.next().map_err(backend)? {
        Some(row) => map(row).map(Some),
        None => Ok(None),
    }
}

pub(crate) fn int(row: &Row<'_>, column: usize) -> Result<i64> {
    row.get(column).map_err(backend)
}

pub(crate) fn text<'r>(row: &'r Row<'_>, column: usize) -> Result<&'r str> {
    row.get_ref(column)
        .map_err(backend)?
        .as_str()
        .map_err(|e| StoreError::Backend(e.to_string()))
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

/// Maps a database error: unique keys to `Duplicate`, missing referenced rows to `NotFound`.
pub(crate) fn backend(e: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(failure, _) = &e {
        match failure.extended_code {
            rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
            | rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY => return StoreError::Duplicate,
            rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY => return StoreError::NotFound,
            _ => {}
        }
    }
    StoreError::Backend(e.to_string())
}
