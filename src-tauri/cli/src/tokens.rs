//! The CLI's tokens until it is wired to sign-in: `MTP_STRAVA_ACCESS_TOKEN` and `MTPW_TOKEN`
//! from the environment (headless runs and tests); no refresh.

use futures_util::future::BoxFuture;
use mtp_engine::pipeline::{AccessToken, TokenError, TokenSource};

/// Tokens read from the environment once.
pub struct EnvTokens {
    strava: Option<AccessToken>,
    mtpw: Option<AccessToken>,
}

impl EnvTokens {
    pub fn from_env() -> Self {
        let token = |name: &str| {
            std::env::var(name)
                .ok()
                .filter(|v| !v.trim().is_empty())
                .map(AccessToken::new)
        };
        Self {
            strava: token("MTP_STRAVA_ACCESS_TOKEN"),
            mtpw: token("MTPW_TOKEN"),
        }
    }
}

fn present(token: &Option<AccessToken>, service: &'static str) -> Result<AccessToken, TokenError> {
    token.clone().ok_or(TokenError::NotSignedIn { service })
}

impl TokenSource for EnvTokens {
    fn strava_access_token(&self) -> BoxFuture<'_, Result<AccessToken, TokenError>> {
        Box::pin(async move { present(&self.strava, "Strava") })
    }

    fn refresh_strava_token(&self) -> BoxFuture<'_, Result<AccessToken, TokenError>> {
        Box::pin(async move {
            Err(TokenError::Failed {
                service: "Strava",
                reason: "the CLI cannot refresh the token yet".into(),
            })
        })
    }

    fn mtpw_token(&self) -> BoxFuture<'_, Result<AccessToken, TokenError>> {
        Box::pin(async move { present(&self.mtpw, "Map the Paths") })
    }
}
