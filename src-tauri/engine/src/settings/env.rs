//! The environment variables that override stored settings for one run (the tests and `make demo`).

use std::collections::BTreeMap;

use super::keys::{SettingKey, STRAVA_CLIENT_SECRET_VAR};
use super::store::SettingsError;
use crate::secrets::Secret;
use mtp_services::net::{check_base, cut};

/// Values set in the environment; empty variables count as unset. The client secret given
/// here is used for this run and never written anywhere.
#[derive(Debug, Clone, Default)]
pub struct EnvOverrides {
    values: BTreeMap<SettingKey, String>,
    strava_client_secret: Option<Secret>,
}

impl EnvOverrides {
    /// Reads `MTP_STRAVA_API_BASE`, `MTP_STRAVA_OAUTH_BASE`, `MTP_STRAVA_CLIENT_ID`,
    /// `MTP_STRAVA_CLIENT_SECRET`, `MTPW_BASE`, `MTPW_CLIENT_ID` and `MTPW_REDIRECT_URI`. A base
    /// the address rule refuses (https, or http to 127.0.0.1, ::1, localhost) is an error
    /// naming its variable, never a silent fall back to the default.
    pub fn from_env() -> Result<Self, SettingsError> {
        Self::from_vars(|name| std::env::var(name).ok())
    }

    /// No overrides at all.
    pub fn none() -> Self {
        Self::default()
    }

    /// Overrides from `(variable, value)` pairs, as if they were the environment (tests).
    pub fn from_pairs(pairs: &[(&str, &str)]) -> Result<Self, SettingsError> {
        Self::from_vars(|name| {
            pairs
                .iter()
                .find(|(var, _)| *var == name)
                .map(|(_, value)| value.to_string())
        })
    }

    fn from_vars(read: impl Fn(&str) -> Option<String>) -> Result<Self, SettingsError> {
        let read = |name: &str| {
            read(name)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let mut values = BTreeMap::new();
        for key in SettingKey::ALL {
            let Some(var) = key.env_var() else { continue };
            let Some(value) = read(var) else { continue };
            if key.is_base() {
                check_base_var(var, &value)?;
            }
            values.insert(key, value);
        }
        Ok(Self {
            values,
            strava_client_secret: read(STRAVA_CLIENT_SECRET_VAR).map(Secret::new),
        })
    }

    pub fn value(&self, key: SettingKey) -> Option<&str> {
        self.values.get(&key).map(String::as_str)
    }

    pub fn strava_client_secret(&self) -> Option<&Secret> {
        self.strava_client_secret.as_ref()
    }
}

/// A base given in the environment, checked by the one address rule; the error names `var`.
pub fn check_base_var(var: &'static str, value: &str) -> Result<(), SettingsError> {
    check_base(value)
        .map(|_| ())
        .map_err(|e| SettingsError::InvalidEnv {
            var,
            value: cut(value, 100),
            reason: e.to_string(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_base_off_this_machine_in_clear_text_is_an_error_naming_its_variable() {
        for var in ["MTP_STRAVA_API_BASE", "MTP_STRAVA_OAUTH_BASE", "MTPW_BASE"] {
            let err = EnvOverrides::from_pairs(&[(var, "http://evil.example")]).unwrap_err();
            assert_eq!(
                err.to_string(),
                format!(
                    "the environment variable {var} (http://evil.example) is refused: it must \
                     start with https:// (http:// is accepted only for 127.0.0.1, ::1 and localhost)"
                )
            );
        }
        let err = EnvOverrides::from_pairs(&[("MTPW_BASE", "not a url")]).unwrap_err();
        assert!(err.to_string().contains("MTPW_BASE"), "{err}");
        let env = EnvOverrides::from_pairs(&[
            ("MTP_STRAVA_API_BASE", "http://127.0.0.1:9/api/v3"),
            ("MTP_STRAVA_OAUTH_BASE", "http://[::1]:9"),
            ("MTPW_BASE", "https://mtp.example"),
            // Not a base: the rule is for service addresses only.
            ("MTPW_REDIRECT_URI", "http://127.0.0.1/mtpw/callback"),
        ])
        .unwrap();
        assert_eq!(
            env.value(SettingKey::StravaApiBase),
            Some("http://127.0.0.1:9/api/v3")
        );
        assert_eq!(env.value(SettingKey::MtpwBase), Some("https://mtp.example"));
        // Empty counts as unset: the default applies, with no error.
        assert!(EnvOverrides::from_pairs(&[("MTPW_BASE", "  ")])
            .unwrap()
            .value(SettingKey::MtpwBase)
            .is_none());
    }
}
