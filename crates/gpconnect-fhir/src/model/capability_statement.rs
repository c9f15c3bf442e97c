//! The STU3 `CapabilityStatement` resource.
//!
//! Written from the STU3 (3.0.1) element definitions: fields appear in the
//! definition's element order, which the XML encoding relies on.

use serde::{Deserialize, Serialize};

use crate::model::{
    CodeableConcept, Coding, ContactDetail, Extension, Meta, Narrative, Reference, Resource,
    UsageContext,
};

/// The capabilities of a FHIR server (`CapabilityStatement`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CapabilityStatement {
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
    /// `url` (uri, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `version` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `name` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `title` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `status` (code, 1..1).
    pub status: String,
    /// `experimental` (boolean, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub experimental: Option<bool>,
    /// `date` (dateTime, 1..1).
    pub date: String,
    /// `publisher` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub publisher: Option<String>,
    /// `contact` (ContactDetail, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contact: Vec<ContactDetail>,
    /// `description` (markdown, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `useContext` (UsageContext, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub use_context: Vec<UsageContext>,
    /// `jurisdiction` (CodeableConcept, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub jurisdiction: Vec<CodeableConcept>,
    /// `purpose` (markdown, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purpose: Option<String>,
    /// `copyright` (markdown, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copyright: Option<String>,
    /// `kind` (code, 1..1).
    pub kind: String,
    /// `instantiates` (uri, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub instantiates: Vec<String>,
    /// `software` (CapabilityStatementSoftware, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub software: Option<CapabilityStatementSoftware>,
    /// `implementation` (CapabilityStatementImplementation, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub implementation: Option<CapabilityStatementImplementation>,
    /// `fhirVersion` (id, 1..1).
    pub fhir_version: String,
    /// `acceptUnknown` (code, 1..1).
    pub accept_unknown: String,
    /// `format` (code, 1..*).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub format: Vec<String>,
    /// `patchFormat` (code, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub patch_format: Vec<String>,
    /// `implementationGuide` (uri, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub implementation_guide: Vec<String>,
    /// `profile` (Reference, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profile: Vec<Reference>,
    /// `rest` (CapabilityStatementRest, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rest: Vec<CapabilityStatementRest>,
    /// `messaging` (CapabilityStatementMessaging, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub messaging: Vec<CapabilityStatementMessaging>,
    /// `document` (CapabilityStatementDocument, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub document: Vec<CapabilityStatementDocument>,
}

/// The software the capability statement describes (`CapabilityStatement.software`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CapabilityStatementSoftware {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `name` (string, 1..1).
    pub name: String,
    /// `version` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `releaseDate` (dateTime, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub release_date: Option<String>,
}

/// The installation the capability statement describes (`CapabilityStatement.implementation`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CapabilityStatementImplementation {
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
    /// `url` (uri, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// A RESTful endpoint description (`CapabilityStatement.rest`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CapabilityStatementRest {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `mode` (code, 1..1).
    pub mode: String,
    /// `documentation` (markdown, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documentation: Option<String>,
    /// `security` (CapabilityStatementRestSecurity, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub security: Option<CapabilityStatementRestSecurity>,
    /// `resource` (CapabilityStatementRestResource, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub resource: Vec<CapabilityStatementRestResource>,
    /// `interaction` (CapabilityStatementRestInteraction, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub interaction: Vec<CapabilityStatementRestInteraction>,
    /// `searchParam` (CapabilityStatementRestResourceSearchParam, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub search_param: Vec<CapabilityStatementRestResourceSearchParam>,
    /// `operation` (CapabilityStatementRestOperation, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub operation: Vec<CapabilityStatementRestOperation>,
    /// `compartment` (uri, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub compartment: Vec<String>,
}

/// Security information of a RESTful endpoint (`CapabilityStatement.rest.security`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CapabilityStatementRestSecurity {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `cors` (boolean, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cors: Option<bool>,
    /// `service` (CodeableConcept, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub service: Vec<CodeableConcept>,
    /// `description` (markdown, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `certificate` (CapabilityStatementRestSecurityCertificate, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub certificate: Vec<CapabilityStatementRestSecurityCertificate>,
}

/// A certificate of a security profile (`CapabilityStatement.rest.security.certificate`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CapabilityStatementRestSecurityCertificate {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `type` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// `blob` (base64Binary, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blob: Option<String>,
}

/// What is supported for one resource type (`CapabilityStatement.rest.resource`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CapabilityStatementRestResource {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `type` (code, 1..1).
    pub r#type: String,
    /// `profile` (Reference, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub profile: Option<Reference>,
    /// `documentation` (markdown, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documentation: Option<String>,
    /// `interaction` (CapabilityStatementRestResourceInteraction, 1..*).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub interaction: Vec<CapabilityStatementRestResourceInteraction>,
    /// `versioning` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub versioning: Option<String>,
    /// `readHistory` (boolean, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub read_history: Option<bool>,
    /// `updateCreate` (boolean, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub update_create: Option<bool>,
    /// `conditionalCreate` (boolean, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditional_create: Option<bool>,
    /// `conditionalRead` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditional_read: Option<String>,
    /// `conditionalUpdate` (boolean, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditional_update: Option<bool>,
    /// `conditionalDelete` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conditional_delete: Option<String>,
    /// `referencePolicy` (code, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reference_policy: Vec<String>,
    /// `searchInclude` (string, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub search_include: Vec<String>,
    /// `searchRevInclude` (string, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub search_rev_include: Vec<String>,
    /// `searchParam` (CapabilityStatementRestResourceSearchParam, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub search_param: Vec<CapabilityStatementRestResourceSearchParam>,
}

/// A supported resource-level operation (`CapabilityStatement.rest.resource.interaction`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CapabilityStatementRestResourceInteraction {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `code` (code, 1..1).
    pub code: String,
    /// `documentation` (markdown, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documentation: Option<String>,
}

/// A supported search parameter (`CapabilityStatement.rest.resource.searchParam`, `CapabilityStatement.rest.searchParam`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CapabilityStatementRestResourceSearchParam {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `name` (string, 1..1).
    pub name: String,
    /// `definition` (uri, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    /// `type` (code, 1..1).
    pub r#type: String,
    /// `documentation` (markdown, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documentation: Option<String>,
}

/// A supported system-level operation (`CapabilityStatement.rest.interaction`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CapabilityStatementRestInteraction {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `code` (code, 1..1).
    pub code: String,
    /// `documentation` (markdown, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documentation: Option<String>,
}

/// A supported operation (`CapabilityStatement.rest.operation`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CapabilityStatementRestOperation {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `name` (string, 1..1).
    pub name: String,
    /// `definition` (Reference, 1..1).
    pub definition: Reference,
}

/// Messaging capabilities (`CapabilityStatement.messaging`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CapabilityStatementMessaging {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `endpoint` (CapabilityStatementMessagingEndpoint, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub endpoint: Vec<CapabilityStatementMessagingEndpoint>,
    /// `reliableCache` (unsignedInt, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reliable_cache: Option<i64>,
    /// `documentation` (markdown, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documentation: Option<String>,
    /// `supportedMessage` (CapabilityStatementMessagingSupportedMessage, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supported_message: Vec<CapabilityStatementMessagingSupportedMessage>,
    /// `event` (CapabilityStatementMessagingEvent, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub event: Vec<CapabilityStatementMessagingEvent>,
}

/// Where messages should be sent (`CapabilityStatement.messaging.endpoint`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CapabilityStatementMessagingEndpoint {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `protocol` (Coding, 1..1).
    pub protocol: Coding,
    /// `address` (uri, 1..1).
    pub address: String,
}

/// A supported message (`CapabilityStatement.messaging.supportedMessage`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CapabilityStatementMessagingSupportedMessage {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `mode` (code, 1..1).
    pub mode: String,
    /// `definition` (Reference, 1..1).
    pub definition: Reference,
}

/// A supported message event (`CapabilityStatement.messaging.event`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CapabilityStatementMessagingEvent {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `code` (Coding, 1..1).
    pub code: Coding,
    /// `category` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    /// `mode` (code, 1..1).
    pub mode: String,
    /// `focus` (code, 1..1).
    pub focus: String,
    /// `request` (Reference, 1..1).
    pub request: Reference,
    /// `response` (Reference, 1..1).
    pub response: Reference,
    /// `documentation` (markdown, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documentation: Option<String>,
}

/// A supported document profile (`CapabilityStatement.document`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CapabilityStatementDocument {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `mode` (code, 1..1).
    pub mode: String,
    /// `documentation` (markdown, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub documentation: Option<String>,
    /// `profile` (Reference, 1..1).
    pub profile: Reference,
}
