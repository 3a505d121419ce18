//! The pipeline's token source over sign-in ([`crate::accounts::Accounts`]), and the uploader the app and the CLI use.

use std::sync::Arc;

use futures_util::future::BoxFuture;

use super::tokens::{AccessToken, TokenError, TokenSource};
use super::{PipelineConfig, Uploader};
use crate::accounts::AuthError;
use crate::{Engine, EngineError};

/// Tokens from the engine's accounts (keyring; refreshed when less than an hour is left).
pub struct AccountsTokens {
    engine: Arc<Engine>,
}

impl AccountsTokens {
    pub fn new(engine: Arc<Engine>) -> Self {
        Self { engine }
    }
}

fn token_error(service: &'static str, err: AuthError) -> TokenError {
    match err {
        AuthError::NotConnected { .. }
        | AuthError::StravaSignedOut
        | AuthError::Unauthorized { .. } => TokenError::NotSignedIn { service },
        other => TokenError::Failed {
            service,
            reason: other.to_string(),
        },
    }
}

impl TokenSource for AccountsTokens {
    fn strava_access_token(&self) -> BoxFuture<'_, Result<AccessToken, TokenError>> {
        Box::pin(async move {
            let token = self.engine.accounts().strava_access_token().await;
            token
                .map(|t| AccessToken::new(t.expose()))
                .map_err(|e| token_error("Strava", e))
        })
    }

    fn refresh_strava_token(&self) -> BoxFuture<'_, Result<AccessToken, TokenError>> {
        Box::pin(async move {
            let token = self
                .engine
                .accounts()
                .strava_token_after_unauthorized()
                .await;
            token
                .map(|t| AccessToken::new(t.expose()))
                .map_err(|e| token_error("Strava", e))
        })
    }

    fn mtpw_token(&self) -> BoxFuture<'_, Result<AccessToken, TokenError>> {
        Box::pin(async move {
            let token = self.engine.accounts().mtpw_token().await;
            token
                .map(|t| AccessToken::new(t.expose()))
                .map_err(|e| token_error("Map the Paths", e))
        })
    }
}

impl Uploader {
    /// The uploader as the app and the CLI run it: the Strava API and MTPW bases from the
    /// effective settings (store, overridden by the environment), the rest from
    /// [`PipelineConfig::from_env`], and the tokens of the engine's accounts.
    pub async fn for_engine(engine: Arc<Engine>) -> Result<Uploader, EngineError> {
        let mut config = PipelineConfig::from_env();
        if let Ok(settings) = engine.accounts().settings().await {
            config.strava_api_base = settings.strava_api_base.value;
            config.mtpw_base = settings.mtpw_base.value;
        }
        let tokens = Arc::new(AccountsTokens::new(engine.clone()));
        Uploader::new(engine, config, tokens)
    }
}
