//! Request bodies: read in the format their `Content-Type` named (checked by the pipeline, SPEC
//! 2.6) and decoded strictly into a typed resource.
//!
//! SPEC 2.8: bytes that are not well-formed JSON or XML are a malformed request (400
//! `BAD_REQUEST`); well-formed content that is not a valid FHIR resource of the expected type
//! (wrong `resourceType`, unknown element, invalid value, ATS "extra fields") is 422
//! `INVALID_RESOURCE`, with the decoder's message (which names the element path) as the
//! diagnostics.

use axum::extract::{FromRequest, Request};
use gpconnect_fhir::{DecodeError, FhirResource};
use http_body_util::LengthLimitError;

use crate::context::RequestContext;
use crate::error::ApiError;
use crate::Format;

/// A request body decoded into a `T` (an `Appointment`, `Parameters` ...).
///
/// Use it as the last argument of a handler mounted behind the pipeline:
/// `async fn book(ctx: RequestContext, FhirBody(appointment): FhirBody<Appointment>)`.
#[derive(Debug, Clone, PartialEq)]
pub struct FhirBody<T>(pub T);

impl<S: Send + Sync, T: FhirResource> FromRequest<S> for FhirBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let format = request
            .extensions()
            .get::<RequestContext>()
            .and_then(RequestContext::body_format)
            .ok_or_else(|| ApiError::internal(NoBodyFormat))?;
        let bytes = axum::body::to_bytes(request.into_body(), usize::MAX)
            .await
            .map_err(|e| {
                if is_over_limit(&e) {
                    ApiError::payload_too_large(
                        "The request body is larger than this provider accepts",
                    )
                } else {
                    ApiError::bad_request(format!("The request body could not be read: {e}"))
                }
            })?;
        decode(&bytes, format).map(FhirBody)
    }
}

/// Decodes `bytes` in `format` as a `T`, with the error mapping of SPEC 2.8.
pub fn decode<T: FhirResource>(bytes: &[u8], format: Format) -> Result<T, ApiError> {
    gpconnect_fhir::decode_as::<T>(bytes, format)
        .map_err(|e| rejection(&e, format, T::RESOURCE_TYPE))
}

/// The answer to a body the decoder refused.
fn rejection(error: &DecodeError, format: Format, expected: &str) -> ApiError {
    if error.is_syntax() {
        let name = match format {
            Format::Json => "JSON",
            Format::Xml => "XML",
        };
        ApiError::bad_request(format!(
            "The request body is not well-formed {name} (a FHIR {expected} was expected): {error}"
        ))
    } else {
        ApiError::invalid_resource(error.to_string())
    }
}

/// Whether reading failed because the body limit layer cut the body off (a chunked body with
/// no `Content-Length` is only found to be too large while it is read).
fn is_over_limit(error: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = source {
        if e.is::<LengthLimitError>() {
            return true;
        }
        source = e.source();
    }
    false
}

/// A handler decoding a body was mounted on a route without one (a wiring mistake).
#[derive(Debug, thiserror::Error)]
#[error("a request body was decoded on a request without a checked body format (not a POST or PUT behind the pipeline)")]
struct NoBodyFormat;

#[cfg(test)]
mod tests {
    use super::*;
    use gpconnect_domain::SpineCode;
    use gpconnect_fhir::{Parameters, Patient};

    fn refuse<T: FhirResource + std::fmt::Debug>(
        bytes: &str,
        format: Format,
    ) -> (SpineCode, u16, String) {
        let e = decode::<T>(bytes.as_bytes(), format).unwrap_err();
        (e.code(), e.status().as_u16(), e.diagnostics().to_owned())
    }

    #[test]
    fn a_valid_body_decodes_in_either_format() {
        let p: Patient = decode(
            br#"{"resourceType":"Patient","birthDate":"1970-01-02"}"#,
            Format::Json,
        )
        .unwrap();
        assert_eq!(p.birth_date.as_deref(), Some("1970-01-02"));
        let p: Patient = decode(
            br#"<Patient xmlns="http://hl7.org/fhir"><birthDate value="1970-01-02"/></Patient>"#,
            Format::Xml,
        )
        .unwrap();
        assert_eq!(p.birth_date.as_deref(), Some("1970-01-02"));
    }

    #[test]
    fn broken_syntax_is_bad_request() {
        for (body, format) in [
            (r#"{"resourceType":"Parameters","#, Format::Json),
            ("", Format::Json),
            (r#"<Parameters xmlns="http://hl7.org/fhir">"#, Format::Xml),
            (
                r#"<Parameters xmlns="http://hl7.org/fhir"></Paramters>"#,
                Format::Xml,
            ),
        ] {
            let (code, status, diagnostics) = refuse::<Parameters>(body, format);
            assert_eq!((code, status), (SpineCode::BadRequest, 400), "{body}");
            assert!(diagnostics.contains("not well-formed"), "{diagnostics}");
        }
    }

    #[test]
    fn invalid_fhir_is_invalid_resource_with_the_element_path() {
        let (code, status, diagnostics) = refuse::<Patient>(
            r#"{"resourceType":"Patient","invalidField":"x"}"#,
            Format::Json,
        );
        assert_eq!((code, status), (SpineCode::InvalidResource, 422));
        assert!(diagnostics.contains("invalidField"), "{diagnostics}");

        let (code, _, diagnostics) =
            refuse::<Parameters>(r#"{"resourceType":"InvalidResourceType"}"#, Format::Json);
        assert_eq!(code, SpineCode::InvalidResource);
        assert!(diagnostics.contains("InvalidResourceType"), "{diagnostics}");

        let (code, _, diagnostics) = refuse::<Parameters>(
            r#"<Patient xmlns="http://hl7.org/fhir"><birthDate value="1970-01-02"/></Patient>"#,
            Format::Xml,
        );
        assert_eq!(code, SpineCode::InvalidResource);
        assert!(diagnostics.contains("Parameters"), "{diagnostics}");

        let (code, _, _) =
            refuse::<Patient>(r#"{"resourceType":"Patient","active":"yes"}"#, Format::Json);
        assert_eq!(code, SpineCode::InvalidResource);
    }
}
