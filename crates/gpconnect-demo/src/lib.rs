//! Demo practice data matching the official GP Connect assurance suite's fixtures, and a local
//! Personal Demographics Service for demonstrations and tests.
//!
//! * [`demo_dataset`]: the suite's practice `A20047` (ASID `918999198993`) with its
//!   organisations, locations, practitioners and patients (ATS 1.7–1.8), plus a second,
//!   smaller practice `Y90001` served by the same process. Names and addresses are invented;
//!   identifiers are the suite's.
//! * [`extend_diary`]: the rolling diary: slots every day from today to
//!   [`DemoScale::weeks`] weeks ahead, with ids derived from schedule and start time so that
//!   re-running it only adds missing days; each schedule's planning horizon moves with it.
//! * [`load_demo_if_empty`]: loads the dataset into an empty store and extends the diaries;
//!   run it at start-up, and [`extend_demo_diaries`] daily.
//! * [`LocalPds`]: an in-memory
//!   [`Demographics`](gpconnect_domain::pds::Demographics) service holding the demo patients,
//!   the suite's special cases and a pool of people to register; [`LocalPds::load_dir`] adds
//!   the suite's own `RegisterPatients.csv` and `PDS.csv` from its `Data` folder, so an
//!   assurance test pack runs unchanged.
//! * [`fixtures`]: the identifiers and patient states the suite expects.
//!
//! # Resetting the demo data
//!
//! The suite books about 150 appointments and registers about 45 patients per run (ATS 5,
//! item 16), so repeated runs need a fresh start now and then. [`reset_demo`] (the command
//! `gpconnect demo reset`) deletes every practice's records in one transaction, keeping the
//! audit trail (SPEC 2.13), and loads the demo data afresh; servers may stay up meanwhile.
//!
//! The registration pool holds over 300 people, enough for several runs between resets.

mod dataset;
mod diary;
pub mod fixtures;
mod loader;
mod local_pds;
mod second_practice;
mod synthetic;

pub use dataset::{demo_dataset, NEIGHBOUR_SLOTS_PER_DAY};
pub use diary::{extend_diary, slot_id, DemoScale, DiaryExtension, SDS_JOB_ROLE_SYSTEM};
pub use loader::{
    extend_demo_diaries, load_demo_if_empty, reset_demo, DemoError, RESET_METHOD, RESET_PATH,
};
pub use local_pds::{
    LocalPds, PdsLoadError, PDS_FILE, REGISTER_PATIENTS_FILE, REGISTRATION_POOL_BASE,
    REGISTRATION_POOL_SIZE,
};
