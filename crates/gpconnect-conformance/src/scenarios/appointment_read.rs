//! AppointmentRead.feature (ATS 2.3, SPEC 3.12).

use gpconnect_domain::Interaction;
use gpconnect_fhir::Format;
use serde_json::Value;

use super::{capability_lists, label, Negotiation, FORMATS};
use crate::check::appointment;
use crate::check::elements::{array, has, ODS_CODE_SYSTEM};
use crate::check::{headers, outcome};
use crate::context::{Booked, Booking, Ctx, ServiceText};
use crate::response::Reply;
use crate::runner::Cases;
use crate::verdict::{ensure, Check};
use crate::Feature;

/// Reads appointment `id`, negotiating with `negotiation` when given.
pub(crate) async fn read(ctx: &Ctx, id: &str, negotiation: Option<Negotiation>) -> Check<Reply> {
    let mut call = ctx.call(Interaction::ReadAppointment, format!("Appointment/{id}"));
    if let Some(negotiation) = negotiation {
        call = negotiation.apply(call);
    }
    ctx.send(call).await
}

/// A 200 Appointment with `id` in `format`, passing the Appointment checks.
pub(crate) fn the_appointment(ctx: &Ctx, reply: &Reply, id: &str, format: Format) -> Check<Value> {
    reply.status(200)?;
    reply.expect_format(format)?;
    let resource = reply.resource_of("Appointment")?;
    ensure!(
        resource["id"] == id,
        "the Appointment's id is {}, expected {id}",
        resource["id"]
    );
    appointment::appointment(&resource, ctx.today())?;
    Ok(resource)
}

/// Books with `booking` and reads the appointment back.
pub(crate) async fn book_and_read(ctx: &Ctx, booking: Booking) -> Check<(Booked, Value)> {
    let booked = ctx.book(&booking).await?;
    let reply = read(ctx, &booked.id, None).await?;
    let resource = the_appointment(ctx, &reply, &booked.id, Format::Json)?;
    Ok((booked, resource))
}

/// The "in 2 days" booking of the 1.2.7 service text scenarios.
pub(crate) fn day_two() -> Booking {
    Booking {
        patient: Some("patient1".to_owned()),
        day_two: true,
        service: ServiceText::FromSlot,
        ..Booking::default()
    }
}

pub(crate) fn cases() -> Cases {
    let mut cases = Cases::new(Feature::AppointmentRead);
    for key in ["patient1", "patient2", "patient3"] {
        cases.row(
            "I perform a successful Read appointment",
            key,
            move |ctx| async move {
                let (_, resource) = book_and_read(&ctx, Booking::for_patient(key)).await?;
                ensure!(
                    !has(&resource, "specialty") && !has(&resource, "reason"),
                    "the Appointment carries specialty or reason"
                );
                Ok(())
            },
        );
    }
    cases.row(
        "Read appointment with Extensions",
        "provider populated",
        |ctx| async move {
            let (_, resource) = book_and_read(&ctx, Booking::default()).await?;
            appointment::provider_extensions(&resource)
        },
    );
    cases.scenario(
        "Read appointment with JWT Org Different",
        |ctx| async move {
            let booking = Booking {
                jwt_ods: Some(ctx.fixture.organisation.other_ods_code.clone()),
                ..Booking::default()
            };
            let (_, resource) = book_and_read(&ctx, booking).await?;
            let expected = ctx.fixture.organisation.ods_code.clone();
            let organisation = array(&resource["contained"])
                .iter()
                .find(|c| c["resourceType"] == "Organization")
                .cloned()
                .unwrap_or(Value::Null);
            ensure!(
            organisation["identifier"][0]["system"] == ODS_CODE_SYSTEM
                && organisation["identifier"][0]["value"] == expected.as_str(),
            "the booking organisation's ODS code is {}, expected {expected} as sent in the body",
            organisation["identifier"][0]["value"]
        );
            Ok(())
        },
    );
    for path in [
        "Appointment/Invalid4321",
        "Appointment/8888888888",
        "Appointment/",
    ] {
        cases.row(
            "Read appointment invalid appointment id",
            path,
            move |ctx| async move {
                let reply = ctx
                    .send(ctx.call(Interaction::ReadAppointment, path))
                    .await?;
                reply.status(404)?;
                reply.expect_format(Format::Json)?;
                outcome::error(&reply, Some(404), None)
            },
        );
    }
    for format in FORMATS {
        cases.row(
            "Read appointment _format parameter only",
            label(format),
            move |ctx| async move {
                negotiated(&ctx, Negotiation::format(format))
                    .await
                    .map(|_| ())
            },
        );
    }
    for negotiation in Negotiation::pairs() {
        cases.row(
            "Read appointment _format parameter and accept header",
            negotiation.label(),
            move |ctx| async move { negotiated(&ctx, negotiation).await.map(|_| ()) },
        );
    }
    for format in FORMATS {
        cases.row(
            "Read appointment ensure response appointments contain the mandatory elements",
            label(format),
            move |ctx| async move {
                let booked = ctx.book(&Booking::default()).await?;
                let reply = read(&ctx, &booked.id, Some(Negotiation::accept(format))).await?;
                let resource = the_appointment(&ctx, &reply, &booked.id, format)?;
                appointment::participants_resolve(&ctx, &resource).await?;
                appointment::booking_organisations(&resource)?;
                headers::etag(&reply, &resource)
            },
        );
    }
    cases.scenario(
        "Read appointment valid response check caching headers exist",
        |ctx| async move {
            let booked = ctx.book(&Booking::default()).await?;
            let reply = read(&ctx, &booked.id, None).await?;
            the_appointment(&ctx, &reply, &booked.id, Format::Json)?;
            headers::no_store(&reply)
        },
    );
    cases.scenario(
        "Read appointment invalid response check caching headers exist",
        |ctx| async move {
            let reply = read(&ctx, "555555", None).await?;
            reply.expect_format(Format::Json)?;
            outcome::error(&reply, Some(404), None)?;
            headers::no_store(&reply)
        },
    );
    cases.scenario(
        "CapabilityStatement profile supports the read appointment operation",
        |ctx| async move { capability_lists(&ctx, "Appointment").await },
    );
    type Service = fn(&Value) -> Check;
    let services: [(&'static str, Service); 2] = [
        (
            "Read a patients appointments expecting servicecategory is populated",
            appointment::service_category,
        ),
        (
            "Read a patients appointments expecting serviceType is populated",
            appointment::service_type,
        ),
    ];
    for (scenario, check) in services {
        cases.row(scenario, "in 2 days", move |ctx| async move {
            let (_, resource) = book_and_read(&ctx, day_two()).await?;
            appointment::provider_extensions(&resource)?;
            check(&resource)
        });
    }
    cases
}

/// Books, then reads with `negotiation`: the format and the Appointment checks.
async fn negotiated(ctx: &Ctx, negotiation: Negotiation) -> Check<Value> {
    let booked = ctx.book(&Booking::default()).await?;
    let reply = read(ctx, &booked.id, Some(negotiation)).await?;
    the_appointment(ctx, &reply, &booked.id, negotiation.expected())
}
