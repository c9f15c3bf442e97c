//! Reading FHIR JSON elements: arrays, extensions, identifiers, references, bundle entries and
//! `meta`, and the profile URLs of GP Connect 1.2.7 (SPEC 4).

use serde_json::Value;

use crate::verdict::{ensure, Check};

/// `https://fhir.nhs.uk/STU3/StructureDefinition/` + a profile name.
macro_rules! structure_definition {
    ($name:literal) => {
        concat!("https://fhir.nhs.uk/STU3/StructureDefinition/", $name)
    };
}
pub(crate) use structure_definition;

pub(crate) const PATIENT_PROFILE: &str = structure_definition!("CareConnect-GPC-Patient-1");
pub(crate) const PRACTITIONER_PROFILE: &str =
    structure_definition!("CareConnect-GPC-Practitioner-1");
pub(crate) const ORGANIZATION_PROFILE: &str =
    structure_definition!("CareConnect-GPC-Organization-1");
pub(crate) const LOCATION_PROFILE: &str = structure_definition!("CareConnect-GPC-Location-1");
pub(crate) const SLOT_PROFILE: &str = structure_definition!("GPConnect-Slot-1");
pub(crate) const SCHEDULE_PROFILE: &str = structure_definition!("GPConnect-Schedule-1");
pub(crate) const APPOINTMENT_PROFILE: &str = structure_definition!("GPConnect-Appointment-1");
pub(crate) const SEARCHSET_PROFILE: &str = structure_definition!("GPConnect-Searchset-Bundle-1");

pub(crate) const DELIVERY_CHANNEL: &str =
    structure_definition!("Extension-GPConnect-DeliveryChannel-2");
pub(crate) const DELIVERY_CHANNEL_1: &str =
    structure_definition!("Extension-GPConnect-DeliveryChannel-1");
pub(crate) const PRACTITIONER_ROLE: &str =
    structure_definition!("Extension-GPConnect-PractitionerRole-1");
pub(crate) const BOOKING_ORGANISATION: &str =
    structure_definition!("Extension-GPConnect-BookingOrganisation-1");
pub(crate) const CANCELLATION_REASON: &str =
    structure_definition!("Extension-GPConnect-AppointmentCancellationReason-1");
pub(crate) const REGISTRATION_DETAILS: &str =
    structure_definition!("Extension-CareConnect-GPC-RegistrationDetails-1");
pub(crate) const NHS_COMMUNICATION: &str =
    structure_definition!("Extension-CareConnect-GPC-NHSCommunication-1");
pub(crate) const NHS_NUMBER_VERIFICATION: &str =
    structure_definition!("Extension-CareConnect-GPC-NHSNumberVerificationStatus-1");

pub(crate) const NHS_NUMBER_SYSTEM: &str = "https://fhir.nhs.uk/Id/nhs-number";
pub(crate) const ODS_CODE_SYSTEM: &str = "https://fhir.nhs.uk/Id/ods-organization-code";
pub(crate) const ODS_SITE_SYSTEM: &str = "https://fhir.nhs.uk/Id/ods-site-code";
pub(crate) const SDS_USER_SYSTEM: &str = "https://fhir.nhs.uk/Id/sds-user-id";
pub(crate) const SDS_ROLE_SYSTEM: &str = "https://fhir.nhs.uk/Id/sds-role-profile-id";
pub(crate) const GMP_SYSTEM: &str = "https://fhir.hl7.org.uk/Id/gmp-number";
pub(crate) const ORG_TYPE_SYSTEM: &str =
    "https://fhir.nhs.uk/STU3/CodeSystem/GPConnect-OrganisationType-1";
pub(crate) const HUMAN_LANGUAGE_SYSTEM: &str =
    "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-HumanLanguage-1";

/// The elements of an array element (none when absent).
pub(crate) fn array(value: &Value) -> &[Value] {
    value.as_array().map_or(&[], Vec::as_slice)
}

/// A non-empty string element.
pub(crate) fn text(value: &Value) -> Option<&str> {
    value.as_str().filter(|s| !s.trim().is_empty())
}

/// Whether `resource` has the element `name` at all.
pub(crate) fn has(resource: &Value, name: &str) -> bool {
    resource.get(name).is_some_and(|v| !v.is_null())
}

/// The extensions of `element` with `url`.
pub(crate) fn extensions<'a>(element: &'a Value, url: &str) -> Vec<&'a Value> {
    array(&element["extension"])
        .iter()
        .filter(|e| e["url"] == url)
        .collect()
}

/// The identifiers of `resource` with `system`.
pub(crate) fn identifiers<'a>(resource: &'a Value, system: &str) -> Vec<&'a Value> {
    array(&resource["identifier"])
        .iter()
        .filter(|i| i["system"] == system)
        .collect()
}

/// The id in a relative reference `Type/id`.
pub(crate) fn reference_id<'a>(reference: &'a str, resource_type: &str) -> Option<&'a str> {
    reference
        .strip_prefix(resource_type)
        .and_then(|r| r.strip_prefix('/'))
        .filter(|id| !id.is_empty())
}

/// The resources of a Bundle's entries.
pub(crate) fn resources(bundle: &Value) -> impl Iterator<Item = &Value> {
    array(&bundle["entry"]).iter().map(|e| &e["resource"])
}

/// The resources of a Bundle of `resource_type`.
pub(crate) fn entries<'a>(bundle: &'a Value, resource_type: &str) -> Vec<&'a Value> {
    resources(bundle)
        .filter(|r| r["resourceType"] == resource_type)
        .collect()
}

/// Requires a searchset Bundle (ATS 3.8).
pub(crate) fn searchset(bundle: &Value) -> Check {
    ensure!(
        bundle["resourceType"] == "Bundle",
        "expected a Bundle, got {}",
        bundle["resourceType"]
    );
    ensure!(
        bundle["type"] == "searchset",
        "Bundle.type is {}, expected searchset",
        bundle["type"]
    );
    Ok(())
}

/// Requires a searchset with exactly `count` resources of `resource_type`.
pub(crate) fn count(bundle: &Value, resource_type: &str, count: usize) -> Check {
    searchset(bundle)?;
    let found = entries(bundle, resource_type).len();
    ensure!(
        found == count,
        "expected {count} {resource_type} entries, got {found}"
    );
    Ok(())
}

/// Requires `meta.profile` to be exactly `[profile]` and, when `versioned`, `meta.versionId`
/// to be set (ATS 3.1–3.6).
pub(crate) fn profile(resource: &Value, profile: &str, versioned: bool) -> Check {
    let kind = resource["resourceType"].as_str().unwrap_or("resource");
    let profiles = array(&resource["meta"]["profile"]);
    ensure!(
        profiles.len() == 1 && profiles[0] == profile,
        "{kind} meta.profile is {}, expected [{profile}]",
        resource["meta"]["profile"]
    );
    if versioned {
        ensure!(
            text(&resource["meta"]["versionId"]).is_some(),
            "{kind} has no meta.versionId"
        );
    }
    Ok(())
}

/// Requires the logical id to be set.
pub(crate) fn id(resource: &Value) -> Check<&str> {
    let kind = resource["resourceType"].as_str().unwrap_or("resource");
    text(&resource["id"]).ok_or_else(|| crate::verdict::Failure::new(format!("{kind} has no id")))
}

/// Requires none of `names` to be present on `resource`.
pub(crate) fn absent(resource: &Value, names: &[&str]) -> Check {
    let kind = resource["resourceType"].as_str().unwrap_or("resource");
    for name in names {
        ensure!(!has(resource, name), "{kind} must not carry {name}");
    }
    Ok(())
}

/// Requires every identifier to carry a value (ATS 3.3, 3.5, 3.6).
pub(crate) fn identifier_values(resource: &Value) -> Check {
    let kind = resource["resourceType"].as_str().unwrap_or("resource");
    for identifier in array(&resource["identifier"]) {
        ensure!(
            text(&identifier["value"]).is_some(),
            "{kind} has an identifier without a value"
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_and_profiles() {
        assert_eq!(reference_id("Location/8", "Location"), Some("8"));
        assert_eq!(reference_id("Location/", "Location"), None);
        assert_eq!(reference_id("location/8", "Location"), None);
        let r = json!({"resourceType": "Slot", "meta": {"profile": [SLOT_PROFILE]}});
        assert!(profile(&r, SLOT_PROFILE, false).is_ok());
        assert!(profile(&r, SLOT_PROFILE, true).is_err());
        assert!(profile(&r, SCHEDULE_PROFILE, false).is_err());
    }

    #[test]
    fn bundle_counts() {
        let b = json!({"resourceType": "Bundle", "type": "searchset", "entry": [
            {"resource": {"resourceType": "Slot"}}, {"resource": {"resourceType": "Schedule"}}
        ]});
        assert!(count(&b, "Slot", 1).is_ok());
        assert!(count(&b, "Slot", 2).is_err());
        assert!(count(
            &json!({"resourceType": "Bundle", "type": "searchset"}),
            "Slot",
            0
        )
        .is_ok());
    }
}
