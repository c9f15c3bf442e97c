//! The STU3 `Bundle` resource.
//!
//! Written from the STU3 (3.0.1) element definitions: fields appear in the
//! definition's element order, which the XML encoding relies on.

use serde::{Deserialize, Serialize};
use serde_json::Number;

use crate::model::{Extension, Identifier, Meta, Resource, Signature};

/// A container for a collection of resources (`Bundle`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Bundle {
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
    /// `identifier` (Identifier, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<Identifier>,
    /// `type` (code, 1..1).
    pub r#type: String,
    /// `total` (unsignedInt, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<i64>,
    /// `link` (BundleLink, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub link: Vec<BundleLink>,
    /// `entry` (BundleEntry, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entry: Vec<BundleEntry>,
    /// `signature` (Signature, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signature: Option<Signature>,
}

/// A link relating to the bundle or an entry (`Bundle.link`, `Bundle.entry.link`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BundleLink {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `relation` (string, 1..1).
    pub relation: String,
    /// `url` (uri, 1..1).
    pub url: String,
}

/// An entry in a bundle (`Bundle.entry`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BundleEntry {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `link` (BundleLink, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub link: Vec<BundleLink>,
    /// `fullUrl` (uri, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub full_url: Option<String>,
    /// `resource` (Resource, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<Resource>,
    /// `search` (BundleEntrySearch, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub search: Option<BundleEntrySearch>,
    /// `request` (BundleEntryRequest, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request: Option<BundleEntryRequest>,
    /// `response` (BundleEntryResponse, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub response: Option<BundleEntryResponse>,
}

/// Search information for an entry (`Bundle.entry.search`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BundleEntrySearch {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `mode` (code, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mode: Option<String>,
    /// `score` (decimal, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<Number>,
}

/// Transaction request details for an entry (`Bundle.entry.request`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BundleEntryRequest {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `method` (code, 1..1).
    pub method: String,
    /// `url` (uri, 1..1).
    pub url: String,
    /// `ifNoneMatch` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub if_none_match: Option<String>,
    /// `ifModifiedSince` (instant, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub if_modified_since: Option<String>,
    /// `ifMatch` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub if_match: Option<String>,
    /// `ifNoneExist` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub if_none_exist: Option<String>,
}

/// Transaction response details for an entry (`Bundle.entry.response`).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BundleEntryResponse {
    /// `id` (string, 0..1); an XML attribute.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// `extension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extension: Vec<Extension>,
    /// `modifierExtension` (Extension, 0..*).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub modifier_extension: Vec<Extension>,
    /// `status` (string, 1..1).
    pub status: String,
    /// `location` (uri, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// `etag` (string, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// `lastModified` (instant, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_modified: Option<String>,
    /// `outcome` (Resource, 0..1).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub outcome: Option<Resource>,
}
