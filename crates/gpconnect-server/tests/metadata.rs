//! ATS FHIR.feature: the CapabilityStatement's content, in both formats.
#![allow(clippy::unwrap_used)]

mod support;

use axum::body::Body;
use gpconnect_fhir::{CapabilityStatement, FhirResource, Format};
use support::{metadata, set_header, TestApp};

async fn capability_statement(format: Format) -> CapabilityStatement {
    let app = TestApp::new();
    let mut request = metadata().body(Body::empty()).unwrap();
    set_header(&mut request, "Accept", Some(format.mime()));
    let response = app.send(request).await;
    assert_eq!(
        response.status,
        200,
        "{}",
        String::from_utf8_lossy(&response.body)
    );
    CapabilityStatement::from_resource(gpconnect_fhir::decode(&response.body, format).unwrap())
        .unwrap()
}

#[tokio::test]
async fn the_capability_statement_has_what_assurance_checks() {
    for format in [Format::Json, Format::Xml] {
        let cs = capability_statement(format).await;
        assert_eq!(cs.version.as_deref(), Some("1.2.7"));
        assert_eq!(cs.fhir_version, "3.0.1");
        assert_eq!(cs.kind, "capability");
        assert_eq!(cs.format, ["application/fhir+json", "application/fhir+xml"]);
        let software = cs.software.as_ref().unwrap();
        assert!(!software.name.is_empty());
        assert!(!software.version.as_deref().unwrap().is_empty());
        assert!(software.release_date.is_some());

        for profile in [
            "CareConnect-GPC-Patient-1",
            "CareConnect-GPC-Organization-1",
            "CareConnect-GPC-Practitioner-1",
            "CareConnect-GPC-PractitionerRole-1",
            "CareConnect-GPC-Location-1",
            "GPConnect-OperationOutcome-1",
            "GPConnect-Appointment-1",
            "GPConnect-Schedule-1",
            "GPConnect-Slot-1",
            "CareConnect-GPC-AllergyIntolerance-1",
            "CareConnect-GPC-Medication-1",
            "CareConnect-GPC-MedicationStatement-1",
            "CareConnect-GPC-MedicationRequest-1",
            "CareConnect-GPC-List-1",
            "GPConnect-StructuredRecord-Bundle-1",
        ] {
            let url = format!("https://fhir.nhs.uk/STU3/StructureDefinition/{profile}");
            let count = cs
                .profile
                .iter()
                .filter(|r| r.reference.as_deref() == Some(url.as_str()))
                .count();
            assert_eq!(count, 1, "{profile}");
        }

        let rest = &cs.rest[0];
        assert_eq!(rest.mode, "server");
        assert_eq!(rest.security.as_ref().unwrap().cors, Some(true));
        let types: Vec<&str> = rest.resource.iter().map(|r| r.r#type.as_str()).collect();
        for t in [
            "Patient",
            "Practitioner",
            "Organization",
            "Location",
            "Slot",
            "Appointment",
        ] {
            assert!(types.contains(&t), "{t}");
        }
        let slot = rest.resource.iter().find(|r| r.r#type == "Slot").unwrap();
        assert!(slot
            .search_include
            .contains(&"Location:managingOrganization".to_owned()));
        let appointment = rest
            .resource
            .iter()
            .find(|r| r.r#type == "Appointment")
            .unwrap();
        assert_eq!(appointment.update_create, Some(false));

        let operations: Vec<(&str, &str)> = rest
            .operation
            .iter()
            .map(|o| (o.name.as_str(), o.definition.reference.as_deref().unwrap()))
            .collect();
        assert_eq!(
            operations,
            [
                (
                    "gpc.registerpatient",
                    "https://fhir.nhs.uk/STU3/OperationDefinition/GPConnect-RegisterPatient-Operation-1"
                ),
                (
                    "gpc.getstructuredrecord",
                    "https://fhir.nhs.uk/STU3/OperationDefinition/GPConnect-GetStructuredRecord-Operation-1/_history/1.12"
                ),
            ]
        );
    }
}
