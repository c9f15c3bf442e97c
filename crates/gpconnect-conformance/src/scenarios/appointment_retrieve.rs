//! AppointmentRetrieve.feature (ATS 2.3, SPEC 3.15).

use gpconnect_domain::Interaction;
use gpconnect_fhir::Format;
use serde_json::Value;

use super::appointment_read::{book_and_read, day_two};
use super::{capability_lists, label, Negotiation, FORMATS};
use crate::check::appointment;
use crate::check::elements::{entries, searchset};
use crate::check::{headers, outcome};
use crate::context::{Booking, Ctx};
use crate::request::Call;
use crate::response::Reply;
use crate::runner::Cases;
use crate::verdict::{ensure, Check};
use crate::Feature;

/// `GET Patient/{id}/Appointment?{query}`, the query appended as written (ATS 1.3).
fn retrieve(ctx: &Ctx, patient_id: &str, query: &str) -> Call {
    let path = if query.is_empty() {
        format!("Patient/{patient_id}/Appointment")
    } else {
        format!("Patient/{patient_id}/Appointment?{query}")
    };
    ctx.call(Interaction::SearchPatientAppointments, path)
}

/// `start=ge{today}&start=le{today + days}` with `yyyy-mm-dd` dates.
fn window(ctx: &Ctx, days: i64) -> String {
    format!("start=ge{}&start=le{}", ctx.day(0), ctx.day(days))
}

/// A 200 searchset in `format` holding only Appointments; at least `minimum` of them.
fn appointments(reply: &Reply, format: Format, minimum: usize) -> Check<Value> {
    reply.status(200)?;
    reply.expect_format(format)?;
    let bundle = reply.resource_of("Bundle")?;
    searchset(&bundle)?;
    let found = entries(&bundle, "Appointment").len();
    ensure!(
        found >= minimum,
        "the Bundle holds {found} Appointments, expected at least {minimum}"
    );
    Ok(bundle)
}

/// Books one appointment for `key` and retrieves 14 days of that patient's appointments,
/// negotiating with `negotiation` when given.
async fn booked_then_retrieved(
    ctx: &Ctx,
    key: &str,
    negotiation: Option<Negotiation>,
) -> Check<(Reply, Format)> {
    let booked = ctx.book(&Booking::for_patient(key)).await?;
    let mut call = retrieve(ctx, &booked.patient_id, &window(ctx, 14));
    if let Some(negotiation) = negotiation {
        call = negotiation.apply(call);
    }
    let format = negotiation.map_or(Format::Json, Negotiation::expected);
    Ok((ctx.send(call).await?, format))
}

/// Retrieves for patient `key` with `query` and requires 422 INVALID_PARAMETER.
async fn refused(ctx: &Ctx, key: &str, query: String) -> Check {
    let id = ctx.patient_id(key).await?;
    let reply = ctx.send(retrieve(ctx, &id, &query)).await?;
    outcome::error(&reply, Some(422), Some("INVALID_PARAMETER"))
}

/// A date in a form the retrieve interaction must refuse (ATS AppointmentRetrieve O8).
fn malformed(ctx: &Ctx, days: i64, form: &str) -> String {
    let date = ctx.day(days);
    match form {
        "yyyy" => date.strftime("%Y").to_string(),
        "yyyy-MM" => date.strftime("%Y-%m").to_string(),
        "THH:mm:ss" => format!("{date}T10:00:00"),
        "ssZ" => format!("{date}T10:00:00Z"),
        _ => date.to_string(),
    }
}

pub(crate) fn cases() -> Cases {
    let mut cases = Cases::new(Feature::AppointmentRetrieve);
    cases.scenario(
        "Retrieve the appointment for a patient with no appointments",
        |ctx| async move {
            let key = ctx.fixture.patient_roles.no_appointments.clone();
            let id = ctx.patient_id(&key).await?;
            let reply = ctx.send(retrieve(&ctx, &id, &window(&ctx, 1))).await?;
            let bundle = appointments(&reply, Format::Json, 0)?;
            ensure!(
                entries(&bundle, "Appointment").is_empty(),
                "{key} has appointments"
            );
            Ok(())
        },
    );
    cases.row(
        "Retrieve appointment with Extensions",
        "read",
        |ctx| async move {
            let (_, resource) = book_and_read(&ctx, Booking::default()).await?;
            appointment::provider_extensions(&resource)
        },
    );
    for (key, count) in [("patient4", 1usize), ("patient5", 3), ("patient6", 2)] {
        cases.row(
            "Retrieve multiple appointment retrived",
            format!("{key} {count}"),
            move |ctx| async move {
                let mut patient_id = String::new();
                for _ in 0..count {
                    patient_id = ctx.book(&Booking::for_patient(key)).await?.patient_id;
                }
                let reply = ctx
                    .send(retrieve(&ctx, &patient_id, &window(&ctx, 14)))
                    .await?;
                let bundle = appointments(&reply, Format::Json, count)?;
                for resource in entries(&bundle, "Appointment") {
                    appointment::appointment(resource, ctx.today())?;
                    appointment::participants_resolve(&ctx, resource).await?;
                }
                Ok(())
            },
        );
    }
    for id in ["null", "dd"] {
        cases.row(
            "Retrieve the appointment for a patient with an invalid patient logical id",
            id,
            move |ctx| async move {
                let reply = ctx
                    .send(retrieve(&ctx, id, "start=ge2030-03-30&start=le2030-04-30"))
                    .await?;
                reply.expect_format(Format::Json)?;
                outcome::error(&reply, Some(404), None)
            },
        );
    }
    let mut negotiations: Vec<(&'static str, Negotiation)> = Negotiation::pairs()
        .into_iter()
        .map(|n| {
            (
                "Retrieve appointments accept header and _format parameter",
                n,
            )
        })
        .collect();
    negotiations.extend(FORMATS.map(|f| {
        (
            "Retrieve appointments accept header",
            Negotiation::accept(f),
        )
    }));
    negotiations.extend(FORMATS.map(|f| {
        (
            "Retrieve appointments _format parameter only",
            Negotiation::format(f),
        )
    }));
    for (scenario, negotiation) in negotiations {
        let row = match (negotiation.accept, negotiation.format) {
            (Some(_), Some(_)) => negotiation.label(),
            (Some(f), None) | (None, Some(f)) => label(f).to_owned(),
            (None, None) => String::new(),
        };
        cases.row(scenario, row, move |ctx| async move {
            let key = ctx.existing_patient();
            let (reply, format) = booked_then_retrieved(&ctx, &key, Some(negotiation)).await?;
            appointments(&reply, format, 1).map(|_| ())
        });
    }
    let date_forms = [
        ("yyyy-MM-dd", "yyyy"),
        ("yyyy-MM-dd", "yyyy-MM"),
        ("yyyy-MM-dd", "THH:mm:ss"),
        ("yyyy-MM-dd", "ssZ"),
        ("yyyy", "yyyy-MM-dd"),
        ("yyyy-MM", "yyyy-MM-dd"),
        ("THH:mm:ss", "yyyy-MM-dd"),
        ("ssZ", "yyyy-MM-dd"),
    ];
    for (start, end) in date_forms {
        cases.row(
            "Retrieve the appointment for a patient with invalid date format",
            format!("{start},{end}"),
            move |ctx| async move {
                let query = format!(
                    "start=ge{}&start=le{}",
                    malformed(&ctx, 0, start),
                    malformed(&ctx, 14, end)
                );
                refused(&ctx, "patient4", query).await
            },
        );
    }
    let prefixes = [
        ("ge", "lt"),
        ("ge", "gt"),
        ("ge", "eq"),
        ("ge", "ge"),
        ("lt", "le"),
        ("gt", "le"),
        ("eqs", "le"),
        ("le", "le"),
        ("random123", "random123"),
    ];
    for (first, second) in prefixes {
        cases.row(
            "Retrieve the appointment for a patient with invalid date prefix",
            format!("{first},{second}"),
            move |ctx| async move {
                let query = format!("start={first}{}&start={second}{}", ctx.day(1), ctx.day(14));
                refused(&ctx, "patient5", query).await
            },
        );
    }
    for query in ["start=le2030-03-03", "start=ge2030-03-03"] {
        cases.row(
            "Retrieve the appointment for a patient with only one start parameter",
            query,
            move |ctx| async move { refused(&ctx, "patient1", query.to_owned()).await },
        );
    }
    for query in [
        "start=2010-02-03&start=2010-03-03",
        "start=2010-03-03&start=2030-03-30",
    ] {
        cases.row(
            "Retrieve the appointment for a patient with date parameters in the past",
            query,
            move |ctx| async move { refused(&ctx, "patient3", query.to_owned()).await },
        );
    }
    cases.scenario(
        "Retrieve the appointment for a patient with end date before start date",
        |ctx| async move {
            refused(
                &ctx,
                "patient1",
                "start=ge2030-03-03&start=le2030-01-01".to_owned(),
            )
            .await
        },
    );
    cases.scenario(
        "Retrieve the appointment for a patient bundle valid resources",
        |ctx| async move {
            let key = ctx.existing_patient();
            let (reply, format) = booked_then_retrieved(&ctx, &key, None).await?;
            let bundle = appointments(&reply, format, 1)?;
            for resource in entries(&bundle, "Appointment") {
                appointment::participants_resolve(&ctx, resource).await?;
            }
            Ok(())
        },
    );
    for scope in ["organization/*.write", "patient/*.write"] {
        cases.row(
            "Retrieve the appointment for a patient with JWT patient type request invalid",
            scope,
            move |ctx| async move {
                let id = ctx.patient_id("patient1").await?;
                let call = retrieve(&ctx, &id, &window(&ctx, 14)).scope(scope);
                let reply = ctx.send(call).await?;
                reply.expect_format(Format::Json)?;
                outcome::error(&reply, Some(400), Some("BAD_REQUEST"))
            },
        );
    }
    cases.scenario(
        "Retrieve the appointment for a patient sending additional valid parameters",
        |ctx| async move {
            let id = ctx.patient_id("patient5").await?;
            let call = retrieve(
                &ctx,
                &id,
                "start=ge2030-03-03&start=le2030-03-30&_sort=date",
            );
            appointments(&ctx.send(call).await?, Format::Json, 0).map(|_| ())
        },
    );
    cases.scenario(
        "CapabilityStatement profile supports the search appointment operation",
        |ctx| async move { capability_lists(&ctx, "Appointment").await },
    );
    cases.scenario(
        "Retrieve appointment valid response check caching headers exist",
        |ctx| async move {
            let id = ctx.patient_id("patient1").await?;
            let reply = ctx.send(retrieve(&ctx, &id, &window(&ctx, 1))).await?;
            appointments(&reply, Format::Json, 0)?;
            headers::no_store(&reply)
        },
    );
    cases.scenario(
        "Retrieve appointment invalid response check caching headers exist",
        |ctx| async move {
            let id = ctx.patient_id("patient1").await?;
            let call = retrieve(&ctx, &id, &window(&ctx, 14)).interaction_id(
                "urn:nhs:names:services:gpconnect:fhir:rest:search:organization-1 ",
            );
            let reply = ctx.send(call).await?;
            reply.expect_format(Format::Json)?;
            outcome::error(&reply, Some(400), Some("BAD_REQUEST"))?;
            headers::no_store(&reply)
        },
    );
    cases.scenario(
        "Retrieve appointment and check the booking organization is valid",
        |ctx| async move {
            let key = ctx.existing_patient();
            let (reply, format) = booked_then_retrieved(&ctx, &key, None).await?;
            let bundle = appointments(&reply, format, 1)?;
            for resource in entries(&bundle, "Appointment") {
                appointment::booking_organisations(resource)?;
            }
            Ok(())
        },
    );
    type Service = fn(&Value) -> Check;
    let services: [(&'static str, Service); 2] = [
        (
            "Retrieve a patients appointments expecting servicecategory is populated",
            appointment::service_category,
        ),
        (
            "Retrieve a patients appointments expecting serviceType is populated",
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
