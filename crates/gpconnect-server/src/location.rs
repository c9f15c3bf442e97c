//! Locations (SPEC 3.9, 4.6): `GET /Location/{id}`, and the `CareConnect-GPC-Location-1`
//! resource built from a [`LocationRecord`].

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use gpconnect_domain::records::LocationRecord;
use gpconnect_domain::FhirId;
use gpconnect_fhir::Location;

use crate::context::RequestContext;
use crate::datatypes::{address, codeable_concept, contact_point, identifier, meta, reference};
use crate::error::ApiError;
use crate::response::FhirResponse;
use crate::state::AppState;

/// The profile every Location answered claims.
pub const PROFILE: &str = "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Location-1";
/// The ODS site code identifier system (SPEC 2.9).
pub const ODS_SITE_CODE_SYSTEM: &str = "https://fhir.nhs.uk/Id/ods-site-code";

/// `GET /Location/{id}`.
pub fn router() -> Router<AppState> {
    Router::new().route("/Location/{id}", get(read))
}

/// The Location for `record`: `meta`, the ODS site code when there is one, `name`, `type`,
/// `telecom`, `address` (a single object), `physicalType`, `managingOrganization` and `partOf`
/// (SPEC 4.6). `mode` and `endpoint` are never populated.
pub fn to_fhir(record: &LocationRecord) -> Location {
    Location {
        id: Some(record.id.to_string()),
        meta: Some(meta(PROFILE, record.version)),
        identifier: record
            .ods_site_code
            .iter()
            .filter(|code| !code.trim().is_empty())
            .map(|code| identifier(ODS_SITE_CODE_SYSTEM, code))
            .collect(),
        name: Some(record.name.clone()).filter(|n| !n.trim().is_empty()),
        r#type: record.type_.as_ref().map(codeable_concept),
        telecom: record.telecom.iter().map(contact_point).collect(),
        address: record.address.as_ref().map(address),
        physical_type: record.physical_type.as_ref().map(codeable_concept),
        managing_organization: Some(reference("Organization", &record.managing_organization)),
        part_of: record.part_of.as_ref().map(|id| reference("Location", id)),
        ..Location::default()
    }
}

async fn read(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    // SPEC 3.9, 9.25: the spec names no code of its own for an unknown location.
    let not_found = || {
        ApiError::no_record_found(format!(
            "No Location with logical id '{id}' exists at this practice"
        ))
    };
    let logical_id = FhirId::parse(&id).map_err(|_| not_found())?;
    let record = state
        .store()
        .get_location(&ctx.practice().ods, &logical_id)
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(not_found)?;
    FhirResponse::ok(to_fhir(&record)).respond(&ctx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gpconnect_domain::records::{Address, Coding};
    use gpconnect_domain::OdsCode;

    fn record() -> LocationRecord {
        LocationRecord {
            practice: OdsCode::parse("A20047").unwrap(),
            id: FhirId::parse("8").unwrap(),
            version: 2,
            name: "Kirkstall Branch Surgery".into(),
            ods_site_code: Some("Z33432".into()),
            address: Some(Address {
                lines: vec!["40 Foundry Lane".into()],
                city: Some("Leeds".into()),
                ..Address::default()
            }),
            telecom: Vec::new(),
            managing_organization: FhirId::parse("1").unwrap(),
            type_: Some(Coding::new(
                "http://hl7.org/fhir/v3/RoleCode",
                "FMC",
                "Family Medicine Clinic",
            )),
            physical_type: None,
            part_of: None,
        }
    }

    #[test]
    fn a_location_has_its_site_code_single_address_and_managing_organisation() {
        let location = to_fhir(&record());
        assert_eq!(location.meta.as_ref().unwrap().profile, [PROFILE]);
        assert_eq!(location.meta.unwrap().version_id.as_deref(), Some("2"));
        assert_eq!(location.identifier.len(), 1);
        assert_eq!(
            location.identifier[0].system.as_deref(),
            Some(ODS_SITE_CODE_SYSTEM)
        );
        assert_eq!(location.identifier[0].value.as_deref(), Some("Z33432"));
        assert_eq!(location.address.unwrap().city.as_deref(), Some("Leeds"));
        assert_eq!(
            location.managing_organization.unwrap().reference.as_deref(),
            Some("Organization/1")
        );
        let coding = &location.r#type.unwrap().coding[0];
        assert_eq!(
            (
                coding.system.as_deref(),
                coding.code.as_deref(),
                coding.display.as_deref()
            ),
            (
                Some("http://hl7.org/fhir/v3/RoleCode"),
                Some("FMC"),
                Some("Family Medicine Clinic")
            )
        );
        assert!(location.mode.is_none() && location.endpoint.is_empty());
    }

    #[test]
    fn a_location_without_a_site_code_has_no_identifier() {
        let mut r = record();
        r.ods_site_code = None;
        assert!(to_fhir(&r).identifier.is_empty());
    }
}
