//! Free-slot search answers kept encoded, so that a repeated search is answered with the bytes
//! already built instead of building the bundle again (SPEC 2.14: queries within 3 s; the
//! benchmark's aim is the static-file rate for the same bytes).
//!
//! One answer is kept per search (the practice, the range as instants, the `searchFilter`
//! organisation type and ODS code, the includes and the wire format), and a request may use it
//! when the answer shows the diary as it was when the request arrived, or later:
//!
//! - the answer was built from the practice's **diary version** the request saw. The store
//!   moves that version on in the same transaction as every change a search could show (a
//!   booking, a cancellation, a slot or schedule added or changed ...), and every request
//!   reads it with its practice, from the database, so a change made through any server
//!   instance on a shared PostgreSQL is seen by every other one at its next request; or
//! - the answer's data was read after the request arrived (this process's monotonic clock):
//!   it shows a state of the diary between the request's arrival and its answer, which is what
//!   the request would have read itself. So requests that wait while the diary keeps changing
//!   (bookings arriving all the time) share the next answer built instead of each building
//!   one;
//!
//! and the answer still holds at the request's time: whether a slot is offered also depends on
//! the clock (it must not have started, and must be inside its booking window), so each answer
//! records the first instant at which that could change for any slot in its range
//! ([`slot_offer_stable_until`]) and is not used from then on.
//!
//! A request that finds no usable answer waits for its turn to build (the search limit), looks
//! again (another request may have built one meanwhile), and only then builds. The cache is
//! bounded in bytes (least recently used answers go first).
//!
//! [`slot_offer_stable_until`]: gpconnect_domain::records::slot_offer_stable_until

use std::future::Future;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use gpconnect_domain::{OdsCode, UkDateTime};
use moka::future::Cache;
use moka::policy::EvictionPolicy;

use crate::error::ApiError;
use crate::Format;

/// The default size of the cache: 64 MiB of encoded answers (about thirty two-week searches of
/// a large practice, or a thousand one-day ones).
pub const DEFAULT_SEARCH_CACHE_BYTES: u64 = 64 * 1024 * 1024;

/// Everything a free-slot search answer depends on, but the diary and the time.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SearchKey {
    /// The practice searched.
    pub practice: OdsCode,
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
    /// The practice's diary version read before the data: the data is that version or later.
    pub diary_version: i64,
    /// When the data began to be read (after `diary_version`).
    pub read_at: Instant,
}

/// What a request brings to the cache: what it saw of the practice, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    /// The practice's diary version the request read on arrival.
    pub diary_version: i64,
    /// When it arrived (this process's monotonic clock).
    pub arrived: Instant,
    /// Its time, for the time-dependent rules.
    pub now: UkDateTime,
}

impl SearchAnswer {
    /// Whether the answer is still the one a search at `now` would build.
    pub fn holds_at(&self, now: UkDateTime) -> bool {
        self.stable_until.is_none_or(|until| now < until)
    }

    /// Whether the request that `seen` describes may be answered with this answer (see the
    /// module documentation).
    pub fn answers(&self, seen: &Seen) -> bool {
        (self.diary_version == seen.diary_version || self.read_at >= seen.arrived)
            && self.holds_at(seen.now)
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

    /// The answer for `key` to the request `seen` describes: a kept one if one answers it;
    /// otherwise, once `turn` is granted, one built meanwhile by another request or else the
    /// one `build` makes (which is kept unless a newer one was kept meanwhile).
    pub async fn answer<T, Turn, F, Fut>(
        &self,
        key: SearchKey,
        seen: Seen,
        turn: Turn,
        build: F,
    ) -> Result<Arc<SearchAnswer>, ApiError>
    where
        Turn: Future<Output = Result<T, ApiError>>,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<SearchAnswer, ApiError>>,
    {
        let Some(answers) = &self.answers else {
            let _turn = turn.await?;
            return build().await.map(Arc::new);
        };
        let usable = || async { answers.get(&key).await.filter(|kept| kept.answers(&seen)) };
        if let Some(kept) = usable().await {
            return Ok(kept);
        }
        let _turn = turn.await?;
        if let Some(kept) = usable().await {
            return Ok(kept);
        }
        let built = Arc::new(build().await?);
        let newer = answers
            .get(&key)
            .await
            .is_none_or(|kept| kept.read_at <= built.read_at);
        if newer {
            answers.insert(key, built.clone()).await;
        }
        Ok(built)
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
    use std::time::Duration;

    fn key() -> SearchKey {
        SearchKey {
            practice: OdsCode::parse("A20047").unwrap(),
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

    const NOON: &str = "2026-03-01T12:00:00+00:00";
    const ONE: &str = "2026-03-01T13:00:00+00:00";
    const TWO: &str = "2026-03-01T14:00:00+00:00";

    fn seen(version: i64, now: &str) -> Seen {
        Seen {
            diary_version: version,
            arrived: Instant::now(),
            now: at(now),
        }
    }

    fn answer(body: &'static str, version: i64, until: Option<&str>) -> SearchAnswer {
        SearchAnswer {
            body: Bytes::from_static(body.as_bytes()),
            slots: 1,
            stable_until: until.map(at),
            diary_version: version,
            read_at: Instant::now(),
        }
    }

    async fn free_turn() -> Result<(), ApiError> {
        Ok(())
    }

    /// Answers through `cache`, counting builds.
    async fn ask(
        cache: &SearchCache,
        builds: &AtomicUsize,
        seen: Seen,
        built: SearchAnswer,
    ) -> Arc<SearchAnswer> {
        cache
            .answer(key(), seen, free_turn(), || async {
                builds.fetch_add(1, Ordering::SeqCst);
                Ok(built)
            })
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn an_answer_is_reused_for_its_diary_version_until_its_limit() {
        let cache = SearchCache::new(1024 * 1024);
        let builds = AtomicUsize::new(0);
        let first = ask(&cache, &builds, seen(1, NOON), answer("one", 1, Some(ONE))).await;
        assert_eq!(first.body, "one");
        // A request that arrived after the answer was read, with the same diary version.
        let after = Seen {
            arrived: first.read_at + Duration::from_secs(1),
            ..seen(1, NOON)
        };
        let again = ask(&cache, &builds, after, answer("two", 1, Some(ONE))).await;
        assert_eq!(again.body, "one");
        assert_eq!(builds.load(Ordering::SeqCst), 1);

        // Another diary version, seen by a request that arrived after the answer was read:
        // built again.
        let moved = Seen {
            arrived: first.read_at + Duration::from_secs(1),
            ..seen(2, NOON)
        };
        let next = ask(&cache, &builds, moved, answer("three", 2, Some(ONE))).await;
        assert_eq!(next.body, "three");
        // At its limit the kept answer is built again.
        let late = Seen {
            arrived: next.read_at + Duration::from_secs(1),
            ..seen(2, ONE)
        };
        let later = ask(&cache, &builds, late, answer("four", 2, Some(TWO))).await;
        assert_eq!(later.body, "four");
        assert_eq!(builds.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn an_answer_read_after_a_request_arrived_answers_it_whatever_the_version() {
        let cache = SearchCache::new(1024 * 1024);
        let builds = AtomicUsize::new(0);
        let waiting = seen(5, NOON);
        // Built from version 9 by another request, read after `waiting` arrived.
        tokio::time::sleep(Duration::from_millis(2)).await;
        ask(&cache, &builds, seen(9, NOON), answer("nine", 9, None)).await;
        let got = ask(&cache, &builds, waiting, answer("five", 5, None)).await;
        assert_eq!(got.body, "nine");
        // A request that arrived after that read, with another version, gets a new answer.
        tokio::time::sleep(Duration::from_millis(2)).await;
        let after = ask(&cache, &builds, seen(10, NOON), answer("ten", 10, None)).await;
        assert_eq!(after.body, "ten");
        assert_eq!(builds.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn requests_waiting_for_their_turn_take_the_answer_built_meanwhile() {
        let cache = SearchCache::new(1024 * 1024);
        let builds = Arc::new(AtomicUsize::new(0));
        let turns = Arc::new(tokio::sync::Semaphore::new(1));
        let mut tasks = Vec::new();
        for version in 0..16 {
            let (cache, builds, turns) = (cache.clone(), builds.clone(), turns.clone());
            let seen = seen(version, NOON);
            tasks.push(tokio::spawn(async move {
                let turn = async { turns.acquire_owned().await.map_err(ApiError::internal) };
                cache
                    .answer(key(), seen, turn, || async {
                        builds.fetch_add(1, Ordering::SeqCst);
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Ok(answer("built", 100, None))
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
        // Every request saw another version, but those that waited took the first answer.
        assert_eq!(builds.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn errors_are_not_kept_and_a_zero_sized_cache_keeps_nothing() {
        let cache = SearchCache::new(1024);
        let failed = cache
            .answer(key(), seen(1, NOON), free_turn(), || async {
                Err(ApiError::bad_request("no"))
            })
            .await;
        assert!(failed.is_err());
        let builds = AtomicUsize::new(0);
        let ok = ask(&cache, &builds, seen(1, NOON), answer("yes", 1, None)).await;
        assert_eq!(ok.body, "yes");
        assert_eq!(cache.len().await, 1);

        let none = SearchCache::new(0);
        for body in ["a", "b"] {
            let got = ask(&none, &builds, seen(1, NOON), answer(body, 1, None)).await;
            assert_eq!(got.body, body);
        }
        assert!(none.is_empty().await);
    }

    #[tokio::test]
    async fn the_cache_stays_within_its_size() {
        let cache = SearchCache::new(64 * 1024);
        let big: &'static str = Box::leak("x".repeat(16 * 1024).into_boxed_str());
        let builds = AtomicUsize::new(0);
        for version in 0..32 {
            let searched = SearchKey {
                from: version,
                ..key()
            };
            cache
                .answer(searched, seen(version, NOON), free_turn(), || async {
                    builds.fetch_add(1, Ordering::SeqCst);
                    Ok(answer(big, version, None))
                })
                .await
                .unwrap();
        }
        let kept = cache.len().await;
        assert!(kept > 0 && kept <= 4, "{kept} answers of 16 KiB in 64 KiB");
    }
}
