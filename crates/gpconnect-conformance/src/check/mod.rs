//! The assertions the assurance suite's step definitions make on response bodies and headers
//! (ATS 3), one module per resource, shared by every scenario.

pub(crate) mod appointment;
pub(crate) mod capability;
pub(crate) mod elements;
pub(crate) mod headers;
pub(crate) mod location;
pub(crate) mod organization;
pub(crate) mod outcome;
pub(crate) mod patient;
pub(crate) mod practitioner;
pub(crate) mod scheduling;
