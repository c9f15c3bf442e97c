//! SearchForFreeSlots.feature (ATS 2.3, SPEC 3.10).

use gpconnect_domain::time::uk_zone;
use gpconnect_domain::Interaction;
use gpconnect_fhir::Format;
use serde_json::Value;

use super::{capability_statement, Negotiation};
use crate::check::elements::{array, entries, has, text, ODS_CODE_SYSTEM, ORG_TYPE_SYSTEM};
use crate::check::scheduling::{self, Includes};
use crate::check::{capability, headers, location, outcome};
use crate::context::{Ctx, URGENT_CARE};
use crate::response::Reply;
use crate::runner::Cases;
use crate::verdict::{ensure, Check};
use crate::Feature;

/// Query parameters, in order.
type Query = Vec<(&'static str, String)>;

const INCLUDE_RECURSE: &str = "_include:recurse";
const INCLUDE_PRACTITIONER: &str = "Schedule:actor:Practitioner";
const INCLUDE_LOCATION: &str = "Schedule:actor:Location";
const INCLUDE_ORGANIZATION: &str = "Location:managingOrganization";

/// The standard parameters (ATS 2.3): from tomorrow's midnight for `days` days, free, the
/// practice's ODS code and urgent-care filters, the schedule include.
fn standard(ctx: &Ctx, days: i64) -> Query {
    vec![
        ("start", format!("ge{}", ctx.midnight(1))),
        ("end", format!("le{}", ctx.midnight(1 + days))),
        ("status", "free".to_owned()),
        (
            "searchFilter",
            format!("{ODS_CODE_SYSTEM}|{}", ctx.fixture.organisation.ods_code),
        ),
        ("searchFilter", format!("{ORG_TYPE_SYSTEM}|{URGENT_CARE}")),
        ("_include", "Slot:schedule".to_owned()),
    ]
}

/// Today's midnight to `days` days later, free, the schedule include, then `filters`.
fn from_today(ctx: &Ctx, days: i64, filters: &[String]) -> Query {
    let mut query = vec![
        ("start", format!("ge{}", ctx.midnight(0))),
        ("end", format!("le{}", ctx.midnight(days))),
        ("status", "free".to_owned()),
        ("_include", "Slot:schedule".to_owned()),
    ];
    query.extend(filters.iter().map(|f| ("searchFilter", f.clone())));
    query
}

fn without(mut query: Query, names: &[&str]) -> Query {
    query.retain(|(n, _)| !names.contains(n));
    query
}

fn replace(mut query: Query, name: &str, value: String) -> Query {
    for (n, v) in &mut query {
        if *n == name {
            *v = value.clone();
        }
    }
    query
}

fn with(mut query: Query, extra: &[(&'static str, &str)]) -> Query {
    query.extend(extra.iter().map(|(n, v)| (*n, (*v).to_owned())));
    query
}

/// Sends a slot search with `query`, negotiating with `negotiation` when given.
async fn search(ctx: &Ctx, query: Query, negotiation: Option<Negotiation>) -> Check<Reply> {
    let mut call = ctx.call(Interaction::SearchSlots, "Slot");
    for (name, value) in query {
        call = call.param(name, value);
    }
    if let Some(negotiation) = negotiation {
        call = negotiation.apply(call);
    }
    ctx.send(call).await
}

/// A 200 searchset in `format` passing the bundle checks.
fn found(reply: &Reply, format: Format, includes: Includes) -> Check<Value> {
    reply.status(200)?;
    reply.expect_format(format)?;
    let bundle = reply.resource_of("Bundle")?;
    scheduling::bundle(&bundle, includes)?;
    Ok(bundle)
}

/// Searches with `query` and requires at least one valid free slot.
async fn some_slots(ctx: &Ctx, query: Query) -> Check {
    let reply = search(ctx, query, None).await?;
    let bundle = found(&reply, Format::Json, Includes::default())?;
    scheduling::some_slots(&bundle)
}

/// Now in the UK, moved by `days`, as `yyyy-mm-dd` (`date`) or with time and offset.
fn now_plus(days: i64, date: bool) -> String {
    let now = jiff::Timestamp::now().to_zoned(uk_zone().clone());
    let then = now.checked_add(jiff::Span::new().days(days)).unwrap_or(now);
    if date {
        then.strftime("%Y-%m-%d").to_string()
    } else {
        then.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string()
    }
}

/// A partial or malformed date-time form of ATS SearchForFreeSlots O10.
#[derive(Debug, Clone, Copy)]
enum Bad {
    NoOffset,
    Zulu,
    Year,
    YearMonth,
}

fn bad(form: Bad, days: i64) -> String {
    let now = jiff::Timestamp::now().to_zoned(uk_zone().clone());
    let then = now.checked_add(jiff::Span::new().days(days)).unwrap_or(now);
    let pattern = match form {
        Bad::NoOffset => "%Y-%m-%dT%H:%M:%S",
        Bad::Zulu => "%Y-%m-%dT%H:%M:%SZ",
        Bad::Year => "%Y",
        Bad::YearMonth => "%Y-%m",
    };
    then.strftime(pattern).to_string()
}

/// The searches of ATS SearchForFreeSlots 27–29: two days, including Locations.
fn two_days_with_locations(ctx: &Ctx) -> Query {
    with(standard(ctx, 2), &[(INCLUDE_RECURSE, INCLUDE_LOCATION)])
}

pub(crate) fn cases() -> Cases {
    let mut cases = Cases::new(Feature::SearchForFreeSlots);
    for days in [8, 0, 14] {
        cases.row(
            "Searching for free slots with valid parameters should return success",
            format!("{days} days"),
            move |ctx| async move {
                let reply = search(&ctx, standard(&ctx, days), None).await?;
                found(&reply, Format::Json, Includes::default()).map(|_| ())
            },
        );
    }
    for days in [15, 31, -1] {
        cases.row(
            "Searching for free slots should fail due to invalid date range",
            format!("{days} days"),
            move |ctx| async move {
                let reply = search(&ctx, standard(&ctx, days), None).await?;
                outcome::error(&reply, Some(422), Some("INVALID_PARAMETER"))
            },
        );
    }
    let missing: [(&'static str, &'static [&'static str]); 3] = [
        ("start and end", &["start", "end"]),
        ("start", &["start"]),
        ("status", &["status"]),
    ];
    for (row, names) in missing {
        cases.row(
            "Searching for free slots should fail due to missing parameters",
            row,
            move |ctx| async move {
                let reply = search(&ctx, without(standard(&ctx, 3), names), None).await?;
                outcome::error(&reply, Some(400), Some("BAD_REQUEST"))
            },
        );
    }
    cases.scenario(
        "Searching for free slots with valid prefixes",
        |ctx| async move {
            let ods = ctx.fixture.organisation.ods_code.clone();
            let filters = [
                "https://fhir.nhs.uk/STU3/CodeSystem/FilterCategory-7|OtherConsumerCategory"
                    .to_owned(),
                "https://fhir.nhs.uk/Id/otherIdentifier|otherID".to_owned(),
                format!("{ODS_CODE_SYSTEM}|{ods}"),
                format!("{ORG_TYPE_SYSTEM}|{URGENT_CARE}"),
                "https://fhir.nhs.uk/STU3/CodeSystem/TypeCategory|OtherTypeCategory".to_owned(),
            ];
            let reply = search(&ctx, from_today(&ctx, 3, &filters), None).await?;
            found(&reply, Format::Json, Includes::default()).map(|_| ())
        },
    );
    let invalid_prefixes = [
        ("lt", "gt"),
        ("gt", "gt"),
        ("lt", "lt"),
        ("le", "ge"),
        ("eq", "eq"),
        ("gt", "lt"),
    ];
    let unknown_prefixes = [
        ("ne", "ne"),
        ("gt", "ne"),
        ("ne", "lt"),
        ("ge", "ne"),
        ("ne", "le"),
    ];
    for (scenario, prefixes) in [
        (
            "Searching for free slots should fail due to invalid prefixes",
            &invalid_prefixes[..],
        ),
        (
            "Searching for free slots should fail due to unknown prefixes",
            &unknown_prefixes[..],
        ),
    ] {
        for &(start, end) in prefixes {
            cases.row(scenario, format!("{start},{end}"), move |ctx| async move {
                let query = standard(&ctx, 3);
                let query = replace(query, "start", format!("{start}{}", ctx.midnight(1)));
                let query = replace(query, "end", format!("{end}{}", ctx.midnight(4)));
                let reply = search(&ctx, query, None).await?;
                // ATS O5/O6 check the status only; SPEC 3.10 names INVALID_PARAMETER.
                outcome::error(&reply, Some(422), None)
            });
        }
    }
    let invalid_values: [(&'static str, &'static str, &'static str); 5] = [
        ("start=invalidStartDate", "start", "invalidStartDate"),
        ("start=", "start", ""),
        ("end=invalidEnddate", "end", "invalidEnddate"),
        ("end=", "end", ""),
        ("status=busy", "status", "busy"),
    ];
    for (row, name, value) in invalid_values {
        cases.row(
            "Searching for free slots should fail due to invalid parameter values",
            row,
            move |ctx| async move {
                let query = replace(standard(&ctx, 3), name, value.to_owned());
                let reply = search(&ctx, query, None).await?;
                outcome::error(&reply, Some(422), Some("INVALID_PARAMETER"))
            },
        );
    }
    cases.scenario(
        "Searching for free slots with other searchFilter system should return success",
        |ctx| async move {
            let query = with(
                standard(&ctx, 3),
                &[(
                    "searchFilter",
                    "https://fhir.nhs.uk/STU3/CodeSystem/TypeCategory|OtherTypeCategory",
                )],
            );
            let reply = search(&ctx, query, None).await?;
            found(&reply, Format::Json, Includes::default()).map(|_| ())
        },
    );
    for (start_date, end_date) in [(true, true), (false, false), (false, true), (true, false)] {
        let form = |date: bool| {
            if date {
                "yyyy-MM-dd"
            } else {
                "yyyy-MM-ddTHH:mm:sszzz"
            }
        };
        cases.row(
            "Searching for free slots with valid partial dateTime strings",
            format!("{},{}", form(start_date), form(end_date)),
            move |ctx| async move {
                let query = replace(
                    standard(&ctx, 3),
                    "start",
                    format!("ge{}", now_plus(0, start_date)),
                );
                let query = replace(query, "end", format!("le{}", now_plus(3, end_date)));
                let reply = search(&ctx, query, None).await?;
                found(&reply, Format::Json, Includes::default()).map(|_| ())
            },
        );
    }
    let bad_forms = [
        (Bad::NoOffset, Bad::NoOffset),
        (Bad::Zulu, Bad::NoOffset),
        (Bad::NoOffset, Bad::Zulu),
        (Bad::Year, Bad::YearMonth),
        (Bad::YearMonth, Bad::Year),
    ];
    for (start, end) in bad_forms {
        cases.row(
            "Searching for free slots with invalid partial dateTime strings",
            format!("{start:?},{end:?}"),
            move |ctx| async move {
                let query = replace(standard(&ctx, 3), "start", format!("ge{}", bad(start, 0)));
                let query = replace(query, "end", format!("le{}", bad(end, 3)));
                let reply = search(&ctx, query, None).await?;
                outcome::error(&reply, Some(422), Some("INVALID_PARAMETER"))
            },
        );
    }
    cases.scenario("Searching for free slots and check the slot resources returned are valid", |ctx| async move {
        let query = with(
            standard(&ctx, 3),
            &[
                ("searchFilter", "https://fhir.nhs.uk/STU3/CodeSystem/FilterCategory-7|OtherConsumerCategory"),
                ("searchFilter", "https://fhir.nhs.uk/Id/otherIdentifier|otherID"),
            ],
        );
        let reply = search(&ctx, query, None).await?;
        let bundle = found(&reply, Format::Json, Includes::default())?;
        scheduling::some_slots(&bundle)
    });
    let content_type_rows = [
        (Format::Xml, Format::Xml),
        (Format::Json, Format::Json),
        (Format::Xml, Format::Json),
        (Format::Json, Format::Xml),
    ];
    for (content_type, accept) in content_type_rows {
        let negotiation = Negotiation {
            content_type: Some(content_type),
            accept: Some(accept),
            format: None,
        };
        cases.row(
            "Searching for free slots with different content types in Accept header",
            negotiation.label(),
            move |ctx| async move { negotiated(&ctx, negotiation).await },
        );
    }
    for (content_type, format) in content_type_rows {
        let negotiation = Negotiation {
            content_type: Some(content_type),
            accept: None,
            format: Some(format),
        };
        cases.row(
            "Searching for free slots with different content types in the format parameter",
            negotiation.label(),
            move |ctx| async move { negotiated(&ctx, negotiation).await },
        );
    }
    for negotiation in Negotiation::triples() {
        cases.row(
            "Searching for free slots with Accept header and format parameter",
            negotiation.label(),
            move |ctx| async move { negotiated(&ctx, negotiation).await },
        );
    }
    cases.scenario(
        "Searching for free slots and check the included schedule resources returned are valid",
        |ctx| async move {
            let query = with(
                standard(&ctx, 3),
                &[
                    (INCLUDE_RECURSE, INCLUDE_PRACTITIONER),
                    (INCLUDE_RECURSE, INCLUDE_LOCATION),
                    (INCLUDE_RECURSE, INCLUDE_ORGANIZATION),
                ],
            );
            let reply = search(&ctx, query, None).await?;
            let bundle = found(
                &reply,
                Format::Json,
                Includes {
                    practitioner: true,
                    location: true,
                },
            )?;
            scheduling::some_slots(&bundle)?;
            for resource in entries(&bundle, "Location") {
                location::managing_organization(&ctx, resource).await?;
            }
            Ok(())
        },
    );
    let single_includes: [(&'static str, &'static str, &'static str); 2] = [
        ("Practitioner only", INCLUDE_PRACTITIONER, "Location"),
        ("Location only", INCLUDE_LOCATION, "Practitioner"),
    ];
    for (row, include, absent) in single_includes {
        cases.row(
            "Searching for free slots without actor parameter should return results without actor resource",
            row,
            move |ctx| async move {
                let query = with(standard(&ctx, 3), &[(INCLUDE_RECURSE, include)]);
                let reply = search(&ctx, query, None).await?;
                let bundle = found(&reply, Format::Json, Includes::default())?;
                scheduling::some_slots(&bundle)?;
                ensure!(
                    entries(&bundle, absent).is_empty(),
                    "{absent} resources were returned without their _include"
                );
                Ok(())
            },
        );
    }
    cases.scenario(
        "Searching for free slots and check the included practitioner resources returned are valid",
        |ctx| async move {
            let query = with(
                standard(&ctx, 3),
                &[(INCLUDE_RECURSE, INCLUDE_PRACTITIONER)],
            );
            let reply = search(&ctx, query, None).await?;
            found(
                &reply,
                Format::Json,
                Includes {
                    practitioner: true,
                    location: false,
                },
            )
            .map(|_| ())
        },
    );
    cases.scenario(
        "Searching for free slots and check the included location resources returned are valid",
        |ctx| async move {
            let query = with(standard(&ctx, 3), &[(INCLUDE_RECURSE, INCLUDE_LOCATION)]);
            let reply = search(&ctx, query, None).await?;
            let bundle = found(
                &reply,
                Format::Json,
                Includes {
                    practitioner: false,
                    location: true,
                },
            )?;
            ensure!(
                !entries(&bundle, "Location").is_empty(),
                "no Location was included"
            );
            Ok(())
        },
    );
    cases.scenario(
        "CapabilityStatement profile supports the search slots operation",
        |ctx| async move { super::capability_lists(&ctx, "Slot").await },
    );
    cases.scenario(
        "Searching for free slots valid response check caching headers exist",
        |ctx| async move {
            let reply = search(&ctx, standard(&ctx, 3), None).await?;
            found(&reply, Format::Json, Includes::default())?;
            headers::no_store(&reply)
        },
    );
    cases.scenario(
        "Searching for free slots invalid response check caching headers exist",
        |ctx| async move {
            let reply = search(&ctx, standard(&ctx, 30), None).await?;
            outcome::error(&reply, Some(422), Some("INVALID_PARAMETER"))?;
            headers::no_store(&reply)
        },
    );
    let types = ["urgent-care", "gp-practice", "oncology"];
    let codes = ["A20047", "B81016", "M85015", "RNR01"];
    for kind in types {
        cases.row(
            "Searching for free slots with org type searchFilter system",
            kind,
            move |ctx| async move {
                some_slots(
                    &ctx,
                    from_today(&ctx, 14, &[format!("{ORG_TYPE_SYSTEM}|{kind}")]),
                )
                .await
            },
        );
    }
    for code in codes {
        cases.row(
            "Searching for free slots with org code searchFilter system",
            code,
            move |ctx| async move {
                some_slots(
                    &ctx,
                    from_today(&ctx, 14, &[format!("{ODS_CODE_SYSTEM}|{code}")]),
                )
                .await
            },
        );
    }
    cases.scenario(
        "Searching for free slots with NO org code and NO org type searchFilter system",
        |ctx| async move { some_slots(&ctx, from_today(&ctx, 14, &[])).await },
    );
    for kind in types {
        for code in codes {
            cases.row(
                "Searching for free slots with org type and org code searchFilter system",
                format!("{kind},{code}"),
                move |ctx| async move {
                    let filters = [
                        format!("{ORG_TYPE_SYSTEM}|{kind}"),
                        format!("{ODS_CODE_SYSTEM}|{code}"),
                    ];
                    some_slots(&ctx, from_today(&ctx, 14, &filters)).await
                },
            );
        }
    }
    cases.scenario(
        "Check CapabilityStatement includes specific searchInclude",
        |ctx| async move { capability::slot_search_include(&capability_statement(&ctx).await?) },
    );
    cases.scenario(
        "Searching for free slots returns a Schedule with serviceCategory populated",
        |ctx| async move {
            let bundle = two_days(&ctx).await?;
            ensure!(
                entries(&bundle, "Schedule")
                    .iter()
                    .any(|s| text(&s["serviceCategory"]["text"]).is_some()),
                "no Schedule has serviceCategory.text"
            );
            Ok(())
        },
    );
    cases.scenario(
        "Searching for free slots returns a slot with serviceType populated",
        |ctx| async move {
            let bundle = two_days(&ctx).await?;
            ensure!(
                entries(&bundle, "Slot")
                    .iter()
                    .any(|s| array(&s["serviceType"])
                        .iter()
                        .any(|t| text(&t["text"]).is_some())),
                "no Slot has serviceType text"
            );
            Ok(())
        },
    );
    cases.scenario(
        "Searching for free slots returns No Comment elements for the Schedules and Slots",
        |ctx| async move {
            let bundle = two_days(&ctx).await?;
            for resource in entries(&bundle, "Schedule")
                .into_iter()
                .chain(entries(&bundle, "Slot"))
            {
                ensure!(
                    !has(resource, "comment"),
                    "a {} carries a comment",
                    resource["resourceType"]
                );
            }
            Ok(())
        },
    );
    cases
}

/// The two-day search including Locations, with at least one slot (ATS 27–29).
async fn two_days(ctx: &Ctx) -> Check<Value> {
    let reply = search(ctx, two_days_with_locations(ctx), None).await?;
    let bundle = found(
        &reply,
        Format::Json,
        Includes {
            practitioner: false,
            location: true,
        },
    )?;
    scheduling::some_slots(&bundle)?;
    Ok(bundle)
}

/// A three-day search negotiated with `negotiation`: the format, and every Slot's Schedule
/// in the bundle.
async fn negotiated(ctx: &Ctx, negotiation: Negotiation) -> Check {
    let reply = search(ctx, standard(ctx, 3), Some(negotiation)).await?;
    found(&reply, negotiation.expected(), Includes::default()).map(|_| ())
}
