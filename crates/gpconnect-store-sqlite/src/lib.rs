//! SQLite storage back end (the embedded default).
