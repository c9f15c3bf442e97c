//! The parts of an Appointment request body that book, amend and cancel all check: elements a
//! GP Connect appointment must not carry, the extensions, the contained booking organisation,
//! participants, slot references, identifiers, times and the free-text limits. Every rejection
//! is 422 `INVALID_RESOURCE` naming the element (ATS AppointmentBook, Amend, Cancel).

use gpconnect_domain::records::{Identifier, OrgType};
use gpconnect_domain::{FhirId, OdsCode, UkDateTime};
use gpconnect_fhir::{Appointment, AppointmentParticipant, Extension, Organization, Resource};

use super::{BOOKING_ORGANISATION_EXTENSION, CANCELLATION_REASON_EXTENSION};
use crate::error::ApiError;
use crate::slot::{DELIVERY_CHANNEL_EXTENSION, ODS_CODE_SYSTEM, PRACTITIONER_ROLE_EXTENSION};

/// SPEC 3.11: the limit on `description` (characters).
pub(super) const DESCRIPTION_LIMIT: usize = 100;
/// SPEC 3.11: the limit on `comment` (characters).
pub(super) const COMMENT_LIMIT: usize = 500;

fn invalid(diagnostics: impl Into<String>) -> ApiError {
    ApiError::invalid_resource(diagnostics)
}

/// SPEC 3.11, 4.7: elements a GP Connect appointment never carries (`reason` and `specialty`
/// SHALL NOT be sent; the others are 0..0 in the profile).
pub(super) fn reject_forbidden_elements(a: &Appointment) -> Result<(), ApiError> {
    let present = [
        ("reason", !a.reason.is_empty()),
        ("specialty", !a.specialty.is_empty()),
        ("appointmentType", a.appointment_type.is_some()),
        ("indication", !a.indication.is_empty()),
        (
            "supportingInformation",
            !a.supporting_information.is_empty(),
        ),
        ("incomingReferral", !a.incoming_referral.is_empty()),
        ("requestedPeriod", !a.requested_period.is_empty()),
        ("modifierExtension", !a.modifier_extension.is_empty()),
    ];
    match present.iter().find(|(_, p)| *p) {
        Some((name, _)) => Err(invalid(format!(
            "Appointment.{name} must not be sent in a GP Connect appointment"
        ))),
        None => Ok(()),
    }
}

/// The extensions of an appointment request, sorted by kind.
#[derive(Debug, Default)]
pub(super) struct Extensions<'a> {
    /// `Extension-GPConnect-BookingOrganisation-1`.
    pub booking_organisation: Option<&'a Extension>,
    /// `Extension-GPConnect-AppointmentCancellationReason-1`.
    pub cancellation_reason: Option<&'a Extension>,
}

/// Sorts the extensions: the booking organisation and cancellation reason are kept; the
/// delivery channel and practitioner role are the provider's to populate (SPEC 3.11) and are
/// accepted and ignored; any other URL, or a repeated one, is refused.
pub(super) fn extensions(a: &Appointment) -> Result<Extensions<'_>, ApiError> {
    let mut out = Extensions::default();
    for (i, e) in a.extension.iter().enumerate() {
        let slot = match e.url.as_str() {
            BOOKING_ORGANISATION_EXTENSION => &mut out.booking_organisation,
            CANCELLATION_REASON_EXTENSION => &mut out.cancellation_reason,
            DELIVERY_CHANNEL_EXTENSION | PRACTITIONER_ROLE_EXTENSION => continue,
            other => {
                return Err(invalid(format!(
                    "Appointment.extension[{i}]: the extension '{other}' is not supported on a \
                     GP Connect appointment"
                )))
            }
        };
        if slot.replace(e).is_some() {
            return Err(invalid(format!(
                "Appointment.extension[{i}]: the extension '{}' may be sent once only",
                e.url
            )));
        }
    }
    Ok(out)
}

/// The contained booking organisation (SPEC 3.11: referenced as `#id`; it has an ODS code, a
/// name and a telecom).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct BookingOrganisation {
    /// The contained Organization as sent.
    pub organization: Organization,
    /// Its ODS code (`None` when the value is not a well-formed ODS code).
    pub ods_code: Option<OdsCode>,
    /// Its `GPConnect-OrganisationType-1` code, if it has one.
    pub org_type: Option<String>,
}

impl BookingOrganisation {
    /// The organisation as stored (a contained resource, `resourceType` and `id` included).
    pub fn to_json(&self) -> Result<serde_json::Value, ApiError> {
        serde_json::to_value(Resource::from(self.organization.clone())).map_err(ApiError::internal)
    }
}

/// Finds and checks the booking organisation of `a` (ATS AppointmentBook 29, 30, 38).
pub(super) fn booking_organisation(
    a: &Appointment,
    extension: Option<&Extension>,
) -> Result<BookingOrganisation, ApiError> {
    // SPEC 1: the booking organisation is contained and referenced by its local id; only
    // Organizations may be contained.
    if let Some(other) = a
        .contained
        .iter()
        .find(|r| !matches!(r, Resource::Organization(_)))
    {
        return Err(invalid(format!(
            "Appointment.contained: only the booking Organization may be contained, found a {}",
            other.resource_type()
        )));
    }
    let extension = extension.ok_or_else(|| {
        invalid(format!(
            "Appointment.extension: the booking organisation extension '{BOOKING_ORGANISATION_EXTENSION}' is required"
        ))
    })?;
    let reference = extension
        .value_reference
        .as_ref()
        .and_then(|r| r.reference.as_deref())
        .ok_or_else(|| {
            invalid(
                "The booking organisation extension must have a valueReference with a reference",
            )
        })?;
    let local_id = reference.strip_prefix('#').ok_or_else(|| {
        invalid(format!(
            "The booking organisation reference '{reference}' must point to a contained \
             Organization ('#' followed by its id), not to an external resource"
        ))
    })?;
    let organization = a
        .contained
        .iter()
        .find_map(|r| match r {
            Resource::Organization(o) if o.id.as_deref() == Some(local_id) => Some(o.as_ref()),
            _ => None,
        })
        .ok_or_else(|| {
            invalid(format!(
                "The booking organisation reference '{reference}' names no contained Organization"
            ))
        })?;
    if a.contained.len() > 1 {
        return Err(invalid(
            "Appointment.contained: only the booking Organization may be contained",
        ));
    }
    if organization.name.is_none() {
        return Err(invalid(
            "The contained booking Organization must have a name",
        ));
    }
    if organization.telecom.is_empty() {
        return Err(invalid(
            "The contained booking Organization must have a telecom",
        ));
    }
    let ods = organization
        .identifier
        .iter()
        .find(|i| i.system.as_deref() == Some(ODS_CODE_SYSTEM))
        .and_then(|i| i.value.as_deref())
        .ok_or_else(|| {
            invalid(format!(
                "The contained booking Organization must have an identifier with system '{ODS_CODE_SYSTEM}' and a value"
            ))
        })?;
    let org_type = organization
        .r#type
        .iter()
        .flat_map(|t| &t.coding)
        .find(|c| c.system.as_deref() == Some(OrgType::SYSTEM))
        .and_then(|c| c.code.clone());
    Ok(BookingOrganisation {
        organization: organization.clone(),
        ods_code: OdsCode::parse(ods).ok(),
        org_type,
    })
}

/// The participants of a request.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Participants {
    pub patient: FhirId,
    pub location: FhirId,
    pub practitioner: Option<FhirId>,
}

/// Splits a relative reference `Type/id` (SPEC 1: absolute references are refused).
pub(super) fn relative<'r>(reference: &'r str, what: &str) -> Result<(&'r str, FhirId), ApiError> {
    let refuse = || {
        invalid(format!(
            "{what}: '{reference}' is not a relative reference of the form Type/id"
        ))
    };
    let (resource_type, id) = reference.split_once('/').ok_or_else(refuse)?;
    let id = FhirId::parse(id).map_err(|_| refuse())?;
    Ok((resource_type, id))
}

/// SPEC 3.11: one Patient and one Location participant, at most one Practitioner, each with an
/// actor and a status (ATS AppointmentBook 13, 14, 23).
pub(super) fn participants(list: &[AppointmentParticipant]) -> Result<Participants, ApiError> {
    let (mut patient, mut location, mut practitioner) = (None, None, None);
    for (i, p) in list.iter().enumerate() {
        let what = format!("Appointment.participant[{i}].actor");
        let reference = p
            .actor
            .as_ref()
            .and_then(|a| a.reference.as_deref())
            .ok_or_else(|| {
                invalid(format!(
                    "{what}: every participant must have an actor reference"
                ))
            })?;
        let (resource_type, id) = relative(reference, &what)?;
        let slot = match resource_type {
            "Patient" => &mut patient,
            "Location" => &mut location,
            "Practitioner" => &mut practitioner,
            _ => {
                return Err(invalid(format!(
                    "{what}: '{reference}' is not a Patient, Location or Practitioner"
                )))
            }
        };
        if slot.replace(id).is_some() {
            return Err(invalid(format!(
                "Appointment.participant: more than one {resource_type} participant was sent"
            )));
        }
    }
    Ok(Participants {
        patient: patient
            .ok_or_else(|| invalid("Appointment.participant: a Patient participant is required"))?,
        location: location.ok_or_else(|| {
            invalid("Appointment.participant: a Location participant is required")
        })?,
        practitioner,
    })
}

/// SPEC 3.11: one or more `Slot/{id}` references, none repeated (ATS AppointmentBook 16, 21).
pub(super) fn slot_ids(a: &Appointment) -> Result<Vec<FhirId>, ApiError> {
    if a.slot.is_empty() {
        return Err(invalid("Appointment.slot: at least one slot is required"));
    }
    let mut ids = Vec::with_capacity(a.slot.len());
    for (i, s) in a.slot.iter().enumerate() {
        let what = format!("Appointment.slot[{i}]");
        let reference = s
            .reference
            .as_deref()
            .ok_or_else(|| invalid(format!("{what}: the slot reference is missing")))?;
        match relative(reference, &what)? {
            ("Slot", id) if !ids.contains(&id) => ids.push(id),
            ("Slot", _) => return Err(invalid(format!("{what}: '{reference}' is listed twice"))),
            _ => {
                return Err(invalid(format!(
                    "{what}: '{reference}' is not a Slot reference"
                )))
            }
        }
    }
    Ok(ids)
}

/// SPEC 2.9: a business identifier has both a system and a value (ATS AppointmentBook 22).
pub(super) fn identifiers(a: &Appointment) -> Result<Vec<Identifier>, ApiError> {
    a.identifier
        .iter()
        .enumerate()
        .map(|(i, id)| match (&id.system, &id.value) {
            (Some(system), Some(value)) => Ok(Identifier {
                system: system.clone(),
                value: value.clone(),
            }),
            _ => Err(invalid(format!(
                "Appointment.identifier[{i}] must have both a system and a value"
            ))),
        })
        .collect()
}

/// A required instant (`start`, `end`): a full date-time with an offset.
pub(super) fn instant(name: &str, value: Option<&str>) -> Result<UkDateTime, ApiError> {
    let value = value.ok_or_else(|| invalid(format!("Appointment.{name} is required")))?;
    UkDateTime::parse(value).map_err(|_| {
        invalid(format!(
            "Appointment.{name} '{value}' is not a date-time with an offset (yyyy-mm-ddThh:mm:ss+hh:mm)"
        ))
    })
}

/// `created`: any FHIR dateTime (ATS 3.6: consumers send UTC with an offset or `Z`, possibly
/// with fractional seconds). A date or partial date stands for the start of that UK day.
pub(super) fn date_time(name: &str, value: &str) -> Result<UkDateTime, ApiError> {
    let refuse = || {
        invalid(format!(
            "Appointment.{name} '{value}' is not a FHIR dateTime"
        ))
    };
    let padded = match value.len() {
        4 => format!("{value}-01-01"),
        7 => format!("{value}-01"),
        _ => value.to_owned(),
    };
    if let Some(date) = crate::slot::parse_date(&padded) {
        return Ok(UkDateTime::start_of_uk_day(date));
    }
    if value.len() > 10 && value.as_bytes().get(10) == Some(&b'T') {
        if let Ok(ts) = value.parse::<jiff::Timestamp>() {
            return Ok(UkDateTime::from_timestamp(ts));
        }
    }
    Err(refuse())
}

/// SPEC 3.11: `description` is required and at most 100 characters, `comment` at most 500; the
/// provider stores what it accepts without truncating it.
pub(super) fn texts(a: &Appointment) -> Result<(String, Option<String>), ApiError> {
    let description = a
        .description
        .as_deref()
        .ok_or_else(|| invalid("Appointment.description is required"))?;
    if description.chars().count() > DESCRIPTION_LIMIT {
        return Err(invalid(format!(
            "Appointment.description is longer than {DESCRIPTION_LIMIT} characters"
        )));
    }
    if let Some(comment) = &a.comment {
        if comment.chars().count() > COMMENT_LIMIT {
            return Err(invalid(format!(
                "Appointment.comment is longer than {COMMENT_LIMIT} characters"
            )));
        }
    }
    Ok((description.to_owned(), a.comment.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use gpconnect_domain::SpineCode;

    #[test]
    fn created_accepts_any_fhir_date_time() {
        for (sent, stored) in [
            ("2026-07-01T08:00:00Z", "2026-07-01T09:00:00+01:00"),
            (
                "2026-07-01T08:00:00.1234567+00:00",
                "2026-07-01T09:00:00+01:00",
            ),
            ("2026-01-01T08:00:00+00:00", "2026-01-01T08:00:00+00:00"),
            ("2026-07-01", "2026-07-01T00:00:00+01:00"),
            ("2026-07", "2026-07-01T00:00:00+01:00"),
            ("2026", "2026-01-01T00:00:00+00:00"),
        ] {
            assert_eq!(
                date_time("created", sent).unwrap().to_string(),
                stored,
                "{sent}"
            );
        }
        for bad in [
            "2026-07-01T08:00:00",
            "yesterday",
            "2026-13-01",
            "2026-07-01T25:00:00Z",
        ] {
            assert_eq!(
                date_time("created", bad).unwrap_err().code(),
                SpineCode::InvalidResource,
                "{bad}"
            );
        }
    }

    #[test]
    fn references_must_be_relative() {
        assert!(relative("Slot/1", "x").is_ok());
        for bad in [
            "Slot/45555555##",
            "https://test1.supplier.thirdparty.nhs.uk/A11111/STU3/1/GPConnect/Slot/#12345",
            "Slot/",
            "Slot",
        ] {
            assert!(relative(bad, "x").is_err(), "{bad}");
        }
    }
}
