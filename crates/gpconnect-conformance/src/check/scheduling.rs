//! Slot search bundle checks (ATS 3.5, SPEC 3.10, 4.8).

use std::collections::HashSet;

use serde_json::Value;

use super::elements::{
    absent, array, entries, extensions, has, identifier_values, profile, searchset, text,
    DELIVERY_CHANNEL, DELIVERY_CHANNEL_1, PRACTITIONER_ROLE, SCHEDULE_PROFILE, SLOT_PROFILE,
};
use super::{location, organization, practitioner};
use crate::verdict::{ensure, Check};

/// One free Slot: id, status free, metadata, at most one identifier with a value, the
/// DeliveryChannel-2 extension, no specialty and no comment.
pub(crate) fn slot(slot: &Value) -> Check {
    super::elements::id(slot)?;
    ensure!(
        slot["status"] == "free",
        "Slot status is {}, expected free",
        slot["status"]
    );
    profile(slot, SLOT_PROFILE, false)?;
    ensure!(
        array(&slot["identifier"]).len() <= 1,
        "a Slot has several identifiers"
    );
    identifier_values(slot)?;
    ensure!(
        extensions(slot, DELIVERY_CHANNEL).len() == 1,
        "a Slot has no DeliveryChannel-2 extension"
    );
    absent(slot, &["specialty", "comment"])
}

/// One Schedule: id, metadata, at most one identifier, planningHorizon.start when a horizon is
/// given, at most one serviceType, exactly one PractitionerRole-1 extension and no
/// DeliveryChannel-1 extension, a Location actor, no specialty and no comment.
pub(crate) fn schedule(schedule: &Value) -> Check {
    super::elements::id(schedule)?;
    profile(schedule, SCHEDULE_PROFILE, false)?;
    ensure!(
        array(&schedule["identifier"]).len() <= 1,
        "a Schedule has several identifiers"
    );
    identifier_values(schedule)?;
    if has(schedule, "planningHorizon") {
        ensure!(
            text(&schedule["planningHorizon"]["start"]).is_some(),
            "a Schedule's planningHorizon has no start"
        );
    }
    ensure!(
        array(&schedule["serviceType"]).len() <= 1,
        "a Schedule has several serviceType"
    );
    ensure!(
        extensions(schedule, PRACTITIONER_ROLE).len() == 1,
        "a Schedule has {} PractitionerRole-1 extensions, expected one",
        extensions(schedule, PRACTITIONER_ROLE).len()
    );
    ensure!(
        extensions(schedule, DELIVERY_CHANNEL_1).is_empty(),
        "a Schedule carries the retired DeliveryChannel-1 extension"
    );
    ensure!(
        actors(schedule, "Location/").next().is_some(),
        "a Schedule has no Location actor"
    );
    absent(schedule, &["specialty", "comment"])
}

/// The actor references of `schedule` starting with `prefix`.
pub(crate) fn actors<'a>(schedule: &'a Value, prefix: &'a str) -> impl Iterator<Item = &'a str> {
    array(&schedule["actor"])
        .iter()
        .filter_map(|a| text(&a["reference"]))
        .filter(move |r| r.starts_with(prefix))
}

/// The `type/id` keys of a bundle's resources, lower-cased: ATS compares references
/// case-insensitively.
fn keys(bundle: &Value) -> HashSet<String> {
    super::elements::resources(bundle)
        .filter_map(|r| {
            Some(format!(
                "{}/{}",
                r["resourceType"].as_str()?,
                r["id"].as_str()?
            ))
        })
        .map(|k| k.to_ascii_lowercase())
        .collect()
}

/// Whether the bundle with `keys` holds the resource `reference` names.
fn included(keys: &HashSet<String>, reference: &str) -> bool {
    keys.contains(&reference.to_ascii_lowercase())
}

/// What a slot search asked to include.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Includes {
    pub(crate) practitioner: bool,
    pub(crate) location: bool,
}

/// A slot search answer: a searchset whose Slots and Schedules pass their checks, every
/// Slot's Schedule included, and the included Locations, Practitioners and Organizations valid
/// (ATS 3.5). With the Location include, every Schedule's Location is included; with the
/// Practitioner include, every Schedule's Practitioner.
pub(crate) fn bundle(bundle: &Value, includes: Includes) -> Check {
    searchset(bundle)?;
    let keys = keys(bundle);
    for s in entries(bundle, "Slot") {
        slot(s)?;
        let reference = text(&s["schedule"]["reference"]).unwrap_or_default();
        ensure!(
            reference.starts_with("Schedule/") && included(&keys, reference),
            "Slot schedule {reference:?} is not a Schedule in the bundle"
        );
    }
    for s in entries(bundle, "Schedule") {
        schedule(s)?;
        if includes.location {
            ensure!(
                actors(s, "Location/").any(|r| included(&keys, r)),
                "no Location actor of a Schedule is in the bundle"
            );
        }
        if includes.practitioner {
            for reference in actors(s, "Practitioner/") {
                ensure!(
                    included(&keys, reference),
                    "the Schedule's actor {reference} is not in the bundle"
                );
            }
        }
    }
    for l in entries(bundle, "Location") {
        location::location(l, None)?;
    }
    for p in entries(bundle, "Practitioner") {
        practitioner::practitioner(p, practitioner::Expected::default())?;
    }
    for o in entries(bundle, "Organization") {
        organization::organization(o, None, false)?;
    }
    Ok(())
}

/// Requires at least one Slot.
pub(crate) fn some_slots(bundle: &Value) -> Check {
    ensure!(
        !entries(bundle, "Slot").is_empty(),
        "the search found no free slot"
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn bundle_with(slot_schedule: &str) -> Value {
        json!({"resourceType": "Bundle", "type": "searchset", "entry": [
            {"resource": {"resourceType": "Slot", "id": "s1", "status": "free",
                "meta": {"profile": [SLOT_PROFILE]},
                "extension": [{"url": DELIVERY_CHANNEL, "valueCode": "In-person"}],
                "schedule": {"reference": slot_schedule}}},
            {"resource": {"resourceType": "Schedule", "id": "1",
                "meta": {"profile": [SCHEDULE_PROFILE]},
                "extension": [{"url": PRACTITIONER_ROLE, "valueCodeableConcept": {"text": "GP"}}],
                "actor": [{"reference": "Location/1"}]}}
        ]})
    }

    #[test]
    fn slots_must_point_at_an_included_schedule() {
        bundle(&bundle_with("Schedule/1"), Includes::default()).unwrap();
        assert!(bundle(&bundle_with("Schedule/2"), Includes::default()).is_err());
        assert!(bundle(
            &bundle_with("Schedule/1"),
            Includes {
                location: true,
                ..Includes::default()
            }
        )
        .is_err());
    }

    #[test]
    fn comments_are_not_allowed() {
        let mut b = bundle_with("Schedule/1");
        b["entry"][0]["resource"]["comment"] = json!("x");
        assert!(bundle(&b, Includes::default()).is_err());
    }
}
