//! The element table: for every modelled STU3 type, its child elements in definition order
//! with FHIR type, cardinality and XML representation. Written from the STU3 (3.0.1)
//! StructureDefinitions; the tests check it against the GP Connect profile snapshots and
//! against the model structs.

use super::{ElementDef as E, ElementType as T, Primitive as P, TypeDef, TypeKind};

/// Elements of `Meta`.
#[rustfmt::skip]
pub static META: TypeDef = TypeDef {
    name: "Meta",
    kind: TypeKind::Datatype,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "versionId", choice: None, ty: T::Primitive(P::Id), min: 0, repeats: false, attribute: false },
        E { name: "lastUpdated", choice: None, ty: T::Primitive(P::Instant), min: 0, repeats: false, attribute: false },
        E { name: "profile", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: true, attribute: false },
        E { name: "security", choice: None, ty: T::Complex(&CODING), min: 0, repeats: true, attribute: false },
        E { name: "tag", choice: None, ty: T::Complex(&CODING), min: 0, repeats: true, attribute: false },
    ],
};

/// Elements of `Narrative`.
#[rustfmt::skip]
pub static NARRATIVE: TypeDef = TypeDef {
    name: "Narrative",
    kind: TypeKind::Datatype,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "status", choice: None, ty: T::Primitive(P::Code), min: 1, repeats: false, attribute: false },
        E { name: "div", choice: None, ty: T::Primitive(P::Xhtml), min: 1, repeats: false, attribute: false },
    ],
};

/// Elements of `Extension`.
#[rustfmt::skip]
pub static EXTENSION: TypeDef = TypeDef {
    name: "Extension",
    kind: TypeKind::Datatype,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "url", choice: None, ty: T::Primitive(P::Uri), min: 1, repeats: false, attribute: true },
        E { name: "valueBase64Binary", choice: Some("value[x]"), ty: T::Primitive(P::Base64Binary), min: 0, repeats: false, attribute: false },
        E { name: "valueBoolean", choice: Some("value[x]"), ty: T::Primitive(P::Boolean), min: 0, repeats: false, attribute: false },
        E { name: "valueCode", choice: Some("value[x]"), ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "valueDate", choice: Some("value[x]"), ty: T::Primitive(P::Date), min: 0, repeats: false, attribute: false },
        E { name: "valueDateTime", choice: Some("value[x]"), ty: T::Primitive(P::DateTime), min: 0, repeats: false, attribute: false },
        E { name: "valueDecimal", choice: Some("value[x]"), ty: T::Primitive(P::Decimal), min: 0, repeats: false, attribute: false },
        E { name: "valueId", choice: Some("value[x]"), ty: T::Primitive(P::Id), min: 0, repeats: false, attribute: false },
        E { name: "valueInstant", choice: Some("value[x]"), ty: T::Primitive(P::Instant), min: 0, repeats: false, attribute: false },
        E { name: "valueInteger", choice: Some("value[x]"), ty: T::Primitive(P::Integer), min: 0, repeats: false, attribute: false },
        E { name: "valueMarkdown", choice: Some("value[x]"), ty: T::Primitive(P::Markdown), min: 0, repeats: false, attribute: false },
        E { name: "valueOid", choice: Some("value[x]"), ty: T::Primitive(P::Oid), min: 0, repeats: false, attribute: false },
        E { name: "valuePositiveInt", choice: Some("value[x]"), ty: T::Primitive(P::PositiveInt), min: 0, repeats: false, attribute: false },
        E { name: "valueString", choice: Some("value[x]"), ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "valueTime", choice: Some("value[x]"), ty: T::Primitive(P::Time), min: 0, repeats: false, attribute: false },
        E { name: "valueUnsignedInt", choice: Some("value[x]"), ty: T::Primitive(P::UnsignedInt), min: 0, repeats: false, attribute: false },
        E { name: "valueUri", choice: Some("value[x]"), ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "valueAddress", choice: Some("value[x]"), ty: T::Complex(&ADDRESS), min: 0, repeats: false, attribute: false },
        E { name: "valueAnnotation", choice: Some("value[x]"), ty: T::Complex(&ANNOTATION), min: 0, repeats: false, attribute: false },
        E { name: "valueAttachment", choice: Some("value[x]"), ty: T::Complex(&ATTACHMENT), min: 0, repeats: false, attribute: false },
        E { name: "valueCodeableConcept", choice: Some("value[x]"), ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: false, attribute: false },
        E { name: "valueCoding", choice: Some("value[x]"), ty: T::Complex(&CODING), min: 0, repeats: false, attribute: false },
        E { name: "valueContactPoint", choice: Some("value[x]"), ty: T::Complex(&CONTACT_POINT), min: 0, repeats: false, attribute: false },
        E { name: "valueHumanName", choice: Some("value[x]"), ty: T::Complex(&HUMAN_NAME), min: 0, repeats: false, attribute: false },
        E { name: "valueIdentifier", choice: Some("value[x]"), ty: T::Complex(&IDENTIFIER), min: 0, repeats: false, attribute: false },
        E { name: "valuePeriod", choice: Some("value[x]"), ty: T::Complex(&PERIOD), min: 0, repeats: false, attribute: false },
        E { name: "valueQuantity", choice: Some("value[x]"), ty: T::Complex(&QUANTITY), min: 0, repeats: false, attribute: false },
        E { name: "valueRange", choice: Some("value[x]"), ty: T::Complex(&RANGE), min: 0, repeats: false, attribute: false },
        E { name: "valueReference", choice: Some("value[x]"), ty: T::Complex(&REFERENCE), min: 0, repeats: false, attribute: false },
        E { name: "valueSignature", choice: Some("value[x]"), ty: T::Complex(&SIGNATURE), min: 0, repeats: false, attribute: false },
        E { name: "valueMeta", choice: Some("value[x]"), ty: T::Complex(&META), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `Identifier`.
#[rustfmt::skip]
pub static IDENTIFIER: TypeDef = TypeDef {
    name: "Identifier",
    kind: TypeKind::Datatype,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "use", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "type", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: false, attribute: false },
        E { name: "system", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "value", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "period", choice: None, ty: T::Complex(&PERIOD), min: 0, repeats: false, attribute: false },
        E { name: "assigner", choice: None, ty: T::Complex(&REFERENCE), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `HumanName`.
#[rustfmt::skip]
pub static HUMAN_NAME: TypeDef = TypeDef {
    name: "HumanName",
    kind: TypeKind::Datatype,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "use", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "text", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "family", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "given", choice: None, ty: T::Primitive(P::String), min: 0, repeats: true, attribute: false },
        E { name: "prefix", choice: None, ty: T::Primitive(P::String), min: 0, repeats: true, attribute: false },
        E { name: "suffix", choice: None, ty: T::Primitive(P::String), min: 0, repeats: true, attribute: false },
        E { name: "period", choice: None, ty: T::Complex(&PERIOD), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `ContactPoint`.
#[rustfmt::skip]
pub static CONTACT_POINT: TypeDef = TypeDef {
    name: "ContactPoint",
    kind: TypeKind::Datatype,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "system", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "value", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "use", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "rank", choice: None, ty: T::Primitive(P::PositiveInt), min: 0, repeats: false, attribute: false },
        E { name: "period", choice: None, ty: T::Complex(&PERIOD), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `Address`.
#[rustfmt::skip]
pub static ADDRESS: TypeDef = TypeDef {
    name: "Address",
    kind: TypeKind::Datatype,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "use", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "type", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "text", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "line", choice: None, ty: T::Primitive(P::String), min: 0, repeats: true, attribute: false },
        E { name: "city", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "district", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "state", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "postalCode", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "country", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "period", choice: None, ty: T::Complex(&PERIOD), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `CodeableConcept`.
#[rustfmt::skip]
pub static CODEABLE_CONCEPT: TypeDef = TypeDef {
    name: "CodeableConcept",
    kind: TypeKind::Datatype,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "coding", choice: None, ty: T::Complex(&CODING), min: 0, repeats: true, attribute: false },
        E { name: "text", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `Coding`.
#[rustfmt::skip]
pub static CODING: TypeDef = TypeDef {
    name: "Coding",
    kind: TypeKind::Datatype,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "system", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "version", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "code", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "display", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "userSelected", choice: None, ty: T::Primitive(P::Boolean), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `Period`.
#[rustfmt::skip]
pub static PERIOD: TypeDef = TypeDef {
    name: "Period",
    kind: TypeKind::Datatype,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "start", choice: None, ty: T::Primitive(P::DateTime), min: 0, repeats: false, attribute: false },
        E { name: "end", choice: None, ty: T::Primitive(P::DateTime), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `Reference`.
#[rustfmt::skip]
pub static REFERENCE: TypeDef = TypeDef {
    name: "Reference",
    kind: TypeKind::Datatype,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "reference", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "identifier", choice: None, ty: T::Complex(&IDENTIFIER), min: 0, repeats: false, attribute: false },
        E { name: "display", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `Attachment`.
#[rustfmt::skip]
pub static ATTACHMENT: TypeDef = TypeDef {
    name: "Attachment",
    kind: TypeKind::Datatype,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "contentType", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "language", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "data", choice: None, ty: T::Primitive(P::Base64Binary), min: 0, repeats: false, attribute: false },
        E { name: "url", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "size", choice: None, ty: T::Primitive(P::UnsignedInt), min: 0, repeats: false, attribute: false },
        E { name: "hash", choice: None, ty: T::Primitive(P::Base64Binary), min: 0, repeats: false, attribute: false },
        E { name: "title", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "creation", choice: None, ty: T::Primitive(P::DateTime), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `Quantity`.
#[rustfmt::skip]
pub static QUANTITY: TypeDef = TypeDef {
    name: "Quantity",
    kind: TypeKind::Datatype,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "value", choice: None, ty: T::Primitive(P::Decimal), min: 0, repeats: false, attribute: false },
        E { name: "comparator", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "unit", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "system", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "code", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `Range`.
#[rustfmt::skip]
pub static RANGE: TypeDef = TypeDef {
    name: "Range",
    kind: TypeKind::Datatype,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "low", choice: None, ty: T::Complex(&QUANTITY), min: 0, repeats: false, attribute: false },
        E { name: "high", choice: None, ty: T::Complex(&QUANTITY), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `Annotation`.
#[rustfmt::skip]
pub static ANNOTATION: TypeDef = TypeDef {
    name: "Annotation",
    kind: TypeKind::Datatype,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "authorReference", choice: Some("author[x]"), ty: T::Complex(&REFERENCE), min: 0, repeats: false, attribute: false },
        E { name: "authorString", choice: Some("author[x]"), ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "time", choice: None, ty: T::Primitive(P::DateTime), min: 0, repeats: false, attribute: false },
        E { name: "text", choice: None, ty: T::Primitive(P::String), min: 1, repeats: false, attribute: false },
    ],
};

/// Elements of `Signature`.
#[rustfmt::skip]
pub static SIGNATURE: TypeDef = TypeDef {
    name: "Signature",
    kind: TypeKind::Datatype,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "type", choice: None, ty: T::Complex(&CODING), min: 1, repeats: true, attribute: false },
        E { name: "when", choice: None, ty: T::Primitive(P::Instant), min: 1, repeats: false, attribute: false },
        E { name: "whoUri", choice: Some("who[x]"), ty: T::Primitive(P::Uri), min: 1, repeats: false, attribute: false },
        E { name: "whoReference", choice: Some("who[x]"), ty: T::Complex(&REFERENCE), min: 1, repeats: false, attribute: false },
        E { name: "onBehalfOfUri", choice: Some("onBehalfOf[x]"), ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "onBehalfOfReference", choice: Some("onBehalfOf[x]"), ty: T::Complex(&REFERENCE), min: 0, repeats: false, attribute: false },
        E { name: "contentType", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "blob", choice: None, ty: T::Primitive(P::Base64Binary), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `ContactDetail`.
#[rustfmt::skip]
pub static CONTACT_DETAIL: TypeDef = TypeDef {
    name: "ContactDetail",
    kind: TypeKind::Datatype,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "name", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "telecom", choice: None, ty: T::Complex(&CONTACT_POINT), min: 0, repeats: true, attribute: false },
    ],
};

/// Elements of `UsageContext`.
#[rustfmt::skip]
pub static USAGE_CONTEXT: TypeDef = TypeDef {
    name: "UsageContext",
    kind: TypeKind::Datatype,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "code", choice: None, ty: T::Complex(&CODING), min: 1, repeats: false, attribute: false },
        E { name: "valueCodeableConcept", choice: Some("value[x]"), ty: T::Complex(&CODEABLE_CONCEPT), min: 1, repeats: false, attribute: false },
        E { name: "valueQuantity", choice: Some("value[x]"), ty: T::Complex(&QUANTITY), min: 1, repeats: false, attribute: false },
        E { name: "valueRange", choice: Some("value[x]"), ty: T::Complex(&RANGE), min: 1, repeats: false, attribute: false },
    ],
};

/// Elements of `Patient`.
#[rustfmt::skip]
pub static PATIENT: TypeDef = TypeDef {
    name: "Patient",
    kind: TypeKind::Resource,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::Id), min: 0, repeats: false, attribute: false },
        E { name: "meta", choice: None, ty: T::Complex(&META), min: 0, repeats: false, attribute: false },
        E { name: "implicitRules", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "language", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "text", choice: None, ty: T::Complex(&NARRATIVE), min: 0, repeats: false, attribute: false },
        E { name: "contained", choice: None, ty: T::Resource, min: 0, repeats: true, attribute: false },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "identifier", choice: None, ty: T::Complex(&IDENTIFIER), min: 0, repeats: true, attribute: false },
        E { name: "active", choice: None, ty: T::Primitive(P::Boolean), min: 0, repeats: false, attribute: false },
        E { name: "name", choice: None, ty: T::Complex(&HUMAN_NAME), min: 0, repeats: true, attribute: false },
        E { name: "telecom", choice: None, ty: T::Complex(&CONTACT_POINT), min: 0, repeats: true, attribute: false },
        E { name: "gender", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "birthDate", choice: None, ty: T::Primitive(P::Date), min: 0, repeats: false, attribute: false },
        E { name: "deceasedBoolean", choice: Some("deceased[x]"), ty: T::Primitive(P::Boolean), min: 0, repeats: false, attribute: false },
        E { name: "deceasedDateTime", choice: Some("deceased[x]"), ty: T::Primitive(P::DateTime), min: 0, repeats: false, attribute: false },
        E { name: "address", choice: None, ty: T::Complex(&ADDRESS), min: 0, repeats: true, attribute: false },
        E { name: "maritalStatus", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: false, attribute: false },
        E { name: "multipleBirthBoolean", choice: Some("multipleBirth[x]"), ty: T::Primitive(P::Boolean), min: 0, repeats: false, attribute: false },
        E { name: "multipleBirthInteger", choice: Some("multipleBirth[x]"), ty: T::Primitive(P::Integer), min: 0, repeats: false, attribute: false },
        E { name: "photo", choice: None, ty: T::Complex(&ATTACHMENT), min: 0, repeats: true, attribute: false },
        E { name: "contact", choice: None, ty: T::Complex(&PATIENT_CONTACT), min: 0, repeats: true, attribute: false },
        E { name: "animal", choice: None, ty: T::Complex(&PATIENT_ANIMAL), min: 0, repeats: false, attribute: false },
        E { name: "communication", choice: None, ty: T::Complex(&PATIENT_COMMUNICATION), min: 0, repeats: true, attribute: false },
        E { name: "generalPractitioner", choice: None, ty: T::Complex(&REFERENCE), min: 0, repeats: true, attribute: false },
        E { name: "managingOrganization", choice: None, ty: T::Complex(&REFERENCE), min: 0, repeats: false, attribute: false },
        E { name: "link", choice: None, ty: T::Complex(&PATIENT_LINK), min: 0, repeats: true, attribute: false },
    ],
};

/// Elements of `PatientContact`.
#[rustfmt::skip]
pub static PATIENT_CONTACT: TypeDef = TypeDef {
    name: "PatientContact",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "relationship", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: true, attribute: false },
        E { name: "name", choice: None, ty: T::Complex(&HUMAN_NAME), min: 0, repeats: false, attribute: false },
        E { name: "telecom", choice: None, ty: T::Complex(&CONTACT_POINT), min: 0, repeats: true, attribute: false },
        E { name: "address", choice: None, ty: T::Complex(&ADDRESS), min: 0, repeats: false, attribute: false },
        E { name: "gender", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "organization", choice: None, ty: T::Complex(&REFERENCE), min: 0, repeats: false, attribute: false },
        E { name: "period", choice: None, ty: T::Complex(&PERIOD), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `PatientAnimal`.
#[rustfmt::skip]
pub static PATIENT_ANIMAL: TypeDef = TypeDef {
    name: "PatientAnimal",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "species", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 1, repeats: false, attribute: false },
        E { name: "breed", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: false, attribute: false },
        E { name: "genderStatus", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `PatientCommunication`.
#[rustfmt::skip]
pub static PATIENT_COMMUNICATION: TypeDef = TypeDef {
    name: "PatientCommunication",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "language", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 1, repeats: false, attribute: false },
        E { name: "preferred", choice: None, ty: T::Primitive(P::Boolean), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `PatientLink`.
#[rustfmt::skip]
pub static PATIENT_LINK: TypeDef = TypeDef {
    name: "PatientLink",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "other", choice: None, ty: T::Complex(&REFERENCE), min: 1, repeats: false, attribute: false },
        E { name: "type", choice: None, ty: T::Primitive(P::Code), min: 1, repeats: false, attribute: false },
    ],
};

/// Elements of `Practitioner`.
#[rustfmt::skip]
pub static PRACTITIONER: TypeDef = TypeDef {
    name: "Practitioner",
    kind: TypeKind::Resource,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::Id), min: 0, repeats: false, attribute: false },
        E { name: "meta", choice: None, ty: T::Complex(&META), min: 0, repeats: false, attribute: false },
        E { name: "implicitRules", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "language", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "text", choice: None, ty: T::Complex(&NARRATIVE), min: 0, repeats: false, attribute: false },
        E { name: "contained", choice: None, ty: T::Resource, min: 0, repeats: true, attribute: false },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "identifier", choice: None, ty: T::Complex(&IDENTIFIER), min: 0, repeats: true, attribute: false },
        E { name: "active", choice: None, ty: T::Primitive(P::Boolean), min: 0, repeats: false, attribute: false },
        E { name: "name", choice: None, ty: T::Complex(&HUMAN_NAME), min: 0, repeats: true, attribute: false },
        E { name: "telecom", choice: None, ty: T::Complex(&CONTACT_POINT), min: 0, repeats: true, attribute: false },
        E { name: "address", choice: None, ty: T::Complex(&ADDRESS), min: 0, repeats: true, attribute: false },
        E { name: "gender", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "birthDate", choice: None, ty: T::Primitive(P::Date), min: 0, repeats: false, attribute: false },
        E { name: "photo", choice: None, ty: T::Complex(&ATTACHMENT), min: 0, repeats: true, attribute: false },
        E { name: "qualification", choice: None, ty: T::Complex(&PRACTITIONER_QUALIFICATION), min: 0, repeats: true, attribute: false },
        E { name: "communication", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: true, attribute: false },
    ],
};

/// Elements of `PractitionerQualification`.
#[rustfmt::skip]
pub static PRACTITIONER_QUALIFICATION: TypeDef = TypeDef {
    name: "PractitionerQualification",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "identifier", choice: None, ty: T::Complex(&IDENTIFIER), min: 0, repeats: true, attribute: false },
        E { name: "code", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 1, repeats: false, attribute: false },
        E { name: "period", choice: None, ty: T::Complex(&PERIOD), min: 0, repeats: false, attribute: false },
        E { name: "issuer", choice: None, ty: T::Complex(&REFERENCE), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `PractitionerRole`.
#[rustfmt::skip]
pub static PRACTITIONER_ROLE: TypeDef = TypeDef {
    name: "PractitionerRole",
    kind: TypeKind::Resource,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::Id), min: 0, repeats: false, attribute: false },
        E { name: "meta", choice: None, ty: T::Complex(&META), min: 0, repeats: false, attribute: false },
        E { name: "implicitRules", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "language", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "text", choice: None, ty: T::Complex(&NARRATIVE), min: 0, repeats: false, attribute: false },
        E { name: "contained", choice: None, ty: T::Resource, min: 0, repeats: true, attribute: false },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "identifier", choice: None, ty: T::Complex(&IDENTIFIER), min: 0, repeats: true, attribute: false },
        E { name: "active", choice: None, ty: T::Primitive(P::Boolean), min: 0, repeats: false, attribute: false },
        E { name: "period", choice: None, ty: T::Complex(&PERIOD), min: 0, repeats: false, attribute: false },
        E { name: "practitioner", choice: None, ty: T::Complex(&REFERENCE), min: 0, repeats: false, attribute: false },
        E { name: "organization", choice: None, ty: T::Complex(&REFERENCE), min: 0, repeats: false, attribute: false },
        E { name: "code", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: true, attribute: false },
        E { name: "specialty", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: true, attribute: false },
        E { name: "location", choice: None, ty: T::Complex(&REFERENCE), min: 0, repeats: true, attribute: false },
        E { name: "healthcareService", choice: None, ty: T::Complex(&REFERENCE), min: 0, repeats: true, attribute: false },
        E { name: "telecom", choice: None, ty: T::Complex(&CONTACT_POINT), min: 0, repeats: true, attribute: false },
        E { name: "availableTime", choice: None, ty: T::Complex(&PRACTITIONER_ROLE_AVAILABLE_TIME), min: 0, repeats: true, attribute: false },
        E { name: "notAvailable", choice: None, ty: T::Complex(&PRACTITIONER_ROLE_NOT_AVAILABLE), min: 0, repeats: true, attribute: false },
        E { name: "availabilityExceptions", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "endpoint", choice: None, ty: T::Complex(&REFERENCE), min: 0, repeats: true, attribute: false },
    ],
};

/// Elements of `PractitionerRoleAvailableTime`.
#[rustfmt::skip]
pub static PRACTITIONER_ROLE_AVAILABLE_TIME: TypeDef = TypeDef {
    name: "PractitionerRoleAvailableTime",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "daysOfWeek", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: true, attribute: false },
        E { name: "allDay", choice: None, ty: T::Primitive(P::Boolean), min: 0, repeats: false, attribute: false },
        E { name: "availableStartTime", choice: None, ty: T::Primitive(P::Time), min: 0, repeats: false, attribute: false },
        E { name: "availableEndTime", choice: None, ty: T::Primitive(P::Time), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `PractitionerRoleNotAvailable`.
#[rustfmt::skip]
pub static PRACTITIONER_ROLE_NOT_AVAILABLE: TypeDef = TypeDef {
    name: "PractitionerRoleNotAvailable",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "description", choice: None, ty: T::Primitive(P::String), min: 1, repeats: false, attribute: false },
        E { name: "during", choice: None, ty: T::Complex(&PERIOD), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `Organization`.
#[rustfmt::skip]
pub static ORGANIZATION: TypeDef = TypeDef {
    name: "Organization",
    kind: TypeKind::Resource,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::Id), min: 0, repeats: false, attribute: false },
        E { name: "meta", choice: None, ty: T::Complex(&META), min: 0, repeats: false, attribute: false },
        E { name: "implicitRules", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "language", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "text", choice: None, ty: T::Complex(&NARRATIVE), min: 0, repeats: false, attribute: false },
        E { name: "contained", choice: None, ty: T::Resource, min: 0, repeats: true, attribute: false },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "identifier", choice: None, ty: T::Complex(&IDENTIFIER), min: 0, repeats: true, attribute: false },
        E { name: "active", choice: None, ty: T::Primitive(P::Boolean), min: 0, repeats: false, attribute: false },
        E { name: "type", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: true, attribute: false },
        E { name: "name", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "alias", choice: None, ty: T::Primitive(P::String), min: 0, repeats: true, attribute: false },
        E { name: "telecom", choice: None, ty: T::Complex(&CONTACT_POINT), min: 0, repeats: true, attribute: false },
        E { name: "address", choice: None, ty: T::Complex(&ADDRESS), min: 0, repeats: true, attribute: false },
        E { name: "partOf", choice: None, ty: T::Complex(&REFERENCE), min: 0, repeats: false, attribute: false },
        E { name: "contact", choice: None, ty: T::Complex(&ORGANIZATION_CONTACT), min: 0, repeats: true, attribute: false },
        E { name: "endpoint", choice: None, ty: T::Complex(&REFERENCE), min: 0, repeats: true, attribute: false },
    ],
};

/// Elements of `OrganizationContact`.
#[rustfmt::skip]
pub static ORGANIZATION_CONTACT: TypeDef = TypeDef {
    name: "OrganizationContact",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "purpose", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: false, attribute: false },
        E { name: "name", choice: None, ty: T::Complex(&HUMAN_NAME), min: 0, repeats: false, attribute: false },
        E { name: "telecom", choice: None, ty: T::Complex(&CONTACT_POINT), min: 0, repeats: true, attribute: false },
        E { name: "address", choice: None, ty: T::Complex(&ADDRESS), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `Location`.
#[rustfmt::skip]
pub static LOCATION: TypeDef = TypeDef {
    name: "Location",
    kind: TypeKind::Resource,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::Id), min: 0, repeats: false, attribute: false },
        E { name: "meta", choice: None, ty: T::Complex(&META), min: 0, repeats: false, attribute: false },
        E { name: "implicitRules", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "language", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "text", choice: None, ty: T::Complex(&NARRATIVE), min: 0, repeats: false, attribute: false },
        E { name: "contained", choice: None, ty: T::Resource, min: 0, repeats: true, attribute: false },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "identifier", choice: None, ty: T::Complex(&IDENTIFIER), min: 0, repeats: true, attribute: false },
        E { name: "status", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "operationalStatus", choice: None, ty: T::Complex(&CODING), min: 0, repeats: false, attribute: false },
        E { name: "name", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "alias", choice: None, ty: T::Primitive(P::String), min: 0, repeats: true, attribute: false },
        E { name: "description", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "mode", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "type", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: false, attribute: false },
        E { name: "telecom", choice: None, ty: T::Complex(&CONTACT_POINT), min: 0, repeats: true, attribute: false },
        E { name: "address", choice: None, ty: T::Complex(&ADDRESS), min: 0, repeats: false, attribute: false },
        E { name: "physicalType", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: false, attribute: false },
        E { name: "position", choice: None, ty: T::Complex(&LOCATION_POSITION), min: 0, repeats: false, attribute: false },
        E { name: "managingOrganization", choice: None, ty: T::Complex(&REFERENCE), min: 0, repeats: false, attribute: false },
        E { name: "partOf", choice: None, ty: T::Complex(&REFERENCE), min: 0, repeats: false, attribute: false },
        E { name: "endpoint", choice: None, ty: T::Complex(&REFERENCE), min: 0, repeats: true, attribute: false },
    ],
};

/// Elements of `LocationPosition`.
#[rustfmt::skip]
pub static LOCATION_POSITION: TypeDef = TypeDef {
    name: "LocationPosition",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "longitude", choice: None, ty: T::Primitive(P::Decimal), min: 1, repeats: false, attribute: false },
        E { name: "latitude", choice: None, ty: T::Primitive(P::Decimal), min: 1, repeats: false, attribute: false },
        E { name: "altitude", choice: None, ty: T::Primitive(P::Decimal), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `Schedule`.
#[rustfmt::skip]
pub static SCHEDULE: TypeDef = TypeDef {
    name: "Schedule",
    kind: TypeKind::Resource,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::Id), min: 0, repeats: false, attribute: false },
        E { name: "meta", choice: None, ty: T::Complex(&META), min: 0, repeats: false, attribute: false },
        E { name: "implicitRules", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "language", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "text", choice: None, ty: T::Complex(&NARRATIVE), min: 0, repeats: false, attribute: false },
        E { name: "contained", choice: None, ty: T::Resource, min: 0, repeats: true, attribute: false },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "identifier", choice: None, ty: T::Complex(&IDENTIFIER), min: 0, repeats: true, attribute: false },
        E { name: "active", choice: None, ty: T::Primitive(P::Boolean), min: 0, repeats: false, attribute: false },
        E { name: "serviceCategory", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: false, attribute: false },
        E { name: "serviceType", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: true, attribute: false },
        E { name: "specialty", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: true, attribute: false },
        E { name: "actor", choice: None, ty: T::Complex(&REFERENCE), min: 1, repeats: true, attribute: false },
        E { name: "planningHorizon", choice: None, ty: T::Complex(&PERIOD), min: 0, repeats: false, attribute: false },
        E { name: "comment", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `Slot`.
#[rustfmt::skip]
pub static SLOT: TypeDef = TypeDef {
    name: "Slot",
    kind: TypeKind::Resource,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::Id), min: 0, repeats: false, attribute: false },
        E { name: "meta", choice: None, ty: T::Complex(&META), min: 0, repeats: false, attribute: false },
        E { name: "implicitRules", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "language", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "text", choice: None, ty: T::Complex(&NARRATIVE), min: 0, repeats: false, attribute: false },
        E { name: "contained", choice: None, ty: T::Resource, min: 0, repeats: true, attribute: false },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "identifier", choice: None, ty: T::Complex(&IDENTIFIER), min: 0, repeats: true, attribute: false },
        E { name: "serviceCategory", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: false, attribute: false },
        E { name: "serviceType", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: true, attribute: false },
        E { name: "specialty", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: true, attribute: false },
        E { name: "appointmentType", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: false, attribute: false },
        E { name: "schedule", choice: None, ty: T::Complex(&REFERENCE), min: 1, repeats: false, attribute: false },
        E { name: "status", choice: None, ty: T::Primitive(P::Code), min: 1, repeats: false, attribute: false },
        E { name: "start", choice: None, ty: T::Primitive(P::Instant), min: 1, repeats: false, attribute: false },
        E { name: "end", choice: None, ty: T::Primitive(P::Instant), min: 1, repeats: false, attribute: false },
        E { name: "overbooked", choice: None, ty: T::Primitive(P::Boolean), min: 0, repeats: false, attribute: false },
        E { name: "comment", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `Appointment`.
#[rustfmt::skip]
pub static APPOINTMENT: TypeDef = TypeDef {
    name: "Appointment",
    kind: TypeKind::Resource,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::Id), min: 0, repeats: false, attribute: false },
        E { name: "meta", choice: None, ty: T::Complex(&META), min: 0, repeats: false, attribute: false },
        E { name: "implicitRules", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "language", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "text", choice: None, ty: T::Complex(&NARRATIVE), min: 0, repeats: false, attribute: false },
        E { name: "contained", choice: None, ty: T::Resource, min: 0, repeats: true, attribute: false },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "identifier", choice: None, ty: T::Complex(&IDENTIFIER), min: 0, repeats: true, attribute: false },
        E { name: "status", choice: None, ty: T::Primitive(P::Code), min: 1, repeats: false, attribute: false },
        E { name: "serviceCategory", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: false, attribute: false },
        E { name: "serviceType", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: true, attribute: false },
        E { name: "specialty", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: true, attribute: false },
        E { name: "appointmentType", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: false, attribute: false },
        E { name: "reason", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: true, attribute: false },
        E { name: "indication", choice: None, ty: T::Complex(&REFERENCE), min: 0, repeats: true, attribute: false },
        E { name: "priority", choice: None, ty: T::Primitive(P::UnsignedInt), min: 0, repeats: false, attribute: false },
        E { name: "description", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "supportingInformation", choice: None, ty: T::Complex(&REFERENCE), min: 0, repeats: true, attribute: false },
        E { name: "start", choice: None, ty: T::Primitive(P::Instant), min: 0, repeats: false, attribute: false },
        E { name: "end", choice: None, ty: T::Primitive(P::Instant), min: 0, repeats: false, attribute: false },
        E { name: "minutesDuration", choice: None, ty: T::Primitive(P::PositiveInt), min: 0, repeats: false, attribute: false },
        E { name: "slot", choice: None, ty: T::Complex(&REFERENCE), min: 0, repeats: true, attribute: false },
        E { name: "created", choice: None, ty: T::Primitive(P::DateTime), min: 0, repeats: false, attribute: false },
        E { name: "comment", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "incomingReferral", choice: None, ty: T::Complex(&REFERENCE), min: 0, repeats: true, attribute: false },
        E { name: "participant", choice: None, ty: T::Complex(&APPOINTMENT_PARTICIPANT), min: 1, repeats: true, attribute: false },
        E { name: "requestedPeriod", choice: None, ty: T::Complex(&PERIOD), min: 0, repeats: true, attribute: false },
    ],
};

/// Elements of `AppointmentParticipant`.
#[rustfmt::skip]
pub static APPOINTMENT_PARTICIPANT: TypeDef = TypeDef {
    name: "AppointmentParticipant",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "type", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: true, attribute: false },
        E { name: "actor", choice: None, ty: T::Complex(&REFERENCE), min: 0, repeats: false, attribute: false },
        E { name: "required", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "status", choice: None, ty: T::Primitive(P::Code), min: 1, repeats: false, attribute: false },
    ],
};

/// Elements of `Bundle`.
#[rustfmt::skip]
pub static BUNDLE: TypeDef = TypeDef {
    name: "Bundle",
    kind: TypeKind::Resource,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::Id), min: 0, repeats: false, attribute: false },
        E { name: "meta", choice: None, ty: T::Complex(&META), min: 0, repeats: false, attribute: false },
        E { name: "implicitRules", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "language", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "identifier", choice: None, ty: T::Complex(&IDENTIFIER), min: 0, repeats: false, attribute: false },
        E { name: "type", choice: None, ty: T::Primitive(P::Code), min: 1, repeats: false, attribute: false },
        E { name: "total", choice: None, ty: T::Primitive(P::UnsignedInt), min: 0, repeats: false, attribute: false },
        E { name: "link", choice: None, ty: T::Complex(&BUNDLE_LINK), min: 0, repeats: true, attribute: false },
        E { name: "entry", choice: None, ty: T::Complex(&BUNDLE_ENTRY), min: 0, repeats: true, attribute: false },
        E { name: "signature", choice: None, ty: T::Complex(&SIGNATURE), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `BundleLink`.
#[rustfmt::skip]
pub static BUNDLE_LINK: TypeDef = TypeDef {
    name: "BundleLink",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "relation", choice: None, ty: T::Primitive(P::String), min: 1, repeats: false, attribute: false },
        E { name: "url", choice: None, ty: T::Primitive(P::Uri), min: 1, repeats: false, attribute: false },
    ],
};

/// Elements of `BundleEntry`.
#[rustfmt::skip]
pub static BUNDLE_ENTRY: TypeDef = TypeDef {
    name: "BundleEntry",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "link", choice: None, ty: T::Complex(&BUNDLE_LINK), min: 0, repeats: true, attribute: false },
        E { name: "fullUrl", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "resource", choice: None, ty: T::Resource, min: 0, repeats: false, attribute: false },
        E { name: "search", choice: None, ty: T::Complex(&BUNDLE_ENTRY_SEARCH), min: 0, repeats: false, attribute: false },
        E { name: "request", choice: None, ty: T::Complex(&BUNDLE_ENTRY_REQUEST), min: 0, repeats: false, attribute: false },
        E { name: "response", choice: None, ty: T::Complex(&BUNDLE_ENTRY_RESPONSE), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `BundleEntrySearch`.
#[rustfmt::skip]
pub static BUNDLE_ENTRY_SEARCH: TypeDef = TypeDef {
    name: "BundleEntrySearch",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "mode", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "score", choice: None, ty: T::Primitive(P::Decimal), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `BundleEntryRequest`.
#[rustfmt::skip]
pub static BUNDLE_ENTRY_REQUEST: TypeDef = TypeDef {
    name: "BundleEntryRequest",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "method", choice: None, ty: T::Primitive(P::Code), min: 1, repeats: false, attribute: false },
        E { name: "url", choice: None, ty: T::Primitive(P::Uri), min: 1, repeats: false, attribute: false },
        E { name: "ifNoneMatch", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "ifModifiedSince", choice: None, ty: T::Primitive(P::Instant), min: 0, repeats: false, attribute: false },
        E { name: "ifMatch", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "ifNoneExist", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `BundleEntryResponse`.
#[rustfmt::skip]
pub static BUNDLE_ENTRY_RESPONSE: TypeDef = TypeDef {
    name: "BundleEntryResponse",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "status", choice: None, ty: T::Primitive(P::String), min: 1, repeats: false, attribute: false },
        E { name: "location", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "etag", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "lastModified", choice: None, ty: T::Primitive(P::Instant), min: 0, repeats: false, attribute: false },
        E { name: "outcome", choice: None, ty: T::Resource, min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `OperationOutcome`.
#[rustfmt::skip]
pub static OPERATION_OUTCOME: TypeDef = TypeDef {
    name: "OperationOutcome",
    kind: TypeKind::Resource,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::Id), min: 0, repeats: false, attribute: false },
        E { name: "meta", choice: None, ty: T::Complex(&META), min: 0, repeats: false, attribute: false },
        E { name: "implicitRules", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "language", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "text", choice: None, ty: T::Complex(&NARRATIVE), min: 0, repeats: false, attribute: false },
        E { name: "contained", choice: None, ty: T::Resource, min: 0, repeats: true, attribute: false },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "issue", choice: None, ty: T::Complex(&OPERATION_OUTCOME_ISSUE), min: 1, repeats: true, attribute: false },
    ],
};

/// Elements of `OperationOutcomeIssue`.
#[rustfmt::skip]
pub static OPERATION_OUTCOME_ISSUE: TypeDef = TypeDef {
    name: "OperationOutcomeIssue",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "severity", choice: None, ty: T::Primitive(P::Code), min: 1, repeats: false, attribute: false },
        E { name: "code", choice: None, ty: T::Primitive(P::Code), min: 1, repeats: false, attribute: false },
        E { name: "details", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: false, attribute: false },
        E { name: "diagnostics", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "location", choice: None, ty: T::Primitive(P::String), min: 0, repeats: true, attribute: false },
        E { name: "expression", choice: None, ty: T::Primitive(P::String), min: 0, repeats: true, attribute: false },
    ],
};

/// Elements of `CapabilityStatement`.
#[rustfmt::skip]
pub static CAPABILITY_STATEMENT: TypeDef = TypeDef {
    name: "CapabilityStatement",
    kind: TypeKind::Resource,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::Id), min: 0, repeats: false, attribute: false },
        E { name: "meta", choice: None, ty: T::Complex(&META), min: 0, repeats: false, attribute: false },
        E { name: "implicitRules", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "language", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "text", choice: None, ty: T::Complex(&NARRATIVE), min: 0, repeats: false, attribute: false },
        E { name: "contained", choice: None, ty: T::Resource, min: 0, repeats: true, attribute: false },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "url", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "version", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "name", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "title", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "status", choice: None, ty: T::Primitive(P::Code), min: 1, repeats: false, attribute: false },
        E { name: "experimental", choice: None, ty: T::Primitive(P::Boolean), min: 0, repeats: false, attribute: false },
        E { name: "date", choice: None, ty: T::Primitive(P::DateTime), min: 1, repeats: false, attribute: false },
        E { name: "publisher", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "contact", choice: None, ty: T::Complex(&CONTACT_DETAIL), min: 0, repeats: true, attribute: false },
        E { name: "description", choice: None, ty: T::Primitive(P::Markdown), min: 0, repeats: false, attribute: false },
        E { name: "useContext", choice: None, ty: T::Complex(&USAGE_CONTEXT), min: 0, repeats: true, attribute: false },
        E { name: "jurisdiction", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: true, attribute: false },
        E { name: "purpose", choice: None, ty: T::Primitive(P::Markdown), min: 0, repeats: false, attribute: false },
        E { name: "copyright", choice: None, ty: T::Primitive(P::Markdown), min: 0, repeats: false, attribute: false },
        E { name: "kind", choice: None, ty: T::Primitive(P::Code), min: 1, repeats: false, attribute: false },
        E { name: "instantiates", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: true, attribute: false },
        E { name: "software", choice: None, ty: T::Complex(&CAPABILITY_STATEMENT_SOFTWARE), min: 0, repeats: false, attribute: false },
        E { name: "implementation", choice: None, ty: T::Complex(&CAPABILITY_STATEMENT_IMPLEMENTATION), min: 0, repeats: false, attribute: false },
        E { name: "fhirVersion", choice: None, ty: T::Primitive(P::Id), min: 1, repeats: false, attribute: false },
        E { name: "acceptUnknown", choice: None, ty: T::Primitive(P::Code), min: 1, repeats: false, attribute: false },
        E { name: "format", choice: None, ty: T::Primitive(P::Code), min: 1, repeats: true, attribute: false },
        E { name: "patchFormat", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: true, attribute: false },
        E { name: "implementationGuide", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: true, attribute: false },
        E { name: "profile", choice: None, ty: T::Complex(&REFERENCE), min: 0, repeats: true, attribute: false },
        E { name: "rest", choice: None, ty: T::Complex(&CAPABILITY_STATEMENT_REST), min: 0, repeats: true, attribute: false },
        E { name: "messaging", choice: None, ty: T::Complex(&CAPABILITY_STATEMENT_MESSAGING), min: 0, repeats: true, attribute: false },
        E { name: "document", choice: None, ty: T::Complex(&CAPABILITY_STATEMENT_DOCUMENT), min: 0, repeats: true, attribute: false },
    ],
};

/// Elements of `CapabilityStatementSoftware`.
#[rustfmt::skip]
pub static CAPABILITY_STATEMENT_SOFTWARE: TypeDef = TypeDef {
    name: "CapabilityStatementSoftware",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "name", choice: None, ty: T::Primitive(P::String), min: 1, repeats: false, attribute: false },
        E { name: "version", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "releaseDate", choice: None, ty: T::Primitive(P::DateTime), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `CapabilityStatementImplementation`.
#[rustfmt::skip]
pub static CAPABILITY_STATEMENT_IMPLEMENTATION: TypeDef = TypeDef {
    name: "CapabilityStatementImplementation",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "description", choice: None, ty: T::Primitive(P::String), min: 1, repeats: false, attribute: false },
        E { name: "url", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `CapabilityStatementRest`.
#[rustfmt::skip]
pub static CAPABILITY_STATEMENT_REST: TypeDef = TypeDef {
    name: "CapabilityStatementRest",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "mode", choice: None, ty: T::Primitive(P::Code), min: 1, repeats: false, attribute: false },
        E { name: "documentation", choice: None, ty: T::Primitive(P::Markdown), min: 0, repeats: false, attribute: false },
        E { name: "security", choice: None, ty: T::Complex(&CAPABILITY_STATEMENT_REST_SECURITY), min: 0, repeats: false, attribute: false },
        E { name: "resource", choice: None, ty: T::Complex(&CAPABILITY_STATEMENT_REST_RESOURCE), min: 0, repeats: true, attribute: false },
        E { name: "interaction", choice: None, ty: T::Complex(&CAPABILITY_STATEMENT_REST_INTERACTION), min: 0, repeats: true, attribute: false },
        E { name: "searchParam", choice: None, ty: T::Complex(&CAPABILITY_STATEMENT_REST_RESOURCE_SEARCH_PARAM), min: 0, repeats: true, attribute: false },
        E { name: "operation", choice: None, ty: T::Complex(&CAPABILITY_STATEMENT_REST_OPERATION), min: 0, repeats: true, attribute: false },
        E { name: "compartment", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: true, attribute: false },
    ],
};

/// Elements of `CapabilityStatementRestSecurity`.
#[rustfmt::skip]
pub static CAPABILITY_STATEMENT_REST_SECURITY: TypeDef = TypeDef {
    name: "CapabilityStatementRestSecurity",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "cors", choice: None, ty: T::Primitive(P::Boolean), min: 0, repeats: false, attribute: false },
        E { name: "service", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: true, attribute: false },
        E { name: "description", choice: None, ty: T::Primitive(P::Markdown), min: 0, repeats: false, attribute: false },
        E { name: "certificate", choice: None, ty: T::Complex(&CAPABILITY_STATEMENT_REST_SECURITY_CERTIFICATE), min: 0, repeats: true, attribute: false },
    ],
};

/// Elements of `CapabilityStatementRestSecurityCertificate`.
#[rustfmt::skip]
pub static CAPABILITY_STATEMENT_REST_SECURITY_CERTIFICATE: TypeDef = TypeDef {
    name: "CapabilityStatementRestSecurityCertificate",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "type", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "blob", choice: None, ty: T::Primitive(P::Base64Binary), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `CapabilityStatementRestResource`.
#[rustfmt::skip]
pub static CAPABILITY_STATEMENT_REST_RESOURCE: TypeDef = TypeDef {
    name: "CapabilityStatementRestResource",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "type", choice: None, ty: T::Primitive(P::Code), min: 1, repeats: false, attribute: false },
        E { name: "profile", choice: None, ty: T::Complex(&REFERENCE), min: 0, repeats: false, attribute: false },
        E { name: "documentation", choice: None, ty: T::Primitive(P::Markdown), min: 0, repeats: false, attribute: false },
        E { name: "interaction", choice: None, ty: T::Complex(&CAPABILITY_STATEMENT_REST_RESOURCE_INTERACTION), min: 1, repeats: true, attribute: false },
        E { name: "versioning", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "readHistory", choice: None, ty: T::Primitive(P::Boolean), min: 0, repeats: false, attribute: false },
        E { name: "updateCreate", choice: None, ty: T::Primitive(P::Boolean), min: 0, repeats: false, attribute: false },
        E { name: "conditionalCreate", choice: None, ty: T::Primitive(P::Boolean), min: 0, repeats: false, attribute: false },
        E { name: "conditionalRead", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "conditionalUpdate", choice: None, ty: T::Primitive(P::Boolean), min: 0, repeats: false, attribute: false },
        E { name: "conditionalDelete", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "referencePolicy", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: true, attribute: false },
        E { name: "searchInclude", choice: None, ty: T::Primitive(P::String), min: 0, repeats: true, attribute: false },
        E { name: "searchRevInclude", choice: None, ty: T::Primitive(P::String), min: 0, repeats: true, attribute: false },
        E { name: "searchParam", choice: None, ty: T::Complex(&CAPABILITY_STATEMENT_REST_RESOURCE_SEARCH_PARAM), min: 0, repeats: true, attribute: false },
    ],
};

/// Elements of `CapabilityStatementRestResourceInteraction`.
#[rustfmt::skip]
pub static CAPABILITY_STATEMENT_REST_RESOURCE_INTERACTION: TypeDef = TypeDef {
    name: "CapabilityStatementRestResourceInteraction",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "code", choice: None, ty: T::Primitive(P::Code), min: 1, repeats: false, attribute: false },
        E { name: "documentation", choice: None, ty: T::Primitive(P::Markdown), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `CapabilityStatementRestResourceSearchParam`.
#[rustfmt::skip]
pub static CAPABILITY_STATEMENT_REST_RESOURCE_SEARCH_PARAM: TypeDef = TypeDef {
    name: "CapabilityStatementRestResourceSearchParam",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "name", choice: None, ty: T::Primitive(P::String), min: 1, repeats: false, attribute: false },
        E { name: "definition", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "type", choice: None, ty: T::Primitive(P::Code), min: 1, repeats: false, attribute: false },
        E { name: "documentation", choice: None, ty: T::Primitive(P::Markdown), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `CapabilityStatementRestInteraction`.
#[rustfmt::skip]
pub static CAPABILITY_STATEMENT_REST_INTERACTION: TypeDef = TypeDef {
    name: "CapabilityStatementRestInteraction",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "code", choice: None, ty: T::Primitive(P::Code), min: 1, repeats: false, attribute: false },
        E { name: "documentation", choice: None, ty: T::Primitive(P::Markdown), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `CapabilityStatementRestOperation`.
#[rustfmt::skip]
pub static CAPABILITY_STATEMENT_REST_OPERATION: TypeDef = TypeDef {
    name: "CapabilityStatementRestOperation",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "name", choice: None, ty: T::Primitive(P::String), min: 1, repeats: false, attribute: false },
        E { name: "definition", choice: None, ty: T::Complex(&REFERENCE), min: 1, repeats: false, attribute: false },
    ],
};

/// Elements of `CapabilityStatementMessaging`.
#[rustfmt::skip]
pub static CAPABILITY_STATEMENT_MESSAGING: TypeDef = TypeDef {
    name: "CapabilityStatementMessaging",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "endpoint", choice: None, ty: T::Complex(&CAPABILITY_STATEMENT_MESSAGING_ENDPOINT), min: 0, repeats: true, attribute: false },
        E { name: "reliableCache", choice: None, ty: T::Primitive(P::UnsignedInt), min: 0, repeats: false, attribute: false },
        E { name: "documentation", choice: None, ty: T::Primitive(P::Markdown), min: 0, repeats: false, attribute: false },
        E { name: "supportedMessage", choice: None, ty: T::Complex(&CAPABILITY_STATEMENT_MESSAGING_SUPPORTED_MESSAGE), min: 0, repeats: true, attribute: false },
        E { name: "event", choice: None, ty: T::Complex(&CAPABILITY_STATEMENT_MESSAGING_EVENT), min: 0, repeats: true, attribute: false },
    ],
};

/// Elements of `CapabilityStatementMessagingEndpoint`.
#[rustfmt::skip]
pub static CAPABILITY_STATEMENT_MESSAGING_ENDPOINT: TypeDef = TypeDef {
    name: "CapabilityStatementMessagingEndpoint",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "protocol", choice: None, ty: T::Complex(&CODING), min: 1, repeats: false, attribute: false },
        E { name: "address", choice: None, ty: T::Primitive(P::Uri), min: 1, repeats: false, attribute: false },
    ],
};

/// Elements of `CapabilityStatementMessagingSupportedMessage`.
#[rustfmt::skip]
pub static CAPABILITY_STATEMENT_MESSAGING_SUPPORTED_MESSAGE: TypeDef = TypeDef {
    name: "CapabilityStatementMessagingSupportedMessage",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "mode", choice: None, ty: T::Primitive(P::Code), min: 1, repeats: false, attribute: false },
        E { name: "definition", choice: None, ty: T::Complex(&REFERENCE), min: 1, repeats: false, attribute: false },
    ],
};

/// Elements of `CapabilityStatementMessagingEvent`.
#[rustfmt::skip]
pub static CAPABILITY_STATEMENT_MESSAGING_EVENT: TypeDef = TypeDef {
    name: "CapabilityStatementMessagingEvent",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "code", choice: None, ty: T::Complex(&CODING), min: 1, repeats: false, attribute: false },
        E { name: "category", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "mode", choice: None, ty: T::Primitive(P::Code), min: 1, repeats: false, attribute: false },
        E { name: "focus", choice: None, ty: T::Primitive(P::Code), min: 1, repeats: false, attribute: false },
        E { name: "request", choice: None, ty: T::Complex(&REFERENCE), min: 1, repeats: false, attribute: false },
        E { name: "response", choice: None, ty: T::Complex(&REFERENCE), min: 1, repeats: false, attribute: false },
        E { name: "documentation", choice: None, ty: T::Primitive(P::Markdown), min: 0, repeats: false, attribute: false },
    ],
};

/// Elements of `CapabilityStatementDocument`.
#[rustfmt::skip]
pub static CAPABILITY_STATEMENT_DOCUMENT: TypeDef = TypeDef {
    name: "CapabilityStatementDocument",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "mode", choice: None, ty: T::Primitive(P::Code), min: 1, repeats: false, attribute: false },
        E { name: "documentation", choice: None, ty: T::Primitive(P::Markdown), min: 0, repeats: false, attribute: false },
        E { name: "profile", choice: None, ty: T::Complex(&REFERENCE), min: 1, repeats: false, attribute: false },
    ],
};

/// Elements of `Parameters`.
#[rustfmt::skip]
pub static PARAMETERS: TypeDef = TypeDef {
    name: "Parameters",
    kind: TypeKind::Resource,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::Id), min: 0, repeats: false, attribute: false },
        E { name: "meta", choice: None, ty: T::Complex(&META), min: 0, repeats: false, attribute: false },
        E { name: "implicitRules", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "language", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "parameter", choice: None, ty: T::Complex(&PARAMETERS_PARAMETER), min: 0, repeats: true, attribute: false },
    ],
};

/// Elements of `ParametersParameter`.
#[rustfmt::skip]
pub static PARAMETERS_PARAMETER: TypeDef = TypeDef {
    name: "ParametersParameter",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "name", choice: None, ty: T::Primitive(P::String), min: 1, repeats: false, attribute: false },
        E { name: "valueBase64Binary", choice: Some("value[x]"), ty: T::Primitive(P::Base64Binary), min: 0, repeats: false, attribute: false },
        E { name: "valueBoolean", choice: Some("value[x]"), ty: T::Primitive(P::Boolean), min: 0, repeats: false, attribute: false },
        E { name: "valueCode", choice: Some("value[x]"), ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "valueDate", choice: Some("value[x]"), ty: T::Primitive(P::Date), min: 0, repeats: false, attribute: false },
        E { name: "valueDateTime", choice: Some("value[x]"), ty: T::Primitive(P::DateTime), min: 0, repeats: false, attribute: false },
        E { name: "valueDecimal", choice: Some("value[x]"), ty: T::Primitive(P::Decimal), min: 0, repeats: false, attribute: false },
        E { name: "valueId", choice: Some("value[x]"), ty: T::Primitive(P::Id), min: 0, repeats: false, attribute: false },
        E { name: "valueInstant", choice: Some("value[x]"), ty: T::Primitive(P::Instant), min: 0, repeats: false, attribute: false },
        E { name: "valueInteger", choice: Some("value[x]"), ty: T::Primitive(P::Integer), min: 0, repeats: false, attribute: false },
        E { name: "valueMarkdown", choice: Some("value[x]"), ty: T::Primitive(P::Markdown), min: 0, repeats: false, attribute: false },
        E { name: "valueOid", choice: Some("value[x]"), ty: T::Primitive(P::Oid), min: 0, repeats: false, attribute: false },
        E { name: "valuePositiveInt", choice: Some("value[x]"), ty: T::Primitive(P::PositiveInt), min: 0, repeats: false, attribute: false },
        E { name: "valueString", choice: Some("value[x]"), ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "valueTime", choice: Some("value[x]"), ty: T::Primitive(P::Time), min: 0, repeats: false, attribute: false },
        E { name: "valueUnsignedInt", choice: Some("value[x]"), ty: T::Primitive(P::UnsignedInt), min: 0, repeats: false, attribute: false },
        E { name: "valueUri", choice: Some("value[x]"), ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "valueAddress", choice: Some("value[x]"), ty: T::Complex(&ADDRESS), min: 0, repeats: false, attribute: false },
        E { name: "valueAnnotation", choice: Some("value[x]"), ty: T::Complex(&ANNOTATION), min: 0, repeats: false, attribute: false },
        E { name: "valueAttachment", choice: Some("value[x]"), ty: T::Complex(&ATTACHMENT), min: 0, repeats: false, attribute: false },
        E { name: "valueCodeableConcept", choice: Some("value[x]"), ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: false, attribute: false },
        E { name: "valueCoding", choice: Some("value[x]"), ty: T::Complex(&CODING), min: 0, repeats: false, attribute: false },
        E { name: "valueContactPoint", choice: Some("value[x]"), ty: T::Complex(&CONTACT_POINT), min: 0, repeats: false, attribute: false },
        E { name: "valueHumanName", choice: Some("value[x]"), ty: T::Complex(&HUMAN_NAME), min: 0, repeats: false, attribute: false },
        E { name: "valueIdentifier", choice: Some("value[x]"), ty: T::Complex(&IDENTIFIER), min: 0, repeats: false, attribute: false },
        E { name: "valuePeriod", choice: Some("value[x]"), ty: T::Complex(&PERIOD), min: 0, repeats: false, attribute: false },
        E { name: "valueQuantity", choice: Some("value[x]"), ty: T::Complex(&QUANTITY), min: 0, repeats: false, attribute: false },
        E { name: "valueRange", choice: Some("value[x]"), ty: T::Complex(&RANGE), min: 0, repeats: false, attribute: false },
        E { name: "valueReference", choice: Some("value[x]"), ty: T::Complex(&REFERENCE), min: 0, repeats: false, attribute: false },
        E { name: "valueSignature", choice: Some("value[x]"), ty: T::Complex(&SIGNATURE), min: 0, repeats: false, attribute: false },
        E { name: "valueMeta", choice: Some("value[x]"), ty: T::Complex(&META), min: 0, repeats: false, attribute: false },
        E { name: "resource", choice: None, ty: T::Resource, min: 0, repeats: false, attribute: false },
        E { name: "part", choice: None, ty: T::Complex(&PARAMETERS_PARAMETER), min: 0, repeats: true, attribute: false },
    ],
};

/// Elements of `Device`.
#[rustfmt::skip]
pub static DEVICE: TypeDef = TypeDef {
    name: "Device",
    kind: TypeKind::Resource,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::Id), min: 0, repeats: false, attribute: false },
        E { name: "meta", choice: None, ty: T::Complex(&META), min: 0, repeats: false, attribute: false },
        E { name: "implicitRules", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "language", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "text", choice: None, ty: T::Complex(&NARRATIVE), min: 0, repeats: false, attribute: false },
        E { name: "contained", choice: None, ty: T::Resource, min: 0, repeats: true, attribute: false },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "identifier", choice: None, ty: T::Complex(&IDENTIFIER), min: 0, repeats: true, attribute: false },
        E { name: "udi", choice: None, ty: T::Complex(&DEVICE_UDI), min: 0, repeats: false, attribute: false },
        E { name: "status", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
        E { name: "type", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: false, attribute: false },
        E { name: "lotNumber", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "manufacturer", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "manufactureDate", choice: None, ty: T::Primitive(P::DateTime), min: 0, repeats: false, attribute: false },
        E { name: "expirationDate", choice: None, ty: T::Primitive(P::DateTime), min: 0, repeats: false, attribute: false },
        E { name: "model", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "version", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "patient", choice: None, ty: T::Complex(&REFERENCE), min: 0, repeats: false, attribute: false },
        E { name: "owner", choice: None, ty: T::Complex(&REFERENCE), min: 0, repeats: false, attribute: false },
        E { name: "contact", choice: None, ty: T::Complex(&CONTACT_POINT), min: 0, repeats: true, attribute: false },
        E { name: "location", choice: None, ty: T::Complex(&REFERENCE), min: 0, repeats: false, attribute: false },
        E { name: "url", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "note", choice: None, ty: T::Complex(&ANNOTATION), min: 0, repeats: true, attribute: false },
        E { name: "safety", choice: None, ty: T::Complex(&CODEABLE_CONCEPT), min: 0, repeats: true, attribute: false },
    ],
};

/// Elements of `DeviceUdi`.
#[rustfmt::skip]
pub static DEVICE_UDI: TypeDef = TypeDef {
    name: "DeviceUdi",
    kind: TypeKind::Backbone,
    elements: &[
        E { name: "id", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: true },
        E { name: "extension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "modifierExtension", choice: None, ty: T::Complex(&EXTENSION), min: 0, repeats: true, attribute: false },
        E { name: "deviceIdentifier", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "name", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "jurisdiction", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "carrierHRF", choice: None, ty: T::Primitive(P::String), min: 0, repeats: false, attribute: false },
        E { name: "carrierAIDC", choice: None, ty: T::Primitive(P::Base64Binary), min: 0, repeats: false, attribute: false },
        E { name: "issuer", choice: None, ty: T::Primitive(P::Uri), min: 0, repeats: false, attribute: false },
        E { name: "entryType", choice: None, ty: T::Primitive(P::Code), min: 0, repeats: false, attribute: false },
    ],
};

/// Every resource type the model knows, by `resourceType`.
#[rustfmt::skip]
pub static RESOURCES: &[&TypeDef] = &[&PATIENT, &PRACTITIONER, &PRACTITIONER_ROLE, &ORGANIZATION, &LOCATION, &SCHEDULE, &SLOT, &APPOINTMENT, &BUNDLE, &OPERATION_OUTCOME, &CAPABILITY_STATEMENT, &PARAMETERS, &DEVICE];

/// Every modelled datatype and backbone element.
#[rustfmt::skip]
pub static COMPLEX_TYPES: &[&TypeDef] = &[&META, &NARRATIVE, &EXTENSION, &IDENTIFIER, &HUMAN_NAME, &CONTACT_POINT, &ADDRESS, &CODEABLE_CONCEPT, &CODING, &PERIOD, &REFERENCE, &ATTACHMENT, &QUANTITY, &RANGE, &ANNOTATION, &SIGNATURE, &CONTACT_DETAIL, &USAGE_CONTEXT, &PATIENT_CONTACT, &PATIENT_ANIMAL, &PATIENT_COMMUNICATION, &PATIENT_LINK, &PRACTITIONER_QUALIFICATION, &PRACTITIONER_ROLE_AVAILABLE_TIME, &PRACTITIONER_ROLE_NOT_AVAILABLE, &ORGANIZATION_CONTACT, &LOCATION_POSITION, &APPOINTMENT_PARTICIPANT, &BUNDLE_LINK, &BUNDLE_ENTRY, &BUNDLE_ENTRY_SEARCH, &BUNDLE_ENTRY_REQUEST, &BUNDLE_ENTRY_RESPONSE, &OPERATION_OUTCOME_ISSUE, &CAPABILITY_STATEMENT_SOFTWARE, &CAPABILITY_STATEMENT_IMPLEMENTATION, &CAPABILITY_STATEMENT_REST, &CAPABILITY_STATEMENT_REST_SECURITY, &CAPABILITY_STATEMENT_REST_SECURITY_CERTIFICATE, &CAPABILITY_STATEMENT_REST_RESOURCE, &CAPABILITY_STATEMENT_REST_RESOURCE_INTERACTION, &CAPABILITY_STATEMENT_REST_RESOURCE_SEARCH_PARAM, &CAPABILITY_STATEMENT_REST_INTERACTION, &CAPABILITY_STATEMENT_REST_OPERATION, &CAPABILITY_STATEMENT_MESSAGING, &CAPABILITY_STATEMENT_MESSAGING_ENDPOINT, &CAPABILITY_STATEMENT_MESSAGING_SUPPORTED_MESSAGE, &CAPABILITY_STATEMENT_MESSAGING_EVENT, &CAPABILITY_STATEMENT_DOCUMENT, &PARAMETERS_PARAMETER, &DEVICE_UDI];
