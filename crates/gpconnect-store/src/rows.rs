//! What every SQL back end does the same way around its statements: reading practice and slot
//! rows back, the version arithmetic of changes, checking and naming a new booking, and how a
//! seeded dataset's slots and appointments are stored. Each back end keeps only its SQL and its
//! transaction and locking strategy.

use gpconnect_domain::records::{
    AppointmentRecord, AppointmentStatus, BookedSlot, BookingLimit, BookingParty, NewAppointment,
    OrgType, Practice, Provenance, SlotRecord, SlotStatus,
};
use gpconnect_domain::{Asid, FhirId, OdsCode, UkDateTime};
use jiff::civil::Date;

use crate::body::decode;
use crate::{Dataset, Result, StoreError};

/// The tables holding practice records, children before parents so that deleting them in this
/// order satisfies the foreign keys. `audit_event` is not one of them (SPEC 2.13).
pub const PRACTICE_TABLES: [&str; 10] = [
    "slot_booking",
    "booking_limit",
    "appointment",
    "slot",
    "schedule",
    "patient",
    "practitioner",
    "location",
    "organization",
    "practice",
];

/// The query reading [`PracticeRow`]s, to be followed by a `WHERE` or `ORDER BY` clause.
pub const PRACTICE_COLUMNS: &str =
    "SELECT ods, asid, organization_id, name, gp_connect_enabled, appointments_enabled, \
     diary_version FROM practice";

/// A practice row as [`PRACTICE_COLUMNS`] reads it.
pub type PracticeRow = (String, String, String, String, bool, bool, i64);

/// Reads a practice row back; stored codes that no longer parse are a `Backend` error.
pub fn practice_from_row(
    (ods, asid, organization_id, name, gp, appts, diary_version): PracticeRow,
) -> Result<Practice> {
    let corrupt = |what: &str| StoreError::Backend(format!("stored practice has a bad {what}"));
    Ok(Practice {
        ods: OdsCode::parse(&ods).map_err(|_| corrupt("ODS code"))?,
        asid: Asid::parse(&asid).map_err(|_| corrupt("ASID"))?,
        organization_id: FhirId::parse(&organization_id).map_err(|_| corrupt("organisation id"))?,
        name,
        gp_connect_enabled: gp,
        appointments_enabled: appts,
        diary_version,
    })
}

/// A `(version, status, body)` slot row.
pub type SlotRow = (i64, String, String);

/// Reads a slot row back.
pub fn slot_from_row((version, status, body): SlotRow) -> Result<SlotRecord> {
    slot_from_parts(version, &status, &body)
}

/// Reads a slot back from its `version`, `status` and `body` columns.
pub fn slot_from_parts(version: i64, status: &str, body: &str) -> Result<SlotRecord> {
    let mut slot: SlotRecord = decode(body, version)?;
    // The status column is authoritative: booking and cancelling change only it.
    slot.status = SlotStatus::from_code(status)
        .ok_or_else(|| StoreError::Backend(format!("stored slot has status {status}")))?;
    Ok(slot)
}

/// The version a change stores, if the stored version is the one the caller expected:
/// `VersionConflict` otherwise (SPEC 2.7).
pub fn next_version(current: i64, expected_version: i64) -> Result<i64> {
    if current != expected_version {
        return Err(StoreError::VersionConflict { current });
    }
    Ok(current + 1)
}

/// The `[lower, upper)` Unix-second bounds of the UK dates `from` to `to` inclusive
/// (SPEC 3.15: appointments are found by the UK date of their start).
pub fn uk_day_bounds(from: Date, to: Date) -> (i64, i64) {
    let day_start = |date: Date| UkDateTime::start_of_uk_day(date).unix_seconds();
    (
        day_start(from),
        to.tomorrow().map(day_start).unwrap_or(i64::MAX),
    )
}

/// Checks a booking's slot list and gives the appointment to store: version 1 under a new id.
/// `Invalid` if it lists no slot or a slot twice.
pub fn new_booking(new: &NewAppointment) -> Result<AppointmentRecord> {
    if new.slots.is_empty() {
        return Err(StoreError::Invalid(
            "a booking needs at least one slot".into(),
        ));
    }
    let mut distinct = new.slots.clone();
    distinct.sort();
    distinct.dedup();
    if distinct.len() != new.slots.len() {
        return Err(StoreError::Invalid("a slot is listed twice".into()));
    }
    let id = FhirId::parse(&uuid::Uuid::new_v4().to_string())
        .map_err(|e| StoreError::Backend(format!("generated id rejected: {e}")))?;
    Ok(new.clone().into_record(id, 1))
}

/// An amended appointment (SPEC 3.13) at the next version: the caller's record with the stored
/// slots and status, which only booking and cancelling change.
pub fn amended(stored: AppointmentRecord, record: AppointmentRecord) -> AppointmentRecord {
    AppointmentRecord {
        version: stored.version + 1,
        slots: stored.slots,
        status: stored.status,
        ..record
    }
}

/// The stored appointment cancelled (SPEC 3.14) at the next version, with the reason and who
/// did it; `Invalid` if it is already cancelled.
pub fn cancelled(
    stored: AppointmentRecord,
    reason: String,
    provenance: Provenance,
) -> Result<AppointmentRecord> {
    if stored.status == AppointmentStatus::Cancelled {
        return Err(StoreError::Invalid(
            "the appointment is already cancelled".into(),
        ));
    }
    Ok(AppointmentRecord {
        version: stored.version + 1,
        status: AppointmentStatus::Cancelled,
        cancellation_reason: Some(reason),
        last_changed_by: Some(provenance),
        ..stored
    })
}

/// Whether an appointment holds its slots: every one that is not cancelled does.
pub fn holds_slots(appointment: &AppointmentRecord) -> bool {
    appointment.status != AppointmentStatus::Cancelled
}

/// A dataset's slot as seeding stores it: a slot that a seeded appointment holds starts free,
/// so that the appointment can take it as a booking does.
pub fn seeded_slot(dataset: &Dataset, slot: &SlotRecord) -> SlotRecord {
    let held = dataset
        .appointments
        .iter()
        .any(|a| holds_slots(a) && a.practice == slot.practice && a.slots.contains(&slot.id));
    if held {
        SlotRecord {
            status: SlotStatus::Free,
            ..slot.clone()
        }
    } else {
        slot.clone()
    }
}

/// A `booking_limit` row: `(id, name, org_types, ods_codes, slots_per_day)`, the lists as JSON
/// arrays of codes.
pub type BookingLimitRow = (String, String, String, String, i64);

/// Reads an organisation access limit back.
pub fn booking_limit_from_row(
    practice: &OdsCode,
    (id, name, org_types, ods_codes, slots_per_day): BookingLimitRow,
) -> Result<BookingLimit> {
    let unreadable = |what: &str| StoreError::Backend(format!("stored booking limit {id}: {what}"));
    let codes = |json: &str| -> Result<Vec<String>> {
        serde_json::from_str(json).map_err(|e| unreadable(&e.to_string()))
    };
    Ok(BookingLimit {
        practice: practice.clone(),
        id: FhirId::parse(&id).map_err(|e| unreadable(&e.to_string()))?,
        name,
        org_types: codes(&org_types)?
            .iter()
            .map(|c| OrgType::from_code(c).ok_or_else(|| unreadable("unknown organisation type")))
            .collect::<Result<_>>()?,
        ods_codes: codes(&ods_codes)?
            .iter()
            .map(|c| OdsCode::parse(c).map_err(|e| unreadable(&e.to_string())))
            .collect::<Result<_>>()?,
        slots_per_day: u32::try_from(slots_per_day).map_err(|_| unreadable("negative limit"))?,
    })
}

/// A `slot_booking` row of a booking made for an organisation: `(slot_start, org_ods,
/// org_type)`.
pub type BookedSlotRow = (i64, Option<String>, Option<String>);

/// Reads a booked slot back.
pub fn booked_slot_from_row((start, ods, org_type): BookedSlotRow) -> Result<BookedSlot> {
    Ok(BookedSlot {
        start: UkDateTime::from_unix_seconds(start).ok_or_else(|| {
            StoreError::Backend(format!("stored slot start {start} is out of range"))
        })?,
        party: BookingParty {
            // A code that is not well formed (recorded from an earlier booking's body) can
            // match no limit's code; its type still counts.
            ods_code: ods.and_then(|c| OdsCode::parse(&c).ok()),
            org_type,
        },
    })
}

/// The UK days a booking's slots start on: from the appointment's start to the day of its last
/// second.
pub fn booking_days(new: &NewAppointment) -> Vec<Date> {
    let first = new.start.uk_date();
    let last = UkDateTime::from_unix_seconds(new.end.unix_seconds() - 1)
        .map_or(first, UkDateTime::uk_date)
        .max(first);
    let mut days = vec![first];
    while let Some(next) = days.last().and_then(|d| d.tomorrow().ok()) {
        if next > last {
            break;
        }
        days.push(next);
    }
    days
}

/// SPEC 5: the booking would take the organisations `limit` covers beyond its slots on `day`.
pub fn limit_reached(limit: &BookingLimit, day: Date) -> StoreError {
    StoreError::Invalid(format!(
        "the organisation access limit '{}' allows the organisations it covers {} slot(s) \
         starting on {day}, and this booking would go beyond it",
        limit.name, limit.slots_per_day
    ))
}

/// The organisation a stored appointment was booked for (SPEC 5), from its contained booking
/// Organization: the ODS code identifier and the `GPConnect-OrganisationType-1` type, if any.
/// `None` for appointments made on the practice system, or with neither.
pub fn booked_for(appointment: &AppointmentRecord) -> Option<BookingParty> {
    if !appointment.booked_via_gp_connect {
        return None;
    }
    let org = &appointment.booking_organization;
    let ods = org
        .get("identifier")
        .and_then(|i| i.as_array())
        .into_iter()
        .flatten()
        .find_map(|i| {
            (i.get("system")?.as_str()? == OdsCode::SYSTEM)
                .then(|| i.get("value")?.as_str())
                .flatten()
        })
        .and_then(|c| OdsCode::parse(c).ok());
    let org_type = org
        .get("type")
        .and_then(|t| t.as_array())
        .into_iter()
        .flatten()
        .filter_map(|t| t.get("coding")?.as_array())
        .flatten()
        .find_map(|c| {
            (c.get("system")?.as_str()? == OrgType::SYSTEM)
                .then(|| c.get("code")?.as_str())
                .flatten()
        });
    (ods.is_some() || org_type.is_some()).then(|| BookingParty {
        ods_code: ods,
        org_type: org_type.map(str::to_owned),
    })
}
