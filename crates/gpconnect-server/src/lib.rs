//! GP Connect 1.2.7 provider: HTTP pipeline and interactions.

pub mod error;
pub mod negotiate;
pub mod outcome;
pub mod query;
pub mod ssp;

pub use error::ApiError;
pub use query::QueryParams;

/// The two FHIR wire formats (SPEC 2.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// `application/fhir+json`
    Json,
    /// `application/fhir+xml`
    Xml,
}
