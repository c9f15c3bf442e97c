//! The storage interface of the GP Connect provider and its contract test suite.
//!
//! One [`Store`] holds every hosted practice; each method is scoped by the practice ODS code.
//! Back ends (SQLite, PostgreSQL) live in their own crates and must pass [`contract`].
//! What they do alike lives here: [`body`] (records to and from their JSON column), [`rows`]
//! (row mapping, version arithmetic, booking checks) and [`sql`] (the statements both run);
//! each back end keeps its own transactions and locks.
//!
//! Versions: inserting a record stores it at version 1 (the `version` passed in is ignored) and
//! every later change stores `version + 1`; the returned record carries the stored version.
//!
//! Every method is required: a store that cannot do something (e.g. a test double holding only
//! part of the data) says so explicitly with [`StoreError::Backend`]. The only exceptions are
//! the reads of several records at once, whose default reads them one by one through the
//! required methods; a networked back end overrides them to read in one round trip.

use std::fmt::Debug;

use async_trait::async_trait;
use gpconnect_domain::records::{
    AppointmentRecord, AuditEvent, BookedSlot, BookingLimit, LocationRecord, NewAppointment,
    OrganizationRecord, PatientRecord, Practice, PractitionerRecord, Provenance, ScheduleRecord,
    SlotRecord,
};
use gpconnect_domain::{FhirId, NhsNumber, OdsCode, UkDateTime};
use jiff::civil::Date;

pub mod background;
pub mod body;
pub mod contract;
pub mod rows;
pub mod sql;

/// Why a storage call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The record (or the practice) does not exist.
    #[error("record not found")]
    NotFound,
    /// The caller's expected version is stale (SPEC 2.7: 409 on If-Match mismatch).
    #[error("version conflict: the current version is {current}")]
    VersionConflict { current: i64 },
    /// A slot asked for is not free or is already booked (SPEC 3.11: 409 DUPLICATE_REJECTED).
    #[error("a requested slot is not free")]
    SlotUnavailable,
    /// A record with the same id, or another unique key (e.g. NHS number), already exists.
    #[error("a record with the same identity already exists")]
    Duplicate,
    /// The request cannot be carried out as asked, e.g. a booking without slots or cancelling an
    /// appointment that is already cancelled.
    #[error("invalid request: {0}")]
    Invalid(String),
    /// The database failed or held data that could not be read back.
    #[error("storage failure: {0}")]
    Backend(String),
}

/// Shorthand for results of storage calls.
pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Free slots found by [`Store::free_slots`] and the schedules they belong to.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FreeSlots {
    /// Ordered by start, then id.
    pub slots: Vec<SlotRecord>,
    /// Every schedule referenced by `slots`, once each, ordered by id.
    pub schedules: Vec<ScheduleRecord>,
}

/// What a booking checks before it is made, read by [`Store::booking_records`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BookingRecords {
    /// The patient, whatever their status.
    pub patient: Option<PatientRecord>,
    /// Each slot asked for, in the order asked for; `None` for an id that does not exist.
    pub slots: Vec<Option<SlotRecord>>,
    /// The schedules of the slots that exist, once each, ordered by id.
    pub schedules: Vec<ScheduleRecord>,
}

/// Everything needed to load one or more practices into an empty store (see [`Store::seed`]).
///
/// Appointments keep the ids given here; non-cancelled ones take their slots as a booking does.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dataset {
    pub practices: Vec<Practice>,
    pub organizations: Vec<OrganizationRecord>,
    pub locations: Vec<LocationRecord>,
    pub practitioners: Vec<PractitionerRecord>,
    pub patients: Vec<PatientRecord>,
    pub schedules: Vec<ScheduleRecord>,
    pub slots: Vec<SlotRecord>,
    pub appointments: Vec<AppointmentRecord>,
    /// Organisation access limits (SPEC 5).
    pub booking_limits: Vec<BookingLimit>,
}

/// The provider's storage. Every method is scoped by the practice ODS code; ids are unique per
/// practice and record kind.
#[async_trait]
pub trait Store: Send + Sync + Debug + 'static {
    // Practices

    /// Every hosted practice, ordered by ODS code.
    async fn practices(&self) -> Result<Vec<Practice>>;
    /// The practice with this ODS code.
    async fn get_practice(&self, ods: &OdsCode) -> Result<Option<Practice>>;
    /// Adds a practice; `Duplicate` if its ODS code is taken.
    async fn insert_practice(&self, practice: &Practice) -> Result<()>;
    /// Switches GP Connect and Appointment Management on or off (SPEC 2.13); `NotFound` for an
    /// unknown practice.
    async fn set_practice_enablement(
        &self,
        ods: &OdsCode,
        gp_connect_enabled: bool,
        appointments_enabled: bool,
    ) -> Result<Practice>;

    // Organisations

    /// The organisation with this logical id.
    async fn get_organization(
        &self,
        practice: &OdsCode,
        id: &FhirId,
    ) -> Result<Option<OrganizationRecord>>;
    /// Organisations whose ODS code is `ods_code` (SPEC 3.7), ordered by id.
    async fn find_organizations_by_ods_code(
        &self,
        practice: &OdsCode,
        ods_code: &OdsCode,
    ) -> Result<Vec<OrganizationRecord>>;
    /// Adds an organisation at version 1; `Duplicate` if the id is taken.
    async fn insert_organization(&self, record: &OrganizationRecord) -> Result<OrganizationRecord>;

    // Locations

    /// The location with this logical id.
    async fn get_location(&self, practice: &OdsCode, id: &FhirId)
        -> Result<Option<LocationRecord>>;
    /// The locations with these logical ids that exist, in the order of `ids` (a networked
    /// back end reads them in one round trip).
    async fn get_locations(
        &self,
        practice: &OdsCode,
        ids: &[FhirId],
    ) -> Result<Vec<LocationRecord>> {
        let mut found = Vec::with_capacity(ids.len());
        for id in ids {
            found.extend(self.get_location(practice, id).await?);
        }
        Ok(found)
    }
    /// Adds a location at version 1; `Duplicate` if the id is taken.
    async fn insert_location(&self, record: &LocationRecord) -> Result<LocationRecord>;

    // Practitioners

    /// The practitioner with this logical id.
    async fn get_practitioner(
        &self,
        practice: &OdsCode,
        id: &FhirId,
    ) -> Result<Option<PractitionerRecord>>;
    /// The practitioners with these logical ids that exist, in the order of `ids` (a networked
    /// back end reads them in one round trip).
    async fn get_practitioners(
        &self,
        practice: &OdsCode,
        ids: &[FhirId],
    ) -> Result<Vec<PractitionerRecord>> {
        let mut found = Vec::with_capacity(ids.len());
        for id in ids {
            found.extend(self.get_practitioner(practice, id).await?);
        }
        Ok(found)
    }
    /// Practitioners with this SDS user id (SPEC 3.5), ordered by id.
    async fn find_practitioners_by_sds_user_id(
        &self,
        practice: &OdsCode,
        sds_user_id: &str,
    ) -> Result<Vec<PractitionerRecord>>;
    /// Adds a practitioner at version 1; `Duplicate` if the id is taken.
    async fn insert_practitioner(&self, record: &PractitionerRecord) -> Result<PractitionerRecord>;

    // Patients

    /// The patient with this logical id, whatever their status.
    async fn get_patient(&self, practice: &OdsCode, id: &FhirId) -> Result<Option<PatientRecord>>;
    /// The practice's record for this NHS number, whatever its status (one per practice).
    async fn find_patient_by_nhs_number(
        &self,
        practice: &OdsCode,
        nhs_number: &NhsNumber,
    ) -> Result<Option<PatientRecord>>;
    /// Adds a patient at version 1; `Duplicate` if the id or the NHS number is taken at this
    /// practice (SPEC 3.4 duplicate prevention holds even for two concurrent registrations).
    async fn insert_patient(&self, record: &PatientRecord) -> Result<PatientRecord>;
    /// Replaces a patient if its stored version is `expected_version`, storing the next version;
    /// `VersionConflict` otherwise, `NotFound` if absent, `Duplicate` if the NHS number is taken
    /// by another record.
    async fn update_patient(
        &self,
        record: &PatientRecord,
        expected_version: i64,
    ) -> Result<PatientRecord>;

    /// The patient, the slots and their schedules a booking checks (a networked back end
    /// reads them in one round trip, as one snapshot).
    async fn booking_records(
        &self,
        practice: &OdsCode,
        patient: &FhirId,
        slots: &[FhirId],
    ) -> Result<BookingRecords> {
        let patient = self.get_patient(practice, patient).await?;
        let mut found = Vec::with_capacity(slots.len());
        for id in slots {
            found.push(self.get_slot(practice, id).await?);
        }
        let ids: std::collections::BTreeSet<&FhirId> =
            found.iter().flatten().map(|s| &s.schedule).collect();
        let mut schedules = Vec::with_capacity(ids.len());
        for id in ids {
            schedules.extend(self.get_schedule(practice, id).await?);
        }
        Ok(BookingRecords {
            patient,
            slots: found,
            schedules,
        })
    }

    // Appointment diary

    /// The schedule with this logical id.
    async fn get_schedule(&self, practice: &OdsCode, id: &FhirId)
        -> Result<Option<ScheduleRecord>>;
    /// Adds a schedule at version 1; `Duplicate` if the id is taken.
    async fn insert_schedule(&self, record: &ScheduleRecord) -> Result<ScheduleRecord>;
    /// Replaces a schedule (e.g. to move its planning horizon) if its stored version is
    /// `expected_version`, storing the next version; `VersionConflict` otherwise, `NotFound` if
    /// absent. Its slots are not changed.
    async fn update_schedule(
        &self,
        record: &ScheduleRecord,
        expected_version: i64,
    ) -> Result<ScheduleRecord>;
    /// The slot with this logical id, whatever its status.
    async fn get_slot(&self, practice: &OdsCode, id: &FhirId) -> Result<Option<SlotRecord>>;
    /// Adds a slot at version 1; `Duplicate` if the id is taken, `NotFound` if its schedule
    /// does not exist.
    async fn insert_slot(&self, record: &SlotRecord) -> Result<SlotRecord>;
    /// Adds, in one transaction, every slot in `records` whose id is not taken yet (at version
    /// 1) and returns how many were added. A slot whose id exists already is left exactly as
    /// stored, since it may be booked; an id listed twice is added once. `NotFound`, and
    /// nothing added, if a new slot's schedule does not exist.
    async fn insert_slots(&self, records: &[SlotRecord]) -> Result<usize>;
    /// Free slots lying fully inside `[from, to]` (SPEC 3.10: `start >= from` and `end <= to`;
    /// straddling slots are excluded), with their schedules. Availability rules (SPEC 5) are
    /// the caller's: see `gpconnect_domain::records::slot_visible_to`.
    async fn free_slots(
        &self,
        practice: &OdsCode,
        from: UkDateTime,
        to: UkDateTime,
    ) -> Result<FreeSlots>;

    // Appointments

    /// Books an appointment: in one transaction checks that every slot in `new.slots` exists
    /// (`NotFound`) and is free and unbooked (`SlotUnavailable`), marks them busy (a new slot
    /// version) and stores the appointment at version 1 under a new id. The database
    /// guarantees at most one non-cancelled appointment per slot, across processes.
    ///
    /// SPEC 5: a booking made for an organisation (`new.booked_for`) is refused with `Invalid`
    /// (naming the limit) when it would take the organisations an access limit covers beyond
    /// the limit's slots on a day; the check and the booking are one transaction, so
    /// concurrent bookings cannot go beyond it together.
    async fn book(&self, new: &NewAppointment) -> Result<AppointmentRecord>;

    // Organisation access limits (SPEC 5)

    /// Adds an organisation access limit; `Duplicate` if the practice has one with its id,
    /// `NotFound` for an unknown practice. Moves the practice's diary version on, since
    /// searches show its effect.
    async fn insert_booking_limit(&self, limit: &BookingLimit) -> Result<()>;
    /// Removes an organisation access limit; `NotFound` if the practice has none with that id.
    /// Moves the practice's diary version on.
    async fn delete_booking_limit(&self, practice: &OdsCode, id: &FhirId) -> Result<()>;
    /// The practice's organisation access limits, ordered by id.
    async fn booking_limits(&self, practice: &OdsCode) -> Result<Vec<BookingLimit>>;
    /// The slots held by non-cancelled bookings made for an organisation (through GP Connect)
    /// that start on the UK days `from` to `to` (both included), in no particular order.
    async fn booked_slots(
        &self,
        practice: &OdsCode,
        from: Date,
        to: Date,
    ) -> Result<Vec<BookedSlot>>;
    /// The appointment with this logical id, whatever its status.
    async fn get_appointment(
        &self,
        practice: &OdsCode,
        id: &FhirId,
    ) -> Result<Option<AppointmentRecord>>;
    /// The patient's appointments of every status whose start falls on a UK date in
    /// `[from, to]` (SPEC 3.15), ordered by start then id.
    async fn patient_appointments(
        &self,
        practice: &OdsCode,
        patient: &FhirId,
        from: Date,
        to: Date,
    ) -> Result<Vec<AppointmentRecord>>;
    /// Replaces an appointment (an amend, SPEC 3.13) if its stored version is
    /// `expected_version`, storing the next version. `slots` and `status` are kept as stored:
    /// only [`Store::book`] and [`Store::cancel_appointment`] change them.
    async fn update_appointment(
        &self,
        record: &AppointmentRecord,
        expected_version: i64,
    ) -> Result<AppointmentRecord>;
    /// Cancels an appointment (SPEC 3.14) if its stored version is `expected_version`: sets the
    /// status and reason, records who did it, and frees its slots in the same transaction.
    /// `Invalid` if it is already cancelled.
    async fn cancel_appointment(
        &self,
        practice: &OdsCode,
        id: &FhirId,
        reason: &str,
        expected_version: i64,
        provenance: &Provenance,
    ) -> Result<AppointmentRecord>;

    // Loading and audit

    /// Loads `dataset` in one transaction if, and only if, the store holds no practice yet.
    /// Returns whether it loaded. Two processes starting at once load it once between them.
    async fn seed(&self, dataset: &Dataset) -> Result<bool>;
    /// Whether the store holds no practice.
    async fn is_empty(&self) -> Result<bool>;
    /// Deletes every practice's records (practices, organisations, locations, practitioners,
    /// patients, schedules, slots, appointments and their slot bookings) in one transaction,
    /// so that [`Store::is_empty`] is true and [`Store::seed`] loads afresh, e.g. before an
    /// assurance run on fresh demo data. The audit trail is kept whole (SPEC 2.13: audit
    /// cannot be disabled or lost) and its sequence numbers carry on. A reset and a seeding
    /// never overlap, across processes; writes made meanwhile wait for the reset and then
    /// find their practice gone.
    async fn reset_practice_data(&self) -> Result<()>;
    /// Appends an audit event (its `seq` is ignored) and returns the sequence number assigned,
    /// greater than every earlier one.
    async fn append_audit(&self, event: &AuditEvent) -> Result<i64>;
    /// Appends `events` in order in one transaction, all or none (their `seq`s are ignored),
    /// and returns the sequence numbers assigned, one per event in the same order: strictly
    /// increasing and greater than every earlier one. An empty batch stores nothing.
    async fn append_audit_batch(&self, events: &[AuditEvent]) -> Result<Vec<i64>>;
    /// The latest `limit` audit events for `practice` (every event when `None`), newest first.
    async fn audit_events(&self, practice: Option<&OdsCode>, limit: u32)
        -> Result<Vec<AuditEvent>>;
}
