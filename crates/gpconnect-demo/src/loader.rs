//! Loading the demo data into a store at start-up, keeping its diary rolling, and resetting it.

use gpconnect_domain::records::AuditEvent;
use gpconnect_domain::OdsCode;
use gpconnect_store::{Store, StoreError};
use jiff::civil::Date;

use crate::dataset::demo_dataset;
use crate::diary::{extend_diary, DemoScale, DiaryExtension};
use crate::fixtures::{PRACTICE_ODS, SECOND_PRACTICE_ODS};

/// Why the demo data could not be loaded or extended.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The practice is not one of the demo practices.
    #[error("there is no demo diary for practice {0}")]
    UnknownPractice(String),
    /// The practice is a demo practice but the store does not hold it.
    #[error("practice {0} is not in the store; load the demo data first")]
    PracticeNotLoaded(String),
}

/// Loads the demo practices into `store` if it holds no practice yet (using
/// [`Store::seed`], so two processes starting together load it once), then adds any diary days
/// missing up to `scale.days_ahead()` days after `today`. Returns whether the dataset was
/// loaded.
pub async fn load_demo_if_empty(
    store: &dyn Store,
    today: Date,
    scale: DemoScale,
) -> Result<bool, DemoError> {
    let loaded = if store.is_empty().await? {
        store.seed(&demo_dataset(today, scale)).await?
    } else {
        false
    };
    if loaded {
        tracing::info!(%today, "loaded the demo practices");
    }
    extend_demo_diaries(store, today, scale).await?;
    Ok(loaded)
}

/// Runs [`extend_diary`] for every demo practice the store holds; meant to run daily so that
/// slots stay published `scale.days_ahead()` days ahead.
pub async fn extend_demo_diaries(
    store: &dyn Store,
    today: Date,
    scale: DemoScale,
) -> Result<DiaryExtension, DemoError> {
    let mut total = DiaryExtension::default();
    for code in [PRACTICE_ODS, SECOND_PRACTICE_ODS] {
        let Ok(practice) = OdsCode::parse(code) else {
            continue;
        };
        if store.get_practice(&practice).await?.is_none() {
            continue;
        }
        let added = extend_diary(store, &practice, today, scale).await?;
        total.schedules_added += added.schedules_added;
        total.horizons_moved += added.horizons_moved;
        total.slots_added += added.slots_added;
    }
    Ok(total)
}

/// Deletes every practice's records from `store` (keeping the audit trail, SPEC 2.13) and loads
/// the demo data afresh as of `today`, so that the assurance suite can run again on clean data
/// (each run books about 150 appointments and registers about 45 patients, ATS 5). The reset
/// itself is recorded in the audit trail. Safe to run while servers are up: their requests
/// wait for the reset, and one that started before it may find its records gone.
pub async fn reset_demo(store: &dyn Store, today: Date, scale: DemoScale) -> Result<(), DemoError> {
    store.reset_practice_data().await?;
    tracing::info!("deleted every practice's records; the audit trail is kept");
    // SPEC 2.13: every change is audited, and this one removed every record.
    store
        .append_audit(&AuditEvent::administration(
            None,
            RESET_PATH,
            format!("deleted every practice's records to load the demo data afresh as of {today}"),
        ))
        .await?;
    // Another instance starting at this moment may load the same data first; either way the
    // store ends up holding a fresh demo.
    load_demo_if_empty(store, today, scale).await?;
    Ok(())
}

/// The `method` of the audit event a [`reset_demo`] appends: an administrative action, not an
/// HTTP request.
pub const RESET_METHOD: &str = AuditEvent::ADMIN_METHOD;
/// The `path` of the audit event a [`reset_demo`] appends.
pub const RESET_PATH: &str = "demo reset";
