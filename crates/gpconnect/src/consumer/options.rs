//! The options every consumer command takes: where the client configuration comes from, the
//! flags that override it, and the output format.
//!
//! Configuration is layered as the client library defines it ([`ConfigSource`]): the
//! `--config` file, then the `GPCONNECT_*` environment variables, then these flags.

use std::path::PathBuf;

use gpconnect_client::{ClientConfig, ConfigSource, GpConnectClient};

use super::error::CliError;

/// Options shared by every consumer command (accepted before or after the subcommand).
#[derive(Debug, Clone, Default, clap::Args)]
#[command(next_help_heading = "Configuration and output")]
pub struct ConsumerOptions {
    /// Client configuration file (.toml or .json; keys in crates/gpconnect-client/README.md).
    /// GPCONNECT_* environment variables override it, and the flags below override both.
    #[arg(long, global = true, env = "GPCONNECT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The practice's service root, e.g. http://127.0.0.1:8080/A20047/STU3/1/gpconnect
    /// (overrides base_url).
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,

    /// The practice endpoint's ASID, sent as Ssp-To (overrides provider_asid).
    #[arg(long, global = true, value_name = "ASID")]
    pub provider_asid: Option<String>,

    /// Your system's ASID, sent as Ssp-From (overrides consumer_asid).
    #[arg(long, global = true, value_name = "ASID")]
    pub consumer_asid: Option<String>,

    /// Call the practice through the Spine Secure Proxy at this URL (overrides ssp_url_prefix).
    #[arg(long, global = true, value_name = "URL")]
    pub ssp_url_prefix: Option<String>,

    /// FHIR format on the wire: json or xml (overrides format).
    #[arg(long, global = true, value_name = "FORMAT")]
    pub fhir_format: Option<String>,

    /// Seconds an exchange with the practice may take (overrides timeout_seconds).
    #[arg(long, global = true, value_name = "SECONDS")]
    pub timeout: Option<u64>,

    /// Print the result as JSON on standard output (errors too), instead of tables.
    #[arg(long, global = true)]
    pub json: bool,
}

impl ConsumerOptions {
    /// The layered settings: the file, then the environment, then the flags.
    pub fn source(&self) -> Result<ConfigSource, CliError> {
        let file = match &self.config {
            Some(path) => ConfigSource::from_file(path)?,
            None => ConfigSource::default(),
        };
        Ok(file
            .overlay(ConfigSource::from_env()?)
            .overlay(self.flags()))
    }

    /// The client configuration the layers give.
    pub fn load(&self) -> Result<ClientConfig, CliError> {
        Ok(self.source()?.build()?)
    }

    /// A client for the configured practice.
    pub fn client(&self) -> Result<GpConnectClient, CliError> {
        Ok(GpConnectClient::new(self.load()?)?)
    }

    /// The settings given as flags.
    fn flags(&self) -> ConfigSource {
        ConfigSource {
            base_url: self.base_url.clone(),
            provider_asid: self.provider_asid.clone(),
            consumer_asid: self.consumer_asid.clone(),
            ssp_url_prefix: self.ssp_url_prefix.clone(),
            format: self.fhir_format.clone(),
            timeout_seconds: self.timeout,
            ..ConfigSource::default()
        }
    }
}
