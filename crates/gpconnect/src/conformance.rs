//! `gpconnect conformance`: runs the provider conformance suite (`gpconnect-conformance`)
//! against a provider's service root, printing one line per case and the closing count.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use gpconnect_conformance::{Feature, Fixture, Options};

/// The settings of `gpconnect conformance`.
#[derive(Debug, Clone, clap::Args)]
pub struct ConformanceArgs {
    /// The provider's service root, e.g. http://127.0.0.1:8080/A20047/STU3/1/gpconnect.
    #[arg(long, required_unless_present_any = ["print_config", "list"])]
    base_url: Option<String>,

    /// The provider's test data (TOML, or JSON for a .json file); the demo practice by default.
    #[arg(long)]
    config: Option<PathBuf>,

    /// Also write a JUnit XML report to this file.
    #[arg(long)]
    junit: Option<PathBuf>,

    /// How many cases run at once.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=64))]
    concurrency: u16,

    /// Run only this feature (repeatable), e.g. --feature PatientRead --feature JWT.
    #[arg(long = "feature", value_parser = parse_feature)]
    features: Vec<Feature>,

    /// Run only the cases whose `Feature scenario [row]` name contains this text.
    #[arg(long)]
    filter: Option<String>,

    /// Seconds one request may take.
    #[arg(long, default_value_t = 60)]
    request_timeout: u64,

    /// List the selected cases instead of running them.
    #[arg(long)]
    list: bool,

    /// Print the test data in use (the defaults, or --config over them) as TOML and exit.
    #[arg(long)]
    print_config: bool,
}

fn parse_feature(name: &str) -> Result<Feature, String> {
    Feature::parse(name).ok_or_else(|| {
        let names: Vec<&str> = Feature::ALL.iter().map(|f| f.name()).collect();
        format!("unknown feature {name:?}; one of {}", names.join(", "))
    })
}

/// Runs the command; the exit code is 0 when every case passed, 1 otherwise.
pub async fn run(args: ConformanceArgs) -> anyhow::Result<i32> {
    let fixture = match &args.config {
        Some(path) => Fixture::from_file(path)?,
        None => Fixture::demo(),
    };
    if args.print_config {
        print!("{}", fixture.to_toml()?);
        return Ok(0);
    }
    let mut options = Options::new(args.base_url.clone().unwrap_or_default(), fixture);
    options.concurrency = usize::from(args.concurrency);
    options.request_timeout = Duration::from_secs(args.request_timeout.max(1));
    options.features = args.features.clone();
    options.filter = args.filter.clone();
    if args.list {
        for name in gpconnect_conformance::case_names(&options) {
            println!("{name}");
        }
        return Ok(0);
    }
    let mut stdout = std::io::stdout();
    let report = gpconnect_conformance::run(&options, |result| {
        // A closed pipe (e.g. `| head`) must not stop the run.
        let _ = writeln!(stdout, "{}", result.line());
        let _ = stdout.flush();
    })
    .await?;
    for (feature, cases, failed) in report.per_feature() {
        eprintln!("{feature}: {cases} cases, {failed} failed");
    }
    let teardown = report.teardown;
    eprintln!(
        "teardown: {} appointments created, {} cancelled, {} could not be cancelled",
        teardown.created, teardown.cancelled, teardown.failed
    );
    if let Some(path) = &args.junit {
        std::fs::write(path, report.junit_xml())
            .with_context(|| format!("writing the JUnit report to {}", path.display()))?;
    }
    println!("{}", report.summary());
    Ok(if report.failed() == 0 { 0 } else { 1 })
}
