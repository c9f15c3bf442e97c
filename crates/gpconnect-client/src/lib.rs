//! GP Connect 1.2.7 consumer client.
