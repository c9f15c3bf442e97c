//! The Foundations interactions (SPEC 3.1–3.9): the CapabilityStatement, Patient (find, read,
//! register), Practitioner, Organization and Location.

use gpconnect_domain::records::Gender;
use gpconnect_domain::{FhirId, Interaction, NhsNumber, OdsCode};
use gpconnect_fhir::{
    CapabilityStatement, HumanName, Identifier, Location, Meta, Organization, Parameters,
    ParametersParameter, Patient, Practitioner, Resource,
};
use jiff::civil::Date;

use crate::client::GpConnectClient;
use crate::error::ClientError;
use crate::fhir_urls::{
    NHS_NUMBER_SYSTEM, ODS_CODE_SYSTEM, PATIENT_PROFILE, REGISTER_PATIENT_PARAMETER,
    SDS_USER_ID_SYSTEM,
};
use crate::request::RequestSpec;
use crate::response::{entries, Versioned};

/// The demographics a temporary registration needs (SPEC 3.4: NHS number, official name with
/// family and given, birth date; gender is recommended, PDS fills it otherwise).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatientRegistration {
    /// The traced NHS number.
    pub nhs_number: NhsNumber,
    /// Official family name.
    pub family: String,
    /// Official given names (at least one).
    pub given: Vec<String>,
    /// Date of birth.
    pub birth_date: Date,
    /// Administrative gender, if known.
    pub gender: Option<Gender>,
}

impl PatientRegistration {
    /// The `CareConnect-GPC-Patient-1` resource sent in the `registerPatient` parameter.
    pub fn to_patient(&self) -> Result<Patient, ClientError> {
        // SPEC 3.4: the official name must carry a family name and a given name.
        if self.family.trim().is_empty() {
            return Err(ClientError::InvalidInput(
                "registering a patient needs a family name".into(),
            ));
        }
        if self.given.is_empty() || self.given.iter().any(|g| g.trim().is_empty()) {
            return Err(ClientError::InvalidInput(
                "registering a patient needs at least one non-empty given name".into(),
            ));
        }
        Ok(Patient {
            meta: Some(Meta {
                profile: vec![PATIENT_PROFILE.to_owned()],
                ..Meta::default()
            }),
            identifier: vec![Identifier {
                system: Some(NHS_NUMBER_SYSTEM.to_owned()),
                value: Some(self.nhs_number.as_str().to_owned()),
                ..Identifier::default()
            }],
            name: vec![HumanName {
                r#use: Some("official".to_owned()),
                family: Some(self.family.clone()),
                given: self.given.clone(),
                ..HumanName::default()
            }],
            gender: self.gender.map(|g| g.code().to_owned()),
            birth_date: Some(self.birth_date.to_string()),
            ..Patient::default()
        })
    }
}

fn token(system: &str, value: &str) -> String {
    format!("{system}|{value}")
}

impl GpConnectClient {
    /// Read metadata (SPEC 3.1): the provider's CapabilityStatement.
    pub async fn metadata(&self) -> Result<CapabilityStatement, ClientError> {
        let spec = RequestSpec::new(Interaction::ReadMetadata, "metadata");
        self.execute(&spec).await?.typed()
    }

    /// Find a patient by NHS number (SPEC 3.2). No match is an empty list, not an error; only
    /// active, shareable patients are returned.
    pub async fn find_patient(
        &self,
        nhs_number: &NhsNumber,
    ) -> Result<Vec<Versioned<Patient>>, ClientError> {
        let spec = RequestSpec::new(Interaction::SearchPatient, "Patient")
            .param("identifier", token(NHS_NUMBER_SYSTEM, nhs_number.as_str()));
        Ok(entries(&self.execute(&spec).await?.searchset()?))
    }

    /// Read a patient by logical id (SPEC 3.3).
    pub async fn read_patient(&self, id: &FhirId) -> Result<Versioned<Patient>, ClientError> {
        let spec = RequestSpec::new(Interaction::ReadPatient, format!("Patient/{id}"));
        self.execute(&spec).await?.versioned()
    }

    /// Register a patient temporarily (SPEC 3.4) so that an appointment can be booked; returns
    /// the registered Patient from the answer's searchset. Not retried: a repeat would meet
    /// 409 DUPLICATE_REJECTED, and [`GpConnectClient::find_patient`] tells whether it worked.
    pub async fn register_patient(
        &self,
        registration: &PatientRegistration,
    ) -> Result<Versioned<Patient>, ClientError> {
        self.register_patient_resource(registration.to_patient()?)
            .await
    }

    /// Register a patient from a complete `CareConnect-GPC-Patient-1` resource (for the
    /// optional address, telecom and communication elements SPEC 3.4 allows).
    pub async fn register_patient_resource(
        &self,
        patient: Patient,
    ) -> Result<Versioned<Patient>, ClientError> {
        let parameters = Parameters {
            parameter: vec![ParametersParameter {
                name: REGISTER_PATIENT_PARAMETER.to_owned(),
                resource: Some(Resource::from(patient)),
                ..ParametersParameter::default()
            }],
            ..Parameters::default()
        };
        let spec = RequestSpec::new(Interaction::RegisterPatient, "Patient/$gpc.registerpatient")
            .body(parameters);
        let answer = self.execute(&spec).await?;
        let bundle = answer.searchset()?;
        entries(&bundle)
            .into_iter()
            .next()
            .ok_or_else(|| ClientError::UnexpectedResponse {
                interaction: Interaction::RegisterPatient,
                message: "the registration answer holds no Patient".into(),
            })
    }

    /// Find a practitioner by SDS user id (SPEC 3.5).
    pub async fn find_practitioner(
        &self,
        sds_user_id: &str,
    ) -> Result<Vec<Versioned<Practitioner>>, ClientError> {
        let sds_user_id = sds_user_id.trim();
        if sds_user_id.is_empty() || sds_user_id.contains('|') {
            return Err(ClientError::InvalidInput(format!(
                "'{sds_user_id}' is not an SDS user id"
            )));
        }
        let spec = RequestSpec::new(Interaction::SearchPractitioner, "Practitioner")
            .param("identifier", token(SDS_USER_ID_SYSTEM, sds_user_id));
        Ok(entries(&self.execute(&spec).await?.searchset()?))
    }

    /// Read a practitioner by logical id (SPEC 3.6).
    pub async fn read_practitioner(
        &self,
        id: &FhirId,
    ) -> Result<Versioned<Practitioner>, ClientError> {
        let spec = RequestSpec::new(Interaction::ReadPractitioner, format!("Practitioner/{id}"));
        self.execute(&spec).await?.versioned()
    }

    /// Find an organisation by ODS code (SPEC 3.7).
    pub async fn find_organization(
        &self,
        ods_code: &OdsCode,
    ) -> Result<Vec<Versioned<Organization>>, ClientError> {
        let spec = RequestSpec::new(Interaction::SearchOrganization, "Organization")
            .param("identifier", token(ODS_CODE_SYSTEM, ods_code.as_str()));
        Ok(entries(&self.execute(&spec).await?.searchset()?))
    }

    /// Read an organisation by logical id (SPEC 3.8).
    pub async fn read_organization(
        &self,
        id: &FhirId,
    ) -> Result<Versioned<Organization>, ClientError> {
        let spec = RequestSpec::new(Interaction::ReadOrganization, format!("Organization/{id}"));
        self.execute(&spec).await?.versioned()
    }

    /// Read a location by logical id (SPEC 3.9).
    pub async fn read_location(&self, id: &FhirId) -> Result<Versioned<Location>, ClientError> {
        let spec = RequestSpec::new(Interaction::ReadLocation, format!("Location/{id}"));
        self.execute(&spec).await?.versioned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registration_becomes_a_minimal_profiled_patient() {
        let registration = PatientRegistration {
            nhs_number: NhsNumber::parse("9651258500").unwrap(),
            family: "REA".into(),
            given: vec!["Clive".into()],
            birth_date: jiff::civil::date(1951, 3, 10),
            gender: Some(Gender::Male),
        };
        let patient = registration.to_patient().unwrap();
        let json = serde_json::to_value(Resource::from(patient)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "resourceType": "Patient",
                "meta": { "profile": [PATIENT_PROFILE] },
                "identifier": [{ "system": NHS_NUMBER_SYSTEM, "value": "9651258500" }],
                "name": [{ "use": "official", "family": "REA", "given": ["Clive"] }],
                "gender": "male",
                "birthDate": "1951-03-10"
            })
        );
    }

    #[test]
    fn a_registration_without_names_is_refused_before_sending() {
        let registration = PatientRegistration {
            nhs_number: NhsNumber::parse("9651258500").unwrap(),
            family: " ".into(),
            given: vec!["Clive".into()],
            birth_date: jiff::civil::date(1951, 3, 10),
            gender: None,
        };
        assert!(matches!(
            registration.to_patient(),
            Err(ClientError::InvalidInput(_))
        ));
        let no_given = PatientRegistration {
            family: "REA".into(),
            given: vec![],
            ..registration
        };
        assert!(matches!(
            no_given.to_patient(),
            Err(ClientError::InvalidInput(_))
        ));
    }
}
