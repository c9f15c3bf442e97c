//! The STU3 `Device` resource.
//!
//! Written from the STU3 (3.0.1) element definitions: fields appear in the
//! definition's element order, which the XML encoding relies on.

use serde::{Deserialize, Serialize};

use crate::model::{
    Annotation, CodeableConcept, ContactPoint, Extension, Identifier, Meta, Narrative, Reference,
    Resource,
};

/// A manufactured item, e.g. the consumer system (`Device`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Device {
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
    /// `udi` (DeviceUdi, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub udi: Option<DeviceUdi>,
    /// `status` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// `type` (CodeableConcept, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<CodeableConcept>,
    /// `lotNumber` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lot_number: Option<String>,
    /// `manufacturer` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manufacturer: Option<String>,
    /// `manufactureDate` (dateTime, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub manufacture_date: Option<String>,
    /// `expirationDate` (dateTime, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expiration_date: Option<String>,
    /// `model` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// `version` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `patient` (Reference, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patient: Option<Reference>,
    /// `owner` (Reference, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<Reference>,
    /// `contact` (ContactPoint, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contact: Vec<ContactPoint>,
    /// `location` (Reference, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Reference>,
    /// `url` (uri, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `note` (Annotation, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub note: Vec<Annotation>,
    /// `safety` (CodeableConcept, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub safety: Vec<CodeableConcept>,
}

/// Unique device identifier barcode details (`Device.udi`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeviceUdi {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `deviceIdentifier` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub device_identifier: Option<String>,
    /// `name` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `jurisdiction` (uri, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
    /// `carrierHRF` (string, 0..1).
    #[serde(rename = "carrierHRF", skip_serializing_if = "Option::is_none")]
    pub carrier_hrf: Option<String>,
    /// `carrierAIDC` (base64Binary, 0..1).
    #[serde(rename = "carrierAIDC", skip_serializing_if = "Option::is_none")]
    pub carrier_aidc: Option<String>,
    /// `issuer` (uri, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// `entryType` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry_type: Option<String>,
}
