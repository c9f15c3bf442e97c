//! OrganizationSearch.feature (ATS 2.2, SPEC 3.7).

use gpconnect_domain::Interaction;
use gpconnect_fhir::Format;
use serde_json::Value;

use super::{capability_lists, label, Negotiation, FORMATS};
use crate::check::elements::{count, entries, ODS_CODE_SYSTEM};
use crate::check::{headers, organization, outcome};
use crate::context::Ctx;
use crate::request::Call;
use crate::response::Reply;
use crate::runner::Cases;
use crate::verdict::Check;
use crate::Feature;

fn search(ctx: &Ctx) -> Call {
    ctx.call(Interaction::SearchOrganization, "Organization")
}

fn token(ods: &str) -> String {
    format!("{ODS_CODE_SYSTEM}|{ods}")
}

/// A 200 searchset in `format` with `n` Organizations, each with exactly the ODS code
/// searched (ATS 3.3).
fn organizations(reply: &Reply, format: Format, ods: &str, n: usize) -> Check<Value> {
    reply.status(200)?;
    reply.expect_format(format)?;
    let bundle = reply.resource_of("Bundle")?;
    count(&bundle, "Organization", n)?;
    for resource in entries(&bundle, "Organization") {
        organization::organization(resource, Some(ods), true)?;
    }
    Ok(bundle)
}

/// Searches the practice's ODS code with `negotiation`; `_format` first when `before`.
async fn search_in(ctx: &Ctx, negotiation: Negotiation, before: bool) -> Check {
    let ods = ctx.fixture.organisation.ods_code.clone();
    let call = if before {
        negotiation
            .apply(search(ctx))
            .param("identifier", token(&ods))
    } else {
        negotiation.apply(search(ctx).param("identifier", token(&ods)))
    };
    organizations(&ctx.send(call).await?, negotiation.expected(), &ods, 1).map(|_| ())
}

/// Searches the practice's ODS code with the default request.
async fn search_practice(ctx: &Ctx) -> Check<(Reply, String)> {
    let ods = ctx.fixture.organisation.ods_code.clone();
    let reply = ctx
        .send(search(ctx).param("identifier", token(&ods)))
        .await?;
    Ok((reply, ods))
}

pub(crate) fn cases() -> Cases {
    let mut cases = Cases::new(Feature::OrganizationSearch);
    let unknown: fn(&Ctx) -> (String, usize) =
        |ctx| (ctx.fixture.organisation.unknown_ods_code.clone(), 0);
    let practice: fn(&Ctx) -> (String, usize) =
        |ctx| (ctx.fixture.organisation.ods_code.clone(), 1);
    for (row, which) in [("unknownORG", unknown), ("ORG1", practice)] {
        cases.row("Organization search success", row, move |ctx| async move {
            let (ods, n) = which(&ctx);
            let reply = ctx
                .send(search(&ctx).param("identifier", token(&ods)))
                .await?;
            organizations(&reply, Format::Json, &ods, n).map(|_| ())
        });
    }
    for scenario in [
        "Organization search by organization code successfully returns single result containing the correct fields",
        "Organization search by organization code successfully returns multiple results containing the correct fields",
    ] {
        cases.scenario(scenario, |ctx| async move {
            let (reply, ods) = search_practice(&ctx).await?;
            organizations(&reply, Format::Json, &ods, 1).map(|_| ())
        });
    }
    cases.scenario(
        "Organization search failure with no identifier parameter",
        |ctx| async move { outcome::error(&ctx.send(search(&ctx)).await?, None, None) },
    );
    for format in FORMATS {
        cases.row(
            "Organization search accept header",
            label(format),
            move |ctx| async move { search_in(&ctx, Negotiation::accept(format), false).await },
        );
    }
    for format in FORMATS {
        cases.row(
            "Organization search _format parameter only",
            label(format),
            move |ctx| async move { search_in(&ctx, Negotiation::format(format), false).await },
        );
    }
    for format in FORMATS {
        let negotiation = Negotiation::both(Format::Json, format);
        cases.row(
            "Organization search accept header and _format parameter",
            negotiation.label(),
            move |ctx| async move { search_in(&ctx, negotiation, false).await },
        );
    }
    for format in FORMATS {
        cases.row(
            "Organization search _format parameter before identifier",
            label(format),
            move |ctx| async move { search_in(&ctx, Negotiation::format(format), true).await },
        );
    }
    for format in FORMATS {
        cases.row(
            "Organization search _format parameter after identifier",
            label(format),
            move |ctx| async move { search_in(&ctx, Negotiation::format(format), false).await },
        );
    }
    cases.scenario(
        "CapabilityStatement profile supports the search Organization operation",
        |ctx| async move { capability_lists(&ctx, "Organization").await },
    );
    cases.scenario(
        "Organization search response contains logical identifier",
        |ctx| async move {
            let (reply, ods) = search_practice(&ctx).await?;
            let bundle = organizations(&reply, Format::Json, &ods, 1)?;
            crate::check::elements::id(entries(&bundle, "Organization")[0]).map(|_| ())
        },
    );
    cases.scenario(
        "Organization search include count and sort parameters",
        |ctx| async move {
            let ods = ctx.fixture.organisation.ods_code.clone();
            let call = search(&ctx)
                .param("identifier", token(&ods))
                .param("_count", "1");
            organizations(&ctx.send(call).await?, Format::Json, &ods, 1).map(|_| ())
        },
    );
    cases.scenario(
        "Organization search valid response check caching headers exist",
        |ctx| async move {
            let (reply, ods) = search_practice(&ctx).await?;
            organizations(&reply, Format::Json, &ods, 1)?;
            headers::no_store(&reply)
        },
    );
    cases.scenario(
        "Organization search invalid response check caching headers exist",
        |ctx| async move {
            let call = search(&ctx).interaction_id(Interaction::ReadPractitioner.id());
            let reply = ctx.send(call).await?;
            outcome::error(&reply, Some(400), Some("BAD_REQUEST"))?;
            headers::no_store(&reply)
        },
    );
    cases
}
