//! The one place an OperationOutcome is built (SPEC 2.8): `GPConnect-OperationOutcome-1`,
//! severity `error`, the Spine code's issue type, exactly one `details.coding` from the Spine
//! CodeSystem, and the diagnostics.

use gpconnect_domain::spine::SPINE_ERROR_SYSTEM;
use gpconnect_domain::SpineCode;
use gpconnect_fhir::{
    CodeableConcept, Coding, Meta, OperationOutcome, OperationOutcomeIssue, Resource,
};

use crate::Format;

/// The profile every error answer claims.
pub const OPERATION_OUTCOME_PROFILE: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1";

/// The OperationOutcome for `code` with `diagnostics`.
pub fn operation_outcome(code: SpineCode, diagnostics: &str) -> OperationOutcome {
    // FHIR strings hold no control characters the XML encoding cannot carry, and are never
    // empty; diagnostics may echo what a consumer sent.
    let diagnostics: String = diagnostics
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let diagnostics = diagnostics.trim();
    OperationOutcome {
        meta: Some(Meta {
            profile: vec![OPERATION_OUTCOME_PROFILE.into()],
            ..Default::default()
        }),
        issue: vec![OperationOutcomeIssue {
            severity: "error".into(),
            code: code.issue_type().into(),
            details: Some(CodeableConcept {
                coding: vec![Coding {
                    system: Some(SPINE_ERROR_SYSTEM.into()),
                    code: Some(code.code().into()),
                    display: Some(code.display().into()),
                    ..Default::default()
                }],
                ..Default::default()
            }),
            diagnostics: (!diagnostics.is_empty()).then(|| diagnostics.to_owned()),
            ..Default::default()
        }],
        ..Default::default()
    }
}

/// The encoded OperationOutcome for `code` with `diagnostics`.
pub fn render(code: SpineCode, diagnostics: &str, format: Format) -> Vec<u8> {
    let outcome = Resource::from(operation_outcome(code, diagnostics));
    match gpconnect_fhir::encode(&outcome, format) {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "OperationOutcome could not be encoded; sent without diagnostics");
            let bare = Resource::from(operation_outcome(code, ""));
            gpconnect_fhir::encode(&bare, format).unwrap_or_default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_formats_decode_back_to_the_same_outcome() {
        for format in [Format::Json, Format::Xml] {
            let bytes = render(
                SpineCode::InvalidParameter,
                "start <must> be \"ge\"\u{7}",
                format,
            );
            let decoded = gpconnect_fhir::decode(&bytes, format).unwrap();
            assert_eq!(
                decoded,
                Resource::from(operation_outcome(
                    SpineCode::InvalidParameter,
                    "start <must> be \"ge\""
                ))
            );
        }
        let json: serde_json::Value =
            serde_json::from_slice(&render(SpineCode::NotImplemented, "", Format::Json)).unwrap();
        assert_eq!(json["issue"][0]["code"], "not-supported");
        assert!(json["issue"][0].get("diagnostics").is_none());
    }
}
