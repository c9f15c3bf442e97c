//! Answers with a resource (SPEC 2.7): the status, `ETag: W/"<versionId>"` taken from the
//! resource's own `meta.versionId` (so the two always agree), `Location` and `Last-Modified` on
//! create, and `Prefer: return=minimal` honoured on create and update.

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use gpconnect_domain::Interaction;
use gpconnect_fhir::Resource;
use http::header::{CONTENT_TYPE, ETAG, LAST_MODIFIED, LOCATION};
use http::{HeaderValue, StatusCode};

use crate::context::{Prefer, RequestContext};
use crate::error::ApiError;
use crate::{negotiate, Format};

/// A resource answer, written in the negotiated format by [`FhirResponse::respond`].
#[derive(Debug, Clone)]
pub struct FhirResponse {
    status: StatusCode,
    resource: Resource,
}

impl FhirResponse {
    /// 200 OK with `resource`.
    pub fn ok(resource: impl Into<Resource>) -> Self {
        Self {
            status: StatusCode::OK,
            resource: resource.into(),
        }
    }

    /// 201 Created with `resource`; `Location` is `[base]/[type]/[id]/_history/[versionId]`.
    pub fn created(resource: impl Into<Resource>) -> Self {
        Self {
            status: StatusCode::CREATED,
            resource: resource.into(),
        }
    }

    /// The resource answered.
    pub fn resource(&self) -> &Resource {
        &self.resource
    }

    /// Encodes the answer for the request in `ctx`.
    pub fn respond(self, ctx: &RequestContext) -> Result<Response, ApiError> {
        let version = self.resource.meta().and_then(|m| m.version_id.clone());
        let mut headers = http::HeaderMap::new();
        if let Some(version) = &version {
            headers.insert(ETAG, header(&format!("W/\"{version}\""))?);
        }
        if self.status == StatusCode::CREATED {
            if let (Some(id), Some(version)) = (self.resource.id(), &version) {
                let location = format!(
                    "{}/{}/{id}/_history/{version}",
                    ctx.base_url(),
                    self.resource.resource_type()
                );
                headers.insert(LOCATION, header(&location)?);
            }
            headers.insert(LAST_MODIFIED, header(&http_date(ctx))?);
        }
        let minimal = ctx.prefer() == Prefer::Minimal
            && matches!(
                ctx.interaction(),
                Interaction::BookAppointment
                    | Interaction::AmendAppointment
                    | Interaction::CancelAppointment
            );
        let body = if minimal {
            // SPEC 2.7 / ATS 1.6: an empty body, which then carries no FHIR Content-Type.
            Body::empty()
        } else {
            headers.insert(
                CONTENT_TYPE,
                HeaderValue::from_static(negotiate::content_type(ctx.format())),
            );
            Body::from(encode(&self.resource, ctx.format())?)
        };
        Ok((self.status, headers, body).into_response())
    }
}

/// 200 OK with a resource already encoded in `format`.
pub fn encoded_ok(body: bytes::Bytes, format: Format) -> Response {
    (
        StatusCode::OK,
        [(
            CONTENT_TYPE,
            HeaderValue::from_static(negotiate::content_type(format)),
        )],
        Body::from(body),
    )
        .into_response()
}

/// Encodes a resource in `format`; a failure is an internal error (the resource was built by
/// the provider).
pub fn encode(resource: &Resource, format: Format) -> Result<Vec<u8>, ApiError> {
    gpconnect_fhir::encode(resource, format).map_err(ApiError::internal)
}

fn header(value: &str) -> Result<HeaderValue, ApiError> {
    HeaderValue::from_str(value).map_err(ApiError::internal)
}

/// The request time as an HTTP-date (RFC 9110), e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
fn http_date(ctx: &RequestContext) -> String {
    ctx.received()
        .timestamp()
        .to_zoned(jiff::tz::TimeZone::UTC)
        .strftime("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}
