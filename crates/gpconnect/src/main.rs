//! `gpconnect`: runs the GP Connect 1.2.7 provider.

mod conformance;

use clap::{Parser, Subcommand};
use gpconnect_server::demo_command::DemoCommand;
use gpconnect_server::limits_command::LimitsCommand;
use gpconnect_server::ServeArgs;
use tracing_subscriber::EnvFilter;

/// mimalloc instead of the C library's allocator: a request allocates and frees many small
/// buffers on whichever worker thread runs it, which glibc's per-arena locking and
/// consolidation make a visible share of a cached search's CPU time.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// GP Connect 1.2.7 (Foundations and Appointment Management) provider.
#[derive(Debug, Parser)]
#[command(name = "gpconnect", version, about)]
struct Cli {
    /// Log filter: a level (error, warn, info, debug, trace) or a tracing directive list.
    #[arg(long, global = true, env = "GPCONNECT_LOG", default_value = "info")]
    log: String,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve every practice in the database at /{ODS}/STU3/1/gpconnect.
    Serve(ServeArgs),
    /// Maintain the demo data (`demo reset` loads it afresh, keeping the audit trail).
    #[command(subcommand)]
    Demo(DemoCommand),
    /// A practice's organisation access limits (SPEC 5): how many slots a day organisation
    /// types or named organisations may book.
    #[command(subcommand)]
    Limits(LimitsCommand),
    #[command(flatten)]
    Consumer(gpconnect::consumer::ConsumerCommand),
    /// Run the provider conformance suite (the assurance scenarios) against a service root.
    Conformance(conformance::ConformanceArgs),
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(&cli.log)?)
        .with_writer(std::io::stderr)
        .init();
    match cli.command {
        Command::Serve(args) => gpconnect_server::serve::run(args).await?,
        Command::Demo(command) => {
            for line in gpconnect_server::demo_command::run(command).await? {
                println!("{line}");
            }
        }
        Command::Limits(command) => {
            for line in gpconnect_server::limits_command::run(command).await? {
                println!("{line}");
            }
        }
        Command::Consumer(command) => std::process::exit(gpconnect::consumer::run(command).await),
        Command::Conformance(args) => std::process::exit(conformance::run(args).await?),
    }
    Ok(())
}
