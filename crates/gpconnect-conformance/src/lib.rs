//! A conformance suite for GP Connect 1.2.7 providers (Foundations and Appointment
//! Management), for GP system suppliers to run against their own system before assurance.
//!
//! It runs the scenarios of the official provider assurance suite
//! (`nhsconnect/gpconnect-provider-testing` release 1.2.7, summarised in ATS.md) over HTTP
//! against any provider: the Http, JWT and FHIR (content negotiation) features, every
//! Foundations feature and every Appointment Management feature, one test case per scenario
//! and per outline row: 616 cases. The infrastructure features (TLS, the Spine Secure Proxy)
//! and the structured-record outline are not included.
//!
//! - requests are built as the official suite builds them (SSP headers, the unsigned JWT with
//!   its default claims, RFC 3986 query encoding) with raw HTTP, so that the malformed
//!   requests of the negative scenarios can be sent as they are;
//! - answers are read as the official suite's client reads them: strict FHIR parsing, FHIR
//!   media types only, gzip only when asked for, single-valued headers;
//! - setup chains (find the patient, search free slots, book, then amend or cancel) are real
//!   calls; every appointment the run creates is cancelled at the end;
//! - the provider's test data is described by a [`Fixture`], by default this project's demo
//!   practice (which holds the official suite's data).
//!
//! ```no_run
//! # async fn example() -> Result<(), gpconnect_conformance::SuiteError> {
//! use gpconnect_conformance::{Fixture, Options};
//!
//! let options = Options::new("http://127.0.0.1:8080/A20047/STU3/1/gpconnect", Fixture::demo());
//! let report = gpconnect_conformance::run(&options, |result| println!("{}", result.line())).await?;
//! println!("{}", report.summary());
//! # Ok(())
//! # }
//! ```

mod check;
mod context;
pub mod fixture;
pub mod report;
mod request;
mod response;
mod runner;
mod scenarios;
mod verdict;

use std::sync::Arc;
use std::time::Duration;

pub use context::Teardown;
pub use fixture::{Fixture, FixtureError};
pub use report::{CaseResult, Report};
pub use verdict::Failure;

/// The features of the official suite that this suite runs, named as its feature files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Feature {
    /// Unknown endpoints, verbs and case (ATS 2.1 Http.feature).
    Http,
    /// The bearer token (ATS 2.1 JWT.feature).
    Jwt,
    /// The CapabilityStatement and content negotiation (ATS 2.1 FHIR.feature).
    Fhir,
    /// Read a patient.
    PatientRead,
    /// Find a patient.
    PatientSearch,
    /// `$gpc.registerpatient`.
    PatientRegister,
    /// Read a practitioner.
    PractitionerRead,
    /// Find a practitioner.
    PractitionerSearch,
    /// Read an organisation.
    OrganizationRead,
    /// Find an organisation.
    OrganizationSearch,
    /// Read a location.
    LocationRead,
    /// Search for free slots.
    SearchForFreeSlots,
    /// Book an appointment.
    AppointmentBook,
    /// Read an appointment.
    AppointmentRead,
    /// Amend an appointment.
    AppointmentAmend,
    /// Cancel an appointment.
    AppointmentCancel,
    /// Retrieve a patient's appointments.
    AppointmentRetrieve,
}

impl Feature {
    /// Every feature, in run order.
    pub const ALL: [Feature; 17] = [
        Self::Http,
        Self::Jwt,
        Self::Fhir,
        Self::PatientRead,
        Self::PatientSearch,
        Self::PatientRegister,
        Self::PractitionerRead,
        Self::PractitionerSearch,
        Self::OrganizationRead,
        Self::OrganizationSearch,
        Self::LocationRead,
        Self::SearchForFreeSlots,
        Self::AppointmentBook,
        Self::AppointmentRead,
        Self::AppointmentAmend,
        Self::AppointmentCancel,
        Self::AppointmentRetrieve,
    ];

    /// The feature file's name, e.g. `PatientRead`, `JWT`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Http => "Http",
            Self::Jwt => "JWT",
            Self::Fhir => "FHIR",
            Self::PatientRead => "PatientRead",
            Self::PatientSearch => "PatientSearch",
            Self::PatientRegister => "PatientRegister",
            Self::PractitionerRead => "PractitionerRead",
            Self::PractitionerSearch => "PractitionerSearch",
            Self::OrganizationRead => "OrganizationRead",
            Self::OrganizationSearch => "OrganizationSearch",
            Self::LocationRead => "LocationRead",
            Self::SearchForFreeSlots => "SearchForFreeSlots",
            Self::AppointmentBook => "AppointmentBook",
            Self::AppointmentRead => "AppointmentRead",
            Self::AppointmentAmend => "AppointmentAmend",
            Self::AppointmentCancel => "AppointmentCancel",
            Self::AppointmentRetrieve => "AppointmentRetrieve",
        }
    }

    /// The feature named `name` (case-insensitive).
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }
}

impl std::fmt::Display for Feature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// How to run the suite.
#[derive(Debug, Clone)]
pub struct Options {
    /// The provider's service root, e.g. `https://provider.example/A20047/STU3/1/gpconnect`.
    pub base_url: String,
    /// The provider's test data.
    pub fixture: Fixture,
    /// How many cases run at once.
    pub concurrency: usize,
    /// The longest one request may take.
    pub request_timeout: Duration,
    /// The longest one case may take.
    pub case_timeout: Duration,
    /// Only these features (all when empty).
    pub features: Vec<Feature>,
    /// Only cases whose `Feature scenario [row]` name contains this text.
    pub filter: Option<String>,
}

impl Options {
    /// Every feature against `base_url`, eight cases at a time.
    pub fn new(base_url: impl Into<String>, fixture: Fixture) -> Self {
        Self {
            base_url: base_url.into(),
            fixture,
            concurrency: 8,
            request_timeout: Duration::from_secs(60),
            case_timeout: Duration::from_secs(300),
            features: Vec::new(),
            filter: None,
        }
    }
}

/// Why the suite could not run at all.
#[derive(Debug, thiserror::Error)]
pub enum SuiteError {
    /// The base URL is not an http(s) URL.
    #[error("base URL {0:?} is not an http:// or https:// URL")]
    BaseUrl(String),
    /// The fixture is unusable.
    #[error("fixture: {0}")]
    Fixture(String),
    /// The HTTP client could not be set up.
    #[error("HTTP client: {0}")]
    Client(String),
}

/// The names (`Feature scenario [row]`) of the cases `options` selects, in run order.
pub fn case_names(options: &Options) -> Vec<String> {
    selected(options).iter().map(runner::Case::name).collect()
}

fn selected(options: &Options) -> Vec<runner::Case> {
    scenarios::all()
        .into_iter()
        .filter(|c| options.features.is_empty() || options.features.contains(&c.feature))
        .filter(|c| {
            options
                .filter
                .as_deref()
                .is_none_or(|text| c.name().contains(text))
        })
        .collect()
}

/// Runs the selected cases against the provider, calling `on_result` for each case in run
/// order as results come in, then cancels the appointments the run created.
pub async fn run(
    options: &Options,
    on_result: impl FnMut(&CaseResult),
) -> Result<Report, SuiteError> {
    let base_url = options.base_url.trim_end_matches('/');
    if !(base_url.starts_with("http://") || base_url.starts_with("https://"))
        || reqwest::Url::parse(base_url).is_err()
    {
        return Err(SuiteError::BaseUrl(options.base_url.clone()));
    }
    options
        .fixture
        .validate()
        .map_err(|e| SuiteError::Fixture(e.to_string()))?;
    let ctx = Arc::new(context::Ctx::new(
        base_url,
        options.fixture.clone(),
        options.request_timeout,
    )?);
    let (results, teardown) = runner::execute(
        ctx,
        selected(options),
        options.concurrency,
        options.case_timeout,
        on_result,
    )
    .await;
    Ok(Report { results, teardown })
}
