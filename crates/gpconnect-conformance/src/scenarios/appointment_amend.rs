//! AppointmentAmend.feature (ATS 2.3, SPEC 3.13). The body is the appointment as the booking
//! returned it, with the change applied.

use gpconnect_domain::Interaction;
use gpconnect_fhir::Format;
use serde_json::{json, Value};

use super::appointment_book::{booking_organisation_reference, full_set, ABSOLUTE_ORG_REFERENCE};
use super::appointment_read::{book_and_read, day_two};
use super::{capability_lists, label, Negotiation, FORMATS};
use crate::check::appointment;
use crate::check::elements::{array, CANCELLATION_REASON};
use crate::check::{headers, outcome};
use crate::context::{Booked, Booking, Ctx, ServiceText};
use crate::request::Call;
use crate::response::Reply;
use crate::runner::Cases;
use crate::verdict::{ensure, Check};
use crate::Feature;

/// Participants with absolute references (ATS AppointmentAmend 19, AppointmentCancel 24).
pub(crate) fn absolute_participants() -> Value {
    let base = "https://test1.supplier.thirdparty.nhs.uk/A11111/STU3/1/GPConnect";
    Value::Array(
        ["Location", "Practitioner", "Patient"]
            .iter()
            .map(|t| json!({ "actor": { "reference": format!("{base}/{t}/2") }, "status": "accepted" }))
            .collect(),
    )
}

/// `PUT Appointment/{id}` with the update interaction and `body`.
fn amend_call(ctx: &Ctx, booked: &Booked, body: &Value) -> Call {
    ctx.call(
        Interaction::AmendAppointment,
        format!("Appointment/{}", booked.id),
    )
    .json(body)
}

/// Books, applies `edit` to the booked appointment and sends it as an amendment, through
/// `finish` (which may negotiate or add headers).
async fn amend(
    ctx: &Ctx,
    booking: Booking,
    edit: impl FnOnce(&mut Value),
    finish: impl FnOnce(Call, &Booked) -> Call,
) -> Check<(Reply, Booked)> {
    let booked = ctx.book(&booking).await?;
    let mut body = booked.appointment.clone();
    edit(&mut body);
    let call = finish(amend_call(ctx, &booked, &body), &booked);
    Ok((ctx.send(call).await?, booked))
}

/// A 200 amended Appointment in `format`, passing the Appointment checks.
fn amended(ctx: &Ctx, reply: &Reply, format: Format) -> Check<Value> {
    reply.status(200)?;
    reply.expect_format(format)?;
    let resource = reply.resource_of("Appointment")?;
    appointment::appointment(&resource, ctx.today())?;
    Ok(resource)
}

fn description_is(resource: &Value, expected: &str) -> Check {
    ensure!(
        resource["description"] == expected,
        "description is {}, expected {expected}",
        resource["description"]
    );
    Ok(())
}

fn set_description(body: &mut Value) {
    body["description"] = json!("customDescription");
}

fn unchanged(call: Call, _: &Booked) -> Call {
    call
}

/// Amends the description of a default booking and requires `status` with `code`.
async fn refused(ctx: &Ctx, edit: impl FnOnce(&mut Value), code: &str) -> Check<Reply> {
    let (reply, _) = amend(ctx, Booking::default(), edit, unchanged).await?;
    outcome::error(&reply, Some(422), Some(code))?;
    Ok(reply)
}

pub(crate) fn cases() -> Cases {
    let mut cases = Cases::new(Feature::AppointmentAmend);
    for key in ["patient1", "patient2", "patient3"] {
        cases.row(
            "I perform a successful amend appointment and change the description in the future",
            key,
            move |ctx| async move {
                let (reply, _) =
                    amend(&ctx, Booking::for_patient(key), set_description, unchanged).await?;
                let resource = amended(&ctx, &reply, Format::Json)?;
                description_is(&resource, "customDescription")
            },
        );
    }
    cases.row(
        "I perform a successful amend appointment with Extensions",
        "read",
        |ctx| async move {
            let (_, resource) = book_and_read(&ctx, Booking::default()).await?;
            appointment::provider_extensions(&resource)
        },
    );
    cases.scenario(
        "Amend appointment and update element which cannot be updated",
        |ctx| async move {
            let (reply, _) = amend(
                &ctx,
                Booking::default(),
                |b| b["priority"] = json!(1),
                unchanged,
            )
            .await?;
            outcome::error(&reply, None, Some("INVALID_RESOURCE"))
        },
    );
    for format in FORMATS {
        cases.row(
            "Amend appointment and send _format parameter",
            label(format),
            move |ctx| async move {
                let (reply, _) = amend(&ctx, Booking::default(), set_description, |c, _| {
                    Negotiation::format(format).apply(c)
                })
                .await?;
                description_is(&amended(&ctx, &reply, format)?, "customDescription")
            },
        );
    }
    for format in FORMATS {
        cases.row(
            "Amend appointment and send accept header",
            label(format),
            move |ctx| async move {
                let (reply, _) = amend(&ctx, Booking::default(), set_description, |c, _| {
                    Negotiation::accept(format).apply(c)
                })
                .await?;
                description_is(&amended(&ctx, &reply, format)?, "customDescription")
            },
        );
    }
    for negotiation in Negotiation::pairs() {
        cases.row(
            "Amend appointment and send _format parameter and accept header",
            negotiation.label(),
            move |ctx| async move {
                let (reply, _) = amend(
                    &ctx,
                    Booking::default(),
                    |_| {},
                    |c, _| negotiation.apply(c),
                )
                .await?;
                amended(&ctx, &reply, negotiation.expected()).map(|_| ())
            },
        );
    }
    cases.scenario(
        "Amend appointment prefer header set to representation",
        |ctx| async move {
            let (reply, _) = amend(
                &ctx,
                Booking::default(),
                |b| b["comment"] = json!("customComment"),
                |c, _| c.prefer("representation"),
            )
            .await?;
            amended(&ctx, &reply, Format::Json)?;
            headers::has_representation(&reply)
        },
    );
    cases.scenario(
        "Amend appointment prefer header set to minimal",
        |ctx| async move {
            let (reply, _) =
                amend(&ctx, Booking::default(), |_| {}, |c, _| c.prefer("minimal")).await?;
            reply.status(200)?;
            headers::empty_body(&reply)
        },
    );
    cases.scenario(
        "Amend appointment with invalid if-match header",
        |ctx| async move {
            let (reply, _) = amend(&ctx, Booking::default(), set_description, |c, _| {
                c.if_match("invalidEtag")
            })
            .await?;
            reply.status(409)
        },
    );
    cases.scenario(
        "Amend appointment set etag and check etag is the same as the returned resource",
        |ctx| async move {
            let (reply, _) = amend(&ctx, Booking::default(), set_description, |c, booked| {
                c.if_match(&booked.version)
            })
            .await?;
            description_is(&amended(&ctx, &reply, Format::Json)?, "customDescription")
        },
    );
    cases.scenario(
        "Amend appointment send an invalid bundle resource",
        |ctx| async move {
            refused(
                &ctx,
                |b| b["resourceType"] = json!("InvalidResourceType"),
                "INVALID_RESOURCE",
            )
            .await
            .map(|_| ())
        },
    );
    cases.scenario(
        "Amend appointment send an invalid appointment resource",
        |ctx| async move {
            refused(&ctx, |b| b["status"] = json!("noshow"), "INVALID_RESOURCE")
                .await
                .map(|_| ())
        },
    );
    cases.scenario(
        "CapabilityStatement profile supports the amend appointment operation",
        |ctx| async move { capability_lists(&ctx, "Appointment").await },
    );
    cases.scenario(
        "Amend appointment valid response check caching headers exist",
        |ctx| async move {
            let (reply, _) = amend(&ctx, Booking::default(), set_description, unchanged).await?;
            amended(&ctx, &reply, Format::Json)?;
            headers::no_store(&reply)
        },
    );
    cases.scenario(
        "Amend appointment invalid response check caching headers exist",
        |ctx| async move {
            let reply =
                refused(&ctx, |b| b["status"] = json!("noshow"), "INVALID_RESOURCE").await?;
            headers::no_store(&reply)
        },
    );
    cases.scenario(
        "Amend appointment and update cancellation reason",
        |ctx| async move {
            let (reply, _) = amend(
                &ctx,
                Booking::default(),
                |b| {
                    let mut extensions = array(&b["extension"]).to_vec();
                    extensions
                        .push(json!({ "url": CANCELLATION_REASON, "valueString": "Not required" }));
                    b["extension"] = Value::Array(extensions);
                },
                unchanged,
            )
            .await?;
            outcome::error(&reply, None, Some("INVALID_RESOURCE"))
        },
    );
    cases.scenario(
        "Amend appointment making a request with Comment and Description",
        |ctx| async move {
            let (reply, _) = amend(
                &ctx,
                Booking::default(),
                |b| {
                    set_description(b);
                    b["comment"] = json!("customComment");
                },
                unchanged,
            )
            .await?;
            description_is(&amended(&ctx, &reply, Format::Json)?, "customDescription")
        },
    );
    cases.scenario(
        "Amend appointment and update to absolute reference",
        |ctx| async move {
            refused(
                &ctx,
                |b| booking_organisation_reference(b, ABSOLUTE_ORG_REFERENCE),
                "INVALID_RESOURCE",
            )
            .await
            .map(|_| ())
        },
    );
    cases.scenario(
        "Amend appointment with participants with absolute references",
        |ctx| async move {
            let (reply, _) = amend(
                &ctx,
                Booking::default(),
                |b| {
                    *b = crate::context::cancel_body(b, "Double booked");
                    b["participant"] = absolute_participants();
                },
                |c, _| c.interaction_id(Interaction::CancelAppointment.id()),
            )
            .await?;
            outcome::error(&reply, Some(422), Some("INVALID_RESOURCE"))
        },
    );
    let service_rows: [(&'static str, bool); 2] = [
        ("Successfully amend an appointment with ServiceCategory and serviceType in request and ensure provider ignores them", false),
        ("Successfully amend an appointment backwards compatibility test do not send ServiceCategory And serviceType", true),
    ];
    for (scenario, strip) in service_rows {
        cases.scenario(scenario, move |ctx| async move {
            let booking = Booking {
                service: ServiceText::FromSlot,
                ..day_two()
            };
            let (reply, _) = amend(
                &ctx,
                booking,
                |b| {
                    b["description"] = json!("TestChangedDescription");
                    b["comment"] = json!("TestChangedComment");
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
            let resource = amended(&ctx, &reply, Format::Json)?;
            full_set(&ctx, &resource).await?;
            description_is(&resource, "TestChangedDescription")?;
            ensure!(
                resource["comment"] == "TestChangedComment",
                "comment is {}, expected TestChangedComment",
                resource["comment"]
            );
            Ok(())
        });
    }
    cases
}
