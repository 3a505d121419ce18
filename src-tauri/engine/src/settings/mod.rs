//! Non-secret settings (sign-in, service addresses), the environment overrides, and the effective view.

mod effective;
mod env;
mod keys;

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use effective::{EffectiveSettings, SecretSource, SettingValue, SettingsUpdate};
pub use env::EnvOverrides;
pub use keys::SettingKey;
pub use mtp_services::Provider;

/// How the browser hands the sign-in back to the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub enum RedirectMode {
    /// `mtp-strava-uploader://localhost/<provider>/callback` (the default).
    DeepLink,
    /// A one-shot listener on `http://127.0.0.1:<random port>/<provider>/callback` (RFC 8252).
    Loopback,
}

/// The settings store failed or a value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    #[error("the settings cannot be read or saved: {reason}")]
    Store { reason: String },
}

/// Where the stored (non-secret) settings and account records live: the store's `settings`
/// table in the app, memory in tests. Calls are short SQLite statements.
pub trait SettingsStore: Send + Sync {
    fn load_all(&self) -> Result<BTreeMap<String, String>, SettingsError>;
    /// Writes every change in one transaction; `None` deletes the key.
    fn save(&self, changes: &[(String, Option<String>)]) -> Result<(), SettingsError>;
}

/// Settings in memory, for tests.
#[derive(Debug, Default)]
pub struct MemorySettings {
    values: Mutex<BTreeMap<String, String>>,
}

impl MemorySettings {
    pub fn new() -> Self {
        Self::default()
    }
}

impl SettingsStore for MemorySettings {
    fn load_all(&self) -> Result<BTreeMap<String, String>, SettingsError> {
        Ok(lock(&self.values).clone())
    }

    fn save(&self, changes: &[(String, Option<String>)]) -> Result<(), SettingsError> {
        let mut values = lock(&self.values);
        for (key, value) in changes {
            match value {
                Some(value) => values.insert(key.clone(), value.clone()),
                None => values.remove(key),
            };
        }
        Ok(())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
