//! The one place an OperationOutcome is written (SPEC 2.8): `GPConnect-OperationOutcome-1`,
//! severity `error`, the Spine code's issue type, exactly one `details.coding` from the Spine
//! CodeSystem, and the diagnostics.

use gpconnect_domain::spine::SPINE_ERROR_SYSTEM;
use gpconnect_domain::SpineCode;

use crate::Format;

/// The profile every error answer claims.
pub const OPERATION_OUTCOME_PROFILE: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1";

/// The encoded OperationOutcome for `code` with `diagnostics`.
pub fn render(code: SpineCode, diagnostics: &str, format: Format) -> Vec<u8> {
    match format {
        Format::Json => serde_json::json!({
            "resourceType": "OperationOutcome",
            "meta": { "profile": [OPERATION_OUTCOME_PROFILE] },
            "issue": [{
                "severity": "error",
                "code": code.issue_type(),
                "details": { "coding": [{
                    "system": SPINE_ERROR_SYSTEM,
                    "code": code.code(),
                    "display": code.display(),
                }]},
                "diagnostics": diagnostics,
            }],
        })
        .to_string()
        .into_bytes(),
        Format::Xml => format!(
            concat!(
                r#"<OperationOutcome xmlns="http://hl7.org/fhir">"#,
                r#"<meta><profile value="{profile}"/></meta>"#,
                r#"<issue><severity value="error"/><code value="{issue}"/>"#,
                r#"<details><coding><system value="{system}"/><code value="{code}"/><display value="{display}"/></coding></details>"#,
                r#"<diagnostics value="{diagnostics}"/></issue></OperationOutcome>"#
            ),
            profile = OPERATION_OUTCOME_PROFILE,
            issue = code.issue_type(),
            system = SPINE_ERROR_SYSTEM,
            code = code.code(),
            display = xml_escape(code.display()),
            diagnostics = xml_escape(diagnostics),
        )
        .into_bytes(),
    }
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}
