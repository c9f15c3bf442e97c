//! Practitioners (SPEC 3.5, 3.6, 4.4): `GET /Practitioner?identifier=…sds-user-id|{id}` and
//! `GET /Practitioner/{id}`, and the `CareConnect-GPC-Practitioner-1` resource built from a
//! [`PractitionerRecord`].

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use axum::Router;
use gpconnect_domain::records::PractitionerRecord;
use gpconnect_domain::{FhirId, SpineCode};
use gpconnect_fhir::Practitioner;

use crate::context::RequestContext;
use crate::datatypes::{human_name, identifier, meta};
use crate::error::ApiError;
use crate::response::FhirResponse;
use crate::search;
use crate::state::AppState;

/// The profile every Practitioner answered claims.
pub const PROFILE: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Practitioner-1";
/// The SDS user id identifier system (SPEC 2.9).
pub const SDS_USER_ID_SYSTEM: &str = "https://fhir.nhs.uk/Id/sds-user-id";
/// The SDS role profile id identifier system (SPEC 2.9).
pub const SDS_ROLE_PROFILE_SYSTEM: &str = "https://fhir.nhs.uk/Id/sds-role-profile-id";

/// `GET /Practitioner` and `GET /Practitioner/{id}`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/Practitioner", get(find))
        .route("/Practitioner/{id}", get(read))
}

/// The Practitioner for `record`: `meta`, the SDS user id and every SDS role profile id,
/// exactly one `name` and `gender` (SPEC 4.4). `telecom`, `address`, `birthDate`, `photo`,
/// `qualification` and `communication` are never populated.
pub fn to_fhir(record: &PractitionerRecord) -> Practitioner {
    let sds_user_id = record
        .sds_user_id
        .iter()
        .map(|id| identifier(SDS_USER_ID_SYSTEM, id));
    let role_profiles = record
        .role_profile_ids
        .iter()
        .map(|id| identifier(SDS_ROLE_PROFILE_SYSTEM, id));
    Practitioner {
        id: Some(record.id.to_string()),
        meta: Some(meta(PROFILE, record.version)),
        identifier: sds_user_id
            .chain(role_profiles)
            .filter(|i| i.value.is_some())
            .collect(),
        name: vec![human_name(&record.name)],
        gender: record.gender.map(|g| g.code().to_owned()),
        ..Practitioner::default()
    }
}

/// SPEC 3.5: no match is not an error but an empty searchset.
async fn find(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, ApiError> {
    let sds_user_id = search::identifier_value(ctx.query(), SDS_USER_ID_SYSTEM)?;
    let records = state
        .store()
        .find_practitioners_by_sds_user_id(&ctx.practice().ods, sds_user_id)
        .await
        .map_err(ApiError::internal)?;
    let bundle = search::searchset(records.iter().map(|r| to_fhir(r).into()));
    FhirResponse::ok(bundle).respond(&ctx)
}

async fn read(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    // SPEC 3.6: not found is PRACTITIONER_NOT_FOUND, malformed ids too.
    let not_found = || {
        ApiError::new(
            SpineCode::PractitionerNotFound,
            format!("No Practitioner with logical id '{id}' exists at this practice"),
        )
    };
    let logical_id = FhirId::parse(&id).map_err(|_| not_found())?;
    let record = state
        .store()
        .get_practitioner(&ctx.practice().ods, &logical_id)
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(not_found)?;
    FhirResponse::ok(to_fhir(&record)).respond(&ctx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gpconnect_domain::records::{Gender, HumanName, NameUse};
    use gpconnect_domain::OdsCode;

    #[test]
    fn a_practitioner_has_its_sds_ids_one_name_and_nothing_forbidden() {
        let record = PractitionerRecord {
            practice: OdsCode::parse("A20047").unwrap(),
            id: FhirId::parse("3").unwrap(),
            version: 1,
            sds_user_id: Some("G22345655".into()),
            role_profile_ids: vec!["100000000301".into(), "100000000302".into()],
            name: HumanName {
                use_: NameUse::Usual,
                family: "Siddiqui".into(),
                given: vec!["Farah".into()],
                prefix: vec!["Dr".into()],
            },
            gender: Some(Gender::Female),
        };
        let p = to_fhir(&record);
        assert_eq!(p.meta.unwrap().profile, [PROFILE]);
        let ids: Vec<_> = p
            .identifier
            .iter()
            .map(|i| (i.system.as_deref().unwrap(), i.value.as_deref().unwrap()))
            .collect();
        assert_eq!(
            ids,
            [
                (SDS_USER_ID_SYSTEM, "G22345655"),
                (SDS_ROLE_PROFILE_SYSTEM, "100000000301"),
                (SDS_ROLE_PROFILE_SYSTEM, "100000000302"),
            ]
        );
        assert_eq!(p.name.len(), 1);
        assert_eq!(p.name[0].family.as_deref(), Some("Siddiqui"));
        assert_eq!(p.gender.as_deref(), Some("female"));
        assert!(p.telecom.is_empty() && p.address.is_empty() && p.birth_date.is_none());
        assert!(p.photo.is_empty() && p.qualification.is_empty() && p.communication.is_empty());
    }
}
