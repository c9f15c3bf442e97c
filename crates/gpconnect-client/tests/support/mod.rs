//! The real provider, started in-process on a 127.0.0.1 port over a fresh SQLite database with
//! the demo practices, and client configurations that call it.
#![allow(dead_code)]

pub mod ssp;

use std::net::SocketAddr;
use std::sync::Arc;

use gpconnect_client::{ClientConfig, ConfigSource, GpConnectClient, ProviderEndpoint};
use gpconnect_demo::fixtures::{
    PRACTICE_ASID, PRACTICE_ODS, SECOND_PRACTICE_ASID, SECOND_PRACTICE_ODS,
};
use gpconnect_demo::{load_demo_if_empty, DemoScale, LocalPds};
use gpconnect_domain::{Asid, UkDateTime};
use gpconnect_server::{AppState, ServerConfig};
use gpconnect_store::Store;
use gpconnect_store_sqlite::SqliteStore;
use tempfile::TempDir;
use tokio::task::JoinHandle;

/// The consumer organisation the tests book as (not a demo practice).
pub const CONSUMER_ODS: &str = "GPCA0001";

/// Logs go to the test output only when `TEST_LOG` is set.
pub fn init_logs() {
    if let Some(filter) = std::env::var_os("TEST_LOG") {
        let filter = filter
            .into_string()
            .ok()
            .filter(|v| !v.is_empty() && v != "1")
            .unwrap_or_else(|| "debug".into());
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_test_writer()
            .try_init();
    }
}

/// A running provider hosting the demo practices.
pub struct Provider {
    pub addr: SocketAddr,
    pub store: Arc<dyn Store>,
    server: JoinHandle<()>,
    _dir: TempDir,
}

impl Provider {
    /// Loads the demo data for today into a new database and serves the whole provider.
    pub async fn start() -> Self {
        init_logs();
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("provider.db").display());
        let store: Arc<dyn Store> = Arc::new(SqliteStore::open(&url).await.unwrap());
        load_demo_if_empty(
            store.as_ref(),
            UkDateTime::now().uk_date(),
            DemoScale::DEFAULT,
        )
        .await
        .unwrap();
        let state = AppState::new(
            store.clone(),
            Arc::new(LocalPds::new()),
            ServerConfig::default(),
        );
        let app = gpconnect_server::app(state);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Self {
            addr,
            store,
            server,
            _dir: dir,
        }
    }

    /// The service root of practice `ods` (SPEC 2.2).
    pub fn base_url(&self, ods: &str) -> String {
        format!("http://{}/{ods}/STU3/1/gpconnect", self.addr)
    }

    /// The demo practice the assurance suite calls ORG1.
    pub fn main_practice(&self) -> ProviderEndpoint {
        ProviderEndpoint {
            base_url: self.base_url(PRACTICE_ODS),
            provider_asid: Asid::parse(PRACTICE_ASID).unwrap(),
        }
    }

    /// The second, smaller demo practice on the same server.
    pub fn second_practice(&self) -> ProviderEndpoint {
        ProviderEndpoint {
            base_url: self.base_url(SECOND_PRACTICE_ODS),
            provider_asid: Asid::parse(SECOND_PRACTICE_ASID).unwrap(),
        }
    }

    /// A client calling the main practice.
    pub fn client(&self) -> GpConnectClient {
        GpConnectClient::new(config(&self.main_practice())).unwrap()
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// A consumer configuration for `endpoint`, built the way a deployment would: through
/// `GPCONNECT_*` variables (given here, not read from the process).
pub fn config(endpoint: &ProviderEndpoint) -> ClientConfig {
    let vars = [
        ("GPCONNECT_BASE_URL", endpoint.base_url.clone()),
        ("GPCONNECT_CONSUMER_ASID", "200000000359".to_owned()),
        (
            "GPCONNECT_PROVIDER_ASID",
            endpoint.provider_asid.to_string(),
        ),
        ("GPCONNECT_USER_ID", "42".to_owned()),
        ("GPCONNECT_USER_SDS_USER_ID", "G13579135".to_owned()),
        ("GPCONNECT_USER_FAMILY", "Jones".to_owned()),
        ("GPCONNECT_USER_GIVEN", "Sam".to_owned()),
        ("GPCONNECT_USER_PREFIX", "Dr".to_owned()),
        (
            "GPCONNECT_USER_LOCAL_USER_ID",
            "98ed4f78-814d-4266-8d5b-cde742f3093c".to_owned(),
        ),
        ("GPCONNECT_ORGANISATION_ODS_CODE", CONSUMER_ODS.to_owned()),
        (
            "GPCONNECT_ORGANISATION_NAME",
            "Example Urgent Care Hub".to_owned(),
        ),
        (
            "GPCONNECT_ORGANISATION_TELEPHONE",
            "01632 960000".to_owned(),
        ),
        (
            "GPCONNECT_SYSTEM_ISSUER",
            "https://consumer.example/".to_owned(),
        ),
        ("GPCONNECT_TIMEOUT_SECONDS", "20".to_owned()),
        ("GPCONNECT_RETRY_INITIAL_BACKOFF_MS", "10".to_owned()),
        ("GPCONNECT_RETRY_MAX_BACKOFF_MS", "50".to_owned()),
    ];
    ConfigSource::from_vars(vars.into_iter().map(|(k, v)| (k.to_owned(), v)))
        .unwrap()
        .build()
        .unwrap()
}

/// An address on this machine where nothing listens.
pub async fn closed_port() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    addr
}
