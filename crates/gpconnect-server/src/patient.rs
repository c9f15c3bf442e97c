//! Patients (SPEC 3.2–3.4, 4.2): `GET /Patient?identifier=…nhs-number|{nhs}`,
//! `GET /Patient/{id}` and `POST /Patient/$gpc.registerpatient` (in [`register`]), and the
//! `CareConnect-GPC-Patient-1` resource built from a [`PatientRecord`].

mod register;

use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use gpconnect_domain::pds::{verify, LocalDemographics, Verification};
use gpconnect_domain::records::{
    NhsCommunication, PatientContact, PatientRecord, PatientStatus, Registration,
};
use gpconnect_domain::{FhirId, NhsNumber, SpineCode};
use gpconnect_fhir::{CodeableConcept, Coding, Extension, Identifier, Patient, Period};
use gpconnect_store::StoreError;

use crate::context::RequestContext;
use crate::datatypes::{address, codeable_concept, contact_point, human_name, meta, reference};
use crate::error::ApiError;
use crate::response::FhirResponse;
use crate::routes::REGISTER_PATIENT_OPERATION;
use crate::search;
use crate::state::AppState;

/// The profile every Patient answered claims.
pub const PROFILE: &str = "https://fhir.nhs.uk/STU3/StructureDefinition/CareConnect-GPC-Patient-1";
/// The NHS number identifier system (SPEC 2.9).
pub const NHS_NUMBER_SYSTEM: &str = "https://fhir.nhs.uk/Id/nhs-number";
/// The verification status extension carried by the NHS number (SPEC 4.1).
pub const NHS_NUMBER_VERIFICATION_EXTENSION: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-NHSNumberVerificationStatus-1";
/// The code system of the verification status (SPEC 4.3; the CodeSystem URL, not the
/// examples' non-canonical one, SPEC 9.14).
pub const NHS_NUMBER_VERIFICATION_SYSTEM: &str =
    "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-NHSNumberVerificationStatus-1";
/// The registration details extension (SPEC 4.1).
pub const REGISTRATION_DETAILS_EXTENSION: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-RegistrationDetails-1";
/// The language and interpreter extension (SPEC 4.1).
pub const NHS_COMMUNICATION_EXTENSION: &str =
    "https://fhir.nhs.uk/STU3/StructureDefinition/Extension-CareConnect-GPC-NHSCommunication-1";

/// `GET /Patient`, `GET /Patient/{id}` and `POST /Patient/$gpc.registerpatient`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/Patient", get(find))
        .route(
            &format!("/Patient/{REGISTER_PATIENT_OPERATION}"),
            post(register::register),
        )
        .route("/Patient/{id}", get(read))
}

/// The Patient for `record` (SPEC 4.2): `meta`; the registration details and NHS communication
/// extensions; the NHS number as the only identifier, with its verification status; names,
/// telecom, gender, birth date, date of death, addresses, contacts (relationship as text only,
/// SPEC 2.11), general practitioner and managing organisation. Nothing the profile or SPEC 4.2
/// forbids is populated (marital status, multiple birth, photo, animal, communication, link,
/// and the ethnic, religion, cadaveric donor, residential status, treatment category and birth
/// place extensions).
pub fn to_fhir(record: &PatientRecord) -> Patient {
    let mut extension = vec![registration_details(&record.registration)];
    extension.extend(record.nhs_communication.as_ref().map(nhs_communication));
    Patient {
        id: Some(record.id.to_string()),
        meta: Some(meta(PROFILE, record.version)),
        extension,
        identifier: vec![nhs_number(&record.nhs_number, record.nhs_number_verified)],
        // SPEC 4.2: `active` may be true; only patients the practice still looks after are.
        active: Some(record.status == PatientStatus::Active),
        name: record.names.iter().map(human_name).collect(),
        telecom: record.telecom.iter().map(contact_point).collect(),
        gender: record.gender.map(|g| g.code().to_owned()),
        birth_date: Some(record.birth_date.to_string()),
        deceased_date_time: match &record.status {
            PatientStatus::Deceased { date: Some(date) } => Some(date.to_string()),
            _ => None,
        },
        address: record.addresses.iter().map(address).collect(),
        contact: record.contacts.iter().filter_map(contact).collect(),
        general_practitioner: record
            .general_practitioner
            .iter()
            .map(|id| reference("Practitioner", id))
            .collect(),
        managing_organization: Some(reference("Organization", &record.managing_organization)),
        ..Patient::default()
    }
}

/// The NHS number identifier with its verification status extension (SPEC 4.2: the only
/// identifier, the extension first and mandatory).
fn nhs_number(nhs_number: &NhsNumber, verified: bool) -> Identifier {
    let (code, display) = if verified {
        ("01", "Number present and verified")
    } else {
        ("02", "Number present but not traced")
    };
    Identifier {
        extension: vec![Extension {
            url: NHS_NUMBER_VERIFICATION_EXTENSION.to_owned(),
            value_codeable_concept: Some(Box::new(CodeableConcept {
                coding: vec![Coding {
                    system: Some(NHS_NUMBER_VERIFICATION_SYSTEM.to_owned()),
                    code: Some(code.to_owned()),
                    display: Some(display.to_owned()),
                    ..Coding::default()
                }],
                ..CodeableConcept::default()
            })),
            ..Extension::default()
        }],
        system: Some(NHS_NUMBER_SYSTEM.to_owned()),
        value: Some(nhs_number.as_str().to_owned()),
        ..Identifier::default()
    }
}

/// `registrationDetails`: period, type and preferred branch surgery. `registrationStatus` is
/// 0..0 in the profile (SPEC 4.1) and never written.
fn registration_details(registration: &Registration) -> Extension {
    let mut parts = Vec::new();
    if registration.period_start.is_some() || registration.period_end.is_some() {
        parts.push(Extension {
            url: "registrationPeriod".to_owned(),
            value_period: Some(Box::new(Period {
                start: registration.period_start.map(|d| d.to_string()),
                end: registration.period_end.map(|d| d.to_string()),
                ..Period::default()
            })),
            ..Extension::default()
        });
    }
    let type_ = registration.type_;
    parts.push(Extension {
        url: "registrationType".to_owned(),
        value_codeable_concept: Some(Box::new(CodeableConcept {
            coding: vec![Coding {
                system: Some(gpconnect_domain::records::RegistrationType::SYSTEM.to_owned()),
                code: Some(type_.code().to_owned()),
                display: Some(type_.display().to_owned()),
                ..Coding::default()
            }],
            ..CodeableConcept::default()
        })),
        ..Extension::default()
    });
    if let Some(branch) = &registration.preferred_branch {
        parts.push(Extension {
            url: "preferredBranchSurgery".to_owned(),
            value_reference: Some(Box::new(reference("Location", branch))),
            ..Extension::default()
        });
    }
    Extension {
        url: REGISTRATION_DETAILS_EXTENSION.to_owned(),
        extension: parts,
        ..Extension::default()
    }
}

/// `nhsCommunication`: language, preferred, interpreter required.
fn nhs_communication(communication: &NhsCommunication) -> Extension {
    let mut parts = vec![Extension {
        url: "language".to_owned(),
        value_codeable_concept: Some(Box::new(codeable_concept(&communication.language))),
        ..Extension::default()
    }];
    for (url, value) in [
        ("preferred", communication.preferred),
        ("interpreterRequired", communication.interpreter_required),
    ] {
        if let Some(value) = value {
            parts.push(Extension {
                url: url.to_owned(),
                value_boolean: Some(value),
                ..Extension::default()
            });
        }
    }
    Extension {
        url: NHS_COMMUNICATION_EXTENSION.to_owned(),
        extension: parts,
        ..Extension::default()
    }
}

/// A contact person, or `None` for one without a name (the profile makes `contact.name` 1..1).
fn contact(contact: &PatientContact) -> Option<gpconnect_fhir::PatientContact> {
    let name = contact.name.as_ref()?;
    Some(gpconnect_fhir::PatientContact {
        // SPEC 2.11: the relationship is text; `relationship.coding` SHALL NOT be populated.
        relationship: contact
            .relationships
            .iter()
            .filter(|r| !r.trim().is_empty())
            .map(|r| CodeableConcept {
                text: Some(r.clone()),
                ..CodeableConcept::default()
            })
            .collect(),
        name: Some(human_name(name)),
        telecom: contact.telecom.iter().map(contact_point).collect(),
        address: contact.address.as_ref().map(address),
        gender: contact.gender.map(|g| g.code().to_owned()),
        ..gpconnect_fhir::PatientContact::default()
    })
}

/// The record as it may be shared, or `None` when it may not (SPEC 3.2, 3.3; ATS
/// PatientSearch): only active, not deceased, not sensitive patients whose NHS number is
/// verified. A record whose number was never verified is checked against PDS first (SPEC 3.2
/// unverified-record rule, new in 1.2.7); when that passes it is marked verified and shared.
pub async fn shareable(
    state: &AppState,
    record: PatientRecord,
) -> Result<Option<PatientRecord>, ApiError> {
    if record.status != PatientStatus::Active || record.sensitive {
        return Ok(None);
    }
    if record.nhs_number_verified {
        return Ok(Some(record));
    }
    if verify_against_pds(state, &record).await? != Verification::Verified {
        return Ok(None);
    }
    let verified = PatientRecord {
        nhs_number_verified: true,
        ..record.clone()
    };
    match state
        .store()
        .update_patient(&verified, record.version)
        .await
    {
        Ok(stored) => Ok(Some(stored)),
        // Changed meanwhile (e.g. verified by a concurrent search): share what is stored now,
        // if it may be shared.
        Err(StoreError::VersionConflict { .. }) => Ok(state
            .store()
            .get_patient(&record.practice, &record.id)
            .await
            .map_err(ApiError::internal)?
            .filter(PatientRecord::is_active_for_sharing)),
        Err(e) => Err(ApiError::internal(e)),
    }
}

/// SPEC 3.2 (a)–(c): the PDS Retrieval Query for the record's NHS number and the verification
/// rule applied to the record's own demographics. PDS being unavailable is a 500 (SPEC 3.4).
async fn verify_against_pds(
    state: &AppState,
    record: &PatientRecord,
) -> Result<Verification, ApiError> {
    let pds = state
        .demographics()
        .retrieve(&record.nhs_number)
        .await
        .map_err(ApiError::internal)?;
    let official = record.official_name();
    let local = LocalDemographics {
        family: official.map(|n| n.family.as_str()).unwrap_or_default(),
        given: official.map(|n| n.given.as_slice()).unwrap_or_default(),
        birth_date: record.birth_date,
    };
    Ok(verify(&local, pds.as_ref()))
}

/// SPEC 3.2: the patients matching one NHS number, shared ones only; none is an empty bundle.
async fn find(State(state): State<AppState>, ctx: RequestContext) -> Result<Response, ApiError> {
    let value = search::identifier_value(ctx.query(), NHS_NUMBER_SYSTEM)?;
    let nhs_number = NhsNumber::parse(value).map_err(|e| {
        ApiError::new(
            SpineCode::InvalidNhsNumber,
            format!("The NHS number '{value}' is not valid: {e}"),
        )
    })?;
    ctx.audit_patient(nhs_number.as_str());
    let found = state
        .store()
        .find_patient_by_nhs_number(&ctx.practice().ods, &nhs_number)
        .await
        .map_err(ApiError::internal)?;
    let shared = match found {
        Some(record) => shareable(&state, record).await?,
        None => None,
    };
    let bundle = search::searchset(shared.iter().map(|r| to_fhir(r).into()));
    FhirResponse::ok(bundle).respond(&ctx)
}

/// SPEC 3.3: a patient who may not be shared is not found.
async fn read(
    State(state): State<AppState>,
    ctx: RequestContext,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    ctx.audit_patient(id.as_str());
    let not_found = || {
        ApiError::new(
            SpineCode::PatientNotFound,
            format!("No Patient with logical id '{id}' is available at this practice"),
        )
    };
    let logical_id = FhirId::parse(&id).map_err(|_| not_found())?;
    let record = state
        .store()
        .get_patient(&ctx.practice().ods, &logical_id)
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(not_found)?;
    let record = shareable(&state, record).await?.ok_or_else(not_found)?;
    FhirResponse::ok(to_fhir(&record)).respond(&ctx)
}

#[cfg(test)]
mod tests {
    use super::*;
    use gpconnect_domain::records::{
        Coding as DomainCoding, ContactPoint, ContactSystem, ContactUse, Gender, HumanName,
        NameUse, RegistrationType,
    };
    use gpconnect_domain::OdsCode;
    use jiff::civil::date;

    fn record() -> PatientRecord {
        PatientRecord {
            practice: OdsCode::parse("A20047").unwrap(),
            id: FhirId::parse("1").unwrap(),
            version: 3,
            nhs_number: NhsNumber::parse("9658218865").unwrap(),
            nhs_number_verified: true,
            names: vec![HumanName {
                use_: NameUse::Official,
                family: "Penberthy".into(),
                given: vec!["Harold".into()],
                prefix: vec!["Mr".into()],
            }],
            gender: Some(Gender::Male),
            birth_date: date(1948, 3, 14),
            telecom: vec![ContactPoint {
                system: ContactSystem::Phone,
                value: "01632 960101".into(),
                use_: Some(ContactUse::Home),
            }],
            addresses: Vec::new(),
            contacts: vec![PatientContact {
                relationships: vec!["Next of kin".into()],
                name: Some(HumanName {
                    use_: NameUse::Usual,
                    family: "Penberthy".into(),
                    given: vec!["Mary".into()],
                    prefix: Vec::new(),
                }),
                telecom: Vec::new(),
                address: None,
                gender: None,
            }],
            status: PatientStatus::Active,
            sensitive: false,
            registration: Registration {
                type_: RegistrationType::Regular,
                period_start: Some(date(1999, 4, 1)),
                period_end: None,
                preferred_branch: Some(FhirId::parse("1").unwrap()),
            },
            general_practitioner: Some(FhirId::parse("2").unwrap()),
            managing_organization: FhirId::parse("1").unwrap(),
            nhs_communication: Some(NhsCommunication {
                language: DomainCoding::new(
                    "https://fhir.nhs.uk/STU3/CodeSystem/CareConnect-HumanLanguage-1",
                    "cy",
                    "Welsh",
                ),
                interpreter_required: Some(false),
                preferred: None,
            }),
            consent_to_share: true,
            provenance: None,
        }
    }

    fn sub<'a>(ext: &'a Extension, url: &str) -> Option<&'a Extension> {
        ext.extension.iter().find(|e| e.url == url)
    }

    #[test]
    fn the_nhs_number_is_the_only_identifier_and_carries_its_verification_first() {
        let p = to_fhir(&record());
        assert_eq!(p.identifier.len(), 1);
        let id = &p.identifier[0];
        assert_eq!(id.system.as_deref(), Some(NHS_NUMBER_SYSTEM));
        assert_eq!(id.value.as_deref(), Some("9658218865"));
        assert_eq!(id.extension[0].url, NHS_NUMBER_VERIFICATION_EXTENSION);
        let coding = &id.extension[0]
            .value_codeable_concept
            .as_ref()
            .unwrap()
            .coding[0];
        assert_eq!(
            (
                coding.system.as_deref(),
                coding.code.as_deref(),
                coding.display.as_deref()
            ),
            (
                Some(NHS_NUMBER_VERIFICATION_SYSTEM),
                Some("01"),
                Some("Number present and verified")
            )
        );
        assert!(id.r#use.is_none() && id.r#type.is_none() && id.period.is_none());
    }

    #[test]
    fn registration_details_have_type_period_and_branch_but_no_status() {
        let p = to_fhir(&record());
        let details: Vec<_> = p
            .extension
            .iter()
            .filter(|e| e.url == REGISTRATION_DETAILS_EXTENSION)
            .collect();
        assert_eq!(details.len(), 1);
        let details = details[0];
        let urls: Vec<_> = details.extension.iter().map(|e| e.url.as_str()).collect();
        assert_eq!(
            urls,
            [
                "registrationPeriod",
                "registrationType",
                "preferredBranchSurgery"
            ]
        );
        let period = sub(details, "registrationPeriod")
            .unwrap()
            .value_period
            .as_ref()
            .unwrap();
        assert_eq!(period.start.as_deref(), Some("1999-04-01"));
        let coding = &sub(details, "registrationType")
            .unwrap()
            .value_codeable_concept
            .as_ref()
            .unwrap()
            .coding[0];
        assert_eq!(
            (coding.code.as_deref(), coding.display.as_deref()),
            (Some("R"), Some("Regular"))
        );
        assert_eq!(
            sub(details, "preferredBranchSurgery")
                .unwrap()
                .value_reference
                .as_ref()
                .unwrap()
                .reference
                .as_deref(),
            Some("Location/1")
        );
    }

    #[test]
    fn demographics_references_and_text_only_contacts() {
        let p = to_fhir(&record());
        assert_eq!(p.meta.as_ref().unwrap().profile, [PROFILE]);
        assert_eq!(p.meta.as_ref().unwrap().version_id.as_deref(), Some("3"));
        assert_eq!(p.name.len(), 1);
        assert_eq!(p.name[0].r#use.as_deref(), Some("official"));
        assert_eq!(p.birth_date.as_deref(), Some("1948-03-14"));
        assert_eq!(p.gender.as_deref(), Some("male"));
        assert_eq!(p.telecom[0].r#use.as_deref(), Some("home"));
        assert_eq!(
            p.managing_organization.unwrap().reference.as_deref(),
            Some("Organization/1")
        );
        assert_eq!(
            p.general_practitioner[0].reference.as_deref(),
            Some("Practitioner/2")
        );
        let relationship = &p.contact[0].relationship[0];
        assert_eq!(relationship.text.as_deref(), Some("Next of kin"));
        assert!(relationship.coding.is_empty());
        let communication = p
            .extension
            .iter()
            .find(|e| e.url == NHS_COMMUNICATION_EXTENSION)
            .unwrap();
        assert!(sub(communication, "language").is_some());
        assert_eq!(
            sub(communication, "interpreterRequired")
                .unwrap()
                .value_boolean,
            Some(false)
        );
        assert!(p.marital_status.is_none() && p.multiple_birth_boolean.is_none());
        assert!(p.photo.is_empty() && p.link.is_empty() && p.communication.is_empty());
        assert!(p.deceased_date_time.is_none());
    }

    #[test]
    fn an_unverified_number_is_reported_as_not_traced() {
        let mut r = record();
        r.nhs_number_verified = false;
        let p = to_fhir(&r);
        let coding = &p.identifier[0].extension[0]
            .value_codeable_concept
            .as_ref()
            .unwrap()
            .coding[0];
        assert_eq!(coding.code.as_deref(), Some("02"));
    }
}
