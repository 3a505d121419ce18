//! The CLI's tokens: the app's sign-in (keyring), unless `MTP_STRAVA_ACCESS_TOKEN` or
//! `MTPW_TOKEN` is set for a headless run (CI, tests); a refresh always goes through sign-in.

use std::sync::Arc;

use futures_util::future::BoxFuture;
use mtp_engine::pipeline::{AccessToken, AccountsTokens, TokenError, TokenSource};
use mtp_engine::Engine;

/// Environment tokens in front of the accounts' token source.
pub struct CliTokens {
    strava: Option<AccessToken>,
    mtpw: Option<AccessToken>,
    accounts: AccountsTokens,
}

impl CliTokens {
    pub fn new(engine: Arc<Engine>) -> Self {
        let token = |name: &str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .map(AccessToken::new)
        };
        Self {
            strava: token("MTP_STRAVA_ACCESS_TOKEN"),
            mtpw: token("MTPW_TOKEN"),
            accounts: AccountsTokens::new(engine),
        }
    }
}

impl TokenSource for CliTokens {
    fn strava_access_token(&self) -> BoxFuture<'_, Result<AccessToken, TokenError>> {
        match &self.strava {
            Some(token) => {
                let token = token.clone();
                Box::pin(async move { Ok(token) })
            }
            None => self.accounts.strava_access_token(),
        }
    }

    fn refresh_strava_token(&self) -> BoxFuture<'_, Result<AccessToken, TokenError>> {
        self.accounts.refresh_strava_token()
    }

    fn mtpw_token(&self) -> BoxFuture<'_, Result<AccessToken, TokenError>> {
        match &self.mtpw {
            Some(token) => {
                let token = token.clone();
                Box::pin(async move { Ok(token) })
            }
            None => self.accounts.mtpw_token(),
        }
    }
}
