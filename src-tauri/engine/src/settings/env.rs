//! The environment variables that override stored settings for one run (the tests and `make demo`).

use std::collections::BTreeMap;

use super::keys::{SettingKey, STRAVA_CLIENT_SECRET_VAR};
use crate::secrets::Secret;

/// Values set in the environment; empty variables count as unset. The client secret given
/// here is used for this run and never written anywhere.
#[derive(Debug, Clone, Default)]
pub struct EnvOverrides {
    values: BTreeMap<SettingKey, String>,
    strava_client_secret: Option<Secret>,
}

impl EnvOverrides {
    /// Reads `MTP_STRAVA_API_BASE`, `MTP_STRAVA_OAUTH_BASE`, `MTP_STRAVA_CLIENT_ID`,
    /// `MTP_STRAVA_CLIENT_SECRET`, `MTPW_BASE`, `MTPW_CLIENT_ID` and `MTPW_REDIRECT_URI`.
    pub fn from_env() -> Self {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// No overrides at all.
    pub fn none() -> Self {
        Self::default()
    }

    /// Overrides from `(variable, value)` pairs, as if they were the environment (tests).
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Self {
        Self::from_vars(|name| {
            pairs
                .iter()
                .find(|(var, _)| *var == name)
                .map(|(_, value)| value.to_string())
        })
    }

    fn from_vars(read: impl Fn(&str) -> Option<String>) -> Self {
        let read = |name: &str| {
            read(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let values = SettingKey::ALL
            .iter()
            .filter_map(|key| Some((*key, read(key.env_var()?)?)))
            .collect();
        Self {
            values,
            strava_client_secret: read(STRAVA_CLIENT_SECRET_VAR).map(Secret::new),
        }
    }

    pub fn value(&self, key: SettingKey) -> Option<&str> {
        self.values.get(&key).map(String::as_str)
    }

    pub fn strava_client_secret(&self) -> Option<&Secret> {
        self.strava_client_secret.as_ref()
    }
}
