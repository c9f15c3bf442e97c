//! `gpconnect limits`: a practice's organisation access limits (SPEC 5: practice users limit
//! the number of slots an organisation type, or named organisations, may book).
//!
//! A limit lets the organisations of the listed types and those with the listed ODS codes hold
//! together at most a number of slots starting on any one UK day, in appointments booked
//! through GP Connect and not cancelled. Bookings beyond it are refused (422
//! `INVALID_RESOURCE`, naming the limit) and searches made for those organisations offer
//! nothing more that day. Changes apply at once to every server on the database (each moves
//! the practice's diary version on) and are audited (SPEC 2.13).

use gpconnect_domain::records::{AuditEvent, BookingLimit, OrgType};
use gpconnect_domain::{FhirId, OdsCode};
use gpconnect_store::{Store, StoreError};

use crate::serve::{open_store, ServeError};

/// The `gpconnect limits` subcommands.
#[derive(Debug, Clone, clap::Subcommand)]
pub enum LimitsCommand {
    /// List a practice's organisation access limits.
    List(LimitsTarget),
    /// Add an organisation access limit: the organisations of the given types and with the
    /// given ODS codes may together book at most SLOTS_PER_DAY slots a day.
    Add(LimitsAddArgs),
    /// Remove an organisation access limit.
    Remove(LimitsRemoveArgs),
}

/// Which database and practice a `gpconnect limits` command works on.
#[derive(Debug, Clone, clap::Args)]
pub struct LimitsTarget {
    /// The database: `sqlite://PATH` or `postgres://USER@HOST:PORT/DB`.
    #[arg(
        long,
        env = "GPCONNECT_DATABASE",
        default_value = "sqlite://data/gpconnect.db"
    )]
    pub database: String,

    /// The practice's ODS code.
    #[arg(long, value_parser = parse_ods)]
    pub practice: OdsCode,
}

/// The settings of `gpconnect limits add`.
#[derive(Debug, Clone, clap::Args)]
pub struct LimitsAddArgs {
    #[command(flatten)]
    pub target: LimitsTarget,

    /// The limit's id within the practice (letters, digits, `-` and `.`).
    #[arg(long, value_parser = parse_id)]
    pub id: FhirId,

    /// What the practice calls it; booking refusals name it.
    #[arg(long)]
    pub name: String,

    /// An organisation type it covers (`GPConnect-OrganisationType-1`: gp-practice,
    /// urgent-care); repeat for several.
    #[arg(long = "org-type", value_parser = parse_org_type)]
    pub org_types: Vec<OrgType>,

    /// An organisation it covers, by ODS code; repeat for several.
    #[arg(long = "ods-code", value_parser = parse_ods)]
    pub ods_codes: Vec<OdsCode>,

    /// How many slots starting on one day the organisations it covers may hold together.
    #[arg(long)]
    pub slots_per_day: u32,
}

/// The settings of `gpconnect limits remove`.
#[derive(Debug, Clone, clap::Args)]
pub struct LimitsRemoveArgs {
    #[command(flatten)]
    pub target: LimitsTarget,

    /// The id of the limit to remove.
    #[arg(long, value_parser = parse_id)]
    pub id: FhirId,
}

fn parse_ods(s: &str) -> Result<OdsCode, String> {
    OdsCode::parse(s).map_err(|e| e.to_string())
}

fn parse_id(s: &str) -> Result<FhirId, String> {
    FhirId::parse(s).map_err(|e| e.to_string())
}

fn parse_org_type(s: &str) -> Result<OrgType, String> {
    OrgType::from_code(s).ok_or_else(|| {
        format!("'{s}' is not a GPConnect-OrganisationType-1 code (gp-practice, urgent-care)")
    })
}

/// Why a `gpconnect limits` command failed.
#[derive(Debug, thiserror::Error)]
pub enum LimitsCommandError {
    /// The database could not be opened.
    #[error(transparent)]
    Open(#[from] ServeError),
    /// The command asks for something that cannot be done.
    #[error("{0}")]
    Refused(String),
    /// The database failed.
    #[error("the database failed: {0}")]
    Store(StoreError),
}

/// Runs a `gpconnect limits` subcommand and returns the lines to print.
pub async fn run(command: LimitsCommand) -> Result<Vec<String>, LimitsCommandError> {
    match command {
        LimitsCommand::List(target) => {
            let store = open_store(&target.database).await?;
            let limits = limits_of(store.as_ref(), &target.practice).await?;
            if limits.is_empty() {
                return Ok(vec![format!(
                    "practice {} has no organisation access limit",
                    target.practice
                )]);
            }
            Ok(limits.iter().map(describe).collect())
        }
        LimitsCommand::Add(args) => {
            if args.org_types.is_empty() && args.ods_codes.is_empty() {
                return Err(LimitsCommandError::Refused(
                    "a limit must cover at least one organisation type (--org-type) or ODS \
                     code (--ods-code)"
                        .into(),
                ));
            }
            let practice = args.target.practice.clone();
            let limit = BookingLimit {
                practice: practice.clone(),
                id: args.id,
                name: args.name,
                org_types: args.org_types,
                ods_codes: args.ods_codes,
                slots_per_day: args.slots_per_day,
            };
            let store = open_store(&args.target.database).await?;
            store
                .insert_booking_limit(&limit)
                .await
                .map_err(|e| match e {
                    StoreError::Duplicate => LimitsCommandError::Refused(format!(
                        "practice {practice} already has a limit '{}'",
                        limit.id
                    )),
                    StoreError::NotFound => LimitsCommandError::Refused(format!(
                        "no practice {practice} in this database"
                    )),
                    other => LimitsCommandError::Store(other),
                })?;
            let line = format!("added {}", describe(&limit));
            audit(store.as_ref(), &practice, "add", &line).await?;
            Ok(vec![line])
        }
        LimitsCommand::Remove(args) => {
            let practice = args.target.practice.clone();
            let store = open_store(&args.target.database).await?;
            store
                .delete_booking_limit(&practice, &args.id)
                .await
                .map_err(|e| match e {
                    StoreError::NotFound => LimitsCommandError::Refused(format!(
                        "practice {practice} has no limit '{}'",
                        args.id
                    )),
                    other => LimitsCommandError::Store(other),
                })?;
            let line = format!("removed limit {} of practice {practice}", args.id);
            audit(store.as_ref(), &practice, "remove", &line).await?;
            Ok(vec![line])
        }
    }
}

/// The practice's limits; an unknown practice is refused rather than shown as having none.
async fn limits_of(
    store: &dyn Store,
    practice: &OdsCode,
) -> Result<Vec<BookingLimit>, LimitsCommandError> {
    if store
        .get_practice(practice)
        .await
        .map_err(LimitsCommandError::Store)?
        .is_none()
    {
        return Err(LimitsCommandError::Refused(format!(
            "no practice {practice} in this database"
        )));
    }
    store
        .booking_limits(practice)
        .await
        .map_err(LimitsCommandError::Store)
}

/// One line about a limit: `id 'name': N slot(s) a day for types and codes`.
pub fn describe(limit: &BookingLimit) -> String {
    let covered: Vec<&str> = limit
        .org_types
        .iter()
        .map(|t| t.code())
        .chain(limit.ods_codes.iter().map(OdsCode::as_str))
        .collect();
    format!(
        "limit {} '{}': {} slot(s) a day for {}",
        limit.id,
        limit.name,
        limit.slots_per_day,
        covered.join(", ")
    )
}

/// SPEC 2.13: the change is audited, as every change is.
async fn audit(
    store: &dyn Store,
    practice: &OdsCode,
    action: &str,
    detail: &str,
) -> Result<(), LimitsCommandError> {
    store
        .append_audit(&AuditEvent::administration(
            Some(practice.clone()),
            &format!("gpconnect limits {action}"),
            detail.to_owned(),
        ))
        .await
        .map(|_| ())
        .map_err(LimitsCommandError::Store)
}
