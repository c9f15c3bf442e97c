//! PractitionerRead.feature (ATS 2.2, SPEC 3.6).

use gpconnect_domain::Interaction;
use gpconnect_fhir::Format;
use serde_json::Value;

use super::{capability_lists, label, Negotiation, FORMATS};
use crate::check::elements::{count, entries, SDS_USER_SYSTEM};
use crate::check::practitioner::{self, Expected};
use crate::check::{headers, outcome};
use crate::context::Ctx;
use crate::response::Reply;
use crate::runner::Cases;
use crate::verdict::{ensure, Check};
use crate::Feature;

const UNKNOWN_IDS: [&str; 6] = [
    "aaBA",
    "1ZEc2",
    "z.as.dd",
    "1.1.22",
    "40-9",
    "nd-skdm.mks--s",
];

/// Finds practitioner `key`, then reads it with `negotiation`.
async fn read(ctx: &Ctx, key: &str, negotiation: Option<Negotiation>) -> Check<(Reply, String)> {
    let id = ctx.practitioner_id(key).await?;
    let mut call = ctx.call(Interaction::ReadPractitioner, format!("Practitioner/{id}"));
    if let Some(negotiation) = negotiation {
        call = negotiation.apply(call);
    }
    Ok((ctx.send(call).await?, id))
}

/// A 200 Practitioner with the requested id, in `format`.
fn the_practitioner(reply: &Reply, id: &str, format: Format) -> Check<Value> {
    reply.status(200)?;
    reply.expect_format(format)?;
    let resource = reply.resource_of("Practitioner")?;
    ensure!(
        resource["id"] == id,
        "the Practitioner's id is {}, expected {id}",
        resource["id"]
    );
    Ok(resource)
}

/// Reads practitioner `key` with `negotiation`: format, id and SDS user id.
async fn read_in(ctx: &Ctx, key: &str, negotiation: Negotiation) -> Check {
    let (reply, id) = read(ctx, key, Some(negotiation)).await?;
    let resource = the_practitioner(&reply, &id, negotiation.expected())?;
    let (sds, _) = ctx.fixture.practitioner(key);
    practitioner::practitioner(
        &resource,
        Expected {
            sds_user_id: Some(sds),
            ..Expected::default()
        },
    )
}

pub(crate) fn cases() -> Cases {
    let mut cases = Cases::new(Feature::PractitionerRead);
    for key in crate::fixture::NAMED_PRACTITIONERS {
        cases.row(
            "Practitioner read successful request validate all of response",
            key,
            move |ctx| async move {
                let (reply, id) = read(&ctx, key, None).await?;
                let resource = the_practitioner(&reply, &id, Format::Json)?;
                let (sds, roles) = ctx.fixture.practitioner(key);
                practitioner::practitioner(
                    &resource,
                    Expected {
                        sds_user_id: Some(sds),
                        role_profiles: Some(roles),
                        bundled: false,
                    },
                )
            },
        );
    }
    for id in UNKNOWN_IDS {
        cases.row(
            "Practitioner read with valid identifier which does not exist on providers system",
            id,
            move |ctx| async move {
                let call = ctx.call(Interaction::ReadPractitioner, format!("Practitioner/{id}"));
                outcome::error(&ctx.send(call).await?, Some(404), None)
            },
        );
    }
    for format in FORMATS {
        cases.row(
            "Practitioner read _format parameter only",
            label(format),
            move |ctx| async move { read_in(&ctx, "practitioner1", Negotiation::format(format)).await },
        );
    }
    for format in FORMATS {
        cases.row(
            "Practitioner read accept header",
            label(format),
            move |ctx| async move { read_in(&ctx, "practitioner1", Negotiation::accept(format)).await },
        );
    }
    for negotiation in Negotiation::pairs() {
        cases.row(
            "Practitioner read accept header and _format parameter",
            negotiation.label(),
            move |ctx| async move { read_in(&ctx, "practitioner2", negotiation).await },
        );
    }
    cases.scenario(
        "CapabilityStatement profile supports the read Practitioner operation",
        |ctx| async move { capability_lists(&ctx, "Practitioner").await },
    );
    cases.scenario(
        "Practitioner read should contain an ETag header",
        |ctx| async move {
            let (reply, id) = read(&ctx, "practitioner1", None).await?;
            let resource = the_practitioner(&reply, &id, Format::Json)?;
            headers::etag(&reply, &resource)
        },
    );
    cases.scenario(
        "Practitioner read valid response check caching headers exist",
        |ctx| async move {
            let (reply, id) = read(&ctx, "practitioner1", None).await?;
            the_practitioner(&reply, &id, Format::Json)?;
            headers::no_store(&reply)
        },
    );
    cases.scenario(
        "Practitioner read invalid response check caching headers exist",
        |ctx| async move {
            let id = ctx.practitioner_id("practitioner1").await?;
            let call = ctx
                .call(Interaction::ReadPractitioner, format!("Practitioner/{id}"))
                .interaction_id(Interaction::ReadLocation.id());
            let reply = ctx.send(call).await?;
            outcome::error(&reply, Some(400), Some("BAD_REQUEST"))?;
            headers::no_store(&reply)
        },
    );
    // ATS PractitionerRead 10: the scenario has no "configure" step, so it re-sends the
    // practitioner1 search.
    cases.scenario(
        "Read practitioner returned should conform to the GPconnect specification",
        |ctx| async move {
            let (sds, _) = ctx.fixture.practitioner("practitioner1");
            let call = ctx
                .call(Interaction::SearchPractitioner, "Practitioner")
                .param("identifier", format!("{SDS_USER_SYSTEM}|{sds}"));
            let reply = ctx.send(call).await?;
            reply.status(200)?;
            let bundle = reply.resource_of("Bundle")?;
            count(&bundle, "Practitioner", 1)?;
            practitioner::not_in_use(entries(&bundle, "Practitioner")[0])
        },
    );
    cases
}
