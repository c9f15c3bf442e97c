//! Running the provider: `gpconnect serve` settings, opening the store, loading the demo
//! practices, binding the plain HTTP and mutual-TLS listeners, and graceful shutdown.

use std::future::Future;
use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use gpconnect_demo::{
    extend_demo_diaries, load_demo_if_empty, DemoError, DemoScale, LocalPds, PdsLoadError,
};
use gpconnect_domain::pds::Demographics;
use gpconnect_domain::records::Practice;
use gpconnect_domain::UkDateTime;
use gpconnect_store::{Store, StoreError};
use gpconnect_store_postgres::PostgresStore;
use gpconnect_store_sqlite::SqliteStore;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

use crate::pipeline::ConnectionInfo;
use crate::routes::base_path;
use crate::state::{default_max_concurrent_searches, AppState, ServerConfig};
use crate::tls::{TlsError, TlsFiles};

/// How long open connections get to finish after a shutdown signal (SIGTERM/SIGINT must stop
/// the server within 5 s, audit flush included).
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(4);
/// How long a client gets to complete the TLS handshake.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client gets to send a request's headers.
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// How often the demo diaries are extended so that slots stay published weeks ahead.
const DIARY_REFRESH: Duration = Duration::from_secs(6 * 60 * 60);

/// The settings of `gpconnect serve`; every one can also come from the environment.
#[derive(Debug, Clone, clap::Args)]
pub struct ServeArgs {
    /// Plain HTTP listen address.
    #[arg(long, env = "GPCONNECT_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// The database: `sqlite://PATH` (created if missing) or `postgres://USER@HOST:PORT/DB`.
    #[arg(
        long,
        env = "GPCONNECT_DATABASE",
        default_value = "sqlite://data/gpconnect.db"
    )]
    pub database: String,

    /// Mutual-TLS listen address (needs --tls-cert, --tls-key and --tls-client-ca).
    #[arg(long, env = "GPCONNECT_TLS_LISTEN")]
    pub tls_listen: Option<SocketAddr>,

    /// Server certificate chain for the TLS listener (PEM).
    #[arg(long, env = "GPCONNECT_TLS_CERT")]
    pub tls_cert: Option<PathBuf>,

    /// Server private key for the TLS listener (PEM).
    #[arg(long, env = "GPCONNECT_TLS_KEY")]
    pub tls_key: Option<PathBuf>,

    /// CA certificates that client certificates must chain to (PEM); a client certificate is
    /// required on the TLS listener.
    #[arg(long, env = "GPCONNECT_TLS_CLIENT_CA")]
    pub tls_client_ca: Option<PathBuf>,

    /// A folder holding the assurance suite's `RegisterPatients.csv` and/or `PDS.csv`, added to
    /// the local demographics service.
    #[arg(long, env = "GPCONNECT_PDS_DATA")]
    pub pds_data: Option<PathBuf>,

    /// Do not load the demo practices into an empty database.
    #[arg(long, env = "GPCONNECT_NO_DEMO")]
    pub no_demo: bool,

    /// How large the demo practice's diary is: `default` (the assurance fixtures' clinicians,
    /// five weeks ahead) or `benchmark` (20 clinicians, eight weeks ahead).
    #[arg(long, env = "GPCONNECT_DEMO_SCALE", value_enum, default_value_t = DemoSize::Default)]
    pub demo_scale: DemoSize,

    /// Seconds a request may take before it is answered with an error.
    #[arg(long, env = "GPCONNECT_REQUEST_TIMEOUT", default_value_t = 30)]
    pub request_timeout: u64,

    /// The largest request body accepted, in bytes.
    #[arg(long, env = "GPCONNECT_MAX_BODY_BYTES", default_value_t = 1024 * 1024)]
    pub max_body_bytes: usize,

    /// How many free-slot searches are built at once; more wait their turn instead of taking
    /// every core from bookings [default: the number of cores minus one, at least 1].
    #[arg(long, env = "GPCONNECT_MAX_CONCURRENT_SEARCHES")]
    pub max_concurrent_searches: Option<NonZeroUsize>,

    /// Mebibytes of encoded free-slot search answers kept for reuse until the diary changes;
    /// 0 builds every answer afresh.
    #[arg(long, env = "GPCONNECT_SEARCH_CACHE_MB", default_value_t = 64)]
    pub search_cache_mb: u64,
}

impl ServeArgs {
    /// The settings with every default, storing data in `database`.
    pub fn with_database(database: impl Into<String>) -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
            database: database.into(),
            tls_listen: None,
            tls_cert: None,
            tls_key: None,
            tls_client_ca: None,
            pds_data: None,
            no_demo: false,
            demo_scale: DemoSize::Default,
            request_timeout: 30,
            max_body_bytes: 1024 * 1024,
            max_concurrent_searches: None,
            search_cache_mb: 64,
        }
    }

    fn tls_files(&self) -> Result<Option<(SocketAddr, TlsFiles)>, ServeError> {
        match (
            &self.tls_listen,
            &self.tls_cert,
            &self.tls_key,
            &self.tls_client_ca,
        ) {
            (None, None, None, None) => Ok(None),
            (Some(addr), Some(cert), Some(key), Some(client_ca)) => Ok(Some((
                *addr,
                TlsFiles {
                    cert: cert.clone(),
                    key: key.clone(),
                    client_ca: client_ca.clone(),
                },
            ))),
            _ => Err(ServeError::Config(
                "--tls-listen, --tls-cert, --tls-key and --tls-client-ca go together".into(),
            )),
        }
    }
}

/// The demo diary sizes `--demo-scale` offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DemoSize {
    /// [`DemoScale::DEFAULT`]: the fixture clinicians, five weeks ahead.
    Default,
    /// [`DemoScale::BENCHMARK`]: 20 clinicians, eight weeks ahead.
    Benchmark,
}

impl DemoSize {
    /// The demo scale this size stands for.
    pub fn scale(self) -> DemoScale {
        match self {
            Self::Default => DemoScale::DEFAULT,
            Self::Benchmark => DemoScale::BENCHMARK,
        }
    }
}

/// Why the server could not start or run.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// The settings contradict each other.
    #[error("{0}")]
    Config(String),
    /// The database could not be opened or read.
    #[error("database: {0}")]
    Store(#[from] StoreError),
    /// The demo practices could not be loaded.
    #[error("demo data: {0}")]
    Demo(#[from] DemoError),
    /// The demographics files could not be read.
    #[error("demographics data: {0}")]
    Pds(#[from] PdsLoadError),
    /// The TLS files are unusable.
    #[error("TLS: {0}")]
    Tls(#[from] TlsError),
    /// A listen address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The I/O error.
        source: std::io::Error,
    },
}

/// Opens the store a `--database` URL names: PostgreSQL for `postgres://` and
/// `postgresql://`, SQLite otherwise.
pub async fn open_store(database: &str) -> Result<Arc<dyn Store>, ServeError> {
    if database.starts_with("postgres://") || database.starts_with("postgresql://") {
        Ok(Arc::new(PostgresStore::connect(database).await?))
    } else {
        Ok(Arc::new(SqliteStore::open(database).await?))
    }
}

/// A bound server, ready to run.
pub struct Server {
    state: AppState,
    app: Router,
    plain: TcpListener,
    tls: Option<(TcpListener, TlsAcceptor)>,
    background: Vec<tokio::task::JoinHandle<()>>,
}

impl Server {
    /// Opens the store, loads the demo practices unless told not to, and binds the listeners.
    pub async fn start(args: &ServeArgs) -> Result<Self, ServeError> {
        let tls = args.tls_files()?;
        let store = open_store(&args.database).await?;
        let mut background = Vec::new();
        if !args.no_demo {
            let today = UkDateTime::now().uk_date();
            let scale = args.demo_scale.scale();
            load_demo_if_empty(store.as_ref(), today, scale).await?;
            background.push(tokio::spawn(refresh_demo_diaries(store.clone(), scale)));
        }
        let demographics: Arc<dyn Demographics> = match &args.pds_data {
            Some(dir) => Arc::new(LocalPds::load_dir(dir)?),
            None => Arc::new(LocalPds::new()),
        };
        let config = ServerConfig {
            body_limit: args.max_body_bytes,
            request_timeout: Duration::from_secs(args.request_timeout.max(1)),
            max_concurrent_searches: args
                .max_concurrent_searches
                .map_or_else(default_max_concurrent_searches, NonZeroUsize::get),
            search_cache_bytes: args.search_cache_mb.saturating_mul(1024 * 1024),
            ..ServerConfig::default()
        };
        let state = AppState::new(store, demographics, config);
        let tls = match tls {
            Some((addr, files)) => Some((addr, files.server_config()?)),
            None => None,
        };
        let mut server = Self::bind(state, args.listen, tls).await?;
        server.background = background;
        Ok(server)
    }

    /// Binds the listeners for `state` (port 0 picks a free port).
    pub async fn bind(
        state: AppState,
        listen: SocketAddr,
        tls: Option<(SocketAddr, Arc<rustls::ServerConfig>)>,
    ) -> Result<Self, ServeError> {
        let plain = bind(listen).await?;
        let tls = match tls {
            Some((addr, config)) => Some((bind(addr).await?, TlsAcceptor::from(config))),
            None => None,
        };
        Ok(Self {
            app: crate::app(state.clone()),
            state,
            plain,
            tls,
            background: Vec::new(),
        })
    }

    /// The plain HTTP address actually bound.
    pub fn local_addr(&self) -> Option<SocketAddr> {
        self.plain.local_addr().ok()
    }

    /// The mutual-TLS address actually bound, if any.
    pub fn tls_local_addr(&self) -> Option<SocketAddr> {
        self.tls.as_ref().and_then(|(l, _)| l.local_addr().ok())
    }

    /// The shared state (store, audit log).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// One line per hosted practice: ODS code, name, ASID, enablement and base URLs.
    pub async fn practice_lines(&self) -> Result<Vec<String>, ServeError> {
        let practices = self.state.store().practices().await?;
        Ok(practice_lines(
            &practices,
            self.local_addr(),
            self.tls_local_addr(),
        ))
    }

    /// Serves until `shutdown` completes, then lets open requests finish (at most
    /// [`SHUTDOWN_GRACE`]) and writes the queued audit events.
    pub async fn run(self, shutdown: impl Future<Output = ()>) -> Result<(), ServeError> {
        let Self {
            state,
            app,
            plain,
            tls,
            background,
        } = self;
        let (stop, stopping) = watch::channel(false);
        let mut connections = JoinSet::new();
        tokio::pin!(shutdown);
        loop {
            tokio::select! {
                () = &mut shutdown => break,
                accepted = plain.accept() => match accepted {
                    Ok((tcp, remote)) => {
                        let _ = tcp.set_nodelay(true);
                        let info = ConnectionInfo { remote, tls: false };
                        let (app, stopping) = (app.clone(), stopping.clone());
                        connections.spawn(serve_connection(tcp, info, app, stopping));
                    }
                    Err(error) => accept_failed(error).await,
                },
                accepted = accept_tls(tls.as_ref()) => match accepted {
                    Ok((tcp, remote, acceptor)) => {
                        let _ = tcp.set_nodelay(true);
                        let info = ConnectionInfo { remote, tls: true };
                        let (app, stopping) = (app.clone(), stopping.clone());
                        connections.spawn(async move {
                            match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                                Ok(Ok(stream)) => serve_connection(stream, info, app, stopping).await,
                                Ok(Err(error)) => tracing::info!(%remote, %error, "TLS handshake refused"),
                                Err(_) => tracing::info!(%remote, "TLS handshake timed out"),
                            }
                        });
                    }
                    Err(error) => accept_failed(error).await,
                },
                Some(_) = connections.join_next(), if !connections.is_empty() => {}
            }
        }
        tracing::info!("shutting down");
        drop(plain);
        drop(tls);
        for task in background {
            task.abort();
        }
        let _ = stop.send(true);
        let drained = tokio::time::timeout(SHUTDOWN_GRACE, async {
            while connections.join_next().await.is_some() {}
        })
        .await;
        if drained.is_err() {
            tracing::warn!(
                open = connections.len(),
                "connections still open after the grace period; closing them"
            );
            connections.shutdown().await;
        }
        state.audit().shutdown().await;
        Ok(())
    }
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("listen", &self.local_addr())
            .field("tls_listen", &self.tls_local_addr())
            .finish_non_exhaustive()
    }
}

/// Starts the provider with `args`, prints the hosted practices and serves until SIGTERM or
/// SIGINT.
pub async fn run(args: ServeArgs) -> Result<(), ServeError> {
    let server = Server::start(&args).await?;
    announce(&server.practice_lines().await?);
    server.run(shutdown_signal()).await
}

/// Prints the hosted practices. A server must keep serving when whoever started it stops
/// reading its output, so a closed or broken stdout is logged, never fatal (`println!` would
/// panic on it).
fn announce(lines: &[String]) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    for line in lines {
        if let Err(error) = writeln!(out, "{line}").and_then(|()| out.flush()) {
            tracing::warn!(%error, "cannot print the practice list to stdout");
            return;
        }
    }
}

/// Completes on SIGTERM or SIGINT (Ctrl-C).
pub async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for SIGINT");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

/// The start-up lines naming each practice's service root and ASID.
pub fn practice_lines(
    practices: &[Practice],
    plain: Option<SocketAddr>,
    tls: Option<SocketAddr>,
) -> Vec<String> {
    if practices.is_empty() {
        return vec!["no practice is hosted: the database is empty (start without --no-demo to load the demo practices)".into()];
    }
    practices
        .iter()
        .map(|p| {
            let mut urls = Vec::new();
            if let Some(addr) = plain {
                urls.push(format!("http://{addr}{}", base_path(p.ods.as_str())));
            }
            if let Some(addr) = tls {
                urls.push(format!("https://{addr}{}", base_path(p.ods.as_str())));
            }
            let switches = match (p.gp_connect_enabled, p.appointments_enabled) {
                (false, _) => "GP Connect disabled",
                (true, false) => "Foundations only",
                (true, true) => "Foundations and Appointment Management",
            };
            format!(
                "practice {} ({}) ASID {} [{switches}] {}",
                p.ods,
                p.name,
                p.asid,
                urls.join(" ")
            )
        })
        .collect()
}

async fn bind(addr: SocketAddr) -> Result<TcpListener, ServeError> {
    TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })
}

async fn accept_tls(
    tls: Option<&(TcpListener, TlsAcceptor)>,
) -> std::io::Result<(TcpStream, SocketAddr, TlsAcceptor)> {
    match tls {
        Some((listener, acceptor)) => {
            let (tcp, remote) = listener.accept().await?;
            Ok((tcp, remote, acceptor.clone()))
        }
        None => std::future::pending().await,
    }
}

/// Accept errors (e.g. out of file descriptors) are transient: log and pause briefly.
async fn accept_failed(error: std::io::Error) {
    tracing::warn!(%error, "accepting a connection failed");
    tokio::time::sleep(Duration::from_millis(50)).await;
}

async fn serve_connection<IO>(
    io: IO,
    info: ConnectionInfo,
    app: Router,
    mut stopping: watch::Receiver<bool>,
) where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let service =
        hyper::service::service_fn(move |mut request: http::Request<hyper::body::Incoming>| {
            request.extensions_mut().insert(info);
            app.clone().oneshot(request.map(axum::body::Body::new))
        });
    let connection = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_READ_TIMEOUT)
        .serve_connection(TokioIo::new(io), service);
    tokio::pin!(connection);
    let result = tokio::select! {
        result = connection.as_mut() => result,
        _ = stopping.changed() => {
            connection.as_mut().graceful_shutdown();
            connection.await
        }
    };
    if let Err(error) = result {
        tracing::debug!(remote = %info.remote, %error, "connection ended with an error");
    }
}

async fn refresh_demo_diaries(store: Arc<dyn Store>, scale: DemoScale) {
    let mut interval = tokio::time::interval(DIARY_REFRESH);
    interval.tick().await;
    loop {
        interval.tick().await;
        let today = UkDateTime::now().uk_date();
        match extend_demo_diaries(store.as_ref(), today, scale).await {
            Ok(added) => tracing::info!(slots = added.slots_added, "demo diaries extended"),
            Err(error) => tracing::error!(%error, "extending the demo diaries failed"),
        }
    }
}
