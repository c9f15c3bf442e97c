//! GP Connect domain: identifiers that are checked once and trusted afterwards, UK local time,
//! the Spine error catalogue, the interaction catalogue, the practice records the provider holds,
//! and the demographics (PDS) interface.
//!
//! Nothing here knows about HTTP or FHIR wire formats: resources are built from these records
//! at the edge (`gpconnect-server`).

pub mod ids;
pub mod interaction;
pub mod pds;
pub mod records;
pub mod spine;
pub mod time;

pub use ids::{Asid, FhirId, IdError, NhsNumber, OdsCode};
pub use interaction::{Interaction, Scope};
pub use spine::SpineCode;
pub use time::{UkDateTime, UK_TZ};
