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

/// An environment token is given for this run's bases (set in the same environment), so it
/// goes to whichever base the job uses; the sign-in's tokens only to their own servers.
impl TokenSource for CliTokens {
    fn strava_access_token<'a>(
        &'a self,
        api_base: &'a str,
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        match &self.strava {
            Some(token) => {
                let token = token.clone();
                Box::pin(async move { Ok(token) })
            }
            None => TokenSource::strava_access_token(&self.accounts, api_base),
        }
    }

    fn refresh_strava_token<'a>(
        &'a self,
        api_base: &'a str,
        refused: &'a AccessToken,
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        self.accounts.refresh_strava_token(api_base, refused)
    }

    fn mtpw_token<'a>(
        &'a self,
        mtpw_base: &'a str,
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        match &self.mtpw {
            Some(token) => {
                let token = token.clone();
                Box::pin(async move { Ok(token) })
            }
            None => TokenSource::mtpw_token(&self.accounts, mtpw_base),
        }
    }
}
