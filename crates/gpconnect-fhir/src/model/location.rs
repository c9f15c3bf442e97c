//! The STU3 `Location` resource.
//!
//! Written from the STU3 (3.0.1) element definitions: fields appear in the
//! definition's element order, which the XML encoding relies on.

use serde::{Deserialize, Serialize};
use serde_json::Number;

use crate::model::{
    Address, CodeableConcept, Coding, ContactPoint, Extension, Identifier, Meta, Narrative,
    Reference, Resource,
};

/// A physical place where services are provided (`Location`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Location {
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
    /// `status` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `operationalStatus` (Coding, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub operational_status: Option<Coding>,
    /// `name` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `alias` (string, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alias: Vec<String>,
    /// `description` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `mode` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// `type` (CodeableConcept, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<CodeableConcept>,
    /// `telecom` (ContactPoint, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub telecom: Vec<ContactPoint>,
    /// `address` (Address, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// `physicalType` (CodeableConcept, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub physical_type: Option<CodeableConcept>,
    /// `position` (LocationPosition, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<LocationPosition>,
    /// `managingOrganization` (Reference, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub managing_organization: Option<Reference>,
    /// `partOf` (Reference, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_of: Option<Reference>,
    /// `endpoint` (Reference, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub endpoint: Vec<Reference>,
}

/// WGS84 coordinates of a location (`Location.position`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LocationPosition {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `longitude` (decimal, 1..1).
    pub longitude: Number,
    /// `latitude` (decimal, 1..1).
    pub latitude: Number,
    /// `altitude` (decimal, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub altitude: Option<Number>,
}
