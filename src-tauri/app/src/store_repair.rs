//! A damaged database at start: the app offers to move it aside (its upload history exported
//! first when it can be read) and starts fresh, instead of opening without a library forever.

use mtp_engine::{EngineConfig, ErrorCode};
use tauri::{AppHandle, Manager};
use tauri_plugin_dialog::{DialogExt, MessageDialogButtons, MessageDialogKind};

use crate::engine_state::EngineState;

/// When the engine could not open because its database is damaged, asks (off the main thread)
/// whether to move it aside; on yes, reopens the engine and reloads the window.
pub fn offer_fresh_start(app: &AppHandle) {
    let Err(error) = app.state::<EngineState>().engine() else {
        return;
    };
    if error.code != ErrorCode::StoreCorrupt {
        return;
    }
    let app = app.clone();
    std::thread::spawn(move || {
        let question = format!(
            "{}\n\nMove the damaged database aside and start with an empty history? Your sequence \
             folders are not touched, and the upload history is saved as a JSON file first if it \
             can still be read.",
            error.message
        );
        let accepted = app
            .dialog()
            .message(question)
            .title("The app's database is damaged")
            .kind(MessageDialogKind::Warning)
            .buttons(MessageDialogButtons::OkCancelCustom(
                "Move it aside and start fresh".into(),
                "Not now".into(),
            ))
            .blocking_show();
        if accepted {
            start_fresh(&app);
        }
    });
}

fn start_fresh(app: &AppHandle) {
    let outcome =
        EngineConfig::from_env().and_then(|config| mtp_engine::set_aside_damaged(&config.data_dir));
    let text = match outcome {
        Ok(set_aside) => {
            if let Err(error) = app.state::<EngineState>().reopen() {
                log::error!("the fresh database did not open: {}", error.message);
            }
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.reload();
            }
            match (set_aside.history_export, set_aside.export_problem) {
                (Some(export), _) => format!(
                    "The damaged database is now {}. Your upload history was saved in {}.",
                    set_aside.moved_to.display(),
                    export.display()
                ),
                (None, problem) => format!(
                    "The damaged database is now {}. Its upload history could not be read ({}).",
                    set_aside.moved_to.display(),
                    problem.unwrap_or_default()
                ),
            }
        }
        Err(error) => format!("The damaged database could not be moved aside: {error}"),
    };
    app.dialog()
        .message(text)
        .title("MTP Strava Uploader")
        .blocking_show();
}
