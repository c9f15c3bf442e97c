//! The one error type at the HTTP edge (STYLE: one error type per boundary).
//!
//! A handler or a pipeline step returns `ApiError`; it becomes a `GPConnect-OperationOutcome-1`
//! with the Spine code's HTTP status (SPEC 2.8). The OperationOutcome body is written by the edge
//! layer (`pipeline`), which knows the negotiated format and the trace id: `IntoResponse` only
//! puts the error into the response's extensions. 5xx causes are logged there with the trace id
//! and never shown to the caller.

use std::error::Error as StdError;
use std::fmt;
use std::sync::Arc;

use axum::response::{IntoResponse, Response};
use gpconnect_domain::SpineCode;
use http::StatusCode;

/// An error answered with an OperationOutcome.
#[derive(Debug, Clone)]
pub struct ApiError {
    code: SpineCode,
    status: StatusCode,
    diagnostics: String,
    cause: Option<Arc<dyn StdError + Send + Sync>>,
}

impl ApiError {
    /// A rejection with its Spine code, answered with that code's HTTP status.
    pub fn new(code: SpineCode, diagnostics: impl Into<String>) -> Self {
        Self {
            code,
            status: StatusCode::from_u16(code.http_status())
                .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            diagnostics: diagnostics.into(),
            cause: None,
        }
    }

    /// 400 BAD_REQUEST: a malformed request (header, JWT, body syntax, verb, missing parameter).
    pub fn bad_request(diagnostics: impl Into<String>) -> Self {
        Self::new(SpineCode::BadRequest, diagnostics)
    }

    /// 422 INVALID_RESOURCE: a resource (body or JWT claim) that fails validation.
    pub fn invalid_resource(diagnostics: impl Into<String>) -> Self {
        Self::new(SpineCode::InvalidResource, diagnostics)
    }

    /// 422 INVALID_PARAMETER: a parameter with an invalid value.
    pub fn invalid_parameter(diagnostics: impl Into<String>) -> Self {
        Self::new(SpineCode::InvalidParameter, diagnostics)
    }

    /// 404 NO_RECORD_FOUND: the catch-all not-found.
    pub fn no_record_found(diagnostics: impl Into<String>) -> Self {
        Self::new(SpineCode::NoRecordFound, diagnostics)
    }

    /// 403 ACCESS_DENIED: e.g. a capability the practice has switched off (SPEC 2.13, 9.9).
    pub fn access_denied(diagnostics: impl Into<String>) -> Self {
        Self::new(SpineCode::AccessDenied, diagnostics)
    }

    /// 415: the format asked for, or the body's Content-Type, is not FHIR JSON or XML (SPEC 2.6).
    pub fn unsupported_media_type(diagnostics: impl Into<String>) -> Self {
        Self::new(SpineCode::BadRequest, diagnostics)
            .with_status(StatusCode::UNSUPPORTED_MEDIA_TYPE)
    }

    /// 413: the request body is over the size limit.
    pub fn payload_too_large(diagnostics: impl Into<String>) -> Self {
        Self::new(SpineCode::BadRequest, diagnostics).with_status(StatusCode::PAYLOAD_TOO_LARGE)
    }

    /// 500 INTERNAL_SERVER_ERROR. The cause is logged with the trace id, never shown.
    pub fn internal(cause: impl StdError + Send + Sync + 'static) -> Self {
        let mut e = Self::new(
            SpineCode::InternalServerError,
            "An unexpected error occurred at the provider; it has been logged with the Ssp-TraceID of this request",
        );
        e.cause = Some(Arc::new(cause));
        e
    }

    /// The same error answered with another HTTP status (for the few statuses the Spine catalogue
    /// has no code of its own for: 405, 413, 415).
    pub fn with_status(mut self, status: StatusCode) -> Self {
        self.status = status;
        self
    }

    /// The Spine code written into `details.coding`.
    pub fn code(&self) -> SpineCode {
        self.code
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// What the consumer is told (`issue.diagnostics`).
    pub fn diagnostics(&self) -> &str {
        &self.diagnostics
    }

    /// The logged cause of a 5xx, if any.
    pub fn cause(&self) -> Option<&(dyn StdError + Send + Sync)> {
        self.cause.as_deref()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} ({}): {}",
            self.code.code(),
            self.status.as_u16(),
            self.diagnostics
        )?;
        if let Some(cause) = &self.cause {
            write!(f, ": {cause}")?;
        }
        Ok(())
    }
}

impl StdError for ApiError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.cause
            .as_deref()
            .map(|c| c as &(dyn StdError + 'static))
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        // The edge layer renders the OperationOutcome in the negotiated format; without it (a
        // router used bare) a JSON OperationOutcome is still a valid answer.
        let body = crate::outcome::render(self.code, &self.diagnostics, crate::Format::Json);
        let mut response = (
            self.status,
            [(
                http::header::CONTENT_TYPE,
                crate::negotiate::content_type(crate::Format::Json),
            )],
            body,
        )
            .into_response();
        response.extensions_mut().insert(self);
        response
    }
}
