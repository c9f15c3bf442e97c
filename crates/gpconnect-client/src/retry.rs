//! When and how often a request is sent again.
//!
//! Only reads and searches are retried automatically ([`crate::ClientError::is_retryable_read`]):
//! they change nothing at the provider. Book (POST) and amend/cancel/register are sent exactly
//! once by the interaction methods; after an ambiguous failure the booking workflow looks at the
//! provider's state before deciding anything (see [`crate::workflow`]).

use std::time::Duration;

/// Bounded exponential backoff for reads and searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// How many times a read is sent at most (1 = never retried).
    pub max_attempts: u32,
    /// The wait before the first retry; it doubles for each further retry.
    pub initial_backoff: Duration,
    /// The longest wait between two attempts.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(2),
        }
    }
}

impl RetryPolicy {
    /// Never retry.
    pub const NEVER: RetryPolicy = RetryPolicy {
        max_attempts: 1,
        initial_backoff: Duration::ZERO,
        max_backoff: Duration::ZERO,
    };

    /// The wait before retry number `retry` (1 for the first retry): half of the exponential
    /// step is fixed and half random, so that many consumers retrying after one outage do not
    /// hit the provider in step. Never more than [`RetryPolicy::max_backoff`].
    pub fn backoff(&self, retry: u32) -> Duration {
        let exponent = retry.saturating_sub(1).min(16);
        let step = self
            .initial_backoff
            .saturating_mul(1u32 << exponent)
            .min(self.max_backoff);
        let half = step / 2;
        let random = uuid::Uuid::new_v4().as_u128() as u64;
        let jitter_nanos = match u64::try_from(half.as_nanos()) {
            Ok(0) | Err(_) => 0,
            Ok(n) => random % (n + 1),
        };
        half + Duration::from_nanos(jitter_nanos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stays_within_the_bound() {
        let policy = RetryPolicy {
            max_attempts: 10,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_millis(500),
        };
        for _ in 0..50 {
            let first = policy.backoff(1);
            assert!(first >= Duration::from_millis(50) && first <= Duration::from_millis(100));
            let second = policy.backoff(2);
            assert!(second >= Duration::from_millis(100) && second <= Duration::from_millis(200));
            for retry in 4..40 {
                let later = policy.backoff(retry);
                assert!(later >= Duration::from_millis(250), "{later:?}");
                assert!(later <= Duration::from_millis(500), "{later:?}");
            }
        }
    }

    #[test]
    fn never_waits_for_nothing() {
        assert_eq!(RetryPolicy::NEVER.backoff(1), Duration::ZERO);
    }
}
