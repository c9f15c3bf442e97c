//! GP Connect 1.2.7 provider: HTTP pipeline and interactions.

pub mod query;

pub use query::QueryParams;
