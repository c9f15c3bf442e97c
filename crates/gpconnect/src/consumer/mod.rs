//! The consumer commands of `gpconnect`: find and register patients, search practices for
//! free slots, and book, list, show, amend, cancel and reschedule appointments, all through
//! the `gpconnect-client` library and its safe workflows.
//!
//! - [`options`]: `--config FILE`, the `GPCONNECT_*` environment and override flags, `--json`;
//! - [`patient`], [`slots`], [`appointment`]: one module per command group, each with its
//!   arguments, its calls and how its results are shown;
//! - [`text`]: aligned tables and listings for people; `--json` gives the same results as
//!   JSON for programs;
//! - [`error`]: failures with advice on what to do next.
//!
//! Exit status: 0 on success, 1 on failure (the reason on standard error, and as JSON on
//! standard output with `--json`), 2 for a command-line mistake, 3 when a multi-practice
//! slot search could search only some of the practices.

pub mod appointment;
pub mod arguments;
pub mod error;
pub mod options;
pub mod patient;
pub mod slots;
pub mod text;

use std::io::Write;

use serde_json::Value;

pub use error::CliError;
pub use options::ConsumerOptions;

/// The exit status of a command that did what was asked.
pub const EXIT_SUCCESS: i32 = 0;
/// The exit status of a command that failed.
pub const EXIT_FAILURE: i32 = 1;
/// The exit status of a multi-practice search in which only some practices could be searched.
pub const EXIT_PARTIAL: i32 = 3;

/// The end of each consumer command group's `--help`: where settings come from, and the exit
/// statuses.
const CONFIGURATION_HELP: &str = "Configuration: the --config FILE (TOML or JSON, keys in \
crates/gpconnect-client/README.md), then GPCONNECT_* environment variables (e.g. \
GPCONNECT_BASE_URL, GPCONNECT_ORGANISATION_TELEPHONE), then the flags. Exit status: 0 done, \
1 failed, 2 command-line mistake, 3 only some practices of a multi-practice search answered.";

/// The consumer command groups, added to `gpconnect`'s own commands.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum ConsumerCommand {
    /// Find a patient at a practice by NHS number, or register one temporarily.
    #[command(after_help = CONFIGURATION_HELP)]
    Patient(patient::PatientArgs),
    /// Search one or several practices for free appointment slots.
    #[command(after_help = CONFIGURATION_HELP)]
    Slots(slots::SlotsArgs),
    /// Book, list, show, amend, cancel and reschedule appointments.
    #[command(after_help = CONFIGURATION_HELP)]
    Appointment(appointment::AppointmentArgs),
}

impl ConsumerCommand {
    fn options(&self) -> &ConsumerOptions {
        match self {
            Self::Patient(args) => &args.options,
            Self::Slots(args) => &args.options,
            Self::Appointment(args) => &args.options,
        }
    }
}

/// What a command prints: the same result for people and for programs.
#[derive(Debug, Clone, PartialEq)]
pub struct Output {
    /// Tables and listings.
    pub text: String,
    /// The `--json` form.
    pub json: Value,
    /// The exit status.
    pub status: i32,
}

impl Output {
    /// A successful result.
    pub fn new(text: String, json: Value) -> Self {
        Self {
            text,
            json,
            status: EXIT_SUCCESS,
        }
    }
}

/// Runs `command`, prints its result (or why it failed) and returns the exit status.
pub async fn run(command: ConsumerCommand) -> i32 {
    let json = command.options().json;
    let result = match command {
        ConsumerCommand::Patient(args) => patient::run(args).await,
        ConsumerCommand::Slots(args) => slots::run(args).await,
        ConsumerCommand::Appointment(args) => appointment::run(args).await,
    };
    let (stdout, stderr, status) = match result {
        Ok(output) if json => (pretty(&output.json), String::new(), output.status),
        Ok(output) => (output.text, String::new(), output.status),
        Err(error) if json => (pretty(&error.json()), error.text(), EXIT_FAILURE),
        Err(error) => (String::new(), error.text(), EXIT_FAILURE),
    };
    // A closed pipe (`| head`) is not worth a panic: what could be written was.
    let _ = std::io::stdout().lock().write_all(stdout.as_bytes());
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().lock().write_all(stderr.as_bytes());
    status
}

fn pretty(value: &Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string());
    text.push('\n');
    text
}
