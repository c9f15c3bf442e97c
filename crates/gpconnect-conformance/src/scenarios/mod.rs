//! The scenarios, one module per feature of the official suite (ATS 2), each a table of test
//! cases: one per scenario and one per outline row.

mod appointment_amend;
mod appointment_book;
mod appointment_cancel;
mod appointment_read;
mod appointment_retrieve;
mod fhir;
mod http;
mod jwt;
mod location_read;
mod organization_read;
mod organization_search;
mod patient_read;
mod patient_register;
mod patient_search;
mod practitioner_read;
mod practitioner_search;
mod slots;

use gpconnect_domain::Interaction;
use gpconnect_fhir::Format;
use serde_json::Value;

use crate::check::capability;
use crate::context::Ctx;
use crate::request::Call;
use crate::runner::{Case, Cases};
use crate::verdict::Check;

/// Every case, features in run order.
pub(crate) fn all() -> Vec<Case> {
    [
        http::cases(),
        jwt::cases(),
        fhir::cases(),
        patient_read::cases(),
        patient_search::cases(),
        patient_register::cases(),
        practitioner_read::cases(),
        practitioner_search::cases(),
        organization_read::cases(),
        organization_search::cases(),
        location_read::cases(),
        slots::cases(),
        appointment_book::cases(),
        appointment_read::cases(),
        appointment_amend::cases(),
        appointment_cancel::cases(),
        appointment_retrieve::cases(),
    ]
    .into_iter()
    .flat_map(|c: Cases| c.list)
    .collect()
}

/// `json` or `xml`, for row names.
pub(crate) fn label(format: Format) -> &'static str {
    match format {
        Format::Json => "json",
        Format::Xml => "xml",
    }
}

/// Both formats.
pub(crate) const FORMATS: [Format; 2] = [Format::Json, Format::Xml];

/// How a request negotiates its answer's format (SPEC 2.6): an `Accept` header, a `_format`
/// parameter and the body's Content-Type, each optional.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Negotiation {
    pub(crate) accept: Option<Format>,
    pub(crate) format: Option<Format>,
    pub(crate) content_type: Option<Format>,
}

impl Negotiation {
    /// `Accept` only.
    pub(crate) fn accept(format: Format) -> Self {
        Self {
            accept: Some(format),
            ..Self::default()
        }
    }

    /// `_format` only (no `Accept` header).
    pub(crate) fn format(format: Format) -> Self {
        Self {
            format: Some(format),
            ..Self::default()
        }
    }

    /// Both `Accept` and `_format`.
    pub(crate) fn both(accept: Format, format: Format) -> Self {
        Self {
            accept: Some(accept),
            format: Some(format),
            content_type: None,
        }
    }

    /// The four `Accept` × `_format` combinations.
    pub(crate) fn pairs() -> Vec<Self> {
        FORMATS
            .into_iter()
            .flat_map(|a| FORMATS.into_iter().map(move |f| Self::both(a, f)))
            .collect()
    }

    /// Every Content-Type × `Accept` × `_format` combination.
    pub(crate) fn triples() -> Vec<Self> {
        FORMATS
            .into_iter()
            .flat_map(|c| {
                Self::pairs().into_iter().map(move |n| Self {
                    content_type: Some(c),
                    ..n
                })
            })
            .collect()
    }

    /// The format the answer must be in: `_format`, else `Accept`, else the body's, else
    /// JSON (SPEC 2.6).
    pub(crate) fn expected(self) -> Format {
        self.format
            .or(self.accept)
            .or(self.content_type)
            .unwrap_or(Format::Json)
    }

    /// Applies the headers and parameter to `call`; without an `Accept` the default one is
    /// removed. The body is sent in the Content-Type's format.
    pub(crate) fn apply(self, mut call: Call) -> Call {
        call = match self.accept {
            Some(format) => call.accept(format),
            None => call.without_header("Accept"),
        };
        if let Some(format) = self.format {
            call = call.format_param(format);
        }
        if let Some(format) = self.content_type {
            call = match call.body.take() {
                Some(crate::request::Body(value, _)) => call.body(&value, format),
                None => call.header("Content-Type", format.mime()),
            };
        }
        call
    }

    /// A row name such as `content-type=xml accept=json _format=xml`.
    pub(crate) fn label(self) -> String {
        let mut parts = Vec::new();
        if let Some(f) = self.content_type {
            parts.push(format!("content-type={}", label(f)));
        }
        if let Some(f) = self.accept {
            parts.push(format!("accept={}", label(f)));
        }
        if let Some(f) = self.format {
            parts.push(format!("_format={}", label(f)));
        }
        parts.join(" ")
    }
}

/// Reads the CapabilityStatement (ATS "CapabilityStatement profile supports …" scenarios).
pub(crate) async fn capability_statement(ctx: &Ctx) -> Check<Value> {
    let reply = ctx
        .send(ctx.call(Interaction::ReadMetadata, "metadata"))
        .await?;
    reply.status(200)?;
    reply.resource_of("CapabilityStatement")
}

/// The CapabilityStatement lists `resource_type` (ATS per-feature capability scenario).
pub(crate) async fn capability_lists(ctx: &Ctx, resource_type: &str) -> Check {
    let statement = capability_statement(ctx).await?;
    capability::resource(&statement, resource_type)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Feature;
    use std::collections::{BTreeMap, BTreeSet};

    #[test]
    fn every_feature_has_the_official_number_of_cases() {
        // ATS 4.1: scenarios plus outline rows (FHIR without the structured-record outline).
        let expected = [
            (Feature::Http, 7),
            (Feature::Jwt, 22),
            (Feature::Fhir, 32),
            (Feature::PatientRead, 25),
            (Feature::PatientSearch, 40),
            (Feature::PatientRegister, 98),
            (Feature::PractitionerRead, 22),
            (Feature::PractitionerSearch, 25),
            (Feature::OrganizationRead, 18),
            (Feature::OrganizationSearch, 20),
            (Feature::LocationRead, 21),
            (Feature::SearchForFreeSlots, 85),
            (Feature::AppointmentBook, 61),
            (Feature::AppointmentRead, 21),
            (Feature::AppointmentAmend, 28),
            (Feature::AppointmentCancel, 44),
            (Feature::AppointmentRetrieve, 47),
        ];
        let mut counts = BTreeMap::new();
        for case in all() {
            *counts.entry(case.feature).or_insert(0) += 1;
        }
        for (feature, count) in expected {
            assert_eq!(counts.get(&feature), Some(&count), "{feature}");
        }
        assert_eq!(counts.values().sum::<usize>(), 616);
    }

    #[test]
    fn case_names_are_unique() {
        let mut seen = BTreeSet::new();
        for case in all() {
            assert!(seen.insert(case.name()), "duplicate case {}", case.name());
        }
    }

    #[test]
    fn negotiation_follows_spec_precedence() {
        let n = Negotiation {
            accept: Some(Format::Xml),
            format: Some(Format::Json),
            content_type: Some(Format::Xml),
        };
        assert_eq!(n.expected(), Format::Json);
        assert_eq!(Negotiation { format: None, ..n }.expected(), Format::Xml);
        assert_eq!(
            Negotiation {
                content_type: Some(Format::Xml),
                ..Negotiation::default()
            }
            .expected(),
            Format::Xml
        );
        assert_eq!(Negotiation::triples().len(), 8);
        assert_eq!(n.label(), "content-type=xml accept=xml _format=json");
    }
}
