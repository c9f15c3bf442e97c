//! `gpconnect patient find|register`: the Foundations patient interactions (SPEC 3.2, 3.4),
//! and the `--patient NHS_NUMBER | --patient-id ID` choice the appointment commands share.

use gpconnect_client::fhir_urls::NHS_NUMBER_SYSTEM;
use gpconnect_client::{GpConnectClient, PatientRegistration, Versioned};
use gpconnect_domain::records::Gender;
use gpconnect_domain::{FhirId, NhsNumber};
use gpconnect_fhir::Patient;
use jiff::civil::Date;
use serde::Serialize;
use serde_json::json;

use super::error::CliError;
use super::options::ConsumerOptions;
use super::text::{person_name, Table};
use super::{arguments, Output};

/// `gpconnect patient …`
#[derive(Debug, Clone, clap::Args)]
pub struct PatientArgs {
    #[command(flatten)]
    pub(super) options: ConsumerOptions,
    #[command(subcommand)]
    command: PatientCommand,
}

#[derive(Debug, Clone, clap::Subcommand)]
enum PatientCommand {
    /// Find a patient registered at the practice by NHS number, and show the patient's id
    /// there (what `--patient-id` takes).
    ///
    /// Only active patients are found: deceased, departed and sensitive patients are not
    /// shared (SPEC 3.2). Nothing found is not an error: the patient may be registered
    /// temporarily with `gpconnect patient register`.
    Find {
        /// The patient's NHS number (ten digits; spaces allowed).
        #[arg(value_name = "NHS_NUMBER", value_parser = arguments::nhs_number)]
        nhs_number: NhsNumber,
    },
    /// Register a patient temporarily at the practice so that an appointment can be booked
    /// (SPEC 3.4).
    ///
    /// The practice checks the details against the patient's PDS record: the family name,
    /// a given name and the date of birth must match it.
    Register(RegisterArgs),
}

#[derive(Debug, Clone, clap::Args)]
struct RegisterArgs {
    /// The patient's NHS number (ten digits; spaces allowed).
    #[arg(value_name = "NHS_NUMBER", value_parser = arguments::nhs_number)]
    nhs_number: NhsNumber,
    /// Official family name.
    #[arg(long)]
    family: String,
    /// Official given name; repeat for middle names.
    #[arg(long, required = true)]
    given: Vec<String>,
    /// Date of birth, yyyy-mm-dd.
    #[arg(long, value_parser = arguments::day)]
    birth_date: Date,
    /// male, female, other or unknown (the practice takes it from PDS when not given).
    #[arg(long, value_parser = arguments::gender)]
    gender: Option<Gender>,
}

/// A patient, as the commands show it.
#[derive(Debug, Clone, Serialize)]
pub struct PatientView {
    /// The patient's logical id at the practice.
    pub id: Option<String>,
    /// The NHS number.
    pub nhs_number: Option<String>,
    /// `Prefix Given FAMILY`.
    pub name: String,
    /// Date of birth.
    pub birth_date: Option<String>,
    /// Administrative gender.
    pub gender: Option<String>,
    /// The version the practice holds.
    pub version: Option<String>,
}

impl PatientView {
    fn of(patient: &Versioned<Patient>) -> Self {
        let resource = &patient.resource;
        Self {
            id: resource.id.clone(),
            nhs_number: resource
                .identifier
                .iter()
                .find(|i| i.system.as_deref() == Some(NHS_NUMBER_SYSTEM))
                .and_then(|i| i.value.clone()),
            name: person_name(&resource.name),
            birth_date: resource.birth_date.clone(),
            gender: resource.gender.clone(),
            version: patient.version_id.clone(),
        }
    }

    fn table(patients: &[Self]) -> String {
        let mut table = Table::new(&["ID", "NHS NUMBER", "NAME", "BORN", "GENDER"]);
        for p in patients {
            table.push(vec![
                p.id.clone().unwrap_or_default(),
                p.nhs_number.clone().unwrap_or_default(),
                p.name.clone(),
                p.birth_date.clone().unwrap_or_default(),
                p.gender.clone().unwrap_or_default(),
            ]);
        }
        table.render()
    }
}

pub(super) async fn run(args: PatientArgs) -> Result<Output, CliError> {
    let client = args.options.client()?;
    match args.command {
        PatientCommand::Find { nhs_number } => find(&client, &nhs_number).await,
        PatientCommand::Register(register) => self::register(&client, register).await,
    }
}

async fn find(client: &GpConnectClient, nhs_number: &NhsNumber) -> Result<Output, CliError> {
    let found: Vec<PatientView> = client
        .find_patient(nhs_number)
        .await?
        .iter()
        .map(PatientView::of)
        .collect();
    let text = if found.is_empty() {
        format!(
            "No patient with NHS number {nhs_number} is registered at {}.\n\
             To book for them, register them temporarily: gpconnect patient register {nhs_number} \
             --family NAME --given NAME --birth-date YYYY-MM-DD\n",
            client.config().base_url
        )
    } else {
        PatientView::table(&found)
    };
    Ok(Output::new(text, json!({ "patients": found })))
}

async fn register(client: &GpConnectClient, args: RegisterArgs) -> Result<Output, CliError> {
    let registration = PatientRegistration {
        nhs_number: args.nhs_number,
        family: args.family,
        given: args.given,
        birth_date: args.birth_date,
        gender: args.gender,
    };
    let patient = PatientView::of(&client.register_patient(&registration).await?);
    let text = format!(
        "Registered temporarily at {}:\n{}",
        client.config().base_url,
        PatientView::table(std::slice::from_ref(&patient))
    );
    Ok(Output::new(text, json!({ "patient": patient })))
}

/// Which patient an appointment command is about.
#[derive(Debug, Clone, clap::Args)]
#[group(required = true, multiple = false)]
pub struct PatientChoice {
    /// The patient's NHS number; the patient's id is found at the practice (SPEC 3.2).
    #[arg(long = "patient", value_name = "NHS_NUMBER", value_parser = arguments::nhs_number)]
    nhs_number: Option<NhsNumber>,
    /// The patient's id at the practice, as `gpconnect patient find` shows it.
    #[arg(long, value_name = "ID", value_parser = arguments::fhir_id)]
    patient_id: Option<FhirId>,
}

impl PatientChoice {
    /// The patient's logical id at the practice `client` calls.
    pub async fn resolve(&self, client: &GpConnectClient) -> Result<FhirId, CliError> {
        if let Some(id) = &self.patient_id {
            return Ok(id.clone());
        }
        let Some(nhs_number) = &self.nhs_number else {
            return Err(CliError::new(
                "give --patient NHS_NUMBER or --patient-id ID",
            ));
        };
        let found = client.find_patient(nhs_number).await?;
        let id = found
            .first()
            .and_then(|p| p.resource.id.as_deref())
            .map(FhirId::parse);
        match id {
            Some(Ok(id)) => Ok(id),
            Some(Err(e)) => Err(CliError::new(format!(
                "the practice gave patient {nhs_number} an unusable id: {e}"
            ))),
            None => Err(CliError::new(format!(
                "no patient with NHS number {nhs_number} is registered at {}",
                client.config().base_url
            ))
            .with_hint(format!(
                "register them temporarily first: gpconnect patient register {nhs_number} \
                 --family NAME --given NAME --birth-date YYYY-MM-DD"
            ))),
        }
    }
}
