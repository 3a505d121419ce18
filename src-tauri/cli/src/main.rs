//! mtp-strava-uploader-cli: headless commands over the same engine, store and keyring as the app.

use clap::Parser;

/// Headless MTP Strava Uploader.
#[derive(Parser)]
#[command(version, about)]
struct Cli {}

fn main() {
    let _ = Cli::parse();
}
