//! The client: one HTTP connection pool and one configuration, and the exchange every
//! interaction goes through (URL, headers, fresh JWT and trace id per attempt, retries).

use std::sync::Arc;
use std::time::Duration;

use gpconnect_domain::Interaction;
use reqwest::header::{ACCEPT, ACCEPT_ENCODING, AUTHORIZATION, CONTENT_TYPE, IF_MATCH};
use reqwest::Method;

use crate::config::{ClientConfig, ProviderEndpoint};
use crate::error::ClientError;
use crate::jwt::JwtClaims;
use crate::request::RequestSpec;
use crate::response::Answer;

/// `Ssp-TraceID` (SPEC 2.3).
pub const TRACE_ID_HEADER: &str = "Ssp-TraceID";
/// `Ssp-From` (SPEC 2.3).
pub const FROM_HEADER: &str = "Ssp-From";
/// `Ssp-To` (SPEC 2.3).
pub const TO_HEADER: &str = "Ssp-To";
/// `Ssp-InteractionID` (SPEC 2.3).
pub const INTERACTION_ID_HEADER: &str = "Ssp-InteractionID";
/// `Prefer` (SPEC 2.7).
pub const PREFER_HEADER: &str = "Prefer";

/// The longest the client waits to establish a connection, within the overall timeout.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A GP Connect consumer for one provider endpoint. Cheap to clone; clones share the
/// connection pool. Use [`GpConnectClient::for_provider`] to call another practice with the
/// same identity.
#[derive(Debug, Clone)]
pub struct GpConnectClient {
    http: reqwest::Client,
    config: Arc<ClientConfig>,
}

impl GpConnectClient {
    /// Checks the configuration and sets up the HTTP client (gzip, timeout, mutual TLS).
    pub fn new(config: ClientConfig) -> Result<Self, ClientError> {
        config.validate()?;
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .gzip(true)
            .timeout(config.timeout)
            .connect_timeout(config.timeout.min(CONNECT_TIMEOUT))
            // SPEC 2.2: the SSP and the provider are addressed directly; a redirect is not part
            // of the protocol and would replay a POST elsewhere.
            .redirect(reqwest::redirect::Policy::none());
        if let (Some(cert), Some(key)) = (&config.tls.client_cert_pem, &config.tls.client_key_pem) {
            let mut pem = key.clone();
            pem.push(b'\n');
            pem.extend_from_slice(cert);
            let identity = reqwest::Identity::from_pem(&pem).map_err(ClientError::Setup)?;
            builder = builder.identity(identity);
        }
        if let Some(ca) = &config.tls.ca_cert_pem {
            // SPEC 2.1: the SSP and providers use the Spine PKI; trust only what is configured.
            builder = builder.tls_built_in_root_certs(false);
            for cert in reqwest::Certificate::from_pem_bundle(ca).map_err(ClientError::Setup)? {
                builder = builder.add_root_certificate(cert);
            }
        }
        let http = builder.build().map_err(ClientError::Setup)?;
        Ok(Self {
            http,
            config: Arc::new(config),
        })
    }

    /// The configuration in use.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// A client for another provider endpoint with the same identity, sharing the pool.
    pub fn for_provider(&self, endpoint: &ProviderEndpoint) -> Result<Self, ClientError> {
        Ok(Self {
            http: self.http.clone(),
            config: Arc::new(self.config.with_endpoint(endpoint)?),
        })
    }

    /// The HTTP request for one attempt: a fresh trace id and a fresh JWT issued at `now`.
    pub(crate) fn prepare(
        &self,
        spec: &RequestSpec,
        now: i64,
    ) -> Result<reqwest::Request, ClientError> {
        let config = &self.config;
        let url = spec.url(&config.base_url, config.ssp_url_prefix.as_deref());
        let method = Method::from_bytes(spec.interaction.method().as_bytes())
            .map_err(|e| ClientError::InvalidInput(e.to_string()))?;
        // SPEC 2.5: aud is the provider's service root, whether or not the SSP is in between.
        let token = JwtClaims::new(
            &config.user,
            &config.organisation,
            &config.system,
            &config.base_url,
            spec.interaction,
            now,
        )
        .token();
        let mut builder = self
            .http
            .request(method, &url)
            .header(TRACE_ID_HEADER, uuid::Uuid::new_v4().to_string())
            .header(FROM_HEADER, config.consumer_asid.as_str())
            .header(TO_HEADER, config.provider_asid.as_str())
            .header(INTERACTION_ID_HEADER, spec.interaction.id())
            .header(AUTHORIZATION, format!("Bearer {token}"))
            .header(ACCEPT, config.format.mime())
            // SPEC 2.3: providers SHALL support gzip.
            .header(ACCEPT_ENCODING, "gzip");
        if let Some(body) = &spec.body {
            let bytes = gpconnect_fhir::encode(body, config.format).map_err(|e| {
                ClientError::InvalidInput(format!("the request body cannot be encoded: {e}"))
            })?;
            builder = builder
                .header(
                    CONTENT_TYPE,
                    format!("{};charset=utf-8", config.format.mime()),
                )
                // SPEC 2.7: ask for the resource back explicitly; the workflows need it.
                .header(PREFER_HEADER, "return=representation")
                .body(bytes);
        }
        if let Some(version) = &spec.if_match {
            builder = builder.header(IF_MATCH, format!("W/\"{version}\""));
        }
        builder.build().map_err(|e| {
            ClientError::InvalidInput(format!("the request to {url} cannot be built: {e}"))
        })
    }

    /// Sends one attempt and reads the answer; an error status becomes an error.
    async fn send_once(&self, spec: &RequestSpec) -> Result<Answer, ClientError> {
        let request = self.prepare(spec, jiff::Timestamp::now().as_second())?;
        let url = request.url().to_string();
        let trace_id = request
            .headers()
            .get(TRACE_ID_HEADER)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        tracing::debug!(
            trace_id,
            interaction = spec.interaction.id(),
            method = request.method().as_str(),
            url,
            "sending"
        );
        let interaction = spec.interaction;
        let response = self
            .http
            .execute(request)
            .await
            .map_err(|e| self.transport_error(interaction, &url, e))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|e| self.transport_error(interaction, &url, e))?;
        tracing::debug!(trace_id, status, "answered");
        let answer = Answer::new(interaction, status, &headers, body);
        if status >= 400 {
            return Err(answer.into_error());
        }
        Ok(answer)
    }

    /// Sends `spec`, retrying under the configured policy when that is safe:
    /// - reads and searches on any [`ClientError::is_retryable_read`] failure;
    /// - writes only when no connection could be made (nothing was sent).
    ///
    /// Every attempt carries a new trace id and JWT.
    pub(crate) async fn execute(&self, spec: &RequestSpec) -> Result<Answer, ClientError> {
        let policy = self.config.retry;
        let is_read = spec.interaction.method() == "GET";
        let mut attempt = 1;
        loop {
            match self.send_once(spec).await {
                Err(error)
                    if attempt < policy.max_attempts
                        && (matches!(error, ClientError::Connect { .. })
                            || (is_read && error.is_retryable_read())) =>
                {
                    let wait = policy.backoff(attempt);
                    tracing::warn!(
                        interaction = spec.interaction.id(),
                        attempt,
                        ?wait,
                        %error,
                        "retrying"
                    );
                    tokio::time::sleep(wait).await;
                    attempt += 1;
                }
                outcome => return outcome,
            }
        }
    }

    fn transport_error(
        &self,
        interaction: Interaction,
        url: &str,
        source: reqwest::Error,
    ) -> ClientError {
        let url = url.to_owned();
        if source.is_connect() {
            ClientError::Connect {
                interaction,
                url,
                source,
            }
        } else if source.is_timeout() {
            ClientError::Timeout {
                interaction,
                url,
                timeout: self.config.timeout,
                source,
            }
        } else {
            ClientError::Transport {
                interaction,
                url,
                source,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{OrganisationConfig, SystemConfig, TlsConfig, UserConfig};
    use crate::retry::RetryPolicy;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    use gpconnect_domain::{Asid, OdsCode};
    use gpconnect_fhir::{Appointment, Format};

    fn config() -> ClientConfig {
        ClientConfig {
            base_url: "https://provider.example/A20047/STU3/1/gpconnect".into(),
            ssp_url_prefix: None,
            consumer_asid: Asid::parse("200000000359").unwrap(),
            provider_asid: Asid::parse("918999198993").unwrap(),
            user: UserConfig {
                id: "1".into(),
                sds_user_id: "UNK".into(),
                role_profile_id: "UNK".into(),
                family: "Jones".into(),
                given: vec!["Sam".into()],
                prefix: vec![],
                local_user_id: None,
                local_user_id_system: "https://consumer.example/Id/user-guid".into(),
            },
            organisation: OrganisationConfig {
                ods_code: OdsCode::parse("GPCA0001").unwrap(),
                name: "Example Hub".into(),
                telephone: None,
            },
            system: SystemConfig {
                issuer: "https://consumer.example/".into(),
                device_model: "hub".into(),
                device_version: "1".into(),
                device_identifier_system: "https://consumer.example/Id/device".into(),
                device_identifier_value: "hub-01".into(),
            },
            format: Format::Json,
            timeout: Duration::from_secs(5),
            tls: TlsConfig::default(),
            retry: RetryPolicy::default(),
        }
    }

    fn header<'a>(request: &'a reqwest::Request, name: &str) -> Option<&'a str> {
        request.headers().get(name).map(|v| v.to_str().unwrap())
    }

    #[test]
    fn a_read_carries_the_ssp_headers_a_fresh_jwt_and_negotiation() {
        let client = GpConnectClient::new(config()).unwrap();
        let spec = RequestSpec::new(Interaction::ReadPatient, "Patient/1");
        let first = client.prepare(&spec, 1_800_000_000).unwrap();
        assert_eq!(first.method(), Method::GET);
        assert_eq!(
            first.url().as_str(),
            "https://provider.example/A20047/STU3/1/gpconnect/Patient/1"
        );
        assert_eq!(header(&first, "Ssp-From"), Some("200000000359"));
        assert_eq!(header(&first, "Ssp-To"), Some("918999198993"));
        assert_eq!(
            header(&first, "Ssp-InteractionID"),
            Some("urn:nhs:names:services:gpconnect:fhir:rest:read:patient-1")
        );
        assert_eq!(header(&first, "Accept"), Some("application/fhir+json"));
        assert_eq!(header(&first, "Accept-Encoding"), Some("gzip"));
        assert_eq!(header(&first, "Content-Type"), None);
        assert_eq!(header(&first, "If-Match"), None);
        assert_eq!(header(&first, "Prefer"), None);
        let trace = header(&first, "Ssp-TraceID").unwrap();
        assert!(uuid::Uuid::parse_str(trace).is_ok(), "{trace}");

        let bearer = header(&first, "Authorization").unwrap();
        let token = bearer.strip_prefix("Bearer ").unwrap();
        let payload = token.split('.').nth(1).unwrap();
        let claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        assert_eq!(
            claims["aud"],
            "https://provider.example/A20047/STU3/1/gpconnect"
        );
        assert_eq!(claims["requested_scope"], "patient/*.read");
        assert_eq!(claims["iat"], 1_800_000_000);
        assert_eq!(claims["exp"], 1_800_000_300);

        let second = client.prepare(&spec, 1_800_000_000).unwrap();
        assert_ne!(
            header(&second, "Ssp-TraceID"),
            Some(trace),
            "fresh per request"
        );
    }

    #[test]
    fn a_write_carries_its_body_type_if_match_and_prefer() {
        let mut xml = config();
        xml.format = Format::Xml;
        xml.ssp_url_prefix = Some("https://ssp.example".into());
        let client = GpConnectClient::new(xml).unwrap();
        let appointment = Appointment {
            id: Some("5".into()),
            status: "booked".into(),
            ..Appointment::default()
        };
        let spec = RequestSpec::new(Interaction::CancelAppointment, "Appointment/5")
            .body(appointment)
            .if_match(Some("3".into()));
        let request = client.prepare(&spec, 0).unwrap();
        assert_eq!(request.method(), Method::PUT);
        assert_eq!(
            request.url().as_str(),
            "https://ssp.example/https://provider.example/A20047/STU3/1/gpconnect/Appointment/5"
        );
        assert_eq!(
            header(&request, "Content-Type"),
            Some("application/fhir+xml;charset=utf-8")
        );
        assert_eq!(header(&request, "Accept"), Some("application/fhir+xml"));
        assert_eq!(header(&request, "If-Match"), Some("W/\"3\""));
        assert_eq!(header(&request, "Prefer"), Some("return=representation"));
        assert_eq!(
            header(&request, "Ssp-InteractionID"),
            Some("urn:nhs:names:services:gpconnect:fhir:rest:cancel:appointment-1")
        );
        let body = request.body().and_then(|b| b.as_bytes()).unwrap();
        assert!(
            body.starts_with(b"<Appointment xmlns=\"http://hl7.org/fhir\">"),
            "{}",
            String::from_utf8_lossy(body)
        );
    }

    #[test]
    fn an_invalid_configuration_is_refused_at_construction() {
        let mut bad = config();
        bad.user.family = " ".into();
        assert!(matches!(
            GpConnectClient::new(bad),
            Err(ClientError::Config(_))
        ));
    }
}
