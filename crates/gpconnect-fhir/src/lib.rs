//! FHIR STU3 resource model for GP Connect 1.2.7 with strict JSON and profile-ordered XML codecs.

pub mod model;
pub mod schema;

pub use model::*;
