//! The STU3 `Parameters` resource.
//!
//! Written from the STU3 (3.0.1) element definitions: fields appear in the
//! definition's element order, which the XML encoding relies on.

use serde::{Deserialize, Serialize};
use serde_json::Number;

use crate::model::{
    Address, Annotation, Attachment, CodeableConcept, Coding, ContactPoint, Extension, HumanName,
    Identifier, Meta, Period, Quantity, Range, Reference, Resource, Signature,
};

/// Operation request or response parameters (`Parameters`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Parameters {
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
    /// `parameter` (ParametersParameter, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parameter: Vec<ParametersParameter>,
}

/// One named parameter (`Parameters.parameter`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ParametersParameter {
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
    /// `resource` (Resource, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<Resource>,
    /// `part` (ParametersParameter, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub part: Vec<ParametersParameter>,
}
