//! OrganizationRead.feature (ATS 2.2, SPEC 3.8).

use gpconnect_domain::Interaction;
use gpconnect_fhir::Format;
use serde_json::Value;

use super::{capability_lists, label, Negotiation, FORMATS};
use crate::check::{headers, organization, outcome};
use crate::context::Ctx;
use crate::response::Reply;
use crate::runner::Cases;
use crate::verdict::{ensure, Check};
use crate::Feature;

const UNKNOWN_IDS: [&str; 6] = [
    "ddBm",
    "1Zcr4",
    "z.as.e",
    "1.1445.23",
    "40-9223",
    "nc-sfem.mks--s",
];

/// Finds the practice's Organization, then reads it with `negotiation`.
async fn read(ctx: &Ctx, negotiation: Option<Negotiation>) -> Check<(Reply, String)> {
    let id = ctx.organization_id().await?;
    let mut call = ctx.call(Interaction::ReadOrganization, format!("Organization/{id}"));
    if let Some(negotiation) = negotiation {
        call = negotiation.apply(call);
    }
    Ok((ctx.send(call).await?, id))
}

/// A 200 Organization with the requested id, in `format`, carrying the practice's ODS code.
fn the_organization(ctx: &Ctx, reply: &Reply, id: &str, format: Format) -> Check<Value> {
    reply.status(200)?;
    reply.expect_format(format)?;
    let resource = reply.resource_of("Organization")?;
    ensure!(
        resource["id"] == id,
        "the Organization's id is {}, expected {id}",
        resource["id"]
    );
    organization::organization(&resource, Some(&ctx.fixture.organisation.ods_code), false)?;
    Ok(resource)
}

pub(crate) fn cases() -> Cases {
    let mut cases = Cases::new(Feature::OrganizationRead);
    cases.scenario(
        "Organization read successful request validate all of response",
        |ctx| async move {
            let (reply, id) = read(&ctx, None).await?;
            let resource = the_organization(&ctx, &reply, &id, Format::Json)?;
            headers::etag(&reply, &resource)?;
            ensure!(
                resource["meta"]["versionId"].is_string(),
                "the Organization has no meta.versionId"
            );
            organization::part_of(&ctx, &resource).await
        },
    );
    for id in UNKNOWN_IDS {
        cases.row(
            "Organization read with valid identifier which does not exist on providers system",
            id,
            move |ctx| async move {
                let call = ctx.call(Interaction::ReadOrganization, format!("Organization/{id}"));
                outcome::error(
                    &ctx.send(call).await?,
                    Some(404),
                    Some("ORGANISATION_NOT_FOUND"),
                )
            },
        );
    }
    let mut formats: Vec<(&'static str, Negotiation)> = FORMATS
        .into_iter()
        .map(|f| {
            (
                "Organization read _format parameter only",
                Negotiation::format(f),
            )
        })
        .collect();
    formats.extend(
        FORMATS
            .into_iter()
            .map(|f| ("Organization read accept header", Negotiation::accept(f))),
    );
    formats.extend(
        Negotiation::pairs()
            .into_iter()
            .map(|n| ("Organization read accept header and _format parameter", n)),
    );
    for (scenario, negotiation) in formats {
        let row = match (negotiation.accept, negotiation.format) {
            (Some(_), Some(_)) => negotiation.label(),
            (Some(f), None) | (None, Some(f)) => label(f).to_owned(),
            (None, None) => String::new(),
        };
        cases.row(scenario, row, move |ctx| async move {
            let (reply, id) = read(&ctx, Some(negotiation)).await?;
            the_organization(&ctx, &reply, &id, negotiation.expected()).map(|_| ())
        });
    }
    cases.scenario(
        "CapabilityStatement profile supports the read Organization operation",
        |ctx| async move { capability_lists(&ctx, "Organization").await },
    );
    cases.scenario(
        "Organization read valid response check caching headers exist",
        |ctx| async move {
            let (reply, id) = read(&ctx, None).await?;
            let resource = the_organization(&ctx, &reply, &id, Format::Json)?;
            headers::etag(&reply, &resource)?;
            headers::no_store(&reply)
        },
    );
    cases.scenario(
        "Organization read invalid response check caching headers exist",
        |ctx| async move {
            let id = ctx.organization_id().await?;
            let call = ctx
                .call(Interaction::ReadOrganization, format!("Organization/{id}"))
                .interaction_id(Interaction::ReadPractitioner.id());
            let reply = ctx.send(call).await?;
            outcome::error(&reply, Some(400), Some("BAD_REQUEST"))?;
            headers::no_store(&reply)
        },
    );
    cases
}
