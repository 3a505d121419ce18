//! What the app remembers about a connected account that is not secret (athlete, granted
//! scopes, and the service bases its tokens were issued for), in the settings store next to
//! the settings.

use super::error::AuthError;
use super::handle::Accounts;
use crate::settings::{Provider, SecretSource, SettingKey};
use mtp_services::net::{host_label, same_origin};
use mtp_services::strava::auth::{Athlete, StravaApp};

const ATHLETE_ID: &str = "account.strava.athlete_id";
const ATHLETE_NAME: &str = "account.strava.athlete_name";
const SCOPES: &str = "account.strava.scopes";
/// The Strava OAuth base the sign-in's tokens came from (where they may be refreshed).
const STRAVA_OAUTH_BASE: &str = "account.strava.oauth_base";
/// The Strava API base at sign-in (where the access token may be sent).
const STRAVA_API_BASE: &str = "account.strava.api_base";
/// The Map the Paths base whose sign-in page gave the token.
const MTPW_BASE: &str = "account.mtpw.base";

/// The Strava account as remembered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StravaRecord {
    pub athlete_id: Option<String>,
    pub athlete_name: Option<String>,
    pub scopes: Vec<String>,
}

/// The bases a sign-in was made on; its tokens go to these servers only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct StravaBases {
    pub(super) oauth: String,
    pub(super) api: String,
}

impl StravaBases {
    pub(super) fn of_app(app: &StravaApp) -> Self {
        Self {
            oauth: app.oauth_base.clone(),
            api: app.api_base.clone(),
        }
    }
}

/// `Err` when `now` is another server than the one a token was issued for (`signed_in_on`):
/// "signed in on <old host>; sign in again for <new host>".
pub(super) fn same_server(
    provider: Provider,
    signed_in_on: &str,
    now: &str,
) -> Result<(), AuthError> {
    if !signed_in_on.is_empty() && same_origin(signed_in_on, now) {
        return Ok(());
    }
    let (mut old, mut new) = (host_label(signed_in_on), host_label(now));
    if signed_in_on.is_empty() {
        // A sign-in whose end was not recorded (see `unbind_strava`).
        old = "an unknown server".into();
    } else if old == new {
        // Same host, another scheme or port than it seems: show both in full.
        (old, new) = (signed_in_on.trim().to_string(), now.trim().to_string());
    }
    Err(AuthError::BaseChanged { provider, old, new })
}

impl Accounts {
    /// Remembers the athlete, the scopes and the bases the tokens were issued for.
    pub(super) fn save_strava_record(
        &self,
        athlete: &Athlete,
        scopes: &[String],
        bases: &StravaBases,
    ) -> Result<(), AuthError> {
        let changes = [
            (ATHLETE_ID.to_string(), Some(athlete.id.to_string())),
            (ATHLETE_NAME.to_string(), Some(athlete.display_name())),
            (SCOPES.to_string(), Some(scopes.join(","))),
            (STRAVA_OAUTH_BASE.to_string(), Some(bases.oauth.clone())),
            (STRAVA_API_BASE.to_string(), Some(bases.api.clone())),
        ];
        Ok(self.inner.settings.save(&changes)?)
    }

    pub(super) fn strava_record(&self) -> Result<StravaRecord, AuthError> {
        let stored = self.inner.settings.load_all()?;
        Ok(StravaRecord {
            athlete_id: stored.get(ATHLETE_ID).cloned(),
            athlete_name: stored.get(ATHLETE_NAME).cloned(),
            scopes: stored
                .get(SCOPES)
                .map(|s| {
                    s.split(',')
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default(),
        })
    }

    /// Marks the Strava tokens as issued for no known server, before new ones are stored: if
    /// the app stops between storing them and [`Self::save_strava_record`], they are never
    /// taken for the old sign-in's server.
    pub(super) fn unbind_strava(&self) -> Result<(), AuthError> {
        let changes =
            [STRAVA_OAUTH_BASE, STRAVA_API_BASE].map(|key| (key.to_string(), Some(String::new())));
        Ok(self.inner.settings.save(&changes)?)
    }

    pub(super) fn clear_strava_record(&self) -> Result<(), AuthError> {
        let changes = [
            ATHLETE_ID,
            ATHLETE_NAME,
            SCOPES,
            STRAVA_OAUTH_BASE,
            STRAVA_API_BASE,
        ]
        .map(|key| (key.to_string(), None));
        Ok(self.inner.settings.save(&changes)?)
    }

    /// The bases the Strava tokens were issued for. An account signed in before the app
    /// remembered them counts as signed in on the default (Strava's own) bases.
    pub(super) fn strava_signed_in_on(&self) -> Result<StravaBases, AuthError> {
        let stored = self.inner.settings.load_all()?;
        let base = |key: &str, setting: SettingKey| {
            stored
                .get(key)
                .cloned()
                .unwrap_or_else(|| setting.default_value().to_string())
        };
        Ok(StravaBases {
            oauth: base(STRAVA_OAUTH_BASE, SettingKey::StravaOauthBase),
            api: base(STRAVA_API_BASE, SettingKey::StravaApiBase),
        })
    }

    /// `Err(BaseChanged)` unless the Strava tokens were issued for the effective OAuth base
    /// (where a refresh goes) and for `api_base` (where the access token is about to go).
    pub(super) fn check_strava_server(&self, api_base: &str) -> Result<(), AuthError> {
        let signed_in_on = self.strava_signed_in_on()?;
        let now = self.effective(SecretSource::Unknown)?;
        same_server(
            Provider::Strava,
            &signed_in_on.oauth,
            &now.strava_oauth_base.value,
        )?;
        same_server(Provider::Strava, &signed_in_on.api, api_base)
    }

    /// Remembers the Map the Paths base the token came from.
    pub(super) fn save_mtpw_record(&self, base: &str) -> Result<(), AuthError> {
        let changes = [(MTPW_BASE.to_string(), Some(base.to_string()))];
        Ok(self.inner.settings.save(&changes)?)
    }

    /// As [`Self::unbind_strava`], for the Map the Paths token.
    pub(super) fn unbind_mtpw(&self) -> Result<(), AuthError> {
        self.save_mtpw_record("")
    }

    pub(super) fn clear_mtpw_record(&self) -> Result<(), AuthError> {
        Ok(self.inner.settings.save(&[(MTPW_BASE.to_string(), None)])?)
    }

    /// `Err(BaseChanged)` unless the Map the Paths token came from `mtpw_base` (an account
    /// signed in before the app remembered it counts as signed in on the default base).
    pub(super) fn check_mtpw_server(&self, mtpw_base: &str) -> Result<(), AuthError> {
        let stored = self.inner.settings.load_all()?;
        let signed_in_on = stored
            .get(MTPW_BASE)
            .map(String::as_str)
            .unwrap_or(SettingKey::MtpwBase.default_value());
        same_server(Provider::Mtpw, signed_in_on, mtpw_base)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_server_reads_as_signed_in_elsewhere() {
        assert!(same_server(
            Provider::Strava,
            "https://www.strava.com",
            "https://www.strava.com/oauth"
        )
        .is_ok());
        let err = same_server(
            Provider::Strava,
            "https://www.strava.com/api/v3",
            "https://strava.example/api/v3",
        )
        .unwrap_err();
        assert_eq!(
            err.to_string(),
            "signed in on www.strava.com; sign in again for strava.example"
        );
        let err =
            same_server(Provider::Mtpw, "http://localhost:9", "https://localhost:9").unwrap_err();
        assert_eq!(
            err.to_string(),
            "signed in on http://localhost:9; sign in again for https://localhost:9"
        );
        let err =
            same_server(Provider::Mtpw, "http://127.0.0.1:1", "http://127.0.0.1:2").unwrap_err();
        assert_eq!(
            err.to_string(),
            "signed in on 127.0.0.1:1; sign in again for 127.0.0.1:2"
        );
        let err = same_server(Provider::Strava, "", "https://www.strava.com").unwrap_err();
        assert_eq!(
            err.to_string(),
            "signed in on an unknown server; sign in again for www.strava.com"
        );
    }
}
