//! The Spine Secure Proxy headers (SPEC 2.3): `Ssp-TraceID`, `Ssp-From`, `Ssp-To` and
//! `Ssp-InteractionID`. Every problem is a 400 BAD_REQUEST that names the header.

use gpconnect_domain::{Asid, Interaction};
use http::HeaderMap;
use uuid::Uuid;

use crate::error::ApiError;

/// `Ssp-TraceID`: the consumer's per-request GUID.
pub const TRACE_ID: &str = "Ssp-TraceID";
/// `Ssp-From`: the consumer's ASID.
pub const FROM: &str = "Ssp-From";
/// `Ssp-To`: the provider ASID of the practice addressed.
pub const TO: &str = "Ssp-To";
/// `Ssp-InteractionID`: the interaction URN (SPEC 2.4).
pub const INTERACTION_ID: &str = "Ssp-InteractionID";

/// The SSP headers of a request, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SspHeaders {
    /// `Ssp-TraceID` as sent (a GUID).
    pub trace_id: String,
    /// The consumer ASID (`Ssp-From`), kept for audit only (SPEC 2.2: never used for routing).
    pub from: Asid,
    /// The provider ASID (`Ssp-To`); equal to the practice's.
    pub to: Asid,
    /// The interaction named by `Ssp-InteractionID`.
    pub interaction: Interaction,
}

/// The raw value of a header when it is present, valid UTF-8/ASCII and not blank.
pub fn header_value<'a>(headers: &'a HeaderMap, name: &str) -> Result<&'a str, ApiError> {
    let mut values = headers.get_all(name).iter();
    let value = values
        .next()
        .ok_or_else(|| ApiError::bad_request(format!("The {name} header is missing")))?;
    if values.next().is_some() {
        return Err(ApiError::bad_request(format!(
            "The {name} header was sent more than once"
        )));
    }
    let value = value.to_str().map_err(|_| {
        ApiError::bad_request(format!(
            "The {name} header contains characters that are not visible ASCII"
        ))
    })?;
    if value.trim().is_empty() {
        return Err(ApiError::bad_request(format!("The {name} header is blank")));
    }
    Ok(value)
}

/// The raw value of a header, if sent and readable, for audit of rejected requests.
pub fn raw_header(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

impl SspHeaders {
    /// Checks the four headers against the practice addressed (its ASID) and the interactions the
    /// route allows (`allowed`: one for most routes, two for `PUT /Appointment/{id}` where the
    /// interaction id tells amend from cancel, SPEC 2.4).
    pub fn check(
        headers: &HeaderMap,
        practice_asid: &Asid,
        allowed: &[Interaction],
    ) -> Result<Self, ApiError> {
        let trace_id = header_value(headers, TRACE_ID)?;
        if Uuid::parse_str(trace_id).is_err() {
            return Err(ApiError::bad_request(format!(
                "The {TRACE_ID} header must be a GUID, got '{trace_id}'"
            )));
        }
        let from = Asid::parse(header_value(headers, FROM)?).map_err(|e| {
            ApiError::bad_request(format!("The {FROM} header is not a valid ASID: {e}"))
        })?;
        let to_raw = header_value(headers, TO)?;
        let to = Asid::parse(to_raw).map_err(|e| {
            ApiError::bad_request(format!("The {TO} header is not a valid ASID: {e}"))
        })?;
        // SPEC 2.3: Ssp-To SHALL equal the provider ASID of this practice endpoint.
        if &to != practice_asid {
            return Err(ApiError::bad_request(format!(
                "The {TO} header '{to_raw}' is not the ASID of this practice endpoint"
            )));
        }
        let interaction_raw = header_value(headers, INTERACTION_ID)?;
        // Exact match, no trimming: ATS sends a known id with a trailing space and expects 400.
        let interaction = Interaction::from_id(interaction_raw).ok_or_else(|| {
            ApiError::bad_request(format!(
                "The {INTERACTION_ID} header '{interaction_raw}' is not a GP Connect interaction"
            ))
        })?;
        // SPEC 2.3: the interaction id SHALL be consistent with the HTTP verb and URL.
        if !allowed.contains(&interaction) {
            return Err(ApiError::bad_request(format!(
                "The {INTERACTION_ID} header '{interaction_raw}' does not match the request; expected {}",
                allowed
                    .iter()
                    .map(|i| i.id())
                    .collect::<Vec<_>>()
                    .join(" or ")
            )));
        }
        Ok(Self {
            trace_id: trace_id.to_owned(),
            from,
            to,
            interaction,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gpconnect_domain::SpineCode;
    use http::HeaderValue;

    fn headers() -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            TRACE_ID,
            HeaderValue::from_static("0f8e9d2c-1d1e-4b2a-9c3f-6a5b4c3d2e1f"),
        );
        h.insert(FROM, HeaderValue::from_static("200000000359"));
        h.insert(TO, HeaderValue::from_static("918999198993"));
        h.insert(
            INTERACTION_ID,
            HeaderValue::from_static(Interaction::ReadMetadata.id()),
        );
        h
    }

    fn asid() -> Asid {
        Asid::parse("918999198993").unwrap()
    }

    #[test]
    fn good_headers_are_accepted() {
        let ssp = SspHeaders::check(&headers(), &asid(), &[Interaction::ReadMetadata]).unwrap();
        assert_eq!(ssp.interaction, Interaction::ReadMetadata);
        assert_eq!(ssp.from.as_str(), "200000000359");
    }

    #[test]
    fn amend_and_cancel_are_told_apart_by_the_interaction_id() {
        let mut h = headers();
        h.insert(
            INTERACTION_ID,
            HeaderValue::from_static(Interaction::CancelAppointment.id()),
        );
        let allowed = [
            Interaction::AmendAppointment,
            Interaction::CancelAppointment,
        ];
        let ssp = SspHeaders::check(&h, &asid(), &allowed).unwrap();
        assert_eq!(ssp.interaction, Interaction::CancelAppointment);
    }

    #[test]
    fn each_rejection_names_the_header() {
        for name in [TRACE_ID, FROM, TO, INTERACTION_ID] {
            let mut h = headers();
            h.remove(name);
            let err = SspHeaders::check(&h, &asid(), &[Interaction::ReadMetadata]).unwrap_err();
            assert_eq!(err.code(), SpineCode::BadRequest);
            assert!(err.diagnostics().contains(name), "{}", err.diagnostics());
            h.insert(name, HeaderValue::from_static("  "));
            let err = SspHeaders::check(&h, &asid(), &[Interaction::ReadMetadata]).unwrap_err();
            assert!(err.diagnostics().contains("blank"), "{}", err.diagnostics());
        }
    }
}
