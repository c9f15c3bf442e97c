//! Appointment body checks (ATS 3.6, SPEC 3.11–3.15, 4.7).

use jiff::civil::Date;
use serde_json::Value;

use super::elements::{
    array, extensions, has, identifier_values, profile, text, APPOINTMENT_PROFILE,
    CANCELLATION_REASON, DELIVERY_CHANNEL, PRACTITIONER_ROLE,
};
use crate::context::Ctx;
use crate::verdict::{ensure, fail, Check};

/// The UK date of a FHIR instant, if it is one (full date-time with an offset).
fn instant_date(value: &Value) -> Option<Date> {
    let timestamp: jiff::Timestamp = value.as_str()?.parse().ok()?;
    Some(
        timestamp
            .to_zoned(gpconnect_domain::time::uk_zone().clone())
            .date(),
    )
}

/// The checks the suite makes on every Appointment it receives (ATS 3.6): metadata, id,
/// status, start and end instants with the start not before `today`, slots, participants,
/// description and created, no reason or specialty, identifier values, priority, contained
/// booking organisations.
pub(crate) fn appointment(appointment: &Value, today: Date) -> Check {
    super::elements::id(appointment)?;
    profile(appointment, APPOINTMENT_PROFILE, true)?;
    ensure!(
        text(&appointment["status"]).is_some(),
        "the Appointment has no status"
    );
    let start = instant_date(&appointment["start"]).ok_or_else(|| {
        crate::verdict::Failure::new(format!(
            "Appointment start {} is not an instant",
            appointment["start"]
        ))
    })?;
    ensure!(
        instant_date(&appointment["end"]).is_some(),
        "Appointment end {} is not an instant",
        appointment["end"]
    );
    ensure!(
        start >= today,
        "the Appointment starts on {start}, before today"
    );
    let slots = array(&appointment["slot"]);
    ensure!(!slots.is_empty(), "the Appointment has no slot");
    for slot in slots {
        ensure!(
            text(&slot["reference"]).is_some_and(|r| r.starts_with("Slot/")),
            "slot reference {} is not Slot/{{id}}",
            slot["reference"]
        );
    }
    participants(appointment)?;
    ensure!(
        has(appointment, "description"),
        "the Appointment has no description"
    );
    ensure!(
        text(&appointment["created"]).is_some(),
        "the Appointment has no created"
    );
    ensure!(
        !has(appointment, "reason") && !has(appointment, "specialty"),
        "the Appointment must not carry reason or specialty"
    );
    identifier_values(appointment)?;
    if let Some(priority) = appointment.get("priority") {
        ensure!(
            priority.as_u64().is_some_and(|p| p <= 9),
            "priority {priority} is not 0-9"
        );
    }
    for contained in array(&appointment["contained"]) {
        ensure!(
            contained["resourceType"] == "Organization",
            "the Appointment contains a {}, only Organizations are expected",
            contained["resourceType"]
        );
        ensure!(
            text(&contained["id"]).is_some() && text(&contained["name"]).is_some(),
            "a contained Organization lacks an id or a name"
        );
    }
    Ok(())
}

/// At least one Patient and one Location participant, every actor set and relative to a
/// Patient, Practitioner or Location, each type with at most one coding (ATS 3.6).
pub(crate) fn participants(appointment: &Value) -> Check {
    let participants = array(&appointment["participant"]);
    let references: Vec<&str> = participants
        .iter()
        .filter_map(|p| text(&p["actor"]["reference"]))
        .collect();
    ensure!(
        references.len() == participants.len(),
        "a participant has no actor reference"
    );
    for (prefix, what) in [("Patient/", "Patient"), ("Location/", "Location")] {
        ensure!(
            references.iter().any(|r| r.starts_with(prefix)),
            "the Appointment has no {what} participant"
        );
    }
    for reference in &references {
        ensure!(
            ["Patient/", "Practitioner/", "Location/"]
                .iter()
                .any(|p| reference.starts_with(p)),
            "participant actor {reference:?} is not a Patient, Practitioner or Location"
        );
    }
    for participant in participants {
        for kind in array(&participant["type"]) {
            ensure!(
                array(&kind["coding"]).len() <= 1,
                "a participant type has several codings"
            );
        }
    }
    Ok(())
}

/// Every Patient, Practitioner and Location participant can be read.
pub(crate) async fn participants_resolve(ctx: &Ctx, appointment: &Value) -> Check {
    for participant in array(&appointment["participant"]) {
        if let Some(reference) = text(&participant["actor"]["reference"]) {
            ctx.resolve(reference).await?;
        }
    }
    Ok(())
}

/// DeliveryChannel-2 and PractitionerRole-1 extensions, which the provider adds even when the
/// booking did not send them (SPEC 3.11).
pub(crate) fn provider_extensions(appointment: &Value) -> Check {
    ensure!(
        !extensions(appointment, DELIVERY_CHANNEL).is_empty(),
        "the Appointment has no DeliveryChannel-2 extension"
    );
    ensure!(
        !extensions(appointment, PRACTITIONER_ROLE).is_empty(),
        "the Appointment has no PractitionerRole-1 extension"
    );
    Ok(())
}

/// `serviceCategory.text` is populated (SPEC 6.1).
pub(crate) fn service_category(appointment: &Value) -> Check {
    ensure!(
        text(&appointment["serviceCategory"]["text"]).is_some(),
        "the Appointment has no serviceCategory.text"
    );
    Ok(())
}

/// `serviceType[].text` is populated (SPEC 6.1).
pub(crate) fn service_type(appointment: &Value) -> Check {
    ensure!(
        array(&appointment["serviceType"])
            .iter()
            .any(|t| text(&t["text"]).is_some()),
        "the Appointment has no serviceType text"
    );
    Ok(())
}

/// Every contained Organization has an id, a name and a telecom (ATS AppointmentRead O7,
/// AppointmentRetrieve 19).
pub(crate) fn booking_organisations(appointment: &Value) -> Check {
    for contained in array(&appointment["contained"]) {
        ensure!(
            contained["resourceType"] == "Organization"
                && text(&contained["id"]).is_some()
                && text(&contained["name"]).is_some()
                && !array(&contained["telecom"]).is_empty(),
            "a contained resource is not an Organization with an id, a name and a telecom"
        );
    }
    Ok(())
}

/// The cancellation reason extension's value.
pub(crate) fn cancellation_reason(appointment: &Value) -> Option<&str> {
    extensions(appointment, CANCELLATION_REASON)
        .first()
        .and_then(|e| e["valueString"].as_str())
}

/// A cancel answer (ATS AppointmentCancel O1): status cancelled with `reason`, and otherwise
/// the booked appointment: id, extensions (count and values, plus the reason), description,
/// start, end, slots, participants, and created to the minute.
pub(crate) fn same_as_booked(cancelled: &Value, booked: &Value, reason: &str) -> Check {
    ensure!(
        cancelled["status"] == "cancelled",
        "status is {}, expected cancelled",
        cancelled["status"]
    );
    ensure!(
        cancellation_reason(cancelled) == Some(reason),
        "the cancellation reason is {:?}, expected {reason:?}",
        cancellation_reason(cancelled)
    );
    ensure!(cancelled["id"] == booked["id"], "the id changed");
    let booked_extensions = array(&booked["extension"]);
    let cancelled_extensions = array(&cancelled["extension"]);
    ensure!(
        cancelled_extensions.len() == booked_extensions.len() + 1,
        "{} extensions after cancelling, expected the {} booked plus the reason",
        cancelled_extensions.len(),
        booked_extensions.len()
    );
    for extension in booked_extensions {
        let url = extension["url"].as_str().unwrap_or_default();
        ensure!(
            extensions(cancelled, url).contains(&extension),
            "the extension {url} changed on cancelling"
        );
    }
    for element in ["description", "start", "end"] {
        ensure!(
            cancelled[element] == booked[element],
            "{element} changed on cancelling: {} became {}",
            booked[element],
            cancelled[element]
        );
    }
    let slot_refs = |a: &Value| -> Vec<(Value, Value)> {
        array(&a["slot"])
            .iter()
            .map(|s| (s["reference"].clone(), s["display"].clone()))
            .collect()
    };
    ensure!(
        slot_refs(cancelled) == slot_refs(booked),
        "the slots changed on cancelling"
    );
    let participant_refs = |a: &Value| -> Vec<(Value, Value)> {
        array(&a["participant"])
            .iter()
            .map(|p| (p["actor"]["reference"].clone(), p["status"].clone()))
            .collect()
    };
    ensure!(
        participant_refs(cancelled) == participant_refs(booked),
        "the participants changed on cancelling"
    );
    let minute = |a: &Value| -> Option<String> {
        let timestamp: jiff::Timestamp = a["created"].as_str()?.parse().ok()?;
        Some(timestamp.strftime("%Y-%m-%dT%H:%M").to_string())
    };
    match (minute(cancelled), minute(booked)) {
        (Some(c), Some(b)) => ensure!(c == b, "created changed on cancelling: {b} became {c}"),
        _ => fail!("created is missing or not a dateTime with an offset"),
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn booked() -> Value {
        json!({
            "resourceType": "Appointment", "id": "7",
            "meta": {"versionId": "1", "profile": [APPOINTMENT_PROFILE]},
            "extension": [{"url": DELIVERY_CHANNEL, "valueCode": "In-person"}],
            "status": "booked", "description": "d",
            "start": "2099-01-01T09:00:00+00:00", "end": "2099-01-01T09:10:00+00:00",
            "slot": [{"reference": "Slot/1"}], "created": "2098-12-01T10:11:12+00:00",
            "participant": [
                {"actor": {"reference": "Patient/1"}, "status": "accepted"},
                {"actor": {"reference": "Location/1"}, "status": "accepted"}
            ]
        })
    }

    #[test]
    fn a_booked_appointment_passes() {
        appointment(&booked(), jiff::civil::date(2024, 1, 1)).unwrap();
        assert!(appointment(&booked(), jiff::civil::date(2100, 1, 1)).is_err());
        let mut no_location = booked();
        no_location["participant"].as_array_mut().unwrap().pop();
        assert!(appointment(&no_location, jiff::civil::date(2024, 1, 1)).is_err());
    }

    #[test]
    fn a_cancel_may_change_only_status_and_reason() {
        let cancelled = crate::context::cancel_body(&booked(), "double booked");
        same_as_booked(&cancelled, &booked(), "double booked").unwrap();
        assert!(same_as_booked(&cancelled, &booked(), "other").is_err());
        let mut moved = cancelled.clone();
        moved["description"] = json!("changed");
        assert!(same_as_booked(&moved, &booked(), "double booked").is_err());
        let mut later = cancelled;
        later["created"] = json!("2098-12-01T10:12:12+00:00");
        assert!(same_as_booked(&later, &booked(), "double booked").is_err());
    }
}
