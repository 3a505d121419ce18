//! The library watch as app state: started at launch (unless `MTP_LIBRARY_WATCH=off`), each
//! change told to the page and handed to automatic upload.

use std::path::PathBuf;
use std::sync::{Mutex, PoisonError};

use mtp_engine::ipc::{self, LibraryChanged};
use mtp_engine::{LibraryWatch, WatchOptions, WatchReport};
use tauri::{AppHandle, Manager};

use crate::engine_state::EngineState;
use crate::events::emit;
use crate::uploads::UploadsState;

/// The watches are made once the first list is shown (they cost a stat and a watch for each
/// sequence folder).
const WATCH_AFTER: std::time::Duration = std::time::Duration::from_secs(2);

/// The running watch (stopped when the app exits).
#[derive(Default)]
pub struct LibraryWatchState(Mutex<Option<LibraryWatch>>);

/// Starts watching the library, and queues what appeared while the app was closed when
/// automatic upload is on.
pub fn start(app: &AppHandle) {
    if std::env::var("MTP_LIBRARY_WATCH").as_deref() == Ok("off") {
        log::info!("library watch: off (MTP_LIBRARY_WATCH=off)");
    } else if let Ok(engine) = app.state::<EngineState>().engine() {
        let events = app.clone();
        let options = WatchOptions {
            start_after: WATCH_AFTER,
            ..WatchOptions::default()
        };
        match engine.watch_library(options, move |report| on_change(&events, report)) {
            Ok(watch) => {
                let state = app.state::<LibraryWatchState>();
                *state.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(watch);
            }
            Err(err) => log::warn!("library watch: could not start: {err}"),
        }
    }
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if let Ok(queue) = app.state::<UploadsState>().queue(&app).await {
            if let Err(err) = queue.enqueue_appeared_in_library().await {
                log::warn!("automatic upload: {err}");
            }
        }
    });
}

fn on_change(app: &AppHandle, report: WatchReport) {
    let change = LibraryChanged {
        changed: u32::try_from(report.folders.len()).unwrap_or(u32::MAX),
        roots_changed: report.roots_changed,
        notice: report.notice,
    };
    emit(app, ipc::LIBRARY_CHANGED, change, "library watch");
    if !report.folders.is_empty() {
        queue_appeared(app.clone(), report.folders);
    }
}

/// Hands the changed folders to automatic upload (which does nothing when it is off).
fn queue_appeared(app: AppHandle, folders: Vec<PathBuf>) {
    tauri::async_runtime::spawn(async move {
        let queue = match app.state::<UploadsState>().queue(&app).await {
            Ok(queue) => queue,
            Err(error) => return log::warn!("automatic upload: {}", error.message),
        };
        if let Err(err) = queue.enqueue_appeared(&folders).await {
            log::warn!("automatic upload: {err}");
        }
    });
}
