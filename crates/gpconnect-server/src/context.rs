//! The request context the pipeline hands to handlers: the practice addressed, the interaction,
//! the SSP headers, the JWT user and organisation, the negotiated formats and the decoded query.
//! Every check behind it has already passed, so handlers repeat none of them.

use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::FromRequestParts;
use gpconnect_domain::records::{Practice, Provenance};
use gpconnect_domain::{Asid, Interaction, UkDateTime};
use http::request::Parts;

use crate::error::ApiError;
use crate::jwt::{Jwt, RequestingOrganisation, RequestingUser};
use crate::query::QueryParams;
use crate::ssp::SspHeaders;
use crate::Format;

/// `Prefer: return=minimal | return=representation` (SPEC 2.7; representation by default).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Prefer {
    /// Answer create/update with the resource.
    #[default]
    Representation,
    /// Answer create/update with an empty body.
    Minimal,
}

impl Prefer {
    /// Reads the `Prefer` header; anything but `return=minimal` means representation.
    pub fn from_headers(headers: &http::HeaderMap) -> Self {
        let minimal = headers
            .get_all("prefer")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split([',', ';']))
            .any(|p| p.trim().eq_ignore_ascii_case("return=minimal"));
        if minimal {
            Self::Minimal
        } else {
            Self::Representation
        }
    }
}

/// What the audit trail learns about one request as it goes through the pipeline.
#[derive(Debug, Clone, Default)]
pub(crate) struct ExchangeInfo {
    pub(crate) practice: Option<gpconnect_domain::OdsCode>,
    pub(crate) trace_id: Option<String>,
    pub(crate) interaction: Option<String>,
    pub(crate) from_asid: Option<String>,
    pub(crate) to_asid: Option<String>,
    pub(crate) jwt_user: Option<String>,
    pub(crate) jwt_sds_user_id: Option<String>,
    pub(crate) jwt_organization_ods: Option<String>,
    pub(crate) patient: Option<String>,
    pub(crate) detail: Option<String>,
    pub(crate) format: Option<Format>,
}

/// Shared between the edge layer, the pipeline and the handler of one request.
#[derive(Debug, Clone, Default)]
pub(crate) struct Exchange(Arc<Mutex<ExchangeInfo>>);

impl Exchange {
    pub(crate) fn info(&self) -> MutexGuard<'_, ExchangeInfo> {
        // A poisoned lock only means a panic elsewhere mid-update; the data is still usable.
        self.0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Everything a handler needs to know about the request, all of it already checked.
///
/// Extract it in a handler (`ctx: RequestContext`); it exists only for requests that passed the
/// SSP, JWT, enablement and content-negotiation checks.
#[derive(Debug, Clone)]
pub struct RequestContext {
    pub(crate) practice: Practice,
    pub(crate) ssp: SspHeaders,
    pub(crate) jwt: Jwt,
    pub(crate) format: Format,
    pub(crate) body_format: Option<Format>,
    pub(crate) query: QueryParams,
    pub(crate) base_url: String,
    pub(crate) prefer: Prefer,
    pub(crate) received: UkDateTime,
    pub(crate) arrived: std::time::Instant,
    pub(crate) exchange: Exchange,
}

impl RequestContext {
    /// The practice the URL addresses.
    pub fn practice(&self) -> &Practice {
        &self.practice
    }

    /// The interaction (`Ssp-InteractionID`, consistent with the verb and path).
    pub fn interaction(&self) -> Interaction {
        self.ssp.interaction
    }

    /// `Ssp-TraceID`.
    pub fn trace_id(&self) -> &str {
        &self.ssp.trace_id
    }

    /// The consumer ASID (`Ssp-From`).
    pub fn from_asid(&self) -> &Asid {
        &self.ssp.from
    }

    /// The provider ASID (`Ssp-To`, equal to the practice's).
    pub fn to_asid(&self) -> &Asid {
        &self.ssp.to
    }

    /// The checked JWT.
    pub fn jwt(&self) -> &Jwt {
        &self.jwt
    }

    /// The requesting user from the JWT.
    pub fn user(&self) -> &RequestingUser {
        &self.jwt.user
    }

    /// The requesting organisation from the JWT.
    pub fn organisation(&self) -> &RequestingOrganisation {
        &self.jwt.organisation
    }

    /// The format the answer is written in (SPEC 2.6).
    pub fn format(&self) -> Format {
        self.format
    }

    /// The format of the request body, for POST and PUT (its Content-Type was checked).
    pub fn body_format(&self) -> Option<Format> {
        self.body_format
    }

    /// The decoded query parameters (`_format` included), in request order.
    pub fn query(&self) -> &QueryParams {
        &self.query
    }

    /// The practice's service root URL as the consumer addressed it, e.g.
    /// `https://provider.example/A20047/STU3/1/gpconnect` (for `Location` headers).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The `Prefer` header.
    pub fn prefer(&self) -> Prefer {
        self.prefer
    }

    /// When the request arrived.
    pub fn received(&self) -> UkDateTime {
        self.received
    }

    /// When the request arrived, on this process's monotonic clock (before anything was read
    /// for it).
    pub fn arrived(&self) -> std::time::Instant {
        self.arrived
    }

    /// Who is writing, for data written through the API (SPEC 2.13 provenance).
    pub fn provenance(&self) -> Provenance {
        let user = self.user();
        let organisation = self.organisation();
        Provenance {
            user_id: user.id.clone(),
            user_name: user.name.clone(),
            sds_user_id: user.sds_user_id.clone(),
            role_profile_id: user.role_profile_id.clone(),
            organization_ods: organisation.ods_code.clone().unwrap_or_default(),
            organization_name: organisation.name.clone(),
            trace_id: self.ssp.trace_id.clone(),
            interaction: self.ssp.interaction.id().to_owned(),
            at: UkDateTime::now(),
        }
    }

    /// Names the patient the request concerns (logical id or NHS number) in its audit event.
    pub fn audit_patient(&self, patient: impl Into<String>) {
        self.exchange.info().patient = Some(patient.into());
    }

    /// Adds a short description of what was done to the request's audit event.
    pub fn audit_detail(&self, detail: impl Into<String>) {
        self.exchange.info().detail = Some(detail.into());
    }
}

impl<S: Send + Sync> FromRequestParts<S> for RequestContext {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<RequestContext>()
            .cloned()
            .ok_or_else(|| ApiError::internal(MissingContext))
    }
}

/// A handler ran outside the pipeline (a wiring mistake, not a consumer error).
#[derive(Debug, thiserror::Error)]
#[error("handler called without a request context: it is not mounted behind the pipeline")]
struct MissingContext;
