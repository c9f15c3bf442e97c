//! What a test case concludes: passed, or failed with a short reason.

use std::fmt;

/// Why a test case failed: one short line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure(String);

impl Failure {
    /// A failure with `reason`.
    pub(crate) fn new(reason: impl Into<String>) -> Self {
        Self(reason.into())
    }

    /// The same failure, prefixed with what was being done (e.g. `setup: `).
    pub(crate) fn context(self, what: &str) -> Self {
        Self(format!("{what}: {}", self.0))
    }

    /// The reason.
    pub fn reason(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The result of a check: `Ok` or the first failure.
pub(crate) type Check<T = ()> = Result<T, Failure>;

/// Fails the check with a formatted reason unless `cond` holds.
macro_rules! ensure {
    ($cond:expr, $($reason:tt)+) => {
        if !$cond {
            return Err($crate::verdict::Failure::new(format!($($reason)+)));
        }
    };
}

/// Fails the check with a formatted reason.
macro_rules! fail {
    ($($reason:tt)+) => {
        return Err($crate::verdict::Failure::new(format!($($reason)+)))
    };
}

pub(crate) use {ensure, fail};
