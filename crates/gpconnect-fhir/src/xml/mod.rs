//! The FHIR XML codec.
//!
//! Writing streams the model straight to bytes through a serde serializer: struct fields are
//! declared in STU3 element order (checked against the schema table by the tests), `Element.id`
//! and `Extension.url` become attributes, primitives become `<name value="…"/>`, resources in
//! `contained` / `entry.resource` / `parameter.resource` are wrapped in their element, and
//! `Narrative.div` is embedded as XHTML.
//!
//! Reading is driven by the schema table: it knows which elements repeat, how to type each
//! primitive and the element order, and it refuses anything hostile or unexpected (DOCTYPE and
//! entity declarations, undefined entities, non-UTF-8 input, foreign namespaces, unknown
//! elements or attributes, nesting deeper than 64 levels). In lenient mode
//! ([`DecodeOptions::LENIENT`]) unknown elements, elements in foreign namespaces and unknown
//! attributes are skipped instead, after checking that they are well-formed and harmless.

mod read;
mod write;

use crate::error::{DecodeError, EncodeError};
use crate::model::Resource;
use crate::options::DecodeOptions;

/// The FHIR namespace every element (except the narrative XHTML) belongs to.
pub(crate) const FHIR_NS: &str = "http://hl7.org/fhir";

/// Decodes FHIR XML bytes into a resource, strictly ([`DecodeOptions::STRICT`]).
pub fn decode(bytes: &[u8]) -> Result<Resource, DecodeError> {
    read::decode(bytes, DecodeOptions::STRICT)
}

/// Decodes FHIR XML bytes into a resource with `options`.
pub fn decode_with(bytes: &[u8], options: DecodeOptions) -> Result<Resource, DecodeError> {
    read::decode(bytes, options)
}

/// Appends the FHIR XML encoding of `resource` to `out`.
pub fn encode_into(resource: &Resource, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    write::encode_into(resource, out)
}
