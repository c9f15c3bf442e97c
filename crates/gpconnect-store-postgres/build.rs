//! `sqlx::migrate!` embeds the files under `migrations/` when the crate is compiled; Cargo does
//! not know that, so without this a new or changed migration would not be picked up by an
//! incremental build.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
