//! PractitionerSearch.feature (ATS 2.2, SPEC 3.5).

use gpconnect_domain::Interaction;
use gpconnect_fhir::Format;
use serde_json::Value;

use super::{capability_lists, label, Negotiation, FORMATS};
use crate::check::elements::{count, entries, SDS_USER_SYSTEM};
use crate::check::practitioner::{self, Expected};
use crate::check::{headers, outcome};
use crate::context::Ctx;
use crate::request::Call;
use crate::response::Reply;
use crate::runner::Cases;
use crate::verdict::Check;
use crate::Feature;

fn token(ctx: &Ctx, key: &str) -> String {
    format!("{SDS_USER_SYSTEM}|{}", ctx.fixture.practitioner(key).0)
}

fn search(ctx: &Ctx) -> Call {
    ctx.call(Interaction::SearchPractitioner, "Practitioner")
}

/// A 200 searchset in `format` with exactly `n` Practitioners.
fn practitioners(reply: &Reply, format: Format, n: usize) -> Check<Value> {
    reply.status(200)?;
    reply.expect_format(format)?;
    let bundle = reply.resource_of("Bundle")?;
    count(&bundle, "Practitioner", n)?;
    Ok(bundle)
}

/// The one Practitioner found for `key`, fully checked.
fn found(ctx: &Ctx, reply: &Reply, key: &str, format: Format) -> Check<Value> {
    let bundle = practitioners(reply, format, 1)?;
    let resource = entries(&bundle, "Practitioner")[0].clone();
    let (sds, roles) = ctx.fixture.practitioner(key);
    practitioner::practitioner(
        &resource,
        Expected {
            sds_user_id: Some(sds),
            role_profiles: Some(roles),
            bundled: true,
        },
    )?;
    Ok(resource)
}

/// Searches practitioner2 with `negotiation`, `_format` before the identifier when `before`.
async fn search_in(ctx: &Ctx, negotiation: Negotiation, before: bool) -> Check {
    let call = if before {
        negotiation
            .apply(search(ctx))
            .param("identifier", token(ctx, "practitioner2"))
    } else {
        negotiation.apply(search(ctx).param("identifier", token(ctx, "practitioner2")))
    };
    let reply = ctx.send(call).await?;
    found(ctx, &reply, "practitioner2", negotiation.expected()).map(|_| ())
}

pub(crate) fn cases() -> Cases {
    let mut cases = Cases::new(Feature::PractitionerSearch);
    for key in crate::fixture::NAMED_PRACTITIONERS {
        cases.row(
            "Practitioner search success and validate the practitioner identifiers",
            key,
            move |ctx| async move {
                let reply = ctx
                    .send(search(&ctx).param("identifier", token(&ctx, key)))
                    .await?;
                found(&ctx, &reply, key, Format::Json).map(|_| ())
            },
        );
    }
    type Token = fn(&Ctx) -> String;
    let invalid: [(&'static str, Token); 2] = [
        ("empty value", |_| format!("{SDS_USER_SYSTEM}|")),
        ("empty system", |ctx| {
            format!("|{}", ctx.fixture.practitioner("practitioner2").0)
        }),
    ];
    for (row, value) in invalid {
        cases.row(
            "Practitioner search failure due to invalid identifier",
            row,
            move |ctx| async move {
                let reply = ctx
                    .send(search(&ctx).param("identifier", value(&ctx)))
                    .await?;
                outcome::error(&reply, Some(422), Some("INVALID_PARAMETER"))
            },
        );
    }
    cases.scenario(
        "Practitioner search without the identifier parameter",
        |ctx| async move {
            let reply = ctx.send(search(&ctx)).await?;
            reply.not_ok()?;
            reply.expect_format(Format::Json)?;
            outcome::error(&reply, None, None)
        },
    );
    cases.row(
        "Practitioner search where identifier contains the incorrect case or spelling",
        "Identifier",
        |ctx| async move {
            let reply = ctx
                .send(search(&ctx).param("Identifier", token(&ctx, "practitioner2")))
                .await?;
            outcome::error(&reply, Some(400), Some("BAD_REQUEST"))
        },
    );
    for format in FORMATS {
        cases.row(
            "Practitioner search testing paramater validity before adding identifier",
            label(format),
            move |ctx| async move { search_in(&ctx, Negotiation::format(format), true).await },
        );
    }
    for format in FORMATS {
        cases.row(
            "Practitioner search testing paramater validity after adding identifier",
            label(format),
            move |ctx| async move { search_in(&ctx, Negotiation::format(format), false).await },
        );
    }
    for format in FORMATS {
        cases.row(
            "Practitioner search accept header",
            label(format),
            move |ctx| async move { search_in(&ctx, Negotiation::accept(format), false).await },
        );
    }
    for negotiation in Negotiation::pairs() {
        cases.row(
            "Practitioner search accept header and _format parameter",
            negotiation.label(),
            move |ctx| async move { search_in(&ctx, negotiation, false).await },
        );
    }
    let pairs: [(&'static str, &'static str, &'static str); 2] = [
        ("Practitioner search multiple identifier parameter failure", "practitioner2", "practitioner2"),
        ("Practitioner search multiple multiple identifiers for different practitioner parameter failure", "practitioner1", "practitioner2"),
    ];
    for (scenario, first, second) in pairs {
        cases.scenario(scenario, move |ctx| async move {
            let call = search(&ctx)
                .param("identifier", token(&ctx, first))
                .param("identifier", token(&ctx, second));
            outcome::error(&ctx.send(call).await?, Some(400), Some("BAD_REQUEST"))
        });
    }
    cases.scenario(
        "Practitioner search include count and sort parameters",
        |ctx| async move {
            let call = search(&ctx)
                .param("identifier", token(&ctx, "practitioner1"))
                .param("_sort", "practitioner.coding")
                .param("_count", "1");
            practitioners(&ctx.send(call).await?, Format::Json, 1).map(|_| ())
        },
    );
    cases.scenario(
        "CapabilityStatement profile supports the search Practitioner operation",
        |ctx| async move { capability_lists(&ctx, "Practitioner").await },
    );
    cases.scenario(
        "Practitioner search valid response check caching headers exist",
        |ctx| async move {
            let reply = ctx
                .send(search(&ctx).param("identifier", token(&ctx, "practitioner1")))
                .await?;
            practitioners(&reply, Format::Json, 1)?;
            headers::no_store(&reply)
        },
    );
    cases.scenario(
        "Practitioner search invalid response check caching headers exist",
        |ctx| async move {
            let call = search(&ctx)
                .param("identifier", token(&ctx, "practitioner1"))
                .interaction_id(Interaction::ReadPractitioner.id());
            let reply = ctx.send(call).await?;
            outcome::error(&reply, Some(400), Some("BAD_REQUEST"))?;
            headers::no_store(&reply)
        },
    );
    cases.scenario(
        "Practitioner search returned should conform to the GPconnect specification",
        |ctx| async move {
            let reply = ctx
                .send(search(&ctx).param("identifier", token(&ctx, "practitioner1")))
                .await?;
            let bundle = practitioners(&reply, Format::Json, 1)?;
            practitioner::not_in_use(entries(&bundle, "Practitioner")[0])
        },
    );
    cases.scenario(
        "Practitioner search with unknown identifier",
        |ctx| async move {
            let call =
                search(&ctx).param("identifier", format!("{SDS_USER_SYSTEM}|unknownSDSUserID"));
            practitioners(&ctx.send(call).await?, Format::Json, 0).map(|_| ())
        },
    );
    cases
}
