//! The whole provider (every handler) on a fresh SQLite database holding the demo practices,
//! called in-process: the base for interaction tests.

use std::sync::Arc;

use axum::body::Body;
use axum::Router;
use gpconnect_demo::{load_demo_if_empty, DemoScale, LocalPds};
use gpconnect_domain::UkDateTime;
use gpconnect_server::{AppState, ServerConfig};
use gpconnect_store::Store;
use gpconnect_store_sqlite::SqliteStore;
use http::Request;
use tempfile::TempDir;
use tower::ServiceExt;

use super::TestResponse;

/// The provider with the demo practices (`A20047` is the assurance suite's ORG1).
pub struct DemoApp {
    pub app: Router,
    pub state: AppState,
    pub store: Arc<dyn Store>,
    _dir: TempDir,
}

impl DemoApp {
    /// A fresh database loaded with the demo data for today.
    pub async fn start() -> Self {
        super::init_logs();
        let dir = tempfile::tempdir().unwrap();
        let store: Arc<dyn Store> = Arc::new(
            SqliteStore::open(&format!(
                "sqlite://{}",
                dir.path().join("demo.db").display()
            ))
            .await
            .unwrap(),
        );
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
        Self {
            app: gpconnect_server::app(state.clone()),
            state,
            store,
            _dir: dir,
        }
    }

    /// Sends one request through the whole provider.
    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self.app.clone().oneshot(request).await.unwrap();
        TestResponse::read(response).await
    }
}
