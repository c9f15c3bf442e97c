//! How strictly the decoders read a document.

/// What a decoder does with an element (or XML attribute) the model does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum UnknownElements {
    /// Refuse the document, naming the element. SPEC 2.6: providers reject unknown elements in
    /// request bodies (422 `INVALID_RESOURCE`).
    #[default]
    Reject,
    /// Skip the element and everything inside it. SPEC 2.6: consumers ignore unknown elements
    /// and extensions in answers.
    ///
    /// Skipped content must still be well-formed JSON or XML (XML without DOCTYPE, undefined
    /// entities, processing instructions or nesting deeper than 64 levels), and known elements
    /// must still have the right type and cardinality. An element left with nothing but unknown
    /// content (or an extension whose value is of a type the model does not know) is skipped as
    /// a whole; a `modifierExtension` is never skipped, as FHIR forbids ignoring one.
    Ignore,
}

/// Options of [`crate::decode_with`] and [`crate::decode_as_with`].
///
/// Build one from [`DecodeOptions::STRICT`] or [`DecodeOptions::LENIENT`]; more options may be
/// added, so the struct cannot be written as a literal outside this crate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct DecodeOptions {
    /// What to do with elements the model does not know.
    pub unknown_elements: UnknownElements,
}

impl DecodeOptions {
    /// For request bodies a provider receives (SPEC 2.6): unknown elements are refused. This is
    /// what [`crate::decode`] uses.
    pub const STRICT: DecodeOptions = DecodeOptions {
        unknown_elements: UnknownElements::Reject,
    };

    /// For answers a consumer receives (SPEC 2.6): unknown elements and extensions are ignored.
    pub const LENIENT: DecodeOptions = DecodeOptions {
        unknown_elements: UnknownElements::Ignore,
    };

    /// The same options with `unknown_elements` replaced.
    pub const fn with_unknown_elements(self, unknown_elements: UnknownElements) -> Self {
        DecodeOptions { unknown_elements }
    }

    /// Whether unknown elements are skipped rather than refused.
    pub(crate) fn ignores_unknown(self) -> bool {
        self.unknown_elements == UnknownElements::Ignore
    }
}
