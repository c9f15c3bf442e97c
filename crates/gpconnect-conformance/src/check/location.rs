//! Location body checks (ATS 3.4, SPEC 4.6).

use serde_json::Value;

use super::elements::{
    absent, array, has, identifiers, profile, reference_id, text, LOCATION_PROFILE, ODS_SITE_SYSTEM,
};
use crate::context::Ctx;
use crate::verdict::{ensure, Check};

/// The Location checks of ATS 3.4: name and address, metadata, at most one site code (equal to
/// `site_code` when given), type and physicalType codings complete, `partOf` a Location,
/// `managingOrganization` an Organization, no endpoint.
pub(crate) fn location(location: &Value, site_code: Option<&str>) -> Check {
    super::elements::id(location)?;
    ensure!(
        text(&location["name"]).is_some(),
        "the Location has no name"
    );
    ensure!(has(location, "address"), "the Location has no address");
    profile(location, LOCATION_PROFILE, false)?;
    let sites = identifiers(location, ODS_SITE_SYSTEM);
    ensure!(
        sites.len() <= 1,
        "the Location has {} site codes",
        sites.len()
    );
    if let Some(site_code) = site_code {
        ensure!(
            sites.len() == 1 && sites[0]["value"] == site_code,
            "the Location's site code is {}, expected {site_code}",
            sites.first().map_or(Value::Null, |i| i["value"].clone())
        );
    }
    for element in ["type", "physicalType"] {
        for coding in array(&location[element]["coding"]) {
            ensure!(
                text(&coding["system"]).is_some()
                    && text(&coding["code"]).is_some()
                    && text(&coding["display"]).is_some(),
                "a Location {element} coding lacks a system, code or display"
            );
        }
    }
    if let Some(reference) = location["partOf"]["reference"].as_str() {
        ensure!(
            reference.starts_with("Location/"),
            "partOf {reference:?} is not a Location"
        );
    }
    let organisation = text(&location["managingOrganization"]["reference"]).unwrap_or_default();
    ensure!(
        reference_id(organisation, "Organization").is_some(),
        "managingOrganization {organisation:?} is not Organization/{{id}}"
    );
    absent(location, &["endpoint"])
}

/// The Location's managing organisation can be read.
pub(crate) async fn managing_organization(ctx: &Ctx, location: &Value) -> Check {
    let reference = text(&location["managingOrganization"]["reference"]).unwrap_or_default();
    ctx.resolve(reference).await.map(|_| ())
}
