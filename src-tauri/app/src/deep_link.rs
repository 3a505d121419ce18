//! The `mtp-strava-uploader://` scheme. Sign-in arrives in a later version; for now URLs that
//! reach the app are only logged, without their query or fragment (no UI listens for them yet).

use tauri::{AppHandle, Manager};
use tauri_plugin_deep_link::DeepLinkExt;

/// A second launch: bring this window forward (its deep-link URL is delivered by the deep-link
/// plugin through `on_open_url`, thanks to single-instance's `deep-link` feature).
pub fn on_second_instance(app: &AppHandle, _args: Vec<String>, _cwd: String) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Registers the scheme (Linux, in the background), and logs the startup URL and later ones.
pub fn setup(app: &AppHandle) {
    register_scheme(app);
    match app.deep_link().get_current() {
        Ok(Some(urls)) => urls.iter().for_each(|url| forward(app, url.as_str())),
        Ok(None) => {}
        Err(err) => eprintln!("deep link: could not read the startup URL: {err}"),
    }
    let handle = app.clone();
    app.deep_link().on_open_url(move |event| {
        event
            .urls()
            .iter()
            .for_each(|url| forward(&handle, url.as_str()));
    });
}

/// On Linux the scheme handler is a .desktop file plus `xdg-mime`; writing it is cheap, but it
/// runs on its own thread so a slow `xdg-mime` never delays the window. Failure is only logged.
#[cfg(target_os = "linux")]
fn register_scheme(app: &AppHandle) {
    let app = app.clone();
    std::thread::spawn(move || {
        if let Err(err) = app.deep_link().register_all() {
            eprintln!("deep link: could not register the mtp-strava-uploader:// scheme: {err}");
        }
    });
}

#[cfg(not(target_os = "linux"))]
fn register_scheme(_app: &AppHandle) {}

/// Logs only the scheme and path: a callback URL can carry a code or token in its query or
/// fragment, and those never go to logs or the UI.
fn forward(_app: &AppHandle, url: &str) {
    let shown = url.split(['?', '#']).next().unwrap_or_default();
    eprintln!("deep link received: {shown}");
}
