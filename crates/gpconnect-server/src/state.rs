//! What every handler can reach: the store, the demographics service, the audit log and the
//! server settings.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{AcquireError, Semaphore, SemaphorePermit};

use gpconnect_domain::pds::Demographics;
use gpconnect_store::Store;

use crate::audit::{AuditLog, DEFAULT_CAPACITY};
use crate::jwt::VerifiedTokens;
use crate::search_cache::{SearchCache, DEFAULT_SEARCH_CACHE_BYTES};

/// Limits and identity of the running server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// The largest request body accepted (413 above it).
    pub body_limit: usize,
    /// How long a request may take before it is answered with an error instead of hanging.
    pub request_timeout: Duration,
    /// How many audit events may wait for the writer.
    pub audit_capacity: usize,
    /// How many free-slot searches are built at once; further searches wait their turn (at
    /// least 1). Keeping this below the number of cores leaves a worker free for bookings.
    pub max_concurrent_searches: usize,
    /// How many bytes of encoded free-slot search answers are kept for reuse (0: none).
    pub search_cache_bytes: u64,
}

/// The default [`ServerConfig::max_concurrent_searches`]: one core fewer than the machine has,
/// and at least one.
pub fn default_max_concurrent_searches() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get().saturating_sub(1))
        .unwrap_or(1)
        .max(1)
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            body_limit: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            audit_capacity: DEFAULT_CAPACITY,
            max_concurrent_searches: default_max_concurrent_searches(),
            search_cache_bytes: DEFAULT_SEARCH_CACHE_BYTES,
        }
    }
}

/// Shared server state, cloned into every request (one reference count: everything it holds
/// sits behind a single `Arc`).
#[derive(Debug, Clone)]
pub struct AppState {
    shared: Arc<Shared>,
}

#[derive(Debug)]
struct Shared {
    store: Arc<dyn Store>,
    demographics: Arc<dyn Demographics>,
    audit: AuditLog,
    config: Arc<ServerConfig>,
    searches: Arc<Semaphore>,
    search_cache: SearchCache,
    verified_tokens: VerifiedTokens,
}

impl AppState {
    /// Builds the state and starts the audit writer (needs a Tokio runtime).
    pub fn new(
        store: Arc<dyn Store>,
        demographics: Arc<dyn Demographics>,
        config: ServerConfig,
    ) -> Self {
        let audit = AuditLog::start(store.clone(), config.audit_capacity);
        let searches = Arc::new(Semaphore::new(config.max_concurrent_searches.max(1)));
        let search_cache = SearchCache::new(config.search_cache_bytes);
        Self {
            shared: Arc::new(Shared {
                store,
                demographics,
                audit,
                config: Arc::new(config),
                searches,
                search_cache,
                verified_tokens: VerifiedTokens::default(),
            }),
        }
    }

    /// The practice data.
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.shared.store
    }

    /// The Personal Demographics Service (SPEC 3.2, 3.4).
    pub fn demographics(&self) -> &Arc<dyn Demographics> {
        &self.shared.demographics
    }

    /// The audit log (flush it in tests; shut it down when the server stops).
    pub fn audit(&self) -> &AuditLog {
        &self.shared.audit
    }

    /// The server settings.
    pub fn config(&self) -> &ServerConfig {
        &self.shared.config
    }

    /// The JWTs that passed every check recently (SPEC 2.5).
    pub fn verified_tokens(&self) -> &VerifiedTokens {
        &self.shared.verified_tokens
    }

    /// The encoded free-slot search answers kept for reuse.
    pub fn search_cache(&self) -> &SearchCache {
        &self.shared.search_cache
    }

    /// Waits (without holding a worker thread) for a turn to run a free-slot search; the turn
    /// ends when the permit is dropped. Only searches take it, so bookings and reads never
    /// queue behind them (SPEC 2.14: commands within 250 ms).
    pub async fn search_permit(&self) -> Result<SemaphorePermit<'_>, AcquireError> {
        self.shared.searches.acquire().await
    }
}
