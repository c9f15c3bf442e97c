//! GP Connect 1.2.7 provider conformance suite.
