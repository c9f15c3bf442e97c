//! The provider on real sockets: plain HTTP started as `gpconnect serve` starts it (SQLite,
//! demo practices), and the mutual-TLS listener with certificates made here.
#![allow(clippy::unwrap_used)]

mod support;

use std::net::SocketAddr;
use std::sync::Arc;

use gpconnect_domain::{Interaction, OdsCode};
use gpconnect_server::tls::TlsFiles;
use gpconnect_server::{AppState, ServeArgs, Server, ServerConfig};
use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
use support::{FixtureStore, JwtBuilder, CONSUMER_ASID, ODS, PROVIDER_ASID};
use tokio::sync::oneshot;

fn metadata_request(client: &reqwest::Client, base: &str) -> reqwest::RequestBuilder {
    client
        .get(format!("{base}/{ODS}/STU3/1/gpconnect/metadata"))
        .header("Ssp-TraceID", uuid::Uuid::new_v4().to_string())
        .header("Ssp-From", CONSUMER_ASID)
        .header("Ssp-To", PROVIDER_ASID)
        .header("Ssp-InteractionID", Interaction::ReadMetadata.id())
        .header(
            "Authorization",
            format!(
                "Bearer {}",
                JwtBuilder::new(Interaction::ReadMetadata).token()
            ),
        )
}

#[tokio::test]
async fn serve_starts_on_sqlite_with_the_demo_practices_and_stops_cleanly() {
    support::init_logs();
    let dir = tempfile::tempdir().unwrap();
    let database = format!("sqlite://{}", dir.path().join("gpconnect.db").display());
    let args = ServeArgs {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        ..ServeArgs::with_database(database)
    };
    let server = Server::start(&args).await.unwrap();
    let addr = server.local_addr().unwrap();
    let lines = server.practice_lines().await.unwrap();
    assert!(
        lines.iter().any(
            |l| l.contains(&format!("http://{addr}/{ODS}/STU3/1/gpconnect"))
                && l.contains(PROVIDER_ASID)
        ),
        "{lines:?}"
    );
    let store = server.state().store().clone();
    let (stop, stopped) = oneshot::channel::<()>();
    let running = tokio::spawn(server.run(async {
        let _ = stopped.await;
    }));

    let client = reqwest::Client::new();
    let base = format!("http://{addr}");
    let response = metadata_request(&client, &base).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    assert_eq!(
        response.headers()["content-type"],
        "application/fhir+json;charset=utf-8"
    );
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["resourceType"], "CapabilityStatement");

    // A practice the database does not host.
    let response = client
        .get(format!("{base}/Q11111/STU3/1/gpconnect/metadata"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);

    stop.send(()).unwrap();
    running.await.unwrap().unwrap();
    // Both requests were audited, and the audit was written before run() returned.
    let events = store.audit_events(None, 10).await.unwrap();
    assert_eq!(events.len(), 2, "{events:?}");
    assert!(events
        .iter()
        .any(|e| e.status == 200 && e.practice == Some(OdsCode::parse(ODS).unwrap())));
    assert!(client
        .get(format!("{base}/{ODS}/STU3/1/gpconnect/metadata"))
        .send()
        .await
        .is_err());
}

struct Pki {
    ca_pem: String,
    server_cert_pem: String,
    server_key_pem: String,
    client_identity_pem: String,
}

fn make_pki() -> Pki {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Test Spine CA");
    let ca = CertifiedIssuer::self_signed(ca_params, ca_key).unwrap();

    let server_key = KeyPair::generate().unwrap();
    let server_cert = CertificateParams::new(vec!["localhost".to_owned()])
        .unwrap()
        .signed_by(&server_key, &ca)
        .unwrap();

    let client_key = KeyPair::generate().unwrap();
    let mut client_params = CertificateParams::new(vec!["ssp.test".to_owned()]).unwrap();
    client_params
        .extended_key_usages
        .push(rcgen::ExtendedKeyUsagePurpose::ClientAuth);
    let client_cert = client_params.signed_by(&client_key, &ca).unwrap();

    Pki {
        ca_pem: ca.pem(),
        server_cert_pem: server_cert.pem(),
        server_key_pem: server_key.serialize_pem(),
        client_identity_pem: format!("{}{}", client_cert.pem(), client_key.serialize_pem()),
    }
}

#[tokio::test]
async fn mutual_tls_needs_a_client_certificate_from_the_trusted_ca() {
    support::init_logs();
    let pki = make_pki();
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, pem: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, pem).unwrap();
        path
    };
    let files = TlsFiles {
        cert: write("server.pem", &pki.server_cert_pem),
        key: write("server.key", &pki.server_key_pem),
        client_ca: write("ca.pem", &pki.ca_pem),
    };
    let store = Arc::new(FixtureStore::new(vec![support::practice()]));
    let state = AppState::new(
        store,
        Arc::new(gpconnect_demo::LocalPds::empty()),
        ServerConfig::default(),
    );
    let any_port = SocketAddr::from(([127, 0, 0, 1], 0));
    let server = Server::bind(
        state,
        any_port,
        Some((any_port, files.server_config().unwrap())),
    )
    .await
    .unwrap();
    let tls_port = server.tls_local_addr().unwrap().port();
    let (stop, stopped) = oneshot::channel::<()>();
    let running = tokio::spawn(server.run(async {
        let _ = stopped.await;
    }));
    let base = format!("https://localhost:{tls_port}");
    let ca = reqwest::Certificate::from_pem(pki.ca_pem.as_bytes()).unwrap();

    let with_cert = reqwest::Client::builder()
        .use_rustls_tls()
        .add_root_certificate(ca.clone())
        .identity(reqwest::Identity::from_pem(pki.client_identity_pem.as_bytes()).unwrap())
        .build()
        .unwrap();
    let response = metadata_request(&with_cert, &base).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["resourceType"], "CapabilityStatement");

    let without_cert = reqwest::Client::builder()
        .use_rustls_tls()
        .add_root_certificate(ca)
        .build()
        .unwrap();
    let refused = metadata_request(&without_cert, &base).send().await;
    assert!(refused.is_err(), "{refused:?}");

    // A certificate from another CA is refused too.
    let stranger = make_pki();
    let other_ca = reqwest::Client::builder()
        .use_rustls_tls()
        .add_root_certificate(reqwest::Certificate::from_pem(pki.ca_pem.as_bytes()).unwrap())
        .identity(reqwest::Identity::from_pem(stranger.client_identity_pem.as_bytes()).unwrap())
        .build()
        .unwrap();
    assert!(metadata_request(&other_ca, &base).send().await.is_err());

    stop.send(()).unwrap();
    running.await.unwrap().unwrap();
}
