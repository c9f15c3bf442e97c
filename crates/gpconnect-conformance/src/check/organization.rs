//! Organization body checks (ATS 3.3, SPEC 4.5).

use serde_json::Value;

use super::elements::{
    absent, array, identifiers, profile, reference_id, text, ODS_CODE_SYSTEM, ORGANIZATION_PROFILE,
};
use crate::context::Ctx;
use crate::verdict::{ensure, Check};

/// Extensions an Organization may carry.
const ALLOWED_EXTENSIONS: [&str; 2] = [
    "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-MainLocation-1",
    "http://hl7.org/fhir/StructureDefinition/organization-period",
];

/// The Organization checks of ATS 3.3: metadata, identifiers with system and value, at most
/// one ODS code (exactly `ods` when given), a name, no contact or endpoint, only the allowed
/// extensions.
pub(crate) fn organization(organization: &Value, ods: Option<&str>, bundled: bool) -> Check {
    super::elements::id(organization)?;
    profile(organization, ORGANIZATION_PROFILE, bundled)?;
    for identifier in array(&organization["identifier"]) {
        ensure!(
            text(&identifier["system"]).is_some() && text(&identifier["value"]).is_some(),
            "an Organization identifier lacks a system or value"
        );
    }
    let codes = identifiers(organization, ODS_CODE_SYSTEM);
    ensure!(
        codes.len() <= 1,
        "the Organization has {} ODS codes",
        codes.len()
    );
    if let Some(ods) = ods {
        ensure!(
            codes.len() == 1 && codes[0]["value"] == ods,
            "the Organization's ODS code is {}, expected {ods}",
            codes.first().map_or(Value::Null, |i| i["value"].clone())
        );
    }
    ensure!(
        text(&organization["name"]).is_some(),
        "the Organization has no name"
    );
    absent(organization, &["contact", "endpoint"])?;
    for extension in array(&organization["extension"]) {
        ensure!(
            ALLOWED_EXTENSIONS.iter().any(|u| extension["url"] == *u),
            "Organization extension {} is not allowed",
            extension["url"]
        );
    }
    Ok(())
}

/// `partOf`, if any, is `Organization/{id}` and can be read.
pub(crate) async fn part_of(ctx: &Ctx, organization: &Value) -> Check {
    if let Some(reference) = organization["partOf"]["reference"].as_str() {
        ensure!(
            reference_id(reference, "Organization").is_some(),
            "partOf {reference:?} is not Organization/{{id}}"
        );
        ctx.resolve(reference).await?;
    }
    Ok(())
}
