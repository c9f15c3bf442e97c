//! GP Connect 1.2.7 provider: HTTP pipeline and interactions.
//!
//! [`app`] builds the whole provider as one axum [`Router`]: the pipeline (see [`pipeline`])
//! in front of the handlers of every resource. A resource module exposes `router()` with paths
//! relative to the practice base (`/metadata`, `/Patient/{id}` ...); [`handlers`] merges them.
//! Handlers take a [`RequestContext`] (everything already checked), return
//! `Result<Response, ApiError>` and answer with [`FhirResponse`].

pub mod appointment;
pub mod audit;
pub mod body;
pub mod context;
pub mod datatypes;
pub mod demo_command;
pub mod error;
pub mod jwt;
pub mod limits_command;
pub mod location;
pub mod metadata;
pub mod negotiate;
pub mod organization;
pub mod outcome;
pub mod patient;
pub mod patient_appointments;
pub mod pipeline;
pub mod practitioner;
pub mod query;
pub mod response;
pub mod routes;
pub mod search;
pub mod search_cache;
pub mod serve;
pub mod slot;
pub mod ssp;
pub mod state;
pub mod tls;

use axum::Router;

pub use body::FhirBody;
pub use context::{Prefer, RequestContext};
pub use error::ApiError;
pub use gpconnect_fhir::Format;
pub use pipeline::ConnectionInfo;
pub use query::QueryParams;
pub use response::FhirResponse;
pub use serve::{ServeArgs, ServeError, Server};
pub use state::{default_max_concurrent_searches, AppState, ServerConfig};

/// Every resource's handlers, merged (paths relative to the practice base).
pub fn handlers() -> Router<AppState> {
    Router::new()
        .merge(metadata::router())
        .merge(patient::router())
        .merge(practitioner::router())
        .merge(organization::router())
        .merge(location::router())
        .merge(slot::router())
        .merge(appointment::router())
        .merge(patient_appointments::router())
}

/// The provider: the pipeline in front of [`handlers`].
pub fn app(state: AppState) -> Router {
    pipeline::app(state, handlers())
}
