//! SQLite storage back end (the embedded default).
//!
//! One database file holds every hosted practice. The file is opened in WAL mode with
//! `synchronous=FULL`, so a booking that has been acknowledged survives a crash or `kill -9`.
//! Every multi-statement write runs in a `BEGIN IMMEDIATE` transaction: writers queue for the
//! database lock up front (within a process on a mutex, across processes through
//! `busy_timeout`), so a transaction never fails half-way because another one wrote first.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use gpconnect_domain::records::{
    AppointmentRecord, AuditEvent, LocationRecord, NewAppointment, OrganizationRecord,
    PatientRecord, Practice, PractitionerRecord, Provenance, ScheduleRecord, SlotRecord,
};
use gpconnect_domain::{FhirId, NhsNumber, OdsCode, UkDateTime};
use gpconnect_store::body::{decode, decode_row, decode_rows, encode, first_version, BodyRow};
use gpconnect_store::rows::{
    amended, cancelled, new_booking, next_version, practice_from_row, seeded_appointment,
    seeded_slot, slot_from_row, uk_day_bounds, PracticeRow, SlotRow, PRACTICE_COLUMNS,
    PRACTICE_TABLES,
};
use gpconnect_store::{Dataset, FreeSlots, Result, Store, StoreError};
use jiff::civil::Date;
use sqlx::error::ErrorKind;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};
use sqlx::{Sqlite, SqliteConnection, Transaction};
use tokio::sync::Mutex;

/// How long a writer waits for another process's transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// A [`Store`] on one SQLite database file.
#[derive(Debug)]
pub struct SqliteStore {
    pool: SqlitePool,
    /// Serialises this process's write transactions (SQLite has one writer at a time).
    write_lock: Mutex<()>,
}

impl SqliteStore {
    /// Opens (creating it and its parent folder if missing) the database at `url_or_path`
    /// (`sqlite://path`, `sqlite:path` or a plain file path) and brings its schema up to date.
    pub async fn open(url_or_path: &str) -> Result<Self> {
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
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Backend(format!("cannot open {url_or_path}: {e}")))?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| StoreError::Backend(format!("migrating {url_or_path}: {e}")))?;
        Ok(Self {
            pool,
            write_lock: Mutex::new(()),
        })
    }

    /// Runs `work` in a `BEGIN IMMEDIATE` transaction, committing on `Ok` and rolling back on
    /// `Err`.
    async fn write<T, F>(&self, work: F) -> Result<T>
    where
        T: Send,
        F: for<'c> FnOnce(
                &'c mut SqliteConnection,
            ) -> std::pin::Pin<
                Box<dyn std::future::Future<Output = Result<T>> + Send + 'c>,
            > + Send,
    {
        let _guard = self.write_lock.lock().await;
        let mut tx: Transaction<'_, Sqlite> = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(backend)?;
        let out = work(&mut tx).await;
        match out {
            Ok(v) => {
                tx.commit().await.map_err(backend)?;
                Ok(v)
            }
            Err(e) => {
                tx.rollback().await.map_err(backend)?;
                Err(e)
            }
        }
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

async fn insert_practice_row(conn: &mut SqliteConnection, p: &Practice) -> Result<()> {
    sqlx::query(
        "INSERT INTO practice (ods, asid, organization_id, name, gp_connect_enabled, \
         appointments_enabled) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(p.ods.as_str())
    .bind(p.asid.as_str())
    .bind(p.organization_id.as_str())
    .bind(&p.name)
    .bind(p.gp_connect_enabled)
    .bind(p.appointments_enabled)
    .execute(conn)
    .await
    .map_err(backend)?;
    Ok(())
}

async fn insert_organization_row(
    conn: &mut SqliteConnection,
    r: &OrganizationRecord,
) -> Result<OrganizationRecord> {
    let r = first_version(r);
    sqlx::query(
        "INSERT INTO organization (practice, id, version, ods_code, body) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(r.practice.as_str())
    .bind(r.id.as_str())
    .bind(r.version)
    .bind(r.ods_code.as_str())
    .bind(encode(&r)?)
    .execute(conn)
    .await
    .map_err(backend)?;
    Ok(r)
}

async fn insert_location_row(
    conn: &mut SqliteConnection,
    r: &LocationRecord,
) -> Result<LocationRecord> {
    let r = first_version(r);
    sqlx::query("INSERT INTO location (practice, id, version, body) VALUES (?, ?, ?, ?)")
        .bind(r.practice.as_str())
        .bind(r.id.as_str())
        .bind(r.version)
        .bind(encode(&r)?)
        .execute(conn)
        .await
        .map_err(backend)?;
    Ok(r)
}

async fn insert_practitioner_row(
    conn: &mut SqliteConnection,
    r: &PractitionerRecord,
) -> Result<PractitionerRecord> {
    let r = first_version(r);
    sqlx::query(
        "INSERT INTO practitioner (practice, id, version, sds_user_id, body) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(r.practice.as_str())
    .bind(r.id.as_str())
    .bind(r.version)
    .bind(r.sds_user_id.as_deref())
    .bind(encode(&r)?)
    .execute(conn)
    .await
    .map_err(backend)?;
    Ok(r)
}

async fn insert_patient_row(
    conn: &mut SqliteConnection,
    r: &PatientRecord,
) -> Result<PatientRecord> {
    let r = first_version(r);
    sqlx::query(
        "INSERT INTO patient (practice, id, version, nhs_number, body) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(r.practice.as_str())
    .bind(r.id.as_str())
    .bind(r.version)
    .bind(r.nhs_number.as_str())
    .bind(encode(&r)?)
    .execute(conn)
    .await
    .map_err(backend)?;
    Ok(r)
}

async fn insert_schedule_row(
    conn: &mut SqliteConnection,
    r: &ScheduleRecord,
) -> Result<ScheduleRecord> {
    let r = first_version(r);
    sqlx::query("INSERT INTO schedule (practice, id, version, body) VALUES (?, ?, ?, ?)")
        .bind(r.practice.as_str())
        .bind(r.id.as_str())
        .bind(r.version)
        .bind(encode(&r)?)
        .execute(conn)
        .await
        .map_err(backend)?;
    Ok(r)
}

/// Whether inserting a row whose key is taken fails (`Duplicate`) or leaves the stored row be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Existing {
    Refuse,
    Keep,
}

/// Inserts a slot at version 1 and returns it, or `None` if its id is taken and `existing` is
/// [`Existing::Keep`].
async fn insert_slot_row(
    conn: &mut SqliteConnection,
    r: &SlotRecord,
    existing: Existing,
) -> Result<Option<SlotRecord>> {
    let r = first_version(r);
    let on_conflict = match existing {
        Existing::Refuse => "",
        Existing::Keep => " ON CONFLICT (practice, id) DO NOTHING",
    };
    let added = sqlx::query(&format!(
        "INSERT INTO slot (practice, id, version, schedule_id, start_at, end_at, status, body) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?){on_conflict}"
    ))
    .bind(r.practice.as_str())
    .bind(r.id.as_str())
    .bind(r.version)
    .bind(r.schedule.as_str())
    .bind(r.start.unix_seconds())
    .bind(r.end.unix_seconds())
    .bind(r.status.code())
    .bind(encode(&r)?)
    .execute(conn)
    .await
    .map_err(backend)?
    .rows_affected();
    Ok((added > 0).then_some(r))
}

async fn insert_appointment_row(conn: &mut SqliteConnection, r: &AppointmentRecord) -> Result<()> {
    sqlx::query(
        "INSERT INTO appointment (practice, id, version, patient_id, start_at, end_at, status, \
         body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(r.practice.as_str())
    .bind(r.id.as_str())
    .bind(r.version)
    .bind(r.patient.as_str())
    .bind(r.start.unix_seconds())
    .bind(r.end.unix_seconds())
    .bind(r.status.code())
    .bind(encode(r)?)
    .execute(conn)
    .await
    .map_err(backend)?;
    Ok(())
}

/// Takes `slots` for `appointment`: each must exist and be free. Slots are taken in id order.
/// Returns `SlotUnavailable` if any is not free or already has a booking row.
async fn take_slots(
    conn: &mut SqliteConnection,
    practice: &OdsCode,
    slots: &[FhirId],
    appointment: &FhirId,
    bump_version: bool,
) -> Result<()> {
    let mut ordered: Vec<&FhirId> = slots.iter().collect();
    ordered.sort();
    for slot in ordered {
        let taken = sqlx::query(
            "UPDATE slot SET status = 'busy', version = version + ? \
             WHERE practice = ? AND id = ? AND status = 'free'",
        )
        .bind(i64::from(bump_version))
        .bind(practice.as_str())
        .bind(slot.as_str())
        .execute(&mut *conn)
        .await
        .map_err(backend)?
        .rows_affected();
        if taken == 0 {
            let exists: Option<(i64,)> =
                sqlx::query_as("SELECT 1 FROM slot WHERE practice = ? AND id = ?")
                    .bind(practice.as_str())
                    .bind(slot.as_str())
                    .fetch_optional(&mut *conn)
                    .await
                    .map_err(backend)?;
            return Err(if exists.is_some() {
                StoreError::SlotUnavailable
            } else {
                StoreError::NotFound
            });
        }
        sqlx::query(
            "INSERT INTO slot_booking (practice, slot_id, appointment_id) VALUES (?, ?, ?)",
        )
        .bind(practice.as_str())
        .bind(slot.as_str())
        .bind(appointment.as_str())
        .execute(&mut *conn)
        .await
        .map_err(|e| match backend(e) {
            StoreError::Duplicate => StoreError::SlotUnavailable,
            other => other,
        })?;
    }
    Ok(())
}

/// Reads an appointment for a change: `NotFound` if absent, `VersionConflict` if stale.
async fn appointment_for_change(
    conn: &mut SqliteConnection,
    practice: &OdsCode,
    id: &FhirId,
    expected_version: i64,
) -> Result<AppointmentRecord> {
    let row: Option<BodyRow> =
        sqlx::query_as("SELECT version, body FROM appointment WHERE practice = ? AND id = ?")
            .bind(practice.as_str())
            .bind(id.as_str())
            .fetch_optional(&mut *conn)
            .await
            .map_err(backend)?;
    let (version, body) = row.ok_or(StoreError::NotFound)?;
    if version != expected_version {
        return Err(StoreError::VersionConflict { current: version });
    }
    decode(&body, version)
}

async fn rewrite_appointment(conn: &mut SqliteConnection, r: &AppointmentRecord) -> Result<()> {
    sqlx::query(
        "UPDATE appointment SET version = ?, patient_id = ?, start_at = ?, end_at = ?, \
         status = ?, body = ? WHERE practice = ? AND id = ?",
    )
    .bind(r.version)
    .bind(r.patient.as_str())
    .bind(r.start.unix_seconds())
    .bind(r.end.unix_seconds())
    .bind(r.status.code())
    .bind(encode(r)?)
    .bind(r.practice.as_str())
    .bind(r.id.as_str())
    .execute(conn)
    .await
    .map_err(backend)?;
    Ok(())
}

#[async_trait]
impl Store for SqliteStore {
    async fn practices(&self) -> Result<Vec<Practice>> {
        let rows: Vec<PracticeRow> = sqlx::query_as(&format!("{PRACTICE_COLUMNS} ORDER BY ods"))
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        rows.into_iter().map(practice_from_row).collect()
    }

    async fn get_practice(&self, ods: &OdsCode) -> Result<Option<Practice>> {
        let row: Option<PracticeRow> = sqlx::query_as(&format!("{PRACTICE_COLUMNS} WHERE ods = ?"))
            .bind(ods.as_str())
            .fetch_optional(&self.pool)
            .await
            .map_err(backend)?;
        row.map(practice_from_row).transpose()
    }

    async fn insert_practice(&self, practice: &Practice) -> Result<()> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        insert_practice_row(&mut conn, practice).await
    }

    async fn set_practice_enablement(
        &self,
        ods: &OdsCode,
        gp_connect_enabled: bool,
        appointments_enabled: bool,
    ) -> Result<Practice> {
        let updated = sqlx::query(
            "UPDATE practice SET gp_connect_enabled = ?, appointments_enabled = ? WHERE ods = ?",
        )
        .bind(gp_connect_enabled)
        .bind(appointments_enabled)
        .bind(ods.as_str())
        .execute(&self.pool)
        .await
        .map_err(backend)?
        .rows_affected();
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
        let row: Option<BodyRow> =
            sqlx::query_as("SELECT version, body FROM organization WHERE practice = ? AND id = ?")
                .bind(practice.as_str())
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        decode_row(row)
    }

    async fn find_organizations_by_ods_code(
        &self,
        practice: &OdsCode,
        ods_code: &OdsCode,
    ) -> Result<Vec<OrganizationRecord>> {
        let rows: Vec<BodyRow> = sqlx::query_as(
            "SELECT version, body FROM organization WHERE practice = ? AND ods_code = ? \
             ORDER BY id",
        )
        .bind(practice.as_str())
        .bind(ods_code.as_str())
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        decode_rows(&rows)
    }

    async fn insert_organization(&self, record: &OrganizationRecord) -> Result<OrganizationRecord> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        insert_organization_row(&mut conn, record).await
    }

    async fn get_location(
        &self,
        practice: &OdsCode,
        id: &FhirId,
    ) -> Result<Option<LocationRecord>> {
        let row: Option<BodyRow> =
            sqlx::query_as("SELECT version, body FROM location WHERE practice = ? AND id = ?")
                .bind(practice.as_str())
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        decode_row(row)
    }

    async fn insert_location(&self, record: &LocationRecord) -> Result<LocationRecord> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        insert_location_row(&mut conn, record).await
    }

    async fn get_practitioner(
        &self,
        practice: &OdsCode,
        id: &FhirId,
    ) -> Result<Option<PractitionerRecord>> {
        let row: Option<BodyRow> =
            sqlx::query_as("SELECT version, body FROM practitioner WHERE practice = ? AND id = ?")
                .bind(practice.as_str())
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        decode_row(row)
    }

    async fn find_practitioners_by_sds_user_id(
        &self,
        practice: &OdsCode,
        sds_user_id: &str,
    ) -> Result<Vec<PractitionerRecord>> {
        let rows: Vec<BodyRow> = sqlx::query_as(
            "SELECT version, body FROM practitioner WHERE practice = ? AND sds_user_id = ? \
             ORDER BY id",
        )
        .bind(practice.as_str())
        .bind(sds_user_id)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        decode_rows(&rows)
    }

    async fn insert_practitioner(&self, record: &PractitionerRecord) -> Result<PractitionerRecord> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        insert_practitioner_row(&mut conn, record).await
    }

    async fn get_patient(&self, practice: &OdsCode, id: &FhirId) -> Result<Option<PatientRecord>> {
        let row: Option<BodyRow> =
            sqlx::query_as("SELECT version, body FROM patient WHERE practice = ? AND id = ?")
                .bind(practice.as_str())
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        decode_row(row)
    }

    async fn find_patient_by_nhs_number(
        &self,
        practice: &OdsCode,
        nhs_number: &NhsNumber,
    ) -> Result<Option<PatientRecord>> {
        let row: Option<BodyRow> = sqlx::query_as(
            "SELECT version, body FROM patient WHERE practice = ? AND nhs_number = ?",
        )
        .bind(practice.as_str())
        .bind(nhs_number.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        decode_row(row)
    }

    async fn insert_patient(&self, record: &PatientRecord) -> Result<PatientRecord> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        insert_patient_row(&mut conn, record).await
    }

    async fn update_patient(
        &self,
        record: &PatientRecord,
        expected_version: i64,
    ) -> Result<PatientRecord> {
        let record = record.clone();
        self.write(move |conn| {
            Box::pin(async move {
                let current: Option<(i64,)> =
                    sqlx::query_as("SELECT version FROM patient WHERE practice = ? AND id = ?")
                        .bind(record.practice.as_str())
                        .bind(record.id.as_str())
                        .fetch_optional(&mut *conn)
                        .await
                        .map_err(backend)?;
                let (current,) = current.ok_or(StoreError::NotFound)?;
                let stored = PatientRecord {
                    version: next_version(current, expected_version)?,
                    ..record
                };
                sqlx::query(
                    "UPDATE patient SET version = ?, nhs_number = ?, body = ? \
                     WHERE practice = ? AND id = ?",
                )
                .bind(stored.version)
                .bind(stored.nhs_number.as_str())
                .bind(encode(&stored)?)
                .bind(stored.practice.as_str())
                .bind(stored.id.as_str())
                .execute(&mut *conn)
                .await
                .map_err(backend)?;
                Ok(stored)
            })
        })
        .await
    }

    async fn get_schedule(
        &self,
        practice: &OdsCode,
        id: &FhirId,
    ) -> Result<Option<ScheduleRecord>> {
        let row: Option<BodyRow> =
            sqlx::query_as("SELECT version, body FROM schedule WHERE practice = ? AND id = ?")
                .bind(practice.as_str())
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        decode_row(row)
    }

    async fn insert_schedule(&self, record: &ScheduleRecord) -> Result<ScheduleRecord> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        insert_schedule_row(&mut conn, record).await
    }

    async fn update_schedule(
        &self,
        record: &ScheduleRecord,
        expected_version: i64,
    ) -> Result<ScheduleRecord> {
        let record = record.clone();
        self.write(move |conn| {
            Box::pin(async move {
                let current: Option<(i64,)> =
                    sqlx::query_as("SELECT version FROM schedule WHERE practice = ? AND id = ?")
                        .bind(record.practice.as_str())
                        .bind(record.id.as_str())
                        .fetch_optional(&mut *conn)
                        .await
                        .map_err(backend)?;
                let (current,) = current.ok_or(StoreError::NotFound)?;
                let stored = ScheduleRecord {
                    version: next_version(current, expected_version)?,
                    ..record
                };
                sqlx::query(
                    "UPDATE schedule SET version = ?, body = ? WHERE practice = ? AND id = ?",
                )
                .bind(stored.version)
                .bind(encode(&stored)?)
                .bind(stored.practice.as_str())
                .bind(stored.id.as_str())
                .execute(&mut *conn)
                .await
                .map_err(backend)?;
                Ok(stored)
            })
        })
        .await
    }

    async fn get_slot(&self, practice: &OdsCode, id: &FhirId) -> Result<Option<SlotRecord>> {
        let row: Option<SlotRow> =
            sqlx::query_as("SELECT version, status, body FROM slot WHERE practice = ? AND id = ?")
                .bind(practice.as_str())
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        row.map(slot_from_row).transpose()
    }

    async fn insert_slot(&self, record: &SlotRecord) -> Result<SlotRecord> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        insert_slot_row(&mut conn, record, Existing::Refuse)
            .await?
            .ok_or(StoreError::Duplicate)
    }

    async fn insert_slots(&self, records: &[SlotRecord]) -> Result<usize> {
        if records.is_empty() {
            return Ok(0);
        }
        let records = records.to_vec();
        self.write(move |conn| {
            Box::pin(async move {
                let mut added = 0;
                for r in &records {
                    if insert_slot_row(&mut *conn, r, Existing::Keep)
                        .await?
                        .is_some()
                    {
                        added += 1;
                    }
                }
                Ok(added)
            })
        })
        .await
    }

    async fn free_slots(
        &self,
        practice: &OdsCode,
        from: UkDateTime,
        to: UkDateTime,
    ) -> Result<FreeSlots> {
        // SPEC 3.10: slots must lie fully inside the range.
        let rows: Vec<SlotRow> = sqlx::query_as(
            "SELECT version, status, body FROM slot \
             WHERE practice = ? AND status = 'free' AND start_at >= ? AND end_at <= ? \
             ORDER BY start_at, id",
        )
        .bind(practice.as_str())
        .bind(from.unix_seconds())
        .bind(to.unix_seconds())
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        let slots = rows
            .into_iter()
            .map(slot_from_row)
            .collect::<Result<Vec<_>>>()?;
        let schedule_rows: Vec<BodyRow> = sqlx::query_as(
            "SELECT version, body FROM schedule WHERE practice = ? AND id IN \
             (SELECT schedule_id FROM slot WHERE practice = ? AND status = 'free' \
              AND start_at >= ? AND end_at <= ?) ORDER BY id",
        )
        .bind(practice.as_str())
        .bind(practice.as_str())
        .bind(from.unix_seconds())
        .bind(to.unix_seconds())
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        let mut schedules = schedule_rows
            .iter()
            .map(|(v, b)| decode(b, *v))
            .collect::<Result<Vec<ScheduleRecord>>>()?;
        // The two reads are not one snapshot: keep only schedules the returned slots use.
        schedules.retain(|s| slots.iter().any(|slot| slot.schedule == s.id));
        Ok(FreeSlots { slots, schedules })
    }

    async fn book(&self, new: &NewAppointment) -> Result<AppointmentRecord> {
        let record = new_booking(new)?;
        self.write(move |conn| {
            Box::pin(async move {
                insert_appointment_row(&mut *conn, &record).await?;
                take_slots(
                    &mut *conn,
                    &record.practice,
                    &record.slots,
                    &record.id,
                    true,
                )
                .await?;
                Ok(record)
            })
        })
        .await
    }

    async fn get_appointment(
        &self,
        practice: &OdsCode,
        id: &FhirId,
    ) -> Result<Option<AppointmentRecord>> {
        let row: Option<BodyRow> =
            sqlx::query_as("SELECT version, body FROM appointment WHERE practice = ? AND id = ?")
                .bind(practice.as_str())
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
        decode_row(row)
    }

    async fn patient_appointments(
        &self,
        practice: &OdsCode,
        patient: &FhirId,
        from: Date,
        to: Date,
    ) -> Result<Vec<AppointmentRecord>> {
        // SPEC 3.15: by the UK date of the start, so the bounds are UK midnights.
        let (lower, upper) = uk_day_bounds(from, to);
        let rows: Vec<BodyRow> = sqlx::query_as(
            "SELECT version, body FROM appointment \
             WHERE practice = ? AND patient_id = ? AND start_at >= ? AND start_at < ? \
             ORDER BY start_at, id",
        )
        .bind(practice.as_str())
        .bind(patient.as_str())
        .bind(lower)
        .bind(upper)
        .fetch_all(&self.pool)
        .await
        .map_err(backend)?;
        decode_rows(&rows)
    }

    async fn update_appointment(
        &self,
        record: &AppointmentRecord,
        expected_version: i64,
    ) -> Result<AppointmentRecord> {
        let record = record.clone();
        self.write(move |conn| {
            Box::pin(async move {
                let stored = appointment_for_change(
                    &mut *conn,
                    &record.practice,
                    &record.id,
                    expected_version,
                )
                .await?;
                let updated = amended(stored, record);
                rewrite_appointment(&mut *conn, &updated).await?;
                Ok(updated)
            })
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
        self.write(move |conn| {
            Box::pin(async move {
                let stored =
                    appointment_for_change(&mut *conn, &practice, &id, expected_version).await?;
                let cancelled = cancelled(stored, reason, provenance)?;
                rewrite_appointment(&mut *conn, &cancelled).await?;
                // SPEC 3.14: the slots are freed in the same transaction.
                let freed: Vec<(String,)> = sqlx::query_as(
                    "DELETE FROM slot_booking WHERE practice = ? AND appointment_id = ? \
                     RETURNING slot_id",
                )
                .bind(practice.as_str())
                .bind(id.as_str())
                .fetch_all(&mut *conn)
                .await
                .map_err(backend)?;
                for (slot,) in freed {
                    sqlx::query(
                        "UPDATE slot SET status = 'free', version = version + 1 \
                         WHERE practice = ? AND id = ? AND status = 'busy'",
                    )
                    .bind(practice.as_str())
                    .bind(slot)
                    .execute(&mut *conn)
                    .await
                    .map_err(backend)?;
                }
                Ok(cancelled)
            })
        })
        .await
    }

    async fn seed(&self, dataset: &Dataset) -> Result<bool> {
        let dataset = dataset.clone();
        self.write(move |conn| {
            Box::pin(async move {
                let (practices,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM practice")
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(backend)?;
                if practices > 0 {
                    return Ok(false);
                }
                for p in &dataset.practices {
                    insert_practice_row(&mut *conn, p).await?;
                }
                for r in &dataset.organizations {
                    insert_organization_row(&mut *conn, r).await?;
                }
                for r in &dataset.locations {
                    insert_location_row(&mut *conn, r).await?;
                }
                for r in &dataset.practitioners {
                    insert_practitioner_row(&mut *conn, r).await?;
                }
                for r in &dataset.patients {
                    insert_patient_row(&mut *conn, r).await?;
                }
                for r in &dataset.schedules {
                    insert_schedule_row(&mut *conn, r).await?;
                }
                for r in &dataset.slots {
                    let r = seeded_slot(&dataset, r);
                    insert_slot_row(&mut *conn, &r, Existing::Refuse).await?;
                }
                for a in &dataset.appointments {
                    let (a, takes_slots) = seeded_appointment(a);
                    insert_appointment_row(&mut *conn, &a).await?;
                    if takes_slots {
                        take_slots(&mut *conn, &a.practice, &a.slots, &a.id, false).await?;
                    }
                }
                Ok(true)
            })
        })
        .await
    }

    async fn is_empty(&self) -> Result<bool> {
        let (practices,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM practice")
            .fetch_one(&self.pool)
            .await
            .map_err(backend)?;
        Ok(practices == 0)
    }

    async fn reset_practice_data(&self) -> Result<()> {
        // One BEGIN IMMEDIATE transaction: seeding and every other write wait for it.
        self.write(|conn| {
            Box::pin(async move {
                for table in PRACTICE_TABLES {
                    sqlx::query(&format!("DELETE FROM {table}"))
                        .execute(&mut *conn)
                        .await
                        .map_err(backend)?;
                }
                Ok(())
            })
        })
        .await
    }

    async fn append_audit(&self, event: &AuditEvent) -> Result<i64> {
        let (seq,): (i64,) = sqlx::query_as(
            "INSERT INTO audit_event (at, practice, body) VALUES (?, ?, ?) RETURNING seq",
        )
        .bind(event.at.unix_seconds())
        .bind(event.practice.as_ref().map(OdsCode::as_str))
        .bind(encode(event)?)
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        Ok(seq)
    }

    async fn append_audit_batch(&self, events: &[AuditEvent]) -> Result<Vec<i64>> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        let rows = events
            .iter()
            .map(|e| {
                Ok((
                    e.at.unix_seconds(),
                    e.practice.as_ref().map(|p| p.as_str().to_owned()),
                    encode(e)?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        // One transaction: one commit (and one fsync) for the whole batch.
        self.write(move |conn| {
            Box::pin(async move {
                let mut seqs = Vec::with_capacity(rows.len());
                for (at, practice, body) in rows {
                    let (seq,): (i64,) = sqlx::query_as(
                        "INSERT INTO audit_event (at, practice, body) VALUES (?, ?, ?) \
                         RETURNING seq",
                    )
                    .bind(at)
                    .bind(practice)
                    .bind(body)
                    .fetch_one(&mut *conn)
                    .await
                    .map_err(backend)?;
                    seqs.push(seq);
                }
                Ok(seqs)
            })
        })
        .await
    }

    async fn audit_events(
        &self,
        practice: Option<&OdsCode>,
        limit: u32,
    ) -> Result<Vec<AuditEvent>> {
        let rows: Vec<BodyRow> = match practice {
            Some(p) => sqlx::query_as(
                "SELECT seq, body FROM audit_event WHERE practice = ? ORDER BY seq DESC LIMIT ?",
            )
            .bind(p.as_str())
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await,
            None => {
                sqlx::query_as("SELECT seq, body FROM audit_event ORDER BY seq DESC LIMIT ?")
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
            }
        }
        .map_err(backend)?;
        decode_rows(&rows)
    }
}
