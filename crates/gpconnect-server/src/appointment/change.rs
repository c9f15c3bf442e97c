//! What amend (SPEC 3.13) and cancel (SPEC 3.14) have in common: the PUT body must be the
//! appointment itself (same id), `If-Match` (when sent) must name the current version, the
//! appointment must be in the future, and every field the consumer controls other than the ones
//! the interaction may change must be as the provider holds them.
//!
//! SPEC 9.16: the comparison covers the consumer-controlled fields only (status, start, end,
//! slots, participants, priority, minutesDuration, identifiers, the booking organisation,
//! created, description, comment, cancellation reason). The provider-populated fields
//! (serviceCategory, serviceType, the delivery channel and practitioner role extensions) may be
//! absent or present with any value: they are ignored, never an amendment.

use gpconnect_domain::records::AppointmentRecord;
use gpconnect_domain::SpineCode;
use gpconnect_fhir::{Appointment, Resource};
use http::header::IF_MATCH;
use http::HeaderMap;

use super::request;
use crate::context::RequestContext;
use crate::error::ApiError;

fn invalid(diagnostics: impl Into<String>) -> ApiError {
    ApiError::invalid_resource(diagnostics)
}

/// SPEC 2.7: a stale `If-Match` is 409 `FHIR_CONSTRAINT_VIOLATION` (ATS AppointmentCancel 15).
pub(super) fn version_conflict(current: i64) -> ApiError {
    ApiError::new(
        SpineCode::FhirConstraintViolation,
        format!(
            "The appointment has changed since it was read: its current version is W/\"{current}\""
        ),
    )
}

/// The version the change is made against: the one `If-Match` names (409 if that is not the
/// current one), or the current one when no `If-Match` was sent (SPEC 9.7: allowed).
pub(super) fn expected_version(
    headers: &HeaderMap,
    record: &AppointmentRecord,
) -> Result<i64, ApiError> {
    let Some(value) = headers.get(IF_MATCH) else {
        return Ok(record.version);
    };
    let sent = value.to_str().unwrap_or_default().trim();
    let tag = sent.strip_prefix("W/").unwrap_or(sent);
    let version = tag.strip_prefix('"').and_then(|t| t.strip_suffix('"'));
    if version == Some(record.version.to_string().as_str()) {
        Ok(record.version)
    } else {
        Err(version_conflict(record.version))
    }
}

/// FHIR update: the body's `id` must be the id in the URL (else 400).
pub(super) fn check_id(sent: &Appointment, id: &str) -> Result<(), ApiError> {
    match sent.id.as_deref() {
        Some(sent_id) if sent_id == id => Ok(()),
        Some(sent_id) => Err(ApiError::bad_request(format!(
            "The Appointment id '{sent_id}' in the body is not the id '{id}' in the URL"
        ))),
        None => Err(ApiError::bad_request(format!(
            "The Appointment in the body must have the id '{id}' of the URL"
        ))),
    }
}

/// SPEC 1, 9.8: only appointments from today onwards can be changed (422 `INVALID_RESOURCE`).
pub(super) fn check_future(
    ctx: &RequestContext,
    record: &AppointmentRecord,
    action: &str,
) -> Result<(), ApiError> {
    if record.start.uk_date() < ctx.received().uk_date() {
        return Err(invalid(format!(
            "Appointment/{} started on {}: past appointments cannot be {action}",
            record.id.as_str(),
            record.start.uk_date()
        )));
    }
    Ok(())
}

/// Which free-text fields the interaction may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum May {
    /// Amend: `description` and `comment`.
    ChangeTexts,
    /// Cancel: `status` and the cancellation reason, checked by the caller.
    Cancel,
}

/// Checks that `sent` changes nothing but what `may` allows, compared with `current` (the
/// resource the provider answers with for the stored appointment).
pub(super) fn check_unchanged(
    sent: &Appointment,
    current: &Appointment,
    stored_participants: &[serde_json::Value],
    may: May,
) -> Result<(), ApiError> {
    request::reject_forbidden_elements(sent)?;
    let extensions = request::extensions(sent)?;
    let unchanged = |field: &str| {
        let allowed = match may {
            May::ChangeTexts => "only description and comment can be amended",
            May::Cancel => "only status and the cancellation reason can change when cancelling",
        };
        invalid(format!(
            "Appointment.{field} differs from the appointment held by the provider: {allowed}"
        ))
    };

    if may == May::ChangeTexts {
        if extensions.cancellation_reason.is_some() {
            return Err(invalid(
                "The cancellation reason cannot be set by an amendment: use the cancel interaction",
            ));
        }
        if sent.status != current.status {
            return Err(unchanged("status"));
        }
    } else {
        if sent.description != current.description {
            return Err(unchanged("description"));
        }
        if sent.comment != current.comment {
            return Err(unchanged("comment"));
        }
    }
    let same_instant = |name: &str, sent: Option<&str>, held: Option<&str>| {
        let sent = request::instant(name, sent)?;
        match held.map(gpconnect_domain::UkDateTime::parse) {
            Some(Ok(held)) if held == sent => Ok(()),
            _ => Err(unchanged(name)),
        }
    };
    same_instant("start", sent.start.as_deref(), current.start.as_deref())?;
    same_instant("end", sent.end.as_deref(), current.end.as_deref())?;
    if let Some(created) = sent.created.as_deref() {
        let created = request::date_time("created", created)?;
        let held = current
            .created
            .as_deref()
            .map(gpconnect_domain::UkDateTime::parse);
        if !matches!(held, Some(Ok(h)) if h == created) {
            return Err(unchanged("created"));
        }
    }
    let references = |a: &Appointment| {
        let mut refs: Vec<Option<String>> = a.slot.iter().map(|s| s.reference.clone()).collect();
        refs.sort();
        refs
    };
    if references(sent) != references(current) {
        return Err(unchanged("slot"));
    }
    if sent.priority != current.priority {
        return Err(unchanged("priority"));
    }
    if sent.minutes_duration != current.minutes_duration {
        return Err(unchanged("minutesDuration"));
    }
    if sent.identifier != current.identifier {
        return Err(unchanged("identifier"));
    }
    // Participants: as the provider answers them, or exactly as they were sent at booking (the
    // provider may have added the schedule's practitioner).
    let as_booked = || {
        let sent: Vec<serde_json::Value> = sent
            .participant
            .iter()
            .filter_map(|p| serde_json::to_value(p).ok())
            .collect();
        !stored_participants.is_empty() && sent.as_slice() == stored_participants
    };
    if sent.participant != current.participant && !as_booked() {
        // Say why when the difference is an absolute or mistyped reference (ATS Amend 19).
        request::participants(&sent.participant)?;
        return Err(unchanged("participant"));
    }
    check_booking_organisation(sent, current, extensions.booking_organisation)
}

/// The booking organisation extension and the contained Organization must be as booked
/// (ATS AppointmentAmend 18, AppointmentCancel 23: an absolute reference is refused).
fn check_booking_organisation(
    sent: &Appointment,
    current: &Appointment,
    extension: Option<&gpconnect_fhir::Extension>,
) -> Result<(), ApiError> {
    let held_extension = current
        .extension
        .iter()
        .find(|e| e.url == super::BOOKING_ORGANISATION_EXTENSION);
    match (extension, held_extension) {
        (None, None) => {
            return if sent.contained.is_empty() {
                Ok(())
            } else {
                Err(invalid(
                    "Appointment.contained: the appointment has no booking organisation to contain",
                ))
            }
        }
        (Some(_), None) => {
            return Err(invalid(
                "The booking organisation of an appointment cannot be added after booking",
            ))
        }
        (None, Some(_)) => return Err(invalid(
            "The booking organisation extension and contained Organization must be sent as booked",
        )),
        (Some(_), Some(_)) => {}
    }
    // The same checks as at booking, so that an absolute reference is named as such.
    let booking = request::booking_organisation(sent, extension)?;
    let held = current.contained.iter().find_map(|r| match r {
        Resource::Organization(o) => Some(o.as_ref()),
        _ => None,
    });
    if extension.map(|e| &e.value_reference) != held_extension.map(|e| &e.value_reference)
        || held != Some(&booking.organization)
    {
        return Err(invalid(
            "The booking organisation differs from the one the appointment was booked for",
        ));
    }
    Ok(())
}
