//! The Tauri commands the UI calls: each one forwards to the engine facade and returns a typed
//! result, or a sentence for the user.

use std::path::PathBuf;

use mtp_engine::{DropOutcome, LibraryRoot, LibraryScan, SequenceDetail};
use tauri::{AppHandle, State};

use crate::checks;
use crate::engine_state::EngineState;

/// The folders the library looks in.
#[tauri::command]
pub async fn library_roots(engine: State<'_, EngineState>) -> Result<Vec<LibraryRoot>, String> {
    engine.run(|engine| engine.roots()).await
}

/// Every sequence under every library folder, newest first (no track previews: the list stays
/// light). New or changed sequences come back `checking`; their final summaries follow as
/// `tracks-checked` events.
#[tauri::command]
pub async fn scan_library(
    app: AppHandle,
    engine: State<'_, EngineState>,
) -> Result<LibraryScan, String> {
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
    paths: Vec<String>,
) -> Result<DropOutcome, String> {
    let paths: Vec<PathBuf> = paths.into_iter().map(PathBuf::from).collect();
    engine.run(move |engine| engine.add_paths(&paths)).await
}

/// Removes a folder from the library (the files on disk are left alone).
#[tauri::command]
pub async fn remove_root(engine: State<'_, EngineState>, path: String) -> Result<(), String> {
    engine.run(move |engine| engine.remove_root(&path)).await
}

/// One sequence with its track preview, fetched when the detail view opens.
#[tauri::command]
pub async fn sequence_detail(
    engine: State<'_, EngineState>,
    id: String,
) -> Result<SequenceDetail, String> {
    engine.run(move |engine| engine.sequence_detail(&id)).await
}
