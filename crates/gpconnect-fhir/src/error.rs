//! Errors of the codecs, and the element paths they name.

use std::fmt;

/// Why bytes could not be decoded as a FHIR resource. The message names the element path where
/// one is known, e.g. `Appointment.participant[0]: unknown element 'foo'`, and is meant to be
/// shown to the sender (the server returns it as the `diagnostics` of a 422 `INVALID_RESOURCE`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct DecodeError {
    path: String,
    message: String,
    syntax: bool,
}

impl DecodeError {
    /// An error at element `path` (empty when the problem is not inside an element).
    pub(crate) fn at(path: &Path<'_>, message: impl Into<String>) -> Self {
        DecodeError {
            path: path.to_string(),
            message: message.into(),
            syntax: false,
        }
    }

    /// An error about the document as a whole (syntax, encoding, root).
    pub(crate) fn document(message: impl Into<String>) -> Self {
        DecodeError {
            path: String::new(),
            message: message.into(),
            syntax: false,
        }
    }

    /// The same error, marked as a syntax error: the bytes are not well-formed JSON or XML.
    pub(crate) fn syntax(mut self) -> Self {
        self.syntax = true;
        self
    }

    /// Whether the bytes are not well-formed JSON or XML at all, as opposed to well-formed but
    /// not a valid FHIR resource. Servers answer the first as a malformed request (SPEC 2.8:
    /// 400 `BAD_REQUEST`) and the second as 422 `INVALID_RESOURCE`.
    pub fn is_syntax(&self) -> bool {
        self.syntax
    }

    /// The FHIRPath-like location of the problem (e.g. `Slot.schedule`), or `""`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What is wrong, without the path.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.path.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.path, self.message)
        }
    }
}

/// Why a resource could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// `Narrative.div` is not a well-formed XHTML `<div>`, so it cannot be embedded in XML.
    #[error("{path}: narrative div is not well-formed XHTML: {reason}")]
    InvalidNarrative {
        /// The element path of the narrative.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A string holds a character XML 1.0 cannot represent (a control character).
    #[error("{path}: value contains U+{code:04X}, which XML cannot represent")]
    UnrepresentableChar {
        /// The element path of the value.
        path: String,
        /// The offending code point.
        code: u32,
    },
    /// The serialiser failed: a model shape the format cannot express (not produced by this
    /// crate's types).
    #[error("serialisation failed: {0}")]
    Serialize(String),
}

/// A location in a resource, built on the stack while walking it and only rendered when an
/// error is reported (no allocation on the happy path).
#[derive(Debug, Clone, Copy)]
pub(crate) enum Path<'a> {
    /// Before the resource type is known.
    Document,
    /// The root resource, e.g. `Patient`.
    Root(&'a str),
    /// A non-repeating child.
    Child(&'a Path<'a>, &'a str),
    /// One item of a repeating child.
    Item(&'a Path<'a>, &'a str, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Document => Ok(()),
            Path::Root(name) => f.write_str(name),
            Path::Child(parent, name) => write!(f, "{parent}.{name}"),
            Path::Item(parent, name, index) => write!(f, "{parent}.{name}[{index}]"),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::{decode, Format};

    fn syntax(bytes: &str, format: Format) -> bool {
        decode(bytes.as_bytes(), format)
            .expect_err("must not decode")
            .is_syntax()
    }

    #[test]
    fn broken_documents_are_syntax_errors_and_invalid_fhir_is_not() {
        assert!(syntax(r#"{"resourceType":"Patient""#, Format::Json));
        assert!(syntax("not json", Format::Json));
        assert!(syntax("", Format::Json));
        assert!(syntax(
            r#"<Patient xmlns="http://hl7.org/fhir"><id value="1"/>"#,
            Format::Xml
        ));
        assert!(syntax(
            r#"<Patient xmlns="http://hl7.org/fhir"></Patent>"#,
            Format::Xml
        ));
        assert!(syntax("plain text", Format::Xml));

        assert!(!syntax(r#"{"resourceType":"Nope"}"#, Format::Json));
        assert!(!syntax(
            r#"{"resourceType":"Patient","foo":1}"#,
            Format::Json
        ));
        assert!(!syntax(
            r#"{"resourceType":"Patient","id":"1","id":"2"}"#,
            Format::Json
        ));
        assert!(!syntax(
            r#"<Nope xmlns="http://hl7.org/fhir"/>"#,
            Format::Xml
        ));
        assert!(!syntax(
            r#"<Patient xmlns="http://hl7.org/fhir"><foo value="1"/></Patient>"#,
            Format::Xml
        ));
    }
}
