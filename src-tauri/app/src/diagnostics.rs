//! "Copy diagnostics": the engine's report with the app's versions and log folder, put on the
//! clipboard from here (GTK on Linux), so the UI needs no clipboard permission.

use mtp_engine::diagnostics::{self, DiagnosticsContext};
use mtp_engine::ipc::{self, DiagnosticsCopy};
use mtp_engine::UserError;
use tauri::{AppHandle, Manager};

use crate::engine_state::EngineState;

/// Builds the report and copies it; `copied: false` where the app cannot (the UI copies then).
#[tauri::command]
pub async fn copy_diagnostics(
    app: AppHandle,
    engine: tauri::State<'_, EngineState>,
) -> Result<ipc::answer::COPY_DIAGNOSTICS, UserError> {
    let engine = engine.engine()?;
    let text = diagnostics::report(&engine, &context(&app)).await?;
    let copied = copy(&app, text.clone()).await;
    log::info!(copied, lines = text.lines().count(); "diagnostics report made");
    Ok(DiagnosticsCopy { text, copied })
}

fn context(app: &AppHandle) -> DiagnosticsContext {
    let package = app.package_info();
    let mut extra = vec![("Tauri".to_string(), tauri::VERSION.to_string())];
    if let Ok(webview) = tauri::webview_version() {
        extra.push(("WebView".to_string(), webview));
    }
    DiagnosticsContext {
        app: format!("{} {}", package.name, package.version),
        extra,
        log_dir: app.path().app_log_dir().ok(),
    }
}

/// The clipboard is GTK's, on the main thread; the answer waits until it is set.
#[cfg(target_os = "linux")]
async fn copy(app: &AppHandle, text: String) -> bool {
    let (done, set) = tokio::sync::oneshot::channel();
    let posted = app.run_on_main_thread(move || {
        let clipboard = gtk::Clipboard::get(&gtk::gdk::SELECTION_CLIPBOARD);
        clipboard.set_text(&text);
        clipboard.store();
        let _ = done.send(());
    });
    posted.is_ok() && set.await.is_ok()
}

#[cfg(not(target_os = "linux"))]
async fn copy(_app: &AppHandle, _text: String) -> bool {
    false
}
