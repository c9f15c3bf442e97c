//! PatientSearch.feature (ATS 2.2, SPEC 3.2).

use gpconnect_domain::Interaction;
use gpconnect_fhir::Format;
use serde_json::Value;

use super::{capability_lists, label, Negotiation, FORMATS};
use crate::check::elements::{count, entries, extensions, NHS_NUMBER_SYSTEM, REGISTRATION_DETAILS};
use crate::check::{headers, outcome, patient};
use crate::context::Ctx;
use crate::request::Call;
use crate::response::Reply;
use crate::runner::Cases;
use crate::verdict::{ensure, Check};
use crate::Feature;

/// `https://fhir.nhs.uk/Id/nhs-number|{NHS number of key}`.
fn token(ctx: &Ctx, key: &str) -> String {
    format!("{NHS_NUMBER_SYSTEM}|{}", ctx.fixture.nhs(key))
}

fn search(ctx: &Ctx) -> Call {
    ctx.call(Interaction::SearchPatient, "Patient")
}

/// A 200 searchset in `format` with exactly `n` Patients.
fn patients(reply: &Reply, format: Format, n: usize) -> Check<Value> {
    reply.status(200)?;
    reply.expect_format(format)?;
    let bundle = reply.resource_of("Bundle")?;
    count(&bundle, "Patient", n)?;
    Ok(bundle)
}

/// The one Patient found for `key`: id and identifiers valid.
fn found(ctx: &Ctx, reply: &Reply, key: &str, format: Format) -> Check<Value> {
    let bundle = patients(reply, format, 1)?;
    let resource = entries(&bundle, "Patient")[0].clone();
    crate::check::elements::id(&resource)?;
    patient::identifiers(&resource, ctx.fixture.nhs(key))?;
    Ok(resource)
}

/// Searches for `key` with `negotiation` applied after (or, when `before`, before) the
/// identifier.
async fn search_in(ctx: &Ctx, key: &str, negotiation: Negotiation, before: bool) -> Check {
    let call = if before {
        negotiation
            .apply(search(ctx))
            .param("identifier", token(ctx, key))
    } else {
        negotiation.apply(search(ctx).param("identifier", token(ctx, key)))
    };
    let reply = ctx.send(call).await?;
    found(ctx, &reply, key, negotiation.expected()).map(|_| ())
}

/// Searches for patient `key` with the default request.
async fn search_for(ctx: &Ctx, key: &str) -> Check<Reply> {
    ctx.send(search(ctx).param("identifier", token(ctx, key)))
        .await
}

pub(crate) fn cases() -> Cases {
    let mut cases = Cases::new(Feature::PatientSearch);
    cases.scenario(
        "Returned patients should contain a logical identifier",
        |ctx| async move {
            let reply = search_for(&ctx, "patient2").await?;
            let resource = found(&ctx, &reply, "patient2", Format::Json)?;
            patient::metadata(&resource, true)
        },
    );
    type Param = fn(&Ctx) -> Option<(&'static str, String)>;
    let invalid: [(&'static str, Param, u16, &'static str); 5] = [
        (
            "Patient search should fail if no system is supplied in the identifier parameter",
            |ctx| Some(("identifier", ctx.fixture.nhs("patient1").to_owned())),
            422,
            "INVALID_PARAMETER",
        ),
        (
            "Patient search should fail if blank system is supplied in the identifier parameter",
            |ctx| Some(("identifier", format!("|{}", ctx.fixture.nhs("patient2")))),
            422,
            "INVALID_PARAMETER",
        ),
        (
            "Patient search should fail if the identifier parameter case is incorrect",
            |ctx| Some(("Identifier", token(ctx, "patient2"))),
            400,
            "BAD_REQUEST",
        ),
        (
            "Patient search should fail if no value is sent in the identifier parameter",
            |_| Some(("identifier", format!("{NHS_NUMBER_SYSTEM}|"))),
            422,
            "INVALID_PARAMETER",
        ),
        (
            "Patient search should fail if no identifier parameter is included",
            |_| None,
            400,
            "BAD_REQUEST",
        ),
    ];
    for (scenario, param, status, code) in invalid {
        cases.scenario(scenario, move |ctx| async move {
            let mut call = search(&ctx);
            if let Some((name, value)) = param(&ctx) {
                call = call.param(name, value);
            }
            let reply = ctx.send(call).await?;
            outcome::error(&reply, Some(status), Some(code))
        });
    }
    cases.scenario(
        "Patient not found should return an empty bundle",
        |ctx| async move {
            let key = ctx.fixture.patient_roles.not_in_system.clone();
            patients(&search_for(&ctx, &key).await?, Format::Json, 0).map(|_| ())
        },
    );
    for format in FORMATS {
        cases.row(
            "Patient search should accept the accept header",
            label(format),
            move |ctx| async move {
                search_in(&ctx, "patient2", Negotiation::accept(format), false).await
            },
        );
    }
    for format in FORMATS {
        cases.row(
            "Patient search should accept the format parameter",
            label(format),
            move |ctx| async move {
                search_in(&ctx, "patient2", Negotiation::format(format), false).await
            },
        );
    }
    let rows = [
        (Format::Xml, Format::Xml),
        (Format::Json, Format::Xml),
        (Format::Json, Format::Json),
        (Format::Xml, Format::Json),
    ];
    for (accept, format) in rows {
        let negotiation = Negotiation::both(accept, format);
        cases.row(
            "Patient search should accept the format parameter after the identifier",
            negotiation.label(),
            move |ctx| async move { search_in(&ctx, "patient2", negotiation, false).await },
        );
    }
    for (accept, format) in rows {
        let negotiation = Negotiation::both(accept, format);
        cases.row(
            "Patient search should accept the format parameter before the identifier",
            negotiation.label(),
            move |ctx| async move { search_in(&ctx, "patient2", negotiation, true).await },
        );
    }
    for key in ["patient1", "patient2", "patient3"] {
        cases.row(
            "Patient resource should contain NHS number identifier returned as XML",
            key,
            move |ctx| async move {
                search_in(&ctx, key, Negotiation::accept(Format::Xml), false).await
            },
        );
    }
    for key in [
        "patient1", "patient2", "patient3", "patient4", "patient5", "patient6",
    ] {
        cases.row(
            "Patient search response conforms with the GPConnect specification",
            key,
            move |ctx| async move {
                let reply = search_for(&ctx, key).await?;
                let resource = found(&ctx, &reply, key, Format::Json)?;
                patient::conformance(&ctx, &resource, ctx.fixture.nhs(key), true).await
            },
        );
    }
    cases.scenario(
        "Patient search should not return a deceased patient",
        |ctx| async move {
            let key = ctx.fixture.patient_roles.deceased.clone();
            patients(&search_for(&ctx, &key).await?, Format::Json, 0).map(|_| ())
        },
    );
    cases.scenario(
        "CapabilityStatement profile supports the search Patient operation",
        |ctx| async move { capability_lists(&ctx, "Patient").await },
    );
    for (first, second) in [
        ("patient2", "patient2"),
        ("patient1", "patient2"),
        ("patient2", "patient1"),
    ] {
        cases.row(
            "System should error if multiple parameters are passed in the search",
            format!("{first},{second}"),
            move |ctx| async move {
                let call = search(&ctx)
                    .param("identifier", token(&ctx, first))
                    .param("identifier", token(&ctx, second));
                let reply = ctx.send(call).await?;
                outcome::error(&reply, Some(400), Some("BAD_REQUEST"))
            },
        );
    }
    cases.scenario(
        "Patient search include count and sort parameters",
        |ctx| async move {
            let call = search(&ctx)
                .param("identifier", token(&ctx, "patient2"))
                .param("_count", "1")
                .param("_sort", "status");
            patients(&ctx.send(call).await?, Format::Json, 1).map(|_| ())
        },
    );
    cases.scenario(
        "Patient search valid response check caching headers exist",
        |ctx| async move {
            let reply = search_for(&ctx, "patient2").await?;
            patients(&reply, Format::Json, 1)?;
            headers::no_store(&reply)
        },
    );
    cases.scenario(
        "Patient search invalid response check caching headers exist",
        |ctx| async move {
            let reply = ctx
                .send(search(&ctx).param("Identifier", token(&ctx, "patient2")))
                .await?;
            outcome::error(&reply, Some(400), Some("BAD_REQUEST"))?;
            headers::no_store(&reply)
        },
    );
    cases.scenario(
        "Returned patients should contain a preferred branch",
        |ctx| async move {
            let reply = search_for(&ctx, "patient2").await?;
            let resource = found(&ctx, &reply, "patient2", Format::Json)?;
            ensure!(
                extensions(&resource, REGISTRATION_DETAILS).len() == 1,
                "expected exactly one RegistrationDetails extension"
            );
            patient::registration_details(&resource, true, false)
        },
    );
    cases.scenario(
        "Patient search should not return a patient with the sensitive flag",
        |ctx| async move {
            let key = ctx.fixture.patient_roles.sensitive.clone();
            patients(&search_for(&ctx, &key).await?, Format::Json, 0).map(|_| ())
        },
    );
    cases.scenario(
        "Patient search should not return an inactive patient",
        |ctx| async move {
            let key = ctx.fixture.patient_roles.inactive.clone();
            patients(&search_for(&ctx, &key).await?, Format::Json, 0).map(|_| ())
        },
    );
    cases.scenario(
        "No Consent Patient search gets a valid response",
        |ctx| async move {
            let key = ctx.fixture.patient_roles.no_consent.clone();
            let reply = search_for(&ctx, &key).await?;
            found(&ctx, &reply, &key, Format::Json)?;
            headers::no_store(&reply)
        },
    );
    cases
}
