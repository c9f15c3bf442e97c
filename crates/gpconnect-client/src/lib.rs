//! GP Connect 1.2.7 consumer: a typed async client for the fifteen Foundations and Appointment
//! Management interactions (SPEC 2.4), and booking workflows that are safe to run against a
//! real practice.
//!
//! - [`config`]: [`ClientConfig`] (provider, SSP, ASIDs, user, organisation, system, format,
//!   timeout, mutual TLS, retries), loadable from TOML/JSON and `GPCONNECT_*` variables;
//! - [`GpConnectClient`]: one method per interaction. Every request carries a fresh
//!   `Ssp-TraceID` and a fresh unsigned JWT ([`jwt`]) with the interaction's scope, the SSP
//!   headers, content negotiation, gzip, `If-Match` and `Prefer` where they apply;
//! - [`foundations`], [`slots`], [`appointments`]: the typed requests and answers;
//! - [`ClientError`]: an OperationOutcome becomes [`ClientError::Provider`] with the HTTP
//!   status, the [`SpineCode`](gpconnect_domain::SpineCode) and the diagnostics; transport
//!   failures, timeouts and undecodable answers are separate variants;
//! - [`retry`]: reads and searches are retried with bounded backoff; writes are not (see
//!   [`workflow`] for what happens after an ambiguous booking failure);
//! - [`workflow`]: check-book-confirm, amend with `If-Match`, book-then-cancel rebooking and
//!   multi-practice slot search.
//!
//! ```no_run
//! use gpconnect_client::{BookingDetails, BookingOrganisation, ClientConfig, GpConnectClient, SlotSearch};
//! use gpconnect_domain::{FhirId, NhsNumber};
//!
//! # async fn example() -> Result<(), Box<dyn std::error::Error>> {
//! let config = ClientConfig::load(Some("gpconnect-client.toml".as_ref()))?;
//! let client = GpConnectClient::new(config)?;
//! let nhs = NhsNumber::parse("9658218865")?;
//! let patient = client.find_patient(&nhs).await?.into_iter().next().ok_or("not registered")?;
//! let today = jiff::Zoned::now().date();
//! let search = SlotSearch::new(today, today.tomorrow()?)
//!     .for_consumer(client.config().organisation.ods_code.clone(), None);
//! let slots = client.search_free_slots(&search).await?;
//! let details = BookingDetails {
//!     patient_id: FhirId::parse(patient.resource.id.as_deref().ok_or("no id")?)?,
//!     description: "Review of urgent care visit".into(),
//!     comment: None,
//!     booking_organisation: BookingOrganisation::from_config(&client.config().organisation)?,
//! };
//! let booked = client.book_and_confirm(&slots.slots[..1], &details, &search).await?;
//! println!("booked {:?}", booked.appointment.resource.id);
//! # Ok(())
//! # }
//! ```

pub mod appointments;
mod client;
pub mod config;
pub mod error;
pub mod fhir_urls;
pub mod foundations;
pub mod jwt;
mod request;
pub mod response;
pub mod retry;
pub mod slots;
pub mod workflow;

pub use appointments::{Amendment, BookingDetails, BookingOrganisation};
pub use client::{
    GpConnectClient, FROM_HEADER, INTERACTION_ID_HEADER, PREFER_HEADER, TO_HEADER, TRACE_ID_HEADER,
};
pub use config::{ClientConfig, ConfigError, ConfigSource, ProviderEndpoint};
pub use error::{ClientError, ProviderError};
pub use foundations::PatientRegistration;
pub use request::encode_query;
pub use response::Versioned;
pub use retry::RetryPolicy;
pub use slots::{FreeSlot, FreeSlots, SearchBound, SlotSearch};
pub use workflow::{ConfirmedBooking, PracticeSlots, Rebooked, WorkflowError};
