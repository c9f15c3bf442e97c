//! The identifier systems, profiles and extensions of GP Connect 1.2.7 the consumer writes into
//! requests and looks for in responses (SPEC 2.9, 4, 4.1).

/// NHS number identifier system (SPEC 2.9).
pub const NHS_NUMBER_SYSTEM: &str = "https://fhir.nhs.uk/Id/nhs-number";
/// ODS organisation code identifier system (SPEC 2.9).
pub const ODS_CODE_SYSTEM: &str = "https://fhir.nhs.uk/Id/ods-organization-code";
/// SDS user id identifier system (SPEC 2.9).
pub const SDS_USER_ID_SYSTEM: &str = "https://fhir.nhs.uk/Id/sds-user-id";
/// SDS role profile id identifier system (SPEC 2.9).
pub const SDS_ROLE_PROFILE_SYSTEM: &str = "https://fhir.nhs.uk/Id/sds-role-profile-id";

/// `CareConnect-GPC-Patient-1` (register request body, SPEC 3.4).
pub const PATIENT_PROFILE: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Patient-1";
/// `CareConnect-GPC-Organization-1` (the contained booking organisation, SPEC 3.11).
pub const ORGANIZATION_PROFILE: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Organization-1";
/// `GPConnect-Appointment-1` (book, amend and cancel bodies, SPEC 3.11, 3.13, 3.14).
pub const APPOINTMENT_PROFILE: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Appointment-1";

/// Booking organisation extension on Appointment (SPEC 4.1).
pub const BOOKING_ORGANISATION_EXTENSION: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-BookingOrganisation-1";
/// Cancellation reason extension on Appointment (SPEC 4.1).
pub const CANCELLATION_REASON_EXTENSION: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-AppointmentCancellationReason-1";
/// Delivery channel extension on Slot and Appointment (SPEC 4.1).
pub const DELIVERY_CHANNEL_EXTENSION: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-DeliveryChannel-2";
/// Practitioner role extension on Schedule and Appointment (SPEC 4.1).
pub const PRACTITIONER_ROLE_EXTENSION: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-GPConnect-PractitionerRole-1";

/// The `name` of the one parameter of `$gpc.registerpatient` (SPEC 3.4).
pub const REGISTER_PATIENT_PARAMETER: &str = "registerPatient";
