//! Client configuration: which provider to call, who is calling (the JWT identity, SPEC 2.5),
//! the ASIDs for the SSP headers (SPEC 2.3), the wire format, the timeout, mutual TLS and the
//! retry policy.
//!
//! A [`ClientConfig`] can be written in code, or loaded in layers through [`ConfigSource`]: a
//! TOML or JSON file, then `GPCONNECT_*` environment variables on top (a command-line tool can
//! add its own flags as a third layer with [`ConfigSource::overlay`]). Every file key has an
//! environment variable named `GPCONNECT_` + the key path in upper case with `_` for `.`, e.g.
//! `user.family` is `GPCONNECT_USER_FAMILY`. Lists (`user.given`, `user.prefix`) are
//! comma-separated in the environment. Empty variables count as unset; unrelated `GPCONNECT_*`
//! variables are ignored.
//!
//! ```toml
//! base_url = "https://provider.example.nhs.uk/A20047/STU3/1/gpconnect"
//! ssp_url_prefix = "https://ssp.example.nhs.uk"   # optional: call through the SSP
//! consumer_asid = "200000000359"
//! provider_asid = "918999198993"
//! format = "json"            # or "xml"
//! timeout_seconds = 30
//!
//! [user]
//! id = "1"                   # also the JWT sub
//! sds_user_id = "G13579135"  # or UNK (the default)
//! role_profile_id = "UNK"
//! family = "Jones"
//! given = ["Sam"]
//! prefix = ["Dr"]
//! local_user_id = "98ed4f78-814d-4266-8d5b-cde742f3093c"
//! local_user_id_system = "https://consumer.example.nhs.uk/Id/user-guid"
//!
//! [organisation]
//! ods_code = "GPCA0001"
//! name = "Example Urgent Care Hub"
//! telephone = "01632 960000" # needed to book: the booking organisation's telecom
//!
//! [system]
//! issuer = "https://consumer.example.nhs.uk/"
//! device_model = "Example Hub"
//! device_version = "2.1"
//! device_identifier_system = "https://consumer.example.nhs.uk/Id/device"
//! device_identifier_value = "hub-01"
//!
//! [tls]                      # optional; relative paths are relative to the file
//! client_cert_file = "client.pem"
//! client_key_file = "client.key"
//! ca_cert_file = "spine-ca.pem"
//!
//! [retry]
//! max_attempts = 3
//! initial_backoff_ms = 200
//! max_backoff_ms = 2000
//! ```

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use gpconnect_domain::{Asid, OdsCode};
use gpconnect_fhir::Format;
use serde::Deserialize;

use crate::retry::RetryPolicy;

/// The timeout used when none is configured.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The SDS user id and role profile id sent when the user has none (SPEC 2.5: `UNK`).
pub const UNKNOWN_SDS_VALUE: &str = "UNK";

/// Everything the client needs to call one provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// The provider's service root (SPEC 2.2), e.g.
    /// `https://provider.example/A20047/STU3/1/gpconnect`; also the JWT `aud`. No trailing `/`.
    pub base_url: String,
    /// When set, requests go to `{ssp_url_prefix}/{base_url}/...` (SPEC 2.2: the SSP strips its
    /// prefix and forwards to the provider).
    pub ssp_url_prefix: Option<String>,
    /// The consumer system's ASID (`Ssp-From`).
    pub consumer_asid: Asid,
    /// The provider endpoint's ASID (`Ssp-To`).
    pub provider_asid: Asid,
    /// The person making the requests.
    pub user: UserConfig,
    /// The organisation the requests come from (and the default booking organisation).
    pub organisation: OrganisationConfig,
    /// The consumer system.
    pub system: SystemConfig,
    /// The wire format requested and sent.
    pub format: Format,
    /// The longest a whole exchange may take.
    pub timeout: Duration,
    /// Mutual TLS material.
    pub tls: TlsConfig,
    /// How reads and searches are retried.
    pub retry: RetryPolicy,
}

/// The requesting practitioner (SPEC 2.5 `requesting_practitioner`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserConfig {
    /// The user's id in the consumer system; the JWT `sub` and `requesting_practitioner.id`.
    pub id: String,
    /// The smartcard SDS user id, or `UNK`.
    pub sds_user_id: String,
    /// The SDS role profile id, or `UNK`.
    pub role_profile_id: String,
    /// Family name.
    pub family: String,
    /// Given names.
    pub given: Vec<String>,
    /// Name prefixes (`Dr`, `Mrs` ...).
    pub prefix: Vec<String>,
    /// The user's id in the consumer's own directory (a GUID), if any.
    pub local_user_id: Option<String>,
    /// The identifier system of `local_user_id` (consumer-defined URL).
    pub local_user_id_system: String,
}

/// The requesting organisation (SPEC 2.5 `requesting_organization`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationConfig {
    /// Its ODS code.
    pub ods_code: OdsCode,
    /// Its name.
    pub name: String,
    /// A telephone number; required to book, because the booking organisation must carry a
    /// telecom (SPEC 3.11).
    pub telephone: Option<String>,
}

/// The consumer system (SPEC 2.5 `iss` and `requesting_device`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SystemConfig {
    /// The consumer's endpoint URL (`iss`).
    pub issuer: String,
    /// `requesting_device.model`.
    pub device_model: String,
    /// `requesting_device.version`.
    pub device_version: String,
    /// `requesting_device.identifier[0].system` (consumer-defined URL).
    pub device_identifier_system: String,
    /// `requesting_device.identifier[0].value`.
    pub device_identifier_value: String,
}

/// Mutual TLS material, as PEM (SPEC 2.1: TLS with mutual authentication through the SSP).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct TlsConfig {
    /// The client certificate chain.
    pub client_cert_pem: Option<Vec<u8>>,
    /// The client certificate's private key.
    pub client_key_pem: Option<Vec<u8>>,
    /// The CA to trust instead of the built-in web roots (e.g. the Spine CA chain).
    pub ca_cert_pem: Option<Vec<u8>>,
}

impl fmt::Debug for TlsConfig {
    // The private key must never reach a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsConfig")
            .field(
                "client_cert_pem",
                &self.client_cert_pem.as_ref().map(Vec::len),
            )
            .field(
                "client_key_pem",
                &self.client_key_pem.as_ref().map(|_| "<redacted>"),
            )
            .field("ca_cert_pem", &self.ca_cert_pem.as_ref().map(Vec::len))
            .finish()
    }
}

/// One provider endpoint: a practice's service root and its ASID.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ProviderEndpoint {
    /// The service root (SPEC 2.2).
    pub base_url: String,
    /// The endpoint's ASID (`Ssp-To`).
    pub provider_asid: Asid,
}

impl ClientConfig {
    /// Loads a TOML (`.toml`) or JSON (`.json`) file.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        ConfigSource::from_file(path)?.build()
    }

    /// Loads the `GPCONNECT_*` environment variables.
    pub fn from_env() -> Result<Self, ConfigError> {
        ConfigSource::from_env()?.build()
    }

    /// Loads `file` if given, then the `GPCONNECT_*` environment variables over it.
    pub fn load(file: Option<&Path>) -> Result<Self, ConfigError> {
        let base = match file {
            Some(path) => ConfigSource::from_file(path)?,
            None => ConfigSource::default(),
        };
        base.overlay(ConfigSource::from_env()?).build()
    }

    /// The provider this configuration calls.
    pub fn endpoint(&self) -> ProviderEndpoint {
        ProviderEndpoint {
            base_url: self.base_url.clone(),
            provider_asid: self.provider_asid.clone(),
        }
    }

    /// The same configuration for another provider endpoint.
    pub fn with_endpoint(&self, endpoint: &ProviderEndpoint) -> Result<Self, ConfigError> {
        Ok(Self {
            base_url: service_root("base_url", &endpoint.base_url)?,
            provider_asid: endpoint.provider_asid.clone(),
            ..self.clone()
        })
    }

    /// Checks what the types cannot: URLs, names, timeout and the certificate/key pairing.
    /// [`crate::GpConnectClient::new`] calls it.
    pub fn validate(&self) -> Result<(), ConfigError> {
        service_root("base_url", &self.base_url)?;
        if let Some(prefix) = &self.ssp_url_prefix {
            service_root("ssp_url_prefix", prefix)?;
        }
        let required = [
            ("user.id", &self.user.id),
            ("user.sds_user_id", &self.user.sds_user_id),
            ("user.role_profile_id", &self.user.role_profile_id),
            ("user.family", &self.user.family),
            ("user.local_user_id_system", &self.user.local_user_id_system),
            ("organisation.name", &self.organisation.name),
            ("system.issuer", &self.system.issuer),
            ("system.device_model", &self.system.device_model),
            ("system.device_version", &self.system.device_version),
            (
                "system.device_identifier_system",
                &self.system.device_identifier_system,
            ),
            (
                "system.device_identifier_value",
                &self.system.device_identifier_value,
            ),
        ];
        for (key, value) in required {
            if value.trim().is_empty() {
                return Err(ConfigError::Missing { key });
            }
        }
        // SPEC 2.6: FHIR strings must not be empty, and the JWT resources are FHIR.
        let names = self.user.given.iter().chain(&self.user.prefix);
        if names.into_iter().any(|n| n.trim().is_empty()) {
            return Err(ConfigError::invalid(
                "user.given",
                "given names and prefixes must not be empty",
            ));
        }
        if self.timeout.is_zero() {
            return Err(ConfigError::invalid(
                "timeout_seconds",
                "the timeout must be at least one second",
            ));
        }
        if self.tls.client_cert_pem.is_some() != self.tls.client_key_pem.is_some() {
            return Err(ConfigError::invalid(
                "tls.client_cert_file",
                "a client certificate and its key must be given together",
            ));
        }
        if self.retry.max_attempts == 0 {
            return Err(ConfigError::invalid(
                "retry.max_attempts",
                "at least one attempt is needed",
            ));
        }
        Ok(())
    }
}

/// Why a configuration could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A configuration file is not valid TOML/JSON or has unknown keys.
    #[error("cannot parse {}: {message}", path.display())]
    Parse {
        /// The file.
        path: PathBuf,
        /// What the parser said.
        message: String,
    },
    /// The file is neither `.toml` nor `.json`.
    #[error("{}: configuration files must end in .toml or .json", .0.display())]
    UnsupportedFile(PathBuf),
    /// A required setting is absent.
    #[error("missing setting {key} (environment variable {})", env_var(key))]
    Missing {
        /// The file key, e.g. `user.family`.
        key: &'static str,
    },
    /// A setting has an invalid value.
    #[error(
        "invalid setting {key} (environment variable {}): {message}",
        env_var(key)
    )]
    Invalid {
        /// The file key.
        key: &'static str,
        /// What is wrong.
        message: String,
    },
}

impl ConfigError {
    fn invalid(key: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            key,
            message: message.into(),
        }
    }
}

/// The environment variable of a file key: `user.family` → `GPCONNECT_USER_FAMILY`.
pub fn env_var(key: &str) -> String {
    format!("GPCONNECT_{}", key.replace('.', "_").to_ascii_uppercase())
}

/// One layer of configuration: every setting optional. Layers are combined with
/// [`ConfigSource::overlay`] and turned into a [`ClientConfig`] with [`ConfigSource::build`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigSource {
    /// See [`ClientConfig::base_url`].
    pub base_url: Option<String>,
    /// See [`ClientConfig::ssp_url_prefix`].
    pub ssp_url_prefix: Option<String>,
    /// See [`ClientConfig::consumer_asid`].
    pub consumer_asid: Option<String>,
    /// See [`ClientConfig::provider_asid`].
    pub provider_asid: Option<String>,
    /// `json` or `xml` (or their FHIR mime types).
    pub format: Option<String>,
    /// Whole seconds.
    pub timeout_seconds: Option<u64>,
    /// The `[user]` table.
    #[serde(default)]
    pub user: UserSource,
    /// The `[organisation]` table.
    #[serde(default)]
    pub organisation: OrganisationSource,
    /// The `[system]` table.
    #[serde(default)]
    pub system: SystemSource,
    /// The `[tls]` table.
    #[serde(default)]
    pub tls: TlsSource,
    /// The `[retry]` table.
    #[serde(default)]
    pub retry: RetrySource,
}

/// The `[user]` table; see [`UserConfig`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserSource {
    /// See [`UserConfig::id`].
    pub id: Option<String>,
    /// See [`UserConfig::sds_user_id`].
    pub sds_user_id: Option<String>,
    /// See [`UserConfig::role_profile_id`].
    pub role_profile_id: Option<String>,
    /// See [`UserConfig::family`].
    pub family: Option<String>,
    /// See [`UserConfig::given`].
    pub given: Option<Vec<String>>,
    /// See [`UserConfig::prefix`].
    pub prefix: Option<Vec<String>>,
    /// See [`UserConfig::local_user_id`].
    pub local_user_id: Option<String>,
    /// See [`UserConfig::local_user_id_system`].
    pub local_user_id_system: Option<String>,
}

/// The `[organisation]` table; see [`OrganisationConfig`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationSource {
    /// See [`OrganisationConfig::ods_code`].
    pub ods_code: Option<String>,
    /// See [`OrganisationConfig::name`].
    pub name: Option<String>,
    /// See [`OrganisationConfig::telephone`].
    pub telephone: Option<String>,
}

/// The `[system]` table; see [`SystemConfig`]. Everything but `issuer` has a default.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SystemSource {
    /// See [`SystemConfig::issuer`].
    pub issuer: Option<String>,
    /// See [`SystemConfig::device_model`].
    pub device_model: Option<String>,
    /// See [`SystemConfig::device_version`].
    pub device_version: Option<String>,
    /// See [`SystemConfig::device_identifier_system`].
    pub device_identifier_system: Option<String>,
    /// See [`SystemConfig::device_identifier_value`].
    pub device_identifier_value: Option<String>,
}

/// The `[tls]` table: PEM file paths.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsSource {
    /// The PEM file of [`TlsConfig::client_cert_pem`].
    pub client_cert_file: Option<PathBuf>,
    /// The PEM file of [`TlsConfig::client_key_pem`].
    pub client_key_file: Option<PathBuf>,
    /// The PEM file of [`TlsConfig::ca_cert_pem`].
    pub ca_cert_file: Option<PathBuf>,
}

/// The `[retry]` table; see [`RetryPolicy`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RetrySource {
    /// See [`RetryPolicy::max_attempts`].
    pub max_attempts: Option<u32>,
    /// See [`RetryPolicy::initial_backoff`], in milliseconds.
    pub initial_backoff_ms: Option<u64>,
    /// See [`RetryPolicy::max_backoff`], in milliseconds.
    pub max_backoff_ms: Option<u64>,
}

/// `over.field` if set, else `base.field`, for every listed field.
macro_rules! overlay_fields {
    ($base:expr, $over:expr; $($field:ident),+ $(,)?) => {
        $( if $over.$field.is_some() { $base.$field = $over.$field; } )+
    };
}

impl ConfigSource {
    /// Reads a TOML (`.toml`) or JSON (`.json`) file. Relative TLS paths are made relative to
    /// the file's folder.
    pub fn from_file(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_owned(),
            source,
        })?;
        let parse_error = |message: String| ConfigError::Parse {
            path: path.to_owned(),
            message,
        };
        let mut source: Self = match path.extension().and_then(|e| e.to_str()) {
            Some("toml") => toml::from_str(&text).map_err(|e| parse_error(e.to_string()))?,
            Some("json") => serde_json::from_str(&text).map_err(|e| parse_error(e.to_string()))?,
            _ => return Err(ConfigError::UnsupportedFile(path.to_owned())),
        };
        if let Some(dir) = path.parent() {
            for file in [
                &mut source.tls.client_cert_file,
                &mut source.tls.client_key_file,
                &mut source.tls.ca_cert_file,
            ]
            .into_iter()
            .flatten()
            {
                if file.is_relative() {
                    *file = dir.join(&*file);
                }
            }
        }
        Ok(source)
    }

    /// Reads the process's `GPCONNECT_*` environment variables.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_vars(
            std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?))),
        )
    }

    /// Reads `GPCONNECT_*` variables from `vars` (testable without touching the process).
    pub fn from_vars(
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, ConfigError> {
        let mut source = Self::default();
        for (name, value) in vars {
            let Some(key) = name.strip_prefix("GPCONNECT_") else {
                continue;
            };
            if value.trim().is_empty() {
                continue;
            }
            source.set_env(key, value)?;
        }
        Ok(source)
    }

    /// Sets the setting of one environment variable (its name without `GPCONNECT_`).
    fn set_env(&mut self, key: &str, value: String) -> Result<(), ConfigError> {
        let list = |v: &str| -> Vec<String> {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        };
        match key {
            "BASE_URL" => self.base_url = Some(value),
            "SSP_URL_PREFIX" => self.ssp_url_prefix = Some(value),
            "CONSUMER_ASID" => self.consumer_asid = Some(value),
            "PROVIDER_ASID" => self.provider_asid = Some(value),
            "FORMAT" => self.format = Some(value),
            "TIMEOUT_SECONDS" => self.timeout_seconds = Some(number("timeout_seconds", &value)?),
            "USER_ID" => self.user.id = Some(value),
            "USER_SDS_USER_ID" => self.user.sds_user_id = Some(value),
            "USER_ROLE_PROFILE_ID" => self.user.role_profile_id = Some(value),
            "USER_FAMILY" => self.user.family = Some(value),
            "USER_GIVEN" => self.user.given = Some(list(&value)),
            "USER_PREFIX" => self.user.prefix = Some(list(&value)),
            "USER_LOCAL_USER_ID" => self.user.local_user_id = Some(value),
            "USER_LOCAL_USER_ID_SYSTEM" => self.user.local_user_id_system = Some(value),
            "ORGANISATION_ODS_CODE" => self.organisation.ods_code = Some(value),
            "ORGANISATION_NAME" => self.organisation.name = Some(value),
            "ORGANISATION_TELEPHONE" => self.organisation.telephone = Some(value),
            "SYSTEM_ISSUER" => self.system.issuer = Some(value),
            "SYSTEM_DEVICE_MODEL" => self.system.device_model = Some(value),
            "SYSTEM_DEVICE_VERSION" => self.system.device_version = Some(value),
            "SYSTEM_DEVICE_IDENTIFIER_SYSTEM" => self.system.device_identifier_system = Some(value),
            "SYSTEM_DEVICE_IDENTIFIER_VALUE" => self.system.device_identifier_value = Some(value),
            "TLS_CLIENT_CERT_FILE" => self.tls.client_cert_file = Some(value.into()),
            "TLS_CLIENT_KEY_FILE" => self.tls.client_key_file = Some(value.into()),
            "TLS_CA_CERT_FILE" => self.tls.ca_cert_file = Some(value.into()),
            "RETRY_MAX_ATTEMPTS" => {
                self.retry.max_attempts = Some(number("retry.max_attempts", &value)?)
            }
            "RETRY_INITIAL_BACKOFF_MS" => {
                self.retry.initial_backoff_ms = Some(number("retry.initial_backoff_ms", &value)?)
            }
            "RETRY_MAX_BACKOFF_MS" => {
                self.retry.max_backoff_ms = Some(number("retry.max_backoff_ms", &value)?)
            }
            // Other tools of the project share the prefix (e.g. test database URLs).
            _ => {}
        }
        Ok(())
    }

    /// This layer with every setting `over` has replacing this one's.
    pub fn overlay(mut self, over: ConfigSource) -> Self {
        overlay_fields!(self, over; base_url, ssp_url_prefix, consumer_asid, provider_asid,
            format, timeout_seconds);
        overlay_fields!(self.user, over.user; id, sds_user_id, role_profile_id, family, given,
            prefix, local_user_id, local_user_id_system);
        overlay_fields!(self.organisation, over.organisation; ods_code, name, telephone);
        overlay_fields!(self.system, over.system; issuer, device_model, device_version,
            device_identifier_system, device_identifier_value);
        overlay_fields!(self.tls, over.tls; client_cert_file, client_key_file, ca_cert_file);
        overlay_fields!(self.retry, over.retry; max_attempts, initial_backoff_ms,
            max_backoff_ms);
        self
    }

    /// Checks every setting, fills in defaults, reads the TLS files and builds the
    /// configuration.
    pub fn build(self) -> Result<ClientConfig, ConfigError> {
        let required = |key: &'static str, v: Option<String>| {
            v.filter(|s| !s.trim().is_empty())
                .ok_or(ConfigError::Missing { key })
        };
        let asid = |key: &'static str, v: Option<String>| {
            let raw = required(key, v)?;
            Asid::parse(raw.trim()).map_err(|e| ConfigError::invalid(key, e.to_string()))
        };
        let base_url = service_root("base_url", &required("base_url", self.base_url)?)?;
        let ssp_url_prefix = self
            .ssp_url_prefix
            .filter(|s| !s.trim().is_empty())
            .map(|p| service_root("ssp_url_prefix", &p))
            .transpose()?;
        let format = match self.format.as_deref().map(str::trim) {
            None => Format::Json,
            Some(f) => parse_format(f).ok_or_else(|| {
                ConfigError::invalid("format", format!("'{f}' is not json or xml"))
            })?,
        };
        let timeout = self
            .timeout_seconds
            .map(Duration::from_secs)
            .unwrap_or(DEFAULT_TIMEOUT);

        let issuer = required("system.issuer", self.system.issuer)?;
        let system = SystemConfig {
            device_model: self
                .system
                .device_model
                .unwrap_or_else(|| env!("CARGO_PKG_NAME").to_owned()),
            device_version: self
                .system
                .device_version
                .unwrap_or_else(|| env!("CARGO_PKG_VERSION").to_owned()),
            device_identifier_system: self
                .system
                .device_identifier_system
                .unwrap_or_else(|| issuer.clone()),
            device_identifier_value: self
                .system
                .device_identifier_value
                .unwrap_or_else(|| env!("CARGO_PKG_NAME").to_owned()),
            issuer: issuer.clone(),
        };
        let user = UserConfig {
            id: required("user.id", self.user.id)?,
            sds_user_id: self
                .user
                .sds_user_id
                .unwrap_or_else(|| UNKNOWN_SDS_VALUE.to_owned()),
            role_profile_id: self
                .user
                .role_profile_id
                .unwrap_or_else(|| UNKNOWN_SDS_VALUE.to_owned()),
            family: required("user.family", self.user.family)?,
            given: self.user.given.unwrap_or_default(),
            prefix: self.user.prefix.unwrap_or_default(),
            local_user_id: self.user.local_user_id,
            local_user_id_system: self
                .user
                .local_user_id_system
                .unwrap_or_else(|| format!("{}/Id/user-guid", issuer.trim_end_matches('/'))),
        };
        let ods_raw = required("organisation.ods_code", self.organisation.ods_code)?;
        let organisation = OrganisationConfig {
            ods_code: OdsCode::parse(ods_raw.trim())
                .map_err(|e| ConfigError::invalid("organisation.ods_code", e.to_string()))?,
            name: required("organisation.name", self.organisation.name)?,
            telephone: self.organisation.telephone.filter(|t| !t.trim().is_empty()),
        };
        let read = |path: Option<PathBuf>| {
            path.map(|p| std::fs::read(&p).map_err(|source| ConfigError::Io { path: p, source }))
                .transpose()
        };
        let tls = TlsConfig {
            client_cert_pem: read(self.tls.client_cert_file)?,
            client_key_pem: read(self.tls.client_key_file)?,
            ca_cert_pem: read(self.tls.ca_cert_file)?,
        };
        let defaults = RetryPolicy::default();
        let retry = RetryPolicy {
            max_attempts: self.retry.max_attempts.unwrap_or(defaults.max_attempts),
            initial_backoff: self
                .retry
                .initial_backoff_ms
                .map(Duration::from_millis)
                .unwrap_or(defaults.initial_backoff),
            max_backoff: self
                .retry
                .max_backoff_ms
                .map(Duration::from_millis)
                .unwrap_or(defaults.max_backoff),
        };
        let config = ClientConfig {
            base_url,
            ssp_url_prefix,
            consumer_asid: asid("consumer_asid", self.consumer_asid)?,
            provider_asid: asid("provider_asid", self.provider_asid)?,
            user,
            organisation,
            system,
            format,
            timeout,
            tls,
            retry,
        };
        config.validate()?;
        Ok(config)
    }
}

fn number<T: std::str::FromStr>(key: &'static str, value: &str) -> Result<T, ConfigError> {
    value
        .trim()
        .parse()
        .map_err(|_| ConfigError::invalid(key, format!("'{value}' is not a whole number")))
}

/// `json`, `xml` or one of the FHIR mime types.
fn parse_format(value: &str) -> Option<Format> {
    match value.to_ascii_lowercase().as_str() {
        "json" | "application/fhir+json" => Some(Format::Json),
        "xml" | "application/fhir+xml" => Some(Format::Xml),
        _ => None,
    }
}

/// An absolute http(s) URL with no query or fragment, without its trailing `/` (SPEC 2.2).
fn service_root(key: &'static str, raw: &str) -> Result<String, ConfigError> {
    let trimmed = raw.trim().trim_end_matches('/');
    let url = reqwest::Url::parse(trimmed)
        .map_err(|e| ConfigError::invalid(key, format!("'{raw}' is not a URL: {e}")))?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(ConfigError::invalid(
            key,
            format!("'{raw}' is not an http or https URL"),
        ));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(ConfigError::invalid(
            key,
            format!("'{raw}' must not have a query or fragment"),
        ));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn minimal_env() -> Vec<(String, String)> {
        vars(&[
            (
                "GPCONNECT_BASE_URL",
                "http://127.0.0.1:8080/A20047/STU3/1/gpconnect/",
            ),
            ("GPCONNECT_CONSUMER_ASID", "200000000359"),
            ("GPCONNECT_PROVIDER_ASID", "918999198993"),
            ("GPCONNECT_USER_ID", "1"),
            ("GPCONNECT_USER_FAMILY", "Jones"),
            ("GPCONNECT_USER_GIVEN", "Sam, Alex"),
            ("GPCONNECT_ORGANISATION_ODS_CODE", "GPCA0001"),
            ("GPCONNECT_ORGANISATION_NAME", "Example Hub"),
            ("GPCONNECT_SYSTEM_ISSUER", "https://consumer.example/"),
            ("GPCONNECT_TEST_POSTGRES_URL", "postgres://elsewhere"),
            ("PATH", "/usr/bin"),
        ])
    }

    #[test]
    fn environment_variables_build_a_config_with_defaults() {
        let config = ConfigSource::from_vars(minimal_env())
            .unwrap()
            .build()
            .unwrap();
        assert_eq!(
            config.base_url,
            "http://127.0.0.1:8080/A20047/STU3/1/gpconnect"
        );
        assert_eq!(config.user.given, ["Sam", "Alex"]);
        assert_eq!(config.user.sds_user_id, "UNK");
        assert_eq!(config.user.role_profile_id, "UNK");
        assert_eq!(
            config.user.local_user_id_system,
            "https://consumer.example/Id/user-guid"
        );
        assert_eq!(config.format, Format::Json);
        assert_eq!(config.timeout, DEFAULT_TIMEOUT);
        assert_eq!(config.retry, RetryPolicy::default());
        assert_eq!(
            config.system.device_identifier_system,
            "https://consumer.example/"
        );
    }

    #[test]
    fn a_missing_setting_names_its_key_and_variable() {
        let env: Vec<_> = minimal_env()
            .into_iter()
            .filter(|(k, _)| k != "GPCONNECT_USER_FAMILY")
            .collect();
        let err = ConfigSource::from_vars(env).unwrap().build().unwrap_err();
        assert!(matches!(err, ConfigError::Missing { key: "user.family" }));
        assert!(err.to_string().contains("GPCONNECT_USER_FAMILY"), "{err}");
    }

    #[test]
    fn invalid_values_are_refused_with_the_reason() {
        for (var, value, key) in [
            ("GPCONNECT_CONSUMER_ASID", "12ab", "consumer_asid"),
            (
                "GPCONNECT_BASE_URL",
                "ftp://host/A20047/STU3/1/gpconnect",
                "base_url",
            ),
            ("GPCONNECT_BASE_URL", "not a url", "base_url"),
            ("GPCONNECT_FORMAT", "yaml", "format"),
            (
                "GPCONNECT_ORGANISATION_ODS_CODE",
                "gpca0001",
                "organisation.ods_code",
            ),
            ("GPCONNECT_TIMEOUT_SECONDS", "soon", "timeout_seconds"),
            ("GPCONNECT_TIMEOUT_SECONDS", "0", "timeout_seconds"),
            ("GPCONNECT_RETRY_MAX_ATTEMPTS", "0", "retry.max_attempts"),
        ] {
            let mut env = minimal_env();
            env.push((var.to_owned(), value.to_owned()));
            let err = ConfigSource::from_vars(env)
                .and_then(ConfigSource::build)
                .unwrap_err();
            match err {
                ConfigError::Invalid { key: k, .. } => assert_eq!(k, key, "{var}={value}"),
                other => panic!("{var}={value}: {other}"),
            }
        }
    }

    #[test]
    fn toml_and_json_files_load_and_the_environment_wins() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("ca.pem"), "-----BEGIN CERTIFICATE-----\n").unwrap();
        let toml_path = dir.path().join("client.toml");
        std::fs::write(
            &toml_path,
            r#"
base_url = "https://provider.example/A20047/STU3/1/gpconnect"
ssp_url_prefix = "https://ssp.example/"
consumer_asid = "200000000359"
provider_asid = "918999198993"
format = "xml"
timeout_seconds = 5

[user]
id = "7"
sds_user_id = "G13579135"
family = "Jones"
given = ["Sam"]
prefix = ["Dr"]

[organisation]
ods_code = "GPCA0001"
name = "Example Hub"
telephone = "01632 960000"

[system]
issuer = "https://consumer.example/"

[tls]
ca_cert_file = "ca.pem"

[retry]
max_attempts = 5
"#,
        )
        .unwrap();
        let from_toml = ClientConfig::from_file(&toml_path).unwrap();
        assert_eq!(from_toml.format, Format::Xml);
        assert_eq!(from_toml.timeout, Duration::from_secs(5));
        assert_eq!(
            from_toml.ssp_url_prefix.as_deref(),
            Some("https://ssp.example")
        );
        assert_eq!(from_toml.user.prefix, ["Dr"]);
        assert_eq!(from_toml.retry.max_attempts, 5);
        assert_eq!(
            from_toml.tls.ca_cert_pem.as_deref(),
            Some(&b"-----BEGIN CERTIFICATE-----\n"[..])
        );

        let json_path = dir.path().join("client.json");
        std::fs::write(
            &json_path,
            serde_json::json!({
                "base_url": "https://provider.example/A20047/STU3/1/gpconnect",
                "consumer_asid": "200000000359",
                "provider_asid": "918999198993",
                "user": { "id": "7", "family": "Jones" },
                "organisation": { "ods_code": "GPCA0001", "name": "Example Hub" },
                "system": { "issuer": "https://consumer.example/" }
            })
            .to_string(),
        )
        .unwrap();
        let layered = ConfigSource::from_file(&json_path)
            .unwrap()
            .overlay(ConfigSource::from_vars(vars(&[("GPCONNECT_USER_FAMILY", "Smith")])).unwrap())
            .build()
            .unwrap();
        assert_eq!(layered.user.family, "Smith");
        assert_eq!(layered.user.id, "7");
    }

    #[test]
    fn unknown_keys_and_file_types_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let typo = dir.path().join("typo.toml");
        std::fs::write(&typo, "base_ur = \"x\"\n").unwrap();
        assert!(matches!(
            ConfigSource::from_file(&typo),
            Err(ConfigError::Parse { .. })
        ));
        let yaml = dir.path().join("client.yaml");
        std::fs::write(&yaml, "").unwrap();
        assert!(matches!(
            ConfigSource::from_file(&yaml),
            Err(ConfigError::UnsupportedFile(_))
        ));
        assert!(matches!(
            ConfigSource::from_file(&dir.path().join("absent.toml")),
            Err(ConfigError::Io { .. })
        ));
    }

    #[test]
    fn a_certificate_without_its_key_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let cert = dir.path().join("client.pem");
        std::fs::write(&cert, "pem").unwrap();
        let mut env = minimal_env();
        env.push((
            "GPCONNECT_TLS_CLIENT_CERT_FILE".into(),
            cert.display().to_string(),
        ));
        let err = ConfigSource::from_vars(env).unwrap().build().unwrap_err();
        assert!(matches!(
            err,
            ConfigError::Invalid {
                key: "tls.client_cert_file",
                ..
            }
        ));
    }

    #[test]
    fn the_private_key_is_not_printed() {
        let tls = TlsConfig {
            client_key_pem: Some(b"SECRET KEY".to_vec()),
            ..TlsConfig::default()
        };
        assert!(!format!("{tls:?}").contains("SECRET"));
    }
}
