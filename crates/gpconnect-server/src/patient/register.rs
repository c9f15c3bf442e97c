//! Register a patient (SPEC 3.4): `POST /Patient/$gpc.registerpatient` with a `Parameters`
//! body holding one `registerPatient` Patient. A temporary registration is created, or an
//! inactive record re-activated as one, so that a federated appointment can be booked.
//!
//! The checks run in the order of ATS §2.2 PatientRegister, which satisfies every assurance
//! row: the `Parameters` shape; the NHS number (missing or malformed: `INVALID_NHS_NUMBER`);
//! its presence on PDS (`INVALID_PATIENT_DEMOGRAPHICS`); a superseded or invalid number
//! (`INVALID_NHS_NUMBER`); the Patient's structure (`BAD_REQUEST` / `INVALID_RESOURCE`); the
//! verification rule against PDS (SPEC 3.2: deceased, sensitive or not matching:
//! `INVALID_PATIENT_DEMOGRAPHICS`); and the practice's existing record (deceased or sensitive:
//! `INVALID_PATIENT_DEMOGRAPHICS`, active: 409 `DUPLICATE_REJECTED`, inactive: re-activated).
//! The answer is 200 with a `GPConnect-Searchset-Bundle-1` holding the one Patient.

use std::collections::BTreeSet;

use axum::extract::State;
use axum::response::Response;
use gpconnect_domain::pds::{verify, LocalDemographics, PdsRecord, Verification};
use gpconnect_domain::records::{
    Address, AddressUse, Coding, ContactPoint, ContactSystem, ContactUse, Gender, HumanName,
    NameUse, NhsCommunication, PatientRecord, PatientStatus, Provenance, Registration,
    RegistrationType,
};
use gpconnect_domain::{FhirId, NhsNumber, SpineCode};
use gpconnect_fhir::{Extension, Parameters, Patient};
use gpconnect_store::StoreError;
use jiff::civil::Date;

use super::{to_fhir, NHS_COMMUNICATION_EXTENSION, NHS_NUMBER_SYSTEM};
use crate::body::FhirBody;
use crate::context::RequestContext;
use crate::error::ApiError;
use crate::response::FhirResponse;
use crate::search;
use crate::state::AppState;

/// The one parameter of the operation (`GPConnect-RegisterPatient-Operation-1`).
const REGISTER_PATIENT_PARAMETER: &str = "registerPatient";

pub(super) async fn register(
    State(state): State<AppState>,
    ctx: RequestContext,
    FhirBody(parameters): FhirBody<Parameters>,
) -> Result<Response, ApiError> {
    let patient = registered_patient(parameters)?;
    let nhs_number = nhs_number(&patient)?;
    ctx.audit_patient(nhs_number.as_str());

    // SPEC 3.4 step 1: the PDS Retrieval Query.
    let pds = state
        .demographics()
        .retrieve(&nhs_number)
        .await
        .map_err(ApiError::internal)?
        .ok_or_else(|| {
            ApiError::new(
                SpineCode::InvalidPatientDemographics,
                format!("The NHS number {nhs_number} was not found on PDS"),
            )
        })?;
    let disowned = match &pds.superseded_by {
        Some(by) => Some(Verification::Superseded {
            by: Some(by.clone()),
        }),
        None => pds.invalid.then_some(Verification::Invalid),
    };
    if let Some(disowned) = disowned {
        return Err(refusal(&nhs_number, &disowned));
    }
    let sent = Sent::read(&patient)?;
    let verification = verify(&sent.local(), Some(&pds));
    if verification != Verification::Verified {
        return Err(refusal(&nhs_number, &verification));
    }

    // SPEC 3.4 step 2: duplicate prevention against the practice index.
    let ods = &ctx.practice().ods;
    let existing = state
        .store()
        .find_patient_by_nhs_number(ods, &nhs_number)
        .await
        .map_err(ApiError::internal)?;
    let today = ctx.received().uk_date();
    // SPEC 2.13: provenance of data written through the API, stored with the record and kept
    // with the audit event.
    let who = ctx.provenance();
    let (record, reactivated) = match existing {
        Some(existing) => (
            reactivate(&state, existing, &sent, &pds, today, &who).await?,
            true,
        ),
        None => {
            let record = sent.new_record(&ctx, nhs_number.clone(), &pds, today, &who)?;
            let stored = state
                .store()
                .insert_patient(&record)
                .await
                .map_err(|e| match e {
                    // Registered by a concurrent request between the lookup and the insert.
                    StoreError::Duplicate => duplicate(&nhs_number),
                    e => ApiError::internal(e),
                })?;
            (stored, false)
        }
    };

    ctx.audit_patient(record.id.as_str());
    ctx.audit_detail(format!(
        "{} NHS number {} as temporary patient {}; entered by {} (user {}, SDS user {}, role profile {}) of {} ({}) at {} through {}",
        if reactivated { "Re-activated" } else { "Registered" },
        record.nhs_number,
        record.id,
        who.user_name,
        who.user_id,
        who.sds_user_id.as_deref().unwrap_or("-"),
        who.role_profile_id.as_deref().unwrap_or("-"),
        who.organization_name,
        who.organization_ods,
        who.at,
        who.interaction,
    ));
    let bundle = search::profiled_searchset([to_fhir(&record).into()]);
    FhirResponse::ok(bundle).respond(&ctx)
}

/// The Patient of the single `registerPatient` parameter.
fn registered_patient(parameters: Parameters) -> Result<Patient, ApiError> {
    if let Some(other) = parameters
        .parameter
        .iter()
        .find(|p| p.name != REGISTER_PATIENT_PARAMETER)
    {
        return Err(ApiError::invalid_resource(format!(
            "Parameters.parameter '{}' is not a parameter of $gpc.registerpatient; send only '{REGISTER_PATIENT_PARAMETER}'",
            other.name
        )));
    }
    let mut parameters = parameters.parameter.into_iter();
    let (Some(parameter), None) = (parameters.next(), parameters.next()) else {
        // ATS PatientRegister: two `registerPatient` parameters are a bad request.
        return Err(ApiError::bad_request(format!(
            "Exactly one '{REGISTER_PATIENT_PARAMETER}' parameter holding the Patient must be sent"
        )));
    };
    match parameter.resource {
        Some(gpconnect_fhir::Resource::Patient(patient)) => Ok(*patient),
        Some(other) => Err(ApiError::invalid_resource(format!(
            "The '{REGISTER_PATIENT_PARAMETER}' parameter must hold a Patient, not a {}",
            other.resource_type()
        ))),
        None => Err(ApiError::invalid_resource(format!(
            "The '{REGISTER_PATIENT_PARAMETER}' parameter must hold a Patient resource"
        ))),
    }
}

/// The one NHS number identifier (SPEC 3.4; ATS: missing or malformed is 400
/// `INVALID_NHS_NUMBER`).
fn nhs_number(patient: &Patient) -> Result<NhsNumber, ApiError> {
    let invalid = |message: String| ApiError::new(SpineCode::InvalidNhsNumber, message);
    let mut numbers = patient
        .identifier
        .iter()
        .filter(|i| i.system.as_deref() == Some(NHS_NUMBER_SYSTEM));
    let (Some(identifier), None) = (numbers.next(), numbers.next()) else {
        return Err(invalid(format!(
            "The Patient must carry exactly one identifier with system {NHS_NUMBER_SYSTEM}"
        )));
    };
    let value = identifier.value.as_deref().unwrap_or_default();
    NhsNumber::parse(value)
        .map_err(|e| invalid(format!("The NHS number '{value}' is not valid: {e}")))
}

/// A verification failure as an error answer (SPEC 3.4: superseded or invalid on PDS is
/// `INVALID_NHS_NUMBER`, the rest `INVALID_PATIENT_DEMOGRAPHICS`).
fn refusal(nhs_number: &NhsNumber, verification: &Verification) -> ApiError {
    ApiError::new(
        verification
            .spine_code()
            .unwrap_or(SpineCode::InvalidPatientDemographics),
        format!(
            "The patient with NHS number {nhs_number} cannot be registered: {}",
            verification.reason()
        ),
    )
}

fn duplicate(nhs_number: &NhsNumber) -> ApiError {
    ApiError::new(
        SpineCode::DuplicateRejected,
        format!("Patient record already exists with NHS number {nhs_number}"),
    )
}

/// SPEC 3.4 step 2 for a patient the practice already holds.
async fn reactivate(
    state: &AppState,
    existing: PatientRecord,
    sent: &Sent,
    pds: &PdsRecord,
    today: Date,
    who: &Provenance,
) -> Result<PatientRecord, ApiError> {
    let unavailable = |reason: &str| {
        ApiError::new(
            SpineCode::InvalidPatientDemographics,
            format!(
                "The patient with NHS number {} cannot be registered: {reason}",
                existing.nhs_number
            ),
        )
    };
    if matches!(existing.status, PatientStatus::Deceased { .. }) {
        return Err(unavailable("the practice records the patient as deceased"));
    }
    if existing.sensitive {
        return Err(unavailable("the patient's record is sensitive"));
    }
    if !existing.nhs_number_verified {
        // SPEC 3.4 step 2: a record never verified is verified first; failure halts.
        let official = existing.official_name();
        let local = LocalDemographics {
            family: official.map(|n| n.family.as_str()).unwrap_or_default(),
            given: official.map(|n| n.given.as_slice()).unwrap_or_default(),
            birth_date: existing.birth_date,
        };
        let verification = verify(&local, Some(pds));
        if verification != Verification::Verified {
            return Err(refusal(&existing.nhs_number, &verification));
        }
    }
    if existing.status == PatientStatus::Active {
        // Whatever the registration type, a temporary one included (ATS PatientRegister 13, 14).
        return Err(duplicate(&existing.nhs_number));
    }
    let version = existing.version;
    let record = PatientRecord {
        nhs_number_verified: true,
        names: sent.names.clone(),
        gender: sent.gender.or(existing.gender).or(Some(pds.gender)),
        birth_date: sent.birth_date,
        telecom: if sent.telecom.is_empty() {
            existing.telecom.clone()
        } else {
            sent.telecom.clone()
        },
        addresses: if sent.addresses.is_empty() {
            existing.addresses.clone()
        } else {
            sent.addresses.clone()
        },
        status: PatientStatus::Active,
        registration: Registration {
            type_: RegistrationType::Temporary,
            period_start: Some(today),
            period_end: None,
            preferred_branch: existing.registration.preferred_branch.clone(),
        },
        nhs_communication: sent
            .nhs_communication
            .clone()
            .or(existing.nhs_communication.clone()),
        provenance: Some(who.clone()),
        ..existing
    };
    state
        .store()
        .update_patient(&record, version)
        .await
        .map_err(|e| match e {
            // Changed by a concurrent request, most likely the same registration.
            StoreError::VersionConflict { .. } | StoreError::Duplicate => {
                duplicate(&record.nhs_number)
            }
            e => ApiError::internal(e),
        })
}

/// The demographics sent in the Patient, checked against SPEC 3.4's content rules.
#[derive(Debug)]
struct Sent {
    names: Vec<HumanName>,
    gender: Option<Gender>,
    birth_date: Date,
    telecom: Vec<ContactPoint>,
    addresses: Vec<Address>,
    nhs_communication: Option<NhsCommunication>,
}

impl Sent {
    /// SPEC 3.4: MUST an NHS number, one official name with a family name and a birth date;
    /// SHOULD gender, one home address, one phone per use and one e-mail, one nhsCommunication;
    /// MAY one temporary address and one temporary phone; nothing else. ATS PatientRegister
    /// decides the codes: a missing birth date or official name, a missing family name, an
    /// identifier without a system and a repeated telecom are 400 `BAD_REQUEST`; everything
    /// else is 422 `INVALID_RESOURCE`.
    fn read(patient: &Patient) -> Result<Self, ApiError> {
        forbidden_elements(patient)?;
        for identifier in &patient.identifier {
            if identifier.system.as_deref().is_none_or(blank) {
                return Err(ApiError::bad_request(
                    "Every Patient.identifier must have a system",
                ));
            }
            if identifier.value.as_deref().is_none_or(blank) {
                return Err(ApiError::bad_request(
                    "Every Patient.identifier must have a value",
                ));
            }
        }
        let birth_date = match patient.birth_date.as_deref() {
            None => {
                return Err(ApiError::bad_request(
                    "Patient.birthDate is required to register a patient",
                ))
            }
            Some(text) => text.parse::<Date>().map_err(|_| {
                invalid(format!(
                    "Patient.birthDate '{text}' must be a full date (yyyy-mm-dd)"
                ))
            })?,
        };
        let gender = patient
            .gender
            .as_deref()
            .map(|code| {
                Gender::from_code(code)
                    .ok_or_else(|| invalid(format!("Patient.gender '{code}' is not a gender code")))
            })
            .transpose()?;
        Ok(Self {
            names: names(patient)?,
            gender,
            birth_date,
            telecom: telecom(patient)?,
            addresses: addresses(patient)?,
            nhs_communication: nhs_communication(patient)?,
        })
    }

    /// What SPEC 3.2's verification rule compares with PDS.
    fn local(&self) -> LocalDemographics<'_> {
        let official = self.names.iter().find(|n| n.use_ == NameUse::Official);
        LocalDemographics {
            family: official.map(|n| n.family.as_str()).unwrap_or_default(),
            given: official.map(|n| n.given.as_slice()).unwrap_or_default(),
            birth_date: self.birth_date,
        }
    }

    /// A new temporary registration (SPEC 3.4 step 3): the demographics sent, with PDS filling
    /// in those omitted.
    fn new_record(
        &self,
        ctx: &RequestContext,
        nhs_number: NhsNumber,
        pds: &PdsRecord,
        today: Date,
        who: &Provenance,
    ) -> Result<PatientRecord, ApiError> {
        let id = FhirId::parse(&uuid::Uuid::new_v4().to_string()).map_err(ApiError::internal)?;
        Ok(PatientRecord {
            practice: ctx.practice().ods.clone(),
            id,
            version: 1,
            nhs_number,
            nhs_number_verified: true,
            names: self.names.clone(),
            gender: self.gender.or(Some(pds.gender)),
            birth_date: self.birth_date,
            telecom: if self.telecom.is_empty() {
                pds.telecom.clone()
            } else {
                self.telecom.clone()
            },
            addresses: if self.addresses.is_empty() {
                pds.address.iter().cloned().collect()
            } else {
                self.addresses.clone()
            },
            contacts: Vec::new(),
            status: PatientStatus::Active,
            sensitive: false,
            registration: Registration {
                type_: RegistrationType::Temporary,
                period_start: Some(today),
                period_end: None,
                preferred_branch: None,
            },
            general_practitioner: None,
            // SPEC 4.2: the practice addressed by the URL.
            managing_organization: ctx.practice().organization_id.clone(),
            nhs_communication: self.nhs_communication.clone(),
            consent_to_share: true,
            provenance: Some(who.clone()),
        })
    }
}

fn invalid(message: impl Into<String>) -> ApiError {
    ApiError::invalid_resource(message)
}

fn blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// SPEC 3.4: everything the operation does not list MUST NOT be sent (ATS PatientRegister
/// O21, O28: 422 `INVALID_RESOURCE`).
fn forbidden_elements(patient: &Patient) -> Result<(), ApiError> {
    let sent = [
        ("implicitRules", patient.implicit_rules.is_some()),
        ("contained", !patient.contained.is_empty()),
        ("modifierExtension", !patient.modifier_extension.is_empty()),
        ("active", patient.active.is_some()),
        (
            "deceased[x]",
            patient.deceased_boolean.is_some() || patient.deceased_date_time.is_some(),
        ),
        ("maritalStatus", patient.marital_status.is_some()),
        (
            "multipleBirth[x]",
            patient.multiple_birth_boolean.is_some() || patient.multiple_birth_integer.is_some(),
        ),
        ("photo", !patient.photo.is_empty()),
        ("contact", !patient.contact.is_empty()),
        ("animal", patient.animal.is_some()),
        ("communication", !patient.communication.is_empty()),
        (
            "generalPractitioner",
            !patient.general_practitioner.is_empty(),
        ),
        (
            "managingOrganization",
            patient.managing_organization.is_some(),
        ),
        ("link", !patient.link.is_empty()),
    ];
    match sent.iter().find(|(_, present)| *present) {
        Some((element, _)) => Err(invalid(format!(
            "Patient.{element} must not be sent to $gpc.registerpatient"
        ))),
        None => Ok(()),
    }
}

/// Exactly one official name with a family name; other names are kept as sent.
fn names(patient: &Patient) -> Result<Vec<HumanName>, ApiError> {
    let mut names = Vec::with_capacity(patient.name.len());
    for (index, name) in patient.name.iter().enumerate() {
        let code = name
            .r#use
            .as_deref()
            .ok_or_else(|| invalid(format!("Patient.name[{index}].use is required")))?;
        let use_ = NameUse::from_code(code).ok_or_else(|| {
            invalid(format!(
                "Patient.name[{index}].use '{code}' is not a name use"
            ))
        })?;
        let family = name.family.clone().unwrap_or_default();
        if use_ == NameUse::Official && blank(&family) {
            return Err(ApiError::bad_request(
                "The official name must have a family name",
            ));
        }
        names.push(HumanName {
            use_,
            family,
            given: name.given.clone(),
            prefix: name.prefix.clone(),
        });
    }
    match names.iter().filter(|n| n.use_ == NameUse::Official).count() {
        1 => Ok(names),
        0 => Err(ApiError::bad_request(
            "The Patient must have a name with use 'official'",
        )),
        n => Err(ApiError::bad_request(format!(
            "The Patient must have exactly one name with use 'official', not {n}"
        ))),
    }
}

/// Telephone numbers with use home, work, mobile or temp, one per use, and one e-mail address
/// (SPEC 3.4); a repeated one is 400 `BAD_REQUEST` (ATS PatientRegister O25).
fn telecom(patient: &Patient) -> Result<Vec<ContactPoint>, ApiError> {
    let mut seen = BTreeSet::new();
    let mut telecom = Vec::with_capacity(patient.telecom.len());
    for (index, contact) in patient.telecom.iter().enumerate() {
        let path = format!("Patient.telecom[{index}]");
        let system = contact
            .system
            .as_deref()
            .ok_or_else(|| invalid(format!("{path}.system is required")))?;
        let system = ContactSystem::from_code(system)
            .ok_or_else(|| invalid(format!("{path}.system '{system}' is not a contact system")))?;
        let value = contact
            .value
            .clone()
            .filter(|v| !blank(v))
            .ok_or_else(|| invalid(format!("{path}.value is required")))?;
        let use_ = contact
            .r#use
            .as_deref()
            .map(|code| {
                ContactUse::from_code(code)
                    .ok_or_else(|| invalid(format!("{path}.use '{code}' is not a contact use")))
            })
            .transpose()?;
        let key = match (system, use_) {
            // SPEC 2.11: `use` means nothing for e-mail; one address whatever its use.
            (ContactSystem::Email, _) => "email".to_owned(),
            (
                ContactSystem::Phone,
                Some(
                    u @ (ContactUse::Home
                    | ContactUse::Work
                    | ContactUse::Mobile
                    | ContactUse::Temp),
                ),
            ) => format!("{} phone", u.code()),
            (ContactSystem::Phone, Some(u)) => {
                return Err(invalid(format!(
                    "{path}: a telephone number's use must be home, work, mobile or temp, not {}",
                    u.code()
                )))
            }
            (ContactSystem::Phone, None) => {
                return Err(invalid(format!(
                    "{path}.use is required for a telephone number"
                )))
            }
            (other, _) => {
                return Err(invalid(format!(
                    "{path}: only telephone numbers and an e-mail address are accepted, not {}",
                    other.code()
                )))
            }
        };
        if !seen.insert(key.clone()) {
            return Err(ApiError::bad_request(format!(
                "Only one {key} may be sent (Patient.telecom[{index}] repeats it)"
            )));
        }
        telecom.push(ContactPoint {
            system,
            value,
            use_,
        });
    }
    Ok(telecom)
}

/// At most one home and one temporary address (SPEC 3.4; ATS PatientRegister O36–O38, 23).
fn addresses(patient: &Patient) -> Result<Vec<Address>, ApiError> {
    let mut seen = BTreeSet::new();
    let mut addresses = Vec::with_capacity(patient.address.len());
    for (index, address) in patient.address.iter().enumerate() {
        let path = format!("Patient.address[{index}]");
        let use_ = match address
            .r#use
            .as_deref()
            .map(|c| (c, AddressUse::from_code(c)))
        {
            Some((_, Some(u @ (AddressUse::Home | AddressUse::Temp)))) => u,
            Some((code, _)) => {
                return Err(invalid(format!(
                    "{path}.use must be home or temp, not '{code}'"
                )))
            }
            None => return Err(invalid(format!("{path}.use is required (home or temp)"))),
        };
        if !seen.insert(use_.code()) {
            return Err(invalid(format!(
                "Only one {} address may be sent ({path} repeats it)",
                use_.code()
            )));
        }
        if address.state.is_some() {
            return Err(invalid(format!("{path}.state must not be sent")));
        }
        addresses.push(Address {
            use_: Some(use_),
            lines: address.line.clone(),
            city: address.city.clone(),
            district: address.district.clone(),
            postal_code: address.postal_code.clone(),
            country: address.country.clone(),
        });
    }
    Ok(addresses)
}

/// The only Patient extension accepted: at most one `nhsCommunication` (SPEC 3.4; ATS
/// PatientRegister 27).
fn nhs_communication(patient: &Patient) -> Result<Option<NhsCommunication>, ApiError> {
    let mut found = None;
    for extension in &patient.extension {
        if extension.url != NHS_COMMUNICATION_EXTENSION {
            return Err(invalid(format!(
                "The Patient extension '{}' must not be sent to $gpc.registerpatient",
                extension.url
            )));
        }
        if found.is_some() {
            return Err(invalid(
                "At most one nhsCommunication extension may be sent",
            ));
        }
        found = Some(communication(extension)?);
    }
    Ok(found)
}

fn communication(extension: &Extension) -> Result<NhsCommunication, ApiError> {
    let mut language = None;
    let mut preferred = None;
    let mut interpreter_required = None;
    let boolean = |part: &Extension| {
        part.value_boolean.ok_or_else(|| {
            invalid(format!(
                "nhsCommunication.{} must be a valueBoolean",
                part.url
            ))
        })
    };
    for part in &extension.extension {
        match part.url.as_str() {
            "language" => {
                let coding = part
                    .value_codeable_concept
                    .as_ref()
                    .and_then(|c| c.coding.first())
                    .and_then(|c| Some((c.system.clone()?, c.code.clone()?, c.display.clone())))
                    .ok_or_else(|| {
                        invalid("nhsCommunication.language must be a valueCodeableConcept with a coding (system and code)")
                    })?;
                language = Some(Coding {
                    system: coding.0,
                    code: coding.1,
                    display: coding.2,
                });
            }
            "preferred" => preferred = Some(boolean(part)?),
            "interpreterRequired" => interpreter_required = Some(boolean(part)?),
            other => {
                return Err(invalid(format!(
                "nhsCommunication.{other} is not accepted; send language and interpreterRequired"
            )))
            }
        }
    }
    Ok(NhsCommunication {
        language: language.ok_or_else(|| invalid("nhsCommunication.language is required"))?,
        interpreter_required,
        preferred,
    })
}
