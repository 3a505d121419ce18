//! What the app remembers about a connected account that is not secret (athlete, granted
//! scopes), in the settings store next to the settings.

use super::error::AuthError;
use super::handle::Accounts;
use mtp_services::strava::auth::Athlete;

const ATHLETE_ID: &str = "account.strava.athlete_id";
const ATHLETE_NAME: &str = "account.strava.athlete_name";
const SCOPES: &str = "account.strava.scopes";

/// The Strava account as remembered.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StravaRecord {
    pub athlete_id: Option<String>,
    pub athlete_name: Option<String>,
    pub scopes: Vec<String>,
}

impl Accounts {
    pub(super) fn save_strava_record(
        &self,
        athlete: &Athlete,
        scopes: &[String],
    ) -> Result<(), AuthError> {
        let changes = [
            (ATHLETE_ID.to_string(), Some(athlete.id.to_string())),
            (ATHLETE_NAME.to_string(), Some(athlete.display_name())),
            (SCOPES.to_string(), Some(scopes.join(","))),
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

    pub(super) fn clear_strava_record(&self) -> Result<(), AuthError> {
        let changes = [ATHLETE_ID, ATHLETE_NAME, SCOPES].map(|key| (key.to_string(), None));
        Ok(self.inner.settings.save(&changes)?)
    }
}
