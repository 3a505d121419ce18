//! The `mtp-strava-uploader://` scheme: every URL that reaches the app (the startup URL from
//! `get_current()`, later ones from `on_open_url`, second launches through single-instance) goes
//! to the engine's one callback router, which accepts each sign-in state once. Refusals change
//! nothing and are logged without the URL (its query or fragment can carry a code or token).

use tauri::{AppHandle, Manager};
use tauri_plugin_deep_link::DeepLinkExt;

use crate::engine_state::EngineState;

/// A second launch: bring this window forward (its deep-link URL is delivered by the deep-link
/// plugin through `on_open_url`, thanks to single-instance's `deep-link` feature).
pub fn on_second_instance(app: &AppHandle, _args: Vec<String>, _cwd: String) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}

/// Registers the scheme (Linux, in the background), routes the startup URL and later ones.
pub fn setup(app: &AppHandle) {
    register_scheme(app);
    match app.deep_link().get_current() {
        Ok(Some(urls)) => urls.iter().for_each(|url| route(app, url.as_str())),
        Ok(None) => {}
        Err(err) => log::warn!("deep link: could not read the startup URL: {err}"),
    }
    let handle = app.clone();
    app.deep_link().on_open_url(move |event| {
        event
            .urls()
            .iter()
            .for_each(|url| route(&handle, url.as_str()));
    });
}

/// On Linux the scheme handler is a .desktop file plus `xdg-mime` (`update-desktop-database`
/// from desktop-file-utils); it runs on its own thread so a slow tool never delays the window.
/// Failure is only logged: the loopback redirect mode still works. The installed package
/// registers nothing: its own desktop entry claims the scheme, and a per-user copy would
/// shadow it.
#[cfg(target_os = "linux")]
fn register_scheme(app: &AppHandle) {
    if runs_as_installed_package(app) {
        return;
    }
    let app = app.clone();
    std::thread::spawn(move || {
        if let Err(err) = app.deep_link().register_all() {
            log::warn!("deep link: could not register the mtp-strava-uploader:// scheme: {err}");
        }
    });
}

/// True for the binary the .deb or .rpm installed: `<prefix>/bin/…` under /usr, with the
/// package's desktop entry `<prefix>/share/applications/<product name>.desktop` (the bundler
/// names it after the product) beside it.
#[cfg(target_os = "linux")]
fn runs_as_installed_package(app: &AppHandle) -> bool {
    let (Ok(exe), Some(product)) = (std::env::current_exe(), &app.config().product_name) else {
        return false;
    };
    let Some(prefix) = exe.parent().and_then(std::path::Path::parent) else {
        return false;
    };
    prefix.starts_with("/usr")
        && prefix
            .join("share/applications")
            .join(format!("{product}.desktop"))
            .is_file()
}

#[cfg(not(target_os = "linux"))]
fn register_scheme(_app: &AppHandle) {}

/// Hands `url` to the router off the main thread (it reads the settings from the store). A
/// repeat of an accepted link is ignored silently; a refusal is logged with its reason only.
fn route(app: &AppHandle, url: &str) {
    let accounts = match app.state::<EngineState>().accounts() {
        Ok(accounts) => accounts,
        Err(error) => {
            log::warn!("deep link ignored: {}", error.message);
            return;
        }
    };
    let url = url.to_string();
    tauri::async_runtime::spawn_blocking(move || {
        if let Err(refused) = accounts.handle_callback(&url) {
            eprintln!("deep link: {refused}");
        }
    });
}
