//! Book an appointment (SPEC 3.11): `POST /Appointment`.
//!
//! The request is checked in full before the store is asked to take the slots: its shape
//! (ATS AppointmentBook's malformed-body rows, all 422 `INVALID_RESOURCE`), the patient, the
//! slots (free, adjacent, one schedule, one delivery channel and slot type, start and end equal
//! to theirs, in the future), the participants against the schedule, and the SPEC 5
//! availability rules for the booking organisation. The store then takes every slot in one
//! transaction; losing a race for a slot there is the same 409 `DUPLICATE_REJECTED` as finding
//! it taken here.

use axum::extract::State;
use axum::response::Response;
use gpconnect_domain::records::{
    slot_visible_to, AppointmentStatus, BookingParty, NewAppointment, ScheduleRecord, SlotRecord,
    SlotStatus,
};
use gpconnect_domain::{FhirId, SpineCode, UkDateTime};
use gpconnect_fhir::Appointment;
use gpconnect_store::StoreError;

use super::request::{self, BookingOrganisation, Participants};
use super::to_fhir;
use crate::body::FhirBody;
use crate::context::RequestContext;
use crate::error::ApiError;
use crate::response::FhirResponse;
use crate::state::AppState;

fn invalid(diagnostics: impl Into<String>) -> ApiError {
    ApiError::invalid_resource(diagnostics)
}

/// A booking request whose content has been checked on its own (nothing looked up yet).
struct BookingRequest {
    start: UkDateTime,
    end: UkDateTime,
    created: UkDateTime,
    slots: Vec<FhirId>,
    participants: Participants,
    booking_organisation: BookingOrganisation,
    description: String,
    comment: Option<String>,
    identifiers: Vec<gpconnect_domain::records::Identifier>,
}

impl BookingRequest {
    fn check(a: &Appointment, now: UkDateTime) -> Result<Self, ApiError> {
        request::reject_forbidden_elements(a)?;
        let extensions = request::extensions(a)?;
        if extensions.cancellation_reason.is_some() {
            return Err(invalid(
                "A new appointment cannot carry a cancellation reason",
            ));
        }
        if a.status != AppointmentStatus::Booked.code() {
            return Err(invalid(format!(
                "Appointment.status must be 'booked' when booking, not '{}'",
                a.status
            )));
        }
        let start = request::instant("start", a.start.as_deref())?;
        let end = request::instant("end", a.end.as_deref())?;
        let slots = request::slot_ids(a)?;
        let participants = request::participants(&a.participant)?;
        let identifiers = request::identifiers(a)?;
        let booking_organisation =
            request::booking_organisation(a, extensions.booking_organisation)?;
        let (description, comment) = request::texts(a)?;
        // SPEC 3.11: `created` is the time the booking was made; a consumer that leaves it out
        // is given the time the provider received the request.
        let created = match a.created.as_deref() {
            Some(created) => request::date_time("created", created)?,
            None => now,
        };
        // SPEC 1, 3.11: only future appointments can be booked.
        if start <= now {
            return Err(invalid(format!(
                "Appointment.start {start} is not in the future: only future appointments can be booked"
            )));
        }
        Ok(Self {
            start,
            end,
            created,
            slots,
            participants,
            booking_organisation,
            description,
            comment,
            identifiers,
        })
    }
}

/// `POST /Appointment`.
pub(super) async fn book(
    State(state): State<AppState>,
    ctx: RequestContext,
    FhirBody(appointment): FhirBody<Appointment>,
) -> Result<Response, ApiError> {
    let now = ctx.received();
    let request = BookingRequest::check(&appointment, now)?;
    let practice = &ctx.practice().ods;
    let store = state.store();
    ctx.audit_patient(request.participants.patient.as_str());

    // The patient, the slots and their schedules are read together: on a networked database
    // that is one round trip instead of one per record.
    let found = store
        .booking_records(practice, &request.participants.patient, &request.slots)
        .await
        .map_err(ApiError::internal)?;
    // SPEC 1: a patient who is not active here, or who carries the sensitive flag, is not known
    // to Appointment Management (dissent to share is not applied).
    let patient = found.patient.filter(|p| p.is_active_for_sharing());
    if patient.is_none() {
        return Err(ApiError::new(
            SpineCode::ReferenceNotFound,
            format!(
                "Patient/{} is not a patient whose appointments can be booked at this practice",
                request.participants.patient.as_str()
            ),
        ));
    }

    let mut slots = Vec::with_capacity(request.slots.len());
    for (id, slot) in request.slots.iter().zip(found.slots) {
        // SPEC 9.3: an unknown slot is INVALID_RESOURCE (what assurance expects) rather than
        // REFERENCE_NOT_FOUND.
        let slot = slot.ok_or_else(|| invalid(format!("Slot/{} does not exist", id.as_str())))?;
        slots.push(slot);
    }
    slots.sort_by_key(|s| s.start);
    if let Some(taken) = slots.iter().find(|s| s.status != SlotStatus::Free) {
        return Err(slot_taken(&taken.id));
    }
    let schedule = check_slots(&request, &slots, found.schedules)?;
    check_participants(&request.participants, &schedule)?;
    // SPEC 5, 9.23: the availability rules are checked again for the organisation the booking
    // is made for, identified by the contained booking organisation's ODS code and type.
    let org = &request.booking_organisation;
    if let Some(slot) = slots
        .iter()
        .find(|s| !slot_visible_to(s, org.org_type.as_deref(), org.ods_code.as_ref(), now))
    {
        return Err(invalid(format!(
            "Slot/{} cannot be booked for the booking organisation (it is restricted to other \
             organisations, or outside its booking window)",
            slot.id.as_str()
        )));
    }

    let first = &slots[0];
    let new = NewAppointment {
        practice: practice.clone(),
        status: AppointmentStatus::Booked,
        start: request.start,
        end: request.end,
        created: request.created,
        slots: slots.iter().map(|s| s.id.clone()).collect(),
        patient: request.participants.patient.clone(),
        location: request.participants.location.clone(),
        // SPEC 3.11 response: the schedule's practitioner is a participant even if the consumer
        // did not name one.
        practitioner: request
            .participants
            .practitioner
            .clone()
            .or_else(|| schedule.practitioner.clone()),
        description: request.description,
        comment: request.comment,
        priority: appointment.priority,
        minutes_duration: appointment.minutes_duration,
        identifiers: request.identifiers,
        booking_organization: org.to_json()?,
        participants: appointment
            .participant
            .iter()
            .map(serde_json::to_value)
            .collect::<Result<_, _>>()
            .map_err(ApiError::internal)?,
        // SPEC 3.11, 6.1: consumer-sent serviceCategory, serviceType and provider extensions are
        // ignored; the provider populates them from its own diary.
        delivery_channel: Some(first.delivery_channel),
        practitioner_role: Some(schedule.practitioner_role.clone()),
        service_type: first.service_type.clone(),
        service_category: schedule.service_category.clone(),
        booked_via_gp_connect: true,
        // SPEC 2.13: who booked it, from where, through which interaction, and when.
        provenance: ctx.provenance(),
        // SPEC 5: the organisation access limits count the booking against its organisation.
        booked_for: (org.ods_code.is_some() || org.org_type.is_some()).then(|| BookingParty {
            ods_code: org.ods_code.clone(),
            org_type: org.org_type.clone(),
        }),
    };
    let record = store.book(&new).await.map_err(|e| match e {
        StoreError::SlotUnavailable => slot_taken(&first.id),
        StoreError::NotFound => invalid("A requested slot no longer exists"),
        StoreError::Invalid(reason) => invalid(reason),
        other => ApiError::internal(other),
    })?;
    ctx.audit_detail(format!(
        "booked Appointment/{} in {}",
        record.id.as_str(),
        record
            .slots
            .iter()
            .map(|s| format!("Slot/{}", s.as_str()))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    FhirResponse::created(to_fhir(&record)?).respond(&ctx)
}

/// SPEC 3.11: a slot booked since the search is 409 `DUPLICATE_REJECTED`.
fn slot_taken(id: &FhirId) -> ApiError {
    ApiError::new(
        SpineCode::DuplicateRejected,
        format!("Slot/{} is no longer free", id.as_str()),
    )
}

/// SPEC 3.11: several slots must be adjacent, on one schedule, with one delivery channel and
/// one slot type; the appointment starts when the first starts and ends when the last ends.
/// Returns the schedule.
fn check_slots(
    request: &BookingRequest,
    slots: &[SlotRecord],
    schedules: Vec<ScheduleRecord>,
) -> Result<ScheduleRecord, ApiError> {
    let (Some(first), Some(last)) = (slots.first(), slots.last()) else {
        return Err(invalid("Appointment.slot: at least one slot is required"));
    };
    for pair in slots.windows(2) {
        let (a, b) = (&pair[0], &pair[1]);
        let problem = if b.schedule != a.schedule {
            Some("are on different schedules")
        } else if b.start != a.end {
            Some("are not adjacent (one must start when the other ends)")
        } else if b.delivery_channel != a.delivery_channel {
            Some("have different delivery channels")
        } else if b.service_type != a.service_type {
            Some("have different slot types")
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(invalid(format!(
                "Slot/{} and Slot/{} {problem}: only adjacent slots of one schedule, delivery \
                 channel and slot type can be booked together",
                a.id.as_str(),
                b.id.as_str()
            )));
        }
    }
    if request.start != first.start || request.end != last.end {
        return Err(invalid(format!(
            "Appointment.start and end must be the start of the first slot ({}) and the end of \
             the last ({})",
            first.start, last.end
        )));
    }
    schedules
        .into_iter()
        .find(|s| s.id == first.schedule)
        .ok_or_else(|| ApiError::internal(MissingSchedule(first.schedule.clone())))
}

/// A slot names a schedule that does not exist (inconsistent data).
#[derive(Debug, thiserror::Error)]
#[error("Schedule/{0} is referenced by a slot but does not exist")]
struct MissingSchedule(FhirId);

/// SPEC 3.11: the Location participant is where the schedule's appointments take place, and a
/// Practitioner participant, if any, is the schedule's practitioner.
fn check_participants(p: &Participants, schedule: &ScheduleRecord) -> Result<(), ApiError> {
    if p.location != schedule.location {
        return Err(invalid(format!(
            "The Location participant must be Location/{}, where the booked slots take place",
            schedule.location.as_str()
        )));
    }
    if let Some(practitioner) = &p.practitioner {
        if schedule.practitioner.as_ref() != Some(practitioner) {
            return Err(invalid(format!(
                "Practitioner/{} is not the practitioner of the booked slots' schedule",
                practitioner.as_str()
            )));
        }
    }
    Ok(())
}
