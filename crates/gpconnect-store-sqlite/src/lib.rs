//! SQLite storage back end (the embedded default).
//!
//! One database file holds every hosted practice. The file is opened in WAL mode with
//! `synchronous=FULL`, so a booking that has been acknowledged survives a crash or `kill -9`.
//! Every write runs on one connection of the process's own, in a `BEGIN IMMEDIATE`
//! transaction shared by the writes waiting at that moment, each in a savepoint of its own
//! ([`writer`]): writers queue for the database lock up front (other processes through
//! `busy_timeout`), so a transaction never fails half-way because another one wrote first.

mod hot;
mod lite;
mod writer;

use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use gpconnect_domain::records::{
    AppointmentRecord, AuditEvent, BookedSlot, BookingLimit, BookingParty, LimitCheck,
    LocationRecord, NewAppointment, OrganizationRecord, PatientRecord, Practice,
    PractitionerRecord, Provenance, ScheduleRecord, SlotRecord,
};
use gpconnect_domain::{FhirId, NhsNumber, OdsCode, UkDateTime};
use gpconnect_store::background;
use gpconnect_store::body::{decode, decode_row, decode_rows, Body, BodyRow};
use gpconnect_store::rows::{
    amended, booked_for, booked_slot_from_row, booking_days, booking_limit_from_row, cancelled,
    holds_slots, limit_reached, new_booking, next_version, practice_from_row, seeded_slot,
    slot_from_row, uk_day_bounds, BookedSlotRow, BookingLimitRow, PracticeRow, SlotRow,
    PRACTICE_TABLES,
};
use gpconnect_store::sql::{self, Param, Statement, Stored};
use gpconnect_store::{Dataset, FreeSlots, Result, Store, StoreError};
use jiff::civil::Date;
use rusqlite::Connection;
use sqlx::error::ErrorKind;
use sqlx::query::QueryAs;
use sqlx::sqlite::{
    SqliteArguments, SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteRow, SqliteSynchronous,
};
use sqlx::{Arguments, FromRow, Sqlite};

/// How many read-only connections serve the per-request practice lookup in place.
const HOT_CONNECTIONS: usize = 4;

/// How long a writer waits for another process's transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// A [`Store`] on one SQLite database file.
#[derive(Debug)]
pub struct SqliteStore {
    /// Reads that do not run in place (when every in-place reader is busy, or for a list).
    pool: SqlitePool,
    /// Every write, committed in groups on a connection of its own ([`writer`]).
    writer: writer::Writer,
    /// Read-only connections for the practice lookup every request makes, run in place.
    hot: Arc<hot::HotReads>,
}

impl SqliteStore {
    /// Opens (creating it and its parent folder if missing) the database at `url_or_path`
    /// (`sqlite://path`, `sqlite:path` or a plain file path) and brings its schema up to date.
    pub async fn open(url_or_path: &str) -> Result<Self> {
        Self::open_with_in_place_readers(url_or_path, HOT_CONNECTIONS).await
    }

    /// [`SqliteStore::open`] with `readers` read-only connections for the reads run in place
    /// (0: every read goes through the pool, as when they are all busy).
    pub async fn open_with_in_place_readers(url_or_path: &str, readers: usize) -> Result<Self> {
        let options = if url_or_path.starts_with("sqlite:") {
            SqliteConnectOptions::from_str(url_or_path)
                .map_err(|e| StoreError::Backend(format!("bad SQLite URL {url_or_path}: {e}")))?
        } else {
            SqliteConnectOptions::new().filename(url_or_path)
        };
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .busy_timeout(BUSY_TIMEOUT)
            .foreign_keys(true);
        create_parent(options.get_filename())?;
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options.clone())
            .await
            .map_err(|e| StoreError::Backend(format!("cannot open {url_or_path}: {e}")))?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Backend(format!("migrating {url_or_path}: {e}")))?;
        let hot = hot::HotReads::open(options.get_filename(), readers, BUSY_TIMEOUT)
            .map_err(|e| StoreError::Backend(format!("cannot open {url_or_path}: {e}")))?;
        let writer = writer::Writer::start(options.get_filename(), BUSY_TIMEOUT)
            .map_err(|e| StoreError::Backend(format!("cannot open {url_or_path}: {e}")))?;
        Ok(Self {
            pool,
            writer,
            hot: Arc::new(hot),
        })
    }
}

fn create_parent(file: &Path) -> Result<()> {
    if file.as_os_str() == ":memory:" {
        return Ok(());
    }
    match file.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => std::fs::create_dir_all(dir).map_err(|e| {
            StoreError::Backend(format!("cannot create folder {}: {e}", dir.display()))
        }),
        _ => Ok(()),
    }
}

/// Maps a database error: unique keys to `Duplicate`, missing referenced rows to `NotFound`.
fn backend(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        match db.kind() {
            ErrorKind::UniqueViolation => return StoreError::Duplicate,
            ErrorKind::ForeignKeyViolation => return StoreError::NotFound,
            _ => {}
        }
    }
    StoreError::Backend(e.to_string())
}

/// The SQLite driver's values for a statement's parameters.
fn arguments(params: &[Param]) -> Result<SqliteArguments<'_>> {
    let mut args = SqliteArguments::default();
    for param in params {
        match param {
            Param::Text(v) => args.add(v.as_str()),
            Param::NullableText(v) => args.add(v.as_deref()),
            Param::Int(v) => args.add(*v),
            Param::Bool(v) => args.add(*v),
        }
        .map_err(|e| StoreError::Backend(format!("cannot bind a parameter: {e}")))?;
    }
    Ok(args)
}

/// A shared statement reading rows of type `T`, bound for SQLite.
fn query_as<T>(s: &Statement) -> Result<QueryAs<'_, Sqlite, T, SqliteArguments<'_>>>
where
    T: for<'r> FromRow<'r, SqliteRow>,
{
    Ok(sqlx::query_as_with(&s.sql, arguments(&s.params)?))
}

/// Whether inserting a row whose key is taken fails (`Duplicate`) or leaves the stored row be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Existing {
    Refuse,
    Keep,
}

/// Inserts a record at version 1 and returns it, or `None` if its id is taken and `existing`
/// is [`Existing::Keep`].
fn insert_row<R: Stored>(conn: &Connection, r: &R, existing: Existing) -> Result<Option<R>> {
    let (r, mut insert) = sql::insert(r)?;
    if existing == Existing::Keep {
        insert
            .sql
            .push_str(" ON CONFLICT (practice, id) DO NOTHING");
    }
    let added = lite::execute(conn, &insert)?;
    Ok((added > 0).then_some(r))
}

/// Inserts a record at version 1 and returns it; `Duplicate` if its id is taken.
fn insert_new<R: Stored>(conn: &Connection, r: &R) -> Result<R> {
    insert_row(conn, r, Existing::Refuse)?.ok_or(StoreError::Duplicate)
}

/// Moves the practice's diary version on ([`sql::bump_diary`]); the last statement of every
/// transaction that changes what a free-slot search returns.
fn bump_diary(conn: &Connection, practice: &OdsCode) -> Result<()> {
    lite::execute(conn, &sql::bump_diary(practice))?;
    Ok(())
}

/// Moves on the diary version of every practice `slots` belong to, in ODS order.
fn bump_diaries(conn: &Connection, slots: &[SlotRecord]) -> Result<()> {
    let practices: std::collections::BTreeSet<&OdsCode> =
        slots.iter().map(|s| &s.practice).collect();
    for practice in practices {
        bump_diary(conn, practice)?;
    }
    Ok(())
}

/// The stored version of the record a statement ([`sql::version_of`]) names, if any.
fn stored_version(conn: &Connection, statement: &Statement) -> Result<Option<i64>> {
    lite::read_first(conn, statement, |row| lite::int(row, 0))
}

/// Takes `slots` for `appointment`: each must exist and be free. Slots are taken in id order.
/// Returns `SlotUnavailable` if any is not free or already has a booking row.
fn take_slots(
    conn: &Connection,
    practice: &OdsCode,
    slots: &[FhirId],
    appointment: &FhirId,
    bump_version: bool,
    booked_for: Option<&BookingParty>,
) -> Result<()> {
    let mut ordered: Vec<&FhirId> = slots.iter().collect();
    ordered.sort();
    for slot in ordered {
        let taken = lite::execute(
            conn,
            &sql::take_slot(practice, slot, i64::from(bump_version)),
        )?;
        if taken == 0 {
            let exists = stored_version(conn, &sql::version_of::<SlotRecord>(practice, slot))?;
            return Err(if exists.is_some() {
                StoreError::SlotUnavailable
            } else {
                StoreError::NotFound
            });
        }
        lite::execute(
            conn,
            &sql::book_slot(practice, slot, appointment, booked_for),
        )
        .map_err(|e| match e {
            StoreError::Duplicate => StoreError::SlotUnavailable,
            other => other,
        })?;
    }
    Ok(())
}

/// A practice's organisation access limits, read in the writer's transaction.
fn limits_in(conn: &Connection, practice: &OdsCode) -> Result<Vec<BookingLimit>> {
    let rows = lite::read_rows(conn, &sql::booking_limits(practice), |row| {
        Ok::<BookingLimitRow, StoreError>((
            lite::text(row, 0)?.to_owned(),
            lite::text(row, 1)?.to_owned(),
            lite::text(row, 2)?.to_owned(),
            lite::text(row, 3)?.to_owned(),
            lite::int(row, 4)?,
        ))
    })?;
    rows.into_iter()
        .map(|row| booking_limit_from_row(practice, row))
        .collect()
}

/// SPEC 5: refuses a booking whose slots, just taken in this transaction, take the
/// organisations an access limit covers beyond its slots on one of the booking's days.
fn check_limits(conn: &Connection, new: &NewAppointment) -> Result<()> {
    let Some(party) = &new.booked_for else {
        return Ok(());
    };
    let (org_type, ods) = (party.org_type.as_deref(), party.ods_code.as_ref());
    let limits = limits_in(conn, &new.practice)?;
    if !limits.iter().any(|l| l.covers(org_type, ods)) {
        return Ok(());
    }
    let days = booking_days(new);
    let (from, to) = uk_day_bounds(
        new.start.uk_date(),
        days.last().copied().unwrap_or(new.start.uk_date()),
    );
    let booked = lite::read_rows(conn, &sql::booked_slots(&new.practice, from, to), |row| {
        let ods: Option<String> = row.get(1).map_err(lite::backend)?;
        let org_type: Option<String> = row.get(2).map_err(lite::backend)?;
        booked_slot_from_row((lite::int(row, 0)?, ods, org_type))
    })?;
    let check = LimitCheck::new(&limits, &booked, org_type, ods);
    for day in days {
        // The booking's own slots are counted already.
        if let Some(limit) = check.breached_by(day, 0) {
            return Err(limit_reached(limit, day));
        }
    }
    Ok(())
}

/// Reads an appointment for a change: `NotFound` if absent, `VersionConflict` if stale.
fn appointment_for_change(
    conn: &Connection,
    practice: &OdsCode,
    id: &FhirId,
    expected_version: i64,
) -> Result<AppointmentRecord> {
    let row = lite::read_first(
        conn,
        &sql::by_id::<AppointmentRecord>(practice, id),
        |row| Ok((lite::int(row, 0)?, lite::text(row, 1)?.to_owned())),
    )?;
    let (version, body) = row.ok_or(StoreError::NotFound)?;
    if version != expected_version {
        return Err(StoreError::VersionConflict { current: version });
    }
    decode(&body, version)
}

impl SqliteStore {
    /// One record by id.
    async fn get<R: Stored>(&self, practice: &OdsCode, id: &FhirId) -> Result<Option<R>> {
        let statement = sql::by_id::<R>(practice, id);
        if let Some(read) = self.hot.record(&statement) {
            return read;
        }
        self.fetch_optional(&statement).await
    }

    /// The record a statement reads, if any.
    async fn fetch_optional<R: Body>(&self, s: &Statement) -> Result<Option<R>> {
        let row: Option<BodyRow> = query_as(s)?
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        decode_row(row)
    }

    /// The records a statement reads, in its order.
    async fn fetch_all<R: Body>(&self, s: &Statement) -> Result<Vec<R>> {
        let rows: Vec<BodyRow> = query_as(s)?.fetch_all(&self.pool).await.map_err(backend)?;
        decode_rows(&rows)
    }

    /// Replaces a record if its stored version is `expected_version`, storing the next version.
    async fn replace<R: Stored + Send + 'static>(
        &self,
        record: &R,
        expected_version: i64,
    ) -> Result<R> {
        let mut record = record.clone();
        self.writer
            .write(move |conn| {
                let current =
                    stored_version(conn, &sql::version_of::<R>(record.practice(), record.id()))?
                        .ok_or(StoreError::NotFound)?;
                record.set_version(next_version(current, expected_version)?);
                lite::execute(conn, &sql::update(&record)?)?;
                if R::IN_DIARY {
                    bump_diary(conn, record.practice())?;
                }
                Ok(record)
            })
            .await
    }

    /// Inserts a record at version 1; a diary record moves its practice's diary version on in
    /// the same transaction.
    async fn insert<R: Stored + Send + Sync + 'static>(&self, r: &R) -> Result<R> {
        let r = r.clone();
        self.writer
            .write(move |conn| {
                let r = insert_new(conn, &r)?;
                if R::IN_DIARY {
                    bump_diary(conn, r.practice())?;
                }
                Ok(r)
            })
            .await
    }
}

#[async_trait]
impl Store for SqliteStore {
    async fn practices(&self) -> Result<Vec<Practice>> {
        let rows: Vec<PracticeRow> = query_as(&sql::practices())?
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        rows.into_iter().map(practice_from_row).collect()
    }

    async fn get_practice(&self, ods: &OdsCode) -> Result<Option<Practice>> {
        if let Some(read) = self.hot.practice(ods) {
            return read;
        }
        let row: Option<PracticeRow> = query_as(&sql::practice(ods))?
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.map(practice_from_row).transpose()
    }

    async fn insert_practice(&self, practice: &Practice) -> Result<()> {
        let insert = sql::insert_practice(practice);
        self.writer
            .write(move |conn| lite::execute(conn, &insert).map(|_| ()))
            .await
    }

    async fn set_practice_enablement(
        &self,
        ods: &OdsCode,
        gp_connect_enabled: bool,
        appointments_enabled: bool,
    ) -> Result<Practice> {
        let change = sql::set_practice_enablement(ods, gp_connect_enabled, appointments_enabled);
        let updated = self
            .writer
            .write(move |conn| lite::execute(conn, &change))
            .await?;
        if updated == 0 {
            return Err(StoreError::NotFound);
        }
        self.get_practice(ods).await?.ok_or(StoreError::NotFound)
    }

    async fn get_organization(
        &self,
        practice: &OdsCode,
        id: &FhirId,
    ) -> Result<Option<OrganizationRecord>> {
        self.get(practice, id).await
    }

    async fn find_organizations_by_ods_code(
        &self,
        practice: &OdsCode,
        ods_code: &OdsCode,
    ) -> Result<Vec<OrganizationRecord>> {
        self.fetch_all(&sql::organizations_by_ods_code(practice, ods_code))
            .await
    }

    async fn insert_organization(&self, record: &OrganizationRecord) -> Result<OrganizationRecord> {
        self.insert(record).await
    }

    async fn get_location(
        &self,
        practice: &OdsCode,
        id: &FhirId,
    ) -> Result<Option<LocationRecord>> {
        self.get(practice, id).await
    }

    async fn insert_location(&self, record: &LocationRecord) -> Result<LocationRecord> {
        self.insert(record).await
    }

    async fn get_practitioner(
        &self,
        practice: &OdsCode,
        id: &FhirId,
    ) -> Result<Option<PractitionerRecord>> {
        self.get(practice, id).await
    }

    async fn find_practitioners_by_sds_user_id(
        &self,
        practice: &OdsCode,
        sds_user_id: &str,
    ) -> Result<Vec<PractitionerRecord>> {
        self.fetch_all(&sql::practitioners_by_sds_user_id(practice, sds_user_id))
            .await
    }

    async fn insert_practitioner(&self, record: &PractitionerRecord) -> Result<PractitionerRecord> {
        self.insert(record).await
    }

    async fn get_patient(&self, practice: &OdsCode, id: &FhirId) -> Result<Option<PatientRecord>> {
        self.get(practice, id).await
    }

    async fn find_patient_by_nhs_number(
        &self,
        practice: &OdsCode,
        nhs_number: &NhsNumber,
    ) -> Result<Option<PatientRecord>> {
        self.fetch_optional(&sql::patient_by_nhs_number(practice, nhs_number))
            .await
    }

    async fn insert_patient(&self, record: &PatientRecord) -> Result<PatientRecord> {
        self.insert(record).await
    }

    async fn update_patient(
        &self,
        record: &PatientRecord,
        expected_version: i64,
    ) -> Result<PatientRecord> {
        self.replace(record, expected_version).await
    }

    async fn get_schedule(
        &self,
        practice: &OdsCode,
        id: &FhirId,
    ) -> Result<Option<ScheduleRecord>> {
        self.get(practice, id).await
    }

    async fn insert_schedule(&self, record: &ScheduleRecord) -> Result<ScheduleRecord> {
        self.insert(record).await
    }

    async fn update_schedule(
        &self,
        record: &ScheduleRecord,
        expected_version: i64,
    ) -> Result<ScheduleRecord> {
        self.replace(record, expected_version).await
    }

    async fn get_slot(&self, practice: &OdsCode, id: &FhirId) -> Result<Option<SlotRecord>> {
        let statement = sql::slot_by_id(practice, id);
        if let Some(read) = self.hot.slot(&statement) {
            return read;
        }
        let row: Option<SlotRow> = query_as(&statement)?
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.map(slot_from_row).transpose()
    }

    async fn insert_slot(&self, record: &SlotRecord) -> Result<SlotRecord> {
        self.insert(record).await
    }

    async fn insert_slots(&self, records: &[SlotRecord]) -> Result<usize> {
        if records.is_empty() {
            return Ok(0);
        }
        let records = records.to_vec();
        self.writer
            .write(move |conn| {
                let mut added = 0;
                for r in &records {
                    if insert_row(conn, r, Existing::Keep)?.is_some() {
                        added += 1;
                    }
                }
                bump_diaries(conn, &records)?;
                Ok(added)
            })
            .await
    }

    async fn free_slots(
        &self,
        practice: &OdsCode,
        from: UkDateTime,
        to: UkDateTime,
    ) -> Result<FreeSlots> {
        let (hot, ods) = (self.hot.clone(), practice.clone());
        // Thousands of rows to decode: a search's work, below the priority of commands.
        let in_place = background::run(move || hot.free_slots(&ods, from, to))
            .await
            .map_err(|e| StoreError::Backend(format!("the free-slot read failed: {e}")))?;
        if let Some(read) = in_place {
            return read;
        }
        let rows: Vec<SlotRow> = query_as(&sql::free_slots(practice, from, to))?
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        let slots = rows
            .into_iter()
            .map(slot_from_row)
            .collect::<Result<Vec<_>>>()?;
        let mut schedules: Vec<ScheduleRecord> = self
            .fetch_all(&sql::free_slot_schedules(practice, from, to))
            .await?;
        // The two reads are not one snapshot: keep only schedules the returned slots use.
        schedules.retain(|s| slots.iter().any(|slot| slot.schedule == s.id));
        Ok(FreeSlots { slots, schedules })
    }

    async fn book(&self, new: &NewAppointment) -> Result<AppointmentRecord> {
        let record = new_booking(new)?;
        let new = new.clone();
        self.writer
            .write(move |conn| {
                let record = insert_new(conn, &record)?;
                take_slots(
                    conn,
                    &record.practice,
                    &record.slots,
                    &record.id,
                    true,
                    new.booked_for.as_ref(),
                )?;
                check_limits(conn, &new)?;
                bump_diary(conn, &record.practice)?;
                Ok(record)
            })
            .await
    }

    async fn insert_booking_limit(&self, limit: &BookingLimit) -> Result<()> {
        let insert = sql::insert_booking_limit(limit)?;
        let practice = limit.practice.clone();
        self.writer
            .write(move |conn| {
                lite::execute(conn, &insert)?;
                bump_diary(conn, &practice)
            })
            .await
    }

    async fn delete_booking_limit(&self, practice: &OdsCode, id: &FhirId) -> Result<()> {
        let delete = sql::delete_booking_limit(practice, id);
        let practice = practice.clone();
        self.writer
            .write(move |conn| {
                if lite::execute(conn, &delete)? == 0 {
                    return Err(StoreError::NotFound);
                }
                bump_diary(conn, &practice)
            })
            .await
    }

    async fn booking_limits(&self, practice: &OdsCode) -> Result<Vec<BookingLimit>> {
        let rows: Vec<BookingLimitRow> = query_as(&sql::booking_limits(practice))?
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        rows.into_iter()
            .map(|row| booking_limit_from_row(practice, row))
            .collect()
    }

    async fn booked_slots(
        &self,
        practice: &OdsCode,
        from: Date,
        to: Date,
    ) -> Result<Vec<BookedSlot>> {
        let (lower, upper) = uk_day_bounds(from, to);
        let statement = sql::booked_slots(practice, lower, upper);
        let rows: Vec<BookedSlotRow> = query_as(&statement)?
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        rows.into_iter().map(booked_slot_from_row).collect()
    }

    async fn get_appointment(
        &self,
        practice: &OdsCode,
        id: &FhirId,
    ) -> Result<Option<AppointmentRecord>> {
        self.get(practice, id).await
    }

    async fn patient_appointments(
        &self,
        practice: &OdsCode,
        patient: &FhirId,
        from: Date,
        to: Date,
    ) -> Result<Vec<AppointmentRecord>> {
        let (lower, upper) = uk_day_bounds(from, to);
        self.fetch_all(&sql::patient_appointments(practice, patient, lower, upper))
            .await
    }

    async fn update_appointment(
        &self,
        record: &AppointmentRecord,
        expected_version: i64,
    ) -> Result<AppointmentRecord> {
        let record = record.clone();
        self.writer
            .write(move |conn| {
                let stored =
                    appointment_for_change(conn, &record.practice, &record.id, expected_version)?;
                let updated = amended(stored, record);
                lite::execute(conn, &sql::update(&updated)?)?;
                Ok(updated)
            })
            .await
    }

    async fn cancel_appointment(
        &self,
        practice: &OdsCode,
        id: &FhirId,
        reason: &str,
        expected_version: i64,
        provenance: &Provenance,
    ) -> Result<AppointmentRecord> {
        let (practice, id, reason, provenance) = (
            practice.clone(),
            id.clone(),
            reason.to_owned(),
            provenance.clone(),
        );
        self.writer
            .write(move |conn| {
                let stored = appointment_for_change(conn, &practice, &id, expected_version)?;
                let cancelled = cancelled(stored, reason, provenance)?;
                lite::execute(conn, &sql::update(&cancelled)?)?;
                // SPEC 3.14: the slots are freed in the same transaction.
                let freed = lite::read_rows(conn, &sql::release_bookings(&practice, &id), |row| {
                    Ok(lite::text(row, 0)?.to_owned())
                })?;
                for slot in freed {
                    lite::execute(conn, &sql::free_slot(&practice, &slot))?;
                }
                bump_diary(conn, &practice)?;
                Ok(cancelled)
            })
            .await
    }

    async fn seed(&self, dataset: &Dataset) -> Result<bool> {
        let dataset = dataset.clone();
        self.writer
            .write(move |conn| {
                let practices =
                    lite::read_first(conn, &sql::count_practices(), |row| lite::int(row, 0))?;
                if practices.unwrap_or(0) > 0 {
                    return Ok(false);
                }
                for p in &dataset.practices {
                    lite::execute(conn, &sql::insert_practice(p))?;
                }
                for r in &dataset.organizations {
                    insert_new(conn, r)?;
                }
                for r in &dataset.locations {
                    insert_new(conn, r)?;
                }
                for r in &dataset.practitioners {
                    insert_new(conn, r)?;
                }
                for r in &dataset.patients {
                    insert_new(conn, r)?;
                }
                for r in &dataset.schedules {
                    insert_new(conn, r)?;
                }
                for r in &dataset.slots {
                    insert_new(conn, &seeded_slot(&dataset, r))?;
                }
                for a in &dataset.appointments {
                    let a = insert_new(conn, a)?;
                    if holds_slots(&a) {
                        let party = booked_for(&a);
                        take_slots(conn, &a.practice, &a.slots, &a.id, false, party.as_ref())?;
                    }
                }
                for limit in &dataset.booking_limits {
                    lite::execute(conn, &sql::insert_booking_limit(limit)?)?;
                }
                Ok(true)
            })
            .await
    }

    async fn is_empty(&self) -> Result<bool> {
        let (practices,): (i64,) = query_as(&sql::count_practices())?
            .fetch_one(&self.pool)
            .await
            .map_err(backend)?;
        Ok(practices == 0)
    }

    async fn reset_practice_data(&self) -> Result<()> {
        // One transaction: seeding and every other write wait for it.
        self.writer
            .write(|conn| {
                for table in PRACTICE_TABLES {
                    lite::execute(conn, &sql::delete_all(table))?;
                }
                Ok(())
            })
            .await
    }

    async fn append_audit(&self, event: &AuditEvent) -> Result<i64> {
        self.append_audit_batch(std::slice::from_ref(event))
            .await?
            .pop()
            .ok_or_else(|| StoreError::Backend("the audit event was given no number".to_owned()))
    }

    async fn append_audit_batch(&self, events: &[AuditEvent]) -> Result<Vec<i64>> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        let inserts = events
            .iter()
            .map(sql::append_audit)
            .collect::<Result<Vec<_>>>()?;
        // One transaction for the whole batch. Each insert is a prepared statement run in
        // place, so one row at a time costs no more than a multi-row statement, and the
        // numbers come back in order. Audit events are queued in memory before they are
        // written: they are committed without waiting for the disk (see `writer`).
        self.writer
            .write_relaxed(move |conn| {
                inserts
                    .iter()
                    .map(|insert| {
                        lite::read_first(conn, insert, |row| lite::int(row, 0))?.ok_or_else(|| {
                            StoreError::Backend("the audit event was given no number".to_owned())
                        })
                    })
                    .collect()
            })
            .await
    }

    async fn audit_events(
        &self,
        practice: Option<&OdsCode>,
        limit: u32,
    ) -> Result<Vec<AuditEvent>> {
        self.fetch_all(&sql::audit_events(practice, limit)).await
    }
}
