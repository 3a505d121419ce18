//! Where the stored settings live (a trait: the store's table in the app, memory in tests),
//! and the error of a refused or unsaved setting.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

/// The settings store failed or a value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettingsError {
    #[error("{field}: {reason}")]
    Invalid { field: &'static str, reason: String },
    /// An environment variable the app cannot use; it never falls back to the default.
    #[error("the environment variable {var} ({value}) is refused: it {reason}")]
    InvalidEnv {
        var: &'static str,
        value: String,
        reason: String,
    },
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
