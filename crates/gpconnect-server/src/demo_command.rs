//! `gpconnect demo`: maintenance of the demo data in a provider's database.
//!
//! `gpconnect demo reset` deletes every practice's records and loads the demo practices afresh
//! ([`gpconnect_demo::reset_demo`]), keeping the audit trail and auditing the reset itself
//! (SPEC 2.13). It works on SQLite and PostgreSQL alike and may run while servers use the
//! database: they look the practice up on every request, so they serve the fresh data at once.

use gpconnect_demo::{reset_demo, DemoError};
use gpconnect_domain::records::Practice;
use gpconnect_domain::UkDateTime;
use jiff::civil::Date;

use crate::serve::{open_store, DemoSize, ServeError};

/// The `gpconnect demo` subcommands.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum DemoCommand {
    /// Delete every practice's records and load the demo practices afresh, keeping the audit
    /// trail (e.g. between assurance runs). Servers on the database may stay up.
    Reset(DemoResetArgs),
}

/// The settings of `gpconnect demo reset`; every one can also come from the environment, as
/// for `gpconnect serve`.
#[derive(Debug, Clone, clap::Args)]
pub struct DemoResetArgs {
    /// The database: `sqlite://PATH` or `postgres://USER@HOST:PORT/DB`.
    #[arg(
        long,
        env = "GPCONNECT_DATABASE",
        default_value = "sqlite://data/gpconnect.db"
    )]
    pub database: String,

    /// How large the reloaded demo diary is: `default` or `benchmark` (as `serve
    /// --demo-scale`).
    #[arg(long, env = "GPCONNECT_DEMO_SCALE", value_enum, default_value_t = DemoSize::Default)]
    pub demo_scale: DemoSize,
}

/// Why a `gpconnect demo` command failed.
#[derive(Debug, thiserror::Error)]
pub enum DemoCommandError {
    /// The database could not be opened.
    #[error(transparent)]
    Open(#[from] ServeError),
    /// The reset or the reload failed.
    #[error("demo reset: {0}")]
    Reset(#[from] DemoError),
}

/// What a reset left in the database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DemoResetOutcome {
    /// The day the demo diary was loaded from.
    pub today: Date,
    /// The practices now hosted, ordered by ODS code.
    pub practices: Vec<Practice>,
}

/// Runs a `gpconnect demo` subcommand and returns the lines to print.
pub async fn run(command: DemoCommand) -> Result<Vec<String>, DemoCommandError> {
    match command {
        DemoCommand::Reset(args) => {
            let outcome = reset(&args).await?;
            let mut lines = vec![format!(
                "deleted every practice's records (the audit trail is kept) and loaded the demo \
                 data afresh as of {}",
                outcome.today
            )];
            lines.extend(
                crate::serve::practice_lines(&outcome.practices, None, None)
                    .iter()
                    .map(|line| line.trim_end().to_owned()),
            );
            Ok(lines)
        }
    }
}

/// Resets the demo data in the database `args` names, as of today (UK date).
pub async fn reset(args: &DemoResetArgs) -> Result<DemoResetOutcome, DemoCommandError> {
    let store = open_store(&args.database).await?;
    let today = UkDateTime::now().uk_date();
    reset_demo(store.as_ref(), today, args.demo_scale.scale()).await?;
    let practices = store
        .practices()
        .await
        .map_err(|e| DemoCommandError::Reset(e.into()))?;
    Ok(DemoResetOutcome { today, practices })
}
