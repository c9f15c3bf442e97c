//! The Spine error catalogue used in `GPConnect-OperationOutcome-1` (SPEC 2.8).

/// The CodeSystem fixed by the OperationOutcome profile (SPEC 9.1: the CodeSystem URL, not the
/// ValueSet URL the spec's examples show).
pub const SPINE_ERROR_SYSTEM: &str =
    "https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1";

/// A Spine error code with its HTTP status, FHIR issue type and CodeSystem display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpineCode {
    BadRequest,
    InvalidIdentifierSystem,
    InvalidIdentifierValue,
    InvalidNhsNumber,
    InvalidPatientDemographics,
    OrganisationNotFound,
    PatientNotFound,
    PractitionerNotFound,
    NoRecordFound,
    NoPatientConsent,
    NoOrganisationConsent,
    AccessDenied,
    DuplicateRejected,
    InvalidResource,
    InvalidParameter,
    ReferenceNotFound,
    FhirConstraintViolation,
    NotImplemented,
    InternalServerError,
}

impl SpineCode {
    pub const ALL: [SpineCode; 19] = [
        Self::BadRequest,
        Self::InvalidIdentifierSystem,
        Self::InvalidIdentifierValue,
        Self::InvalidNhsNumber,
        Self::InvalidPatientDemographics,
        Self::OrganisationNotFound,
        Self::PatientNotFound,
        Self::PractitionerNotFound,
        Self::NoRecordFound,
        Self::NoPatientConsent,
        Self::NoOrganisationConsent,
        Self::AccessDenied,
        Self::DuplicateRejected,
        Self::InvalidResource,
        Self::InvalidParameter,
        Self::ReferenceNotFound,
        Self::FhirConstraintViolation,
        Self::NotImplemented,
        Self::InternalServerError,
    ];

    /// The code as written in `details.coding.code`.
    pub fn code(self) -> &'static str {
        match self {
            Self::BadRequest => "BAD_REQUEST",
            Self::InvalidIdentifierSystem => "INVALID_IDENTIFIER_SYSTEM",
            Self::InvalidIdentifierValue => "INVALID_IDENTIFIER_VALUE",
            Self::InvalidNhsNumber => "INVALID_NHS_NUMBER",
            Self::InvalidPatientDemographics => "INVALID_PATIENT_DEMOGRAPHICS",
            Self::OrganisationNotFound => "ORGANISATION_NOT_FOUND",
            Self::PatientNotFound => "PATIENT_NOT_FOUND",
            Self::PractitionerNotFound => "PRACTITIONER_NOT_FOUND",
            Self::NoRecordFound => "NO_RECORD_FOUND",
            Self::NoPatientConsent => "NO_PATIENT_CONSENT",
            // SPEC 9.2: the error page spelling, not the CodeSystem's.
            Self::NoOrganisationConsent => "NO_ORGANISATION_CONSENT",
            Self::AccessDenied => "ACCESS_DENIED",
            Self::DuplicateRejected => "DUPLICATE_REJECTED",
            Self::InvalidResource => "INVALID_RESOURCE",
            Self::InvalidParameter => "INVALID_PARAMETER",
            Self::ReferenceNotFound => "REFERENCE_NOT_FOUND",
            Self::FhirConstraintViolation => "FHIR_CONSTRAINT_VIOLATION",
            Self::NotImplemented => "NOT_IMPLEMENTED",
            Self::InternalServerError => "INTERNAL_SERVER_ERROR",
        }
    }

    /// The CodeSystem display (SPEC 2.8).
    pub fn display(self) -> &'static str {
        match self {
            Self::BadRequest => "Bad request",
            Self::InvalidIdentifierSystem => "Invalid identifier system",
            Self::InvalidIdentifierValue => "Invalid identifier value",
            Self::InvalidNhsNumber => "Invalid NHS number",
            Self::InvalidPatientDemographics => "Invalid patient demographics",
            Self::OrganisationNotFound => "Organisation not found",
            Self::PatientNotFound => "Patient not found",
            Self::PractitionerNotFound => "Practitioner not found",
            Self::NoRecordFound => "No record found",
            Self::NoPatientConsent => "Patient has not provided consent to share data",
            Self::NoOrganisationConsent => "Organisation has not provided consent to share data",
            Self::AccessDenied => "Access denied",
            Self::DuplicateRejected => "Create would lead to creation of a duplicate resource",
            Self::InvalidResource => "Invalid validation of resource",
            Self::InvalidParameter => "Invalid parameter",
            Self::ReferenceNotFound => "Reference not found",
            Self::FhirConstraintViolation => "FHIR constraint violated",
            Self::NotImplemented => "Not implemented",
            Self::InternalServerError => "Unexpected internal server error",
        }
    }

    /// The HTTP status this code is answered with.
    pub fn http_status(self) -> u16 {
        match self {
            Self::BadRequest
            | Self::InvalidIdentifierSystem
            | Self::InvalidIdentifierValue
            | Self::InvalidNhsNumber
            | Self::InvalidPatientDemographics => 400,
            Self::NoPatientConsent | Self::NoOrganisationConsent | Self::AccessDenied => 403,
            Self::OrganisationNotFound
            | Self::PatientNotFound
            | Self::PractitionerNotFound
            | Self::NoRecordFound => 404,
            Self::DuplicateRejected | Self::FhirConstraintViolation => 409,
            Self::InvalidResource | Self::InvalidParameter | Self::ReferenceNotFound => 422,
            Self::InternalServerError => 500,
            Self::NotImplemented => 501,
        }
    }

    /// The FHIR `issue.code` (issue-type) for this error.
    pub fn issue_type(self) -> &'static str {
        match self {
            Self::InvalidIdentifierSystem
            | Self::InvalidIdentifierValue
            | Self::InvalidNhsNumber => "value",
            Self::InvalidPatientDemographics => "business-rule",
            Self::OrganisationNotFound
            | Self::PatientNotFound
            | Self::PractitionerNotFound
            | Self::NoRecordFound => "not-found",
            Self::NoPatientConsent | Self::NoOrganisationConsent | Self::AccessDenied => {
                "forbidden"
            }
            Self::DuplicateRejected => "duplicate",
            Self::FhirConstraintViolation => "conflict",
            Self::BadRequest
            | Self::InvalidResource
            | Self::InvalidParameter
            | Self::ReferenceNotFound => "invalid",
            Self::NotImplemented => "not-supported",
            Self::InternalServerError => "processing",
        }
    }

    /// Looks a code up by its wire spelling (used by consumers turning OperationOutcomes into errors).
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_statuses_follow_the_catalogue() {
        for c in SpineCode::ALL {
            assert_eq!(SpineCode::from_code(c.code()), Some(c));
        }
        assert_eq!(SpineCode::InvalidParameter.http_status(), 422);
        assert_eq!(SpineCode::DuplicateRejected.http_status(), 409);
        assert_eq!(
            SpineCode::OrganisationNotFound.code(),
            "ORGANISATION_NOT_FOUND"
        );
    }
}
