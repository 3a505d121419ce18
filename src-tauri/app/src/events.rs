//! The declared events (`mtp_engine::ipc`) and how they reach the window: through the channel
//! the UI hands over with `subscribe_events`, never as app-wide events. The window has no
//! permission to listen to those, so nothing broadcast app-wide (the deep-link plugin sends
//! every callback URL, code or token included) reaches the page. The name and payload type
//! come from the declaration: the shell cannot send an event the UI does not know.

use std::sync::{Mutex, PoisonError};

use mtp_engine::ipc::{self, Event};
use mtp_engine::{ErrorCode, UserError};
use serde::Serialize;
use tauri::ipc::{Channel, JavaScriptChannelId};
use tauri::{Manager, Runtime, Webview};

/// The page's event channel (one window; a reloaded page's channel replaces the old one).
#[derive(Default)]
pub struct EventChannel(Mutex<Option<Channel<serde_json::Value>>>);

/// Takes the page's channel for every declared event.
#[tauri::command]
pub fn subscribe_events<R: Runtime>(
    webview: Webview<R>,
    channel: tauri::State<'_, EventChannel>,
    args: ipc::args::SUBSCRIBE_EVENTS,
) -> Result<ipc::answer::SUBSCRIBE_EVENTS, UserError> {
    let id: JavaScriptChannelId = args
        .channel
        .parse()
        .map_err(|_| UserError::new(ErrorCode::InvalidInput, "subscribe_events needs a channel"))?;
    *channel.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(id.channel_on(webview));
    Ok(())
}

/// Sends `event` with its declared payload type to the page; a failure is only logged (`what`
/// says which). Before the page subscribed there is no one to tell.
pub fn emit<R: Runtime, P: Serialize>(
    target: &impl Manager<R>,
    event: Event<P>,
    payload: P,
    what: &str,
) {
    let Some(state) = target.try_state::<EventChannel>() else {
        return;
    };
    let channel = state
        .0
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .clone();
    let Some(channel) = channel else {
        return;
    };
    let message = serde_json::json!({ "event": event.name, "payload": payload });
    if let Err(err) = channel.send(message) {
        log::warn!("{what}: could not send `{}` to the UI: {err}", event.name);
    }
}
