//! The STU3 `Patient` resource and its backbone elements.
//!
//! Written from the STU3 (3.0.1) element definitions: fields appear in the
//! definition's element order, which the XML encoding relies on.

use serde::{Deserialize, Serialize};

use crate::model::{
    Address, Attachment, CodeableConcept, ContactPoint, Extension, HumanName, Identifier, Meta,
    Narrative, Period, Reference, Resource,
};

/// Demographics of a person receiving care (`Patient`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Patient {
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
    /// `gender` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    /// `birthDate` (date, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    /// `deceased[x]` as boolean (0..1; at most one `deceased[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deceased_boolean: Option<bool>,
    /// `deceased[x]` as dateTime (0..1; at most one `deceased[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub deceased_date_time: Option<String>,
    /// `address` (Address, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub address: Vec<Address>,
    /// `maritalStatus` (CodeableConcept, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub marital_status: Option<CodeableConcept>,
    /// `multipleBirth[x]` as boolean (0..1; at most one `multipleBirth[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multiple_birth_boolean: Option<bool>,
    /// `multipleBirth[x]` as integer (0..1; at most one `multipleBirth[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub multiple_birth_integer: Option<i64>,
    /// `photo` (Attachment, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photo: Vec<Attachment>,
    /// `contact` (PatientContact, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contact: Vec<PatientContact>,
    /// `animal` (PatientAnimal, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub animal: Option<PatientAnimal>,
    /// `communication` (PatientCommunication, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub communication: Vec<PatientCommunication>,
    /// `generalPractitioner` (Reference, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub general_practitioner: Vec<Reference>,
    /// `managingOrganization` (Reference, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub managing_organization: Option<Reference>,
    /// `link` (PatientLink, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub link: Vec<PatientLink>,
}

/// A contact party of a patient (`Patient.contact`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatientContact {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `relationship` (CodeableConcept, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relationship: Vec<CodeableConcept>,
    /// `name` (HumanName, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<HumanName>,
    /// `telecom` (ContactPoint, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub telecom: Vec<ContactPoint>,
    /// `address` (Address, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// `gender` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender: Option<String>,
    /// `organization` (Reference, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization: Option<Reference>,
    /// `period` (Period, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
}

/// Non-human patient details (`Patient.animal`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatientAnimal {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `species` (CodeableConcept, 1..1).
    pub species: CodeableConcept,
    /// `breed` (CodeableConcept, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breed: Option<CodeableConcept>,
    /// `genderStatus` (CodeableConcept, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gender_status: Option<CodeableConcept>,
}

/// A language the patient can use (`Patient.communication`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatientCommunication {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `language` (CodeableConcept, 1..1).
    pub language: CodeableConcept,
    /// `preferred` (boolean, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preferred: Option<bool>,
}

/// A link to another patient resource for the same person (`Patient.link`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PatientLink {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `other` (Reference, 1..1).
    pub other: Reference,
    /// `type` (code, 1..1).
    pub r#type: String,
}
