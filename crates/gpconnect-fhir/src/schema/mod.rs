//! The element schema of every modelled type: which child elements exist, in which order, with
//! which FHIR type and cardinality, and how each is written in XML.
//!
//! Both codecs are driven by it: JSON decoding checks the wire rules and reports element paths
//! with it, XML decoding uses it to know which elements repeat and how to type primitive
//! values, and the order it records is the STU3 definition order the XML writer follows.

pub(crate) mod check;
mod table;

use std::fmt;

pub use table::*;

/// The FHIR primitive types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Primitive {
    /// `string`
    String,
    /// `code`
    Code,
    /// `uri`
    Uri,
    /// `id`
    Id,
    /// `markdown`
    Markdown,
    /// `date`
    Date,
    /// `dateTime`
    DateTime,
    /// `instant`
    Instant,
    /// `base64Binary`
    Base64Binary,
    /// `time`
    Time,
    /// `oid`
    Oid,
    /// `xhtml` (only `Narrative.div`)
    Xhtml,
    /// `boolean`
    Boolean,
    /// `integer`
    Integer,
    /// `positiveInt`
    PositiveInt,
    /// `unsignedInt`
    UnsignedInt,
    /// `decimal`
    Decimal,
}

/// The type of an element.
#[derive(Clone, Copy)]
pub enum ElementType {
    /// A primitive value.
    Primitive(Primitive),
    /// A datatype or backbone element with its own children.
    Complex(&'static TypeDef),
    /// A whole resource (`contained`, `Bundle.entry.resource`, ...).
    Resource,
}

impl fmt::Debug for ElementType {
    // Types refer to themselves (`Extension.extension`), so only the name is printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ElementType::Primitive(p) => write!(f, "Primitive({p:?})"),
            ElementType::Complex(t) => write!(f, "Complex({})", t.name),
            ElementType::Resource => f.write_str("Resource"),
        }
    }
}

/// What kind of type a [`TypeDef`] describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeKind {
    /// A datatype (`Identifier`, `Extension`, ...): `id` is an XML attribute.
    Datatype,
    /// A backbone element inside a resource (`Appointment.participant`).
    Backbone,
    /// A resource: `id` is an element.
    Resource,
}

/// One child element of a type.
#[derive(Debug, Clone, Copy)]
pub struct ElementDef {
    /// The JSON property / XML element name, e.g. `valueString`.
    pub name: &'static str,
    /// For a variant of a choice element, the choice name, e.g. `value[x]`.
    pub choice: Option<&'static str>,
    /// The element type.
    pub ty: ElementType,
    /// Minimum cardinality (0 or 1). For a choice, applies to the choice as a whole.
    pub min: u32,
    /// Whether the element may repeat (max `*`): an array in JSON.
    pub repeats: bool,
    /// Whether XML carries it as an attribute (`Element.id`, `Extension.url`).
    pub attribute: bool,
}

/// The definition of a resource, datatype or backbone element.
#[derive(Debug)]
pub struct TypeDef {
    /// The type name, e.g. `Patient`, `HumanName`, `AppointmentParticipant`.
    pub name: &'static str,
    /// Resource, datatype or backbone element.
    pub kind: TypeKind,
    /// The child elements in STU3 definition order.
    pub elements: &'static [ElementDef],
}

impl TypeDef {
    /// The child element called `name` and its position.
    pub fn element(&self, name: &str) -> Option<(usize, &'static ElementDef)> {
        self.elements
            .iter()
            .enumerate()
            .find(|(_, e)| e.name == name)
    }
}

/// The definition of the resource type called `name`.
pub fn resource(name: &str) -> Option<&'static TypeDef> {
    RESOURCES.iter().copied().find(|t| t.name == name)
}
