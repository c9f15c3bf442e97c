//! Shared test support: a fixture store hosting one practice, the whole provider on the demo
//! data ([`DemoApp`]), a JWT builder with the assurance suite's defaults (ATS 1.4) and request
//! builders carrying the default SSP headers (ATS 1.3).
#![allow(dead_code, unused_imports)]

pub mod demo;
pub mod fixture_store;
pub mod jwt;

use std::sync::Arc;

use axum::body::Body;
use axum::Router;
use gpconnect_domain::records::Practice;
use gpconnect_domain::{Asid, FhirId, Interaction, OdsCode};
use gpconnect_server::{AppState, ServerConfig};
use http::{Request, Response};
use http_body_util::BodyExt;
use tower::ServiceExt;

pub use demo::DemoApp;
pub use fixture_store::FixtureStore;
pub use jwt::JwtBuilder;

/// The practice the fixture hosts (ATS ORG1).
pub const ODS: &str = "A20047";
/// Its provider ASID (ATS `providerASID`).
pub const PROVIDER_ASID: &str = "918999198993";
/// The consumer ASID (ATS `consumerASID`).
pub const CONSUMER_ASID: &str = "200000000359";

/// The fixture practice, with GP Connect and Appointment Management switched on.
pub fn practice() -> Practice {
    Practice {
        ods: OdsCode::parse(ODS).unwrap(),
        asid: Asid::parse(PROVIDER_ASID).unwrap(),
        organization_id: FhirId::parse("1").unwrap(),
        name: "The Fixture Practice".into(),
        gp_connect_enabled: true,
        appointments_enabled: true,
        diary_version: 0,
    }
}

/// Logs go to the test output only when `TEST_LOG` is set.
pub fn init_logs() {
    if std::env::var_os("TEST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(
                std::env::var("TEST_LOG")
                    .ok()
                    .filter(|v| !v.is_empty() && v != "1")
                    .unwrap_or_else(|| "debug".into()),
            )
            .with_test_writer()
            .try_init();
    }
}

/// A provider under test, called in-process.
pub struct TestApp {
    pub app: Router,
    pub state: AppState,
    pub store: Arc<FixtureStore>,
}

impl TestApp {
    /// The pipeline and the metadata handler, hosting [`practice`].
    pub fn new() -> Self {
        Self::with_practices(vec![practice()])
    }

    /// The pipeline and the metadata handler, hosting `practices`.
    pub fn with_practices(practices: Vec<Practice>) -> Self {
        // Only the metadata handler: pipeline tests see 501 NOT_IMPLEMENTED on every other
        // route once the checks pass, whatever handlers exist.
        Self::build(
            practices,
            ServerConfig::default(),
            gpconnect_server::metadata::router(),
        )
    }

    /// The pipeline in front of `handlers` (paths relative to the practice base), hosting
    /// [`practice`], with `config`.
    pub fn with_handlers(handlers: Router<AppState>, config: ServerConfig) -> Self {
        Self::build(vec![practice()], config, handlers)
    }

    fn build(practices: Vec<Practice>, config: ServerConfig, handlers: Router<AppState>) -> Self {
        init_logs();
        let store = Arc::new(FixtureStore::new(practices));
        let state = AppState::new(
            store.clone(),
            Arc::new(gpconnect_demo::LocalPds::new()),
            config,
        );
        Self {
            app: gpconnect_server::pipeline::app(state.clone(), handlers),
            state,
            store,
        }
    }

    /// Sends one request through the whole provider.
    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self.app.clone().oneshot(request).await.unwrap();
        TestResponse::read(response).await
    }
}

/// A request to `path` (relative to the fixture practice base) with the default headers and a
/// valid JWT for `interaction`.
pub fn request(method: &str, path: &str, interaction: Interaction) -> http::request::Builder {
    let uri = format!("/{ODS}/STU3/1/gpconnect{path}");
    Request::builder()
        .method(method)
        .uri(uri)
        .header("Ssp-TraceID", uuid::Uuid::new_v4().to_string())
        .header("Ssp-From", CONSUMER_ASID)
        .header("Ssp-To", PROVIDER_ASID)
        .header("Ssp-InteractionID", interaction.id())
        .header("Accept", "application/fhir+json")
        .header(
            "Authorization",
            format!("Bearer {}", JwtBuilder::new(interaction).token()),
        )
}

/// Replaces (or with `None` removes) a header of a built request.
pub fn set_header(request: &mut Request<Body>, name: &str, value: Option<&str>) {
    let name = http::HeaderName::from_bytes(name.as_bytes()).unwrap();
    match value {
        Some(value) => {
            request
                .headers_mut()
                .insert(name, http::HeaderValue::from_str(value).unwrap());
        }
        None => {
            request.headers_mut().remove(name);
        }
    }
}

/// A built request with `token` as its bearer token.
pub fn with_token(mut request: Request<Body>, token: &str) -> Request<Body> {
    set_header(
        &mut request,
        "Authorization",
        Some(&format!("Bearer {token}")),
    );
    request
}

/// `GET /metadata` with the default headers.
pub fn metadata() -> http::request::Builder {
    request("GET", "/metadata", Interaction::ReadMetadata)
}

/// A response read to the end.
#[derive(Debug)]
pub struct TestResponse {
    pub status: u16,
    pub headers: http::HeaderMap,
    pub body: Vec<u8>,
}

impl TestResponse {
    pub async fn read(response: Response<Body>) -> Self {
        let (parts, body) = response.into_parts();
        let body = body.collect().await.unwrap().to_bytes().to_vec();
        Self {
            status: parts.status.as_u16(),
            headers: parts.headers,
            body,
        }
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    /// The body as JSON (panics if it is not).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {}",
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    /// The Spine code of a JSON OperationOutcome, checking its shape (ATS 3.7).
    pub fn spine_code(&self) -> String {
        let oo = self.json();
        assert_eq!(oo["resourceType"], "OperationOutcome", "{oo}");
        assert_eq!(
            oo["meta"]["profile"][0],
            "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1"
        );
        let issue = &oo["issue"][0];
        assert_eq!(issue["severity"], "error");
        assert!(issue["code"].is_string());
        let codings = issue["details"]["coding"].as_array().unwrap();
        assert_eq!(codings.len(), 1, "{oo}");
        assert_eq!(
            codings[0]["system"],
            "https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1"
        );
        assert!(codings[0]["display"].is_string());
        codings[0]["code"].as_str().unwrap().to_owned()
    }

    /// The OperationOutcome diagnostics.
    pub fn diagnostics(&self) -> String {
        self.json()["issue"][0]["diagnostics"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Asserts an OperationOutcome answer with this status and Spine code.
    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!(
            self.status,
            status,
            "{}",
            String::from_utf8_lossy(&self.body)
        );
        assert_eq!(
            self.header("content-type"),
            Some("application/fhir+json;charset=utf-8")
        );
        assert_eq!(self.spine_code(), code);
    }
}
