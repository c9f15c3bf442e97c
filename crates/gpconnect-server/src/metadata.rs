//! Read metadata (SPEC 3.1): `GET /metadata` answers the CapabilityStatement, built here in code
//! (not read from the specification's example file). ATS FHIR.feature checks the version, the
//! FHIR version, both formats, the software, the fifteen profile URLs, the resources, the Slot
//! includes and the two operations with their exact definition URLs.

use axum::response::Response;
use axum::routing::get;
use axum::Router;
use gpconnect_fhir::{
    CapabilityStatement, CapabilityStatementRest, CapabilityStatementRestOperation,
    CapabilityStatementRestResource, CapabilityStatementRestResourceInteraction,
    CapabilityStatementRestResourceSearchParam, CapabilityStatementRestSecurity,
    CapabilityStatementSoftware, Reference,
};

use crate::context::RequestContext;
use crate::error::ApiError;
use crate::response::FhirResponse;
use crate::state::AppState;

/// The GP Connect specification release implemented (ATS: `version` must equal it).
pub const GP_CONNECT_VERSION: &str = "1.2.7";
/// The FHIR version (STU3).
pub const FHIR_VERSION: &str = "3.0.1";
/// The software name reported in `software.name`.
pub const SOFTWARE_NAME: &str = "gpconnect";
/// The software version reported in `software.version`.
pub const SOFTWARE_VERSION: &str = env!("CARGO_PKG_VERSION");
/// The release date of this software version (`software.releaseDate`, `date`).
pub const RELEASE_DATE: &str = "2026-11-21";

const STRUCTURE_DEFINITION: &str = "https://fhir.nhs.uk/STU3/StructureDefinition/";

/// The profiles the CapabilityStatement lists (SPEC 3.1; ATS FHIR.feature O18 checks each one,
/// the Access Record Structured ones included).
pub const PROFILES: [&str; 15] = [
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
];

/// `$gpc.registerpatient` (SPEC 3.4).
pub const REGISTER_PATIENT_DEFINITION: &str =
    "https://fhir.nhs.uk/STU3/OperationDefinition/GPConnect-RegisterPatient-Operation-1";
/// `$gpc.getstructuredrecord`, versioned exactly as ATS FHIR.feature #6 expects.
pub const GET_STRUCTURED_RECORD_DEFINITION: &str =
    "https://fhir.nhs.uk/STU3/OperationDefinition/GPConnect-GetStructuredRecord-Operation-1/_history/1.12";

/// `GET /metadata`.
pub fn router() -> Router<AppState> {
    Router::new().route("/metadata", get(read_metadata))
}

async fn read_metadata(ctx: RequestContext) -> Result<Response, ApiError> {
    FhirResponse::ok(capability_statement()).respond(&ctx)
}

/// The provider's CapabilityStatement (the same for every hosted practice).
pub fn capability_statement() -> CapabilityStatement {
    let identifier = |documentation: &str| CapabilityStatementRestResourceSearchParam {
        name: "identifier".into(),
        r#type: "token".into(),
        documentation: Some(documentation.into()),
        ..Default::default()
    };
    let param = |name: &str, r#type: &str| CapabilityStatementRestResourceSearchParam {
        name: name.into(),
        r#type: r#type.into(),
        ..Default::default()
    };
    let resources = vec![
        resource(
            "Patient",
            &["read", "search-type"],
            vec![identifier(
                "NHS Number (i.e. https://fhir.nhs.uk/Id/nhs-number|123456789)",
            )],
        ),
        resource(
            "Organization",
            &["read", "search-type"],
            vec![identifier(
                "ODS Code (i.e. https://fhir.nhs.uk/Id/ods-organization-code|Y12345)",
            )],
        ),
        resource(
            "Practitioner",
            &["read", "search-type"],
            vec![identifier(
                "SDS User Id (i.e. https://fhir.nhs.uk/Id/sds-user-id|999999)",
            )],
        ),
        resource("Location", &["read"], vec![]),
        CapabilityStatementRestResource {
            update_create: Some(false),
            ..resource(
                "Appointment",
                &["read", "create", "update", "search-type"],
                // SPEC 9.13: the template's `identifier` entry is kept; `start` is what the
                // patient appointment search really takes.
                vec![
                    identifier("NHS Number (i.e. https://fhir.nhs.uk/Id/nhs-number|123456789)"),
                    param("start", "date"),
                ],
            )
        },
        CapabilityStatementRestResource {
            search_include: [
                "Schedule:actor:Location",
                "Schedule:actor:Practitioner",
                "Slot:schedule",
                "Location:managingOrganization",
            ]
            .map(String::from)
            .to_vec(),
            ..resource(
                "Slot",
                &["search-type"],
                vec![
                    param("start", "date"),
                    param("end", "date"),
                    param("status", "token"),
                    param("searchFilter", "token"),
                ],
            )
        },
    ];
    let operation = |name: &str, definition: &str| CapabilityStatementRestOperation {
        name: name.into(),
        definition: Reference {
            reference: Some(definition.into()),
            ..Default::default()
        },
        ..Default::default()
    };
    CapabilityStatement {
        version: Some(GP_CONNECT_VERSION.into()),
        name: Some("GP Connect".into()),
        status: "active".into(),
        date: RELEASE_DATE.into(),
        publisher: Some("gpconnect-rs".into()),
        description: Some(format!(
            "This server implements the GP Connect API version {GP_CONNECT_VERSION}"
        )),
        kind: "capability".into(),
        software: Some(CapabilityStatementSoftware {
            name: SOFTWARE_NAME.into(),
            version: Some(SOFTWARE_VERSION.into()),
            release_date: Some(RELEASE_DATE.into()),
            ..Default::default()
        }),
        fhir_version: FHIR_VERSION.into(),
        accept_unknown: "both".into(),
        format: vec![
            "application/fhir+json".into(),
            "application/fhir+xml".into(),
        ],
        profile: PROFILES
            .iter()
            .map(|p| Reference {
                reference: Some(format!("{STRUCTURE_DEFINITION}{p}")),
                ..Default::default()
            })
            .collect(),
        rest: vec![CapabilityStatementRest {
            mode: "server".into(),
            // SPEC 6.2 (1.2.4): a JSON boolean.
            security: Some(CapabilityStatementRestSecurity {
                cors: Some(true),
                ..Default::default()
            }),
            resource: resources,
            operation: vec![
                operation("gpc.registerpatient", REGISTER_PATIENT_DEFINITION),
                operation("gpc.getstructuredrecord", GET_STRUCTURED_RECORD_DEFINITION),
            ],
            ..Default::default()
        }],
        ..Default::default()
    }
}

fn resource(
    r#type: &str,
    interactions: &[&str],
    search_param: Vec<CapabilityStatementRestResourceSearchParam>,
) -> CapabilityStatementRestResource {
    CapabilityStatementRestResource {
        r#type: r#type.into(),
        interaction: interactions
            .iter()
            .map(|code| CapabilityStatementRestResourceInteraction {
                code: (*code).into(),
                ..Default::default()
            })
            .collect(),
        search_param,
        ..Default::default()
    }
}
