//! FHIR.feature (ATS 2.1): the CapabilityStatement's content (SPEC 3.1) and content
//! negotiation (SPEC 2.6), without the structured-record outline.

use gpconnect_domain::Interaction;
use gpconnect_fhir::Format;

use super::{capability_statement, Negotiation};
use crate::check::capability;
use crate::runner::Cases;
use crate::verdict::ensure;
use crate::Feature;

pub(crate) fn cases() -> Cases {
    let mut cases = Cases::new(Feature::Fhir);
    cases.scenario("Fhir Get MetaData", |ctx| async move {
        let statement = capability_statement(&ctx).await?;
        let expected = ctx.fixture.spec_version.clone();
        ensure!(
            statement["version"] == expected.as_str(),
            "CapabilityStatement.version is {}, expected {expected}",
            statement["version"]
        );
        Ok(())
    });
    cases.scenario(
        "CapabilityStatement profile indicates acceptance of xml and json format",
        |ctx| async move { capability::formats(&capability_statement(&ctx).await?) },
    );
    cases.scenario(
        "CapabilityStatement profile contains the suppliers software versions",
        |ctx| async move { capability::software(&capability_statement(&ctx).await?) },
    );
    cases.scenario(
        "CapabilityStatement profile contains the supported fhir version",
        |ctx| async move {
            let statement = capability_statement(&ctx).await?;
            ensure!(
                statement["fhirVersion"] == "3.0.1",
                "fhirVersion is {}, expected 3.0.1",
                statement["fhirVersion"]
            );
            Ok(())
        },
    );
    cases.scenario(
        "CapabilityStatement profile supports the RegisterPatient operation",
        |ctx| async move {
            capability::operation(&capability_statement(&ctx).await?, "gpc.registerpatient")
        },
    );
    cases.scenario(
        "CapabilityStatement profile supports the GetStructuredRecord operation",
        |ctx| async move {
            capability::structured_record_operation(&capability_statement(&ctx).await?)
        },
    );
    let negotiations: [(&'static str, Negotiation); 10] = [
        (
            "Accept header is JSON and request payload is XML",
            Negotiation {
                accept: Some(Format::Json),
                content_type: Some(Format::Xml),
                format: None,
            },
        ),
        (
            "Accept header is XML and request payload is JSON",
            Negotiation {
                accept: Some(Format::Xml),
                content_type: Some(Format::Json),
                format: None,
            },
        ),
        (
            "_format parameter is JSON and request payload is JSON",
            Negotiation {
                format: Some(Format::Json),
                content_type: Some(Format::Json),
                accept: None,
            },
        ),
        (
            "_format parameter is JSON and request payload is XML",
            Negotiation {
                format: Some(Format::Json),
                content_type: Some(Format::Xml),
                accept: None,
            },
        ),
        (
            "_format parameter is XML and request payload is XML",
            Negotiation {
                format: Some(Format::Xml),
                content_type: Some(Format::Xml),
                accept: None,
            },
        ),
        (
            "_format parameter is XML and request payload is JSON",
            Negotiation {
                format: Some(Format::Xml),
                content_type: Some(Format::Json),
                accept: None,
            },
        ),
        (
            "Accept header is XML and _format parameter is XML",
            Negotiation::both(Format::Xml, Format::Xml),
        ),
        (
            "Accept header is XML and _format parameter is JSON",
            Negotiation::both(Format::Xml, Format::Json),
        ),
        (
            "Accept header is JSON and _format parameter is JSON",
            Negotiation::both(Format::Json, Format::Json),
        ),
        (
            "Accept header is JSON and _format parameter is XML",
            Negotiation::both(Format::Json, Format::Xml),
        ),
    ];
    for (scenario, negotiation) in negotiations {
        cases.scenario(scenario, move |ctx| async move {
            let call = negotiation.apply(ctx.call(Interaction::ReadMetadata, "metadata"));
            let reply = ctx.send(call).await?;
            reply.status(200)?;
            reply.expect_format(negotiation.expected())?;
            reply.resource_of("CapabilityStatement").map(|_| ())
        });
    }
    cases.scenario(
        "Fhir Get MetaData with gzip compression",
        |ctx| async move {
            let reply = ctx
                .send(ctx.call(Interaction::ReadMetadata, "metadata").gzip())
                .await?;
            reply.status(200)?;
            ensure!(
                reply
                    .header("content-encoding")
                    .is_some_and(|e| e.eq_ignore_ascii_case("gzip")),
                "Content-Encoding is {:?}, expected gzip",
                reply.header("content-encoding")
            );
            reply.expect_format(Format::Json)?;
            reply.resource_of("CapabilityStatement").map(|_| ())
        },
    );
    for profile in capability::PROFILES {
        let name = profile.rsplit('/').next().unwrap_or(profile);
        cases.row(
            "CapabilityStatement profile supports the GetMetaDataRead operation",
            name,
            move |ctx| async move {
                let statement = capability_statement(&ctx).await?;
                capability::structured_record_operation(&statement)?;
                capability::profile(&statement, profile)
            },
        );
    }
    cases
}
