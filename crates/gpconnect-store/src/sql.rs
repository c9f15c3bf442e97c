//! The SQL statements both back ends run as they are, with the typed column values of the
//! records they read or write. Parameters are written `$1`…`$n`, which SQLite and PostgreSQL
//! both accept; each back end binds the [`Param`]s with its own driver and keeps to itself the
//! statements, transactions and locks that differ.

use gpconnect_domain::records::{
    AppointmentRecord, AuditEvent, BookingLimit, BookingParty, LocationRecord, OrganizationRecord,
    PatientRecord, Practice, PractitionerRecord, ScheduleRecord, SlotRecord,
};
use gpconnect_domain::{FhirId, NhsNumber, OdsCode, UkDateTime};

use crate::body::{encode, first_version, Body};
use crate::rows::PRACTICE_COLUMNS;
use crate::Result;

/// A value bound to a statement parameter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Param {
    /// A text value.
    Text(String),
    /// A text value or NULL.
    NullableText(Option<String>),
    /// A 64-bit integer (versions, Unix seconds, limits).
    Int(i64),
    /// A boolean.
    Bool(bool),
}

fn text(value: &str) -> Param {
    Param::Text(value.to_owned())
}

/// One SQL statement and the values of its `$1`…`$n` parameters, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The SQL text.
    pub sql: String,
    /// The parameter values.
    pub params: Vec<Param>,
}

impl Statement {
    fn new(sql: impl Into<String>, params: Vec<Param>) -> Self {
        Self {
            sql: sql.into(),
            params,
        }
    }
}

/// A practice record kept in a table of its own kind, keyed by practice and id.
pub trait Stored: Body {
    /// The table holding this kind of record.
    const TABLE: &'static str;
    /// The typed columns between `version` and `body`, which searches use.
    const COLUMNS: &'static [&'static str];
    /// The practice the record belongs to.
    fn practice(&self) -> &OdsCode;
    /// The record's logical id.
    fn id(&self) -> &FhirId;
    /// The record's version.
    fn version(&self) -> i64;
    /// Whether a free-slot search can return this kind of record (or something derived from
    /// it), so that writing one changes the practice's `diary_version` ([`bump_diary`]).
    const IN_DIARY: bool;
    /// The values of [`Stored::COLUMNS`], in that order.
    fn column_values(&self) -> Vec<Param>;
}

macro_rules! stored {
    ($($t:ty => $table:literal $in_diary:literal [$($column:literal),*] |$r:ident| $values:expr;)*) => {$(
        impl Stored for $t {
            const TABLE: &'static str = $table;
            const IN_DIARY: bool = $in_diary;
            const COLUMNS: &'static [&'static str] = &[$($column),*];
            fn practice(&self) -> &OdsCode {
                &self.practice
            }
            fn id(&self) -> &FhirId {
                &self.id
            }
            fn version(&self) -> i64 {
                self.version
            }
            fn column_values(&self) -> Vec<Param> {
                let $r = self;
                $values
            }
        }
    )*};
}

stored! {
    OrganizationRecord => "organization" true ["ods_code"] |r| vec![text(r.ods_code.as_str())];
    LocationRecord => "location" true [] |_r| Vec::new();
    PractitionerRecord => "practitioner" true ["sds_user_id"]
        |r| vec![Param::NullableText(r.sds_user_id.clone())];
    PatientRecord => "patient" false ["nhs_number"] |r| vec![text(r.nhs_number.as_str())];
    ScheduleRecord => "schedule" true [] |_r| Vec::new();
    SlotRecord => "slot" true ["schedule_id", "start_at", "end_at", "status"] |r| vec![
        text(r.schedule.as_str()),
        Param::Int(r.start.unix_seconds()),
        Param::Int(r.end.unix_seconds()),
        text(r.status.code()),
    ];
    AppointmentRecord => "appointment" false ["patient_id", "start_at", "end_at", "status"] |r| vec![
        text(r.patient.as_str()),
        Param::Int(r.start.unix_seconds()),
        Param::Int(r.end.unix_seconds()),
        text(r.status.code()),
    ];
}

/// Stores `record` at version 1: the record as stored and the `INSERT`.
pub fn insert<R: Stored>(record: &R) -> Result<(R, Statement)> {
    let record = first_version(record);
    let columns = ["practice", "id", "version"]
        .iter()
        .chain(R::COLUMNS)
        .chain(&["body"])
        .copied()
        .collect::<Vec<_>>();
    let placeholders = (1..=columns.len())
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>();
    let mut params = vec![
        text(record.practice().as_str()),
        text(record.id().as_str()),
        Param::Int(1),
    ];
    params.extend(record.column_values());
    params.push(Param::Text(encode(&record)?));
    let sql = format!(
        "INSERT INTO {} ({}) VALUES ({})",
        R::TABLE,
        columns.join(", "),
        placeholders.join(", ")
    );
    Ok((record, Statement::new(sql, params)))
}

/// Replaces a record's row with `record`, at `record.version()`.
pub fn update<R: Stored>(record: &R) -> Result<Statement> {
    let mut params = vec![Param::Int(record.version())];
    params.extend(record.column_values());
    params.push(Param::Text(encode(record)?));
    let n = params.len();
    let set = ["version"]
        .iter()
        .chain(R::COLUMNS)
        .chain(&["body"])
        .enumerate()
        .map(|(i, column)| format!("{column} = ${}", i + 1))
        .collect::<Vec<_>>();
    params.push(text(record.practice().as_str()));
    params.push(text(record.id().as_str()));
    let sql = format!(
        "UPDATE {} SET {} WHERE practice = ${} AND id = ${}",
        R::TABLE,
        set.join(", "),
        n + 1,
        n + 2
    );
    Ok(Statement::new(sql, params))
}

fn keyed(sql: String, practice: &OdsCode, id: &FhirId) -> Statement {
    Statement::new(sql, vec![text(practice.as_str()), text(id.as_str())])
}

/// Reads the `(version, body)` row of one record.
pub fn by_id<R: Stored>(practice: &OdsCode, id: &FhirId) -> Statement {
    keyed(
        format!(
            "SELECT version, body FROM {} WHERE practice = $1 AND id = $2",
            R::TABLE
        ),
        practice,
        id,
    )
}

/// Reads the stored version of one record.
pub fn version_of<R: Stored>(practice: &OdsCode, id: &FhirId) -> Statement {
    keyed(
        format!(
            "SELECT version FROM {} WHERE practice = $1 AND id = $2",
            R::TABLE
        ),
        practice,
        id,
    )
}

/// Every practice, ordered by ODS code, as `PracticeRow`s.
pub fn practices() -> Statement {
    Statement::new(format!("{PRACTICE_COLUMNS} ORDER BY ods"), Vec::new())
}

/// One practice, as a `PracticeRow`.
pub fn practice(ods: &OdsCode) -> Statement {
    Statement::new(
        format!("{PRACTICE_COLUMNS} WHERE ods = $1"),
        vec![text(ods.as_str())],
    )
}

/// Counts the practices.
pub fn count_practices() -> Statement {
    Statement::new("SELECT COUNT(*) FROM practice", Vec::new())
}

/// Adds a practice. Its `diary_version` starts at a random non-negative value (the one in `p`
/// is ignored), so that a practice deleted and loaded again (a demo reset) does not repeat a
/// version a cache may still hold answers for.
pub fn insert_practice(p: &Practice) -> Statement {
    let (high, _) = uuid::Uuid::new_v4().as_u64_pair();
    // 62 random bits: far from overflowing however many changes follow.
    let start = i64::try_from(high >> 2).unwrap_or_default();
    Statement::new(
        "INSERT INTO practice (ods, asid, organization_id, name, gp_connect_enabled, \
         appointments_enabled, diary_version) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        vec![
            text(p.ods.as_str()),
            text(p.asid.as_str()),
            text(p.organization_id.as_str()),
            text(&p.name),
            Param::Bool(p.gp_connect_enabled),
            Param::Bool(p.appointments_enabled),
            Param::Int(start),
        ],
    )
}

/// Moves a practice's `diary_version` on. Every transaction that changes what a free-slot
/// search of the practice returns runs it, as its last statement. (PostgreSQL moves the
/// version on without updating the practice row, so that concurrent transactions do not queue
/// for it: its store does not use this statement.)
pub fn bump_diary(practice: &OdsCode) -> Statement {
    Statement::new(
        "UPDATE practice SET diary_version = diary_version + 1 WHERE ods = $1",
        vec![text(practice.as_str())],
    )
}

/// Switches a practice's GP Connect and Appointment Management flags.
pub fn set_practice_enablement(
    ods: &OdsCode,
    gp_connect_enabled: bool,
    appointments_enabled: bool,
) -> Statement {
    Statement::new(
        "UPDATE practice SET gp_connect_enabled = $1, appointments_enabled = $2 WHERE ods = $3",
        vec![
            Param::Bool(gp_connect_enabled),
            Param::Bool(appointments_enabled),
            text(ods.as_str()),
        ],
    )
}

/// Organisations with this ODS code, ordered by id.
pub fn organizations_by_ods_code(practice: &OdsCode, ods_code: &OdsCode) -> Statement {
    keyed_by(
        "SELECT version, body FROM organization WHERE practice = $1 AND ods_code = $2 \
         ORDER BY id",
        practice,
        ods_code.as_str(),
    )
}

/// Practitioners with this SDS user id, ordered by id.
pub fn practitioners_by_sds_user_id(practice: &OdsCode, sds_user_id: &str) -> Statement {
    keyed_by(
        "SELECT version, body FROM practitioner WHERE practice = $1 AND sds_user_id = $2 \
         ORDER BY id",
        practice,
        sds_user_id,
    )
}

/// The patient with this NHS number.
pub fn patient_by_nhs_number(practice: &OdsCode, nhs_number: &NhsNumber) -> Statement {
    keyed_by(
        "SELECT version, body FROM patient WHERE practice = $1 AND nhs_number = $2",
        practice,
        nhs_number.as_str(),
    )
}

fn keyed_by(sql: &str, practice: &OdsCode, value: &str) -> Statement {
    Statement::new(sql, vec![text(practice.as_str()), text(value)])
}

/// Reads one slot as a `SlotRow`.
pub fn slot_by_id(practice: &OdsCode, id: &FhirId) -> Statement {
    keyed(
        "SELECT version, status, body FROM slot WHERE practice = $1 AND id = $2".into(),
        practice,
        id,
    )
}

fn in_range(sql: &str, practice: &OdsCode, from: UkDateTime, to: UkDateTime) -> Statement {
    Statement::new(
        sql,
        vec![
            text(practice.as_str()),
            Param::Int(from.unix_seconds()),
            Param::Int(to.unix_seconds()),
        ],
    )
}

/// Free slots lying fully inside `[from, to]`, as `SlotRow`s ordered by start then id.
pub fn free_slots(practice: &OdsCode, from: UkDateTime, to: UkDateTime) -> Statement {
    // SPEC 3.10: slots must lie fully inside the range. `start_at <= $3` follows from that but
    // bounds the index range scan, which would otherwise run to the end of the diary.
    in_range(
        "SELECT version, status, body FROM slot \
         WHERE practice = $1 AND status = 'free' AND start_at >= $2 AND start_at <= $3 \
         AND end_at <= $3 ORDER BY start_at, id",
        practice,
        from,
        to,
    )
}

/// The schedules of the slots [`free_slots`] finds, ordered by id.
pub fn free_slot_schedules(practice: &OdsCode, from: UkDateTime, to: UkDateTime) -> Statement {
    in_range(
        "SELECT version, body FROM schedule WHERE practice = $1 AND id IN \
         (SELECT schedule_id FROM slot WHERE practice = $1 AND status = 'free' \
          AND start_at >= $2 AND start_at <= $3 AND end_at <= $3) ORDER BY id",
        practice,
        from,
        to,
    )
}

/// A patient's appointments starting in `[lower, upper)` Unix seconds, ordered by start then id.
pub fn patient_appointments(
    practice: &OdsCode,
    patient: &FhirId,
    lower: i64,
    upper: i64,
) -> Statement {
    Statement::new(
        "SELECT version, body FROM appointment \
         WHERE practice = $1 AND patient_id = $2 AND start_at >= $3 AND start_at < $4 \
         ORDER BY start_at, id",
        vec![
            text(practice.as_str()),
            text(patient.as_str()),
            Param::Int(lower),
            Param::Int(upper),
        ],
    )
}

/// Marks a slot busy if it is free, adding `version_step` to its version.
pub fn take_slot(practice: &OdsCode, slot: &FhirId, version_step: i64) -> Statement {
    Statement::new(
        "UPDATE slot SET status = 'busy', version = version + $1 \
         WHERE practice = $2 AND id = $3 AND status = 'free'",
        vec![
            Param::Int(version_step),
            text(practice.as_str()),
            text(slot.as_str()),
        ],
    )
}

/// Records that `appointment` holds `slot`; the key admits one booking per slot. The row
/// keeps the slot's start and the organisation the booking was made for, which the SPEC 5
/// organisation access limits count.
pub fn book_slot(
    practice: &OdsCode,
    slot: &FhirId,
    appointment: &FhirId,
    booked_for: Option<&BookingParty>,
) -> Statement {
    Statement::new(
        "INSERT INTO slot_booking (practice, slot_id, appointment_id, slot_start, org_ods, \
         org_type) SELECT $1, $2, $3, start_at, $4, $5 FROM slot \
         WHERE practice = $1 AND id = $2",
        vec![
            text(practice.as_str()),
            text(slot.as_str()),
            text(appointment.as_str()),
            Param::NullableText(
                booked_for.and_then(|p| p.ods_code.as_ref().map(|c| c.as_str().to_owned())),
            ),
            Param::NullableText(booked_for.and_then(|p| p.org_type.clone())),
        ],
    )
}

/// The slots held by bookings made for an organisation, starting in `[from, to)` (Unix
/// seconds), as `(slot_start, org_ods, org_type)` rows (either may be NULL, not both).
pub fn booked_slots(practice: &OdsCode, from: i64, to: i64) -> Statement {
    Statement::new(
        "SELECT slot_start, org_ods, org_type FROM slot_booking \
         WHERE practice = $1 AND slot_start >= $2 AND slot_start < $3 \
         AND (org_ods IS NOT NULL OR org_type IS NOT NULL)",
        vec![text(practice.as_str()), Param::Int(from), Param::Int(to)],
    )
}

/// Adds an organisation access limit (the type and code lists as JSON arrays of strings).
pub fn insert_booking_limit(limit: &BookingLimit) -> Result<Statement> {
    let json = |codes: Vec<&str>| {
        serde_json::to_string(&codes)
            .map_err(|e| crate::StoreError::Backend(format!("cannot encode a booking limit: {e}")))
    };
    Ok(Statement::new(
        "INSERT INTO booking_limit (practice, id, name, org_types, ods_codes, slots_per_day) \
         VALUES ($1, $2, $3, $4, $5, $6)",
        vec![
            text(limit.practice.as_str()),
            text(limit.id.as_str()),
            text(&limit.name),
            Param::Text(json(limit.org_types.iter().map(|t| t.code()).collect())?),
            Param::Text(json(limit.ods_codes.iter().map(OdsCode::as_str).collect())?),
            Param::Int(i64::from(limit.slots_per_day)),
        ],
    ))
}

/// Deletes one organisation access limit.
pub fn delete_booking_limit(practice: &OdsCode, id: &FhirId) -> Statement {
    keyed(
        "DELETE FROM booking_limit WHERE practice = $1 AND id = $2".into(),
        practice,
        id,
    )
}

/// A practice's organisation access limits by id, as `(id, name, org_types, ods_codes,
/// slots_per_day)` rows.
pub fn booking_limits(practice: &OdsCode) -> Statement {
    Statement::new(
        "SELECT id, name, org_types, ods_codes, slots_per_day FROM booking_limit \
         WHERE practice = $1 ORDER BY id",
        vec![text(practice.as_str())],
    )
}

/// Deletes an appointment's slot bookings, returning the slot ids.
pub fn release_bookings(practice: &OdsCode, appointment: &FhirId) -> Statement {
    keyed(
        "DELETE FROM slot_booking WHERE practice = $1 AND appointment_id = $2 \
         RETURNING slot_id"
            .into(),
        practice,
        appointment,
    )
}

/// Marks a busy slot free at its next version.
pub fn free_slot(practice: &OdsCode, slot: &str) -> Statement {
    keyed_by(
        "UPDATE slot SET status = 'free', version = version + 1 \
         WHERE practice = $1 AND id = $2 AND status = 'busy'",
        practice,
        slot,
    )
}

/// Deletes every row of `table`, one of [`crate::rows::PRACTICE_TABLES`].
pub fn delete_all(table: &str) -> Statement {
    Statement::new(format!("DELETE FROM {table}"), Vec::new())
}

/// Appends an audit event, returning its sequence number.
pub fn append_audit(event: &AuditEvent) -> Result<Statement> {
    Ok(Statement::new(
        "INSERT INTO audit_event (at, practice, body) VALUES ($1, $2, $3) RETURNING seq",
        vec![
            Param::Int(event.at.unix_seconds()),
            Param::NullableText(event.practice.as_ref().map(|p| p.as_str().to_owned())),
            Param::Text(encode(event)?),
        ],
    ))
}

/// The latest `limit` audit events (of one practice, or all), newest first, as
/// `(seq, body)` rows.
pub fn audit_events(practice: Option<&OdsCode>, limit: u32) -> Statement {
    match practice {
        Some(p) => Statement::new(
            "SELECT seq, body FROM audit_event WHERE practice = $1 ORDER BY seq DESC LIMIT $2",
            vec![text(p.as_str()), Param::Int(i64::from(limit))],
        ),
        None => Statement::new(
            "SELECT seq, body FROM audit_event ORDER BY seq DESC LIMIT $1",
            vec![Param::Int(i64::from(limit))],
        ),
    }
}
