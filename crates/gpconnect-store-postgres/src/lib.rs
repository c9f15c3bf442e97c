//! PostgreSQL storage back end (several server instances on one database).
//!
//! Transactions run at READ COMMITTED. Double booking is prevented by the database itself:
//! taking a slot is a conditional `UPDATE ... WHERE status = 'free'` (a concurrent booking
//! waits on the row lock, then sees the slot busy) followed by an insert into `slot_booking`,
//! whose primary key admits one booking per slot. Changes to an appointment or patient lock its
//! row (`FOR UPDATE`) and check the expected version. Migrations and seeding each hold an
//! advisory lock, so processes starting together do them once; a reset of the practice data
//! holds the seeding lock too, and locks the practice tables against writers while it runs.

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
use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::{PgConnection, Postgres, Transaction};

/// The advisory lock key held while migrating the connection's schema.
const MIGRATE_LOCK: &str = "hashtextextended('gpconnect-migrate:' || current_schema(), 0)";

/// The advisory lock key held (for the transaction) while seeding or resetting the
/// connection's schema.
const SEED_LOCK: &str = "hashtextextended('gpconnect-seed:' || current_schema(), 0)";

/// The same tables in the order a reset locks them: `appointment` first, because bookings and
/// cancellations write it first and then `slot` and `slot_booking`; every other writer touches
/// one table and then only reads (foreign-key checks) tables later in this list. A reset that
/// waits for a table therefore holds nothing an in-flight writer still needs.
const RESET_LOCK_ORDER: &str = "appointment, slot_booking, slot, schedule, patient, \
                                practitioner, location, organization, practice";

/// A [`Store`] on a PostgreSQL database (the tables live in the connection's `search_path`
/// schema).
#[derive(Debug, Clone)]
pub struct PostgresStore {
    pool: PgPool,
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user@host:port/database`) with a pool of up to ten
    /// connections and brings the schema up to date.
    pub async fn connect(url: &str) -> Result<Self> {
        // The URL may carry a password: errors do not repeat it.
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .connect(url)
            .await
            .map_err(|e| StoreError::Backend(format!("cannot connect to PostgreSQL: {e}")))?;
        Self::from_pool(pool).await
    }

    /// Uses an existing pool (e.g. one whose connections set `search_path` to a schema of
    /// their own) and brings the schema up to date.
    pub async fn from_pool(pool: PgPool) -> Result<Self> {
        let mut conn = pool.acquire().await.map_err(backend)?;
        // Processes starting together migrate one at a time; the later ones find nothing to do.
        sqlx::query(&format!("SELECT pg_advisory_lock({MIGRATE_LOCK})"))
            .execute(&mut *conn)
            .await
            .map_err(backend)?;
        let migrated = sqlx::migrate!("./migrations").run(&mut *conn).await;
        sqlx::query(&format!("SELECT pg_advisory_unlock({MIGRATE_LOCK})"))
            .execute(&mut *conn)
            .await
            .map_err(backend)?;
        migrated.map_err(|e| StoreError::Backend(format!("migrating the database: {e}")))?;
        Ok(Self { pool })
    }

    /// Runs `work` in a transaction, committing on `Ok` and rolling back on `Err`.
    async fn write<T, F>(&self, work: F) -> Result<T>
    where
        T: Send,
        F: for<'c> FnOnce(
                &'c mut PgConnection,
            ) -> std::pin::Pin<
                Box<dyn std::future::Future<Output = Result<T>> + Send + 'c>,
            > + Send,
    {
        let mut tx: Transaction<'_, Postgres> = self.pool.begin().await.map_err(backend)?;
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

async fn insert_practice_row(conn: &mut PgConnection, p: &Practice) -> Result<()> {
    sqlx::query(
        "INSERT INTO practice (ods, asid, organization_id, name, gp_connect_enabled, \
         appointments_enabled) VALUES ($1, $2, $3, $4, $5, $6)",
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
    conn: &mut PgConnection,
    r: &OrganizationRecord,
) -> Result<OrganizationRecord> {
    let r = first_version(r);
    sqlx::query(
        "INSERT INTO organization (practice, id, version, ods_code, body) VALUES ($1, $2, $3, $4, $5)",
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
    conn: &mut PgConnection,
    r: &LocationRecord,
) -> Result<LocationRecord> {
    let r = first_version(r);
    sqlx::query("INSERT INTO location (practice, id, version, body) VALUES ($1, $2, $3, $4)")
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
    conn: &mut PgConnection,
    r: &PractitionerRecord,
) -> Result<PractitionerRecord> {
    let r = first_version(r);
    sqlx::query(
        "INSERT INTO practitioner (practice, id, version, sds_user_id, body) VALUES ($1, $2, $3, $4, $5)",
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

async fn insert_patient_row(conn: &mut PgConnection, r: &PatientRecord) -> Result<PatientRecord> {
    let r = first_version(r);
    sqlx::query(
        "INSERT INTO patient (practice, id, version, nhs_number, body) VALUES ($1, $2, $3, $4, $5)",
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
    conn: &mut PgConnection,
    r: &ScheduleRecord,
) -> Result<ScheduleRecord> {
    let r = first_version(r);
    sqlx::query("INSERT INTO schedule (practice, id, version, body) VALUES ($1, $2, $3, $4)")
        .bind(r.practice.as_str())
        .bind(r.id.as_str())
        .bind(r.version)
        .bind(encode(&r)?)
        .execute(conn)
        .await
        .map_err(backend)?;
    Ok(r)
}

async fn insert_slot_row(conn: &mut PgConnection, r: &SlotRecord) -> Result<SlotRecord> {
    let r = first_version(r);
    sqlx::query(
        "INSERT INTO slot (practice, id, version, schedule_id, start_at, end_at, status, body) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
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
    .map_err(backend)?;
    Ok(r)
}

/// How many slots one statement of [`insert_new_slots`] carries.
const SLOT_BATCH: usize = 2000;

/// Inserts at version 1 the slots of `records` whose ids are free, leaving existing rows alone,
/// and returns how many were added. Rows go in in key order, so two instances adding the same
/// days at once wait on each other instead of deadlocking.
async fn insert_new_slots(conn: &mut PgConnection, records: &[SlotRecord]) -> Result<usize> {
    let mut ordered: Vec<&SlotRecord> = records.iter().collect();
    ordered.sort_by(|a, b| (&a.practice, &a.id).cmp(&(&b.practice, &b.id)));
    let mut added = 0;
    for chunk in ordered.chunks(SLOT_BATCH) {
        let mut practice = Vec::with_capacity(chunk.len());
        let mut id = Vec::with_capacity(chunk.len());
        let mut schedule = Vec::with_capacity(chunk.len());
        let mut start = Vec::with_capacity(chunk.len());
        let mut end = Vec::with_capacity(chunk.len());
        let mut status = Vec::with_capacity(chunk.len());
        let mut body = Vec::with_capacity(chunk.len());
        for r in chunk {
            let r = SlotRecord {
                version: 1,
                ..(*r).clone()
            };
            practice.push(r.practice.as_str().to_owned());
            id.push(r.id.as_str().to_owned());
            schedule.push(r.schedule.as_str().to_owned());
            start.push(r.start.unix_seconds());
            end.push(r.end.unix_seconds());
            status.push(r.status.code().to_owned());
            body.push(encode(&r)?);
        }
        let rows = sqlx::query(
            "INSERT INTO slot (practice, id, version, schedule_id, start_at, end_at, status, body) \
             SELECT practice, id, 1, schedule_id, start_at, end_at, status, body \
             FROM UNNEST($1::TEXT[], $2::TEXT[], $3::TEXT[], $4::BIGINT[], $5::BIGINT[], \
                         $6::TEXT[], $7::TEXT[]) \
                  AS t (practice, id, schedule_id, start_at, end_at, status, body) \
             ON CONFLICT (practice, id) DO NOTHING",
        )
        .bind(practice)
        .bind(id)
        .bind(schedule)
        .bind(start)
        .bind(end)
        .bind(status)
        .bind(body)
        .execute(&mut *conn)
        .await
        .map_err(backend)?
        .rows_affected();
        added += usize::try_from(rows)
            .map_err(|_| StoreError::Backend(format!("{rows} slots reported added")))?;
    }
    Ok(added)
}

async fn insert_appointment_row(conn: &mut PgConnection, r: &AppointmentRecord) -> Result<()> {
    sqlx::query(
        "INSERT INTO appointment (practice, id, version, patient_id, start_at, end_at, status, \
         body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
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
    conn: &mut PgConnection,
    practice: &OdsCode,
    slots: &[FhirId],
    appointment: &FhirId,
    bump_version: bool,
) -> Result<()> {
    let mut ordered: Vec<&FhirId> = slots.iter().collect();
    ordered.sort();
    for slot in ordered {
        let taken = sqlx::query(
            "UPDATE slot SET status = 'busy', version = version + $1 \
             WHERE practice = $2 AND id = $3 AND status = 'free'",
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
                sqlx::query_as("SELECT 1::BIGINT FROM slot WHERE practice = $1 AND id = $2")
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
            "INSERT INTO slot_booking (practice, slot_id, appointment_id) VALUES ($1, $2, $3)",
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
    conn: &mut PgConnection,
    practice: &OdsCode,
    id: &FhirId,
    expected_version: i64,
) -> Result<AppointmentRecord> {
    let row: Option<BodyRow> = sqlx::query_as(
        "SELECT version, body FROM appointment WHERE practice = $1 AND id = $2 FOR UPDATE",
    )
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

async fn rewrite_appointment(conn: &mut PgConnection, r: &AppointmentRecord) -> Result<()> {
    sqlx::query(
        "UPDATE appointment SET version = $1, patient_id = $2, start_at = $3, end_at = $4, \
         status = $5, body = $6 WHERE practice = $7 AND id = $8",
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
impl Store for PostgresStore {
    async fn practices(&self) -> Result<Vec<Practice>> {
        let rows: Vec<PracticeRow> = sqlx::query_as(&format!("{PRACTICE_COLUMNS} ORDER BY ods"))
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        rows.into_iter().map(practice_from_row).collect()
    }

    async fn get_practice(&self, ods: &OdsCode) -> Result<Option<Practice>> {
        let row: Option<PracticeRow> =
            sqlx::query_as(&format!("{PRACTICE_COLUMNS} WHERE ods = $1"))
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
            "UPDATE practice SET gp_connect_enabled = $1, appointments_enabled = $2 WHERE ods = $3",
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
        let row: Option<BodyRow> = sqlx::query_as(
            "SELECT version, body FROM organization WHERE practice = $1 AND id = $2",
        )
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
            "SELECT version, body FROM organization WHERE practice = $1 AND ods_code = $2 \
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
            sqlx::query_as("SELECT version, body FROM location WHERE practice = $1 AND id = $2")
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
        let row: Option<BodyRow> = sqlx::query_as(
            "SELECT version, body FROM practitioner WHERE practice = $1 AND id = $2",
        )
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
            "SELECT version, body FROM practitioner WHERE practice = $1 AND sds_user_id = $2 \
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
            sqlx::query_as("SELECT version, body FROM patient WHERE practice = $1 AND id = $2")
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
            "SELECT version, body FROM patient WHERE practice = $1 AND nhs_number = $2",
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
                let current: Option<(i64,)> = sqlx::query_as(
                    "SELECT version FROM patient WHERE practice = $1 AND id = $2 FOR UPDATE",
                )
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
                    "UPDATE patient SET version = $1, nhs_number = $2, body = $3 \
                     WHERE practice = $4 AND id = $5",
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
            sqlx::query_as("SELECT version, body FROM schedule WHERE practice = $1 AND id = $2")
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
                let current: Option<(i64,)> = sqlx::query_as(
                    "SELECT version FROM schedule WHERE practice = $1 AND id = $2 FOR UPDATE",
                )
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
                    "UPDATE schedule SET version = $1, body = $2 WHERE practice = $3 AND id = $4",
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
        let row: Option<SlotRow> = sqlx::query_as(
            "SELECT version, status, body FROM slot WHERE practice = $1 AND id = $2",
        )
        .bind(practice.as_str())
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await
        .map_err(backend)?;
        row.map(slot_from_row).transpose()
    }

    async fn insert_slot(&self, record: &SlotRecord) -> Result<SlotRecord> {
        let mut conn = self.pool.acquire().await.map_err(backend)?;
        insert_slot_row(&mut conn, record).await
    }

    async fn insert_slots(&self, records: &[SlotRecord]) -> Result<usize> {
        if records.is_empty() {
            return Ok(0);
        }
        let records = records.to_vec();
        self.write(move |conn| Box::pin(async move { insert_new_slots(conn, &records).await }))
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
             WHERE practice = $1 AND status = 'free' AND start_at >= $2 AND end_at <= $3 \
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
            "SELECT version, body FROM schedule WHERE practice = $1 AND id IN \
             (SELECT schedule_id FROM slot WHERE practice = $2 AND status = 'free' \
              AND start_at >= $3 AND end_at <= $4) ORDER BY id",
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
            sqlx::query_as("SELECT version, body FROM appointment WHERE practice = $1 AND id = $2")
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
             WHERE practice = $1 AND patient_id = $2 AND start_at >= $3 AND start_at < $4 \
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
                    "DELETE FROM slot_booking WHERE practice = $1 AND appointment_id = $2 \
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
                         WHERE practice = $1 AND id = $2 AND status = 'busy'",
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
                // Instances starting together queue here; the first to get the lock loads the
                // data and the others then see a practice and load nothing.
                sqlx::query(&format!("SELECT pg_advisory_xact_lock({SEED_LOCK})"))
                    .execute(&mut *conn)
                    .await
                    .map_err(backend)?;
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
                    insert_slot_row(&mut *conn, &r).await?;
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
        self.write(|conn| {
            Box::pin(async move {
                // A reset and a seeding never interleave: each holds the seeding lock.
                sqlx::query(&format!("SELECT pg_advisory_xact_lock({SEED_LOCK})"))
                    .execute(&mut *conn)
                    .await
                    .map_err(backend)?;
                // Writers in flight finish first and later ones wait (reads go on), so no
                // booking commits a row that points at a record this reset has deleted.
                sqlx::query(&format!("LOCK TABLE {RESET_LOCK_ORDER} IN EXCLUSIVE MODE"))
                    .execute(&mut *conn)
                    .await
                    .map_err(backend)?;
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
            "INSERT INTO audit_event (at, practice, body) VALUES ($1, $2, $3) RETURNING seq",
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
        let count = i64::try_from(events.len())
            .map_err(|_| StoreError::Invalid("too many audit events in one batch".into()))?;
        let mut at = Vec::with_capacity(events.len());
        let mut practice = Vec::with_capacity(events.len());
        let mut body = Vec::with_capacity(events.len());
        for e in events {
            at.push(e.at.unix_seconds());
            practice.push(e.practice.as_ref().map(|p| p.as_str().to_owned()));
            body.push(encode(e)?);
        }
        self.write(move |conn| {
            Box::pin(async move {
                // The sequence numbers are drawn first and handed out in ascending order, so the
                // events keep theirs in batch order; then one INSERT stores every row.
                let mut seqs: Vec<i64> = sqlx::query_scalar(
                    "SELECT nextval(pg_get_serial_sequence('audit_event', 'seq')) \
                     FROM generate_series(1, $1)",
                )
                .bind(count)
                .fetch_all(&mut *conn)
                .await
                .map_err(backend)?;
                seqs.sort_unstable();
                sqlx::query(
                    "INSERT INTO audit_event (seq, at, practice, body) OVERRIDING SYSTEM VALUE \
                     SELECT * FROM UNNEST($1::BIGINT[], $2::BIGINT[], $3::TEXT[], $4::TEXT[])",
                )
                .bind(&seqs)
                .bind(&at)
                .bind(&practice)
                .bind(&body)
                .execute(&mut *conn)
                .await
                .map_err(backend)?;
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
                "SELECT seq, body FROM audit_event WHERE practice = $1 ORDER BY seq DESC LIMIT $2",
            )
            .bind(p.as_str())
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await,
            None => {
                sqlx::query_as("SELECT seq, body FROM audit_event ORDER BY seq DESC LIMIT $1")
                    .bind(i64::from(limit))
                    .fetch_all(&self.pool)
                    .await
            }
        }
        .map_err(backend)?;
        decode_rows(&rows)
    }
}
