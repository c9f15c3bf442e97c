//! FHIR STU3 (3.0.1) resource model for GP Connect 1.2.7 with strict JSON and profile-ordered
//! XML codecs.
//!
//! - [`model`]: typed structs for every resource and datatype, and the [`Resource`] enum;
//! - [`schema`]: the element table (order, type, cardinality) both codecs are driven by;
//! - [`encode`] / [`decode`] / [`decode_as`]: the codecs, in either [`Format`];
//! - [`decode_with`] / [`decode_as_with`]: decoding with [`DecodeOptions`].
//!
//! Decoding is strict (SPEC 2.6: FHIR STU3 wire rules, no nulls, no empty values, arrays exactly
//! for repeating elements; providers reject unknown elements) and every [`DecodeError`] names the element path,
//! so the server can return it as the diagnostics of a 422 `INVALID_RESOURCE`. Consumers decode
//! answers with [`DecodeOptions::LENIENT`], which skips unknown elements and extensions (SPEC 2.6)
//! and applies every other rule.

mod error;
pub mod json;
pub mod model;
mod options;
mod primitive;
pub mod schema;
mod xhtml;
pub mod xml;

pub use error::{DecodeError, EncodeError};
pub use model::*;
pub use options::{DecodeOptions, UnknownElements};

/// A FHIR wire format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `application/fhir+json`
    Json,
    /// `application/fhir+xml`
    Xml,
}

impl Format {
    /// The FHIR STU3 MIME type of the format.
    pub fn mime(self) -> &'static str {
        match self {
            Format::Json => "application/fhir+json",
            Format::Xml => "application/fhir+xml",
        }
    }
}

/// Encodes `resource` in `format`.
///
/// Fails only for content the format cannot carry: in XML, a `Narrative.div` that is not a
/// well-formed XHTML `<div>` or a string holding a control character. The caller is
/// responsible for the content being valid FHIR (e.g. no empty strings).
pub fn encode(resource: &Resource, format: Format) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::with_capacity(1024);
    encode_into(resource, format, &mut out)?;
    Ok(out)
}

/// Appends the encoding of `resource` in `format` to `out` (lets a caller reuse a buffer).
pub fn encode_into(
    resource: &Resource,
    format: Format,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    match format {
        Format::Json => json::encode_into(resource, out),
        Format::Xml => xml::encode_into(resource, out),
    }
}

/// Decodes a resource from `bytes` in `format`, strictly ([`DecodeOptions::STRICT`]).
pub fn decode(bytes: &[u8], format: Format) -> Result<Resource, DecodeError> {
    decode_with(bytes, format, DecodeOptions::STRICT)
}

/// Decodes a resource from `bytes` in `format` with `options`, e.g.
/// `decode_with(answer, format, DecodeOptions::LENIENT)` for a consumer reading an answer.
pub fn decode_with(
    bytes: &[u8],
    format: Format,
    options: DecodeOptions,
) -> Result<Resource, DecodeError> {
    match format {
        Format::Json => json::decode_with(bytes, options),
        Format::Xml => xml::decode_with(bytes, options),
    }
}

/// Decodes a resource that must be of type `T`, e.g. `decode_as::<Appointment>(body, format)`,
/// strictly ([`DecodeOptions::STRICT`]).
pub fn decode_as<T: FhirResource>(bytes: &[u8], format: Format) -> Result<T, DecodeError> {
    decode_as_with(bytes, format, DecodeOptions::STRICT)
}

/// Decodes a resource that must be of type `T` with `options`.
pub fn decode_as_with<T: FhirResource>(
    bytes: &[u8],
    format: Format,
    options: DecodeOptions,
) -> Result<T, DecodeError> {
    let resource = decode_with(bytes, format, options)?;
    T::from_resource(resource).map_err(|other| {
        DecodeError::document(format!(
            "expected resourceType '{}', found '{}'",
            T::RESOURCE_TYPE,
            other.resource_type()
        ))
    })
}
