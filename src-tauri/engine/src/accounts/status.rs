//! Accounts status for the Accounts view, and disconnecting (revoke, then forget locally).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::error::AuthError;
use super::handle::Accounts;
use crate::secrets::SecretKey;
use crate::settings::{Provider, SecretSource};
use mtp_services::oauth::deep_link;
use mtp_services::strava::auth as strava;

/// Whether the OS keyring can be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct KeyringStatus {
    pub available: bool,
    /// Why not, e.g. "No keyring available (is a Secret Service running?): …".
    pub message: Option<String>,
}

/// The Strava account as the Accounts view shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StravaStatus {
    pub connected: bool,
    pub athlete_name: Option<String>,
    /// The first letter of the name, for the picture placeholder.
    pub athlete_initial: Option<String>,
    /// Strava ids exceed 2^53: a string.
    pub athlete_id: Option<String>,
    pub granted_scopes: Vec<String>,
    /// A sign-in is waiting for the browser.
    pub waiting: bool,
    pub client_secret: SecretSource,
}

/// The Map the Paths account as the Accounts view shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct MtpwStatus {
    pub connected: bool,
    pub waiting: bool,
    /// What a Map the Paths operator must register for the app's client (deep link; loopback
    /// sign-ins use `http://127.0.0.1:<port>/mtpw/callback`).
    pub redirect_uri: String,
}

/// Both accounts and the keyring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AccountsStatus {
    pub keyring: KeyringStatus,
    pub strava: StravaStatus,
    pub mtpw: MtpwStatus,
}

/// The result of a disconnect: the local sign-in is always gone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DisconnectOutcome {
    pub provider: Provider,
    /// The service was told to revoke the sign-in.
    pub revoked: bool,
    /// Why the service could not be told (the tokens were deleted here all the same).
    pub warning: Option<String>,
}

impl Accounts {
    /// Connected or not, the athlete, granted scopes, and whether the keyring works.
    pub async fn status(&self) -> AccountsStatus {
        let keyring = match self.check_keyring().await {
            Ok(()) => KeyringStatus {
                available: true,
                message: None,
            },
            Err(e) => KeyringStatus {
                available: false,
                message: Some(e.to_string()),
            },
        };
        let has = |found: Result<Option<_>, AuthError>| matches!(found, Ok(Some(_)));
        let strava_connected =
            keyring.available && has(self.secret(SecretKey::StravaRefreshToken).await);
        let mtpw_connected = keyring.available && has(self.secret(SecretKey::MtpwToken).await);
        let record = if strava_connected {
            self.strava_record().unwrap_or_default()
        } else {
            Default::default()
        };
        let settings = self.effective(SecretSource::Unknown).ok();
        AccountsStatus {
            strava: StravaStatus {
                connected: strava_connected,
                athlete_initial: record
                    .athlete_name
                    .as_deref()
                    .and_then(|n| n.chars().next())
                    .map(|c| c.to_uppercase().to_string()),
                athlete_name: record.athlete_name,
                athlete_id: record.athlete_id,
                granted_scopes: record.scopes,
                waiting: self.inner.pending.is_waiting(Provider::Strava),
                client_secret: self.client_secret_source().await,
            },
            mtpw: MtpwStatus {
                connected: mtpw_connected,
                waiting: self.inner.pending.is_waiting(Provider::Mtpw),
                redirect_uri: settings
                    .map(|s| s.mtpw_redirect_uri.value)
                    .unwrap_or_else(|| deep_link(Provider::Mtpw)),
            },
            keyring,
        }
    }

    /// Strava: revoke (`POST /oauth/revoke`, falling back to `/oauth/deauthorize`), then delete
    /// the tokens whatever the network said. Map the Paths: delete the token (it is revoked on
    /// the MTPW settings page).
    pub async fn disconnect(&self, provider: Provider) -> Result<DisconnectOutcome, AuthError> {
        log::info!(provider = provider.name(); "signing out");
        self.cancel_sign_in(provider);
        match provider {
            Provider::Strava => self.disconnect_strava().await,
            Provider::Mtpw => {
                self.delete_secret(SecretKey::MtpwToken).await?;
                Ok(DisconnectOutcome {
                    provider,
                    revoked: false,
                    warning: None,
                })
            }
        }
    }

    async fn disconnect_strava(&self) -> Result<DisconnectOutcome, AuthError> {
        let _tokens = self.inner.token_lock.lock().await;
        let _across = self.cross_process_token_lock().await?;
        let remote = self.revoke_strava().await;
        // Deleted even when the network failed: the user asked to be signed out here.
        self.forget_strava().await?;
        Ok(DisconnectOutcome {
            provider: Provider::Strava,
            revoked: remote.is_ok(),
            warning: remote.err().map(|e| e.to_string()),
        })
    }

    async fn revoke_strava(&self) -> Result<(), AuthError> {
        let access = self.secret(SecretKey::StravaAccessToken).await?;
        let access = access
            .as_ref()
            .and_then(|entry| entry.expose().split_once(' '))
            .map(|(_, token)| crate::secrets::Secret::new(token));
        let refresh = self.secret(SecretKey::StravaRefreshToken).await?;
        let Some(token) = access.clone().or(refresh) else {
            return Ok(());
        };
        let http = &self.inner.http;
        let revoked = match self.strava_app().await {
            Ok(app) => strava::revoke(http, &app, &token)
                .await
                .map_err(AuthError::from),
            Err(e) => Err(e),
        };
        match (revoked, access) {
            (Ok(()), _) => Ok(()),
            (Err(_), Some(access)) => {
                let settings = self.effective(SecretSource::Unknown)?;
                Ok(strava::deauthorize(http, &settings.strava_oauth_base.value, &access).await?)
            }
            (Err(e), None) => Err(e),
        }
    }
}
