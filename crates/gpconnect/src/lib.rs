//! The library behind the `gpconnect` command, linked by its tests.
//!
//! - [`consumer`]: the consumer commands (`patient`, `slots`, `appointment`) built on
//!   `gpconnect-client`.

pub mod consumer;
