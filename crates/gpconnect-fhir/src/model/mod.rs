//! The STU3 (3.0.1) resource model: one typed struct per resource, backbone element and
//! datatype, with FHIR JSON element names.
//!
//! Conventions (shared by every struct):
//! - field name = FHIR element name in snake_case (`birthDate` → `birth_date`); choice
//!   elements `x[x]` are one `Option` field per allowed type (`deceased_boolean`,
//!   `deceased_date_time`);
//! - `Option<T>` for 0..1, `Vec<T>` for 0..*, bare `T` for 1..1 (and `Vec<T>` for 1..*);
//! - primitives: `String` for string-like types, `bool`, `i64` for integers and
//!   `serde_json::Number` for decimals;
//! - fields are declared in the element order of the STU3 definition, which the XML encoding
//!   relies on; unknown elements are rejected (`deny_unknown_fields`).
//!
//! Decoding should go through [`crate::decode`], which adds the FHIR wire rules (no `null`,
//! no empty strings/arrays/objects, cardinality, lexical checks) with element paths in errors.

mod bundle;
mod capability_statement;
mod datatypes;
mod device;
mod location;
mod operation_outcome;
mod organization;
mod parameters;
mod patient;
mod practitioner;
mod resource;
mod scheduling;

pub use bundle::*;
pub use capability_statement::*;
pub use datatypes::*;
pub use device::*;
pub use location::*;
pub use operation_outcome::*;
pub use organization::*;
pub use parameters::*;
pub use patient::*;
pub use practitioner::*;
pub use resource::{FhirResource, Resource};
pub use scheduling::*;
