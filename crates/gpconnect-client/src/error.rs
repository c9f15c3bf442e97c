//! The client's error type (STYLE: one error type per boundary).
//!
//! The variants keep apart what a consumer must handle differently:
//! - [`ClientError::Provider`]: the provider (or the SSP) answered with an OperationOutcome; it
//!   carries the HTTP status, the Spine code and the diagnostics (SPEC 2.8);
//! - [`ClientError::Connect`]: no connection could be made, so nothing was sent;
//! - [`ClientError::Timeout`] and [`ClientError::Transport`]: the request may have reached the
//!   provider and been applied; for writes the outcome is unknown
//!   ([`ClientError::outcome_unknown`]);
//! - [`ClientError::Decode`] and [`ClientError::UnexpectedResponse`]: an answer arrived but is
//!   not what the interaction promises;
//! - [`ClientError::InvalidInput`]: the request was refused before anything was sent.

use std::fmt;
use std::time::Duration;

use gpconnect_domain::{Interaction, SpineCode};
use gpconnect_fhir::{DecodeError, OperationOutcome};

use crate::config::ConfigError;

/// Why an interaction failed.
#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    /// The request was refused by the client before anything was sent (e.g. a slot search
    /// longer than two weeks, a description over 100 characters).
    #[error("invalid request: {0}")]
    InvalidInput(String),
    /// The configuration is incomplete or invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// The HTTP client could not be built (e.g. an unreadable client certificate).
    #[error("the HTTP client could not be set up: {0}")]
    Setup(#[source] reqwest::Error),
    /// No connection could be made: the request was not sent.
    #[error("{}: could not connect to {url}: {source}", interaction.name())]
    Connect {
        /// The interaction attempted.
        interaction: Interaction,
        /// The URL requested.
        url: String,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// No complete answer arrived in time. The request may have been processed.
    #[error("{}: no answer from {url} within {timeout:?}", interaction.name())]
    Timeout {
        /// The interaction attempted.
        interaction: Interaction,
        /// The URL requested.
        url: String,
        /// The configured timeout.
        timeout: Duration,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The connection failed after the request was sent. The request may have been processed.
    #[error("{}: the exchange with {url} failed: {source}", interaction.name())]
    Transport {
        /// The interaction attempted.
        interaction: Interaction,
        /// The URL requested.
        url: String,
        /// The underlying error.
        #[source]
        source: reqwest::Error,
    },
    /// The provider or the SSP refused the request with an OperationOutcome.
    #[error(transparent)]
    Provider(Box<ProviderError>),
    /// An error status came back without a readable OperationOutcome.
    #[error("{}: HTTP {status} without an OperationOutcome: {body}", interaction.name())]
    Http {
        /// The interaction attempted.
        interaction: Interaction,
        /// The HTTP status.
        status: u16,
        /// The start of the body, for diagnosis.
        body: String,
    },
    /// The answer is not valid FHIR of the expected type.
    #[error("{}: the answer could not be decoded: {source}", interaction.name())]
    Decode {
        /// The interaction attempted.
        interaction: Interaction,
        /// What the codec reported (with the element path).
        #[source]
        source: DecodeError,
    },
    /// The exchange was abandoned before it finished (its task was stopped).
    #[error("aborted: {0}")]
    Aborted(String),
    /// The answer decoded but does not hold what the interaction promises.
    #[error("{}: unexpected answer: {message}", interaction.name())]
    UnexpectedResponse {
        /// The interaction attempted.
        interaction: Interaction,
        /// What is wrong.
        message: String,
    },
}

impl ClientError {
    /// The Spine code of an OperationOutcome answer.
    pub fn spine_code(&self) -> Option<SpineCode> {
        match self {
            Self::Provider(p) => p.spine_code,
            _ => None,
        }
    }

    /// The HTTP status of an error answer.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Provider(p) => Some(p.status),
            Self::Http { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The OperationOutcome details of a provider refusal.
    pub fn provider(&self) -> Option<&ProviderError> {
        match self {
            Self::Provider(p) => Some(p),
            _ => None,
        }
    }

    /// Whether sending the same read or search again could succeed: no connection, no answer
    /// in time, a broken exchange, or a gateway answer (502, 503, 504) from the SSP or a proxy.
    /// Reads and searches change nothing at the provider, so repeating them is always safe.
    pub fn is_retryable_read(&self) -> bool {
        match self {
            Self::Connect { .. } | Self::Timeout { .. } | Self::Transport { .. } => true,
            _ => matches!(self.status(), Some(502..=504)),
        }
    }

    /// Whether a write (book, amend, cancel, register) that failed this way may nevertheless
    /// have been applied: the request was sent but no trustworthy answer came back (timeout,
    /// broken connection, or a 5xx other than 501, which may come from a gateway that lost the
    /// provider's answer). A write that failed this way must not be blindly sent again; look
    /// at the provider's state first (see [`crate::workflow`]).
    pub fn outcome_unknown(&self) -> bool {
        match self {
            Self::Timeout { .. } | Self::Transport { .. } => true,
            _ => matches!(self.status(), Some(s) if s >= 500 && s != 501),
        }
    }
}

/// An OperationOutcome answer (SPEC 2.8): the first issue's Spine code, issue type and
/// diagnostics, with the whole resource kept for display.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderError {
    /// The interaction that was refused.
    pub interaction: Interaction,
    /// The HTTP status.
    pub status: u16,
    /// The Spine code, when the coding is one of the catalogue's (SSP errors carry the HTTP
    /// status as their code instead, SPEC 2.8).
    pub spine_code: Option<SpineCode>,
    /// The code exactly as sent (`details.coding[0].code`), empty if none was sent.
    pub code: String,
    /// The coding's display, as sent.
    pub display: Option<String>,
    /// The FHIR `issue.code` (issue type).
    pub issue_type: String,
    /// What the provider says is wrong (`issue.diagnostics`).
    pub diagnostics: Option<String>,
    /// The OperationOutcome as received.
    pub outcome: OperationOutcome,
}

impl ProviderError {
    /// Reads the first error issue of `outcome`.
    pub fn from_outcome(interaction: Interaction, status: u16, outcome: OperationOutcome) -> Self {
        let issue = outcome
            .issue
            .iter()
            .find(|i| i.severity == "error" || i.severity == "fatal")
            .or_else(|| outcome.issue.first());
        let coding = issue
            .and_then(|i| i.details.as_ref())
            .and_then(|d| d.coding.first());
        let code = coding.and_then(|c| c.code.clone()).unwrap_or_default();
        Self {
            interaction,
            status,
            spine_code: SpineCode::from_code(&code),
            display: coding.and_then(|c| c.display.clone()),
            issue_type: issue.map(|i| i.code.clone()).unwrap_or_default(),
            diagnostics: issue.and_then(|i| i.diagnostics.clone()),
            code,
            outcome,
        }
    }
}

impl fmt::Display for ProviderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: HTTP {}", self.interaction.name(), self.status)?;
        if !self.code.is_empty() {
            write!(f, " {}", self.code)?;
        }
        match (&self.diagnostics, &self.display) {
            (Some(d), _) => write!(f, ": {d}"),
            (None, Some(d)) => write!(f, ": {d}"),
            (None, None) => Ok(()),
        }
    }
}

impl std::error::Error for ProviderError {}

#[cfg(test)]
mod tests {
    use super::*;
    use gpconnect_fhir::{CodeableConcept, Coding, OperationOutcomeIssue};

    fn outcome(system: &str, code: &str, diagnostics: Option<&str>) -> OperationOutcome {
        OperationOutcome {
            issue: vec![OperationOutcomeIssue {
                severity: "error".into(),
                code: "duplicate".into(),
                details: Some(CodeableConcept {
                    coding: vec![Coding {
                        system: Some(system.into()),
                        code: Some(code.into()),
                        display: Some(
                            "Create would lead to creation of a duplicate resource".into(),
                        ),
                        ..Coding::default()
                    }],
                    ..CodeableConcept::default()
                }),
                diagnostics: diagnostics.map(Into::into),
                ..OperationOutcomeIssue::default()
            }],
            ..OperationOutcome::default()
        }
    }

    #[test]
    fn an_operation_outcome_becomes_a_typed_provider_error() {
        let e = ProviderError::from_outcome(
            Interaction::BookAppointment,
            409,
            outcome(
                gpconnect_domain::spine::SPINE_ERROR_SYSTEM,
                "DUPLICATE_REJECTED",
                Some("Slot 12 is already booked"),
            ),
        );
        assert_eq!(e.spine_code, Some(SpineCode::DuplicateRejected));
        assert_eq!(e.status, 409);
        assert_eq!(e.issue_type, "duplicate");
        assert_eq!(e.diagnostics.as_deref(), Some("Slot 12 is already booked"));
        assert_eq!(
            e.to_string(),
            "book an appointment: HTTP 409 DUPLICATE_REJECTED: Slot 12 is already booked"
        );
        let err = ClientError::Provider(Box::new(e));
        assert_eq!(err.spine_code(), Some(SpineCode::DuplicateRejected));
        assert_eq!(err.status(), Some(409));
        assert!(!err.is_retryable_read());
        assert!(!err.outcome_unknown());
    }

    #[test]
    fn the_valueset_url_of_the_spec_examples_is_understood_too() {
        let e = ProviderError::from_outcome(
            Interaction::ReadPatient,
            404,
            outcome(
                "https://fhir.nhs.uk/STU3/ValueSet/Spine-ErrorOrWarningCode-1",
                "PATIENT_NOT_FOUND",
                None,
            ),
        );
        assert_eq!(e.spine_code, Some(SpineCode::PatientNotFound));
    }

    #[test]
    fn ssp_errors_keep_their_raw_code_without_a_spine_code() {
        let e = ProviderError::from_outcome(
            Interaction::ReadMetadata,
            502,
            outcome(
                "http://fhir.nhs.net/ValueSet/gpconnect-schedule-response-code-1-0",
                "502",
                None,
            ),
        );
        assert_eq!(e.spine_code, None);
        assert_eq!(e.code, "502");
        let err = ClientError::Provider(Box::new(e));
        assert!(err.is_retryable_read());
        assert!(err.outcome_unknown());
    }

    #[test]
    fn an_outcome_without_details_still_maps() {
        let e = ProviderError::from_outcome(
            Interaction::ReadMetadata,
            400,
            OperationOutcome {
                issue: vec![OperationOutcomeIssue {
                    severity: "error".into(),
                    code: "invalid".into(),
                    ..OperationOutcomeIssue::default()
                }],
                ..OperationOutcome::default()
            },
        );
        assert_eq!(e.spine_code, None);
        assert_eq!(e.code, "");
        assert_eq!(e.to_string(), "read metadata: HTTP 400");
    }

    #[test]
    fn status_only_errors_follow_the_retry_and_ambiguity_rules() {
        let http = |status| ClientError::Http {
            interaction: Interaction::SearchSlots,
            status,
            body: String::new(),
        };
        assert!(http(503).is_retryable_read());
        assert!(!http(500).is_retryable_read());
        assert!(http(500).outcome_unknown());
        assert!(!http(501).outcome_unknown());
        assert!(!http(404).outcome_unknown());
        assert!(!ClientError::InvalidInput("x".into()).outcome_unknown());
    }
}
