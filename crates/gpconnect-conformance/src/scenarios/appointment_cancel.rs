//! AppointmentCancel.feature (ATS 2.3, SPEC 3.14). The body is the appointment as the
//! booking returned it, with status cancelled and the cancellation reason extension.

use gpconnect_domain::Interaction;
use gpconnect_fhir::Format;
use serde_json::{json, Value};

use super::appointment_amend::absolute_participants;
use super::appointment_book::{booking_organisation_reference, ABSOLUTE_ORG_REFERENCE};
use super::appointment_read::{book_and_read, day_two};
use super::{capability_lists, label, Negotiation, FORMATS};
use crate::check::appointment;
use crate::check::elements::{array, CANCELLATION_REASON};
use crate::check::{headers, outcome};
use crate::context::{cancel_body, Booked, Booking, Ctx, ServiceText};
use crate::request::Call;
use crate::response::Reply;
use crate::runner::Cases;
use crate::verdict::{ensure, Check};
use crate::Feature;

const REASON: &str = "double booked";

fn cancel_call(ctx: &Ctx, booked: &Booked, body: &Value) -> Call {
    ctx.call(
        Interaction::CancelAppointment,
        format!("Appointment/{}", booked.id),
    )
    .json(body)
}

/// Books with `booking`, writes the cancel body with `reason`, applies `edit` and sends it
/// through `finish`.
async fn cancel(
    ctx: &Ctx,
    booking: Booking,
    reason: &str,
    edit: impl FnOnce(&mut Value),
    finish: impl FnOnce(Call, &Booked) -> Call,
) -> Check<(Reply, Booked)> {
    let booked = ctx.book(&booking).await?;
    let mut body = cancel_body(&booked.appointment, reason);
    edit(&mut body);
    let call = finish(cancel_call(ctx, &booked, &body), &booked);
    Ok((ctx.send(call).await?, booked))
}

fn unchanged(call: Call, _: &Booked) -> Call {
    call
}

/// A 200 cancelled Appointment in `format` carrying `reason`, with metadata.
fn cancelled(ctx: &Ctx, reply: &Reply, format: Format, reason: &str) -> Check<Value> {
    reply.status(200)?;
    reply.expect_format(format)?;
    let resource = reply.resource_of("Appointment")?;
    ensure!(
        resource["status"] == "cancelled",
        "status is {}, expected cancelled",
        resource["status"]
    );
    ensure!(
        appointment::cancellation_reason(&resource) == Some(reason),
        "the cancellation reason is {:?}, expected {reason:?}",
        appointment::cancellation_reason(&resource)
    );
    appointment::appointment(&resource, ctx.today())?;
    Ok(resource)
}

/// Cancels a default booking with `edit` applied and requires 422 with `code`.
async fn refused(
    ctx: &Ctx,
    reason: &str,
    edit: impl FnOnce(&mut Value),
    code: &str,
) -> Check<Reply> {
    let (reply, _) = cancel(ctx, Booking::default(), reason, edit, unchanged).await?;
    outcome::error(&reply, Some(422), Some(code))?;
    Ok(reply)
}

/// Replaces the cancellation reason extension's URL.
fn reason_url(body: &mut Value, url: &str) {
    let extensions: Vec<Value> = array(&body["extension"])
        .iter()
        .map(|e| {
            let mut e = e.clone();
            if e["url"] == CANCELLATION_REASON {
                e["url"] = json!(url);
            }
            e
        })
        .collect();
    body["extension"] = Value::Array(extensions);
}

pub(crate) fn cases() -> Cases {
    let mut cases = Cases::new(Feature::AppointmentCancel);
    for key in ["patient1", "patient2", "patient3"] {
        cases.row(
            "I perform a successful cancel appointment",
            key,
            move |ctx| async move {
                let (reply, booked) =
                    cancel(&ctx, Booking::for_patient(key), REASON, |_| {}, unchanged).await?;
                let resource = cancelled(&ctx, &reply, Format::Json, REASON)?;
                appointment::same_as_booked(&resource, &booked.appointment, REASON)
            },
        );
    }
    cases.row(
        "I perform a successful cancel appointment with Extensions",
        "read",
        |ctx| async move {
            let (_, resource) = book_and_read(&ctx, Booking::default()).await?;
            appointment::provider_extensions(&resource)
        },
    );
    type Edit = fn(&mut Value);
    let changes: [(&'static str, Edit); 4] = [
        ("Cancel appointment and amend the comment", |b| {
            b["comment"] = json!("RANDOM COMMENT")
        }),
        ("Cancel appointment and update the description", |b| {
            b["description"] = json!("RANDOM TEXT")
        }),
        ("Cancel appointment and add participants", |b| {
            let mut participants = array(&b["participant"]).to_vec();
            for reference in ["location/2", "Patient/2", "Practitioner/2"] {
                participants
                    .push(json!({ "actor": { "reference": reference }, "status": "declined" }));
            }
            b["participant"] = Value::Array(participants);
        }),
        ("Cancel appointment and update the type text", |b| {
            b["appointmentType"] = json!({ "text": "RANDOM TEXT" })
        }),
    ];
    for (scenario, edit) in changes {
        cases.scenario(scenario, move |ctx| async move {
            refused(&ctx, REASON, edit, "INVALID_RESOURCE")
                .await
                .map(|_| ())
        });
    }
    let mut negotiations: Vec<(&'static str, Negotiation)> = Vec::new();
    negotiations.extend(FORMATS.map(|f| {
        (
            "Cancel appointment _format parameter only",
            Negotiation::format(f),
        )
    }));
    negotiations
        .extend(FORMATS.map(|f| ("Cancel appointment accept header", Negotiation::accept(f))));
    negotiations.extend(
        Negotiation::pairs()
            .into_iter()
            .map(|n| ("Cancel appointment accept header and _format parameter", n)),
    );
    negotiations.extend(Negotiation::triples().into_iter().map(|n| {
        (
            "Cancel appointment accept header, _format parameter and content-type",
            n,
        )
    }));
    for (scenario, negotiation) in negotiations {
        let row = match (
            negotiation.accept,
            negotiation.format,
            negotiation.content_type,
        ) {
            (Some(f), None, None) | (None, Some(f), None) => label(f).to_owned(),
            _ => negotiation.label(),
        };
        cases.row(scenario, row, move |ctx| async move {
            let (reply, _) = cancel(
                &ctx,
                Booking::default(),
                REASON,
                |_| {},
                |c, _| negotiation.apply(c),
            )
            .await?;
            cancelled(&ctx, &reply, negotiation.expected(), REASON).map(|_| ())
        });
    }
    for reason in ["Test cancellation reason 1", "test reason for cancel 2"] {
        cases.row(
            "Cancel appointment checking that the cancellation reason is equal to the request cancellation reason",
            reason,
            move |ctx| async move {
                let (reply, _) = cancel(&ctx, Booking::default(), reason, |_| {}, unchanged).await?;
                cancelled(&ctx, &reply, Format::Json, reason).map(|_| ())
            },
        );
    }
    for url in [
        "",
        "http://fhir.nhs.uk/StructuraeDefinition/extension-gpconnect-appointment-cancellation-reason-1-010",
    ] {
        cases.row(
            "Cancel appointment with an invalid cancellation extension url",
            if url.is_empty() { "empty" } else { url },
            move |ctx| async move {
                refused(&ctx, "Too busy", |b| reason_url(b, url), "INVALID_RESOURCE")
                    .await
                    .map(|_| ())
            },
        );
    }
    cases.scenario(
        "Cancel appointment missing cancellation extension reason",
        |ctx| async move {
            refused(&ctx, "", |_| {}, "INVALID_PARAMETER")
                .await
                .map(|_| ())
        },
    );
    cases.scenario(
        "Cancel appointment verify resource is updated when an valid ETag value is provided",
        |ctx| async move {
            let (reply, _) = cancel(
                &ctx,
                Booking::default(),
                REASON,
                |_| {},
                |c, booked| c.if_match(&booked.version),
            )
            .await?;
            cancelled(&ctx, &reply, Format::Json, REASON).map(|_| ())
        },
    );
    cases.scenario("Cancel appointment verify resource is not updated when an out of date ETag value is provided", |ctx| async move {
        let (reply, _) = cancel(&ctx, Booking::default(), REASON, |_| {}, |c, _| c.if_match("invalidEtag")).await?;
        outcome::error(&reply, Some(409), Some("FHIR_CONSTRAINT_VIOLATION"))
    });
    cases.scenario(
        "Cancel appointment prefer header set to representation",
        |ctx| async move {
            let (reply, booked) = cancel(
                &ctx,
                Booking::default(),
                REASON,
                |_| {},
                |c, _| c.prefer("representation"),
            )
            .await?;
            let resource = cancelled(&ctx, &reply, Format::Json, REASON)?;
            headers::has_representation(&reply)?;
            ensure!(
                resource["id"] == booked.id.as_str(),
                "the id changed on cancelling"
            );
            Ok(())
        },
    );
    cases.scenario(
        "Cancel appointment prefer header set to minimal",
        |ctx| async move {
            let (reply, _) = cancel(
                &ctx,
                Booking::default(),
                REASON,
                |_| {},
                |c, _| c.prefer("minimal"),
            )
            .await?;
            reply.status(200)?;
            headers::empty_body(&reply)
        },
    );
    for key in ["patient1", "patient2"] {
        cases.row(
            "Cancel appointment compare values send in request and returned in the response version id of the cancelled resource is different",
            key,
            move |ctx| async move {
                let (reply, booked) = cancel(&ctx, Booking::for_patient(key), REASON, |_| {}, unchanged).await?;
                let resource = cancelled(&ctx, &reply, Format::Json, REASON)?;
                ensure!(
                    resource["meta"]["versionId"] != booked.version.as_str(),
                    "meta.versionId is still {} after cancelling",
                    booked.version
                );
                headers::etag(&reply, &resource)
            },
        );
    }
    cases.scenario(
        "CapabilityStatement profile supports the cancel appointment operation",
        |ctx| async move { capability_lists(&ctx, "Appointment").await },
    );
    cases.scenario(
        "Cancel appointment valid response check caching headers exist",
        |ctx| async move {
            let (reply, _) = cancel(&ctx, Booking::default(), REASON, |_| {}, unchanged).await?;
            cancelled(&ctx, &reply, Format::Json, REASON)?;
            headers::no_store(&reply)
        },
    );
    cases.scenario(
        "Cancel appointment invalid response check caching headers exist",
        |ctx| async move {
            let reply = refused(&ctx, "", |_| {}, "INVALID_PARAMETER").await?;
            headers::no_store(&reply)
        },
    );
    cases.scenario("Amend a cancelled appointment", |ctx| async move {
        let (reply, booked) = cancel(&ctx, Booking::default(), REASON, |_| {}, unchanged).await?;
        let resource = cancelled(&ctx, &reply, Format::Json, REASON)
            .map_err(|f| f.context("setup: cancelling"))?;
        let call = ctx
            .call(
                Interaction::AmendAppointment,
                format!("Appointment/{}", booked.id),
            )
            .json(&resource);
        outcome::error(&ctx.send(call).await?, None, Some("INVALID_RESOURCE"))
    });
    cases.scenario(
        "Cancel appointment with absolute reference for the booking organisation",
        |ctx| async move {
            let (reply, _) = cancel(
                &ctx,
                Booking::default(),
                REASON,
                |b| booking_organisation_reference(b, ABSOLUTE_ORG_REFERENCE),
                unchanged,
            )
            .await?;
            outcome::error(&reply, None, Some("INVALID_RESOURCE"))
        },
    );
    cases.scenario(
        "Cancel appointment with participants with absolute references",
        |ctx| async move {
            refused(
                &ctx,
                REASON,
                |b| b["participant"] = absolute_participants(),
                "INVALID_RESOURCE",
            )
            .await
            .map(|_| ())
        },
    );
    type Service = fn(&Value) -> Check;
    let service_rows: [(&'static str, bool, Service); 3] = [
        ("Successfully Cancel an appointment and ensure serviceCategory is returned", false, appointment::service_category),
        ("Successfully Cancel an appointment and ensure serviceType is returned", false, appointment::service_type),
        ("Successfully Cancel an appointment backwards compatibility test do not send serviceCategory and serviceType", true, |_| Ok(())),
    ];
    for (scenario, strip, check) in service_rows {
        cases.scenario(scenario, move |ctx| async move {
            let reason = "Test-Cancel-Reason";
            let booking = Booking {
                service: ServiceText::FromSlot,
                ..day_two()
            };
            let (reply, booked) = cancel(
                &ctx,
                booking,
                reason,
                |b| {
                    if strip {
                        if let Some(object) = b.as_object_mut() {
                            object.remove("serviceCategory");
                            object.remove("serviceType");
                        }
                    }
                },
                unchanged,
            )
            .await?;
            let resource = cancelled(&ctx, &reply, Format::Json, reason)?;
            appointment::same_as_booked(&resource, &booked.appointment, reason)?;
            check(&resource)
        });
    }
    cases
}
