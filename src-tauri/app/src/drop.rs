//! Drag and drop onto the window: dropped paths go to the engine's `add_paths`, and the outcome
//! goes to the UI as an event.

use std::path::PathBuf;

use tauri::{DragDropEvent, Emitter, Manager, Window, WindowEvent};

use crate::engine_state::EngineState;
use crate::events::{DropHover, DROP_FAILED, DROP_HOVER, DROP_OUTCOME};

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
    if let Err(err) = window.emit(DROP_HOVER, DropHover { active }) {
        eprintln!("drop: could not send the hover state to the UI: {err}");
    }
}

/// Hands the paths to the engine off the main thread and reports the outcome to the UI.
fn add_dropped(window: &Window, paths: Vec<PathBuf>) {
    if paths.is_empty() {
        return;
    }
    let window = window.clone();
    tauri::async_runtime::spawn(async move {
        let engine = window.state::<EngineState>();
        let sent = match engine.run(move |engine| engine.add_paths(&paths)).await {
            Ok(outcome) => window.emit(DROP_OUTCOME, outcome),
            Err(message) => window.emit(DROP_FAILED, message),
        };
        if let Err(err) = sent {
            eprintln!("drop: could not send the outcome to the UI: {err}");
        }
    });
}
