//! Drag and drop onto the window: dropped paths go to the engine's `add_paths`, and the outcome
//! goes to the UI as an event.

use std::path::PathBuf;

use mtp_engine::ipc::{self, DropHover};
use tauri::{DragDropEvent, Manager, Window, WindowEvent};

use crate::engine_state::EngineState;
use crate::events::emit;

/// Window event hook: reacts to drag-and-drop events only.
pub fn on_window_event(window: &Window, event: &WindowEvent) {
    let WindowEvent::DragDrop(drag) = event else {
        return;
    };
    match drag {
        DragDropEvent::Enter { .. } => emit_hover(window, true),
        // Over repeats with every mouse move; the overlay is already up since Enter.
        DragDropEvent::Over { .. } => {}
        DragDropEvent::Leave => emit_hover(window, false),
        DragDropEvent::Drop { paths, .. } => {
            emit_hover(window, false);
            add_dropped(window, paths.clone());
        }
        _ => {}
    }
}

fn emit_hover(window: &Window, active: bool) {
    emit(window, ipc::DROP_HOVER, DropHover { active }, "drop");
}

/// Hands the paths to the engine off the main thread and reports the outcome to the UI.
fn add_dropped(window: &Window, paths: Vec<PathBuf>) {
    if paths.is_empty() {
        return;
    }
    let window = window.clone();
    tauri::async_runtime::spawn(async move {
        let engine = window.state::<EngineState>();
        match engine.run(move |engine| engine.add_paths(&paths)).await {
            Ok(outcome) => emit(&window, ipc::DROP_OUTCOME, outcome, "drop"),
            Err(error) => emit(&window, ipc::DROP_FAILED, error, "drop"),
        }
    });
}
