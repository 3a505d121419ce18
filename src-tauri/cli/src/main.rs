//! mtp-strava-uploader-cli: headless commands over the same engine, store and keyring as the app.

mod accounts;
mod history;
mod list;
mod tokens;
mod upload;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};
use mtp_engine::settings::Provider;
use mtp_engine::uploads::EnqueueOptions;
use mtp_engine::{Engine, EngineConfig, EngineError};

/// Headless MTP Strava Uploader.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Sign in to a service (opens the browser).
    Login {
        #[arg(value_enum)]
        service: Service,
    },
    /// Forget the sign-in of a service.
    Logout {
        #[arg(value_enum)]
        service: Service,
    },
    /// The library, with each sequence's status and upload state.
    List {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Upload sequences to Strava and mark them on Map the Paths; the exit code is 0 only
    /// when every one reached "done".
    Upload {
        /// Sequence folders, or folders of sequences.
        #[arg(
            required_unless_present = "all_pending",
            conflicts_with = "all_pending"
        )]
        paths: Vec<PathBuf>,
        /// Every ready sequence in the library that is not uploaded yet.
        #[arg(long)]
        all_pending: bool,
        /// Also upload sequences MTP Desktop Uploader already uploaded.
        #[arg(long)]
        force: bool,
        /// Keep the activities off your followers' home feeds (Strava's hide_from_home), as
        /// for a backfill of old sequences.
        #[arg(long)]
        hide_from_home: bool,
    },
    /// Past uploads, newest first.
    History {
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Only records whose name, folder, MTPW id, activity id or message contains this.
        #[arg(long)]
        search: Option<String>,
        /// How many records to show.
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Move a damaged database aside and start fresh (its upload history is exported to a
    /// JSON file first when it can still be read). Sequence folders are not touched.
    ResetStore,
}

#[derive(Clone, Copy, ValueEnum)]
enum Service {
    Strava,
    Mtpw,
}

impl Service {
    fn provider(self) -> Provider {
        match self {
            Self::Strava => Provider::Strava,
            Self::Mtpw => Provider::Mtpw,
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start: {err}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli.command)) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err}");
            if matches!(err, EngineError::StoreCorrupt { .. }) {
                eprintln!("To start fresh: mtp-strava-uploader-cli reset-store");
            }
            ExitCode::from(1)
        }
    }
}

async fn run(command: Command) -> Result<ExitCode, EngineError> {
    match command {
        Command::Login { service } => accounts::login(&open_engine()?, service.provider()).await,
        Command::Logout { service } => accounts::logout(&open_engine()?, service.provider()).await,
        Command::List { json } => list::run(open_engine()?, json).await,
        Command::History {
            json,
            search,
            limit,
        } => history::run(open_engine()?, json, search, limit).await,
        Command::Upload {
            paths,
            all_pending,
            force,
            hide_from_home,
        } => {
            let options = EnqueueOptions {
                insist: force,
                hide_from_home,
            };
            upload::run(open_engine()?, &paths, all_pending, options).await
        }
        Command::ResetStore => reset_store(),
    }
}

fn reset_store() -> Result<ExitCode, EngineError> {
    let set_aside = mtp_engine::set_aside_damaged(&EngineConfig::from_env()?.data_dir)?;
    println!("The database is now {}.", set_aside.moved_to.display());
    match (set_aside.history_export, set_aside.export_problem) {
        (Some(export), _) => println!("The upload history was saved in {}.", export.display()),
        (None, problem) => println!(
            "The upload history could not be read: {}.",
            problem.unwrap_or_default()
        ),
    }
    Ok(ExitCode::SUCCESS)
}

fn open_engine() -> Result<Engine, EngineError> {
    Engine::open(EngineConfig::from_env()?)
}
