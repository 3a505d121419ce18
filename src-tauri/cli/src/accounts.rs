//! `login` and `logout`: the app's sign-in, with the loopback redirect.

use std::process::ExitCode;

use mtp_engine::settings::{Provider, RedirectMode};
use mtp_engine::{Engine, EngineError};

/// Opens the authorize URL ($BROWSER first), prints it too, waits for the callback, stores the tokens.
pub async fn login(engine: &Engine, provider: Provider) -> Result<ExitCode, EngineError> {
    let accounts = engine.accounts();
    let sign_in = match accounts
        .start_sign_in(provider, RedirectMode::Loopback)
        .await
    {
        Ok(sign_in) => sign_in,
        Err(err) => return Ok(refused(&err)),
    };
    println!("Sign in to {} in your browser:", provider.name());
    println!("{}", sign_in.authorize_url);
    if let Err(err) = sign_in.open_browser().await {
        eprintln!("{err} (open the link above yourself)");
    }
    match sign_in.wait().await {
        Ok(_) => {
            println!("Signed in to {}.", provider.name());
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => Ok(refused(&err)),
    }
}

/// Revokes the sign-in on the service when it can and deletes the tokens here.
pub async fn logout(engine: &Engine, provider: Provider) -> Result<ExitCode, EngineError> {
    match engine.accounts().disconnect(provider).await {
        Ok(outcome) => {
            println!("Signed out of {}.", provider.name());
            if let Some(warning) = outcome.warning {
                println!("{warning}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => Ok(refused(&err)),
    }
}

fn refused(err: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("error: {err}");
    ExitCode::from(1)
}
