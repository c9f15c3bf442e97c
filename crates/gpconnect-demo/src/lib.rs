//! Demo practice data (assurance fixtures) and the local demographics service.
