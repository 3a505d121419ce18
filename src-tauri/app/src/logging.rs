//! The app's log file: in the platform's log dir (on Linux ~/.local/share/mtp-strava-uploader/logs),
//! rotated by size, info and up by default, debug lines of our own crates with the "Detailed log"
//! setting or `RUST_LOG`. Lines are formatted by the engine, which cuts every URL's query.

use std::sync::atomic::{AtomicBool, Ordering};

use log::{Level, LevelFilter, Metadata};
use mtp_engine::diagnostics;
use tauri::plugin::TauriPlugin;
use tauri::Wry;
use tauri_plugin_log::{RotationStrategy, Target, TargetKind};

/// The current file's size at which it is rotated.
const MAX_FILE_BYTES: u128 = 2 * 1024 * 1024;
/// Rotated files kept besides the current one: at most 4 files, 8 MB.
const KEEP_ROTATED: usize = 3;
/// The log file's name (`.log` is added).
pub const FILE_NAME: &str = "mtp-strava-uploader";

/// Debug lines of our crates are written (the setting, or `RUST_LOG` at start).
static DEBUG: AtomicBool = AtomicBool::new(false);
/// `RUST_LOG` asked for debug: the setting cannot lower it for this run.
static DEBUG_FROM_ENV: AtomicBool = AtomicBool::new(false);

/// The log plugin: one file target, rotated, our format and filter.
pub fn plugin() -> TauriPlugin<Wry> {
    let from_env = std::env::var("RUST_LOG")
        .ok()
        .and_then(|value| diagnostics::level_from_env(&value))
        .is_some_and(|level| level >= LevelFilter::Debug);
    DEBUG_FROM_ENV.store(from_env, Ordering::Relaxed);
    DEBUG.store(from_env, Ordering::Relaxed);
    tauri_plugin_log::Builder::new()
        .clear_targets()
        .target(Target::new(TargetKind::LogDir {
            file_name: Some(FILE_NAME.into()),
        }))
        .max_file_size(MAX_FILE_BYTES)
        .rotation_strategy(RotationStrategy::KeepSome(KEEP_ROTATED))
        .level(LevelFilter::Debug)
        .filter(wanted)
        .format(|out, _message, record| {
            out.finish(format_args!("{}", diagnostics::format_line_now(record)))
        })
        .build()
}

/// Our crates at info (or debug); everything else (WebKit glue, D-Bus, HTTP) at warn and up.
fn wanted(metadata: &Metadata<'_>) -> bool {
    let target = metadata.target();
    let ours = target.starts_with("mtp_");
    let max = match (ours, DEBUG.load(Ordering::Relaxed)) {
        (true, true) => Level::Debug,
        (true, false) => Level::Info,
        (false, _) => Level::Warn,
    };
    metadata.level() <= max
}

/// Follows the "Detailed log" setting (at start and when it is saved).
pub fn set_detailed(detailed: bool) {
    let debug = detailed || DEBUG_FROM_ENV.load(Ordering::Relaxed);
    if DEBUG.swap(debug, Ordering::Relaxed) != debug {
        log::info!(detailed = debug; "log level changed");
    }
}
