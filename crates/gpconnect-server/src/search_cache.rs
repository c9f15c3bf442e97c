//! Free-slot search answers kept encoded, so that a repeated search is answered with the bytes
//! already built instead of building the bundle again (SPEC 2.14: queries within 3 s; the
//! benchmark's aim is the static-file rate for the same bytes).
//!
//! An answer is kept under everything it depends on:
//!
//! - the practice and its **diary version**, which the store moves on in the same transaction
//!   as every change a search could show (a booking, a cancellation, a slot or schedule added
//!   or changed ...). The version is read with the practice at the start of every request, from
//!   the database, so a change made through any server instance on a shared PostgreSQL is seen
//!   by every other one at its next request: an answer is never older than the version the
//!   request saw;
//! - the search itself: the range as instants, the `searchFilter` organisation type and ODS
//!   code, the includes, and the wire format;
//! - time: whether a slot is offered also depends on the clock (it must not have started, and
//!   must be inside its booking window). Each answer records the first instant at which that
//!   could change for any slot in its range ([`slot_offer_stable_until`]) and is not used from
//!   then on.
//!
//! Concurrent searches that miss on the same key are built once: the others wait for that
//! answer. The cache is bounded in bytes (least recently used answers go first); answers for
//! older diary versions are never asked for again and age out.
//!
//! [`slot_offer_stable_until`]: gpconnect_domain::records::slot_offer_stable_until

use std::future::Future;
use std::sync::Arc;

use bytes::Bytes;
use gpconnect_domain::{OdsCode, UkDateTime};
use moka::future::Cache;
use moka::policy::EvictionPolicy;

use crate::error::ApiError;
use crate::Format;

/// The default size of the cache: 64 MiB of encoded answers (about thirty two-week searches of
/// a large practice, or a thousand one-day ones).
pub const DEFAULT_SEARCH_CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// Everything a free-slot search answer depends on, but the time.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SearchKey {
    /// The practice searched.
    pub practice: OdsCode,
    /// Its diary version when the request arrived.
    pub diary_version: i64,
    /// The first instant of the range (Unix seconds).
    pub from: i64,
    /// The last instant of the range (Unix seconds).
    pub to: i64,
    /// The `searchFilter` organisation type.
    pub org_type: Option<String>,
    /// The `searchFilter` ODS code.
    pub ods_code: Option<OdsCode>,
    /// Practitioners included.
    pub include_practitioners: bool,
    /// Locations included.
    pub include_locations: bool,
    /// The wire format of the answer.
    pub format: Format,
}

/// One encoded answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchAnswer {
    /// The searchset Bundle, encoded in the key's format.
    pub body: Bytes,
    /// How many slots it offers (for the audit trail).
    pub slots: usize,
    /// The first instant at which the answer could be different with the same diary; `None`
    /// if it cannot change with time.
    pub stable_until: Option<UkDateTime>,
}

impl SearchAnswer {
    /// Whether the answer is still the one a search at `now` would build.
    pub fn holds_at(&self, now: UkDateTime) -> bool {
        self.stable_until.is_none_or(|until| now < until)
    }
}

/// The cache of search answers (absent when its size is set to 0).
#[derive(Debug, Clone)]
pub struct SearchCache {
    answers: Option<Cache<SearchKey, Arc<SearchAnswer>>>,
}

impl SearchCache {
    /// A cache holding up to `max_bytes` of encoded answers; 0 keeps nothing.
    pub fn new(max_bytes: u64) -> Self {
        let answers = (max_bytes > 0).then(|| {
            Cache::builder()
                .max_capacity(max_bytes)
                .weigher(|key: &SearchKey, answer: &Arc<SearchAnswer>| {
                    let size = answer.body.len()
                        + key.org_type.as_ref().map_or(0, String::len)
                        + std::mem::size_of::<SearchKey>();
                    u32::try_from(size).unwrap_or(u32::MAX)
                })
                // Plain LRU: a new diary version's answers must be admitted even though the
                // previous version's were asked for often (a frequency-based policy would keep
                // those dead answers instead).
                .eviction_policy(EvictionPolicy::lru())
                .build()
        });
        Self { answers }
    }

    /// The answer for `key` at `now`: the one kept if it still holds, or the one `build`
    /// makes (built once for all requests missing on `key` at the same time, and kept).
    pub async fn answer<F, Fut>(
        &self,
        key: SearchKey,
        now: UkDateTime,
        build: F,
    ) -> Result<Arc<SearchAnswer>, ApiError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<SearchAnswer, ApiError>>,
    {
        let Some(answers) = &self.answers else {
            return build().await.map(Arc::new);
        };
        if let Some(kept) = answers.get(&key).await {
            if kept.holds_at(now) {
                return Ok(kept);
            }
            answers.invalidate(&key).await;
        }
        let shared = answers
            .try_get_with(key, async { build().await.map(Arc::new) })
            .await
            .map_err(|e| (*e).clone())?;
        if shared.holds_at(now) {
            return Ok(shared);
        }
        // Another request's answer, built for an earlier moment that has since passed its
        // limit: this request gets one of its own, not kept (the next miss keeps one).
        build().await.map(Arc::new)
    }

    /// How many answers are kept (after pending maintenance), for tests.
    pub async fn len(&self) -> u64 {
        match &self.answers {
            Some(answers) => {
                answers.run_pending_tasks().await;
                answers.entry_count()
            }
            None => 0,
        }
    }

    /// Whether nothing is kept.
    pub async fn is_empty(&self) -> bool {
        self.len().await == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn key(version: i64) -> SearchKey {
        SearchKey {
            practice: OdsCode::parse("A20047").unwrap(),
            diary_version: version,
            from: 0,
            to: 86_400,
            org_type: None,
            ods_code: None,
            include_practitioners: true,
            include_locations: true,
            format: Format::Json,
        }
    }

    fn at(s: &str) -> UkDateTime {
        UkDateTime::parse(s).unwrap()
    }

    fn answer(body: &'static str, until: Option<&str>) -> SearchAnswer {
        SearchAnswer {
            body: Bytes::from_static(body.as_bytes()),
            slots: 1,
            stable_until: until.map(at),
        }
    }

    #[tokio::test]
    async fn an_answer_is_reused_until_the_diary_or_the_time_moves_on() {
        let cache = SearchCache::new(1024 * 1024);
        let builds = AtomicUsize::new(0);
        let now = at("2026-03-01T12:00:00+00:00");
        // Each answer holds until the instant given.
        let build = |body: &'static str, until: &'static str| {
            builds.fetch_add(1, Ordering::SeqCst);
            let a = answer(body, Some(until));
            async move { Ok(a) }
        };
        let hour = "2026-03-01T13:00:00+00:00";
        let first = cache
            .answer(key(1), now, || build("one", hour))
            .await
            .unwrap();
        let again = cache
            .answer(key(1), now, || build("two", hour))
            .await
            .unwrap();
        assert_eq!(
            (first.body.clone(), again.body.clone()),
            ("one".into(), "one".into())
        );
        assert_eq!(builds.load(Ordering::SeqCst), 1);

        // Another diary version is another answer.
        let next = cache
            .answer(key(2), now, || build("three", hour))
            .await
            .unwrap();
        assert_eq!(next.body, "three");
        // At its limit the kept answer is built again.
        let later = at("2026-03-01T13:00:00+00:00");
        let next_hour = "2026-03-01T14:00:00+00:00";
        let rebuilt = cache
            .answer(key(1), later, || build("four", next_hour))
            .await
            .unwrap();
        assert_eq!(rebuilt.body, "four");
        let kept = cache
            .answer(key(1), later, || build("five", next_hour))
            .await
            .unwrap();
        assert_eq!(kept.body, "four");
        assert_eq!(builds.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn errors_are_not_kept_and_a_zero_sized_cache_keeps_nothing() {
        let cache = SearchCache::new(1024);
        let now = at("2026-03-01T12:00:00+00:00");
        let failed = cache
            .answer(key(1), now, || async { Err(ApiError::bad_request("no")) })
            .await;
        assert!(failed.is_err());
        let ok = cache
            .answer(key(1), now, || async { Ok(answer("yes", None)) })
            .await
            .unwrap();
        assert_eq!(ok.body, "yes");
        assert_eq!(cache.len().await, 1);

        let none = SearchCache::new(0);
        for body in ["a", "b"] {
            let got = none
                .answer(key(1), now, || async move { Ok(answer(body, None)) })
                .await
                .unwrap();
            assert_eq!(got.body, body);
        }
        assert!(none.is_empty().await);
    }

    #[tokio::test]
    async fn concurrent_misses_on_one_key_build_once() {
        let cache = SearchCache::new(1024 * 1024);
        let builds = Arc::new(AtomicUsize::new(0));
        let now = at("2026-03-01T12:00:00+00:00");
        let mut tasks = Vec::new();
        for _ in 0..16 {
            let (cache, builds) = (cache.clone(), builds.clone());
            tasks.push(tokio::spawn(async move {
                cache
                    .answer(key(7), now, || {
                        let builds = builds.clone();
                        async move {
                            builds.fetch_add(1, Ordering::SeqCst);
                            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                            Ok(answer("built", None))
                        }
                    })
                    .await
                    .unwrap()
                    .body
                    .clone()
            }));
        }
        for task in tasks {
            assert_eq!(task.await.unwrap(), "built");
        }
        assert_eq!(builds.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn the_cache_stays_within_its_size() {
        let cache = SearchCache::new(64 * 1024);
        let now = at("2026-03-01T12:00:00+00:00");
        let big: &'static str = Box::leak("x".repeat(16 * 1024).into_boxed_str());
        for version in 0..32 {
            cache
                .answer(key(version), now, || async move { Ok(answer(big, None)) })
                .await
                .unwrap();
        }
        let kept = cache.len().await;
        assert!(kept > 0 && kept <= 4, "{kept} answers of 16 KiB in 64 KiB");
    }
}
