//! The interaction catalogue (SPEC 2.4): verb, path shape, `Ssp-InteractionID` and the JWT
//! `requested_scope` each interaction requires.

use std::fmt;

/// A JWT `requested_scope` value (SPEC 2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scope {
    PatientRead,
    PatientWrite,
    OrganizationRead,
    OrganizationWrite,
}

impl Scope {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::PatientRead => "patient/*.read",
            Self::PatientWrite => "patient/*.write",
            Self::OrganizationRead => "organization/*.read",
            Self::OrganizationWrite => "organization/*.write",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::PatientRead,
            Self::PatientWrite,
            Self::OrganizationRead,
            Self::OrganizationWrite,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The fifteen Foundations and Appointment Management interactions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Interaction {
    ReadMetadata,
    SearchPatient,
    ReadPatient,
    RegisterPatient,
    SearchPractitioner,
    ReadPractitioner,
    SearchOrganization,
    ReadOrganization,
    ReadLocation,
    SearchSlots,
    BookAppointment,
    ReadAppointment,
    AmendAppointment,
    CancelAppointment,
    SearchPatientAppointments,
}

impl Interaction {
    pub const ALL: [Interaction; 15] = [
        Self::ReadMetadata,
        Self::SearchPatient,
        Self::ReadPatient,
        Self::RegisterPatient,
        Self::SearchPractitioner,
        Self::ReadPractitioner,
        Self::SearchOrganization,
        Self::ReadOrganization,
        Self::ReadLocation,
        Self::SearchSlots,
        Self::BookAppointment,
        Self::ReadAppointment,
        Self::AmendAppointment,
        Self::CancelAppointment,
        Self::SearchPatientAppointments,
    ];

    /// The `Ssp-InteractionID` URN.
    pub fn id(self) -> &'static str {
        match self {
            Self::ReadMetadata => "urn:nhs:names:services:gpconnect:fhir:rest:read:metadata-1",
            Self::SearchPatient => "urn:nhs:names:services:gpconnect:fhir:rest:search:patient-1",
            Self::ReadPatient => "urn:nhs:names:services:gpconnect:fhir:rest:read:patient-1",
            Self::RegisterPatient => {
                "urn:nhs:names:services:gpconnect:fhir:operation:gpc.registerpatient-1"
            }
            Self::SearchPractitioner => {
                "urn:nhs:names:services:gpconnect:fhir:rest:search:practitioner-1"
            }
            Self::ReadPractitioner => {
                "urn:nhs:names:services:gpconnect:fhir:rest:read:practitioner-1"
            }
            Self::SearchOrganization => {
                "urn:nhs:names:services:gpconnect:fhir:rest:search:organization-1"
            }
            Self::ReadOrganization => {
                "urn:nhs:names:services:gpconnect:fhir:rest:read:organization-1"
            }
            Self::ReadLocation => "urn:nhs:names:services:gpconnect:fhir:rest:read:location-1",
            Self::SearchSlots => "urn:nhs:names:services:gpconnect:fhir:rest:search:slot-1",
            Self::BookAppointment => {
                "urn:nhs:names:services:gpconnect:fhir:rest:create:appointment-1"
            }
            Self::ReadAppointment => {
                "urn:nhs:names:services:gpconnect:fhir:rest:read:appointment-1"
            }
            Self::AmendAppointment => {
                "urn:nhs:names:services:gpconnect:fhir:rest:update:appointment-1"
            }
            Self::CancelAppointment => {
                "urn:nhs:names:services:gpconnect:fhir:rest:cancel:appointment-1"
            }
            Self::SearchPatientAppointments => {
                "urn:nhs:names:services:gpconnect:fhir:rest:search:patient_appointments-1"
            }
        }
    }

    /// Looks an interaction up by its exact URN (case-sensitive, no trimming: ATS sends one
    /// with a trailing space and expects 400).
    pub fn from_id(id: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|i| i.id() == id)
    }

    /// The HTTP method the interaction uses.
    pub fn method(self) -> &'static str {
        match self {
            Self::RegisterPatient | Self::BookAppointment => "POST",
            Self::AmendAppointment | Self::CancelAppointment => "PUT",
            _ => "GET",
        }
    }

    /// The scope the JWT must request (SPEC 2.4).
    pub fn scope(self) -> Scope {
        match self {
            Self::ReadMetadata
            | Self::SearchPractitioner
            | Self::ReadPractitioner
            | Self::SearchOrganization
            | Self::ReadOrganization
            | Self::ReadLocation
            | Self::SearchSlots => Scope::OrganizationRead,
            Self::SearchPatient
            | Self::ReadPatient
            | Self::ReadAppointment
            | Self::SearchPatientAppointments => Scope::PatientRead,
            Self::RegisterPatient
            | Self::BookAppointment
            | Self::AmendAppointment
            | Self::CancelAppointment => Scope::PatientWrite,
        }
    }

    /// A short human name, for logs, audit and the CLI.
    pub fn name(self) -> &'static str {
        match self {
            Self::ReadMetadata => "read metadata",
            Self::SearchPatient => "find a patient",
            Self::ReadPatient => "read a patient",
            Self::RegisterPatient => "register a patient",
            Self::SearchPractitioner => "find a practitioner",
            Self::ReadPractitioner => "read a practitioner",
            Self::SearchOrganization => "find an organisation",
            Self::ReadOrganization => "read an organisation",
            Self::ReadLocation => "read a location",
            Self::SearchSlots => "search for free slots",
            Self::BookAppointment => "book an appointment",
            Self::ReadAppointment => "read an appointment",
            Self::AmendAppointment => "amend an appointment",
            Self::CancelAppointment => "cancel an appointment",
            Self::SearchPatientAppointments => "retrieve a patient's appointments",
        }
    }
}

impl fmt::Display for Interaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_round_trip() {
        for i in Interaction::ALL {
            assert_eq!(Interaction::from_id(i.id()), Some(i));
        }
        assert_eq!(
            Interaction::from_id(
                "urn:nhs:names:services:gpconnect:fhir:rest:search:organization-1 "
            ),
            None
        );
    }

    #[test]
    fn amend_and_cancel_share_a_verb() {
        assert_eq!(Interaction::AmendAppointment.method(), "PUT");
        assert_eq!(Interaction::CancelAppointment.method(), "PUT");
        assert_eq!(Interaction::RegisterPatient.scope(), Scope::PatientWrite);
    }
}
