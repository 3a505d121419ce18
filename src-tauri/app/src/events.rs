//! Emitting the events declared in `mtp_engine::ipc`: the name and payload type come from the
//! declaration, so the shell cannot send an event the UI does not know, or the wrong payload.

use mtp_engine::ipc::Event;
use serde::Serialize;
use tauri::{Emitter, Runtime};

/// Emits `event` with its declared payload type; a failure is only logged (`what` says which).
pub fn emit<R: Runtime, P: Serialize + Clone>(
    target: &impl Emitter<R>,
    event: Event<P>,
    payload: P,
    what: &str,
) {
    if let Err(err) = target.emit(event.name, payload) {
        log::warn!("{what}: could not send `{}` to the UI: {err}", event.name);
    }
}
