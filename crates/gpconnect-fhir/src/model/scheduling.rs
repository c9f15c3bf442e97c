//! The STU3 scheduling resources: `Schedule`, `Slot` and `Appointment`.
//!
//! Written from the STU3 (3.0.1) element definitions: fields appear in the
//! definition's element order, which the XML encoding relies on.

use serde::{Deserialize, Serialize};

use crate::model::{
    CodeableConcept, Extension, Identifier, Meta, Narrative, Period, Reference, Resource,
};

/// A container for slots of time that may be booked (`Schedule`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Schedule {
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
    /// `serviceCategory` (CodeableConcept, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_category: Option<CodeableConcept>,
    /// `serviceType` (CodeableConcept, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_type: Vec<CodeableConcept>,
    /// `specialty` (CodeableConcept, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub specialty: Vec<CodeableConcept>,
    /// `actor` (Reference, 1..*).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub actor: Vec<Reference>,
    /// `planningHorizon` (Period, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub planning_horizon: Option<Period>,
    /// `comment` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A bookable slot of time on a schedule (`Slot`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Slot {
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
    /// `serviceCategory` (CodeableConcept, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_category: Option<CodeableConcept>,
    /// `serviceType` (CodeableConcept, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_type: Vec<CodeableConcept>,
    /// `specialty` (CodeableConcept, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub specialty: Vec<CodeableConcept>,
    /// `appointmentType` (CodeableConcept, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appointment_type: Option<CodeableConcept>,
    /// `schedule` (Reference, 1..1).
    pub schedule: Reference,
    /// `status` (code, 1..1).
    pub status: String,
    /// `start` (instant, 1..1).
    pub start: String,
    /// `end` (instant, 1..1).
    pub end: String,
    /// `overbooked` (boolean, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overbooked: Option<bool>,
    /// `comment` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A booking of a healthcare event (`Appointment`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Appointment {
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
    /// `status` (code, 1..1).
    pub status: String,
    /// `serviceCategory` (CodeableConcept, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_category: Option<CodeableConcept>,
    /// `serviceType` (CodeableConcept, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service_type: Vec<CodeableConcept>,
    /// `specialty` (CodeableConcept, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub specialty: Vec<CodeableConcept>,
    /// `appointmentType` (CodeableConcept, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub appointment_type: Option<CodeableConcept>,
    /// `reason` (CodeableConcept, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reason: Vec<CodeableConcept>,
    /// `indication` (Reference, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indication: Vec<Reference>,
    /// `priority` (unsignedInt, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
    /// `description` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `supportingInformation` (Reference, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supporting_information: Vec<Reference>,
    /// `start` (instant, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// `end` (instant, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
    /// `minutesDuration` (positiveInt, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub minutes_duration: Option<i64>,
    /// `slot` (Reference, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slot: Vec<Reference>,
    /// `created` (dateTime, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
    /// `comment` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// `incomingReferral` (Reference, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub incoming_referral: Vec<Reference>,
    /// `participant` (AppointmentParticipant, 1..*).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub participant: Vec<AppointmentParticipant>,
    /// `requestedPeriod` (Period, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub requested_period: Vec<Period>,
}

/// A participant of an appointment (`Appointment.participant`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppointmentParticipant {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `type` (CodeableConcept, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub r#type: Vec<CodeableConcept>,
    /// `actor` (Reference, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<Reference>,
    /// `required` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required: Option<String>,
    /// `status` (code, 1..1).
    pub status: String,
}
