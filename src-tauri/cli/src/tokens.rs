//! The CLI's tokens: the app's sign-in (keyring), unless `MTP_STRAVA_ACCESS_TOKEN` or
//! `MTPW_TOKEN` is set for a headless run (CI, tests); a refresh always goes through sign-in.

use futures_util::future::BoxFuture;
use mtp_engine::accounts::Accounts;
use mtp_engine::tokens::{AccessToken, TokenError, TokenSource};

/// Environment tokens in front of the accounts' token source.
pub struct CliTokens {
    strava: Option<AccessToken>,
    mtpw: Option<AccessToken>,
    accounts: Accounts,
}

impl CliTokens {
    pub fn new(accounts: Accounts) -> Self {
        let token = |name: &str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .map(AccessToken::new)
        };
        Self {
            strava: token("MTP_STRAVA_ACCESS_TOKEN"),
            mtpw: token("MTPW_TOKEN"),
            accounts,
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
            None => TokenSource::strava_access_token(&self.accounts),
        }
    }

    fn refresh_strava_token<'a>(
        &'a self,
        refused: &'a AccessToken,
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        self.accounts.refresh_strava_token(refused)
    }

    fn mtpw_token(&self) -> BoxFuture<'_, Result<AccessToken, TokenError>> {
        match &self.mtpw {
            Some(token) => {
                let token = token.clone();
                Box::pin(async move { Ok(token) })
            }
            None => TokenSource::mtpw_token(&self.accounts),
        }
    }
}
