//! The one access-token type and the token source the uploads ask: the accounts implement it
//! (tests and the CLI's headless run feed it tokens of their own).

use futures_util::future::BoxFuture;
use mtp_services::Secret;
use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// An access token; its Debug never shows it, and it is wiped from memory when dropped (the
/// [`Secret`] inside is).
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

    /// `Bearer <token>`, wiped when dropped too.
    pub fn authorization_header(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("Bearer {}", self.0.expose()))
    }
}

impl Zeroize for AccessToken {
    fn zeroize(&mut self) {
        self.0.zeroize();
    }
}

/// Its only field is a [`Secret`], which wipes itself on drop.
impl ZeroizeOnDrop for AccessToken {}

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
    /// The sign-in was made on another server than the one the call goes to.
    #[error("signed in to {service} on {old}; sign in again for {new}")]
    SignedInElsewhere {
        service: &'static str,
        old: String,
        new: String,
    },
    /// Strava refuses the API application itself (inactive, or its athlete cap reached).
    #[error("{}", crate::error::refusal_text(*.0))]
    AppRefused(mtp_services::strava::api::AppRefusal),
    #[error("cannot get the {service} sign-in: {reason}")]
    Failed {
        service: &'static str,
        reason: String,
    },
}

/// The uploads' view of sign-in. Each call names the base the token is about to be sent to:
/// a source that knows where its tokens were issued refuses another server
/// ([`TokenError::SignedInElsewhere`]) rather than hand them out for it.
pub trait TokenSource: Send + Sync {
    /// A Strava access token with `activity:write` for requests to `api_base` (refreshed first
    /// when it is about to expire).
    fn strava_access_token<'a>(
        &'a self,
        api_base: &'a str,
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>>;
    /// Called once after `api_base` answered 401 to `refused`: a newer token (another process
    /// may have refreshed meanwhile), else refresh now and return the new one.
    fn refresh_strava_token<'a>(
        &'a self,
        api_base: &'a str,
        refused: &'a AccessToken,
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>>;
    /// The MTPW bearer token for requests to `mtpw_base`.
    fn mtpw_token<'a>(
        &'a self,
        mtpw_base: &'a str,
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_wiped_on_drop() {
        fn wiped_on_drop<T: ZeroizeOnDrop>() {}
        wiped_on_drop::<AccessToken>();
        wiped_on_drop::<Secret>();
        let token = AccessToken::new("abc123secret");
        let mut copy = token.clone();
        copy.zeroize();
        assert_eq!(copy.expose(), "");
        assert_eq!(token.expose(), "abc123secret");
        assert_eq!(*token.authorization_header(), "Bearer abc123secret");
    }

    #[test]
    fn tokens_never_show_in_debug() {
        let token = AccessToken::new("abc123secret");
        assert!(!format!("{token:?}").contains("abc123"));
        assert_eq!(token.expose(), "abc123secret");
    }
}
