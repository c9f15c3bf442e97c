//! FHIR STU3 (3.0.1) resource model for GP Connect 1.2.7 with strict JSON and profile-ordered
//! XML codecs.
//!
//! - [`model`]: typed structs for every resource and datatype, and the [`Resource`] enum;
//! - [`schema`]: the element table (order, type, cardinality) both codecs are driven by;
//! - [`json`]: the FHIR JSON codec.

mod error;
pub mod json;
pub mod model;
mod primitive;
pub mod schema;
mod xhtml;

pub use error::{DecodeError, EncodeError};
pub use model::*;
