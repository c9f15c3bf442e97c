//! AppointmentBook.feature (ATS 2.3, SPEC 3.11).

use gpconnect_domain::Interaction;
use gpconnect_fhir::Format;
use serde_json::{json, Value};

use super::{capability_lists, label, Negotiation, FORMATS};
use crate::check::appointment;
use crate::check::elements::{array, has, text, BOOKING_ORGANISATION};
use crate::check::{headers, outcome};
use crate::context::{created_appointment, Booking, Ctx, Prepared, ServiceText};
use crate::response::Reply;
use crate::runner::Cases;
use crate::verdict::{ensure, Check};
use crate::Feature;

/// A change to a booking body.
type Edit = fn(&mut Value);

/// An absolute reference the provider must refuse (ATS AppointmentBook 38, SPEC 1).
pub(crate) const ABSOLUTE_ORG_REFERENCE: &str =
    "https://test1.supplier.thirdparty.nhs.uk/A11111/STU3/1/GPConnect/#1";

/// The checks of a created appointment the suite calls the "full set": the Appointment checks
/// and every participant readable (ATS AppointmentBook).
pub(crate) async fn full_set(ctx: &Ctx, booked: &Value) -> Check {
    appointment::appointment(booked, ctx.today())?;
    appointment::participants_resolve(ctx, booked).await
}

/// Prepares the booking, applies `edit` to the body and sends it.
async fn book_with(
    ctx: &Ctx,
    booking: Booking,
    edit: impl FnOnce(&mut Value),
) -> Check<(Reply, Prepared)> {
    let mut prepared = ctx.prepare_booking(&booking).await?;
    edit(&mut prepared.body);
    let reply = ctx.send(ctx.book_call(&prepared)).await?;
    Ok((reply, prepared))
}

/// Books the default body with `edit` applied and requires 201 with a valid Appointment.
async fn booked(ctx: &Ctx, booking: Booking, edit: impl FnOnce(&mut Value)) -> Check<Value> {
    let (reply, _) = book_with(ctx, booking, edit).await?;
    let created = created_appointment(&reply)?;
    appointment::appointment(&created, ctx.today())?;
    Ok(created)
}

/// Books with `edit` applied and requires 422 INVALID_RESOURCE.
async fn refused(ctx: &Ctx, edit: impl FnOnce(&mut Value)) -> Check {
    let (reply, _) = book_with(ctx, Booking::default(), edit).await?;
    outcome::error(&reply, Some(422), Some("INVALID_RESOURCE"))
}

fn remove(resource: &mut Value, name: &str) {
    if let Some(object) = resource.as_object_mut() {
        object.remove(name);
    }
}

/// Keeps only the participants whose actor reference does not start with `prefix`.
fn drop_participants(body: &mut Value, prefix: &str) {
    let kept: Vec<Value> = array(&body["participant"])
        .iter()
        .filter(|p| !text(&p["actor"]["reference"]).is_some_and(|r| r.starts_with(prefix)))
        .cloned()
        .collect();
    body["participant"] = Value::Array(kept);
}

/// Points the booking organisation extension at `reference`.
pub(crate) fn booking_organisation_reference(body: &mut Value, reference: &str) {
    let extensions: Vec<Value> = array(&body["extension"])
        .iter()
        .map(|e| {
            let mut e = e.clone();
            if e["url"] == BOOKING_ORGANISATION {
                e["valueReference"]["reference"] = json!(reference);
            }
            e
        })
        .collect();
    body["extension"] = Value::Array(extensions);
}

pub(crate) fn cases() -> Cases {
    let mut cases = Cases::new(Feature::AppointmentBook);
    cases.scenario("Book single appointment for patient", |ctx| async move {
        booked(&ctx, Booking::default(), |_| {}).await.map(|_| ())
    });
    for org_type in [false, true] {
        for channel in [false, true] {
            for role in [false, true] {
                cases.row(
                    "Book Appointment with optional elements",
                    format!("OrgType={org_type} DeliveryChannel={channel} PracRole={role}"),
                    move |ctx| async move {
                        let booking = Booking {
                            org_type,
                            delivery_channel: channel,
                            practitioner_role: role,
                            ..Booking::default()
                        };
                        let created = booked(&ctx, booking, |_| {}).await?;
                        ensure!(
                            !has(&created, "specialty") && !has(&created, "reason"),
                            "the Appointment carries specialty or reason"
                        );
                        Ok(())
                    },
                );
            }
        }
    }
    cases.row(
        "Book Appointment with Extensions",
        "OrgType=true DeliveryChannel=true PracRole=true",
        |ctx| async move {
            let booking = Booking {
                delivery_channel: true,
                practitioner_role: true,
                ..Booking::default()
            };
            let created = booked(&ctx, booking, |_| {}).await?;
            appointment::provider_extensions(&created)
        },
    );
    cases.scenario(
        "Book Appointment without organisation type",
        |ctx| async move {
            let booking = Booking {
                org_type: false,
                ..Booking::default()
            };
            booked(&ctx, booking, |_| {}).await.map(|_| ())
        },
    );
    cases.row(
        "Book appointment with invalid url for booking",
        "appointmentqq/!",
        |ctx| async move {
            let prepared = ctx.prepare_booking(&Booking::default()).await?;
            let call = ctx
                .call(Interaction::BookAppointment, "appointmentqq/!")
                .json(&prepared.body);
            outcome::error(&ctx.send(call).await?, None, None)
        },
    );
    for negotiation in Negotiation::pairs() {
        cases.row(
            "Book Appointment accept header and _format parameter",
            negotiation.label(),
            move |ctx| async move {
                let reply = negotiated(&ctx, negotiation).await?;
                reply.expect_format(negotiation.expected())?;
                full_set(&ctx, &created_appointment(&reply)?).await
            },
        );
    }
    for content_type in FORMATS {
        for format in FORMATS {
            let negotiation = Negotiation {
                content_type: Some(content_type),
                accept: None,
                format: Some(format),
            };
            cases.row(
                "Book Appointment _format parameter only but varying request content types",
                negotiation.label(),
                move |ctx| async move {
                    let reply = negotiated(&ctx, negotiation).await?;
                    reply.expect_format(negotiation.expected())?;
                    appointment::appointment(&created_appointment(&reply)?, ctx.today())
                },
            );
        }
    }
    for format in FORMATS {
        cases.row(
            "Book Appointment accept header variations",
            label(format),
            move |ctx| async move {
                let reply = negotiated(&ctx, Negotiation::accept(format)).await?;
                reply.expect_format(format)?;
                appointment::appointment(&created_appointment(&reply)?, ctx.today())
            },
        );
    }
    cases.scenario(
        "Book appointment prefer header set to representation",
        |ctx| async move {
            let prepared = ctx.prepare_booking(&Booking::default()).await?;
            let reply = ctx
                .send(ctx.book_call(&prepared).prefer("representation"))
                .await?;
            created_appointment(&reply)?;
            reply.expect_format(Format::Json)?;
            headers::has_representation(&reply)
        },
    );
    cases.scenario(
        "Book appointment prefer header set to minimal",
        |ctx| async move {
            let prepared = ctx.prepare_booking(&Booking::default()).await?;
            let reply = ctx.send(ctx.book_call(&prepared).prefer("minimal")).await?;
            reply.status(201)?;
            headers::empty_body(&reply)
        },
    );
    cases.scenario(
        "Book appointment and appointment participant is valid",
        |ctx| async move {
            let created = booked(&ctx, Booking::default(), |_| {}).await?;
            appointment::participants_resolve(&ctx, &created).await
        },
    );
    cases.scenario(
        "Book appointment without practitioner participant",
        |ctx| async move {
            booked(&ctx, Booking::default(), |b| {
                drop_participants(b, "Practitioner/")
            })
            .await
            .map(|_| ())
        },
    );
    for (row, prefix) in [("Patient", "Patient/"), ("Location", "Location/")] {
        cases.row(
            "Book appointment and remove manadatory resources from the created appointment",
            row,
            move |ctx| async move { refused(&ctx, |b| drop_participants(b, prefix)).await },
        );
    }
    cases.scenario(
        "Book appointment and remove all participants",
        |ctx| async move { refused(&ctx, |b| b["participant"] = json!([])).await },
    );
    cases.scenario(
        "Book appointment and send an extra fields in the resource",
        |ctx| async move {
            let (reply, _) = book_with(&ctx, Booking::default(), |b| {
                b["invalidField"] = json!("Assurance Testing")
            })
            .await?;
            reply.expect_format(Format::Json)?;
            outcome::error(&reply, Some(422), Some("INVALID_RESOURCE"))
        },
    );
    for reference in [
        "Slot/45555g55555",
        "Slot/45555555##",
        "Slot/hello",
        "https://test1.supplier.thirdparty.nhs.uk/A11111/STU3/1/GPConnect/Slot/#12345",
    ] {
        cases.row(
            "Book appointment with invalid slot reference",
            reference,
            move |ctx| async move {
                refused(&ctx, |b| b["slot"] = json!([{ "reference": reference }])).await
            },
        );
    }
    cases.scenario(
        "Book appointment and check the location reference is valid",
        |ctx| async move {
            let created = booked(&ctx, Booking::default(), |_| {}).await?;
            let location = array(&created["participant"])
                .iter()
                .filter_map(|p| text(&p["actor"]["reference"]))
                .find(|r| r.starts_with("Location/"))
                .unwrap_or_default()
                .to_owned();
            ctx.resolve(&location).await.map(|_| ())
        },
    );
    for element in ["start", "end", "status", "slot"] {
        let scenario = match element {
            "start" => "Book appointment with missing start element in appointment resource",
            "end" => "Book appointment with missing end element in appointment resource",
            "status" => "Book appointment with missing status element in appointment resource",
            _ => "Book appointment with missing slot element in appointment resource",
        };
        cases.scenario(scenario, move |ctx| async move {
            refused(&ctx, |b| remove(b, element)).await
        });
    }
    cases.scenario("Book appointment and remove identifier value from the appointment", |ctx| async move {
        refused(&ctx, |b| {
            b["identifier"] = json!([{ "system": "https://fhir.nhs.uk/Id/gpconnect-appointment-identifier" }])
        })
        .await
    });
    cases.scenario(
        "Book appointment and remove participant status from the appointment",
        |ctx| async move {
            let (reply, _) = book_with(&ctx, Booking::default(), |b| {
                let participants: Vec<Value> = array(&b["participant"])
                    .iter()
                    .map(|p| {
                        let mut p = p.clone();
                        remove(&mut p, "status");
                        p
                    })
                    .collect();
                b["participant"] = Value::Array(participants);
            })
            .await?;
            reply.not_ok()?;
            reply.expect_format(Format::Json)?;
            outcome::error(&reply, None, Some("INVALID_RESOURCE"))
        },
    );
    cases.scenario("Book appointment with invalid bundle resource", |ctx| async move {
        refused(&ctx, |b| b["resourceType"] = json!("InvalidResourceType")).await
    });
    cases.scenario(
        "Book appointment and send an invalid appointment resource",
        |ctx| async move { refused(&ctx, |b| *b = json!({ "resourceType": "Appointment" })).await },
    );
    cases.scenario(
        "CapabilityStatement profile supports the book appointment operation",
        |ctx| async move { capability_lists(&ctx, "Appointment").await },
    );
    cases.scenario(
        "Book appointment valid response check caching headers exist",
        |ctx| async move {
            let (reply, _) = book_with(&ctx, Booking::default(), |_| {}).await?;
            created_appointment(&reply)?;
            headers::no_store(&reply)
        },
    );
    cases.scenario(
        "Book appointment invalid response check caching headers exist",
        |ctx| async move {
            let (reply, _) = book_with(&ctx, Booking::default(), |b| remove(b, "slot")).await?;
            outcome::error(&reply, Some(422), Some("INVALID_RESOURCE"))?;
            headers::no_store(&reply)
        },
    );
    let organisation_edits: [(&'static str, Edit); 2] = [
        (
            "Book appointment with name removed from booking organization",
            |b| remove(&mut b["contained"][0], "name"),
        ),
        (
            "Book appointment with telecom removed from booking organization",
            |b| remove(&mut b["contained"][0], "telecom"),
        ),
    ];
    for (scenario, edit) in organisation_edits {
        cases.scenario(
            scenario,
            move |ctx| async move { refused(&ctx, edit).await },
        );
    }
    cases.scenario(
        "Book Appointment and check the response contains a description",
        |ctx| async move {
            let created = booked(&ctx, Booking::default(), |b| {
                b["description"] = json!("customDescription")
            })
            .await?;
            ensure!(
                text(&created["description"]).is_some_and(|d| d.contains("customDescription")),
                "description is {}, expected customDescription",
                created["description"]
            );
            ensure!(
                !has(&created, "comment"),
                "the Appointment carries a comment"
            );
            Ok(())
        },
    );
    cases.scenario("Book appointment for patient and send extra fields in the resource re-using an already booked slot", |ctx| async move {
        let first = ctx.prepare_booking(&Booking::for_patient("patient1")).await?;
        let reply = ctx.send(ctx.book_call(&first)).await?;
        created_appointment(&reply).map_err(|f| f.context("setup: first booking"))?;
        let patient2 = ctx.patient_id("patient2").await?;
        let mut second = first.clone();
        for participant in second.body["participant"].as_array_mut().into_iter().flatten() {
            if text(&participant["actor"]["reference"]).is_some_and(|r| r.starts_with("Patient/")) {
                participant["actor"]["reference"] = json!(format!("Patient/{patient2}"));
            }
        }
        let reply = ctx.send(ctx.book_call(&second)).await?;
        reply.expect_format(Format::Json)?;
        outcome::error(&reply, Some(409), Some("DUPLICATE_REJECTED"))
    });
    cases.scenario(
        "Book appointment and send a reason in the appointment",
        |ctx| async move {
            refused(&ctx, |b| {
                b["reason"] = json!([{ "coding": [{
                    "system": "http://snomed.info/sct", "code": "17436001", "display": "Sprain"
                }]}])
            })
            .await
        },
    );
    cases.scenario("Book appointment with a typeCode in the appointment resource", |ctx| async move {
        refused(&ctx, |b| {
            b["specialty"] = json!({ "coding": [{
                "system": "http://snomed.info/sct", "code": "394802001", "display": "General medicine"
            }]})
        })
        .await
    });
    cases.scenario(
        "Book Appointment and check the response contains a description and comment",
        |ctx| async move {
            let created = booked(&ctx, Booking::default(), |b| {
                b["description"] = json!("customDescription");
                b["comment"] = json!("CustomComment");
            })
            .await?;
            ensure!(
                text(&created["description"]).is_some_and(|d| d.contains("customDescription")),
                "description is {}, expected customDescription",
                created["description"]
            );
            ensure!(
                created["comment"] == "CustomComment",
                "comment is {}, expected CustomComment",
                created["comment"]
            );
            Ok(())
        },
    );
    cases.scenario("Book Appointment with a comment", |ctx| async move {
        let created = booked(&ctx, Booking::default(), |b| {
            b["comment"] = json!("CustomComment")
        })
        .await?;
        ensure!(
            created["comment"] == "CustomComment",
            "comment is {}, expected CustomComment",
            created["comment"]
        );
        Ok(())
    });
    cases.scenario("Book Appointment without a comment", |ctx| async move {
        let created = booked(&ctx, Booking::default(), |_| {}).await?;
        ensure!(
            !has(&created, "comment"),
            "the Appointment carries a comment"
        );
        Ok(())
    });
    cases.scenario(
        "Book Appointment with invalid reference for the booking organisation",
        |ctx| async move {
            refused(&ctx, |b| {
                booking_organisation_reference(b, ABSOLUTE_ORG_REFERENCE)
            })
            .await
        },
    );
    type Service = fn(&Value) -> Check;
    let service_rows: [(&'static str, ServiceText, Service); 5] = [
        (
            "Book Appointment expecting servicecategory is populated",
            ServiceText::FromSlot,
            appointment::service_category,
        ),
        (
            "Book Appointment expecting serviceType is populated",
            ServiceText::FromSlot,
            appointment::service_type,
        ),
        (
            "Book Appointment servicecategory in response when servicecategory in request but ignored",
            ServiceText::Custom("Test-ServiceCategory", "Test-ServiceType"),
            appointment::service_category,
        ),
        (
            "Book Appointment serviceType in response when serviceType in request but ignored",
            ServiceText::Custom("Test-ServiceCategory", "Test-ServiceType"),
            appointment::service_type,
        ),
        (
            "Book Appointment backwards compatibility do not send ServiceCategory And serviceType",
            ServiceText::Omitted,
            |_| Ok(()),
        ),
    ];
    for (scenario, service, check) in service_rows {
        cases.scenario(scenario, move |ctx| async move {
            let booking = Booking {
                patient: Some("patient1".to_owned()),
                day_two: true,
                service,
                jwt_ods: Some(ctx.fixture.organisation.ods_code.clone()),
                ..Booking::default()
            };
            let created = booked(&ctx, booking, |_| {}).await?;
            full_set(&ctx, &created).await?;
            check(&created)
        });
    }
    cases
}

/// Books the default body negotiating with `negotiation` (the body in the Content-Type's
/// format).
async fn negotiated(ctx: &Ctx, negotiation: Negotiation) -> Check<Reply> {
    let prepared = ctx.prepare_booking(&Booking::default()).await?;
    ctx.send(negotiation.apply(ctx.book_call(&prepared))).await
}
