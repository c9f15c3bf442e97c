//! The Appointment interactions: book (`POST /Appointment`, SPEC 3.11), read
//! (`GET /Appointment/{id}`, SPEC 3.12), and amend and cancel, which share
//! `PUT /Appointment/{id}` and are told apart by `Ssp-InteractionID` (SPEC 2.4, 3.13, 3.14).
//!
//! [`to_fhir`] builds the `GPConnect-Appointment-1` resource every one of them (and the
//! patient's appointment search) answers with.

mod amend;
mod book;
mod cancel;
mod change;
mod request;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use gpconnect_domain::records::AppointmentRecord;
use gpconnect_domain::{FhirId, Interaction};
use gpconnect_fhir::{Appointment, AppointmentParticipant, Extension, Reference, Resource};
use http::HeaderMap;
use serde::de::DeserializeOwned;

use crate::context::RequestContext;
use crate::datatypes::{meta, reference};
use crate::error::ApiError;
use crate::response::FhirResponse;
use crate::slot::{delivery_channel_extension, practitioner_role_extension, text_concept};
use crate::state::AppState;

/// The profile of every Appointment the provider answers with.
pub const APPOINTMENT_PROFILE: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Appointment-1";
/// The booking organisation extension (SPEC 4.1: `valueReference` to a contained Organization).
pub const BOOKING_ORGANISATION_EXTENSION: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-BookingOrganisation-1";
/// The cancellation reason extension (SPEC 4.1: `valueString`).
pub const CANCELLATION_REASON_EXTENSION: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-AppointmentCancellationReason-1";

/// `POST /Appointment`, `GET /Appointment/{id}` and `PUT /Appointment/{id}`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/Appointment", post(book::book))
        .route("/Appointment/{id}", get(read).put(update))
}

/// SPEC 3.12: any future appointment of the practice, whoever booked it and however.
async fn read(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let record = load(&state, &ctx, &id).await?;
    ctx.audit_patient(record.patient.as_str());
    // SPEC 1, 9.8: Appointment Management covers future appointments only (today counts as
    // future). A read names the appointment in its URL, so an appointment that is in the past is
    // an invalid parameter rather than a resource that does not exist.
    if record.start.uk_date() < ctx.received().uk_date() {
        return Err(ApiError::invalid_parameter(format!(
            "Appointment/{id} started on {}: only appointments from today onwards can be read \
             through GP Connect",
            record.start.uk_date()
        )));
    }
    FhirResponse::ok(to_fhir(&record)?).respond(&ctx)
}

/// SPEC 2.4: amend and cancel share the verb and the URL; the interaction decides.
async fn update(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, ApiError> {
    match ctx.interaction() {
        Interaction::CancelAppointment => cancel::cancel(&state, &ctx, &headers, &id, &body).await,
        _ => amend::amend(&state, &ctx, &headers, &id, &body).await,
    }
}

/// Decodes a PUT body strictly (SPEC 2.8: malformed 400, invalid 422 `INVALID_RESOURCE`).
fn decode_body(ctx: &RequestContext, body: &[u8]) -> Result<Appointment, ApiError> {
    let format = ctx
        .body_format()
        .ok_or_else(|| ApiError::internal(NoBodyFormat))?;
    crate::body::decode(body, format)
}

/// The PUT handler ran without a checked body format (a wiring mistake).
#[derive(Debug, thiserror::Error)]
#[error("an appointment body was decoded on a request without a checked body format")]
struct NoBodyFormat;

/// The appointment `id` of the practice; 404 `NO_RECORD_FOUND` if there is none (SPEC 9.25:
/// the catch-all code, as no appointment-specific one exists).
async fn load(
    state: &AppState,
    ctx: &RequestContext,
    id: &str,
) -> Result<AppointmentRecord, ApiError> {
    let not_found = || ApiError::no_record_found(format!("There is no Appointment with id '{id}'"));
    let id = FhirId::parse(id).map_err(|_| not_found())?;
    state
        .store()
        .get_appointment(&ctx.practice().ods, &id)
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(not_found)
}

/// Stored data that cannot be turned back into a resource (SPEC 2.8: a 500).
#[derive(Debug, thiserror::Error)]
#[error("Appointment/{id}: the stored {what} cannot be read back: {reason}")]
struct CorruptRecord {
    id: FhirId,
    what: &'static str,
    reason: String,
}

fn read_back<T: DeserializeOwned>(
    record: &AppointmentRecord,
    what: &'static str,
    value: &serde_json::Value,
) -> Result<T, ApiError> {
    serde_json::from_value(value.clone()).map_err(|e| {
        ApiError::internal(CorruptRecord {
            id: record.id.clone(),
            what,
            reason: e.to_string(),
        })
    })
}

/// The participants an appointment is answered with: those sent at booking, as sent, plus a
/// Practitioner participant when the schedule has a practitioner the consumer did not name
/// (SPEC 3.11 response: patient, location and the practitioner if the schedule has one). An
/// appointment booked at the practice (no participants stored) gets them from its typed
/// fields.
fn participants(record: &AppointmentRecord) -> Result<Vec<AppointmentParticipant>, ApiError> {
    let accepted = |resource_type: &str, id: &FhirId| AppointmentParticipant {
        actor: Some(reference(resource_type, id)),
        status: "accepted".into(),
        ..Default::default()
    };
    let mut out = if record.participants.is_empty() {
        vec![
            accepted("Patient", &record.patient),
            accepted("Location", &record.location),
        ]
    } else {
        record
            .participants
            .iter()
            .map(|p| read_back(record, "participant", p))
            .collect::<Result<Vec<AppointmentParticipant>, _>>()?
    };
    if let Some(practitioner) = &record.practitioner {
        let named = reference("Practitioner", practitioner).reference;
        if !out
            .iter()
            .any(|p| p.actor.as_ref().and_then(|a| a.reference.as_ref()) == named.as_ref())
        {
            out.push(accepted("Practitioner", practitioner));
        }
    }
    Ok(out)
}

/// The `GPConnect-Appointment-1` resource for `record` (SPEC 3.11-3.15): the contained booking
/// organisation as sent and its extension, the provider-populated practitioner role and
/// delivery channel extensions, the cancellation reason if any, the slot type
/// (`serviceType[0].text`) and schedule type (`serviceCategory.text`), and UK local times.
/// Never `reason` or `specialty`.
pub fn to_fhir(record: &AppointmentRecord) -> Result<Appointment, ApiError> {
    let mut contained = Vec::new();
    let mut extension = Vec::new();
    if !record.booking_organization.is_null() {
        let organization: Resource =
            read_back(record, "booking organisation", &record.booking_organization)?;
        let id = organization.id().map(str::to_owned).ok_or_else(|| {
            ApiError::internal(CorruptRecord {
                id: record.id.clone(),
                what: "booking organisation",
                reason: "it has no id".into(),
            })
        })?;
        contained.push(organization);
        extension.push(Extension {
            url: BOOKING_ORGANISATION_EXTENSION.into(),
            value_reference: Some(Box::new(Reference {
                reference: Some(format!("#{id}")),
                ..Default::default()
            })),
            ..Default::default()
        });
    }
    if let Some(role) = &record.practitioner_role {
        extension.push(practitioner_role_extension(role));
    }
    if let Some(channel) = record.delivery_channel {
        extension.push(delivery_channel_extension(channel.code()));
    }
    if let Some(reason) = &record.cancellation_reason {
        extension.push(Extension {
            url: CANCELLATION_REASON_EXTENSION.into(),
            value_string: Some(reason.clone()),
            ..Default::default()
        });
    }
    Ok(Appointment {
        id: Some(record.id.as_str().to_owned()),
        meta: Some(meta(APPOINTMENT_PROFILE, record.version)),
        contained,
        extension,
        identifier: record
            .identifiers
            .iter()
            .map(|i| gpconnect_fhir::Identifier {
                system: Some(i.system.clone()),
                value: Some(i.value.clone()),
                ..Default::default()
            })
            .collect(),
        status: record.status.code().to_owned(),
        service_category: record.service_category.as_deref().map(text_concept),
        service_type: record
            .service_type
            .as_deref()
            .map(text_concept)
            .into_iter()
            .collect(),
        priority: record.priority,
        // SPEC 4.7: description is 1..1; an appointment made at the practice without one still
        // answers with a valid resource.
        description: Some(if record.description.is_empty() {
            "Appointment".to_owned()
        } else {
            record.description.clone()
        }),
        start: Some(record.start.to_string()),
        end: Some(record.end.to_string()),
        minutes_duration: record.minutes_duration,
        slot: record.slots.iter().map(|s| reference("Slot", s)).collect(),
        created: Some(record.created.to_string()),
        comment: record.comment.clone(),
        participant: participants(record)?,
        ..Default::default()
    })
}
