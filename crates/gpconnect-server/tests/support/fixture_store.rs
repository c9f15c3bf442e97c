//! A minimal in-memory store for pipeline tests: it holds practices and the audit trail, and
//! nothing else (lookups find nothing; writes of other records are refused with an explicit
//! `Backend` error; a reset deletes the practices and keeps the audit trail).

use std::sync::Mutex;

use async_trait::async_trait;
use gpconnect_domain::records::{
    AppointmentRecord, AuditEvent, BookedSlot, BookingLimit, LocationRecord, NewAppointment,
    OrganizationRecord, PatientRecord, Practice, PractitionerRecord, Provenance, ScheduleRecord,
    SlotRecord,
};
use gpconnect_domain::{FhirId, NhsNumber, OdsCode, UkDateTime};
use gpconnect_store::{Dataset, FreeSlots, Result, Store, StoreError};
use jiff::civil::Date;

/// Practices and audit events in memory.
#[derive(Debug, Default)]
pub struct FixtureStore {
    practices: Mutex<Vec<Practice>>,
    audit: Mutex<Vec<AuditEvent>>,
    /// When set, `get_practice` fails as a broken database would.
    pub fail_practice_lookup: Mutex<bool>,
}

impl FixtureStore {
    pub fn new(practices: Vec<Practice>) -> Self {
        Self {
            practices: Mutex::new(practices),
            ..Self::default()
        }
    }

    /// Every audit event appended so far, oldest first.
    pub fn audit(&self) -> Vec<AuditEvent> {
        self.audit.lock().unwrap().clone()
    }
}

fn refused<T>() -> Result<T> {
    Err(StoreError::Backend(
        "the fixture store holds practices and audit only".into(),
    ))
}

#[async_trait]
impl Store for FixtureStore {
    async fn practices(&self) -> Result<Vec<Practice>> {
        Ok(self.practices.lock().unwrap().clone())
    }
    async fn get_practice(&self, ods: &OdsCode) -> Result<Option<Practice>> {
        if *self.fail_practice_lookup.lock().unwrap() {
            return Err(StoreError::Backend("database is on fire".into()));
        }
        Ok(self
            .practices
            .lock()
            .unwrap()
            .iter()
            .find(|p| &p.ods == ods)
            .cloned())
    }
    async fn insert_practice(&self, practice: &Practice) -> Result<()> {
        self.practices.lock().unwrap().push(practice.clone());
        Ok(())
    }
    async fn set_practice_enablement(
        &self,
        ods: &OdsCode,
        gp_connect_enabled: bool,
        appointments_enabled: bool,
    ) -> Result<Practice> {
        let mut practices = self.practices.lock().unwrap();
        let practice = practices
            .iter_mut()
            .find(|p| &p.ods == ods)
            .ok_or(StoreError::NotFound)?;
        practice.gp_connect_enabled = gp_connect_enabled;
        practice.appointments_enabled = appointments_enabled;
        Ok(practice.clone())
    }
    async fn get_organization(
        &self,
        _: &OdsCode,
        _: &FhirId,
    ) -> Result<Option<OrganizationRecord>> {
        Ok(None)
    }
    async fn find_organizations_by_ods_code(
        &self,
        _: &OdsCode,
        _: &OdsCode,
    ) -> Result<Vec<OrganizationRecord>> {
        Ok(vec![])
    }
    async fn insert_organization(&self, _: &OrganizationRecord) -> Result<OrganizationRecord> {
        refused()
    }
    async fn get_location(&self, _: &OdsCode, _: &FhirId) -> Result<Option<LocationRecord>> {
        Ok(None)
    }
    async fn insert_location(&self, _: &LocationRecord) -> Result<LocationRecord> {
        refused()
    }
    async fn get_practitioner(
        &self,
        _: &OdsCode,
        _: &FhirId,
    ) -> Result<Option<PractitionerRecord>> {
        Ok(None)
    }
    async fn find_practitioners_by_sds_user_id(
        &self,
        _: &OdsCode,
        _: &str,
    ) -> Result<Vec<PractitionerRecord>> {
        Ok(vec![])
    }
    async fn insert_practitioner(&self, _: &PractitionerRecord) -> Result<PractitionerRecord> {
        refused()
    }
    async fn get_patient(&self, _: &OdsCode, _: &FhirId) -> Result<Option<PatientRecord>> {
        Ok(None)
    }
    async fn find_patient_by_nhs_number(
        &self,
        _: &OdsCode,
        _: &NhsNumber,
    ) -> Result<Option<PatientRecord>> {
        Ok(None)
    }
    async fn insert_patient(&self, _: &PatientRecord) -> Result<PatientRecord> {
        refused()
    }
    async fn update_patient(&self, _: &PatientRecord, _: i64) -> Result<PatientRecord> {
        refused()
    }
    async fn get_schedule(&self, _: &OdsCode, _: &FhirId) -> Result<Option<ScheduleRecord>> {
        Ok(None)
    }
    async fn insert_schedule(&self, _: &ScheduleRecord) -> Result<ScheduleRecord> {
        refused()
    }
    async fn update_schedule(&self, _: &ScheduleRecord, _: i64) -> Result<ScheduleRecord> {
        refused()
    }
    async fn get_slot(&self, _: &OdsCode, _: &FhirId) -> Result<Option<SlotRecord>> {
        Ok(None)
    }
    async fn insert_slot(&self, _: &SlotRecord) -> Result<SlotRecord> {
        refused()
    }
    async fn insert_slots(&self, _: &[SlotRecord]) -> Result<usize> {
        refused()
    }
    async fn free_slots(&self, _: &OdsCode, _: UkDateTime, _: UkDateTime) -> Result<FreeSlots> {
        Ok(FreeSlots::default())
    }
    async fn book(&self, _: &NewAppointment) -> Result<AppointmentRecord> {
        refused()
    }
    async fn insert_booking_limit(&self, _: &BookingLimit) -> Result<()> {
        refused()
    }
    async fn delete_booking_limit(&self, _: &OdsCode, _: &FhirId) -> Result<()> {
        refused()
    }
    async fn booking_limits(&self, _: &OdsCode) -> Result<Vec<BookingLimit>> {
        Ok(Vec::new())
    }
    async fn booked_slots(&self, _: &OdsCode, _: Date, _: Date) -> Result<Vec<BookedSlot>> {
        Ok(Vec::new())
    }
    async fn get_appointment(&self, _: &OdsCode, _: &FhirId) -> Result<Option<AppointmentRecord>> {
        Ok(None)
    }
    async fn patient_appointments(
        &self,
        _: &OdsCode,
        _: &FhirId,
        _: Date,
        _: Date,
    ) -> Result<Vec<AppointmentRecord>> {
        Ok(vec![])
    }
    async fn update_appointment(&self, _: &AppointmentRecord, _: i64) -> Result<AppointmentRecord> {
        refused()
    }
    async fn cancel_appointment(
        &self,
        _: &OdsCode,
        _: &FhirId,
        _: &str,
        _: i64,
        _: &Provenance,
    ) -> Result<AppointmentRecord> {
        refused()
    }
    async fn seed(&self, _: &Dataset) -> Result<bool> {
        refused()
    }
    async fn is_empty(&self) -> Result<bool> {
        Ok(self.practices.lock().unwrap().is_empty())
    }
    async fn reset_practice_data(&self) -> Result<()> {
        self.practices.lock().unwrap().clear();
        Ok(())
    }
    async fn append_audit(&self, event: &AuditEvent) -> Result<i64> {
        let mut audit = self.audit.lock().unwrap();
        let mut event = event.clone();
        event.seq = audit.len() as i64 + 1;
        audit.push(event);
        Ok(audit.len() as i64)
    }
    async fn append_audit_batch(&self, events: &[AuditEvent]) -> Result<Vec<i64>> {
        let mut seqs = Vec::with_capacity(events.len());
        for event in events {
            seqs.push(self.append_audit(event).await?);
        }
        Ok(seqs)
    }
    async fn audit_events(&self, _: Option<&OdsCode>, _: u32) -> Result<Vec<AuditEvent>> {
        Ok(self.audit())
    }
}
