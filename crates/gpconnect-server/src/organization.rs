//! Organisations (SPEC 3.7, 3.8, 4.5): `GET /Organization?identifier=…ods-organization-code|{ods}`
//! and `GET /Organization/{id}`, and the `CareConnect-GPC-Organization-1` resource built from an
//! [`OrganizationRecord`].

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use gpconnect_domain::records::OrganizationRecord;
use gpconnect_domain::{FhirId, OdsCode, SpineCode};
use gpconnect_fhir::Organization;

use crate::context::RequestContext;
use crate::datatypes::{address, contact_point, identifier, meta, reference};
use crate::error::ApiError;
use crate::response::FhirResponse;
use crate::search;
use crate::state::AppState;

/// The profile every Organization answered claims.
pub const PROFILE: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Organization-1";
/// The ODS organisation code identifier system (SPEC 2.9).
pub const ODS_CODE_SYSTEM: &str = "https://fhir.nhs.uk/Id/ods-organization-code";

/// `GET /Organization` and `GET /Organization/{id}`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/Organization", get(find))
        .route("/Organization/{id}", get(read))
}

/// The Organization for `record`: `meta`, the one ODS code identifier, `name`, `telecom`,
/// `address` and `partOf` (SPEC 4.5). `type` is only for booking organisations, and `contact`
/// and `endpoint` are never populated.
pub fn to_fhir(record: &OrganizationRecord) -> Organization {
    Organization {
        id: Some(record.id.to_string()),
        meta: Some(meta(PROFILE, record.version)),
        identifier: vec![identifier(ODS_CODE_SYSTEM, record.ods_code.as_str())],
        name: Some(record.name.clone()),
        telecom: record.telecom.iter().map(contact_point).collect(),
        address: record.addresses.iter().map(address).collect(),
        part_of: record
            .part_of
            .as_ref()
            .map(|id| reference("Organization", id)),
        ..Organization::default()
    }
}

/// SPEC 3.7: an unknown ODS code is not an error but an empty searchset.
async fn find(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, ApiError> {
    let value = search::identifier_value(ctx.query(), ODS_CODE_SYSTEM)?;
    // A value that cannot be an ODS code names no organisation.
    let records = match OdsCode::parse(value) {
        Ok(code) => state
            .store()
            .find_organizations_by_ods_code(&ctx.practice().ods, &code)
            .await
            .map_err(ApiError::internal)?,
        Err(_) => Vec::new(),
    };
    let bundle = search::searchset(records.iter().map(|r| to_fhir(r).into()));
    FhirResponse::ok(bundle).respond(&ctx)
}

async fn read(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    // SPEC 3.8 (ATS OrganizationRead): not found is ORGANISATION_NOT_FOUND, malformed ids too.
    let not_found = || {
        ApiError::new(
            SpineCode::OrganisationNotFound,
            format!("No Organization with logical id '{id}' exists at this practice"),
        )
    };
    let logical_id = FhirId::parse(&id).map_err(|_| not_found())?;
    let record = state
        .store()
        .get_organization(&ctx.practice().ods, &logical_id)
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(not_found)?;
    FhirResponse::ok(to_fhir(&record)).respond(&ctx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gpconnect_domain::records::{Address, AddressUse};

    #[test]
    fn an_organisation_has_its_profile_version_ods_code_and_relative_part_of() {
        let record = OrganizationRecord {
            practice: OdsCode::parse("A20047").unwrap(),
            id: FhirId::parse("2").unwrap(),
            version: 4,
            ods_code: OdsCode::parse("R1A14").unwrap(),
            name: "Riverside Trust".into(),
            telecom: Vec::new(),
            addresses: vec![Address {
                use_: Some(AddressUse::Work),
                lines: vec!["Riverside House".into()],
                ..Address::default()
            }],
            part_of: Some(FhirId::parse("1").unwrap()),
        };
        let org = to_fhir(&record);
        assert_eq!(org.id.as_deref(), Some("2"));
        let meta = org.meta.unwrap();
        assert_eq!(meta.profile, [PROFILE]);
        assert_eq!(meta.version_id.as_deref(), Some("4"));
        assert_eq!(org.identifier.len(), 1);
        assert_eq!(org.identifier[0].system.as_deref(), Some(ODS_CODE_SYSTEM));
        assert_eq!(org.identifier[0].value.as_deref(), Some("R1A14"));
        assert_eq!(
            org.part_of.unwrap().reference.as_deref(),
            Some("Organization/1")
        );
        assert!(org.telecom.is_empty() && org.contact.is_empty() && org.endpoint.is_empty());
        assert!(org.r#type.is_empty());
    }
}
