//! PostgreSQL storage back end (several server instances on one database).
