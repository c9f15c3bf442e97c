//! CapabilityStatement checks (ATS FHIR.feature, SPEC 3.1).

use serde_json::Value;

use super::elements::{array, structure_definition, text};
use crate::verdict::{ensure, Check};

/// The GetStructuredRecord operation definition the suite expects even on a Foundations
/// server (ATS FHIR 6).
pub(crate) const STRUCTURED_RECORD_OPERATION: &str =
    "https://fhir.nhs.uk/STU3/OperationDefinition/GPConnect-GetStructuredRecord-Operation-1/_history/1.12";

/// The profiles the CapabilityStatement must list once each (ATS FHIR O18).
pub(crate) const PROFILES: [&str; 15] = [
    structure_definition!("CareConnect-GPC-Patient-1"),
    structure_definition!("CareConnect-GPC-Organization-1"),
    structure_definition!("CareConnect-GPC-Practitioner-1"),
    structure_definition!("CareConnect-GPC-PractitionerRole-1"),
    structure_definition!("CareConnect-GPC-Location-1"),
    structure_definition!("GPConnect-OperationOutcome-1"),
    structure_definition!("GPConnect-Appointment-1"),
    structure_definition!("GPConnect-Schedule-1"),
    structure_definition!("GPConnect-Slot-1"),
    structure_definition!("CareConnect-GPC-AllergyIntolerance-1"),
    structure_definition!("CareConnect-GPC-Medication-1"),
    structure_definition!("CareConnect-GPC-MedicationStatement-1"),
    structure_definition!("CareConnect-GPC-MedicationRequest-1"),
    structure_definition!("CareConnect-GPC-List-1"),
    structure_definition!("GPConnect-StructuredRecord-Bundle-1"),
];

/// The operations of every `rest` entry.
fn operations(capability: &Value) -> impl Iterator<Item = &Value> {
    array(&capability["rest"])
        .iter()
        .flat_map(|r| array(&r["operation"]))
}

/// Every `rest[].operation[].name` list holds `name` (ATS FHIR 5).
pub(crate) fn operation(capability: &Value, name: &str) -> Check {
    let rests = array(&capability["rest"]);
    ensure!(!rests.is_empty(), "the CapabilityStatement has no rest");
    for rest in rests {
        ensure!(
            array(&rest["operation"]).iter().any(|o| o["name"] == name),
            "the CapabilityStatement does not list the operation {name}"
        );
    }
    Ok(())
}

/// `gpc.getstructuredrecord` with its versioned definition (ATS FHIR 6).
pub(crate) fn structured_record_operation(capability: &Value) -> Check {
    ensure!(
        operations(capability).any(|o| o["name"] == "gpc.getstructuredrecord"
            && o["definition"]["reference"] == STRUCTURED_RECORD_OPERATION),
        "no gpc.getstructuredrecord operation defined by {STRUCTURED_RECORD_OPERATION}"
    );
    Ok(())
}

/// `profile` holds exactly one reference to `url`.
pub(crate) fn profile(capability: &Value, url: &str) -> Check {
    let count = array(&capability["profile"])
        .iter()
        .filter(|p| p["reference"] == url)
        .count();
    ensure!(
        count == 1,
        "the CapabilityStatement lists the profile {url} {count} times, expected once"
    );
    Ok(())
}

/// `rest.resource` lists `resource_type`.
pub(crate) fn resource(capability: &Value, resource_type: &str) -> Check {
    ensure!(
        array(&capability["rest"])
            .iter()
            .flat_map(|r| array(&r["resource"]))
            .any(|r| r["type"] == resource_type),
        "the CapabilityStatement does not list the resource {resource_type}"
    );
    Ok(())
}

/// Slot's `searchInclude` holds `Location:managingOrganization` (ATS SearchForFreeSlots 26).
pub(crate) fn slot_search_include(capability: &Value) -> Check {
    ensure!(
        array(&capability["rest"])
            .iter()
            .flat_map(|r| array(&r["resource"]))
            .filter(|r| r["type"] == "Slot")
            .flat_map(|r| array(&r["searchInclude"]))
            .any(|i| i == "Location:managingOrganization"),
        "Slot searchInclude does not list Location:managingOrganization"
    );
    Ok(())
}

/// `software.name` and `software.version` are set (ATS FHIR 3).
pub(crate) fn software(capability: &Value) -> Check {
    ensure!(
        text(&capability["software"]["name"]).is_some()
            && text(&capability["software"]["version"]).is_some(),
        "software.name or software.version is empty"
    );
    Ok(())
}

/// `format` lists both FHIR media types (ATS FHIR 2).
pub(crate) fn formats(capability: &Value) -> Check {
    let formats = array(&capability["format"]);
    for mime in ["application/fhir+json", "application/fhir+xml"] {
        ensure!(
            formats.iter().any(|f| f == mime),
            "format does not list {mime}"
        );
    }
    Ok(())
}
