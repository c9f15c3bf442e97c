//! SPEC 2.6: consumers ignore unknown elements and extensions. A provider stub answers with
//! elements of later FHIR versions, vendor elements and extensions of types the model does not
//! know, in JSON and in XML; the client reads the answers, still maps error answers to their
//! Spine code, and still refuses a known element of the wrong type.
// Tests and their support may unwrap: a panic is a test failure with a clear location.
#![allow(clippy::unwrap_used)]

mod support;

use axum::extract::Request;
use axum::http::header::{ACCEPT, CONTENT_TYPE, ETAG};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Router;
use gpconnect_client::{ClientError, GpConnectClient, ProviderEndpoint};
use gpconnect_domain::{Asid, FhirId, NhsNumber, SpineCode};
use gpconnect_fhir::Format;
use support::config;
use tokio::task::JoinHandle;

const PATIENT_JSON: &str = r#"{
  "resourceType": "Patient",
  "id": "1",
  "meta": { "versionId": "3", "source": "urn:example:source" },
  "extension": [
    { "url": "https://example.org/unknown-duration", "valueDuration": { "value": 5 } },
    { "url": "https://example.org/known-type", "valueString": "kept" }
  ],
  "vendorData": { "tier": "gold" },
  "identifier": [{ "system": "https://fhir.nhs.uk/Id/nhs-number", "value": "9000000009", "vendorCheck": true }],
  "name": [{ "use": "official", "family": "Jones", "given": ["Ann"] }],
  "gender": "female",
  "birthDate": "1980-02-03",
  "_birthDate": { "extension": [{ "url": "http://hl7.org/fhir/StructureDefinition/patient-birthTime", "valueDateTime": "1980-02-03T10:00:00+00:00" }] },
  "generalPractitioner": [{ "reference": "Practitioner/2", "type": "Practitioner" }]
}"#;

const PATIENT_XML: &str = r#"<Patient xmlns="http://hl7.org/fhir" xmlns:v="urn:example:vendor" v:note="x">
  <id value="1"/>
  <meta><versionId value="3"/><source value="urn:example:source"/></meta>
  <extension url="https://example.org/unknown-duration"><valueDuration><value value="5"/></valueDuration></extension>
  <extension url="https://example.org/known-type"><valueString value="kept"/></extension>
  <v:vendorData tier="gold">anything <v:more/></v:vendorData>
  <identifier><system value="https://fhir.nhs.uk/Id/nhs-number"/><value value="9000000009"/><vendorCheck value="true"/></identifier>
  <name><use value="official"/><family value="Jones"/><given value="Ann"/></name>
  <gender value="female"/>
  <birthDate value="1980-02-03"><extension url="http://hl7.org/fhir/StructureDefinition/patient-birthTime"><valueDateTime value="1980-02-03T10:00:00+00:00"/></extension></birthDate>
  <generalPractitioner><reference value="Practitioner/2"/><type value="Practitioner"/></generalPractitioner>
</Patient>"#;

const NOT_FOUND_JSON: &str = r#"{
  "resourceType": "OperationOutcome",
  "meta": { "profile": ["https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1"] },
  "issue": [{
    "severity": "error",
    "code": "not-found",
    "vendorTrace": "abc",
    "details": { "coding": [{
      "system": "https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1",
      "code": "PATIENT_NOT_FOUND",
      "display": "Patient not found"
    }]},
    "diagnostics": "No patient with logical id 404"
  }]
}"#;

const NOT_FOUND_XML: &str = r#"<OperationOutcome xmlns="http://hl7.org/fhir">
  <meta><profile value="https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1"/></meta>
  <issue>
    <severity value="error"/>
    <code value="not-found"/>
    <vendorTrace value="abc"/>
    <details><coding>
      <system value="https://fhir.nhs.uk/STU3/CodeSystem/Spine-ErrorOrWarningCode-1"/>
      <code value="PATIENT_NOT_FOUND"/>
      <display value="Patient not found"/>
    </coding></details>
    <diagnostics value="No patient with logical id 404"/>
  </issue>
</OperationOutcome>"#;

/// The searchset of a patient search, with the patient answer inside an entry.
fn searchset(format: Format) -> String {
    match format {
        Format::Json => format!(
            r#"{{"resourceType":"Bundle","meta":{{"versionId":"1"}},"type":"searchset","timestamp":"2020-01-01T10:00:00+00:00","total":1,
                "entry":[{{"fullUrl":"http://stub/Patient/1","resource":{PATIENT_JSON},"search":{{"mode":"match","rank":1}}}}]}}"#
        ),
        Format::Xml => format!(
            r#"<Bundle xmlns="http://hl7.org/fhir"><meta><versionId value="1"/></meta><type value="searchset"/>
                <timestamp value="2020-01-01T10:00:00+00:00"/><total value="1"/>
                <entry><fullUrl value="http://stub/Patient/1"/><resource>{PATIENT_XML}</resource>
                <search><mode value="match"/><rank value="1"/></search></entry></Bundle>"#
        ),
    }
}

/// A provider on a later version: every answer carries content this model does not know.
struct StubProvider {
    endpoint: ProviderEndpoint,
    server: JoinHandle<()>,
}

impl StubProvider {
    async fn start() -> Self {
        support::init_logs();
        let app = Router::new().fallback(answer);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        let endpoint = ProviderEndpoint {
            base_url: format!("http://{addr}/A20047/STU3/1/gpconnect"),
            provider_asid: Asid::parse("918999198993").unwrap(),
        };
        Self { endpoint, server }
    }

    fn client(&self, format: Format) -> GpConnectClient {
        let mut config = config(&self.endpoint);
        config.format = format;
        GpConnectClient::new(config).unwrap()
    }
}

impl Drop for StubProvider {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn answer(request: Request) -> Response {
    let format = match request.headers().get(ACCEPT).map(|v| v.as_bytes()) {
        Some(b"application/fhir+xml") => Format::Xml,
        _ => Format::Json,
    };
    let path = request.uri().path();
    let (status, body) = if path.ends_with("/Patient/1") {
        let body = match format {
            Format::Json => PATIENT_JSON.to_owned(),
            Format::Xml => PATIENT_XML.to_owned(),
        };
        (StatusCode::OK, body)
    } else if path.ends_with("/Patient") {
        (StatusCode::OK, searchset(format))
    } else if path.ends_with("/Patient/wrong-type") {
        let body = match format {
            Format::Json => {
                r#"{"resourceType":"Patient","id":"wrong-type","vendor":1,"active":"yes"}"#
            }
            Format::Xml => {
                r#"<Patient xmlns="http://hl7.org/fhir"><id value="wrong-type"/><vendor/><active value="yes"/></Patient>"#
            }
        };
        (StatusCode::OK, body.to_owned())
    } else {
        let body = match format {
            Format::Json => NOT_FOUND_JSON,
            Format::Xml => NOT_FOUND_XML,
        };
        (StatusCode::NOT_FOUND, body.to_owned())
    };
    let content_type = format!("{};charset=utf-8", format.mime());
    (
        status,
        [(CONTENT_TYPE, content_type), (ETAG, "W/\"3\"".to_owned())],
        body,
    )
        .into_response()
}

fn id(value: &str) -> FhirId {
    FhirId::parse(value).unwrap()
}

#[tokio::test]
async fn answers_with_unknown_elements_and_extensions_are_read() {
    let stub = StubProvider::start().await;
    for format in [Format::Json, Format::Xml] {
        let client = stub.client(format);

        let read = client.read_patient(&id("1")).await.unwrap();
        let patient = &read.resource;
        assert_eq!(read.version_id.as_deref(), Some("3"), "{format:?}");
        assert_eq!(
            patient.name[0].family.as_deref(),
            Some("Jones"),
            "{format:?}"
        );
        assert_eq!(
            patient.birth_date.as_deref(),
            Some("1980-02-03"),
            "{format:?}"
        );
        assert_eq!(patient.identifier[0].value.as_deref(), Some("9000000009"));
        assert_eq!(
            patient.general_practitioner[0].reference.as_deref(),
            Some("Practitioner/2")
        );
        let urls: Vec<&str> = patient.extension.iter().map(|e| e.url.as_str()).collect();
        assert_eq!(urls, ["https://example.org/known-type"], "{format:?}");

        let found = client
            .find_patient(&NhsNumber::parse("9000000009").unwrap())
            .await
            .unwrap();
        assert_eq!(found.len(), 1, "{format:?}");
        assert_eq!(found[0].resource, read.resource, "{format:?}");
    }
}

#[tokio::test]
async fn error_answers_with_unknown_elements_keep_their_spine_code() {
    let stub = StubProvider::start().await;
    for format in [Format::Json, Format::Xml] {
        let err = stub
            .client(format)
            .read_patient(&id("404"))
            .await
            .unwrap_err();
        let provider = err
            .provider()
            .unwrap_or_else(|| panic!("{format:?}: {err}"));
        assert_eq!(provider.status, 404);
        assert_eq!(provider.spine_code, Some(SpineCode::PatientNotFound));
        assert_eq!(
            provider.diagnostics.as_deref(),
            Some("No patient with logical id 404")
        );
    }
}

#[tokio::test]
async fn a_known_element_of_the_wrong_type_is_still_a_decode_error() {
    let stub = StubProvider::start().await;
    for format in [Format::Json, Format::Xml] {
        let err = stub
            .client(format)
            .read_patient(&id("wrong-type"))
            .await
            .unwrap_err();
        match err {
            ClientError::Decode { source, .. } => {
                assert_eq!(source.path(), "Patient.active", "{format:?}")
            }
            other => panic!("{format:?}: {other}"),
        }
    }
}
