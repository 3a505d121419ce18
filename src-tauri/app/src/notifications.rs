//! The desktop notification when an upload batch ends: sent from Rust, with the engine's text
//! (counts, and the names of what was uploaded); the window keeps its own notice too. The webview gets no notification rights.

use mtp_engine::uploads::{batch_end_notice_of, QueueSnapshot};
use tauri::AppHandle;
use tauri_plugin_notification::NotificationExt;

/// Tells the desktop that the batch in `snapshot` ended, with its counts and what was uploaded. A failure (no
/// notification server) is only logged: the window shows the same outcome.
pub fn batch_ended(app: &AppHandle, snapshot: &QueueSnapshot) {
    let Some(notice) = batch_end_notice_of(&snapshot.rows) else {
        return;
    };
    let shown = app
        .notification()
        .builder()
        .title(notice.title)
        .body(notice.body)
        .show();
    if let Err(err) = shown {
        log::warn!("upload queue: the desktop notification could not be sent: {err}");
    }
}
