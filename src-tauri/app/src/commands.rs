//! The Tauri commands the UI calls, as declared in `mtp_engine::ipc`: each one forwards to the
//! engine facade and returns a typed result, or a `UserError` (code + sentence).

use std::path::PathBuf;

use mtp_engine::ipc::{self, AddPathsArgs, Command, RemoveRootArgs, SequenceDetailArgs};
use mtp_engine::{DropOutcome, LibraryScan, SequenceDetail, UserError};
use tauri::{AppHandle, State};

use crate::checks;
use crate::engine_state::EngineState;

/// Registers the commands: the same list must equal `mtp_engine::ipc::COMMAND_NAMES` (checked
/// at compile time), so the UI's generated bindings name exactly what the shell answers.
macro_rules! command_handlers {
    ($($name:ident),* $(,)?) => {{
        const REGISTERED: &[&str] = &[$(stringify!($name)),*];
        const _: () = assert!(
            $crate::commands::same_names(REGISTERED, mtp_engine::ipc::COMMAND_NAMES),
            "the registered commands differ from mtp_engine::ipc::COMMAND_NAMES"
        );
        tauri::generate_handler![$($crate::commands::$name),*]
    }};
}
pub(crate) use command_handlers;

// Each command's argument and result types are the declared ones (a mismatch does not compile).
const _: Command<(), LibraryScan> = ipc::SCAN_LIBRARY;
const _: Command<AddPathsArgs, DropOutcome> = ipc::ADD_PATHS;
const _: Command<RemoveRootArgs, ()> = ipc::REMOVE_ROOT;
const _: Command<SequenceDetailArgs, SequenceDetail> = ipc::SEQUENCE_DETAIL;

/// Every sequence under every library folder, newest first (no track previews: the list stays
/// light). New or changed sequences come back `checking`; their final summaries follow as
/// `tracks-checked` events.
#[tauri::command]
pub async fn scan_library(
    app: AppHandle,
    engine: State<'_, EngineState>,
) -> Result<LibraryScan, UserError> {
    let scan = engine.run(|engine| engine.scan()).await?;
    if scan.pending_tracks > 0 {
        checks::check_in_background(app);
    }
    Ok(scan)
}

/// Adds folders chosen with "Add folder…": the same decision as a drop onto the window.
#[tauri::command]
pub async fn add_paths(
    engine: State<'_, EngineState>,
    args: AddPathsArgs,
) -> Result<DropOutcome, UserError> {
    let paths: Vec<PathBuf> = args.paths.into_iter().map(PathBuf::from).collect();
    engine.run(move |engine| engine.add_paths(&paths)).await
}

/// Removes a folder from the library (the files on disk are left alone).
#[tauri::command]
pub async fn remove_root(
    engine: State<'_, EngineState>,
    args: RemoveRootArgs,
) -> Result<(), UserError> {
    engine
        .run(move |engine| engine.remove_root(&args.path))
        .await
}

/// One sequence with its track preview and photo count, fetched when the detail view opens.
#[tauri::command]
pub async fn sequence_detail(
    engine: State<'_, EngineState>,
    args: SequenceDetailArgs,
) -> Result<SequenceDetail, UserError> {
    engine
        .run(move |engine| engine.sequence_detail(&args.id))
        .await
}

/// True when both lists hold the same names (each list's names are unique).
pub const fn same_names(a: &[&str], b: &[&str]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if !contains(b, a[i]) {
            return false;
        }
        i += 1;
    }
    true
}

const fn contains(list: &[&str], name: &str) -> bool {
    let mut i = 0;
    while i < list.len() {
        if same_text(list[i], name) {
            return true;
        }
        i += 1;
    }
    false
}

const fn same_text(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}
