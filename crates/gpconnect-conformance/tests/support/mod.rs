//! Shared test support: this project's provider (`gpconnect serve`) started in-process on
//! 127.0.0.1 over a fresh SQLite database with the demo practices.
#![allow(dead_code)]

use gpconnect_server::serve::{ServeArgs, Server};
use tokio::sync::oneshot;

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

/// The provider, serving until dropped.
pub struct Provider {
    /// The demo practice's service root.
    pub base_url: String,
    stop: Option<oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
}

impl Provider {
    /// Starts it on a port of its own.
    pub async fn start() -> Self {
        init_logs();
        let dir = tempfile::tempdir().unwrap();
        let mut args = ServeArgs::with_database(format!(
            "sqlite://{}",
            dir.path().join("provider.db").display()
        ));
        args.listen = "127.0.0.1:0".parse().unwrap();
        let server = Server::start(&args).await.unwrap();
        let addr = server.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(server.run(async {
            let _ = stopped.await;
        }));
        Self {
            base_url: format!("http://{addr}/A20047/STU3/1/gpconnect"),
            stop: Some(stop),
            _dir: dir,
        }
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}
