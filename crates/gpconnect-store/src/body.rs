//! Records to and from the JSON `body` column the back ends store them in. The typed columns
//! beside it hold what is searched; the version column is authoritative and is applied on the
//! way out.

use crate::StoreError;
use gpconnect_domain::records::{
    AppointmentRecord, AuditEvent, LocationRecord, OrganizationRecord, PatientRecord,
    PractitionerRecord, ScheduleRecord, SlotRecord,
};
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A record kept as a JSON body with a separate version column.
pub trait Body: Serialize + DeserializeOwned + Clone {
    /// Names the record kind in error messages.
    const KIND: &'static str;
    /// Applies the version (for audit events, the sequence number) held beside the body.
    fn set_version(&mut self, version: i64);
}

macro_rules! body {
    ($($t:ty => $kind:literal),* $(,)?) => {$(
        impl Body for $t {
            const KIND: &'static str = $kind;
            fn set_version(&mut self, version: i64) {
                self.version = version;
            }
        }
    )*};
}

body!(
    OrganizationRecord => "organisation",
    LocationRecord => "location",
    PractitionerRecord => "practitioner",
    PatientRecord => "patient",
    ScheduleRecord => "schedule",
    SlotRecord => "slot",
    AppointmentRecord => "appointment",
);

impl Body for AuditEvent {
    const KIND: &'static str = "audit event";
    fn set_version(&mut self, seq: i64) {
        self.seq = seq;
    }
}

/// Serialises a record for the `body` column.
pub fn encode<T: Body>(record: &T) -> Result<String, StoreError> {
    serde_json::to_string(record)
        .map_err(|e| StoreError::Backend(format!("cannot encode {}: {e}", T::KIND)))
}

/// Reads a `body` column back, applying the stored version.
pub fn decode<T: Body>(body: &str, version: i64) -> Result<T, StoreError> {
    let mut record: T = serde_json::from_str(body)
        .map_err(|e| StoreError::Backend(format!("stored {} is unreadable: {e}", T::KIND)))?;
    record.set_version(version);
    Ok(record)
}

/// A `(version, body)` row as read back from a record table.
pub type BodyRow = (i64, String);

/// Reads an optional `(version, body)` row back.
pub fn decode_row<T: Body>(row: Option<BodyRow>) -> Result<Option<T>, StoreError> {
    row.map(|(version, body)| decode(&body, version))
        .transpose()
}

/// Reads `(version, body)` rows back, in their order.
pub fn decode_rows<T: Body>(rows: &[BodyRow]) -> Result<Vec<T>, StoreError> {
    rows.iter()
        .map(|(version, body)| decode(body, *version))
        .collect()
}

/// A copy of `record` at version 1, as every insert stores it.
pub fn first_version<T: Body>(record: &T) -> T {
    let mut record = record.clone();
    record.set_version(1);
    record
}
