//! Support for the Foundations tests: requests as the assurance suite sends them (ATS 1.3),
//! answers decoded strictly in either format, the body checks of ATS 3.1–3.4 and register
//! bodies built like the suite's (ATS 2.2 PatientRegister) for people of the local PDS's
//! registration pool.
#![allow(dead_code)]

use axum::body::Body;
use gpconnect_demo::fixtures::fixture_patient;
use gpconnect_demo::LocalPds;
use gpconnect_domain::Interaction;
use gpconnect_fhir::Format;
use http::Request;
use serde_json::{json, Value};

use crate::support::{request, set_header, DemoApp, TestResponse};

pub const SD: &str = "https://fhir.nhs.uk/STU3/StructureDefinition/";
pub const PATIENT_PROFILE: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Patient-1";
pub const PRACTITIONER_PROFILE: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Practitioner-1";
pub const ORGANIZATION_PROFILE: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Organization-1";
pub const LOCATION_PROFILE: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Location-1";
pub const SEARCHSET_PROFILE: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-Searchset-Bundle-1";
pub const OUTCOME_PROFILE: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/GPConnect-OperationOutcome-1";
pub const NHS_SYSTEM: &str = "https://fhir.nhs.uk/Id/nhs-number";
pub const SDS_USER_SYSTEM: &str = "https://fhir.nhs.uk/Id/sds-user-id";
pub const SDS_ROLE_SYSTEM: &str = "https://fhir.nhs.uk/Id/sds-role-profile-id";
pub const ODS_SYSTEM: &str = "https://fhir.nhs.uk/Id/ods-organization-code";
pub const SITE_SYSTEM: &str = "https://fhir.nhs.uk/Id/ods-site-code";
pub const VERIFICATION_EXT: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-NHSNumberVerificationStatus-1";
pub const VERIFICATION_SYSTEM: &str =
    "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-NHSNumberVerificationStatus-1";
pub const REGISTRATION_EXT: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-RegistrationDetails-1";
pub const REGISTRATION_TYPE_SYSTEM: &str =
    "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-RegistrationType-1";
pub const COMMUNICATION_EXT: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-NHSCommunication-1";

/// The suite's fixture patients' NHS numbers (ATS 1.7).
pub fn nhs(key: &str) -> &'static str {
    fixture_patient(key).unwrap().nhs_number
}

/// How the response format is asked for (ATS FHIR.feature: `_format` wins over `Accept`).
#[derive(Debug, Clone, Copy)]
pub struct Ask {
    pub accept: Option<Format>,
    pub format: Option<Format>,
}

impl Ask {
    pub const JSON: Ask = Ask::accept(Format::Json);
    pub const XML: Ask = Ask::accept(Format::Xml);

    pub const fn accept(format: Format) -> Ask {
        Ask {
            accept: Some(format),
            format: None,
        }
    }

    pub const fn param(format: Format) -> Ask {
        Ask {
            accept: None,
            format: Some(format),
        }
    }

    pub const fn both(accept: Format, format: Format) -> Ask {
        Ask {
            accept: Some(accept),
            format: Some(format),
        }
    }

    /// The format the answer must come in.
    pub fn expected(self) -> Format {
        self.format.or(self.accept).unwrap_or(Format::Json)
    }

    /// The request's Accept header and `_format` parameter (before or after the others).
    fn apply(self, path: &str, format_first: bool) -> (String, Option<&'static str>) {
        let path = match self.format {
            None => path.to_owned(),
            Some(f) => {
                let param = format!("_format={}", urlencode(f.mime()));
                match path.split_once('?') {
                    Some((base, query)) if format_first => format!("{base}?{param}&{query}"),
                    Some(_) => format!("{path}&{param}"),
                    None => format!("{path}?{param}"),
                }
            }
        };
        (path, self.accept.map(Format::mime))
    }
}

/// Percent-encodes a query value as the suite's `WebUtility.UrlEncode` does for the characters
/// that matter here (ATS 1.3: `|` is `%7C`, `:` `%3A`, `/` `%2F`, `+` `%2B`).
pub fn urlencode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() * 3);
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'*' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// `identifier={system}|{value}`, encoded.
pub fn identifier_query(system: &str, value: &str) -> String {
    format!("identifier={}", urlencode(&format!("{system}|{value}")))
}

/// A GET as the suite sends it, with the answer format asked for as `ask` says (`_format`
/// after the other parameters).
pub fn get(path: &str, interaction: Interaction, ask: Ask) -> Request<Body> {
    get_ordered(path, interaction, ask, false)
}

/// A GET with `_format` placed before (`format_first`) or after the other parameters.
pub fn get_ordered(
    path: &str,
    interaction: Interaction,
    ask: Ask,
    format_first: bool,
) -> Request<Body> {
    let (path, accept) = ask.apply(path, format_first);
    let mut request = request("GET", &path, interaction)
        .body(Body::empty())
        .unwrap();
    set_header(&mut request, "Accept", accept);
    request
}

/// The format named by the answer's Content-Type (ATS 1.6: exactly a FHIR media type).
pub fn format_of(response: &TestResponse) -> Format {
    match response.header("content-type") {
        Some("application/fhir+json;charset=utf-8") => Format::Json,
        Some("application/fhir+xml;charset=utf-8") => Format::Xml,
        other => panic!(
            "not a FHIR content type: {other:?} ({})",
            String::from_utf8_lossy(&response.body)
        ),
    }
}

/// The answer decoded strictly as FHIR in its format (as the suite's parser does, ATS 1.6),
/// then given as JSON so that both formats are checked alike.
pub fn resource(response: &TestResponse) -> Value {
    let format = format_of(response);
    let decoded = gpconnect_fhir::decode(&response.body, format).unwrap_or_else(|e| {
        panic!(
            "answer is not valid FHIR {format:?} ({e}): {}",
            String::from_utf8_lossy(&response.body)
        )
    });
    serde_json::to_value(&decoded).unwrap()
}

/// Asserts a 200 in `format` and returns the resource.
#[track_caller]
pub fn ok(response: &TestResponse, format: Format) -> Value {
    assert_eq!(
        response.status,
        200,
        "{}",
        String::from_utf8_lossy(&response.body)
    );
    assert_eq!(format_of(response), format);
    assert_no_store(response);
    resource(response)
}

/// ATS 3.8: every answer, success or failure, has `Cache-Control: no-store`.
#[track_caller]
pub fn assert_no_store(response: &TestResponse) {
    let cache = response.header("cache-control").unwrap_or_default();
    assert!(cache.contains("no-store"), "Cache-Control: {cache}");
}

/// Asserts an OperationOutcome answer (in either format) with `status` and Spine `code`, shaped
/// as ATS 3.7 checks it; returns its diagnostics.
#[track_caller]
pub fn assert_outcome(response: &TestResponse, status: u16, code: &str) -> String {
    assert_eq!(
        response.status,
        status,
        "{}",
        String::from_utf8_lossy(&response.body)
    );
    assert_no_store(response);
    let oo = resource(response);
    assert_eq!(oo["resourceType"], "OperationOutcome", "{oo}");
    assert_eq!(oo["meta"]["profile"], json!([OUTCOME_PROFILE]));
    let issues = oo["issue"].as_array().unwrap();
    assert!(!issues.is_empty());
    for issue in issues {
        assert_eq!(issue["severity"], "error");
        assert!(issue["code"].is_string());
        let codings = issue["details"]["coding"].as_array().unwrap();
        assert_eq!(codings.len(), 1, "{oo}");
        assert!(codings[0]["display"].is_string());
    }
    assert_eq!(issues[0]["details"]["coding"][0]["code"], code, "{oo}");
    issues[0]["diagnostics"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// The resources of a searchset Bundle, checking its type (SPEC 2.11: no entry when empty,
/// no `total`, `link` or `fullUrl`).
#[track_caller]
pub fn searchset(bundle: &Value) -> Vec<Value> {
    assert_eq!(bundle["resourceType"], "Bundle", "{bundle}");
    assert_eq!(bundle["type"], "searchset");
    assert!(bundle.get("total").is_none() && bundle.get("link").is_none());
    match bundle.get("entry") {
        None => Vec::new(),
        Some(entries) => {
            let entries = entries.as_array().unwrap();
            assert!(!entries.is_empty(), "an empty result has no entry element");
            entries
                .iter()
                .map(|e| {
                    assert!(e.get("fullUrl").is_none());
                    e["resource"].clone()
                })
                .collect()
        }
    }
}

/// `meta` claims exactly `profile` and carries a version id (SPEC 2.7, ATS 3.1–3.4).
#[track_caller]
pub fn assert_meta(resource: &Value, profile: &str) {
    assert_eq!(resource["meta"]["profile"], json!([profile]), "{resource}");
    assert!(
        resource["meta"]["versionId"]
            .as_str()
            .is_some_and(|v| !v.is_empty()),
        "{resource}"
    );
}

/// Reads `reference` (`Type/id`) through its read interaction and returns the resource.
pub async fn read_reference(app: &DemoApp, reference: &str) -> Value {
    let interaction = match reference.split('/').next() {
        Some("Patient") => Interaction::ReadPatient,
        Some("Practitioner") => Interaction::ReadPractitioner,
        Some("Organization") => Interaction::ReadOrganization,
        Some("Location") => Interaction::ReadLocation,
        other => panic!("unexpected reference type {other:?} in {reference}"),
    };
    let response = app
        .send(get(&format!("/{reference}"), interaction, Ask::JSON))
        .await;
    let resource = ok(&response, Format::Json);
    let (kind, id) = reference.split_once('/').unwrap();
    assert_eq!(
        (resource["resourceType"].as_str(), resource["id"].as_str()),
        (Some(kind), Some(id))
    );
    resource
}

/// The extensions of `resource` with `url`.
pub fn extensions<'a>(resource: &'a Value, url: &str) -> Vec<&'a Value> {
    resource["extension"]
        .as_array()
        .map(|all| all.iter().filter(|e| e["url"] == url).collect())
        .unwrap_or_default()
}

/// The Patient body checks of ATS 3.1 (search and read conformance) for the patient with
/// `nhs_number`; returns the references to resolve.
#[track_caller]
pub fn assert_patient_conforms(patient: &Value, nhs_number: &str) -> Vec<String> {
    assert_eq!(patient["resourceType"], "Patient");
    assert!(patient["id"].is_string());
    assert_meta(patient, PATIENT_PROFILE);

    // One identifier: the NHS number, its verification extension first.
    let identifiers = patient["identifier"].as_array().unwrap();
    assert_eq!(identifiers.len(), 1, "{patient}");
    assert_eq!(identifiers[0]["system"], NHS_SYSTEM);
    assert_eq!(identifiers[0]["value"], nhs_number);
    let verification = &identifiers[0]["extension"][0];
    assert_eq!(verification["url"], VERIFICATION_EXT);
    let codings = verification["valueCodeableConcept"]["coding"]
        .as_array()
        .unwrap();
    assert_eq!(codings.len(), 1);
    assert_eq!(codings[0]["system"], VERIFICATION_SYSTEM);
    assert_eq!(codings[0]["code"], "01");
    assert_eq!(codings[0]["display"], "Number present and verified");

    let names = patient["name"].as_array().unwrap();
    assert_eq!(
        names.iter().filter(|n| n["use"] == "official").count(),
        1,
        "{patient}"
    );
    assert!(names
        .iter()
        .all(|n| n["use"].is_string() && n["family"].is_string()));
    for telecom in patient["telecom"].as_array().into_iter().flatten() {
        assert!(
            telecom["system"].is_string()
                && telecom["value"].is_string()
                && telecom["use"].is_string()
        );
    }
    assert!(patient["gender"].is_string());
    assert!(patient["birthDate"].is_string());
    assert!(patient.get("deceasedBoolean").is_none());
    for absent in [
        "maritalStatus",
        "multipleBirthBoolean",
        "multipleBirthInteger",
        "photo",
        "link",
        "animal",
        "communication",
    ] {
        assert!(patient.get(absent).is_none(), "{absent} in {patient}");
    }
    for forbidden in [
        "Extension-CareConnect-GPC-EthnicCategory-1",
        "Extension-CareConnect-GPC-ReligiousAffiliation-1",
        "Extension-CareConnect-GPC-ResidentialStatus-1",
        "Extension-CareConnect-GPC-TreatmentCategory-1",
    ] {
        assert!(extensions(patient, &format!("{SD}{forbidden}")).is_empty());
    }
    assert!(extensions(
        patient,
        "http://hl7.org/fhir/StructureDefinition/patient-cadavericDonor"
    )
    .is_empty());
    for contact in patient["contact"].as_array().into_iter().flatten() {
        for relationship in contact["relationship"].as_array().into_iter().flatten() {
            assert!(relationship["text"].is_string() && relationship.get("coding").is_none());
        }
        assert!(contact["name"]["use"].is_string());
    }
    assert_registration_details(patient, false);

    let mut references = Vec::new();
    let gps = patient["generalPractitioner"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert!(gps.len() <= 1);
    for gp in gps {
        let reference = gp["reference"].as_str().unwrap().to_owned();
        assert!(reference.starts_with("Practitioner/"), "{reference}");
        references.push(reference);
    }
    let managing = patient["managingOrganization"]["reference"]
        .as_str()
        .unwrap();
    assert!(managing.starts_with("Organization/"), "{managing}");
    references.push(managing.to_owned());
    references
}

/// ATS 3.1: exactly one registration details extension; type (from the CodeSystem), period
/// and preferred branch at most once each; never a registration status. Returns it.
#[track_caller]
pub fn assert_registration_details(patient: &Value, temporary: bool) -> Value {
    let details = extensions(patient, REGISTRATION_EXT);
    assert_eq!(details.len(), 1, "{patient}");
    let parts = details[0]["extension"].as_array().unwrap();
    let count = |url: &str| parts.iter().filter(|p| p["url"] == url).count();
    assert_eq!(count("registrationStatus"), 0);
    assert!(count("registrationPeriod") <= 1 && count("preferredBranchSurgery") <= 1);
    assert_eq!(count("registrationType"), 1);
    let part = |url: &str| parts.iter().find(|p| p["url"] == url);
    let coding = &part("registrationType").unwrap()["valueCodeableConcept"]["coding"];
    assert_eq!(coding.as_array().unwrap().len(), 1);
    let (code, display) = (
        coding[0]["code"].as_str().unwrap(),
        coding[0]["display"].as_str().unwrap(),
    );
    assert_eq!(coding[0]["system"], REGISTRATION_TYPE_SYSTEM);
    assert!(
        [
            ("R", "Regular"),
            ("E", "Emergency"),
            ("IN", "Immediately necessary"),
            ("T", "Temporary"),
            ("P", "Private"),
            ("O", "Other"),
            ("S", "Synthetic Record")
        ]
        .contains(&(code, display)),
        "{code} {display}"
    );
    if temporary {
        assert_eq!(code, "T");
        assert!(part("registrationPeriod").unwrap()["valuePeriod"]["start"].is_string());
    }
    if let Some(branch) = part("preferredBranchSurgery") {
        assert!(branch["valueReference"]["reference"]
            .as_str()
            .unwrap()
            .starts_with("Location/"));
    }
    details[0].clone()
}

/// The `index`-th person of the local PDS's registration pool: on PDS, not held by the demo
/// practices. Each test takes its own indices so that none depends on another.
#[derive(Debug, Clone)]
pub struct Person {
    pub nhs: String,
    pub family: String,
    pub given: String,
    pub gender: &'static str,
    pub birth_date: String,
}

pub fn pool_person(index: usize) -> Person {
    let pds = LocalPds::new();
    let record = pds
        .registration_candidates()
        .nth(index)
        .expect("the pool holds enough people");
    Person {
        nhs: record.nhs_number.as_str().to_owned(),
        family: record.family.clone(),
        given: record.given[0].clone(),
        gender: record.gender.code(),
        birth_date: record.birth_date.to_string(),
    }
}

/// The Patient the suite registers (ATS 2.2: `DefaultRegisterPatientBuilder`): profile, the NHS
/// number with its verification extension, the official name, gender and birth date.
pub fn register_patient(person: &Person) -> Value {
    json!({
        "resourceType": "Patient",
        "meta": { "profile": [PATIENT_PROFILE] },
        "identifier": [{
            "extension": [{
                "url": VERIFICATION_EXT,
                "valueCodeableConcept": { "coding": [{
                    "system": VERIFICATION_SYSTEM,
                    "code": "01",
                    "display": "Number present and verified"
                }]}
            }],
            "system": NHS_SYSTEM,
            "value": person.nhs
        }],
        "name": [{ "use": "official", "family": person.family, "given": [person.given] }],
        "gender": person.gender,
        "birthDate": person.birth_date
    })
}

/// `Parameters` with one `registerPatient` parameter per patient.
pub fn parameters(patients: &[Value]) -> Value {
    json!({
        "resourceType": "Parameters",
        "parameter": patients
            .iter()
            .map(|p| json!({ "name": "registerPatient", "resource": p }))
            .collect::<Vec<_>>()
    })
}

/// A JSON body re-encoded as FHIR XML (ATS: the suite serialises bodies in the Content-Type's
/// format).
pub fn to_xml(body: &Value) -> Vec<u8> {
    let resource = gpconnect_fhir::json::decode(body.to_string().as_bytes()).unwrap();
    gpconnect_fhir::encode(&resource, Format::Xml).unwrap()
}

/// `POST /Patient/$gpc.registerpatient` with `body` sent as `content` and the answer asked for
/// as `ask`.
pub fn register_request(body: &Value, content: Format, ask: Ask) -> Request<Body> {
    let bytes = match content {
        Format::Json => body.to_string().into_bytes(),
        Format::Xml => to_xml(body),
    };
    register_raw(bytes, content.mime(), ask)
}

/// `POST /Patient/$gpc.registerpatient` with raw bytes.
pub fn register_raw(bytes: Vec<u8>, content_type: &str, ask: Ask) -> Request<Body> {
    let (path, accept) = ask.apply("/Patient/$gpc.registerpatient", false);
    let mut request = request("POST", &path, Interaction::RegisterPatient)
        .header("Content-Type", content_type)
        .body(Body::from(bytes))
        .unwrap();
    set_header(&mut request, "Accept", accept);
    request
}

/// The one Patient of a successful register answer, after the checks every success row of
/// ATS PatientRegister makes: 200, searchset Bundle claiming `GPConnect-Searchset-Bundle-1`,
/// one Patient with metadata, the NHS number sent with one verification extension, valid
/// registration details (temporary, no status) and the demographics sent.
#[track_caller]
pub fn assert_registered(response: &TestResponse, format: Format, sent: &Value) -> Value {
    let bundle = ok(response, format);
    assert_eq!(bundle["meta"]["profile"], json!([SEARCHSET_PROFILE]));
    let entries = searchset(&bundle);
    assert_eq!(entries.len(), 1);
    let patient = entries[0].clone();
    assert_eq!(patient["resourceType"], "Patient");
    assert_meta(&patient, PATIENT_PROFILE);
    let nhs_number = sent["identifier"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["system"] == NHS_SYSTEM)
        .unwrap()["value"]
        .clone();
    let numbers: Vec<_> = patient["identifier"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["system"] == NHS_SYSTEM)
        .collect();
    assert_eq!(numbers.len(), 1);
    assert_eq!(numbers[0]["value"], nhs_number);
    let verifications: Vec<_> = numbers[0]["extension"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["url"] == VERIFICATION_EXT)
        .collect();
    assert_eq!(verifications.len(), 1);
    assert_registration_details(&patient, true);

    assert_eq!(patient["birthDate"], sent["birthDate"]);
    if sent.get("gender").is_some() {
        assert_eq!(patient["gender"], sent["gender"]);
    }
    let official: Vec<_> = patient["name"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["use"] == "official")
        .collect();
    assert_eq!(official.len(), 1);
    let sent_official = sent["name"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["use"] == "official")
        .unwrap();
    for given in sent_official["given"].as_array().unwrap() {
        assert!(official[0]["given"].as_array().unwrap().contains(given));
    }
    assert_eq!(
        official[0]["family"].as_str().unwrap().to_lowercase(),
        sent_official["family"].as_str().unwrap().to_lowercase()
    );
    patient
}
