//! Records to and from their JSON `body` column. The typed columns beside it hold what is
//! searched; the version column is authoritative and is applied on the way out.

use gpconnect_domain::records::{
    AppointmentRecord, AuditEvent, LocationRecord, OrganizationRecord, PatientRecord,
    PractitionerRecord, ScheduleRecord, SlotRecord,
};
use gpconnect_store::StoreError;
use serde::de::DeserializeOwned;
use serde::Serialize;

/// A record kept as a JSON body with a separate version column.
pub(crate) trait Body: Serialize + DeserializeOwned {
    /// Names the record kind in error messages.
    const KIND: &'static str;
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
pub(crate) fn encode<T: Body>(record: &T) -> Result<String, StoreError> {
    serde_json::to_string(record)
        .map_err(|e| StoreError::Backend(format!("cannot encode {}: {e}", T::KIND)))
}

/// Reads a `body` column back, applying the stored version.
pub(crate) fn decode<T: Body>(body: &str, version: i64) -> Result<T, StoreError> {
    let mut record: T = serde_json::from_str(body)
        .map_err(|e| StoreError::Backend(format!("stored {} is unreadable: {e}", T::KIND)))?;
    record.set_version(version);
    Ok(record)
}
