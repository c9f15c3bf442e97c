//! LocationRead.feature (ATS 2.2, SPEC 3.9).

use gpconnect_domain::Interaction;
use gpconnect_fhir::Format;
use serde_json::Value;

use super::{capability_lists, label, Negotiation, FORMATS};
use crate::check::elements::{profile, LOCATION_PROFILE};
use crate::check::{headers, location, outcome};
use crate::context::Ctx;
use crate::response::Reply;
use crate::runner::Cases;
use crate::verdict::{ensure, Check};
use crate::Feature;

const UNKNOWN_IDS: [&str; 6] = [
    "mfpBm",
    "231Zcr64",
    "th.as.e",
    "11dd4.45-23",
    "40-95-3",
    "a-tm.mss..s",
];

/// Reads Location `site` (a fixture key) with `negotiation`.
async fn read(ctx: &Ctx, site: &str, negotiation: Option<Negotiation>) -> Check<(Reply, String)> {
    let (id, _) = ctx.fixture.location(site);
    let id = id.to_owned();
    let mut call = ctx.call(Interaction::ReadLocation, format!("Location/{id}"));
    if let Some(negotiation) = negotiation {
        call = negotiation.apply(call);
    }
    Ok((ctx.send(call).await?, id))
}

/// A 200 Location with the requested id, name and address, in `format`.
fn the_location(reply: &Reply, id: &str, format: Format) -> Check<Value> {
    reply.status(200)?;
    reply.expect_format(format)?;
    let resource = reply.resource_of("Location")?;
    ensure!(
        resource["id"] == id,
        "the Location's id is {}, expected {id}",
        resource["id"]
    );
    Ok(resource)
}

/// Reads `site` with `negotiation` and checks it with its site code.
async fn read_in(ctx: &Ctx, site: &str, negotiation: Negotiation) -> Check {
    let (reply, id) = read(ctx, site, Some(negotiation)).await?;
    let resource = the_location(&reply, &id, negotiation.expected())?;
    location::location(&resource, Some(ctx.fixture.location(site).1))
}

pub(crate) fn cases() -> Cases {
    let mut cases = Cases::new(Feature::LocationRead);
    for site in ["SIT1", "SIT2", "SIT3"] {
        cases.row(
            "Location read successful request validate the response contains logical identifier",
            site,
            move |ctx| async move {
                let (reply, id) = read(&ctx, site, None).await?;
                let resource = the_location(&reply, &id, Format::Json)?;
                location::location(&resource, None)
            },
        );
    }
    for id in UNKNOWN_IDS {
        cases.row(
            "Location read with valid identifier which does not exist on providers system",
            id,
            move |ctx| async move {
                let call = ctx.call(Interaction::ReadLocation, format!("Location/{id}"));
                outcome::error(&ctx.send(call).await?, Some(404), None)
            },
        );
    }
    for format in FORMATS {
        cases.row(
            "Location read _format parameter only",
            label(format),
            move |ctx| async move { read_in(&ctx, "SIT1", Negotiation::format(format)).await },
        );
    }
    for negotiation in Negotiation::pairs() {
        cases.row(
            "Location read accept header and _format parameter",
            negotiation.label(),
            move |ctx| async move { read_in(&ctx, "SIT3", negotiation).await },
        );
    }
    cases.scenario(
        "CapabilityStatement profile supports the read Location operation",
        |ctx| async move { capability_lists(&ctx, "Location").await },
    );
    for format in FORMATS {
        cases.row(
            "Location read resource conforms to GP-Connect specification",
            label(format),
            move |ctx| async move {
                let (reply, id) = read(&ctx, "SIT2", Some(Negotiation::accept(format))).await?;
                let resource = the_location(&reply, &id, format)?;
                location::location(&resource, Some(ctx.fixture.location("SIT2").1))?;
                location::managing_organization(&ctx, &resource).await
            },
        );
    }
    cases.scenario("Location read should contain ETag", |ctx| async move {
        let (reply, id) = read(&ctx, "SIT1", None).await?;
        let resource = the_location(&reply, &id, Format::Json)?;
        profile(&resource, LOCATION_PROFILE, true)?;
        headers::etag(&reply, &resource)
    });
    cases.scenario(
        "Location read valid response check caching headers exist",
        |ctx| async move {
            let (reply, id) = read(&ctx, "SIT1", None).await?;
            the_location(&reply, &id, Format::Json)?;
            headers::no_store(&reply)
        },
    );
    cases.scenario(
        "Location read invalid response check caching headers exist",
        |ctx| async move {
            let (id, _) = ctx.fixture.location("SIT1");
            let call = ctx
                .call(Interaction::ReadLocation, format!("Location/{id}"))
                .interaction_id(Interaction::ReadPractitioner.id());
            let reply = ctx.send(call).await?;
            outcome::error(&reply, Some(400), Some("BAD_REQUEST"))?;
            headers::no_store(&reply)
        },
    );
    cases
}
