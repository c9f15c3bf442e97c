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
    AppointmentRecord, AuditEvent, BookedSlot, BookingLimit, BookingParty, LocationRecord,
    NewAppointment, OrganizationRecord, PatientRecord, Practice, PractitionerRecord, Provenance,
    ScheduleRecord, SlotRecord,
};
use gpconnect_domain::{FhirId, NhsNumber, OdsCode, UkDateTime};
use gpconnect_store::background;
use gpconnect_store::body::{
    decode, decode_row, decode_rows, encode, first_version, Body, BodyRow,
};
use gpconnect_store::rows::{
    amended, booked_for, booked_slot_from_row, booking_days, booking_limit_from_row, cancelled,
    holds_slots, new_booking, next_version, practice_from_row, seeded_slot, slot_from_parts,
    slot_from_row, uk_day_bounds, BookedSlotRow, BookingLimitRow, PracticeRow, SlotRow,
    PRACTICE_TABLES,
};
use gpconnect_store::sql::{self, Param, Statement, Stored};
use gpconnect_store::{BookingRecords, Dataset, FreeSlots, Result, Store, StoreError};
use jiff::civil::Date;
use sqlx::error::ErrorKind;
use sqlx::postgres::{PgArguments, PgPool, PgPoolOptions, PgRow};
use sqlx::query::{Query, QueryAs};
use sqlx::{Arguments, FromRow, PgConnection, Postgres, Transaction};
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

mod direct;
mod shared_read;
mod slot_cache;
use direct::Direct;
use shared_read::SharedReads;
use slot_cache::{RowVersion, SlotCache};

/// How many connections the frequent statements use at most ([`direct`]), beside the pool's.
const DIRECT_CONNECTIONS: usize = 10;

/// The advisory lock key held while migrating the connection's schema.
const MIGRATE_LOCK: &str = "hashtextextended('gpconnect-migrate:' || current_schema(), 0)";

/// The advisory lock key held (for the transaction) while seeding or resetting the
/// connection's schema.
const SEED_LOCK: &str = "hashtextextended('gpconnect-seed:' || current_schema(), 0)";

/// The same tables in the order a reset locks them: `appointment` first, because bookings and
/// cancellations write it first and then `slot` and `slot_booking`; every other writer touches
/// one table and then only reads (foreign-key checks) tables later in this list. A reset that
/// waits for a table therefore holds nothing an in-flight writer still needs.
const RESET_LOCK_ORDER: &str =
    "appointment, slot_booking, booking_limit, slot, schedule, patient, \
     practitioner, location, organization, practice, diary_bump";

/// A [`Store`] on a PostgreSQL database (the tables live in the connection's `search_path`
/// schema).
#[derive(Clone)]
pub struct PostgresStore {
    pool: PgPool,
    /// Practice reads that overlap in time share a round trip (every request reads its
    /// practice; see [`shared_read`]).
    practices: Arc<SharedReads<OdsCode, Option<Practice>>>,
    /// Decoded slots from earlier free-slot reads ([`slot_cache`]).
    slots: Arc<SlotCache>,
    /// Bookings made through this store, for [`PostgresStore::analyze_bookings`].
    bookings: Arc<AtomicU64>,
    /// Connections for the frequent statements (every one but the rare administrative ones),
    /// handed back without the pool's check ([`direct`]).
    direct: Arc<Direct>,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("pool", &self.pool)
            .finish_non_exhaustive()
    }
}

impl PostgresStore {
    /// Connects to `url` (`postgres://user@host:port/database`) and brings the schema up to
    /// date. The frequent statements use up to ten connections of their own ([`direct`]), the
    /// rare administrative ones a pool of up to ten more, opened as needed.
    pub async fn connect(url: &str) -> Result<Self> {
        // The URL may carry a password: errors do not repeat it. A connection is not pinged
        // before each use (a round trip per query): one that broke fails its query, which the
        // caller sees as a storage error, and is not given out again. Statements use generic
        // plans: each is a keyed lookup or an index range, which one plan serves for every
        // value, so no execution is planned again (planning was a visible share of the
        // database's work for a cached search).
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .test_before_acquire(false)
            .connect_with(
                url.parse::<sqlx::postgres::PgConnectOptions>()
                    .map_err(|e| StoreError::Backend(format!("not a PostgreSQL URL: {e}")))?
                    .options([("plan_cache_mode", "force_generic_plan")]),
            )
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
        Ok(Self {
            pool: pool.clone(),
            practices: SharedReads::new(),
            slots: Arc::new(SlotCache::new(slot_cache::MAX_SLOTS)),
            bookings: Arc::new(AtomicU64::new(0)),
            direct: Arc::new(Direct::new(pool.clone(), DIRECT_CONNECTIONS)),
        })
    }

    /// The free slots lying fully inside `[from, to]`, ordered by start then id: the slots
    /// kept from earlier reads where their rows are unchanged, the others read and decoded
    /// ([`slot_cache`]).
    async fn read_free_slots(
        &self,
        practice: &OdsCode,
        from: UkDateTime,
        to: UkDateTime,
    ) -> Result<Vec<SlotRecord>> {
        // SPEC 3.10: slots must lie fully inside the range; `start_at <= $3` follows from that
        // but bounds the index range scan.
        const FREE_IN_RANGE: &str = "practice = $1 AND status = 'free' AND start_at >= $2 \
             AND start_at <= $3 AND end_at <= $3";
        let (lower, upper) = (from.unix_seconds(), to.unix_seconds());
        let mut lease = self.direct.lease().await?;
        let rows = sqlx::query_as::<_, (String, i64, i64)>(&format!(
            "SELECT id, version, xmin::text::bigint FROM slot WHERE {FREE_IN_RANGE} \
             ORDER BY start_at, id"
        ))
        .bind(practice.as_str())
        .bind(lower)
        .bind(upper)
        .fetch_all(lease.conn())
        .await;
        let rows: Vec<(String, i64, i64)> = lease.finish(rows).map_err(backend)?;
        let rows = rows
            .into_iter()
            .map(|(id, version, xmin)| {
                let id = FhirId::parse(&id)
                    .map_err(|e| StoreError::Backend(format!("stored slot id {id:?}: {e}")))?;
                Ok((id, RowVersion { version, xmin }))
            })
            .collect::<Result<Vec<_>>>()?;
        let kept = self.slots.lookup(practice, &rows);
        let missing: Vec<&str> = rows
            .iter()
            .zip(&kept)
            .filter(|(_, k)| k.is_none())
            .map(|((id, _), _)| id.as_str())
            .collect();
        let mut read: HashMap<FhirId, Arc<SlotRecord>> = HashMap::new();
        if !missing.is_empty() {
            let mut lease = self.direct.lease().await?;
            let bodies = sqlx::query_as::<_, (i64, i64, String, String)>(&format!(
                "SELECT xmin::text::bigint, version, status, body FROM slot \
                 WHERE {FREE_IN_RANGE} AND id = ANY($4)"
            ))
            .bind(practice.as_str())
            .bind(lower)
            .bind(upper)
            .bind(&missing)
            .fetch_all(lease.conn())
            .await;
            let bodies: Vec<(i64, i64, String, String)> = lease.finish(bodies).map_err(backend)?;
            // Thousands of bodies to decode on a first read: a search's work, below the
            // priority of commands.
            let decoded = background::run(move || {
                bodies
                    .into_iter()
                    .map(|(xmin, version, status, body)| {
                        let slot = slot_from_parts(version, &status, &body)?;
                        Ok((RowVersion { version, xmin }, Arc::new(slot)))
                    })
                    .collect::<Result<Vec<_>>>()
            })
            .await
            .map_err(|e| StoreError::Backend(format!("the free-slot read failed: {e}")))??;
            read.extend(decoded.iter().map(|(_, s)| (s.id.clone(), s.clone())));
            self.slots.keep(practice, decoded);
        }
        let mut slots = Vec::with_capacity(rows.len());
        for ((id, _), kept) in rows.iter().zip(kept) {
            // A slot read just now is absent if it stopped being free in the range meanwhile.
            if let Some(slot) = kept.or_else(|| read.remove(id)) {
                slots.push(SlotRecord::clone(&slot));
            }
        }
        // A slot read in the second statement may have moved since the first: keep the
        // order by start (stable, so the first statement's id order stays within a start).
        slots.sort_by_key(|s| s.start);
        Ok(slots)
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
        let mut lease = self.direct.lease().await?;
        let conn = lease.conn();
        // The outer result is the connection's (begin, commit, rollback), the inner one the
        // work's: a failed write whose rollback succeeded leaves the connection sound.
        let outcome: std::result::Result<Result<T>, sqlx::Error> = async {
            let mut tx: Transaction<'_, Postgres> = sqlx::Connection::begin(conn).await?;
            match work(&mut tx).await {
                Ok(v) => {
                    tx.commit().await?;
                    Ok(Ok(v))
                }
                Err(e) => {
                    tx.rollback().await?;
                    Ok(Err(e))
                }
            }
        }
        .await;
        lease.finish(outcome).map_err(backend)?
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

/// The columns `book_appointment` (migration 20261122000000) takes, in its parameter order.
const BOOKING_COLUMNS: &str =
    "INSERT INTO appointment (practice, id, version, patient_id, start_at, end_at, status, body)";

/// Maps the errors of `book_appointment`: a slot not free or already booked is
/// `SlotUnavailable`, a missing slot `NotFound`, a taken appointment id `Duplicate`, an
/// organisation access limit exceeded `Invalid` (naming it).
fn booking_error(e: sqlx::Error) -> StoreError {
    if let sqlx::Error::Database(db) = &e {
        match db.code().as_deref() {
            Some("GPC01") => return StoreError::SlotUnavailable,
            Some("GPC02") => return StoreError::NotFound,
            Some("GPC03") => return StoreError::Invalid(db.message().to_owned()),
            _ => {}
        }
        if db.kind() == ErrorKind::UniqueViolation && db.constraint() == Some("slot_booking_pkey") {
            return StoreError::SlotUnavailable;
        }
    }
    backend(e)
}

/// The PostgreSQL driver's values for a statement's parameters.
fn arguments(params: &[Param]) -> Result<PgArguments> {
    let mut args = PgArguments::default();
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

/// A shared statement, bound for PostgreSQL.
fn query(s: &Statement) -> Result<Query<'_, Postgres, PgArguments>> {
    Ok(sqlx::query_with(&s.sql, arguments(&s.params)?))
}

/// A shared statement reading rows of type `T`, bound for PostgreSQL.
fn query_as<T>(s: &Statement) -> Result<QueryAs<'_, Postgres, T, PgArguments>>
where
    T: for<'r> FromRow<'r, PgRow>,
{
    Ok(sqlx::query_as_with(&s.sql, arguments(&s.params)?))
}

/// Inserts a record at version 1 and returns it; `Duplicate` if its id is taken.
async fn insert_new<R: Stored>(conn: &mut PgConnection, r: &R) -> Result<R> {
    let (r, insert) = sql::insert(r)?;
    query(&insert)?.execute(conn).await.map_err(backend)?;
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
            let r = first_version(*r);
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

/// Moves the practice's diary version on: the last statement of every transaction that changes
/// what a free-slot search returns. On PostgreSQL it adds to one of the practice's counters
/// (migration 20261124000000) instead of updating the practice row, so concurrent transactions
/// do not queue for that row.
async fn bump_diary(conn: &mut PgConnection, practice: &OdsCode) -> Result<()> {
    sqlx::query("SELECT bump_diary($1)")
        .bind(practice.as_str())
        .execute(conn)
        .await
        .map_err(backend)?;
    Ok(())
}

/// The query reading [`PracticeRow`]s on PostgreSQL, to be followed by a `WHERE` or `ORDER BY`
/// clause: the diary version is the practice row's plus its counters' (migration
/// 20261124000000).
const PRACTICE_COLUMNS: &str =
    "SELECT ods, asid, organization_id, name, gp_connect_enabled, appointments_enabled, \
     (diary_version + COALESCE((SELECT sum(d.bumps) FROM diary_bump d \
                                WHERE d.practice = practice.ods), 0))::BIGINT \
     FROM practice";

/// One practice, as a `PracticeRow`.
fn practice_statement(ods: &OdsCode) -> Statement {
    Statement {
        sql: format!("{PRACTICE_COLUMNS} WHERE ods = $1"),
        params: vec![Param::Text(ods.as_str().to_owned())],
    }
}

/// Moves on the diary version of every practice `slots` belong to, in ODS order.
async fn bump_diaries(conn: &mut PgConnection, slots: &[SlotRecord]) -> Result<()> {
    let practices: std::collections::BTreeSet<&OdsCode> =
        slots.iter().map(|s| &s.practice).collect();
    for practice in practices {
        bump_diary(&mut *conn, practice).await?;
    }
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
    booked_for: Option<&BookingParty>,
) -> Result<()> {
    let mut ordered: Vec<&FhirId> = slots.iter().collect();
    ordered.sort();
    for slot in ordered {
        let taken = query(&sql::take_slot(practice, slot, i64::from(bump_version)))?
            .execute(&mut *conn)
            .await
            .map_err(backend)?
            .rows_affected();
        if taken == 0 {
            let exists: Option<(i64,)> = query_as(&sql::version_of::<SlotRecord>(practice, slot))?
                .fetch_optional(&mut *conn)
                .await
                .map_err(backend)?;
            return Err(if exists.is_some() {
                StoreError::SlotUnavailable
            } else {
                StoreError::NotFound
            });
        }
        query(&sql::book_slot(practice, slot, appointment, booked_for))?
            .execute(&mut *conn)
            .await
            .map_err(|e| match backend(e) {
                StoreError::Duplicate => StoreError::SlotUnavailable,
                other => other,
            })?;
    }
    Ok(())
}

/// `s` taking the row locks of what it reads, until the transaction ends.
fn for_update(mut s: Statement) -> Statement {
    s.sql.push_str(" FOR UPDATE");
    s
}

/// Reads an appointment for a change, its row locked: `NotFound` if absent, `VersionConflict`
/// if stale.
async fn appointment_for_change(
    conn: &mut PgConnection,
    practice: &OdsCode,
    id: &FhirId,
    expected_version: i64,
) -> Result<AppointmentRecord> {
    let row: Option<BodyRow> =
        query_as(&for_update(sql::by_id::<AppointmentRecord>(practice, id)))?
            .fetch_optional(&mut *conn)
            .await
            .map_err(backend)?;
    let (version, body) = row.ok_or(StoreError::NotFound)?;
    if version != expected_version {
        return Err(StoreError::VersionConflict { current: version });
    }
    decode(&body, version)
}

/// The stored version of a record about to be replaced, its row locked: `NotFound` if absent.
async fn current_version<R: Stored>(
    conn: &mut PgConnection,
    practice: &OdsCode,
    id: &FhirId,
) -> Result<i64> {
    let current: Option<(i64,)> = query_as(&for_update(sql::version_of::<R>(practice, id)))?
        .fetch_optional(conn)
        .await
        .map_err(backend)?;
    current.map(|(v,)| v).ok_or(StoreError::NotFound)
}

impl PostgresStore {
    /// One record by id.
    async fn get<R: Stored>(&self, practice: &OdsCode, id: &FhirId) -> Result<Option<R>> {
        self.fetch_optional(&sql::by_id::<R>(practice, id)).await
    }

    /// The records with these ids that exist, in the order of `ids`, in one round trip.
    async fn get_many<R: Stored>(&self, practice: &OdsCode, ids: &[FhirId]) -> Result<Vec<R>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let wanted: Vec<&str> = ids.iter().map(FhirId::as_str).collect();
        let mut lease = self.direct.lease().await?;
        let rows = sqlx::query_as::<_, (String, i64, String)>(&format!(
            "SELECT id, version, body FROM {} WHERE practice = $1 AND id = ANY($2)",
            R::TABLE
        ))
        .bind(practice.as_str())
        .bind(&wanted)
        .fetch_all(lease.conn())
        .await;
        let rows: Vec<(String, i64, String)> = lease.finish(rows).map_err(backend)?;
        let mut found: HashMap<String, (i64, String)> = rows
            .into_iter()
            .map(|(id, version, body)| (id, (version, body)))
            .collect();
        wanted
            .iter()
            .filter_map(|id| found.remove(*id))
            .map(|(version, body)| decode(&body, version))
            .collect()
    }

    /// The record a statement reads, if any.
    async fn fetch_optional<R: Body>(&self, s: &Statement) -> Result<Option<R>> {
        let mut lease = self.direct.lease().await?;
        let row = query_as(s)?.fetch_optional(lease.conn()).await;
        let row: Option<BodyRow> = lease.finish(row).map_err(backend)?;
        decode_row(row)
    }

    /// The records a statement reads, in its order.
    async fn fetch_all<R: Body>(&self, s: &Statement) -> Result<Vec<R>> {
        let mut lease = self.direct.lease().await?;
        let rows = query_as(s)?.fetch_all(lease.conn()).await;
        let rows: Vec<BodyRow> = lease.finish(rows).map_err(backend)?;
        decode_rows(&rows)
    }

    /// Replaces a record if its stored version is `expected_version`, storing the next version.
    async fn replace<R: Stored + Send + 'static>(
        &self,
        record: &R,
        expected_version: i64,
    ) -> Result<R> {
        let mut record = record.clone();
        self.write(move |conn| {
            Box::pin(async move {
                let current =
                    current_version::<R>(&mut *conn, record.practice(), record.id()).await?;
                record.set_version(next_version(current, expected_version)?);
                query(&sql::update(&record)?)?
                    .execute(&mut *conn)
                    .await
                    .map_err(backend)?;
                if R::IN_DIARY {
                    bump_diary(&mut *conn, record.practice()).await?;
                }
                Ok(record)
            })
        })
        .await
    }

    /// Refreshes the planner's statistics of the practice tables after a bulk load (a seed, a
    /// diary extension). Until autovacuum gets to a freshly filled table, PostgreSQL plans
    /// without statistics, and the generic plan of the conditional slot updates
    /// (`WHERE practice = $1 AND id = $2 AND status = 'free'`) then walks the practice's
    /// free-slot index instead of the primary key: milliseconds per booking, not microseconds.
    async fn analyze(&self) -> Result<()> {
        sqlx::query(&format!("ANALYZE {RESET_LOCK_ORDER}"))
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    /// Refreshes the statistics of the tables bookings fill, in the background, after this
    /// store's 64th, 128th, 256th, ... booking. Those tables start empty, and a plan made
    /// while a table is (nearly) empty scans it whole; such plans are kept (generic plans, the
    /// foreign-key checks' plans) until the table's statistics change, which autovacuum does
    /// only after a minute or more. Scanning every appointment for each booking made bookings
    /// slower the more there were. A fresh ANALYZE replaces those plans in every session.
    fn analyze_bookings(&self) {
        let made = self.bookings.fetch_add(1, Ordering::Relaxed) + 1;
        if made < 64 || !made.is_power_of_two() {
            return;
        }
        let pool = self.pool.clone();
        tokio::spawn(async move {
            if let Err(error) = sqlx::query("ANALYZE appointment, slot_booking")
                .execute(&pool)
                .await
            {
                tracing::warn!(%error, "refreshing the booking tables' statistics failed");
            }
        });
    }

    /// Inserts a record at version 1; a diary record moves its practice's diary version on in
    /// the same transaction.
    async fn insert<R: Stored + Send + Sync + 'static>(&self, r: &R) -> Result<R> {
        let r = r.clone();
        self.write(move |conn| {
            Box::pin(async move {
                let r = insert_new(&mut *conn, &r).await?;
                if R::IN_DIARY {
                    bump_diary(&mut *conn, r.practice()).await?;
                }
                Ok(r)
            })
        })
        .await
    }
}

#[async_trait]
impl Store for PostgresStore {
    async fn practices(&self) -> Result<Vec<Practice>> {
        let statement = Statement {
            sql: format!("{PRACTICE_COLUMNS} ORDER BY ods"),
            params: Vec::new(),
        };
        let rows: Vec<PracticeRow> = query_as(&statement)?
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        rows.into_iter().map(practice_from_row).collect()
    }

    async fn get_practice(&self, ods: &OdsCode) -> Result<Option<Practice>> {
        let direct = self.direct.clone();
        self.practices
            .get(ods.clone(), move |ods| {
                let direct = direct.clone();
                async move {
                    let mut lease = direct.lease().await?;
                    let row = query_as(&practice_statement(&ods))?
                        .fetch_optional(lease.conn())
                        .await;
                    let row: Option<PracticeRow> = lease.finish(row).map_err(backend)?;
                    row.map(practice_from_row).transpose()
                }
            })
            .await
    }

    async fn insert_practice(&self, practice: &Practice) -> Result<()> {
        query(&sql::insert_practice(practice))?
            .execute(&self.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }

    async fn set_practice_enablement(
        &self,
        ods: &OdsCode,
        gp_connect_enabled: bool,
        appointments_enabled: bool,
    ) -> Result<Practice> {
        let change = sql::set_practice_enablement(ods, gp_connect_enabled, appointments_enabled);
        let updated = query(&change)?
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

    async fn get_locations(
        &self,
        practice: &OdsCode,
        ids: &[FhirId],
    ) -> Result<Vec<LocationRecord>> {
        self.get_many(practice, ids).await
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

    async fn get_practitioners(
        &self,
        practice: &OdsCode,
        ids: &[FhirId],
    ) -> Result<Vec<PractitionerRecord>> {
        self.get_many(practice, ids).await
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

    async fn booking_records(
        &self,
        practice: &OdsCode,
        patient: &FhirId,
        slots: &[FhirId],
    ) -> Result<BookingRecords> {
        let wanted: Vec<&str> = slots.iter().map(FhirId::as_str).collect();
        // One statement, so one round trip and one snapshot: kind 0 the patient, 1 the slots,
        // 2 their schedules.
        let mut lease = self.direct.lease().await?;
        let rows = sqlx::query_as::<_, (i32, String, i64, Option<String>, String)>(
            "SELECT 0, id, version, NULL, body FROM patient WHERE practice = $1 AND id = $2 \
             UNION ALL \
             SELECT 1, id, version, status, body FROM slot WHERE practice = $1 AND id = ANY($3) \
             UNION ALL \
             SELECT 2, id, version, NULL, body FROM schedule WHERE practice = $1 AND id IN \
             (SELECT schedule_id FROM slot WHERE practice = $1 AND id = ANY($3))",
        )
        .bind(practice.as_str())
        .bind(patient.as_str())
        .bind(&wanted)
        .fetch_all(lease.conn())
        .await;
        let rows: Vec<(i32, String, i64, Option<String>, String)> =
            lease.finish(rows).map_err(backend)?;
        let mut found = BookingRecords::default();
        let mut slots_by_id = HashMap::new();
        for (kind, id, version, status, body) in rows {
            match (kind, status) {
                (0, _) => found.patient = Some(decode(&body, version)?),
                (1, Some(status)) => {
                    slots_by_id.insert(id, slot_from_parts(version, &status, &body)?);
                }
                (2, _) => found.schedules.push(decode(&body, version)?),
                _ => {
                    return Err(StoreError::Backend(format!(
                        "unexpected booking record row of kind {kind}"
                    )))
                }
            }
        }
        found.slots = wanted
            .iter()
            .map(|id| slots_by_id.get(*id).cloned())
            .collect();
        found
            .schedules
            .sort_by(|a: &ScheduleRecord, b| a.id.cmp(&b.id));
        Ok(found)
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
        let mut lease = self.direct.lease().await?;
        let row = query_as(&sql::slot_by_id(practice, id))?
            .fetch_optional(lease.conn())
            .await;
        let row: Option<SlotRow> = lease.finish(row).map_err(backend)?;
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
        let added = self
            .write(move |conn| {
                Box::pin(async move {
                    let added = insert_new_slots(&mut *conn, &records).await?;
                    bump_diaries(&mut *conn, &records).await?;
                    Ok(added)
                })
            })
            .await?;
        if added > 0 {
            self.analyze().await?;
        }
        Ok(added)
    }

    async fn free_slots(
        &self,
        practice: &OdsCode,
        from: UkDateTime,
        to: UkDateTime,
    ) -> Result<FreeSlots> {
        let slots = self.read_free_slots(practice, from, to).await?;
        // The schedules the slots use, by id (not by scanning the slots again).
        let used: std::collections::BTreeSet<&FhirId> = slots.iter().map(|s| &s.schedule).collect();
        let used: Vec<FhirId> = used.into_iter().cloned().collect();
        let schedules: Vec<ScheduleRecord> = self.get_many(practice, &used).await?;
        Ok(FreeSlots { slots, schedules })
    }

    async fn book(&self, new: &NewAppointment) -> Result<AppointmentRecord> {
        let (record, insert) = sql::insert(&new_booking(new)?)?;
        // The function takes the appointment's columns in the order of the shared INSERT.
        if !insert.sql.starts_with(BOOKING_COLUMNS) {
            return Err(StoreError::Backend(format!(
                "the appointment columns changed: {}",
                insert.sql
            )));
        }
        let mut args = arguments(&insert.params)?;
        let slots: Vec<String> = record.slots.iter().map(|s| s.as_str().to_owned()).collect();
        let party = new.booked_for.as_ref();
        // SPEC 5: the UK days the limits are checked on, with their bounds.
        let days = booking_days(new);
        let bounds: Vec<(i64, i64)> = days.iter().map(|d| uk_day_bounds(*d, *d)).collect();
        let bind = |r: std::result::Result<(), sqlx::error::BoxDynError>| {
            r.map_err(|e| StoreError::Backend(format!("cannot bind a parameter: {e}")))
        };
        bind(args.add(slots))?;
        bind(args.add(party.and_then(|p| p.ods_code.as_ref().map(|c| c.as_str().to_owned()))))?;
        bind(args.add(party.and_then(|p| p.org_type.clone())))?;
        bind(args.add(bounds.iter().map(|b| b.0).collect::<Vec<i64>>()))?;
        bind(args.add(bounds.iter().map(|b| b.1).collect::<Vec<i64>>()))?;
        bind(
            args.add(
                days.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<String>>(),
            ),
        )?;
        let mut lease = self.direct.lease().await?;
        let booked = sqlx::query_with(
            "SELECT book_appointment($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            args,
        )
        .execute(lease.conn())
        .await;
        lease.finish(booked).map_err(booking_error)?;
        self.analyze_bookings();
        Ok(record)
    }

    async fn insert_booking_limit(&self, limit: &BookingLimit) -> Result<()> {
        let insert = sql::insert_booking_limit(limit)?;
        let practice = limit.practice.clone();
        self.write(move |conn| {
            Box::pin(async move {
                query(&insert)?.execute(&mut *conn).await.map_err(backend)?;
                bump_diary(&mut *conn, &practice).await
            })
        })
        .await
    }

    async fn delete_booking_limit(&self, practice: &OdsCode, id: &FhirId) -> Result<()> {
        let delete = sql::delete_booking_limit(practice, id);
        let practice = practice.clone();
        self.write(move |conn| {
            Box::pin(async move {
                let deleted = query(&delete)?
                    .execute(&mut *conn)
                    .await
                    .map_err(backend)?
                    .rows_affected();
                if deleted == 0 {
                    return Err(StoreError::NotFound);
                }
                bump_diary(&mut *conn, &practice).await
            })
        })
        .await
    }

    async fn booking_limits(&self, practice: &OdsCode) -> Result<Vec<BookingLimit>> {
        let mut lease = self.direct.lease().await?;
        let rows = query_as(&sql::booking_limits(practice))?
            .fetch_all(lease.conn())
            .await;
        let rows: Vec<BookingLimitRow> = lease.finish(rows).map_err(backend)?;
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
        let mut lease = self.direct.lease().await?;
        let rows = query_as(&statement)?.fetch_all(lease.conn()).await;
        let rows: Vec<BookedSlotRow> = lease.finish(rows).map_err(backend)?;
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
                query(&sql::update(&updated)?)?
                    .execute(&mut *conn)
                    .await
                    .map_err(backend)?;
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
                query(&sql::update(&cancelled)?)?
                    .execute(&mut *conn)
                    .await
                    .map_err(backend)?;
                // SPEC 3.14: the slots are freed in the same transaction.
                let freed: Vec<(String,)> = query_as(&sql::release_bookings(&practice, &id))?
                    .fetch_all(&mut *conn)
                    .await
                    .map_err(backend)?;
                for (slot,) in freed {
                    query(&sql::free_slot(&practice, &slot))?
                        .execute(&mut *conn)
                        .await
                        .map_err(backend)?;
                }
                bump_diary(&mut *conn, &practice).await?;
                Ok(cancelled)
            })
        })
        .await
    }

    async fn seed(&self, dataset: &Dataset) -> Result<bool> {
        let dataset = dataset.clone();
        let seeded = self
            .write(move |conn| {
                Box::pin(async move {
                    // Instances starting together queue here; the first to get the lock loads the
                    // data and the others then see a practice and load nothing.
                    sqlx::query(&format!("SELECT pg_advisory_xact_lock({SEED_LOCK})"))
                        .execute(&mut *conn)
                        .await
                        .map_err(backend)?;
                    let (practices,): (i64,) = query_as(&sql::count_practices())?
                        .fetch_one(&mut *conn)
                        .await
                        .map_err(backend)?;
                    if practices > 0 {
                        return Ok(false);
                    }
                    for p in &dataset.practices {
                        query(&sql::insert_practice(p))?
                            .execute(&mut *conn)
                            .await
                            .map_err(backend)?;
                    }
                    for r in &dataset.organizations {
                        insert_new(&mut *conn, r).await?;
                    }
                    for r in &dataset.locations {
                        insert_new(&mut *conn, r).await?;
                    }
                    for r in &dataset.practitioners {
                        insert_new(&mut *conn, r).await?;
                    }
                    for r in &dataset.patients {
                        insert_new(&mut *conn, r).await?;
                    }
                    for r in &dataset.schedules {
                        insert_new(&mut *conn, r).await?;
                    }
                    for r in &dataset.slots {
                        insert_new(&mut *conn, &seeded_slot(&dataset, r)).await?;
                    }
                    for a in &dataset.appointments {
                        let a = insert_new(&mut *conn, a).await?;
                        if holds_slots(&a) {
                            let party = booked_for(&a);
                            take_slots(
                                &mut *conn,
                                &a.practice,
                                &a.slots,
                                &a.id,
                                false,
                                party.as_ref(),
                            )
                            .await?;
                        }
                    }
                    for limit in &dataset.booking_limits {
                        query(&sql::insert_booking_limit(limit)?)?
                            .execute(&mut *conn)
                            .await
                            .map_err(backend)?;
                    }
                    Ok(true)
                })
            })
            .await?;
        if seeded {
            self.analyze().await?;
        }
        Ok(seeded)
    }

    async fn is_empty(&self) -> Result<bool> {
        let (practices,): (i64,) = query_as(&sql::count_practices())?
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
                    query(&sql::delete_all(table))?
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
        let (seq,): (i64,) = query_as(&sql::append_audit(event)?)?
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
        // One statement, so one round trip and its own implicit transaction. The sequence
        // numbers are drawn first and handed out in ascending order, so the events keep theirs
        // in batch order. Audit events are queued in memory before they are written, so the
        // commit does not wait for the WAL to reach the disk (synchronous_commit off for this
        // transaction only; it applies to the implicit transaction's commit): a crash loses the
        // queue whatever the commit does. The sequence is looked up once per batch (an
        // uncorrelated subquery), not once per event: the lookup reads the catalogue.
        let mut lease = self.direct.lease().await?;
        let seqs = sqlx::query_scalar::<_, i64>(
            "WITH relaxed AS (SELECT set_config('synchronous_commit', 'off', true)), \
             drawn AS (SELECT nextval((SELECT pg_get_serial_sequence('audit_event', 'seq')::regclass)) \
                              AS seq \
                       FROM generate_series(1, $1), relaxed), \
             numbered AS (SELECT seq, row_number() OVER (ORDER BY seq) AS n FROM drawn), \
             stored AS (INSERT INTO audit_event (seq, at, practice, body) OVERRIDING SYSTEM VALUE \
                        SELECT numbered.seq, e.at, e.practice, e.body FROM numbered \
                        JOIN UNNEST($2::BIGINT[], $3::TEXT[], $4::TEXT[]) \
                             WITH ORDINALITY AS e(at, practice, body, n) USING (n) \
                        RETURNING seq) \
             SELECT seq FROM stored",
        )
        .bind(count)
        .bind(&at)
        .bind(&practice)
        .bind(&body)
        .fetch_all(lease.conn())
        .await;
        let mut seqs: Vec<i64> = lease.finish(seqs).map_err(backend)?;
        if seqs.len() != events.len() {
            return Err(StoreError::Backend(format!(
                "{} audit events were stored for a batch of {}",
                seqs.len(),
                events.len()
            )));
        }
        seqs.sort_unstable();
        Ok(seqs)
    }

    async fn audit_events(
        &self,
        practice: Option<&OdsCode>,
        limit: u32,
    ) -> Result<Vec<AuditEvent>> {
        self.fetch_all(&sql::audit_events(practice, limit)).await
    }
}
