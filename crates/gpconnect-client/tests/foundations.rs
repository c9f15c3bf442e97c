//! Foundations through the client against the real provider on a socket (SPEC 3.1–3.9).
// Tests and their support may unwrap: a panic is a test failure with a clear location.
#![allow(clippy::unwrap_used)]

mod support;

use gpconnect_client::{ClientError, GpConnectClient, PatientRegistration};
use gpconnect_demo::fixtures::{
    fixture_patient, ABSENT_SDS_USER_ID, PATIENT_NOT_IN_SYSTEM, PRACTICE_ODS,
};
use gpconnect_demo::LocalPds;
use gpconnect_domain::{FhirId, NhsNumber, OdsCode, SpineCode};
use gpconnect_fhir::Format;
use support::{config, Provider};

fn id(value: &str) -> FhirId {
    FhirId::parse(value).unwrap()
}

#[tokio::test]
async fn the_capability_statement_is_read() {
    let provider = Provider::start().await;
    let capability = provider.client().metadata().await.unwrap();
    assert_eq!(capability.version.as_deref(), Some("1.2.7"));
    assert_eq!(capability.fhir_version, "3.0.1");
}

#[tokio::test]
async fn a_patient_is_found_by_nhs_number_and_read_with_its_version() {
    let provider = Provider::start().await;
    let client = provider.client();
    let patient1 = fixture_patient("patient1").unwrap();
    let found = client
        .find_patient(&NhsNumber::parse(patient1.nhs_number).unwrap())
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    let logical_id = found[0].resource.id.clone().unwrap();
    assert_eq!(logical_id, patient1.logical_id);
    assert_eq!(
        found[0].resource.name[0].family.as_deref(),
        Some(patient1.family)
    );

    let read = client.read_patient(&id(&logical_id)).await.unwrap();
    assert_eq!(read.resource.id.as_deref(), Some(patient1.logical_id));
    let version = read.version_id.clone().expect("ETag on a read");
    assert_eq!(
        read.resource
            .meta
            .as_ref()
            .and_then(|m| m.version_id.clone()),
        Some(version),
        "ETag and meta.versionId agree"
    );
}

#[tokio::test]
async fn xml_is_negotiated_and_decoded() {
    let provider = Provider::start().await;
    let mut xml = config(&provider.main_practice());
    xml.format = Format::Xml;
    let client = GpConnectClient::new(xml).unwrap();
    let patient1 = fixture_patient("patient1").unwrap();
    let read = client.read_patient(&id(patient1.logical_id)).await.unwrap();
    assert_eq!(
        read.resource.birth_date,
        Some(patient1.birth_date.to_string())
    );
    let found = client
        .find_patient(&NhsNumber::parse(patient1.nhs_number).unwrap())
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
}

#[tokio::test]
async fn no_match_is_an_empty_list_and_an_unknown_id_is_patient_not_found() {
    let provider = Provider::start().await;
    let client = provider.client();
    let none = client
        .find_patient(&NhsNumber::parse(PATIENT_NOT_IN_SYSTEM).unwrap())
        .await
        .unwrap();
    assert!(none.is_empty());

    let err = client
        .read_patient(&id("no-such-patient"))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404), "{err}");
    assert_eq!(err.spine_code(), Some(SpineCode::PatientNotFound), "{err}");
    let provider_error = err.provider().unwrap();
    assert!(provider_error.diagnostics.is_some());
}

#[tokio::test]
async fn practitioners_organisations_and_locations_are_found_and_read() {
    let provider = Provider::start().await;
    let client = provider.client();

    let practitioners = client.find_practitioner("G13579135").await.unwrap();
    assert_eq!(practitioners.len(), 1);
    let practitioner_id = practitioners[0].resource.id.clone().unwrap();
    let practitioner = client
        .read_practitioner(&id(&practitioner_id))
        .await
        .unwrap();
    assert!(practitioner.version_id.is_some());
    assert!(client
        .find_practitioner(ABSENT_SDS_USER_ID)
        .await
        .unwrap()
        .is_empty());
    let err = client
        .read_practitioner(&id("no-such-practitioner"))
        .await
        .unwrap_err();
    assert_eq!(err.spine_code(), Some(SpineCode::PractitionerNotFound));

    let organisations = client
        .find_organization(&OdsCode::parse(PRACTICE_ODS).unwrap())
        .await
        .unwrap();
    assert_eq!(organisations.len(), 1);
    let organisation_id = organisations[0].resource.id.clone().unwrap();
    let organisation = client
        .read_organization(&id(&organisation_id))
        .await
        .unwrap();
    assert_eq!(organisation.resource.id, Some(organisation_id));
    let err = client
        .read_organization(&id("no-such-organisation"))
        .await
        .unwrap_err();
    assert_eq!(err.spine_code(), Some(SpineCode::OrganisationNotFound));

    let location = client.read_location(&id("1")).await.unwrap();
    assert!(location.resource.name.is_some());
    let err = client
        .read_location(&id("no-such-location"))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
}

#[tokio::test]
async fn a_patient_is_registered_once_and_a_second_registration_is_a_duplicate() {
    let provider = Provider::start().await;
    let client = provider.client();
    let pds = LocalPds::new();
    let person = pds
        .registration_candidates()
        .next()
        .expect("the demo PDS offers people to register");
    let registration = PatientRegistration {
        nhs_number: person.nhs_number.clone(),
        family: person.family.clone(),
        given: person.given.clone(),
        birth_date: person.birth_date,
        gender: Some(person.gender),
    };
    assert!(client
        .find_patient(&registration.nhs_number)
        .await
        .unwrap()
        .is_empty());

    let registered = client.register_patient(&registration).await.unwrap();
    let registered_id = registered.resource.id.clone().unwrap();
    let found = client.find_patient(&registration.nhs_number).await.unwrap();
    assert_eq!(found[0].resource.id, Some(registered_id));

    let err = client.register_patient(&registration).await.unwrap_err();
    assert_eq!(err.status(), Some(409), "{err}");
    assert_eq!(
        err.spine_code(),
        Some(SpineCode::DuplicateRejected),
        "{err}"
    );
}

#[tokio::test]
async fn an_unreachable_provider_is_a_connection_error_after_the_retries() {
    let addr = support::closed_port().await;
    let endpoint = gpconnect_client::ProviderEndpoint {
        base_url: format!("http://{addr}/{PRACTICE_ODS}/STU3/1/gpconnect"),
        provider_asid: gpconnect_domain::Asid::parse("918999198993").unwrap(),
    };
    let client = GpConnectClient::new(config(&endpoint)).unwrap();
    let err = client.metadata().await.unwrap_err();
    assert!(matches!(err, ClientError::Connect { .. }), "{err}");
    assert!(err.is_retryable_read());
    assert!(!err.outcome_unknown(), "nothing was sent");
}

#[tokio::test]
async fn a_wrong_provider_asid_is_refused_by_the_provider() {
    let provider = Provider::start().await;
    let mut endpoint = provider.main_practice();
    endpoint.provider_asid = gpconnect_domain::Asid::parse("111111111111").unwrap();
    let client = GpConnectClient::new(config(&endpoint)).unwrap();
    let err = client
        .read_patient(&id(fixture_patient("patient1").unwrap().logical_id))
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    assert_eq!(err.spine_code(), Some(SpineCode::BadRequest));
    assert!(
        err.provider()
            .and_then(|p| p.diagnostics.as_deref())
            .is_some_and(|d| d.contains("Ssp-To")),
        "{err}"
    );
}

#[tokio::test]
async fn requests_reach_the_provider_through_the_ssp_prefix() {
    let provider = Provider::start().await;
    let ssp = support::ssp::SspStub::start().await;
    let mut via_ssp = config(&provider.main_practice());
    via_ssp.ssp_url_prefix = Some(ssp.prefix());
    let client = GpConnectClient::new(via_ssp).unwrap();
    let patient1 = fixture_patient("patient1").unwrap();
    let read = client.read_patient(&id(patient1.logical_id)).await.unwrap();
    assert_eq!(read.resource.id.as_deref(), Some(patient1.logical_id));
    assert_eq!(
        ssp.forwarded(),
        ["urn:nhs:names:services:gpconnect:fhir:rest:read:patient-1"]
    );
}
