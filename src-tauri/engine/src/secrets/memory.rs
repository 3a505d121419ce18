//! Secrets in memory, for tests; it also records the order of writes.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use super::store::{SecretKey, Secrets, SecretsError};
use mtp_services::Secret;

/// One write to a [`MemorySecrets`], in order (values are not recorded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecretWrite {
    Set(SecretKey),
    Delete(SecretKey),
}

/// An in-memory secret store for tests. `unavailable` makes it behave like a machine without a keyring.
#[derive(Debug, Default)]
pub struct MemorySecrets {
    entries: Mutex<HashMap<SecretKey, Secret>>,
    writes: Mutex<Vec<SecretWrite>>,
    unavailable: Option<String>,
}

impl MemorySecrets {
    pub fn new() -> Self {
        Self::default()
    }

    /// A store that fails every call as a missing keyring does.
    pub fn unavailable(reason: &str) -> Self {
        Self {
            unavailable: Some(reason.to_string()),
            ..Self::default()
        }
    }

    /// The entries held now (for assertions).
    pub fn snapshot(&self) -> HashMap<SecretKey, Secret> {
        lock(&self.entries).clone()
    }

    /// Every set and delete so far, in order.
    pub fn writes(&self) -> Vec<SecretWrite> {
        lock(&self.writes).clone()
    }
}

impl Secrets for MemorySecrets {
    fn check_available(&self) -> Result<(), SecretsError> {
        match &self.unavailable {
            Some(reason) => Err(SecretsError::Unavailable {
                reason: reason.clone(),
            }),
            None => Ok(()),
        }
    }

    fn get(&self, key: SecretKey) -> Result<Option<Secret>, SecretsError> {
        self.check_available()?;
        Ok(lock(&self.entries).get(&key).cloned())
    }

    fn set(&self, key: SecretKey, value: &Secret) -> Result<(), SecretsError> {
        self.check_available()?;
        lock(&self.entries).insert(key, value.clone());
        lock(&self.writes).push(SecretWrite::Set(key));
        Ok(())
    }

    fn delete(&self, key: SecretKey) -> Result<(), SecretsError> {
        self.check_available()?;
        lock(&self.entries).remove(&key);
        lock(&self.writes).push(SecretWrite::Delete(key));
        Ok(())
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
