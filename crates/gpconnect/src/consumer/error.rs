//! A consumer command's failure: what went wrong, said plainly, and what to do about it.
//!
//! Client, workflow and configuration errors are turned into a [`CliError`] whose `hint` is
//! chosen from what the practice said (the Spine code, SPEC 2.8) and which interaction
//! failed: a booking refused with 409 `DUPLICATE_REJECTED` means the slot was taken by
//! someone else, an amendment refused with 409 means the appointment changed meanwhile, and
//! so on.

use gpconnect_client::config::env_var;
use gpconnect_client::{ClientError, ConfigError, ProviderError, WorkflowError};
use gpconnect_domain::{Interaction, SpineCode};
use serde_json::{json, Value};

/// Why a command failed, and what the user can do about it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CliError {
    /// What went wrong.
    pub message: String,
    /// What to do about it, when there is something to say.
    pub hint: Option<String>,
    /// The HTTP status of a refusal by the practice (or the SSP).
    pub status: Option<u16>,
    /// The Spine error code the practice answered with (SPEC 2.8), as sent.
    pub spine_code: Option<String>,
}

impl CliError {
    /// A failure with no advice attached.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            hint: None,
            status: None,
            spine_code: None,
        }
    }

    /// The same failure with this advice instead of any given before.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The failure for people: `error: …` and, when there is advice, `hint: …`.
    pub fn text(&self) -> String {
        match &self.hint {
            Some(hint) => format!("error: {}\nhint: {hint}\n", self.message),
            None => format!("error: {}\n", self.message),
        }
    }

    /// The failure for programs: `{"error": {"message", "hint", "http_status", "spine_code"}}`.
    pub fn json(&self) -> Value {
        json!({
            "error": {
                "message": self.message,
                "hint": self.hint,
                "http_status": self.status,
                "spine_code": self.spine_code,
            }
        })
    }
}

impl From<ClientError> for CliError {
    fn from(error: ClientError) -> Self {
        let provider = error.provider();
        Self {
            message: error.to_string(),
            hint: client_hint(&error),
            status: error.status(),
            spine_code: provider.map(|p| p.code.clone()).filter(|c| !c.is_empty()),
        }
    }
}

impl From<ConfigError> for CliError {
    fn from(error: ConfigError) -> Self {
        Self::new(error.to_string()).with_hint(config_hint(&error))
    }
}

impl From<WorkflowError> for CliError {
    fn from(error: WorkflowError) -> Self {
        let message = error.to_string();
        match error {
            WorkflowError::Client(e) => e.into(),
            WorkflowError::SlotNoLongerFree { .. } => Self::new(message).with_hint(SLOT_TAKEN),
            WorkflowError::ReadBackMismatch { appointment, .. } => {
                let id = appointment.resource.id.as_deref().unwrap_or("ID");
                Self::new(message).with_hint(format!(
                    "the appointment is booked: look at it with `gpconnect appointment show {id}` \
                     and amend or cancel it if it is wrong"
                ))
            }
            WorkflowError::OutcomeUnknown { .. } => Self::new(message).with_hint(
                "look at the patient's appointments (`gpconnect appointment list --patient \
                 NHS_NUMBER`) before booking again",
            ),
            WorkflowError::OldAppointmentNotCancelled { source, .. } => {
                let source = Self::from(source);
                Self {
                    message,
                    hint: Some(
                        "the patient now holds both appointments: cancel the old one with \
                         `gpconnect appointment cancel ID --reason TEXT`"
                            .into(),
                    ),
                    ..source
                }
            }
        }
    }
}

/// The advice for a slot that someone else booked first (SPEC 3.11: 409 DUPLICATE_REJECTED).
pub const SLOT_TAKEN: &str =
    "that slot was taken by someone else; search again (`gpconnect slots search`) and choose another slot";

fn client_hint(error: &ClientError) -> Option<String> {
    let hint = match error {
        ClientError::Config(e) => return Some(config_hint(e)),
        ClientError::Setup(_) => {
            "check the [tls] files of the configuration: a PEM client certificate with its key, \
             and the CA certificates"
        }
        ClientError::Connect { .. } => {
            "check that the practice's server is running and that base_url (--base-url, \
             GPCONNECT_BASE_URL) is its service root, e.g. \
             http://127.0.0.1:8080/A20047/STU3/1/gpconnect"
        }
        ClientError::Timeout { interaction, .. } | ClientError::Transport { interaction, .. } => {
            if is_write(*interaction) {
                UNKNOWN_OUTCOME
            } else {
                "try again; if it keeps happening, allow more time with --timeout SECONDS"
            }
        }
        ClientError::Provider(p) => return provider_hint(p),
        ClientError::Http {
            interaction,
            status,
            ..
        } => return status_hint(*interaction, *status),
        ClientError::Decode { .. } | ClientError::UnexpectedResponse { .. } => {
            "the practice's answer is not valid GP Connect 1.2.7; report it to the practice's \
             system supplier (--log debug shows the exchange)"
        }
        ClientError::InvalidInput(_) | ClientError::Aborted(_) => return None,
    };
    Some(hint.to_owned())
}

/// Advice for a write whose answer was lost: it may have been applied.
const UNKNOWN_OUTCOME: &str = "the change may nevertheless have been made at the practice: look \
     (`gpconnect appointment show ID` or `gpconnect appointment list --patient NHS_NUMBER`) \
     before trying again";

fn is_write(interaction: Interaction) -> bool {
    interaction.method() != "GET"
}

fn provider_hint(p: &ProviderError) -> Option<String> {
    use Interaction::{
        AmendAppointment, BookAppointment, CancelAppointment, ReadAppointment, RegisterPatient,
        SearchPatientAppointments,
    };
    let Some(code) = p.spine_code else {
        return status_hint(p.interaction, p.status);
    };
    let hint = match (code, p.interaction) {
        (SpineCode::DuplicateRejected, BookAppointment) => SLOT_TAKEN,
        (SpineCode::DuplicateRejected, RegisterPatient) => {
            "the patient is already registered at this practice: `gpconnect patient find \
             NHS_NUMBER` shows them"
        }
        (SpineCode::PatientNotFound, _) => {
            "no such patient at this practice: `gpconnect patient find NHS_NUMBER` gives the \
             patient's id (or give --patient NHS_NUMBER instead of --patient-id)"
        }
        (SpineCode::NoRecordFound, ReadAppointment | AmendAppointment | CancelAppointment) => {
            "no appointment with that id at this practice (past appointments cannot be read): \
             `gpconnect appointment list --patient NHS_NUMBER` lists the patient's appointments"
        }
        (SpineCode::FhirConstraintViolation, _) => CHANGED_MEANWHILE,
        (SpineCode::InvalidNhsNumber, _) => {
            "check the NHS number: ten digits with a valid check digit, traced on PDS"
        }
        (SpineCode::InvalidPatientDemographics, _) => {
            "the family name, given name and date of birth must match the patient's PDS record; \
             deceased and sensitive patients cannot be registered"
        }
        (SpineCode::AccessDenied | SpineCode::NoOrganisationConsent, _) => {
            "the practice has not enabled this for GP Connect, or not for your organisation"
        }
        (SpineCode::BadRequest, _) => {
            "the practice refused the request itself: check consumer_asid, provider_asid and the \
             [user], [organisation] and [system] settings of the configuration"
        }
        (SpineCode::InvalidParameter, SearchPatientAppointments) => {
            "the range must start today or later (past appointments cannot be listed) and end \
             on or after its start"
        }
        (SpineCode::InvalidResource, BookAppointment) => {
            "the practice refused the booking for the reason above; search again and choose \
             another slot"
        }
        (SpineCode::InvalidResource, AmendAppointment | CancelAppointment) => {
            "cancelled and past appointments cannot be changed: `gpconnect appointment show ID` \
             shows its state"
        }
        (SpineCode::InternalServerError, interaction) => {
            return status_hint(interaction, p.status);
        }
        _ => return None,
    };
    Some(hint.to_owned())
}

/// Advice for a 409 on an amendment or cancellation (SPEC 3.13, 3.14: stale `If-Match`).
const CHANGED_MEANWHILE: &str = "the appointment was changed by someone else meanwhile: look at \
     it again with `gpconnect appointment show ID` and repeat the change if it still applies";

fn status_hint(interaction: Interaction, status: u16) -> Option<String> {
    let hint = match status {
        409 if matches!(
            interaction,
            Interaction::AmendAppointment | Interaction::CancelAppointment
        ) =>
        {
            CHANGED_MEANWHILE
        }
        409 if interaction == Interaction::BookAppointment => SLOT_TAKEN,
        502..=504 => {
            if is_write(interaction) {
                UNKNOWN_OUTCOME
            } else {
                "the Spine Secure Proxy or a gateway could not reach the practice; try again later"
            }
        }
        500.. if is_write(interaction) => UNKNOWN_OUTCOME,
        500.. => "the practice's system failed; try again later",
        _ => return None,
    };
    Some(hint.to_owned())
}

/// The flag that overrides a configuration key, for the keys that have one.
fn flag_of(key: &str) -> Option<&'static str> {
    match key {
        "base_url" => Some("--base-url"),
        "provider_asid" => Some("--provider-asid"),
        "consumer_asid" => Some("--consumer-asid"),
        "ssp_url_prefix" => Some("--ssp-url-prefix"),
        "format" => Some("--fhir-format"),
        "timeout_seconds" => Some("--timeout"),
        _ => None,
    }
}

fn config_hint(error: &ConfigError) -> String {
    match error {
        ConfigError::Missing { key } | ConfigError::Invalid { key, .. } => {
            let mut places = vec![
                format!("`{key}` in the --config FILE"),
                format!("the environment variable {}", env_var(key)),
            ];
            if let Some(flag) = flag_of(key) {
                places.push(flag.to_owned());
            }
            format!("set it as {}", places.join(", or "))
        }
        ConfigError::Io { .. } | ConfigError::Parse { .. } | ConfigError::UnsupportedFile(_) => {
            "give --config a readable .toml or .json client configuration (keys: see \
             crates/gpconnect-client/README.md)"
                .to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gpconnect_fhir::{CodeableConcept, Coding, OperationOutcome, OperationOutcomeIssue};

    fn refusal(interaction: Interaction, status: u16, code: &str) -> ClientError {
        let outcome = OperationOutcome {
            issue: vec![OperationOutcomeIssue {
                severity: "error".into(),
                code: "duplicate".into(),
                details: Some(CodeableConcept {
                    coding: vec![Coding {
                        system: Some(gpconnect_domain::spine::SPINE_ERROR_SYSTEM.into()),
                        code: Some(code.into()),
                        ..Coding::default()
                    }],
                    ..CodeableConcept::default()
                }),
                diagnostics: Some("Slot 12 is already booked".into()),
                ..OperationOutcomeIssue::default()
            }],
            ..OperationOutcome::default()
        };
        ClientError::Provider(Box::new(ProviderError::from_outcome(
            interaction,
            status,
            outcome,
        )))
    }

    #[test]
    fn a_taken_slot_tells_the_user_to_search_again() {
        let error = CliError::from(refusal(
            Interaction::BookAppointment,
            409,
            "DUPLICATE_REJECTED",
        ));
        assert_eq!(error.hint.as_deref(), Some(SLOT_TAKEN));
        assert_eq!(error.status, Some(409));
        assert_eq!(error.spine_code.as_deref(), Some("DUPLICATE_REJECTED"));
        assert!(error.text().contains("Slot 12 is already booked"));
        assert_eq!(error.json()["error"]["spine_code"], "DUPLICATE_REJECTED");
    }

    #[test]
    fn the_same_code_means_something_else_for_a_registration() {
        let error = CliError::from(refusal(
            Interaction::RegisterPatient,
            409,
            "DUPLICATE_REJECTED",
        ));
        assert!(error
            .hint
            .as_deref()
            .is_some_and(|h| h.contains("already registered")));
    }

    #[test]
    fn a_stale_version_says_the_appointment_changed() {
        let error = CliError::from(refusal(
            Interaction::CancelAppointment,
            409,
            "FHIR_CONSTRAINT_VIOLATION",
        ));
        assert_eq!(error.hint.as_deref(), Some(CHANGED_MEANWHILE));
    }

    #[test]
    fn a_missing_setting_names_the_file_key_variable_and_flag() {
        let error = CliError::from(ConfigError::Missing { key: "base_url" });
        let hint = error.hint.unwrap();
        assert!(hint.contains("`base_url` in the --config FILE"), "{hint}");
        assert!(hint.contains("GPCONNECT_BASE_URL"), "{hint}");
        assert!(hint.contains("--base-url"), "{hint}");
    }

    #[test]
    fn a_lost_booking_answer_says_to_look_before_booking_again() {
        let error = CliError::from(ClientError::Http {
            interaction: Interaction::BookAppointment,
            status: 504,
            body: String::new(),
        });
        assert_eq!(error.hint.as_deref(), Some(UNKNOWN_OUTCOME));
        let read = CliError::from(ClientError::Http {
            interaction: Interaction::SearchSlots,
            status: 504,
            body: String::new(),
        });
        assert!(read.hint.unwrap().contains("try again later"));
    }
}
