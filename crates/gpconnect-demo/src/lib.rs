//! Demo practice data matching the official GP Connect assurance suite's fixtures, and a local
//! Personal Demographics Service for demonstrations and tests.
//!
//! * [`LocalPds`]: an in-memory [`Demographics`](gpconnect_domain::pds::Demographics)
//!   service holding the demo patients, the suite's special cases and a pool of people to
//!   register; [`LocalPds::load_dir`] adds the suite's own `RegisterPatients.csv` and
//!   `PDS.csv` from its `Data` folder.
//! * [`fixtures`]: the identifiers and patient states the suite expects.

pub mod fixtures;
mod local_pds;
mod second_practice;
mod synthetic;

pub use local_pds::{
    LocalPds, PdsLoadError, PDS_FILE, REGISTER_PATIENTS_FILE, REGISTRATION_POOL_BASE,
    REGISTRATION_POOL_SIZE,
};
