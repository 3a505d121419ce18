//! The Accounts commands over the engine's `Accounts`: status, settings, the Strava Client
//! Secret, sign-in and disconnect. A started sign-in waits on its own task and tells the UI how
//! it ended (`accounts-changed`, `sign-in-failed`). Every keyring call runs on a blocking thread
//! inside the engine's async methods, never on the main thread.

use mtp_engine::accounts::{AuthError, SignIn};
use mtp_engine::ipc::{self, SignInFailed, SignInStarted};
use mtp_engine::secrets::Secret;
use mtp_engine::UserError;
use mtp_services::oauth::CallbackError;
use tauri::{AppHandle, Manager, State};

use crate::engine_state::EngineState;
use crate::events::emit;

/// Both accounts and whether the keyring works.
#[tauri::command]
pub async fn accounts_status(
    engine: State<'_, EngineState>,
) -> Result<ipc::answer::ACCOUNTS_STATUS, UserError> {
    Ok(engine.accounts()?.status().await)
}

/// The sign-in settings in effect, saying which come from the environment.
#[tauri::command]
pub async fn accounts_settings(
    engine: State<'_, EngineState>,
) -> Result<ipc::answer::ACCOUNTS_SETTINGS, UserError> {
    Ok(engine.accounts()?.settings().await?)
}

/// Saves the Accounts view's changes (nothing is saved when one is refused).
#[tauri::command]
pub async fn save_accounts_settings(
    engine: State<'_, EngineState>,
    args: ipc::args::SAVE_ACCOUNTS_SETTINGS,
) -> Result<ipc::answer::SAVE_ACCOUNTS_SETTINGS, UserError> {
    let settings = engine.accounts()?.save_settings(args).await?;
    crate::logging::set_detailed(settings.debug_log);
    Ok(settings)
}

/// Puts the Strava Client Secret in the keyring (empty: removes it); it never comes back.
#[tauri::command]
pub async fn set_strava_client_secret(
    engine: State<'_, EngineState>,
    args: ipc::args::SET_STRAVA_CLIENT_SECRET,
) -> Result<ipc::answer::SET_STRAVA_CLIENT_SECRET, UserError> {
    let accounts = engine.accounts()?;
    accounts
        .set_strava_client_secret(Secret::new(args.secret))
        .await?;
    Ok(accounts.settings().await?)
}

/// Starts a sign-in in the saved redirect mode, opens the browser, and returns at once with
/// the authorize URL (shown with Copy in case no browser opened). A sign-in of the same
/// service that still waits is cancelled first.
#[tauri::command]
pub async fn start_sign_in(
    app: AppHandle,
    engine: State<'_, EngineState>,
    args: ipc::args::START_SIGN_IN,
) -> Result<ipc::answer::START_SIGN_IN, UserError> {
    let accounts = engine.accounts()?;
    let mode = accounts.settings().await?.redirect_mode;
    accounts.cancel_sign_in(args.provider);
    let sign_in = accounts.start_sign_in(args.provider, mode).await?;
    let browser_error = match sign_in.open_browser().await {
        Ok(()) => None,
        Err(error) => {
            log::warn!("sign-in: the browser could not be opened: {error}");
            Some(error.to_string())
        }
    };
    let started = SignInStarted {
        provider: sign_in.provider,
        mode: sign_in.mode,
        authorize_url: sign_in.authorize_url.clone(),
        redirect_uri: sign_in.redirect_uri.clone(),
        browser_error,
    };
    tauri::async_runtime::spawn(finish(app, sign_in));
    Ok(started)
}

/// Stops waiting for the browser.
#[tauri::command]
pub async fn cancel_sign_in(
    engine: State<'_, EngineState>,
    args: ipc::args::CANCEL_SIGN_IN,
) -> Result<ipc::answer::CANCEL_SIGN_IN, UserError> {
    engine.accounts()?.cancel_sign_in(args.provider);
    Ok(())
}

/// Signs out: Strava is asked to revoke; the keyring entries go whatever the network says.
#[tauri::command]
pub async fn disconnect(
    engine: State<'_, EngineState>,
    args: ipc::args::DISCONNECT,
) -> Result<ipc::answer::DISCONNECT, UserError> {
    Ok(engine.accounts()?.disconnect(args.provider).await?)
}

/// Waits for the sign-in's callback (deep link or loopback), then tells the UI. A cancelled
/// sign-in only refreshes the status: the user asked for it.
async fn finish(app: AppHandle, sign_in: SignIn) {
    let provider = sign_in.provider;
    let outcome = sign_in.wait().await;
    let status = match outcome {
        Ok(status) => {
            bring_forward(&app);
            status
        }
        Err(error) => {
            if !matches!(error, AuthError::Callback(CallbackError::Cancelled { .. })) {
                log::warn!(provider = provider.name(); "sign-in failed: {error}");
                let failure = SignInFailed {
                    provider,
                    error: UserError::from(error),
                };
                emit(&app, ipc::SIGN_IN_FAILED, failure, "sign-in");
            }
            match app.state::<EngineState>().accounts() {
                Ok(accounts) => accounts.status().await,
                Err(_) => return,
            }
        }
    };
    emit(&app, ipc::ACCOUNTS_CHANGED, status, "sign-in");
}

/// Startup check that a real keyring is there (the Accounts view says so too); logged only.
pub fn check_keyring_at_startup(app: &AppHandle) {
    let Ok(accounts) = app.state::<EngineState>().accounts() else {
        return;
    };
    tauri::async_runtime::spawn(async move {
        if let Err(error) = accounts.check_keyring().await {
            log::warn!("accounts: {error}");
        }
    });
}

/// The window comes back to the front once the browser handed the sign-in over.
fn bring_forward(app: &AppHandle) {
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
}
