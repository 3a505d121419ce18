//! The token source of the upload pipeline: Strava access tokens (refreshed when less than an
//! hour is left, and once after a 401) and the Map the Paths token, each only for the servers
//! the sign-in was made on.

use std::time::Duration;

use futures_util::future::BoxFuture;

use super::error::AuthError;
use super::handle::Accounts;
use super::records::same_server;
use crate::os::file_lock::FileLock;
use crate::secrets::{Secret, SecretKey};
use crate::settings::{Provider, SecretSource};
use crate::tokens::{AccessToken, TokenError, TokenSource};
use mtp_services::strava::auth::{self as strava, now_epoch, TokenGrant};

/// Refresh when less than this is left (Strava hands out a new token only then).
pub const REFRESH_MARGIN_SECS: i64 = 3_600;

/// A token another process stored is used while it has at least this long left.
const STILL_VALID_SECS: i64 = 60;

/// The access-token entry: `<expires_at> <token>`.
fn encode_access(grant: &TokenGrant) -> Secret {
    Secret::new(format!(
        "{} {}",
        grant.expires_at,
        grant.access_token.expose()
    ))
}

fn decode_access(entry: &Secret) -> Option<(i64, Secret)> {
    let (expires_at, token) = entry.expose().split_once(' ')?;
    Some((expires_at.parse().ok()?, Secret::new(token)))
}

impl Accounts {
    /// A Strava access token for the effective API base, as [`Self::strava_access_token_for`].
    pub async fn strava_access_token(&self) -> Result<AccessToken, AuthError> {
        let api_base = self.effective(SecretSource::Unknown)?.strava_api_base.value;
        self.strava_access_token_for(&api_base).await
    }

    /// A Strava access token to send to `api_base`, with at least an hour left, refreshing (and
    /// storing a rotated refresh token first) when less is left. [`AuthError::BaseChanged`]
    /// when the sign-in was made on other servers than `api_base` and the effective OAuth base:
    /// then neither token leaves the app.
    pub async fn strava_access_token_for(&self, api_base: &str) -> Result<AccessToken, AuthError> {
        let _tokens = self.inner.token_lock.lock().await;
        if let Some(token) = self.stored_access(REFRESH_MARGIN_SECS).await? {
            self.check_strava_server(api_base)?;
            return Ok(token);
        }
        // Another process (the app, the CLI) may be refreshing: wait for it, then look again.
        let _across = self.cross_process_token_lock().await?;
        if let Some(token) = self.stored_access(REFRESH_MARGIN_SECS).await? {
            self.check_strava_server(api_base)?;
            return Ok(token);
        }
        self.refresh_strava(api_base).await
    }

    /// After an API call answered 401 to `refused`: the stored token if another process has
    /// replaced it meanwhile, else refresh once and return the token to retry with. If the
    /// retry is refused too, the sign-in is no longer valid.
    pub async fn strava_token_after_unauthorized(
        &self,
        refused: &AccessToken,
    ) -> Result<AccessToken, AuthError> {
        let api_base = self.effective(SecretSource::Unknown)?.strava_api_base.value;
        self.strava_token_after_unauthorized_for(&api_base, refused)
            .await
    }

    /// [`Self::strava_token_after_unauthorized`] for a call to `api_base` (checked as in
    /// [`Self::strava_access_token_for`]).
    pub async fn strava_token_after_unauthorized_for(
        &self,
        api_base: &str,
        refused: &AccessToken,
    ) -> Result<AccessToken, AuthError> {
        let _tokens = self.inner.token_lock.lock().await;
        let _across = self.cross_process_token_lock().await?;
        if let Some(token) = self.stored_access(STILL_VALID_SECS).await? {
            if token != *refused {
                self.check_strava_server(api_base)?;
                log::info!("another process refreshed the Strava token; using its token");
                return Ok(token);
            }
        }
        self.refresh_strava(api_base).await
    }

    /// The stored access token when it has more than `min_left` seconds left.
    async fn stored_access(&self, min_left: i64) -> Result<Option<AccessToken>, AuthError> {
        let stored = self.secret(SecretKey::StravaAccessToken).await?;
        Ok(stored
            .as_ref()
            .and_then(decode_access)
            .filter(|(expires_at, _)| expires_at - now_epoch() > min_left)
            .map(|(_, token)| AccessToken::from(token)))
    }

    /// The data folder's `tokens.lock`, held around read, refresh and store of the Strava
    /// tokens, so two processes never spend one refresh token (Strava rotates it). None for
    /// accounts without a data folder (tests in memory).
    pub(super) async fn cross_process_token_lock(&self) -> Result<Option<FileLock>, AuthError> {
        let Some(path) = &self.inner.token_lock_file else {
            return Ok(None);
        };
        FileLock::acquire(path, Duration::from_millis(50), |holder| {
            log::debug!(holder = holder.as_str(); "waiting for another process's token refresh")
        })
        .await
        .map(Some)
        .map_err(|e| AuthError::Task {
            reason: format!("cannot use {}: {e}", path.display()),
        })
    }

    /// The Map the Paths token for the effective base, as [`Self::mtpw_token_for`].
    pub async fn mtpw_token(&self) -> Result<AccessToken, AuthError> {
        let base = self.effective(SecretSource::Unknown)?.mtpw_base.value;
        self.mtpw_token_for(&base).await
    }

    /// The Map the Paths token to send to `mtpw_base`; [`AuthError::BaseChanged`] when it came
    /// from another server.
    pub async fn mtpw_token_for(&self, mtpw_base: &str) -> Result<AccessToken, AuthError> {
        let token = self
            .secret(SecretKey::MtpwToken)
            .await?
            .map(AccessToken::from)
            .ok_or(AuthError::NotConnected {
                provider: Provider::Mtpw,
            })?;
        self.check_mtpw_server(mtpw_base)?;
        Ok(token)
    }

    /// Refreshes with the stored refresh token, for a call to `api_base`; the caller holds the
    /// token lock. A refused refresh token signs out of Strava. A sign-in made on other servers
    /// is [`AuthError::BaseChanged`], and nothing is sent.
    async fn refresh_strava(&self, api_base: &str) -> Result<AccessToken, AuthError> {
        let not_connected = AuthError::NotConnected {
            provider: Provider::Strava,
        };
        let refresh_token = self
            .secret(SecretKey::StravaRefreshToken)
            .await?
            .ok_or(not_connected)?;
        self.check_strava_server(api_base)?;
        let app = self.strava_app().await?;
        // The refresh token and the client secret go only where the tokens came from.
        same_server(
            Provider::Strava,
            &self.strava_signed_in_on()?.oauth,
            &app.oauth_base,
        )?;
        log::info!("refreshing the Strava access token");
        match strava::refresh(self.http()?, &app, &refresh_token).await {
            Ok(grant) => {
                log::info!(rotated = grant.refresh_token != refresh_token; "Strava token refreshed");
                self.store_strava_tokens(&grant, Some(&refresh_token))
                    .await?;
                Ok(AccessToken::from(grant.access_token))
            }
            Err(strava::StravaAuthError::SignedOut) => {
                // Forget only the refused tokens: a sign-in or another process may have stored
                // new ones while this refresh was on its way.
                let now = self.secret(SecretKey::StravaRefreshToken).await?;
                if now.as_ref() == Some(&refresh_token) {
                    log::warn!("Strava refused the refresh token: signed out of Strava");
                    self.forget_strava().await?;
                    return Err(AuthError::StravaSignedOut);
                }
                log::warn!("Strava refused an old refresh token; the newer one is kept");
                match self.stored_access(STILL_VALID_SECS).await? {
                    Some(token) => Ok(token),
                    None => Err(AuthError::StravaSignedOut),
                }
            }
            Err(other) => {
                log::warn!("the Strava token refresh failed: {other}");
                Err(other.into())
            }
        }
    }

    /// Stores new tokens: the refresh token first (when it changed), so a rotation is kept even
    /// if storing the access token fails; then the access token with its expiry.
    pub(super) async fn store_strava_tokens(
        &self,
        grant: &TokenGrant,
        previous_refresh: Option<&Secret>,
    ) -> Result<(), AuthError> {
        if previous_refresh != Some(&grant.refresh_token) {
            self.set_secret(SecretKey::StravaRefreshToken, grant.refresh_token.clone())
                .await?;
        }
        self.set_secret(SecretKey::StravaAccessToken, encode_access(grant))
            .await
    }

    /// Deletes the Strava tokens and the remembered athlete (the client secret stays).
    pub(super) async fn forget_strava(&self) -> Result<(), AuthError> {
        let access = self.delete_secret(SecretKey::StravaAccessToken).await;
        let refresh = self.delete_secret(SecretKey::StravaRefreshToken).await;
        self.clear_strava_record()?;
        access.and(refresh)
    }
}

/// What a failed token means for an upload: not signed in, or another failure with its reason.
fn token_error(service: &'static str, err: AuthError) -> TokenError {
    match err {
        AuthError::NotConnected { .. }
        | AuthError::StravaSignedOut
        | AuthError::Unauthorized { .. } => TokenError::NotSignedIn { service },
        AuthError::BaseChanged { old, new, .. } => {
            TokenError::SignedInElsewhere { service, old, new }
        }
        AuthError::StravaAppRefused(refusal) => TokenError::AppRefused(refusal),
        other => TokenError::Failed {
            service,
            reason: other.to_string(),
        },
    }
}

/// The uploads' tokens are the signed-in accounts' (the keyring), refreshed as above, and
/// only for the servers the sign-in was made on.
impl TokenSource for Accounts {
    fn strava_access_token<'a>(
        &'a self,
        api_base: &'a str,
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        Box::pin(async move {
            let token = self.strava_access_token_for(api_base).await;
            token.map_err(|e| token_error("Strava", e))
        })
    }

    fn refresh_strava_token<'a>(
        &'a self,
        api_base: &'a str,
        refused: &'a AccessToken,
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        Box::pin(async move {
            let token = self
                .strava_token_after_unauthorized_for(api_base, refused)
                .await;
            token.map_err(|e| token_error("Strava", e))
        })
    }

    fn mtpw_token<'a>(
        &'a self,
        mtpw_base: &'a str,
    ) -> BoxFuture<'a, Result<AccessToken, TokenError>> {
        Box::pin(async move {
            let token = self.mtpw_token_for(mtpw_base).await;
            token.map_err(|e| token_error("Map the Paths", e))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn access_entry_round_trip() {
        let grant = TokenGrant {
            access_token: Secret::new("abc"),
            refresh_token: Secret::new("def"),
            expires_at: 1_700_000_000,
            athlete: None,
        };
        let (at, token) = decode_access(&encode_access(&grant)).unwrap();
        assert_eq!((at, token.expose()), (1_700_000_000, "abc"));
        assert!(decode_access(&Secret::new("garbage")).is_none());
        assert_eq!(
            format!("{:?}", AccessToken::new("abc")),
            "AccessToken(<redacted>)"
        );
    }
}
