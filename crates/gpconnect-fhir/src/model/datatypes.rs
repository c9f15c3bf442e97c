//! STU3 general-purpose data types (Element-based) used across resources.
//!
//! Written from the STU3 (3.0.1) element definitions: fields appear in the
//! definition's element order, which the XML encoding relies on.

use serde::{Deserialize, Serialize};
use serde_json::Number;

/// Metadata about a resource (`Meta`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Meta {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `versionId` (id, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
    /// `lastUpdated` (instant, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<String>,
    /// `profile` (uri, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub profile: Vec<String>,
    /// `security` (Coding, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security: Vec<Coding>,
    /// `tag` (Coding, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tag: Vec<Coding>,
}

/// Human-readable summary of a resource (`Narrative`); `div` holds the XHTML fragment.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Narrative {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `status` (code, 1..1).
    pub status: String,
    /// `div` (xhtml, 1..1).
    pub div: String,
}

/// An extension (`Extension`): a `url` plus either nested extensions or one `value[x]`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Extension {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `url` (uri, 1..1); an XML attribute.
    pub url: String,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `value[x]` as base64Binary (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_base64_binary: Option<String>,
    /// `value[x]` as boolean (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_boolean: Option<bool>,
    /// `value[x]` as code (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_code: Option<String>,
    /// `value[x]` as date (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_date: Option<String>,
    /// `value[x]` as dateTime (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_date_time: Option<String>,
    /// `value[x]` as decimal (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_decimal: Option<Number>,
    /// `value[x]` as id (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_id: Option<String>,
    /// `value[x]` as instant (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_instant: Option<String>,
    /// `value[x]` as integer (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_integer: Option<i64>,
    /// `value[x]` as markdown (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_markdown: Option<String>,
    /// `value[x]` as oid (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_oid: Option<String>,
    /// `value[x]` as positiveInt (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_positive_int: Option<i64>,
    /// `value[x]` as string (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_string: Option<String>,
    /// `value[x]` as time (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_time: Option<String>,
    /// `value[x]` as unsignedInt (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_unsigned_int: Option<i64>,
    /// `value[x]` as uri (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_uri: Option<String>,
    /// `value[x]` as Address (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_address: Option<Box<Address>>,
    /// `value[x]` as Annotation (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_annotation: Option<Box<Annotation>>,
    /// `value[x]` as Attachment (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_attachment: Option<Box<Attachment>>,
    /// `value[x]` as CodeableConcept (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_codeable_concept: Option<Box<CodeableConcept>>,
    /// `value[x]` as Coding (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_coding: Option<Box<Coding>>,
    /// `value[x]` as ContactPoint (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_contact_point: Option<Box<ContactPoint>>,
    /// `value[x]` as HumanName (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_human_name: Option<Box<HumanName>>,
    /// `value[x]` as Identifier (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_identifier: Option<Box<Identifier>>,
    /// `value[x]` as Period (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_period: Option<Box<Period>>,
    /// `value[x]` as Quantity (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_quantity: Option<Box<Quantity>>,
    /// `value[x]` as Range (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_range: Option<Box<Range>>,
    /// `value[x]` as Reference (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_reference: Option<Box<Reference>>,
    /// `value[x]` as Signature (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_signature: Option<Box<Signature>>,
    /// `value[x]` as Meta (0..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_meta: Option<Box<Meta>>,
}

/// A business identifier (`Identifier`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Identifier {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `use` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#use: Option<String>,
    /// `type` (CodeableConcept, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<CodeableConcept>,
    /// `system` (uri, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// `value` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// `period` (Period, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// `assigner` (Reference, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assigner: Option<Reference>,
}

/// A person's name (`HumanName`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HumanName {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `use` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#use: Option<String>,
    /// `text` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// `family` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family: Option<String>,
    /// `given` (string, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub given: Vec<String>,
    /// `prefix` (string, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub prefix: Vec<String>,
    /// `suffix` (string, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suffix: Vec<String>,
    /// `period` (Period, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
}

/// A telephone number, email address or other contact detail (`ContactPoint`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContactPoint {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `system` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// `value` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// `use` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#use: Option<String>,
    /// `rank` (positiveInt, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rank: Option<i64>,
    /// `period` (Period, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
}

/// A postal or physical address (`Address`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Address {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `use` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#use: Option<String>,
    /// `type` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub r#type: Option<String>,
    /// `text` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// `line` (string, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub line: Vec<String>,
    /// `city` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// `district` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub district: Option<String>,
    /// `state` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// `postalCode` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// `country` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// `period` (Period, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
}

/// A concept given by codings and/or text (`CodeableConcept`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CodeableConcept {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `coding` (Coding, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub coding: Vec<Coding>,
    /// `text` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// A code from a code system (`Coding`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Coding {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `system` (uri, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// `version` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// `code` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// `display` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// `userSelected` (boolean, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_selected: Option<bool>,
}

/// A time range (`Period`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Period {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `start` (dateTime, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start: Option<String>,
    /// `end` (dateTime, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end: Option<String>,
}

/// A reference to another resource (`Reference`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Reference {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `reference` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    /// `identifier` (Identifier, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<Box<Identifier>>,
    /// `display` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
}

/// Content referenced or included inline (`Attachment`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Attachment {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `contentType` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// `language` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// `data` (base64Binary, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub data: Option<String>,
    /// `url` (uri, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// `size` (unsignedInt, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<i64>,
    /// `hash` (base64Binary, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    /// `title` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// `creation` (dateTime, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation: Option<String>,
}

/// A measured amount (`Quantity`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Quantity {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `value` (decimal, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Number>,
    /// `comparator` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comparator: Option<String>,
    /// `unit` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// `system` (uri, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub system: Option<String>,
    /// `code` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
}

/// A set of ordered quantities (`Range`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Range {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `low` (Quantity, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub low: Option<Quantity>,
    /// `high` (Quantity, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub high: Option<Quantity>,
}

/// A text note with author and time (`Annotation`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Annotation {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `author[x]` as Reference (0..1; at most one `author[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_reference: Option<Reference>,
    /// `author[x]` as string (0..1; at most one `author[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub author_string: Option<String>,
    /// `time` (dateTime, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time: Option<String>,
    /// `text` (string, 1..1).
    pub text: String,
}

/// A digital signature (`Signature`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Signature {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `type` (Coding, 1..*).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub r#type: Vec<Coding>,
    /// `when` (instant, 1..1).
    pub when: String,
    /// `who[x]` as uri (1..1; at most one `who[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub who_uri: Option<String>,
    /// `who[x]` as Reference (1..1; at most one `who[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub who_reference: Option<Reference>,
    /// `onBehalfOf[x]` as uri (0..1; at most one `onBehalfOf[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_behalf_of_uri: Option<String>,
    /// `onBehalfOf[x]` as Reference (0..1; at most one `onBehalfOf[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub on_behalf_of_reference: Option<Reference>,
    /// `contentType` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content_type: Option<String>,
    /// `blob` (base64Binary, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blob: Option<String>,
}

/// Contact information of a person or organisation (`ContactDetail`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContactDetail {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `name` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `telecom` (ContactPoint, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub telecom: Vec<ContactPoint>,
}

/// The context a conformance resource applies to (`UsageContext`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UsageContext {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `code` (Coding, 1..1).
    pub code: Coding,
    /// `value[x]` as CodeableConcept (1..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_codeable_concept: Option<CodeableConcept>,
    /// `value[x]` as Quantity (1..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_quantity: Option<Quantity>,
    /// `value[x]` as Range (1..1; at most one `value[x]` variant).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value_range: Option<Range>,
}
