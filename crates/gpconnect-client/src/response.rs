//! Reading answers: the negotiated format from `Content-Type`, the resource decoded with
//! `gpconnect-fhir` in lenient mode (SPEC 2.6: consumers ignore unknown elements and
//! extensions), the version from `ETag` (or `meta.versionId`), and error answers turned into
//! [`ClientError`]s.

use bytes::Bytes;
use gpconnect_domain::Interaction;
use gpconnect_fhir::{Bundle, DecodeOptions, FhirResource, Format, Resource};
use reqwest::header::{HeaderMap, CONTENT_TYPE, ETAG, LOCATION};

use crate::error::{ClientError, ProviderError};

/// How much of a non-FHIR error body is kept in [`ClientError::Http`].
const BODY_SNIPPET_CHARS: usize = 500;

/// A resource with the version the provider gave it (SPEC 2.7): send it back in `If-Match` to
/// amend or cancel only the version you hold.
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned<T> {
    /// The resource.
    pub resource: T,
    /// The version id, from the `ETag` header when sent, else from `meta.versionId`.
    pub version_id: Option<String>,
    /// The `Location` header of a create (`[base]/Appointment/{id}/_history/{vid}`).
    pub location: Option<String>,
}

impl<T> Versioned<T> {
    /// The `If-Match` value for this version: `W/"<versionId>"`.
    pub fn if_match(&self) -> Option<String> {
        self.version_id.as_ref().map(|v| format!("W/\"{v}\""))
    }
}

/// `W/"3"` or `"3"` → `3`.
pub(crate) fn parse_etag(value: &str) -> Option<String> {
    let value = value.trim();
    let quoted = value.strip_prefix("W/").unwrap_or(value);
    let inner = quoted.strip_prefix('"')?.strip_suffix('"')?;
    (!inner.is_empty()).then(|| inner.to_owned())
}

/// The FHIR format named by a `Content-Type` (parameters ignored).
pub(crate) fn format_of(content_type: &str) -> Option<Format> {
    let essence = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    match essence.as_str() {
        "application/fhir+json" | "application/json+fhir" | "application/json" => {
            Some(Format::Json)
        }
        "application/fhir+xml" | "application/xml+fhir" | "application/xml" | "text/xml" => {
            Some(Format::Xml)
        }
        _ => None,
    }
}

/// One answer, read to the end.
#[derive(Debug, Clone)]
pub(crate) struct Answer {
    pub(crate) interaction: Interaction,
    pub(crate) status: u16,
    content_type: Option<String>,
    etag: Option<String>,
    location: Option<String>,
    body: Bytes,
}

impl Answer {
    pub(crate) fn new(
        interaction: Interaction,
        status: u16,
        headers: &HeaderMap,
        body: Bytes,
    ) -> Self {
        let header = |name| {
            headers
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        Self {
            interaction,
            status,
            content_type: header(CONTENT_TYPE),
            etag: header(ETAG),
            location: header(LOCATION),
            body,
        }
    }

    fn unexpected(&self, message: impl Into<String>) -> ClientError {
        ClientError::UnexpectedResponse {
            interaction: self.interaction,
            message: message.into(),
        }
    }

    /// The body decoded as any resource, in the format its `Content-Type` names. Elements the
    /// model does not know are skipped; malformed bodies and wrongly typed known elements are
    /// still decode errors.
    pub(crate) fn resource(&self) -> Result<Resource, ClientError> {
        if self.body.is_empty() {
            return Err(self.unexpected(format!("HTTP {} with an empty body", self.status)));
        }
        let content_type = self.content_type.as_deref().unwrap_or("");
        let format = format_of(content_type).ok_or_else(|| {
            self.unexpected(format!(
                "the Content-Type '{content_type}' is not FHIR JSON or XML"
            ))
        })?;
        // SPEC 2.6: consumers ignore unknown elements and extensions, so an answer from a
        // provider on a later FHIR or profile version is still read.
        gpconnect_fhir::decode_with(&self.body, format, DecodeOptions::LENIENT).map_err(|source| {
            ClientError::Decode {
                interaction: self.interaction,
                source,
            }
        })
    }

    /// The body as a `T`, with its version.
    pub(crate) fn versioned<T: FhirResource>(&self) -> Result<Versioned<T>, ClientError> {
        let resource = self.resource()?;
        let version_id = self
            .etag
            .as_deref()
            .and_then(parse_etag)
            .or_else(|| meta_version(&resource));
        let resource = typed::<T>(self.interaction, resource)?;
        Ok(Versioned {
            resource,
            version_id,
            location: self.location.clone(),
        })
    }

    /// The body as a `T`.
    pub(crate) fn typed<T: FhirResource>(&self) -> Result<T, ClientError> {
        typed(self.interaction, self.resource()?)
    }

    /// The body as a searchset Bundle.
    pub(crate) fn searchset(&self) -> Result<Bundle, ClientError> {
        let bundle: Bundle = self.typed()?;
        if bundle.r#type != "searchset" {
            return Err(self.unexpected(format!(
                "expected a searchset Bundle, got type '{}'",
                bundle.r#type
            )));
        }
        Ok(bundle)
    }

    /// The error this answer stands for: the OperationOutcome's Spine code and diagnostics when
    /// the body is one, else the status and the start of the body.
    pub(crate) fn into_error(self) -> ClientError {
        if let Ok(Resource::OperationOutcome(outcome)) = self.resource() {
            return ClientError::Provider(Box::new(ProviderError::from_outcome(
                self.interaction,
                self.status,
                *outcome,
            )));
        }
        let text = String::from_utf8_lossy(&self.body);
        ClientError::Http {
            interaction: self.interaction,
            status: self.status,
            body: text.chars().take(BODY_SNIPPET_CHARS).collect(),
        }
    }
}

fn meta_version(resource: &Resource) -> Option<String> {
    resource.meta().and_then(|m| m.version_id.clone())
}

fn typed<T: FhirResource>(interaction: Interaction, resource: Resource) -> Result<T, ClientError> {
    T::from_resource(resource).map_err(|other| ClientError::UnexpectedResponse {
        interaction,
        message: format!(
            "expected a {}, got a {}",
            T::RESOURCE_TYPE,
            other.resource_type()
        ),
    })
}

/// Every entry resource of type `T`, with its `meta.versionId`; other types are skipped.
pub(crate) fn entries<T: FhirResource>(bundle: &Bundle) -> Vec<Versioned<T>> {
    bundle
        .entry
        .iter()
        .filter_map(|e| e.resource.clone())
        .filter_map(|r| {
            let version_id = meta_version(&r);
            T::from_resource(r).ok().map(|resource| Versioned {
                resource,
                version_id,
                location: None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn etags_give_the_version_id() {
        assert_eq!(parse_etag("W/\"3\"").as_deref(), Some("3"));
        assert_eq!(parse_etag("\"abc-1\"").as_deref(), Some("abc-1"));
        assert_eq!(parse_etag("W/\"\""), None);
        assert_eq!(parse_etag("3"), None);
    }

    #[test]
    fn content_types_name_the_format() {
        assert_eq!(
            format_of("application/fhir+json;charset=utf-8"),
            Some(Format::Json)
        );
        assert_eq!(format_of("application/fhir+xml"), Some(Format::Xml));
        assert_eq!(format_of("text/html"), None);
    }

    fn answer(status: u16, content_type: &str, body: &str) -> Answer {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, content_type.parse().unwrap());
        headers.insert(ETAG, "W/\"7\"".parse().unwrap());
        Answer::new(
            Interaction::ReadPatient,
            status,
            &headers,
            Bytes::from(body.to_owned()),
        )
    }

    #[test]
    fn an_error_answer_with_an_operation_outcome_maps_to_its_spine_code() {
        let body = serde_json::json!({
            "resourceType": "OperationOutcome",
            "meta": { "profile": ["https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1"] },
            "issue": [{
                "severity": "error",
                "code": "not-found",
                "details": { "coding": [{
                    "system": "https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1",
                    "code": "PATIENT_NOT_FOUND",
                    "display": "Patient not found"
                }]},
                "diagnostics": "No patient with logical id 99"
            }]
        });
        let err = answer(
            404,
            "application/fhir+json;charset=utf-8",
            &body.to_string(),
        )
        .into_error();
        let provider = err.provider().unwrap();
        assert_eq!(
            provider.spine_code,
            Some(gpconnect_domain::SpineCode::PatientNotFound)
        );
        assert_eq!(provider.status, 404);
        assert_eq!(provider.issue_type, "not-found");
        assert_eq!(
            provider.diagnostics.as_deref(),
            Some("No patient with logical id 99")
        );
    }

    #[test]
    fn an_error_answer_without_fhir_keeps_the_status_and_body() {
        let err = answer(502, "text/html", "<h1>Bad gateway</h1>").into_error();
        match err {
            ClientError::Http { status, body, .. } => {
                assert_eq!(status, 502);
                assert_eq!(body, "<h1>Bad gateway</h1>");
            }
            other => panic!("{other}"),
        }
    }

    #[test]
    fn a_resource_of_the_wrong_type_is_an_unexpected_answer() {
        let body = r#"{"resourceType":"Location","id":"1"}"#;
        let err = answer(200, "application/fhir+json", body)
            .versioned::<gpconnect_fhir::Patient>()
            .unwrap_err();
        assert!(
            err.to_string()
                .contains("expected a Patient, got a Location"),
            "{err}"
        );
        let ok = answer(200, "application/fhir+json", body)
            .versioned::<gpconnect_fhir::Location>()
            .unwrap();
        assert_eq!(ok.version_id.as_deref(), Some("7"));
        assert_eq!(ok.if_match().as_deref(), Some("W/\"7\""));
    }

    #[test]
    fn invalid_fhir_is_a_decode_error_with_the_path() {
        let err = answer(
            200,
            "application/fhir+json",
            r#"{"resourceType":"Patient","bogus":1,"active":"yes"}"#,
        )
        .typed::<gpconnect_fhir::Patient>()
        .unwrap_err();
        match err {
            ClientError::Decode { source, .. } => assert_eq!(source.path(), "Patient.active"),
            other => panic!("{other}"),
        }
    }

    #[test]
    fn unknown_elements_in_an_answer_are_ignored() {
        let patient = answer(
            200,
            "application/fhir+json",
            r#"{"resourceType":"Patient","id":"1","bogus":1,"gender":"female"}"#,
        )
        .typed::<gpconnect_fhir::Patient>()
        .unwrap();
        assert_eq!(patient.gender.as_deref(), Some("female"));
    }
}
