//! The one access-token type and the token source the uploads ask: the accounts implement it
//! (tests and the CLI's headless run feed it tokens of their own).

use futures_util::future::BoxFuture;
use mtp_services::Secret;

/// An access token; its Debug never shows it.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken(Secret);

impl AccessToken {
    pub fn new(token: impl Into<String>) -> Self {
        Self(Secret::new(token))
    }

    /// The token itself, for the Authorization header only.
    pub fn expose(&self) -> &str {
        self.0.expose()
    }

    /// `Bearer <token>`.
    pub fn authorization_header(&self) -> String {
        format!("Bearer {}", self.0.expose())
    }
}

impl From<Secret> for AccessToken {
    fn from(secret: Secret) -> Self {
        Self(secret)
    }
}

impl std::fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AccessToken(<redacted>)")
    }
}

/// Why no token could be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("not signed in to {service}")]
    NotSignedIn { service: &'static str },
    #[error("cannot get the {service} sign-in: {reason}")]
    Failed {
        service: &'static str,
        reason: String,
    },
}

/// The uploads' view of sign-in.
pub trait TokenSource: Send + Sync {
    /// A Strava access token with `activity:write` (refreshed first when it is about to expire).
    fn strava_access_token(&self) -> BoxFuture<'_, Result<AccessToken, TokenError>>;
    /// Called once after Strava answered 401 to `refused`: a newer token (another process may
    /// have refreshed meanwhile), else refresh now and return the new one.
    fn refresh_strava_token<'a>(
        &'a self,
        refused: &'a AccessToken,
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>>;
    /// The MTPW bearer token.
    fn mtpw_token(&self) -> BoxFuture<'_, Result<AccessToken, TokenError>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_never_show_in_debug() {
        let token = AccessToken::new("abc123secret");
        assert!(!format!("{token:?}").contains("abc123"));
        assert_eq!(token.expose(), "abc123secret");
    }
}
