//! The settings in effect (stored, overridden by the environment, or default) and the UI's changes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use ts_rs::TS;
use url::Url;

use mtp_services::net::check_base;

use super::env::EnvOverrides;
use super::keys::SettingKey;
use super::redirect::RedirectMode;
use super::store::SettingsError;

/// One setting's value and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SettingValue {
    pub value: String,
    /// Set by an environment variable for this run (the stored value, if any, is ignored).
    pub from_environment: bool,
    /// The environment variable that overrides this setting, if there is one.
    pub env_var: Option<String>,
}

/// Where the Strava Client Secret comes from; never the secret itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum SecretSource {
    NotSet,
    Keyring,
    Environment,
    /// The keyring could not be read (see the keyring status).
    Unknown,
}

/// Every non-secret setting as the app uses it now, for the Accounts view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EffectiveSettings {
    pub strava_client_id: SettingValue,
    pub strava_client_secret: SecretSource,
    pub strava_api_base: SettingValue,
    pub strava_oauth_base: SettingValue,
    pub strava_scopes: SettingValue,
    pub redirect_mode: RedirectMode,
    pub mtpw_base: SettingValue,
    pub mtpw_client_id: SettingValue,
    pub mtpw_redirect_uri: SettingValue,
    /// The log file takes debug lines too (requests, waits, each step), not only info and up.
    pub debug_log: bool,
    /// "Upload new sequences automatically": the Unix time (seconds) it was switched on at;
    /// `null` when it is off. Sequences that appear after it are queued by themselves.
    pub auto_upload_since: Option<u32>,
}

impl EffectiveSettings {
    /// Stored values, overridden by the environment, else defaults.
    pub fn resolve(
        stored: &BTreeMap<String, String>,
        env: &EnvOverrides,
        secret: SecretSource,
    ) -> Self {
        let value = |key: SettingKey| {
            let from_env = env.value(key);
            let stored = stored.get(key.store_key()).filter(|v| !v.is_empty());
            SettingValue {
                value: from_env
                    .or(stored.map(String::as_str))
                    .unwrap_or(key.default_value())
                    .to_string(),
                from_environment: from_env.is_some(),
                env_var: key.env_var().map(str::to_string),
            }
        };
        let redirect_mode = match stored.get(SettingKey::RedirectMode.store_key()) {
            Some(mode) if mode == "loopback" => RedirectMode::Loopback,
            _ => RedirectMode::DeepLink,
        };
        let debug_log = stored
            .get(SettingKey::DebugLog.store_key())
            .map(String::as_str)
            == Some("on");
        let auto_upload_since = stored
            .get(SettingKey::AutoUpload.store_key())
            .and_then(|since| since.parse().ok());
        Self {
            strava_client_id: value(SettingKey::StravaClientId),
            strava_client_secret: secret,
            strava_api_base: value(SettingKey::StravaApiBase),
            strava_oauth_base: value(SettingKey::StravaOauthBase),
            strava_scopes: value(SettingKey::StravaScopes),
            redirect_mode,
            mtpw_base: value(SettingKey::MtpwBase),
            mtpw_client_id: value(SettingKey::MtpwClientId),
            mtpw_redirect_uri: value(SettingKey::MtpwRedirectUri),
            debug_log,
            auto_upload_since,
        }
    }
}

/// Changes from the Accounts view: `None` leaves a setting alone, an empty string resets it
/// to its default. Settings overridden by the environment can still be stored; the
/// environment keeps winning for this run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
#[serde(default)]
pub struct SettingsUpdate {
    pub strava_client_id: Option<String>,
    pub strava_api_base: Option<String>,
    pub strava_oauth_base: Option<String>,
    pub strava_scopes: Option<String>,
    pub redirect_mode: Option<RedirectMode>,
    pub mtpw_base: Option<String>,
    pub mtpw_client_id: Option<String>,
    pub mtpw_redirect_uri: Option<String>,
    pub debug_log: Option<bool>,
    /// Switches automatic upload on (from now) or off.
    pub auto_upload: Option<bool>,
}

/// The Strava scopes the app knows; `activity:write` is required to upload.
const STRAVA_SCOPES: &[&str] = &[
    "read",
    "read_all",
    "profile:read_all",
    "profile:write",
    "activity:read",
    "activity:read_all",
    "activity:write",
];

impl SettingsUpdate {
    /// The validated changes as store rows (`None` deletes, so the default applies).
    pub fn to_changes(&self) -> Result<Vec<(String, Option<String>)>, SettingsError> {
        let fields = [
            (SettingKey::StravaClientId, &self.strava_client_id),
            (SettingKey::StravaApiBase, &self.strava_api_base),
            (SettingKey::StravaOauthBase, &self.strava_oauth_base),
            (SettingKey::StravaScopes, &self.strava_scopes),
            (SettingKey::MtpwBase, &self.mtpw_base),
            (SettingKey::MtpwClientId, &self.mtpw_client_id),
            (SettingKey::MtpwRedirectUri, &self.mtpw_redirect_uri),
        ];
        let mut changes = Vec::new();
        for (key, value) in fields {
            if let Some(value) = value {
                let value = value.trim();
                let stored = if value.is_empty() {
                    None
                } else {
                    Some(validate(key, value)?)
                };
                changes.push((key.store_key().to_string(), stored));
            }
        }
        if let Some(mode) = self.redirect_mode {
            let mode = match mode {
                RedirectMode::DeepLink => "deep-link",
                RedirectMode::Loopback => "loopback",
            };
            let key = SettingKey::RedirectMode.store_key().to_string();
            changes.push((key, Some(mode.to_string())));
        }
        if let Some(debug) = self.debug_log {
            let key = SettingKey::DebugLog.store_key().to_string();
            changes.push((key, debug.then(|| "on".to_string())));
        }
        if let Some(on) = self.auto_upload {
            let key = SettingKey::AutoUpload.store_key().to_string();
            changes.push((key, on.then(|| unix_now().to_string())));
        }
        Ok(changes)
    }
}

/// Seconds since 1970 (0 if the clock is before it).
fn unix_now() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u32::try_from(d.as_secs()).unwrap_or(u32::MAX))
}

fn validate(key: SettingKey, value: &str) -> Result<String, SettingsError> {
    let invalid = |reason: String| SettingsError::Invalid {
        field: key.label(),
        reason,
    };
    match key {
        SettingKey::StravaClientId => {
            if value.chars().all(|c| c.is_ascii_digit()) && value.len() <= 20 {
                Ok(value.to_string())
            } else {
                Err(invalid(
                    "the Client ID is the number shown at strava.com/settings/api".into(),
                ))
            }
        }
        SettingKey::StravaApiBase | SettingKey::StravaOauthBase | SettingKey::MtpwBase => {
            check_base(value).map_err(|e| invalid(e.to_string()))?;
            Ok(value.trim_end_matches('/').to_string())
        }
        SettingKey::StravaScopes => validate_scopes(value).map_err(invalid),
        SettingKey::MtpwClientId => {
            if value.len() <= 200 && value.chars().all(|c| c.is_ascii_graphic()) {
                Ok(value.to_string())
            } else {
                Err(invalid("letters, digits and punctuation only".into()))
            }
        }
        SettingKey::MtpwRedirectUri => {
            let url = Url::parse(value).map_err(|e| invalid(format!("not a URL ({e})")))?;
            if url.query().is_some() || url.fragment().is_some() {
                return Err(invalid("must have no query and no fragment".into()));
            }
            Ok(value.to_string())
        }
        SettingKey::RedirectMode | SettingKey::DebugLog | SettingKey::AutoUpload => {
            Ok(value.to_string())
        }
    }
}

/// A comma-separated list of known scopes that includes `activity:write`.
fn validate_scopes(value: &str) -> Result<String, String> {
    let scopes: Vec<&str> = value
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect();
    if let Some(unknown) = scopes.iter().find(|s| !STRAVA_SCOPES.contains(s)) {
        return Err(format!(
            "unknown scope ‘{unknown}’ (known: {})",
            STRAVA_SCOPES.join(", ")
        ));
    }
    if !scopes.contains(&"activity:write") {
        return Err("must include activity:write, which uploading needs".into());
    }
    Ok(scopes.join(","))
}
