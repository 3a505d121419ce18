//! MTP Strava Uploader: the Tauri 2 shell. Glue only: plugins, commands over the engine, the
//! window's drag and drop, and sign-in callbacks routed to the engine. Domain logic lives in
//! `mtp-engine`.

// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod accounts;
mod checks;
mod commands;
mod deep_link;
mod diagnostics;
mod drop;
mod engine_state;
mod events;
mod library_watch;
mod logging;
mod notifications;
mod store_repair;
mod uploads;

use engine_state::EngineState;
use tauri::Manager;

fn main() {
    disable_dmabuf_renderer_unless_set();
    let engine = EngineState::open_from_env();

    let app = tauri::Builder::default()
        // Single-instance comes first: a second launch (for example by a deep link) hands its
        // arguments to this process and exits, before any other plugin touches anything.
        .plugin(tauri_plugin_single_instance::init(
            deep_link::on_second_instance,
        ))
        .plugin(logging::plugin())
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .manage(engine)
        .manage(uploads::UploadsState::default())
        .manage(events::EventChannel::default())
        .manage(library_watch::LibraryWatchState::default())
        .invoke_handler(commands::command_handlers![
            commands::scan_library,
            commands::add_paths,
            commands::remove_root,
            commands::sequence_detail,
            accounts::accounts_status,
            accounts::accounts_settings,
            accounts::save_accounts_settings,
            accounts::set_strava_client_secret,
            accounts::start_sign_in,
            accounts::cancel_sign_in,
            accounts::disconnect,
            diagnostics::copy_diagnostics,
            events::subscribe_events,
            commands::upload_sequences,
            commands::upload_queue,
            commands::pause_uploads,
            commands::resume_uploads,
            commands::cancel_uploads,
            commands::retry_upload,
            commands::upload_history,
            commands::upload_record,
            commands::sequence_upload,
            commands::upload_preferences,
            commands::save_upload_preferences,
            commands::open_link,
            commands::link_mtpw,
            commands::create_on_mtpw,
        ])
        .on_window_event(drop::on_window_event)
        .setup(|app| {
            // Only the first instance gets here (a second launch has handed over and exited).
            log_start(app.handle());
            store_repair::offer_fresh_start(app.handle());
            app.state::<EngineState>().scan_ahead();
            deep_link::setup(app.handle());
            uploads::resume_at_launch(app.handle());
            library_watch::start(app.handle());
            accounts::check_keyring_at_startup(app.handle());
            Ok(())
        })
        .build(tauri::generate_context!("../../tauri.conf.json"));

    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(err) => {
            log::error!("could not start: {err}");
            eprintln!("MTP Strava Uploader could not start: {err}");
            std::process::exit(1);
        }
    }
}

/// WebKitGTK's DMA-BUF renderer shows a blank window on some NVIDIA and Wayland systems; it is
/// off unless the user set the variable (README, Troubleshooting, names the next fallback).
/// Runs first, before any thread exists.
fn disable_dmabuf_renderer_unless_set() {
    const DMABUF: &str = "WEBKIT_DISABLE_DMABUF_RENDERER";
    if cfg!(target_os = "linux") && std::env::var_os(DMABUF).is_none() {
        std::env::set_var(DMABUF, "1");
    }
}

/// The first lines of a run: version, data folder, and the log level the setting asks for.
fn log_start(app: &tauri::AppHandle) {
    let package = app.package_info();
    let engine = app.state::<EngineState>();
    let detailed = engine
        .accounts()
        .ok()
        .and_then(|accounts| accounts.debug_log().ok())
        .unwrap_or(false);
    logging::set_detailed(detailed);
    match engine.engine() {
        Ok(engine) => log::info!(version = package.version.to_string().as_str(),
            data = engine.config().data_dir.display().to_string().as_str(); "started"),
        Err(error) => log::error!("started without its library: {}", error.message),
    }
}
