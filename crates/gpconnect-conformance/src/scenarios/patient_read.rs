//! PatientRead.feature (ATS 2.2, SPEC 3.3).

use gpconnect_domain::Interaction;
use gpconnect_fhir::Format;
use serde_json::Value;

use super::{capability_lists, label, Negotiation, FORMATS};
use crate::check::elements::{extensions, REGISTRATION_DETAILS};
use crate::check::{headers, outcome, patient};
use crate::context::Ctx;
use crate::response::Reply;
use crate::runner::Cases;
use crate::verdict::{ensure, Check};
use crate::Feature;

/// Ids the suite expects no Patient for (ATS PatientRead O2).
const UNKNOWN_IDS: [&str; 6] = [
    "aaBA",
    "1ZEc2",
    "z.as.dd",
    "1.1.22",
    "40-9",
    "nd-skdm.mks--s",
];

/// Finds patient `key`, then reads it with `negotiation`.
async fn read(ctx: &Ctx, key: &str, negotiation: Option<Negotiation>) -> Check<(Reply, String)> {
    let id = ctx.patient_id(key).await?;
    let mut call = ctx.call(Interaction::ReadPatient, format!("Patient/{id}"));
    if let Some(negotiation) = negotiation {
        call = negotiation.apply(call);
    }
    Ok((ctx.send(call).await?, id))
}

/// A 200 Patient with the requested id, in `format`.
fn the_patient(reply: &Reply, id: &str, format: Format) -> Check<Value> {
    reply.status(200)?;
    reply.expect_format(format)?;
    let resource = reply.resource_of("Patient")?;
    ensure!(
        resource["id"] == id,
        "the Patient's id is {}, expected {id}",
        resource["id"]
    );
    Ok(resource)
}

/// Reads patient `key` with `negotiation` and checks format, id and identifiers.
async fn read_in(ctx: &Ctx, key: &str, negotiation: Negotiation) -> Check {
    let (reply, id) = read(ctx, key, Some(negotiation)).await?;
    let resource = the_patient(&reply, &id, negotiation.expected())?;
    patient::identifiers(&resource, ctx.fixture.nhs(key))
}

pub(crate) fn cases() -> Cases {
    let mut cases = Cases::new(Feature::PatientRead);
    for id in [
        "SomthingIncorrectWhichIsNotTheOnProviderSystem",
        "4543567638475665845564986758479086840564796854665748763454",
    ] {
        cases.row(
            "Read patient 404 if patient not found",
            id,
            move |ctx| async move {
                let reply = ctx
                    .send(ctx.call(Interaction::ReadPatient, format!("Patient/{id}")))
                    .await?;
                outcome::error(&reply, Some(404), Some("PATIENT_NOT_FOUND"))
            },
        );
    }
    for id in UNKNOWN_IDS {
        cases.row(
            "Patient Read with valid identifier which does not exist on providers system",
            id,
            move |ctx| async move {
                let reply = ctx
                    .send(ctx.call(Interaction::ReadPatient, format!("Patient/{id}")))
                    .await?;
                outcome::error(&reply, Some(404), None)
            },
        );
    }
    cases.scenario(
        "Read patient 400 or 404 if patient id not sent",
        |ctx| async move {
            let reply = ctx
                .send(ctx.call(Interaction::ReadPatient, "Patient/"))
                .await?;
            ensure!(
                reply.status == 400 || reply.status == 404,
                "expected HTTP 400 or 404, got {}",
                reply.summary()
            );
            outcome::error(&reply, None, None)
        },
    );
    for format in FORMATS {
        cases.row(
            "Read patient should accept Accept header to request response format",
            label(format),
            move |ctx| async move {
                let (reply, id) = read(&ctx, "patient1", Some(Negotiation::accept(format))).await?;
                the_patient(&reply, &id, format).map(|_| ())
            },
        );
    }
    for format in FORMATS {
        cases.row(
            "Read patient should accept _format parameter to request response format",
            label(format),
            move |ctx| async move { read_in(&ctx, "patient1", Negotiation::format(format)).await },
        );
    }
    for negotiation in Negotiation::pairs() {
        cases.row(
            "Read patient should accept Accept header and _format parameter",
            negotiation.label(),
            move |ctx| async move { read_in(&ctx, "patient1", negotiation).await },
        );
    }
    cases.scenario(
        "Read patient should contain correct logical identifier",
        |ctx| async move {
            let (reply, id) = read(&ctx, "patient1", None).await?;
            the_patient(&reply, &id, Format::Json).map(|_| ())
        },
    );
    cases.scenario(
        "Read patient response should contain an ETag header",
        |ctx| async move {
            let (reply, id) = read(&ctx, "patient1", None).await?;
            let resource = the_patient(&reply, &id, Format::Json)?;
            headers::etag(&reply, &resource)?;
            patient::identifiers(&resource, ctx.fixture.nhs("patient1"))
        },
    );
    cases.scenario(
        "Read patient resource should conform to the GPconnect specification",
        |ctx| async move {
            let (reply, id) = read(&ctx, "patient1", None).await?;
            let resource = the_patient(&reply, &id, Format::Json)?;
            patient::conformance(&ctx, &resource, ctx.fixture.nhs("patient1"), false).await
        },
    );
    cases.scenario(
        "CapabilityStatement profile supports the Patient read operation",
        |ctx| async move { capability_lists(&ctx, "Patient").await },
    );
    cases.scenario(
        "Patient read valid response check caching headers exist",
        |ctx| async move {
            let (reply, id) = read(&ctx, "patient1", None).await?;
            the_patient(&reply, &id, Format::Json)?;
            headers::no_store(&reply)
        },
    );
    cases.scenario(
        "Patient read invalid response check caching headers exist",
        |ctx| async move {
            let reply = ctx
                .send(ctx.call(Interaction::ReadPatient, "Patient/AABa"))
                .await?;
            outcome::error(&reply, Some(404), None)?;
            headers::no_store(&reply)
        },
    );
    cases.scenario(
        "Read patient and check preferred branch",
        |ctx| async move {
            let (reply, id) = read(&ctx, "patient1", None).await?;
            let resource = the_patient(&reply, &id, Format::Json)?;
            ensure!(
                extensions(&resource, REGISTRATION_DETAILS).len() == 1,
                "expected exactly one RegistrationDetails extension"
            );
            patient::registration_details(&resource, true, false)
        },
    );
    cases.scenario(
        "Check read patient on a patient with no Consent returns a valid response",
        |ctx| async move {
            let key = ctx.fixture.patient_roles.no_consent.clone();
            let (reply, id) = read(&ctx, &key, None).await?;
            let resource = the_patient(&reply, &id, Format::Json)?;
            patient::conformance(&ctx, &resource, ctx.fixture.nhs(&key), false).await
        },
    );
    cases
}
