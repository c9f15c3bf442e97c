//! Appointment Management (SPEC 3.11–3.15): building a valid `GPConnect-Appointment-1` from
//! chosen slots, and booking, reading, amending, cancelling and listing appointments.
//!
//! Book, amend and cancel are sent once (they are retried only when no connection could be
//! made, so nothing was sent): see [`crate::workflow`] for what to do after an ambiguous
//! failure.

use gpconnect_domain::records::{AppointmentStatus, ContactSystem, ContactUse, OrgType};
use gpconnect_domain::{FhirId, Interaction, OdsCode, UkDateTime};
use gpconnect_fhir::{
    Appointment, AppointmentParticipant, CodeableConcept, Coding, ContactPoint, Extension,
    Identifier, Meta, Organization, Reference, Resource,
};
use jiff::civil::Date;

use crate::client::GpConnectClient;
use crate::config::OrganisationConfig;
use crate::error::ClientError;
use crate::fhir_urls::{
    APPOINTMENT_PROFILE, BOOKING_ORGANISATION_EXTENSION, CANCELLATION_REASON_EXTENSION,
    ODS_CODE_SYSTEM, ORGANIZATION_PROFILE,
};
use crate::request::RequestSpec;
use crate::response::{entries, Versioned};
use crate::slots::{extension, reference_id, FreeSlot};

/// The longest description a consumer may send (SPEC 3.11).
pub const DESCRIPTION_LIMIT: usize = 100;
/// The longest comment a consumer may send (SPEC 3.11).
pub const COMMENT_LIMIT: usize = 500;
/// The id of the contained booking organisation.
const BOOKING_ORGANISATION_ID: &str = "1";

/// The organisation making the booking, contained in the Appointment (SPEC 3.11: ODS code,
/// name and telecom are required).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingOrganisation {
    /// ODS code.
    pub ods_code: OdsCode,
    /// Name.
    pub name: String,
    /// Telephone number.
    pub telephone: String,
}

impl BookingOrganisation {
    /// The configured requesting organisation; it needs a telephone number to book.
    pub fn from_config(organisation: &OrganisationConfig) -> Result<Self, ClientError> {
        let telephone = organisation.telephone.clone().ok_or_else(|| {
            ClientError::InvalidInput(
                "booking needs the booking organisation's telephone number (organisation.telephone)"
                    .into(),
            )
        })?;
        Ok(Self {
            ods_code: organisation.ods_code.clone(),
            name: organisation.name.clone(),
            telephone,
        })
    }
}

/// What the consumer says about a new appointment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookingDetails {
    /// The patient's logical id at this provider (from find or register).
    pub patient_id: FhirId,
    /// A brief description, at most 100 characters, without clinical detail (SPEC 3.11).
    pub description: String,
    /// An optional comment, at most 500 characters.
    pub comment: Option<String>,
    /// Who is booking.
    pub booking_organisation: BookingOrganisation,
}

/// A change to an appointment: SPEC 3.13 allows only the description and the comment.
/// `None` leaves a field as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Amendment {
    /// The new description.
    pub description: Option<String>,
    /// The new comment.
    pub comment: Option<String>,
}

fn check_text(what: &str, text: &str, limit: usize) -> Result<(), ClientError> {
    let chars = text.chars().count();
    if text.trim().is_empty() {
        return Err(ClientError::InvalidInput(format!("the {what} is empty")));
    }
    if chars > limit {
        return Err(ClientError::InvalidInput(format!(
            "the {what} has {chars} characters; at most {limit} may be sent (SPEC 3.11)"
        )));
    }
    Ok(())
}

fn reference(value: String) -> Reference {
    Reference {
        reference: Some(value),
        ..Reference::default()
    }
}

fn participant(actor: String) -> AppointmentParticipant {
    AppointmentParticipant {
        actor: Some(reference(actor)),
        status: "accepted".to_owned(),
        ..AppointmentParticipant::default()
    }
}

/// Builds the `GPConnect-Appointment-1` that books `slots` (SPEC 3.11): status `booked`; start
/// of the first and end of the last slot; the slots; Patient, Location and (when the schedule
/// has one) Practitioner participants; `created`; the description and comment; and the booking
/// organisation, contained and referenced by its extension, stating the organisation type only
/// when the slot search was filtered by one.
///
/// Several slots may be booked together only when they are adjacent and share schedule,
/// delivery channel and slot type; everything is checked before anything is sent.
pub fn build_appointment(
    slots: &[FreeSlot],
    details: &BookingDetails,
    created: UkDateTime,
) -> Result<Appointment, ClientError> {
    let mut ordered: Vec<&FreeSlot> = slots.iter().collect();
    ordered.sort_by_key(|s| s.start);
    let (Some(first), Some(last)) = (ordered.first(), ordered.last()) else {
        return Err(ClientError::InvalidInput(
            "an appointment needs at least one slot".into(),
        ));
    };
    check_text("description", &details.description, DESCRIPTION_LIMIT)?;
    if let Some(comment) = &details.comment {
        check_text("comment", comment, COMMENT_LIMIT)?;
    }
    for pair in ordered.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let problem = if b.start != a.end {
            Some("are not adjacent")
        } else if b.schedule_id != a.schedule_id {
            Some("are on different schedules")
        } else if b.delivery_channel != a.delivery_channel {
            Some("have different delivery channels")
        } else if b.slot_type != a.slot_type {
            Some("have different slot types")
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(ClientError::InvalidInput(format!(
                "slots {} and {} {problem}; SPEC 3.11 books several slots together only when \
                 they are adjacent on one schedule with the same delivery channel and slot type",
                a.id, b.id
            )));
        }
    }
    // SPEC 3.11: only future appointments can be booked.
    if first.start <= created {
        return Err(ClientError::InvalidInput(format!(
            "slot {} starts at {}, which is not in the future",
            first.id, first.start
        )));
    }
    let location = first.location_id.as_ref().ok_or_else(|| {
        ClientError::InvalidInput(format!(
            "the schedule {} of slot {} names no Location, which the booking must",
            first.schedule_id, first.id
        ))
    })?;

    let organisation = &details.booking_organisation;
    let org_type = first
        .searched_organisation_type
        .map(|t: OrgType| CodeableConcept {
            coding: vec![Coding {
                system: Some(OrgType::SYSTEM.to_owned()),
                code: Some(t.code().to_owned()),
                display: Some(t.display().to_owned()),
                ..Coding::default()
            }],
            ..CodeableConcept::default()
        });
    let booking_organisation = Organization {
        id: Some(BOOKING_ORGANISATION_ID.to_owned()),
        meta: Some(Meta {
            profile: vec![ORGANIZATION_PROFILE.to_owned()],
            ..Meta::default()
        }),
        identifier: vec![Identifier {
            system: Some(ODS_CODE_SYSTEM.to_owned()),
            value: Some(organisation.ods_code.as_str().to_owned()),
            ..Identifier::default()
        }],
        r#type: org_type.into_iter().collect(),
        name: Some(organisation.name.clone()),
        telecom: vec![ContactPoint {
            system: Some(ContactSystem::Phone.code().to_owned()),
            value: Some(organisation.telephone.clone()),
            r#use: Some(ContactUse::Work.code().to_owned()),
            ..ContactPoint::default()
        }],
        ..Organization::default()
    };

    let mut participants = vec![
        participant(format!("Patient/{}", details.patient_id)),
        participant(format!("Location/{location}")),
    ];
    if let Some(practitioner) = &first.practitioner_id {
        participants.push(participant(format!("Practitioner/{practitioner}")));
    }
    Ok(Appointment {
        meta: Some(Meta {
            profile: vec![APPOINTMENT_PROFILE.to_owned()],
            ..Meta::default()
        }),
        contained: vec![Resource::from(booking_organisation)],
        extension: vec![Extension {
            url: BOOKING_ORGANISATION_EXTENSION.to_owned(),
            value_reference: Some(Box::new(reference(format!("#{BOOKING_ORGANISATION_ID}")))),
            ..Extension::default()
        }],
        status: AppointmentStatus::Booked.code().to_owned(),
        description: Some(details.description.clone()),
        // The slots' own instants, so start and end match them exactly.
        start: Some(first.slot.start.clone()),
        end: Some(last.slot.end.clone()),
        slot: ordered
            .iter()
            .map(|s| reference(format!("Slot/{}", s.id)))
            .collect(),
        created: Some(created.to_string()),
        comment: details.comment.clone(),
        participant: participants,
        ..Appointment::default()
    })
}

/// The logical ids of the slots an appointment holds.
pub fn slot_ids(appointment: &Appointment) -> Vec<FhirId> {
    appointment
        .slot
        .iter()
        .filter_map(|r| reference_id(r, "Slot"))
        .collect()
}

/// The participant reference of type `resource_type` (e.g. the `Patient/{id}`).
pub fn participant_id(appointment: &Appointment, resource_type: &str) -> Option<FhirId> {
    appointment
        .participant
        .iter()
        .filter_map(|p| p.actor.as_ref())
        .find_map(|r| reference_id(r, resource_type))
}

/// The cancellation reason of a cancelled appointment.
pub fn cancellation_reason(appointment: &Appointment) -> Option<&str> {
    extension(&appointment.extension, CANCELLATION_REASON_EXTENSION)
        .and_then(|e| e.value_string.as_deref())
}

/// Where `stored` differs from what was sent in `sent`, in the consumer-controlled fields
/// (SPEC 9.16): status, start, end, slots, participants, description, comment and the
/// booking organisation's ODS code. Empty when the provider kept everything.
pub fn differences(sent: &Appointment, stored: &Appointment) -> Vec<String> {
    let mut found = Vec::new();
    let mut compare = |field: &str, a: String, b: String| {
        if a != b {
            found.push(format!("{field}: sent {a}, stored {b}"));
        }
    };
    compare("status", sent.status.clone(), stored.status.clone());
    compare(
        "start",
        normalised_instant(sent.start.as_deref()),
        normalised_instant(stored.start.as_deref()),
    );
    compare(
        "end",
        normalised_instant(sent.end.as_deref()),
        normalised_instant(stored.end.as_deref()),
    );
    let sorted = |mut ids: Vec<String>| {
        ids.sort();
        ids.join(",")
    };
    compare(
        "slot",
        sorted(slot_ids(sent).into_iter().map(String::from).collect()),
        sorted(slot_ids(stored).into_iter().map(String::from).collect()),
    );
    for kind in ["Patient", "Location"] {
        compare(
            kind,
            format!("{:?}", participant_id(sent, kind).map(String::from)),
            format!("{:?}", participant_id(stored, kind).map(String::from)),
        );
    }
    compare(
        "description",
        format!("{:?}", sent.description),
        format!("{:?}", stored.description),
    );
    compare(
        "comment",
        format!("{:?}", sent.comment),
        format!("{:?}", stored.comment),
    );
    compare(
        "booking organisation",
        format!("{:?}", booking_ods(sent)),
        format!("{:?}", booking_ods(stored)),
    );
    found
}

/// An instant in canonical UK form, or as written when it cannot be read.
fn normalised_instant(value: Option<&str>) -> String {
    match value {
        Some(v) => UkDateTime::parse(v)
            .map(|t| t.to_string())
            .unwrap_or_else(|_| v.to_owned()),
        None => "none".to_owned(),
    }
}

/// The ODS code of the contained booking organisation.
pub fn booking_ods(appointment: &Appointment) -> Option<String> {
    let target = extension(&appointment.extension, BOOKING_ORGANISATION_EXTENSION)?
        .value_reference
        .as_ref()?
        .reference
        .as_deref()?
        .strip_prefix('#')?;
    appointment.contained.iter().find_map(|r| match r {
        Resource::Organization(o) if o.id.as_deref() == Some(target) => o
            .identifier
            .iter()
            .find(|i| i.system.as_deref() == Some(ODS_CODE_SYSTEM))
            .and_then(|i| i.value.clone()),
        _ => None,
    })
}

fn appointment_id(
    interaction: Interaction,
    appointment: &Appointment,
) -> Result<FhirId, ClientError> {
    appointment
        .id
        .as_deref()
        .and_then(|id| FhirId::parse(id).ok())
        .ok_or_else(|| {
            ClientError::InvalidInput(format!(
                "{}: the appointment has no valid logical id; read it from the provider first",
                interaction.name()
            ))
        })
}

impl GpConnectClient {
    /// Book an appointment (SPEC 3.11) from a complete Appointment resource. Answered with
    /// 201, the stored Appointment, its version and `Location`.
    pub async fn book_appointment(
        &self,
        appointment: &Appointment,
    ) -> Result<Versioned<Appointment>, ClientError> {
        let spec =
            RequestSpec::new(Interaction::BookAppointment, "Appointment").body(appointment.clone());
        self.execute(&spec).await?.versioned()
    }

    /// Book `slots` for the patient (see [`build_appointment`]). A slot booked by someone else
    /// since the search is refused with 409 `DUPLICATE_REJECTED`.
    pub async fn book(
        &self,
        slots: &[FreeSlot],
        details: &BookingDetails,
    ) -> Result<Versioned<Appointment>, ClientError> {
        let appointment = build_appointment(slots, details, UkDateTime::now())?;
        self.book_appointment(&appointment).await
    }

    /// Read an appointment (SPEC 3.12).
    pub async fn read_appointment(
        &self,
        id: &FhirId,
    ) -> Result<Versioned<Appointment>, ClientError> {
        let spec = RequestSpec::new(Interaction::ReadAppointment, format!("Appointment/{id}"));
        self.execute(&spec).await?.versioned()
    }

    /// Amend the description and/or comment of the appointment version you hold (SPEC 3.13).
    /// `If-Match` carries that version, so a change made by someone else in between is refused
    /// with 409 instead of being overwritten; read the appointment again and decide.
    pub async fn amend_appointment(
        &self,
        current: &Versioned<Appointment>,
        amendment: &Amendment,
    ) -> Result<Versioned<Appointment>, ClientError> {
        let interaction = Interaction::AmendAppointment;
        let id = appointment_id(interaction, &current.resource)?;
        if amendment.description.is_none() && amendment.comment.is_none() {
            return Err(ClientError::InvalidInput(
                "an amendment must change the description or the comment".into(),
            ));
        }
        let mut appointment = current.resource.clone();
        if let Some(description) = &amendment.description {
            check_text("description", description, DESCRIPTION_LIMIT)?;
            appointment.description = Some(description.clone());
        }
        if let Some(comment) = &amendment.comment {
            check_text("comment", comment, COMMENT_LIMIT)?;
            appointment.comment = Some(comment.clone());
        }
        let spec = RequestSpec::new(interaction, format!("Appointment/{id}"))
            .body(appointment)
            .if_match(current.version_id.clone());
        self.execute(&spec).await?.versioned()
    }

    /// Cancel the appointment version you hold, giving a reason (SPEC 3.14). Only the status
    /// and the cancellation reason change; `If-Match` carries the version.
    pub async fn cancel_appointment(
        &self,
        current: &Versioned<Appointment>,
        reason: &str,
    ) -> Result<Versioned<Appointment>, ClientError> {
        let interaction = Interaction::CancelAppointment;
        let id = appointment_id(interaction, &current.resource)?;
        if reason.trim().is_empty() {
            return Err(ClientError::InvalidInput(
                "a cancellation needs a reason".into(),
            ));
        }
        let mut appointment = current.resource.clone();
        appointment.status = AppointmentStatus::Cancelled.code().to_owned();
        appointment
            .extension
            .retain(|e| e.url != CANCELLATION_REASON_EXTENSION);
        appointment.extension.push(Extension {
            url: CANCELLATION_REASON_EXTENSION.to_owned(),
            value_string: Some(reason.to_owned()),
            ..Extension::default()
        });
        let spec = RequestSpec::new(interaction, format!("Appointment/{id}"))
            .body(appointment)
            .if_match(current.version_id.clone());
        self.execute(&spec).await?.versioned()
    }

    /// Retrieve a patient's appointments starting on the dates `from..=to` (SPEC 3.15): every
    /// status, cancelled included. `from` may not be in the past (today is allowed).
    pub async fn patient_appointments(
        &self,
        patient_id: &FhirId,
        from: Date,
        to: Date,
    ) -> Result<Vec<Versioned<Appointment>>, ClientError> {
        if to < from {
            return Err(ClientError::InvalidInput(format!(
                "the appointment search ends ({to}) before it starts ({from})"
            )));
        }
        let spec = RequestSpec::new(
            Interaction::SearchPatientAppointments,
            format!("Patient/{patient_id}/Appointment"),
        )
        .param("start", format!("ge{from}"))
        .param("start", format!("le{to}"));
        Ok(entries(&self.execute(&spec).await?.searchset()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gpconnect_fhir::{Schedule, Slot};
    use serde_json::json;

    fn free_slot(id: &str, start: &str, end: &str) -> FreeSlot {
        FreeSlot {
            id: FhirId::parse(id).unwrap(),
            start: UkDateTime::parse(start).unwrap(),
            end: UkDateTime::parse(end).unwrap(),
            schedule_id: FhirId::parse("S1").unwrap(),
            location_id: Some(FhirId::parse("L1").unwrap()),
            practitioner_id: Some(FhirId::parse("P1").unwrap()),
            delivery_channel: Some("In-person".into()),
            slot_type: Some("Routine".into()),
            schedule_type: None,
            practitioner_role: None,
            searched_organisation_type: Some(OrgType::UrgentCare),
            slot: Slot {
                id: Some(id.into()),
                start: start.into(),
                end: end.into(),
                status: "free".into(),
                ..Slot::default()
            },
            schedule: Schedule::default(),
            location: None,
            practitioner: None,
            organization: None,
        }
    }

    fn details() -> BookingDetails {
        BookingDetails {
            patient_id: FhirId::parse("2").unwrap(),
            description: "Follow-up of urgent care visit".into(),
            comment: Some("Prefers mornings".into()),
            booking_organisation: BookingOrganisation {
                ods_code: OdsCode::parse("GPCA0001").unwrap(),
                name: "Example Hub".into(),
                telephone: "01632 960000".into(),
            },
        }
    }

    fn created() -> UkDateTime {
        UkDateTime::parse("2026-06-30T12:00:00+01:00").unwrap()
    }

    #[test]
    fn two_adjacent_slots_make_one_valid_appointment() {
        let slots = [
            free_slot(
                "11",
                "2026-07-01T10:10:00+01:00",
                "2026-07-01T10:20:00+01:00",
            ),
            free_slot(
                "10",
                "2026-07-01T10:00:00+01:00",
                "2026-07-01T10:10:00+01:00",
            ),
        ];
        let appointment = build_appointment(&slots, &details(), created()).unwrap();
        let json = serde_json::to_value(Resource::from(appointment.clone())).unwrap();
        assert_eq!(
            json,
            json!({
                "resourceType": "Appointment",
                "meta": { "profile": [APPOINTMENT_PROFILE] },
                "contained": [{
                    "resourceType": "Organization",
                    "id": "1",
                    "meta": { "profile": [ORGANIZATION_PROFILE] },
                    "identifier": [{ "system": ODS_CODE_SYSTEM, "value": "GPCA0001" }],
                    "type": [{ "coding": [{
                        "system": "https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1",
                        "code": "urgent-care",
                        "display": "Urgent Care"
                    }]}],
                    "name": "Example Hub",
                    "telecom": [{ "system": "phone", "value": "01632 960000", "use": "work" }]
                }],
                "extension": [{
                    "url": BOOKING_ORGANISATION_EXTENSION,
                    "valueReference": { "reference": "#1" }
                }],
                "status": "booked",
                "description": "Follow-up of urgent care visit",
                "start": "2026-07-01T10:00:00+01:00",
                "end": "2026-07-01T10:20:00+01:00",
                "slot": [{ "reference": "Slot/10" }, { "reference": "Slot/11" }],
                "created": "2026-06-30T12:00:00+01:00",
                "comment": "Prefers mornings",
                "participant": [
                    { "actor": { "reference": "Patient/2" }, "status": "accepted" },
                    { "actor": { "reference": "Location/L1" }, "status": "accepted" },
                    { "actor": { "reference": "Practitioner/P1" }, "status": "accepted" }
                ]
            })
        );
        // What is sent must pass a strict FHIR decoder.
        let bytes = gpconnect_fhir::encode(
            &Resource::from(appointment.clone()),
            gpconnect_fhir::Format::Xml,
        )
        .unwrap();
        let back: Appointment =
            gpconnect_fhir::decode_as(&bytes, gpconnect_fhir::Format::Xml).unwrap();
        assert_eq!(back, appointment);
        assert_eq!(booking_ods(&appointment).as_deref(), Some("GPCA0001"));
        assert!(differences(&appointment, &back).is_empty());
    }

    #[test]
    fn the_organisation_type_is_only_stated_when_the_search_was_filtered_by_one() {
        let mut slot = free_slot(
            "10",
            "2026-07-01T10:00:00+01:00",
            "2026-07-01T10:10:00+01:00",
        );
        slot.searched_organisation_type = None;
        let appointment = build_appointment(&[slot], &details(), created()).unwrap();
        let Resource::Organization(org) = &appointment.contained[0] else {
            panic!("contained organisation")
        };
        assert!(org.r#type.is_empty());
    }

    #[test]
    fn slots_that_cannot_be_booked_together_are_refused_before_sending() {
        let a = free_slot(
            "10",
            "2026-07-01T10:00:00+01:00",
            "2026-07-01T10:10:00+01:00",
        );
        let gap = free_slot(
            "12",
            "2026-07-01T10:20:00+01:00",
            "2026-07-01T10:30:00+01:00",
        );
        let mut other_channel = free_slot(
            "11",
            "2026-07-01T10:10:00+01:00",
            "2026-07-01T10:20:00+01:00",
        );
        other_channel.delivery_channel = Some("Telephone".into());
        let mut other_schedule = free_slot(
            "11",
            "2026-07-01T10:10:00+01:00",
            "2026-07-01T10:20:00+01:00",
        );
        other_schedule.schedule_id = FhirId::parse("S2").unwrap();
        for (pair, why) in [
            ([a.clone(), gap], "not adjacent"),
            ([a.clone(), other_channel], "delivery channels"),
            ([a.clone(), other_schedule], "different schedules"),
        ] {
            let err = build_appointment(&pair, &details(), created()).unwrap_err();
            assert!(err.to_string().contains(why), "{err}");
        }
        assert!(build_appointment(&[], &details(), created()).is_err());
    }

    #[test]
    fn descriptions_comments_and_past_slots_are_checked() {
        let slot = free_slot(
            "10",
            "2026-07-01T10:00:00+01:00",
            "2026-07-01T10:10:00+01:00",
        );
        let mut long = details();
        long.description = "x".repeat(101);
        assert!(build_appointment(std::slice::from_ref(&slot), &long, created()).is_err());
        long.description = "é".repeat(100);
        assert!(build_appointment(std::slice::from_ref(&slot), &long, created()).is_ok());
        let mut comment = details();
        comment.comment = Some("c".repeat(501));
        assert!(build_appointment(std::slice::from_ref(&slot), &comment, created()).is_err());
        let later = UkDateTime::parse("2026-07-01T10:00:00+01:00").unwrap();
        let err = build_appointment(&[slot], &details(), later).unwrap_err();
        assert!(err.to_string().contains("not in the future"), "{err}");
    }

    #[test]
    fn differences_name_what_the_provider_changed() {
        let slot = free_slot(
            "10",
            "2026-07-01T10:00:00+01:00",
            "2026-07-01T10:10:00+01:00",
        );
        let sent = build_appointment(&[slot], &details(), created()).unwrap();
        let mut stored = sent.clone();
        stored.start = Some("2026-07-01T09:00:00+00:00".into());
        assert!(differences(&sent, &stored).is_empty(), "same instant");
        stored.description = Some("Changed".into());
        stored.slot = vec![reference("Slot/99".into())];
        let found = differences(&sent, &stored);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found[0].starts_with("slot"));
        assert!(found[1].starts_with("description"));
    }
}
