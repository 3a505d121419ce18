//! MTP Strava Uploader: the Tauri 2 shell. Glue only: plugins, commands over the engine, the
//! window's drag and drop, and sign-in callbacks routed to the engine. Domain logic lives in
//! `mtp-engine`.

// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod accounts;
mod checks;
mod commands;
mod deep_link;
mod drop;
mod engine_state;
mod events;
mod notifications;
mod uploads;

use engine_state::EngineState;
use tauri::Manager;

fn main() {
    let engine = EngineState::open_from_env();

    let app = tauri::Builder::default()
        // Single-instance comes first: a second launch (for example by a deep link) hands its
        // arguments to this process and exits, before any other plugin touches anything.
        .plugin(tauri_plugin_single_instance::init(
            deep_link::on_second_instance,
        ))
        .plugin(tauri_plugin_deep_link::init())
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_notification::init())
        .manage(engine)
        .manage(uploads::UploadsState::default())
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
            commands::upload_sequences,
            commands::upload_queue,
            commands::pause_uploads,
            commands::resume_uploads,
            commands::cancel_uploads,
            commands::retry_upload,
            commands::upload_history,
            commands::upload_record,
            commands::open_link,
            commands::link_mtpw,
            commands::create_on_mtpw,
        ])
        .on_window_event(drop::on_window_event)
        .setup(|app| {
            // Only the first instance gets here (a second launch has handed over and exited).
            app.state::<EngineState>().scan_ahead();
            deep_link::setup(app.handle());
            uploads::resume_at_launch(app.handle());
            accounts::check_keyring_at_startup(app.handle());
            Ok(())
        })
        .build(tauri::generate_context!("../../tauri.conf.json"));

    match app {
        Ok(app) => app.run(|_, _| {}),
        Err(err) => {
            eprintln!("MTP Strava Uploader could not start: {err}");
            std::process::exit(1);
        }
    }
}
