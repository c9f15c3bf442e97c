//! The storage interface of the GP Connect provider and its contract test suite.
