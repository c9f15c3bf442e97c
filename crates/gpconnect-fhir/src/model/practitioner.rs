//! The STU3 `Practitioner` and `PractitionerRole` resources.
//!
//! Written from the STU3 (3.0.1) element definitions: fields appear in the
//! definition's element order, which the XML encoding relies on.

use serde::{Deserialize, Serialize};

use crate::model::{
    Address, Attachment, CodeableConcept, ContactPoint, Extension, HumanName, Identifier, Meta,
    Narrative, Period, Reference, Resource,
};

/// A person involved in providing care (`Practitioner`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Practitioner {
    /// `id` (id, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `meta` (Meta, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// `implicitRules` (uri, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub implicit_rules: Option<String>,
    /// `language` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// `text` (Narrative, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<Narrative>,
    /// `contained` (Resource, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contained: Vec<Resource>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `identifier` (Identifier, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifier: Vec<Identifier>,
    /// `active` (boolean, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// `name` (HumanName, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub name: Vec<HumanName>,
    /// `telecom` (ContactPoint, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub telecom: Vec<ContactPoint>,
    /// `address` (Address, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub address: Vec<Address>,
    /// `gender` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    /// `birthDate` (date, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    /// `photo` (Attachment, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photo: Vec<Attachment>,
    /// `qualification` (PractitionerQualification, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub qualification: Vec<PractitionerQualification>,
    /// `communication` (CodeableConcept, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub communication: Vec<CodeableConcept>,
}

/// A qualification of a practitioner (`Practitioner.qualification`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PractitionerQualification {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `identifier` (Identifier, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifier: Vec<Identifier>,
    /// `code` (CodeableConcept, 1..1).
    pub code: CodeableConcept,
    /// `period` (Period, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// `issuer` (Reference, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<Reference>,
}

/// Roles a practitioner performs at an organisation (`PractitionerRole`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PractitionerRole {
    /// `id` (id, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `meta` (Meta, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub meta: Option<Meta>,
    /// `implicitRules` (uri, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub implicit_rules: Option<String>,
    /// `language` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// `text` (Narrative, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<Narrative>,
    /// `contained` (Resource, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contained: Vec<Resource>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `identifier` (Identifier, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifier: Vec<Identifier>,
    /// `active` (boolean, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active: Option<bool>,
    /// `period` (Period, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// `practitioner` (Reference, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub practitioner: Option<Reference>,
    /// `organization` (Reference, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<Reference>,
    /// `code` (CodeableConcept, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub code: Vec<CodeableConcept>,
    /// `specialty` (CodeableConcept, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub specialty: Vec<CodeableConcept>,
    /// `location` (Reference, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub location: Vec<Reference>,
    /// `healthcareService` (Reference, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub healthcare_service: Vec<Reference>,
    /// `telecom` (ContactPoint, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub telecom: Vec<ContactPoint>,
    /// `availableTime` (PractitionerRoleAvailableTime, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub available_time: Vec<PractitionerRoleAvailableTime>,
    /// `notAvailable` (PractitionerRoleNotAvailable, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub not_available: Vec<PractitionerRoleNotAvailable>,
    /// `availabilityExceptions` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability_exceptions: Option<String>,
    /// `endpoint` (Reference, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub endpoint: Vec<Reference>,
}

/// Times the practitioner is available (`PractitionerRole.availableTime`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PractitionerRoleAvailableTime {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `daysOfWeek` (code, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub days_of_week: Vec<String>,
    /// `allDay` (boolean, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub all_day: Option<bool>,
    /// `availableStartTime` (time, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_start_time: Option<String>,
    /// `availableEndTime` (time, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_end_time: Option<String>,
}

/// A period the practitioner is unavailable (`PractitionerRole.notAvailable`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PractitionerRoleNotAvailable {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `description` (string, 1..1).
    pub description: String,
    /// `during` (Period, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub during: Option<Period>,
}
